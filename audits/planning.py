"""Audit programme, audit plans, team and checklist (ISO 9001:2008 8.2.2).

Every function checks the rule through ``qms.access``, runs in one transaction and raises
``Refused`` / ``WrongState`` / ``ValidationError`` with a Vietnamese message.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audits.errors import Refused, WrongState
from audits.models import (
    Audit,
    AuditDocument,
    AuditProgramme,
    AuditStatus,
    AuditTeamMember,
    ChecklistAttachment,
    ChecklistItem,
    ChecklistResult,
    PlannedAudit,
)
from documents.models import ControlledDocument, IssuedRevision
from qms import access
from qms.models import IsoClause, OrgUnit, nfc

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


# --- Programme ----------------------------------------------------------------------------


def _units_in_qms(root: OrgUnit, units: Iterable[OrgUnit]) -> list[OrgUnit]:
    """The units, all of which must belong to the QMS of ``root`` (an audit covers one QMS)."""
    tree = access.UnitTree.load()
    units = list(units)
    if not units:
        raise ValidationError({"units": "Cần chọn ít nhất một đơn vị được đánh giá."})
    for unit in units:
        if tree.qms_root(unit.pk) != root.pk:
            raise ValidationError(
                {"units": f"{unit.name} không thuộc hệ thống quản lý chất lượng của {root.name}."}
            )
    return units


def create_programme(*, user, qms_root: OrgUnit, year: int, scope: str = "") -> AuditProgramme:
    """Start the yearly audit programme of one QMS (planned by its QM or auditors)."""
    if not qms_root.runs_own_qms:
        raise ValidationError({"qms_root": f"{qms_root.name} không có HTQLCL riêng."})
    if not access.can_plan_audit(user, qms_root):
        raise Refused("Bạn không có quyền lập chương trình đánh giá cho HTQLCL này.")
    if AuditProgramme.objects.filter(qms_root=qms_root, year=year).exists():
        raise ValidationError({"year": f"{qms_root.name} đã có chương trình đánh giá năm {year}."})
    return AuditProgramme.objects.create(qms_root=qms_root, year=year, scope=scope, created_by=user)


@transaction.atomic
def add_planned_audit(
    *,
    user,
    programme: AuditProgramme,
    month: int,
    units: Iterable[OrgUnit],
    clauses: Iterable[IsoClause] = (),
    documents: Iterable[ControlledDocument] = (),
    notes: str = "",
) -> PlannedAudit:
    """Add a line to the programme; an approved programme is changed only after re-approval."""
    if not access.can_plan_audit(user, programme.qms_root):
        raise Refused("Bạn không có quyền sửa chương trình đánh giá này.")
    if not 1 <= int(month) <= 12:
        raise ValidationError({"month": "Tháng phải từ 1 đến 12."})
    units = _units_in_qms(programme.qms_root, units)
    planned = PlannedAudit.objects.create(programme=programme, month=month, notes=nfc(notes))
    planned.units.set(units)
    planned.clauses.set(list(clauses))
    planned.documents.set(list(documents))
    if programme.approved_at is not None:
        # A changed programme needs the quality manager's approval again.
        programme.approved_at = programme.approved_by = None
        programme._change_reason = "Thêm cuộc đánh giá: chương trình cần phê duyệt lại"
        programme.save()
    return planned


@transaction.atomic
def approve_programme(*, user, programme: AuditProgramme) -> AuditProgramme:
    """The quality manager approves the programme (ISO 8.2.2: planned audit programme)."""
    programme = AuditProgramme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
    if not access.can_approve_programme(user, programme):
        raise Refused(
            "Chỉ đại diện lãnh đạo (phụ trách chất lượng) mới được phê duyệt chương trình."
        )
    if programme.approved_at is not None:
        raise WrongState("Chương trình đánh giá đã được phê duyệt.")
    if not programme.planned_audits.exists():
        raise WrongState("Chương trình chưa có cuộc đánh giá nào để phê duyệt.")
    programme.approved_by, programme.approved_at = user, timezone.now()
    programme.save()
    return programme


@dataclass
class Coverage:
    covered_clauses: list[IsoClause]
    uncovered_clauses: list[IsoClause]
    covered_units: list[OrgUnit]
    uncovered_units: list[OrgUnit]


def _covers(numbers: set[str], clause: IsoClause) -> bool:
    # Planning clause "8.2" covers 8.2.1 ... 8.2.4: a clause is covered by itself or an ancestor.
    parts = clause.number.split(".")
    return any(".".join(parts[:i]) in numbers for i in range(1, len(parts) + 1))


def programme_coverage(programme: AuditProgramme) -> Coverage:
    """Which clauses (leaf clauses of ISO 9001:2008) and which units of the QMS the year's planned
    and conducted audits cover, and which they leave out."""
    planned = programme.planned_audits.all()
    audits = programme.audits.all()
    numbers = set(
        IsoClause.objects.filter(
            pk__in=PlannedAudit.clauses.through.objects.filter(plannedaudit__in=planned).values(
                "isoclause"
            )
        ).values_list("number", flat=True)
    ) | set(IsoClause.objects.filter(audits__in=audits).values_list("number", flat=True))
    unit_ids = set(
        PlannedAudit.units.through.objects.filter(plannedaudit__in=planned).values_list(
            "orgunit_id", flat=True
        )
    ) | set(
        Audit.units.through.objects.filter(audit__in=audits).values_list("orgunit_id", flat=True)
    )
    leaves = list(IsoClause.objects.filter(children__isnull=True))
    tree = access.UnitTree.load()
    qms_units = OrgUnit.objects.active(datetime.date(programme.year, 1, 1)).filter(
        pk__in=tree.descendants(programme.qms_root_id, cross_qms=False)
    )
    return Coverage(
        covered_clauses=[c for c in leaves if _covers(numbers, c)],
        uncovered_clauses=[c for c in leaves if not _covers(numbers, c)],
        covered_units=[u for u in qms_units if u.pk in unit_ids],
        uncovered_units=[u for u in qms_units if u.pk not in unit_ids],
    )


# --- Audit plan and team ------------------------------------------------------------------


def revision_in_force(document: ControlledDocument, day: datetime.date) -> IssuedRevision:
    """The exact issued revision of ``document`` in force on ``day`` (the audit criterion)."""
    revision = IssuedRevision.objects.in_force_on(day).filter(document=document).first()
    if revision is None:
        raise ValidationError(
            {
                "documents": f"Tài liệu {document.code} không có lần ban hành nào có hiệu lực "
                f"vào ngày {day:%d/%m/%Y}."
            }
        )
    return revision


@transaction.atomic
def create_audit(
    *,
    user,
    qms_root: OrgUnit,
    title: str,
    units: Iterable[OrgUnit],
    start_date: datetime.date,
    end_date: datetime.date,
    lead_auditor,
    programme: AuditProgramme | None = None,
    clauses: Iterable[IsoClause] = (),
    documents: Iterable[ControlledDocument] = (),
    opening_meeting_at: datetime.datetime | None = None,
    closing_meeting_at: datetime.datetime | None = None,
) -> Audit:
    """Plan an audit: units of one QMS, criteria clauses and the documents' revisions in force on
    the start date, and the lead auditor (who passes the same independence check as the team)."""
    if not access.can_plan_audit(user, qms_root):
        raise Refused("Bạn không có quyền lập kế hoạch đánh giá cho HTQLCL này.")
    if programme is not None and programme.qms_root_id != qms_root.pk:
        raise ValidationError({"programme": "Chương trình đánh giá thuộc HTQLCL khác."})
    if end_date < start_date:
        raise ValidationError({"end_date": "Ngày kết thúc phải sau ngày bắt đầu."})
    if not (title or "").strip():
        raise ValidationError({"title": "Cần nhập tên cuộc đánh giá."})
    units = _units_in_qms(qms_root, units)
    audit = Audit.objects.create(
        qms_root=qms_root,
        programme=programme,
        title=title.strip(),
        start_date=start_date,
        end_date=end_date,
        opening_meeting_at=opening_meeting_at,
        closing_meeting_at=closing_meeting_at,
        created_by=user,
    )
    audit.units.set(units)
    audit.clauses.set(list(clauses))
    add_team_member(
        user=user, audit=audit, auditor=lead_auditor, role=AuditTeamMember.TeamRole.LEAD
    )
    for document in documents:
        add_audit_document(user=user, audit=audit, document=document)
    return audit


@transaction.atomic
def add_team_member(
    *, user, audit: Audit, auditor, role: str = AuditTeamMember.TeamRole.MEMBER
) -> AuditTeamMember:
    """Put ``auditor`` on the team; refused with the reason when independence would be broken."""
    if audit.status == AuditStatus.COMPLETED:
        raise WrongState("Cuộc đánh giá đã kết thúc, không thay đổi đoàn đánh giá.")
    allowed, reason = access.can_join_audit_team(user, audit, auditor)
    if not allowed:
        raise Refused(reason)
    if audit.members.filter(auditor=auditor).exists():
        raise ValidationError("Người này đã có trong đoàn đánh giá.")
    if role == AuditTeamMember.TeamRole.LEAD and audit.members.filter(role=role).exists():
        raise ValidationError("Cuộc đánh giá đã có trưởng đoàn.")
    try:
        with transaction.atomic():
            return AuditTeamMember.objects.create(
                audit=audit, auditor=auditor, role=role, added_by=user
            )
    except IntegrityError as error:
        # Two planners adding the same person (or a second lead) at the same moment.
        raise ValidationError("Người này đã có trong đoàn hoặc đoàn đã có trưởng đoàn.") from error


@transaction.atomic
def add_audit_document(
    *, user, audit: Audit, document: ControlledDocument, auditor=None
) -> AuditDocument:
    """Add a criteria document as its revision in force on the audit's start date. An auditor
    assigned to check it must be on the team and must not have prepared that revision."""
    if not access.can_manage_audit(user, audit):
        raise Refused("Bạn không có quyền sửa kế hoạch đánh giá này.")
    revision = revision_in_force(document, audit.start_date)
    if auditor is not None:
        if not access.is_on_audit_team(auditor, audit):
            raise Refused(f"{auditor} không thuộc đoàn đánh giá.")
        reason = access.revision_refusal(auditor, revision)
        if reason:
            raise Refused(reason)
    entry, _created = AuditDocument.objects.update_or_create(
        audit=audit, revision=revision, defaults={"auditor": auditor}
    )
    return entry


@transaction.atomic
def start_audit(*, user, audit: Audit, at: datetime.datetime | None = None) -> Audit:
    """Opening meeting held: the audit is in progress and findings may be logged."""
    audit = Audit.objects.select_for_update(of=("self",)).get(pk=audit.pk)
    if not access.can_manage_audit(user, audit):
        raise Refused("Chỉ trưởng đoàn hoặc người lập kế hoạch mới được bắt đầu cuộc đánh giá.")
    if audit.status != AuditStatus.PLANNED:
        raise WrongState("Cuộc đánh giá đã bắt đầu hoặc đã kết thúc.")
    audit.status = AuditStatus.IN_PROGRESS
    audit.opening_meeting_at = at or audit.opening_meeting_at or timezone.now()
    audit.save()
    return audit


@transaction.atomic
def complete_audit(
    *, user, audit: Audit, conclusions: str, at: datetime.datetime | None = None
) -> Audit:
    """Closing meeting held: conclusions recorded, no more findings or checklist changes."""
    audit = Audit.objects.select_for_update(of=("self",)).get(pk=audit.pk)
    if not access.can_manage_audit(user, audit):
        raise Refused("Chỉ trưởng đoàn hoặc người lập kế hoạch mới được kết thúc cuộc đánh giá.")
    if audit.status != AuditStatus.IN_PROGRESS:
        raise WrongState("Chỉ kết thúc được cuộc đánh giá đang diễn ra.")
    if not (conclusions or "").strip():
        raise ValidationError({"conclusions": "Cần ghi kết luận của cuộc đánh giá."})
    audit.status = AuditStatus.COMPLETED
    audit.conclusions = conclusions.strip()
    audit.closing_meeting_at = at or audit.closing_meeting_at or timezone.now()
    audit.save()
    return audit


# --- Checklist ----------------------------------------------------------------------------


@transaction.atomic
def generate_checklist(*, user, audit: Audit) -> list[ChecklistItem]:
    """One question per audited unit and criteria clause or document; existing ones are kept,
    so regenerating after the plan changes only adds what is missing."""
    if not access.can_manage_audit(user, audit):
        raise Refused("Bạn không có quyền lập danh mục kiểm tra cho cuộc đánh giá này.")
    if audit.status == AuditStatus.COMPLETED:
        raise WrongState("Cuộc đánh giá đã kết thúc.")
    existing = set(audit.checklist.values_list("unit_id", "clause_id", "revision_id"))
    order = audit.checklist.count()
    created = []
    for unit in audit.units.order_by("name"):
        for clause in audit.clauses.all():
            if (unit.pk, clause.pk, None) in existing:
                continue
            order += 1
            created.append(
                ChecklistItem(
                    audit=audit,
                    unit=unit,
                    clause=clause,
                    sort_order=order,
                    question=f"{unit.name} có đáp ứng yêu cầu điều khoản {clause.number} "
                    f"«{clause.title}» không? Bằng chứng?",
                )
            )
        for entry in audit.criteria_documents.select_related("revision"):
            revision = entry.revision
            if (unit.pk, None, revision.pk) in existing:
                continue
            order += 1
            created.append(
                ChecklistItem(
                    audit=audit,
                    unit=unit,
                    revision=revision,
                    sort_order=order,
                    question=f"{unit.name} có áp dụng đúng {revision.code} «{revision.title}» "
                    f"(lần ban hành {revision.number:02d}) không? Hồ sơ chứng minh?",
                )
            )
    for item in created:
        item.save()  # save() (not bulk_create) so history records the creation
    return created


@transaction.atomic
def save_checklist_question(
    *,
    user,
    audit: Audit,
    question: str,
    item: ChecklistItem | None = None,
    clause: IsoClause | None = None,
    unit: OrgUnit | None = None,
) -> ChecklistItem:
    """Add a question of the auditor's own to the checklist, or reword an existing one (the
    generated list is a starting point). The lead auditor or a planner edits it until the end."""
    audit = Audit.objects.select_for_update(of=("self",)).get(pk=audit.pk)
    if not access.can_manage_audit(user, audit):
        raise Refused("Chỉ trưởng đoàn hoặc người lập kế hoạch mới được sửa danh mục kiểm tra.")
    if audit.status == AuditStatus.COMPLETED:
        raise WrongState("Cuộc đánh giá đã kết thúc, không sửa danh mục kiểm tra.")
    question = nfc((question or "").strip())
    if not question:
        raise ValidationError({"question": "Cần nhập nội dung câu hỏi."})
    if unit is not None and not audit.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": f"{unit.name} không thuộc phạm vi cuộc đánh giá."})
    if item is None:
        item = ChecklistItem(audit=audit, sort_order=audit.checklist.count() + 1)
        item.clause, item.unit = clause, unit
    elif item.audit_id != audit.pk:
        raise ValidationError("Câu hỏi thuộc cuộc đánh giá khác.")
    item.question = question
    item.save()
    return item


@transaction.atomic
def record_checklist_result(
    *, user, item: ChecklistItem, result: str, evidence: str = ""
) -> ChecklistItem:
    """A team member records the result of one question (never on a revision they prepared)."""
    item = (
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("audit", "revision")
        .get(pk=item.pk)
    )
    allowed, reason = access.can_record_checklist(user, item)
    if not allowed:
        raise Refused(reason)
    if item.audit.status == AuditStatus.COMPLETED:
        raise WrongState("Cuộc đánh giá đã kết thúc, không sửa danh mục kiểm tra.")
    if result not in ChecklistResult.values:
        raise ValidationError({"result": "Kết quả kiểm tra không hợp lệ."})
    if (
        result in {ChecklistResult.NONCONFORMING, ChecklistResult.OBSERVATION}
        and not (evidence or item.evidence).strip()
    ):
        raise ValidationError({"evidence": "Cần ghi bằng chứng cho kết quả không phù hợp/lưu ý."})
    item.result = result
    if evidence:
        item.evidence = evidence
    item.checked_by, item.checked_at = user, timezone.now()
    item.save()
    return item


def add_checklist_attachment(*, user, item: ChecklistItem, uploaded) -> ChecklistAttachment:
    """Attach an evidence file (kept in private storage) to a checklist item."""
    allowed, reason = access.can_record_checklist(user, item)
    if not allowed:
        raise Refused(reason)
    if item.audit.status == AuditStatus.COMPLETED:
        raise WrongState("Cuộc đánh giá đã kết thúc, không thêm bằng chứng.")
    if uploaded.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": "Tệp quá lớn (tối đa 20 MB)."})
    name = nfc(uploaded.name.rsplit("/", 1)[-1])[:255]
    attachment = ChecklistAttachment(item=item, file_name=name, uploaded_by=user)
    attachment.file.save(name, uploaded, save=False)
    attachment.save()
    return attachment
