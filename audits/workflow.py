"""Findings and corrective/preventive actions: the legal transitions (ISO 9001:2008 8.3, 8.5.2,
8.5.3).

Finding:  open → action planned → implemented → verified → closed
                                                        ↘ re-opened → action planned → ...
Action:   planned → implemented → verified → effective | not effective

Each function locks the rows it changes, checks the rule through ``qms.access`` and refuses an
illegal transition with ``WrongState`` (409) or a forbidden person with ``Refused`` (403).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audits import notify
from audits.errors import Refused, WrongState
from audits.models import (
    CONCLUDED_ACTION_STATUSES,
    ActionKind,
    ActionStatus,
    Audit,
    AuditStatus,
    CauseCategory,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    FindingKind,
    FindingSource,
    FindingStatus,
)
from documents.models import IssuedRevision
from qms import access
from qms.models import IsoClause, OrgUnit, Role, nfc


def _required(value: str, field: str, label: str) -> str:
    value = nfc((value or "").strip())
    if not value:
        raise ValidationError({field: f"Cần nhập {label}."})
    return value


# --- Findings -----------------------------------------------------------------------------


@transaction.atomic
def log_finding(
    *,
    user,
    unit: OrgUnit,
    kind: str,
    description: str,
    audit: Audit | None = None,
    source: str | None = None,
    clause: IsoClause | None = None,
    revision: IssuedRevision | None = None,
    evidence: str = "",
    checklist_item: ChecklistItem | None = None,
) -> Finding:
    """Record a finding of an audit in progress (team members only), or a nonconformity found
    in a complaint, an inspection or daily work (8.3, ``audit`` empty)."""
    source = source or (FindingSource.AUDIT if audit is not None else FindingSource.DAILY_WORK)
    if (source == FindingSource.AUDIT) != (audit is not None):
        raise ValidationError(
            {"source": "Phát hiện từ đánh giá nội bộ phải gắn với cuộc đánh giá."}
        )
    if kind not in FindingKind.values:
        raise ValidationError({"kind": "Loại phát hiện không hợp lệ."})
    if source not in FindingSource.values:
        raise ValidationError({"source": "Nguồn phát hiện không hợp lệ."})
    if audit is None and kind not in (FindingKind.MAJOR, FindingKind.MINOR):
        raise ValidationError({"kind": "Ngoài đánh giá nội bộ chỉ ghi nhận điểm không phù hợp."})
    if audit is not None:
        # Lock the audit: a finding must not slip in while the lead auditor closes the audit.
        audit = Audit.objects.select_for_update(of=("self",)).get(pk=audit.pk)
    allowed, reason = access.can_log_finding(user, audit, unit)
    if not allowed:
        raise Refused(reason)
    if audit is not None:
        if audit.status != AuditStatus.IN_PROGRESS:
            raise WrongState("Chỉ ghi nhận phát hiện khi cuộc đánh giá đang diễn ra.")
        if revision is not None and not (
            IssuedRevision.objects.in_force_on(audit.start_date).filter(pk=revision.pk).exists()
        ):
            raise ValidationError(
                {"revision": "Lần ban hành này không có hiệu lực vào ngày đánh giá."}
            )
        if checklist_item is not None and checklist_item.audit_id != audit.pk:
            raise ValidationError({"checklist_item": "Câu hỏi thuộc cuộc đánh giá khác."})
    finding = Finding.objects.create(
        audit=audit,
        checklist_item=checklist_item,
        source=source,
        kind=kind,
        clause=clause,
        revision=revision,
        unit=unit,
        description=_required(description, "description", "nội dung phát hiện"),
        evidence=evidence or "",
        reported_by=user,
    )
    notify.finding_logged(finding)
    return finding


def _lock_finding(finding: Finding) -> Finding:
    return Finding.objects.select_for_update(of=("self",)).select_related("unit").get(pk=finding.pk)


@transaction.atomic
def acknowledge_finding(*, user, finding: Finding, comment: str = "") -> Finding:
    """The head of the audited unit acknowledges the finding (with an optional comment)."""
    finding = _lock_finding(finding)
    if not access.can_answer_finding(user, finding):
        raise Refused("Chỉ trưởng đơn vị được đánh giá mới được xác nhận phát hiện.")
    if finding.status == FindingStatus.CLOSED:
        raise WrongState("Phát hiện đã đóng.")
    if finding.acknowledged_at is not None:
        raise WrongState("Phát hiện đã được đơn vị xác nhận.")
    finding.acknowledged_by, finding.acknowledged_at = user, timezone.now()
    finding.acknowledgement_comment = comment or ""
    finding.save()
    return finding


@transaction.atomic
def close_finding(*, user, finding: Finding, note: str = "") -> Finding:
    """Close a finding. A nonconformity closes only after its last action was verified and found
    effective; observations and opportunities for improvement close at the auditor's word."""
    finding = _lock_finding(finding)
    if not access.can_close_finding(user, finding):
        raise Refused("Chỉ đánh giá viên hoặc đại diện lãnh đạo phụ trách mới được đóng phát hiện.")
    if finding.status == FindingStatus.CLOSED:
        raise WrongState("Phát hiện đã đóng.")
    if finding.is_nonconformity:
        last = finding.actions.order_by("-created_at", "-pk").first()
        if last is None or last.status != ActionStatus.EFFECTIVE:
            raise WrongState(
                "Chưa thể đóng điểm không phù hợp: hành động khắc phục chưa được xác nhận "
                "và kiểm tra hiệu lực."
            )
    finding.status = FindingStatus.CLOSED
    finding.closed_by, finding.closed_at = user, timezone.now()
    finding.status_note = note or ""
    finding._change_reason = "Đóng phát hiện"
    finding.save()
    return finding


@transaction.atomic
def reopen_finding(*, user, finding: Finding, reason: str) -> Finding:
    """Re-open a closed finding, or one whose action failed the effectiveness check; the reason
    is recorded in the history. A new corrective action is then required."""
    finding = _lock_finding(finding)
    if not access.can_close_finding(user, finding):
        raise Refused(
            "Chỉ đánh giá viên hoặc đại diện lãnh đạo phụ trách mới được mở lại phát hiện."
        )
    if finding.status not in (FindingStatus.CLOSED, FindingStatus.VERIFIED):
        raise WrongState("Chỉ mở lại được phát hiện đã đóng hoặc đã xác nhận khắc phục.")
    reason = _required(reason, "reason", "lý do mở lại")
    finding.status = FindingStatus.REOPENED
    finding.closed_by = finding.closed_at = None
    finding.status_note = reason
    finding._allow_closed_change = True
    finding._change_reason = f"Mở lại: {reason}"[:100]
    finding.save()
    finding._allow_closed_change = False
    return finding


# --- Actions ------------------------------------------------------------------------------


def _clean_why_chain(why_chain: Sequence[str] | None) -> list[str]:
    chain = [nfc(str(why).strip()) for why in (why_chain or []) if str(why).strip()]
    if len(chain) > 5:
        raise ValidationError({"why_chain": "Phân tích 5 tại sao có tối đa 5 bước."})
    return chain


@transaction.atomic
def plan_action(
    *,
    user,
    action_plan: str,
    owner,
    due_date: datetime.date,
    finding: Finding | None = None,
    unit: OrgUnit | None = None,
    correction: str = "",
    why_chain: Sequence[str] | None = None,
    cause_category: str = "",
    root_cause: str = "",
    potential_problem: str = "",
    today: datetime.date | None = None,
) -> CorrectiveAction:
    """Plan a corrective action for a nonconformity (``finding``) or a preventive action for a
    potential one (``unit`` and ``potential_problem``, no finding). The unit head plans it; a
    finding has one action in progress at a time."""
    today = today or timezone.localdate()
    if finding is not None:
        finding = _lock_finding(finding)
        unit, kind = finding.unit, ActionKind.CORRECTIVE
        if not finding.is_nonconformity:
            raise ValidationError(
                "Hành động khắc phục chỉ áp dụng cho điểm không phù hợp; điểm lưu ý và cơ hội "
                "cải tiến có thể lập hành động phòng ngừa."
            )
        if finding.status not in (FindingStatus.OPEN, FindingStatus.REOPENED):
            raise WrongState(
                "Điểm không phù hợp đã đóng hoặc đang có hành động khắc phục chưa hoàn tất."
            )
    else:
        if unit is None:
            raise ValidationError({"unit": "Cần chọn đơn vị cho hành động phòng ngừa."})
        kind = ActionKind.PREVENTIVE
        potential_problem = _required(potential_problem, "potential_problem", "vấn đề tiềm ẩn")
    if not access.can_answer_finding(user, unit):
        raise Refused(
            f"Chỉ trưởng đơn vị {unit.name} mới được lập hành động khắc phục, phòng ngừa."
        )
    if owner is None or not owner.is_active or not access.for_user(owner).has_role(unit.pk, *Role):
        raise ValidationError({"owner": f"Người chịu trách nhiệm phải là cán bộ của {unit.name}."})
    if due_date < today:
        raise ValidationError({"due_date": "Hạn hoàn thành không được trước ngày hôm nay."})
    if cause_category and cause_category not in CauseCategory.values:
        raise ValidationError({"cause_category": "Nhóm nguyên nhân không hợp lệ."})
    action = CorrectiveAction.objects.create(
        kind=kind,
        finding=finding,
        unit=unit,
        potential_problem=potential_problem,
        correction=correction or "",
        why_chain=_clean_why_chain(why_chain),
        cause_category=cause_category or "",
        root_cause=root_cause or "",
        action_plan=_required(action_plan, "action_plan", "kế hoạch hành động"),
        owner=owner,
        due_date=due_date,
        created_by=user,
    )
    if finding is not None:
        finding.status = FindingStatus.ACTION_PLANNED
        finding.save()
    return action


def _lock_action(action: CorrectiveAction) -> CorrectiveAction:
    return (
        CorrectiveAction.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=action.pk)
    )


def _move_finding(action: CorrectiveAction, status: str) -> None:
    if action.finding_id is not None:
        finding = _lock_finding(action.finding)
        finding.status = status
        finding.save()


@transaction.atomic
def mark_implemented(
    *, user, action: CorrectiveAction, evidence: str, at: datetime.datetime | None = None
) -> CorrectiveAction:
    """The owner (or unit head) reports the action carried out, with evidence."""
    action = _lock_action(action)
    if not access.can_implement_action(user, action):
        raise Refused("Chỉ người chịu trách nhiệm hoặc trưởng đơn vị mới được báo cáo thực hiện.")
    if action.status != ActionStatus.PLANNED:
        raise WrongState("Hành động này đã được báo cáo thực hiện.")
    action.implementation_evidence = _required(evidence, "evidence", "kết quả thực hiện")
    action.implemented_by, action.implemented_at = user, at or timezone.now()
    action.status = ActionStatus.IMPLEMENTED
    action.save()
    _move_finding(action, FindingStatus.IMPLEMENTED)
    return action


@transaction.atomic
def verify_action(
    *,
    user,
    action: CorrectiveAction,
    comment: str = "",
    effectiveness_check_date: datetime.date | None = None,
) -> CorrectiveAction:
    """An independent auditor confirms the action was carried out, and sets the date on which
    its effectiveness will be checked."""
    action = _lock_action(action)
    allowed, reason = access.can_verify_action(user, action)
    if not allowed:
        raise Refused(reason)
    if action.status != ActionStatus.IMPLEMENTED:
        raise WrongState("Chỉ xác nhận được hành động đã báo cáo thực hiện.")
    implemented_on = timezone.localdate(action.implemented_at)
    if effectiveness_check_date is not None and effectiveness_check_date < implemented_on:
        raise ValidationError(
            {
                "effectiveness_check_date": "Ngày kiểm tra hiệu lực không được trước ngày "
                "hoàn thành hành động."
            }
        )
    action.verified_by, action.verified_at = user, timezone.now()
    action.verification_comment = comment or ""
    action.effectiveness_check_date = effectiveness_check_date
    action.status = ActionStatus.VERIFIED
    action.save()
    _move_finding(action, FindingStatus.VERIFIED)
    return action


@transaction.atomic
def check_effectiveness(
    *,
    user,
    action: CorrectiveAction,
    effective: bool,
    comment: str = "",
    on: datetime.date | None = None,
) -> CorrectiveAction:
    """Record the effectiveness check. Effective closes the finding; not effective re-opens it
    (recorded) so that a new action must be planned."""
    action = _lock_action(action)
    allowed, reason = access.can_verify_action(user, action)
    if not allowed:
        raise Refused(reason)
    if action.status != ActionStatus.VERIFIED:
        raise WrongState("Chỉ kiểm tra hiệu lực hành động đã được xác nhận thực hiện.")
    if not effective:
        comment = _required(comment, "comment", "lý do hành động không có hiệu lực")
    action.effectiveness_check_date = on or timezone.localdate()
    action.effectiveness_checked_by = user
    action.effectiveness_comment = comment or ""
    action.status = ActionStatus.EFFECTIVE if effective else ActionStatus.NOT_EFFECTIVE
    action.save()
    if action.finding_id is not None:
        if effective:
            close_finding(user=user, finding=action.finding, note=comment)
        else:
            reopen_finding(
                user=user,
                finding=action.finding,
                reason=f"Hành động khắc phục #{action.pk} không có hiệu lực: {comment}",
            )
    return action


def is_concluded(action: CorrectiveAction) -> bool:
    return action.status in CONCLUDED_ACTION_STATUSES
