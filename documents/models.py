"""Controlled documents (TCVN ISO 9001:2008 clause 4.2.3) and the register of issued revisions."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)

from qms.models import IsoClause, OrgUnit, nfc


class PrivateStorage(FileSystemStorage):
    """Files under QMS_PRIVATE_DIR with no URL at all: documents.views serves them after a check.

    The location is read from settings at each use so tests can point it at a temporary folder.
    """

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.QMS_PRIVATE_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Controlled files have no public URL.")


_private_storage = PrivateStorage()


def private_storage():
    return _private_storage


def document_upload_to(instance, filename: str) -> str:
    # A fresh folder per upload: every Wagtail revision keeps pointing at its own file.
    name = get_valid_filename(PurePosixPath(filename).name)[-120:] or "file"
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{name}"


def normalise_code(code: str) -> str:
    return re.sub(r"\s+", " ", nfc(code or "")).strip().upper()


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("Đang xử lý tệp")
    TEXT = "text", _("Đã trích xuất nội dung")
    NO_TEXT = "no_text", _("Tệp không có lớp chữ (bản quét) — cần nhận dạng ký tự (OCR)")
    ENCRYPTED = "encrypted", _("Tệp được mã hóa/đặt mật khẩu — không đọc được nội dung")
    CORRUPT = "corrupt", _("Tệp bị hỏng hoặc không đúng định dạng")
    LEGACY_FONT = (
        "legacy_font",
        _(
            "Tệp dùng phông chữ cũ TCVN3 (ABC) hoặc VNI — nội dung bị lỗi mã, "
            "cần chuyển sang Unicode"
        ),
    )
    TOO_LARGE = "too_large", _("Tệp quá lớn hoặc xử lý quá thời gian cho phép")
    NO_FILE = "no_file", _("Chưa có tệp")


class DocumentKind(models.TextChoices):
    QUALITY_MANUAL = "manual", _("Sổ tay chất lượng")
    POLICY = "policy", _("Chính sách chất lượng")
    OBJECTIVES = "objectives", _("Mục tiêu chất lượng")
    PROCEDURE = "procedure", _("Quy trình")
    INSTRUCTION = "instruction", _("Hướng dẫn công việc")
    FORM = "form", _("Biểu mẫu")
    PLAN = "plan", _("Kế hoạch")
    DECISION = "decision", _("Quyết định")
    EXTERNAL = "external", _("Tài liệu có nguồn gốc bên ngoài")


class ControlledDocumentQuerySet(models.QuerySet):
    def for_qms(self, root: OrgUnit):
        return self.filter(qms_root=root)

    def issued(self):
        """Documents that have been issued at least once (withdrawn ones included)."""
        return self.filter(first_published_at__isnull=False)

    def in_force_on(self, day):
        """Documents that had an issued revision in force on ``day`` (see IssuedRevision)."""
        return self.filter(
            models.Exists(
                IssuedRevision.objects.in_force_on(day).filter(document=models.OuterRef("pk"))
            )
        )

    def in_reading_order(self):
        """Quality manual, policy, objectives, procedures, ... external documents; then by code.

        The order of ISO 9001:2008 4.2.1: what a reader looks for first comes first.
        """
        rank = models.Case(
            *(
                models.When(kind=kind, then=models.Value(position))
                for position, kind in enumerate(DocumentKind.values)
            ),
            default=models.Value(len(DocumentKind.values)),
            output_field=models.IntegerField(),
        )
        return self.alias(kind_rank=rank).order_by("kind_rank", "code", "pk")

    def with_status(self, value: str):
        """Documents whose ``ControlledDocument.status`` is ``value`` (draft, in_force, withdrawn).

        Mirrors the ``status`` property in SQL; any other value raises ValueError.
        """
        issued = Q(first_published_at__isnull=False)
        conditions = {
            ControlledDocument.Status.DRAFT: ~issued,
            ControlledDocument.Status.IN_FORCE: issued & Q(live=True),
            ControlledDocument.Status.WITHDRAWN: issued & Q(live=False),
        }
        if value not in conditions:
            raise ValueError(f"Unknown document status: {value!r}")
        return self.filter(conditions[value])

    def review_due(self, today, horizon_days: int = 30):
        """Periodic reviews of these documents overdue or due by ``today`` + ``horizon_days``.

        A list of ``documents.review.ReviewDue`` (document, revision, due date, overdue), from one
        query; see ``documents.review.due_reviews`` for the rule.
        """
        from documents.review import due_reviews

        return due_reviews(self, today, horizon_days)


class ControlledDocument(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    ClusterableModel,
):
    """A controlled document (tài liệu kiểm soát), internal or of external origin (4.2.3 f).

    The row holds the working copy; Wagtail revisions hold each draft; ``IssuedRevision`` is the
    immutable register of what was approved and when it was in force.
    """

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Công khai (cả người dân)")
        INTERNAL = "internal", _("Nội bộ HTQLCL")
        UNIT = "unit", _("Chỉ đơn vị ban hành và đơn vị áp dụng")

    class LegalStatus(models.TextChoices):
        IN_FORCE = "in_force", _("Còn hiệu lực")
        AMENDED = "amended", _("Đã được sửa đổi, bổ sung")
        REPLACED = "replaced", _("Đã bị thay thế")
        REPEALED = "repealed", _("Hết hiệu lực / bị bãi bỏ")

    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị ban hành"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    qms_root = models.ForeignKey(
        OrgUnit,
        verbose_name=_("HTQLCL"),
        on_delete=models.PROTECT,
        related_name="qms_documents",
        editable=False,
    )
    code = models.CharField(
        _("mã hiệu"), max_length=64, help_text=_("Ví dụ QT-VP-01, BM-01/QT-VP-01.")
    )
    title = models.CharField(_("tên tài liệu"), max_length=500)
    kind = models.CharField(_("loại tài liệu"), max_length=20, choices=DocumentKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc quy trình"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Biểu mẫu, hướng dẫn thuộc quy trình nào."),
    )
    iso_clauses = ParentalManyToManyField(
        IsoClause, verbose_name=_("điều khoản ISO"), blank=True, related_name="documents"
    )
    applies_to = ParentalManyToManyField(
        OrgUnit,
        verbose_name=_("đơn vị áp dụng"),
        blank=True,
        related_name="applicable_documents",
        help_text=_(
            "Nhân viên các đơn vị này (và đơn vị cấp dưới) được đọc tài liệu. "
            "Chọn Sở GD&ĐT cho tài liệu áp dụng toàn tỉnh."
        ),
    )
    visibility = models.CharField(
        _("phạm vi công khai"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
    )
    review_period_months = models.PositiveSmallIntegerField(_("chu kỳ xem xét (tháng)"), default=12)
    change_summary = models.TextField(
        _("nội dung sửa đổi"), blank=True, help_text=_("Tóm tắt thay đổi của lần ban hành này.")
    )

    file = models.FileField(
        _("tệp tài liệu (PDF hoặc DOCX)"),
        storage=private_storage,
        upload_to=document_upload_to,
        max_length=300,
        blank=True,
    )
    file_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True, editable=False)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, editable=False)
    page_count = models.PositiveIntegerField(_("số trang"), null=True, editable=False)
    text = models.TextField(_("nội dung trích xuất"), blank=True, editable=False)
    extraction_status = models.CharField(
        _("kết quả đọc tệp"),
        max_length=20,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.NO_FILE,
        editable=False,
    )
    extraction_detail = models.CharField(max_length=500, blank=True, editable=False)

    # Documents of external origin (4.2.3 f).
    official_number = models.CharField(
        _("số, ký hiệu văn bản"), max_length=100, blank=True, help_text=_("Ví dụ 63/2010/NĐ-CP.")
    )
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    external_effective_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    legal_status = models.CharField(
        _("tình trạng hiệu lực"), max_length=10, choices=LegalStatus.choices, blank=True
    )

    # Withdrawal (thu hồi, 4.2.3 g): set once by documents.lifecycle.withdraw_document.
    withdrawn_at = models.DateTimeField(
        _("thời điểm thu hồi"), null=True, blank=True, editable=False
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thu hồi"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("lý do thu hồi"), blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ControlledDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["qms_root", "code"],
                name="document_code_unique_per_qms",
                violation_error_message=_("Mã tài liệu này đã được dùng trong HTQLCL."),
            ),
            models.CheckConstraint(condition=~Q(code=""), name="document_code_not_empty"),
        ]
        indexes = [models.Index(fields=["unit", "kind"])]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def clean(self):
        errors = {}
        self.code = normalise_code(self.code)
        if self.unit_id:
            root = self.unit.qms_root
            clash = ControlledDocument.objects.filter(qms_root=root, code=self.code).exclude(
                pk=self.pk
            )
            if self.code and clash.exists():
                errors["code"] = _("Mã tài liệu này đã được dùng trong HTQLCL của đơn vị.")
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = _("Tài liệu không thể thuộc chính nó.")
        if self.kind == DocumentKind.EXTERNAL and not self.official_number:
            errors["official_number"] = _("Tài liệu bên ngoài cần số, ký hiệu văn bản.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.code = normalise_code(self.code)
        self.title = nfc(self.title)
        self.change_summary = nfc(self.change_summary)
        self.official_number = nfc(self.official_number)
        self.issuing_body = nfc(self.issuing_body)
        if self.unit_id:
            self.qms_root_id = self.unit.qms_root.pk
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "code" in update_fields:
            kwargs["update_fields"] = {*update_fields, "qms_root"}
        super().save(*args, **kwargs)

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản thảo, chưa ban hành")
        IN_REVIEW = "in_review", _("Đang xem xét, phê duyệt")
        IN_FORCE = "in_force", _("Đang có hiệu lực")
        WITHDRAWN = "withdrawn", _("Đã thu hồi, hết hiệu lực")

    @property
    def status(self) -> str:
        """The document's state in words a user understands (no database query)."""
        if self.first_published_at is not None and not self.live:
            return self.Status.WITHDRAWN
        if self.live and self.first_published_at is not None:
            return self.Status.IN_FORCE
        return self.Status.DRAFT

    @property
    def status_label(self) -> str:
        return self.Status(self.status).label

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_external(self) -> bool:
        return self.kind == DocumentKind.EXTERNAL

    @property
    def extraction_message(self) -> str:
        return ExtractionStatus(self.extraction_status).label

    def get_preview_template(self, request, mode_name):
        return "documents/document_preview.html"


class IssuedRevisionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status=IssuedRevision.Status.CURRENT)

    def in_force_on(self, day):
        """Revisions in force on ``day``: effective_from <= day < effective_to (open-ended)."""
        return (
            self.filter(effective_from__lte=day)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=day))
            .exclude(status=IssuedRevision.Status.UPCOMING)
        )


class IssuedRevision(models.Model):
    """The register of issued revisions (lần ban hành), ISO 9001:2008 4.2.3 c: immutable.

    One row per approved revision; only ``status`` and ``effective_to`` change afterwards, when
    the revision comes into force, is superseded or is withdrawn.
    """

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("Đã phê duyệt, chưa có hiệu lực")
        CURRENT = "current", _("Đang có hiệu lực")
        SUPERSEDED = "superseded", _("Đã bị thay thế")
        OBSOLETE = "obsolete", _("Hết hiệu lực (đã thu hồi)")

    document = models.ForeignKey(
        ControlledDocument,
        verbose_name=_("tài liệu"),
        on_delete=models.PROTECT,
        related_name="issued_revisions",
    )
    number = models.PositiveSmallIntegerField(_("lần ban hành"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices)
    source_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("bản thảo gốc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField(_("mã hiệu"), max_length=64)
    title = models.CharField(_("tên tài liệu"), max_length=500)
    change_summary = models.TextField(_("nội dung sửa đổi"), blank=True)
    file = models.FileField(storage=private_storage, max_length=300, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField(null=True)
    page_count = models.PositiveIntegerField(null=True)
    text = models.TextField(blank=True)
    extraction_status = models.CharField(
        max_length=20, choices=ExtractionStatus.choices, default=ExtractionStatus.NO_FILE
    )

    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by_name = models.CharField(
        _("người phê duyệt"), max_length=255, help_text=_("Họ tên như trên bản giấy.")
    )
    approved_at = models.DateTimeField(_("thời điểm phê duyệt"))
    signature_meaning = models.CharField(max_length=100, blank=True)
    issued_outside_system = models.BooleanField(
        _("ban hành trên giấy trước khi dùng hệ thống"), default=False
    )
    effective_from = models.DateField(_("ngày hiệu lực"))
    effective_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    signature = models.OneToOneField(
        "documents.ApprovalSignature",
        verbose_name=_("chữ ký phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_revision",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IssuedRevisionQuerySet.as_manager()
    # The extracted text is large and never changes: history keeps the rest (who, status, dates).
    history = HistoricalRecords(excluded_fields=["text"])

    # Fields that may still change after the row is created, and only through documents.lifecycle:
    # the status (upcoming → current → superseded/obsolete), the end of validity (set once) and
    # the withdrawal reason (set once). Everything else is the record of what was approved.
    MUTABLE_FIELDS = frozenset({"status", "effective_to", "withdrawal_reason"})

    class Meta:
        verbose_name = _("lần ban hành")
        verbose_name_plural = _("sổ theo dõi ban hành")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="issued_revision_number_unique"
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="current"),
                name="issued_revision_one_current",
                violation_error_message=_("Mỗi tài liệu chỉ có một lần ban hành đang hiệu lực."),
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="upcoming"),
                name="issued_revision_one_upcoming",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="issued_revision_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="issued_revision_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — lần ban hành {self.number:02d}"

    def save(self, *args, **kwargs):
        """Create freely; afterwards refuse any change to what was approved (4.2.3 c)."""
        if self.pk is not None and not self._state.adding:
            stored = IssuedRevision.objects.filter(pk=self.pk).first()
            if stored is not None:
                _check_register_change(stored, self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(
            _("Sổ theo dõi ban hành không được xóa: lần ban hành đã phê duyệt được lưu vĩnh viễn.")
        )

    @property
    def number_label(self) -> str:
        return f"{self.number:02d}"


REGISTER_STATUS_CHANGES = {
    ("upcoming", "current"),
    ("upcoming", "obsolete"),
    ("current", "superseded"),
    ("current", "obsolete"),
}


def _check_register_change(stored: IssuedRevision, new: IssuedRevision) -> None:
    changed = [
        field.attname
        for field in IssuedRevision._meta.concrete_fields
        if getattr(stored, field.attname) != getattr(new, field.attname)
    ]
    frozen = [name for name in changed if name not in IssuedRevision.MUTABLE_FIELDS]
    if frozen:
        raise ValidationError(
            _("Lần ban hành đã phê duyệt không được sửa (%(fields)s).")
            % {"fields": ", ".join(frozen)}
        )
    if "status" in changed and (stored.status, new.status) not in REGISTER_STATUS_CHANGES:
        raise ValidationError(
            _("Không thể chuyển trạng thái lần ban hành từ “%(old)s” sang “%(new)s”.")
            % {"old": stored.status, "new": new.status}
        )
    for name in ("effective_to", "withdrawal_reason"):
        if name in changed and getattr(stored, name):
            raise ValidationError(_("Ngày hết hiệu lực và lý do thu hồi chỉ được ghi một lần."))


# Controlled copies, read acknowledgements, periodic reviews and change requests (4.2.3 b, d, g)
# live in models_distribution; the workflow's task types and the signature record are models of
# this app defined beside the workflow logic. Importing them here registers them at app load.
from documents.models_distribution import (  # noqa: E402, F401
    ChangeRequest,
    ControlledCopy,
    PeriodicReview,
    ReadAcknowledgement,
)
from documents.workflow import (  # noqa: E402, F401
    ApprovalSignature,
    DocumentApprovalTask,
    DocumentReviewTask,
)
