"""Audit programme, audit plans, teams and checklists (ISO 9001:2008 8.2.2)."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from documents.models import ControlledDocument, IssuedRevision, private_storage
from qms.models import IsoClause, OrgUnit, nfc

USER = settings.AUTH_USER_MODEL


class AuditProgramme(models.Model):
    """The yearly internal audit programme of one QMS (chương trình đánh giá nội bộ, 8.2.2).

    It is planned by the QMS's quality manager or auditors and approved by a quality manager;
    its planned audits list units, clauses and documents per month, from which the coverage
    (what the year's audits reach and what they leave out) is computed.
    """

    year = models.PositiveSmallIntegerField(_("năm"))
    qms_root = models.ForeignKey(
        OrgUnit,
        verbose_name=_("HTQLCL"),
        on_delete=models.PROTECT,
        related_name="audit_programmes",
        limit_choices_to={"runs_own_qms": True},
    )
    scope = models.TextField(_("phạm vi, mục tiêu"), blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        USER,
        verbose_name=_("người phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("thời điểm phê duyệt"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chương trình đánh giá nội bộ")
        verbose_name_plural = _("chương trình đánh giá nội bộ")
        ordering = ["-year", "qms_root__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["qms_root", "year"],
                name="audit_programme_one_per_year",
                violation_error_message=_("HTQLCL này đã có chương trình đánh giá của năm đó."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="audit_programme_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Chương trình đánh giá nội bộ {self.year} — {self.qms_root}"

    def save(self, *args, **kwargs):
        self.scope = nfc(self.scope)
        super().save(*args, **kwargs)

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class PlannedAudit(models.Model):
    """One line of the programme: which units, clauses and documents are audited in which month."""

    programme = models.ForeignKey(
        AuditProgramme, on_delete=models.CASCADE, related_name="planned_audits"
    )
    month = models.PositiveSmallIntegerField(_("tháng"))
    units = models.ManyToManyField(
        OrgUnit, verbose_name=_("đơn vị được đánh giá"), related_name="+"
    )
    clauses = models.ManyToManyField(
        IsoClause, verbose_name=_("điều khoản"), blank=True, related_name="+"
    )
    documents = models.ManyToManyField(
        ControlledDocument, verbose_name=_("tài liệu"), blank=True, related_name="+"
    )
    notes = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords(m2m_fields=[units, clauses, documents])

    class Meta:
        verbose_name = _("cuộc đánh giá dự kiến")
        verbose_name_plural = _("cuộc đánh giá dự kiến")
        ordering = ["programme", "month", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="planned_audit_month_range"
            )
        ]

    def __str__(self) -> str:
        return f"Tháng {self.month}/{self.programme.year}"


class AuditStatus(models.TextChoices):
    PLANNED = "planned", _("Đã lập kế hoạch")
    IN_PROGRESS = "in_progress", _("Đang đánh giá")
    COMPLETED = "completed", _("Đã kết thúc")


class Audit(models.Model):
    """An audit plan and its conduct (kế hoạch đánh giá, 8.2.2).

    The criteria documents are recorded as the exact ``IssuedRevision`` in force on the audit's
    first day, so a later revision never changes what was audited. Team members are added only
    through ``audits.planning.add_team_member``, which enforces auditor independence.
    """

    programme = models.ForeignKey(
        AuditProgramme,
        verbose_name=_("chương trình"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audits",
    )
    qms_root = models.ForeignKey(
        OrgUnit,
        verbose_name=_("HTQLCL được đánh giá"),
        on_delete=models.PROTECT,
        related_name="audits",
        limit_choices_to={"runs_own_qms": True},
    )
    title = models.CharField(_("tên cuộc đánh giá"), max_length=255)
    units = models.ManyToManyField(
        OrgUnit, verbose_name=_("đơn vị được đánh giá"), related_name="audits_received"
    )
    clauses = models.ManyToManyField(
        IsoClause, verbose_name=_("điều khoản"), blank=True, related_name="audits"
    )
    revisions = models.ManyToManyField(
        IssuedRevision,
        verbose_name=_("tài liệu (lần ban hành)"),
        blank=True,
        through="AuditDocument",
        related_name="audits",
    )
    team = models.ManyToManyField(
        USER,
        verbose_name=_("đoàn đánh giá"),
        through="AuditTeamMember",
        through_fields=("audit", "auditor"),
        related_name="audits",
    )
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))
    opening_meeting_at = models.DateTimeField(_("họp khai mạc"), null=True, blank=True)
    closing_meeting_at = models.DateTimeField(_("họp kết thúc"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=AuditStatus.choices, default=AuditStatus.PLANNED
    )
    conclusions = models.TextField(_("kết luận"), blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[units, clauses])

    class Meta:
        verbose_name = _("cuộc đánh giá")
        verbose_name_plural = _("cuộc đánh giá")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="audit_dates_ordered",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.title = nfc(self.title)
        self.conclusions = nfc(self.conclusions)
        super().save(*args, **kwargs)

    @property
    def lead_auditor(self):
        member = self.members.filter(role=AuditTeamMember.TeamRole.LEAD).first()
        return member.auditor if member else None


class AuditTeamMember(models.Model):
    """A place on an audit team; created only through ``planning.add_team_member``."""

    class TeamRole(models.TextChoices):
        LEAD = "lead", _("Trưởng đoàn")
        MEMBER = "member", _("Thành viên")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="members")
    auditor = models.ForeignKey(
        USER, verbose_name=_("đánh giá viên"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("vai trò"), max_length=8, choices=TeamRole.choices)
    added_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành viên đoàn đánh giá")
        verbose_name_plural = _("đoàn đánh giá")
        ordering = ["audit", "-role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "auditor"], name="audit_team_unique"),
            models.UniqueConstraint(
                fields=["audit"],
                condition=Q(role="lead"),
                name="audit_team_one_lead",
                violation_error_message=_("Mỗi cuộc đánh giá chỉ có một trưởng đoàn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.auditor} — {self.get_role_display()}"


class AuditDocument(models.Model):
    """A criteria document of an audit: the revision in force on the audit date; who checks it."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="criteria_documents")
    revision = models.ForeignKey(IssuedRevision, on_delete=models.PROTECT, related_name="+")
    auditor = models.ForeignKey(
        USER,
        verbose_name=_("người đánh giá tài liệu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tài liệu được đánh giá")
        verbose_name_plural = _("tài liệu được đánh giá")
        ordering = ["audit", "revision__code"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "revision"], name="audit_document_unique")
        ]

    def __str__(self) -> str:
        return str(self.revision)


class ChecklistResult(models.TextChoices):
    NOT_CHECKED = "not_checked", _("Chưa kiểm tra")
    CONFORMING = "conforming", _("Phù hợp")
    NONCONFORMING = "nonconforming", _("Không phù hợp")
    OBSERVATION = "observation", _("Lưu ý")


class ChecklistItem(models.Model):
    """A question of the audit checklist (phiếu ghi chép đánh giá), by clause and document."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="checklist")
    clause = models.ForeignKey(
        IsoClause, verbose_name=_("điều khoản"), null=True, blank=True, on_delete=models.PROTECT
    )
    revision = models.ForeignKey(
        IssuedRevision,
        verbose_name=_("tài liệu (lần ban hành)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT
    )
    question = models.TextField(_("nội dung kiểm tra"))
    result = models.CharField(
        _("kết quả"),
        max_length=14,
        choices=ChecklistResult.choices,
        default=ChecklistResult.NOT_CHECKED,
    )
    evidence = models.TextField(_("bằng chứng"), blank=True)
    checked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("câu hỏi kiểm tra")
        verbose_name_plural = _("danh mục kiểm tra")
        ordering = ["audit", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.question[:80]

    def save(self, *args, **kwargs):
        self.question = nfc(self.question)
        self.evidence = nfc(self.evidence)
        super().save(*args, **kwargs)


def attachment_upload_to(instance, filename: str) -> str:
    name = get_valid_filename(PurePosixPath(filename).name)[-120:] or "file"
    return f"audits/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{name}"


class ChecklistAttachment(models.Model):
    """Evidence file of a checklist item; private, served by ``audits.views`` after a check."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=attachment_upload_to, max_length=300)
    file_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tệp bằng chứng")
        verbose_name_plural = _("tệp bằng chứng")

    def __str__(self) -> str:
        return self.file_name
