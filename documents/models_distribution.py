"""Distribution of issued revisions (ISO 9001:2008 4.2.3 d, g) and their upkeep (4.2.3 b).

Controlled copies held by units, read acknowledgements, periodic reviews and change requests.
The rules that create and change these rows live in ``documents.distribution``,
``documents.review`` and ``documents.change_requests``; the models only hold the record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qms.models import OrgUnit


class ControlledCopy(models.Model):
    """A registered controlled copy (bản kiểm soát) of one issued revision, held by a unit.

    Copies of a revision that is no longer current must be recalled (4.2.3 g); the recall list is
    every copy whose revision is not current and whose ``recalled_at`` is still empty.
    """

    document = models.ForeignKey(
        "documents.ControlledDocument",
        verbose_name=_("tài liệu"),
        on_delete=models.PROTECT,
        related_name="controlled_copies",
    )
    issued_revision = models.ForeignKey(
        "documents.IssuedRevision",
        verbose_name=_("lần ban hành"),
        on_delete=models.PROTECT,
        related_name="controlled_copies",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị giữ bản"),
        on_delete=models.PROTECT,
        related_name="controlled_copies",
    )
    copy_number = models.PositiveSmallIntegerField(_("số bản"))
    holder_name = models.CharField(_("người giữ bản"), max_length=255)
    # The holder may have no account (a printed copy on a notice board): the name is the record.
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người giữ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đăng ký"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("thời điểm đăng ký"), auto_now_add=True)
    recalled_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True)
    recalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thu hồi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recall_note = models.TextField(_("ghi chú thu hồi"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bản kiểm soát")
        verbose_name_plural = _("sổ đăng ký bản kiểm soát")
        ordering = ["document", "issued_revision", "copy_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issued_revision", "copy_number"],
                name="controlled_copy_number_unique",
                violation_error_message=_("Số bản này đã được đăng ký cho lần ban hành."),
            ),
            models.CheckConstraint(
                condition=Q(copy_number__gte=1), name="controlled_copy_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issued_revision} — bản kiểm soát số {self.copy_number:02d}"

    # What documents.stamping reads (its ControlledCopyLike protocol): ``number`` and ``holder``.
    @property
    def number(self) -> int:
        return self.copy_number

    @property
    def holder(self) -> str:
        return self.holder_name

    @property
    def number_label(self) -> str:
        return f"{self.copy_number:02d}"

    @property
    def is_recalled(self) -> bool:
        return self.recalled_at is not None


class ReadAcknowledgement(models.Model):
    """A request to one staff member to confirm they read an issued revision, and the answer.

    Opened for every member of the units the revision applies to when it comes into force;
    ``acknowledged_at`` is set once, when the person presses "Tôi đã đọc và hiểu".
    """

    issued_revision = models.ForeignKey(
        "documents.IssuedRevision",
        verbose_name=_("lần ban hành"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đọc"),
        on_delete=models.CASCADE,
        related_name="read_acknowledgements",
    )
    # The unit through which the person was asked: coverage is counted per unit.
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="read_acknowledgements",
    )
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("thời điểm xác nhận đã đọc"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("xác nhận đã đọc")
        verbose_name_plural = _("xác nhận đã đọc")
        ordering = ["issued_revision", "unit", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["issued_revision", "user"], name="read_acknowledgement_unique"
            ),
        ]
        indexes = [models.Index(fields=["user", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.issued_revision} — {self.user}"


class PeriodicReview(models.Model):
    """A periodic review (xem xét định kỳ) of a document: confirmed unchanged or revision begun."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Xác nhận còn phù hợp, không sửa đổi")
        REVISION_STARTED = "revision", _("Cần sửa đổi — đã mở bản thảo mới")

    document = models.ForeignKey(
        "documents.ControlledDocument",
        verbose_name=_("tài liệu"),
        on_delete=models.PROTECT,
        related_name="periodic_reviews",
    )
    issued_revision = models.ForeignKey(
        "documents.IssuedRevision",
        verbose_name=_("lần ban hành được xem xét"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem xét"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("thời điểm xem xét"), auto_now_add=True)
    outcome = models.CharField(_("kết quả"), max_length=12, choices=Outcome.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    next_due = models.DateField(_("hạn xem xét tiếp theo"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("xem xét định kỳ")
        verbose_name_plural = _("xem xét định kỳ")
        ordering = ["document", "-reviewed_at", "-pk"]
        get_latest_by = ["reviewed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.document.code} — xem xét {self.reviewed_at:%d/%m/%Y}"


class ChangeRequest(models.Model):
    """A document change request (Phiếu đề nghị sửa đổi tài liệu) and the controller's answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chờ xử lý")
        ACCEPTED = "accepted", _("Đã chấp nhận — đang sửa đổi")
        DECLINED = "declined", _("Không chấp nhận")

    document = models.ForeignKey(
        "documents.ControlledDocument",
        verbose_name=_("tài liệu"),
        on_delete=models.PROTECT,
        related_name="change_requests",
    )
    issued_revision = models.ForeignKey(
        "documents.IssuedRevision",
        verbose_name=_("lần ban hành đang áp dụng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        on_delete=models.PROTECT,
        related_name="document_change_requests",
    )
    reason = models.TextField(_("lý do đề nghị sửa đổi"))
    proposed_change = models.TextField(_("nội dung đề nghị sửa đổi"), blank=True)
    created_at = models.DateTimeField(_("thời điểm đề nghị"), auto_now_add=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    answer = models.TextField(_("trả lời"), blank=True)
    # The Wagtail draft revision opened when the request was accepted.
    draft_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("bản thảo sửa đổi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phiếu đề nghị sửa đổi tài liệu")
        verbose_name_plural = _("phiếu đề nghị sửa đổi tài liệu")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["document", "status"])]

    def __str__(self) -> str:
        return f"{self.document.code} — đề nghị sửa đổi #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
