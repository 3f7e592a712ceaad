"""Findings and corrective/preventive actions (ISO 9001:2008 8.3, 8.5.2, 8.5.3)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audits.models.audit import Audit, ChecklistItem
from documents.models import IssuedRevision
from qms.models import IsoClause, OrgUnit, nfc

USER = settings.AUTH_USER_MODEL


class FindingKind(models.TextChoices):
    MAJOR = "major", _("Không phù hợp nặng")
    MINOR = "minor", _("Không phù hợp nhẹ")
    OBSERVATION = "observation", _("Điểm lưu ý")
    OFI = "ofi", _("Cơ hội cải tiến")


NONCONFORMITY_KINDS = frozenset({FindingKind.MAJOR, FindingKind.MINOR})


class FindingSource(models.TextChoices):
    AUDIT = "audit", _("Đánh giá nội bộ")
    COMPLAINT = "complaint", _("Phản ánh, khiếu nại")
    INSPECTION = "inspection", _("Thanh tra, kiểm tra")
    DAILY_WORK = "daily_work", _("Công việc hằng ngày")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Mới ghi nhận")
    ACTION_PLANNED = "action_planned", _("Đã lập kế hoạch khắc phục")
    IMPLEMENTED = "implemented", _("Đã thực hiện khắc phục")
    VERIFIED = "verified", _("Đã xác nhận thực hiện")
    CLOSED = "closed", _("Đã đóng")
    REOPENED = "reopened", _("Mở lại")


class FindingQuerySet(models.QuerySet):
    def open(self):
        """Findings not yet closed (a re-opened finding is open again)."""
        return self.exclude(status=FindingStatus.CLOSED)

    def nonconformities(self):
        return self.filter(kind__in=NONCONFORMITY_KINDS)


class Finding(models.Model):
    """A finding of an audit, or a nonconformity found elsewhere (8.3: complaints, inspections,
    daily work — then ``audit`` is empty). Status changes only through ``audits.workflow``.
    """

    audit = models.ForeignKey(
        Audit,
        verbose_name=_("cuộc đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    checklist_item = models.ForeignKey(
        ChecklistItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    source = models.CharField(
        _("nguồn phát hiện"),
        max_length=12,
        choices=FindingSource.choices,
        default=FindingSource.AUDIT,
    )
    kind = models.CharField(_("loại phát hiện"), max_length=12, choices=FindingKind.choices)
    clause = models.ForeignKey(
        IsoClause, verbose_name=_("điều khoản"), null=True, blank=True, on_delete=models.PROTECT
    )
    revision = models.ForeignKey(
        IssuedRevision,
        verbose_name=_("tài liệu liên quan (lần ban hành)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="findings"
    )
    description = models.TextField(_("nội dung phát hiện"))
    evidence = models.TextField(_("bằng chứng"), blank=True)
    reported_by = models.ForeignKey(
        USER, verbose_name=_("người ghi nhận"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("thời điểm ghi nhận"), default=timezone.now)
    acknowledged_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    acknowledgement_comment = models.TextField(_("ý kiến đơn vị"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    status_note = models.TextField(_("lý do thay đổi trạng thái"), blank=True)

    history = HistoricalRecords()
    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("phát hiện đánh giá")
        verbose_name_plural = _("phát hiện, điểm không phù hợp")
        ordering = ["-reported_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source="audit") & Q(audit__isnull=False))
                | (~Q(source="audit") & Q(audit__isnull=True)),
                name="finding_source_matches_audit",
                violation_error_message=_(
                    "Phát hiện từ đánh giá nội bộ phải gắn với một cuộc đánh giá, và ngược lại."
                ),
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} — {self.unit}"

    def save(self, *args, **kwargs):
        # ISO 8.5.2 needs a trustworthy record: once closed, a finding changes only through
        # workflow.reopen_finding, which sets this flag and records why.
        if self.pk and not getattr(self, "_allow_closed_change", False):
            stored = Finding.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == FindingStatus.CLOSED:
                raise ValidationError(
                    _("Phát hiện đã đóng không được sửa; muốn thay đổi phải mở lại phát hiện.")
                )
        self.description = nfc(self.description)
        self.evidence = nfc(self.evidence)
        self.acknowledgement_comment = nfc(self.acknowledgement_comment)
        self.status_note = nfc(self.status_note)
        super().save(*args, **kwargs)

    @property
    def is_nonconformity(self) -> bool:
        return self.kind in NONCONFORMITY_KINDS


class ActionKind(models.TextChoices):
    CORRECTIVE = "corrective", _("Hành động khắc phục")
    PREVENTIVE = "preventive", _("Hành động phòng ngừa")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Đang thực hiện")
    IMPLEMENTED = "implemented", _("Đã thực hiện, chờ xác nhận")
    VERIFIED = "verified", _("Đã xác nhận, chờ kiểm tra hiệu lực")
    EFFECTIVE = "effective", _("Có hiệu lực")
    NOT_EFFECTIVE = "not_effective", _("Không có hiệu lực")


CONCLUDED_ACTION_STATUSES = frozenset({ActionStatus.EFFECTIVE, ActionStatus.NOT_EFFECTIVE})


class CauseCategory(models.TextChoices):
    PEOPLE = "people", _("Con người (năng lực, nhận thức)")
    METHOD = "method", _("Phương pháp, quy trình")
    DOCUMENTS = "documents", _("Tài liệu, biểu mẫu")
    EQUIPMENT = "equipment", _("Cơ sở vật chất, thiết bị")
    ENVIRONMENT = "environment", _("Môi trường làm việc")
    MANAGEMENT = "management", _("Quản lý, chỉ đạo")
    EXTERNAL = "external", _("Yếu tố bên ngoài")


class ActionQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date):
        """Actions still being carried out after their due date."""
        return self.filter(status=ActionStatus.PLANNED, due_date__lt=today)

    def open(self):
        return self.exclude(status__in=CONCLUDED_ACTION_STATUSES)

    def corrective(self):
        return self.filter(kind=ActionKind.CORRECTIVE)

    def preventive(self):
        return self.filter(kind=ActionKind.PREVENTIVE)


class CorrectiveAction(models.Model):
    """A corrective action on a nonconformity (phiếu yêu cầu hành động khắc phục, 8.5.2) or a
    preventive action on a potential one (8.5.3, no finding). Both have the same shape: correction,
    root cause (a 5-why chain and a category), plan, owner and due date, implementation,
    verification by an auditor who is not the owner, and an effectiveness check.
    """

    kind = models.CharField(
        _("loại hành động"),
        max_length=10,
        choices=ActionKind.choices,
        default=ActionKind.CORRECTIVE,
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("phát hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="actions"
    )
    potential_problem = models.TextField(_("vấn đề tiềm ẩn"), blank=True)
    correction = models.TextField(_("khắc phục tức thời"), blank=True)
    why_chain = models.JSONField(_("phân tích 5 tại sao"), default=list, blank=True)
    cause_category = models.CharField(
        _("nhóm nguyên nhân"), max_length=12, choices=CauseCategory.choices, blank=True
    )
    root_cause = models.TextField(_("nguyên nhân gốc rễ"), blank=True)
    action_plan = models.TextField(_("kế hoạch hành động"))
    owner = models.ForeignKey(
        USER, verbose_name=_("người chịu trách nhiệm"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(
        _("trạng thái"), max_length=14, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    implementation_evidence = models.TextField(_("kết quả thực hiện"), blank=True)
    implemented_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    implemented_at = models.DateTimeField(_("thời điểm hoàn thành"), null=True, blank=True)
    verified_by = models.ForeignKey(
        USER,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    verification_comment = models.TextField(_("nhận xét xác nhận"), blank=True)
    effectiveness_check_date = models.DateField(_("ngày kiểm tra hiệu lực"), null=True, blank=True)
    effectiveness_checked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    effectiveness_comment = models.TextField(_("kết quả kiểm tra hiệu lực"), blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_escalated_on = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("hành động khắc phục, phòng ngừa")
        verbose_name_plural = _("hành động khắc phục, phòng ngừa")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="corrective") & Q(finding__isnull=False))
                | (Q(kind="preventive") & Q(finding__isnull=True)),
                name="action_kind_matches_finding",
                violation_error_message=_(
                    "Hành động khắc phục phải gắn với một điểm không phù hợp; "
                    "hành động phòng ngừa thì không."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} — {self.unit}"

    def save(self, *args, **kwargs):
        for name in (
            "potential_problem",
            "correction",
            "root_cause",
            "action_plan",
            "implementation_evidence",
            "verification_comment",
            "effectiveness_comment",
        ):
            setattr(self, name, nfc(getattr(self, name)))
        self.why_chain = [nfc(str(why)) for why in (self.why_chain or []) if str(why).strip()]
        super().save(*args, **kwargs)

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == ActionStatus.PLANNED and self.due_date < today
