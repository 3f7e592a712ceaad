"""Internal audits, findings and actions (ISO 9001:2008 8.2.2, 8.3, 8.5)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from qms.access.core import (
    OVERSIGHT_ROLES,
    UnitTree,
    for_user,
)
from qms.models import Membership, OrgUnit, Role

# Reach (``audit_reach``): quality managers and auditors act on their whole subtree across QMSs
# (the department's auditors audit the district offices too) and on every unit of the QMSs they
# hold such a role in (an auditor posted in one office audits the other offices); unit heads
# (approver role, "Trưởng đơn vị") answer the findings of their own units, within their QMS.
# Independence: an auditor never audits a unit they belong to — membership in the unit or in a
# unit above it within the same QMS — nor checks a document revision they prepared. Refusals
# return the reason in Vietnamese.

UNIT_HEAD_ROLES = frozenset({Role.APPROVER, Role.QUALITY_MANAGER})


def audit_reach(user) -> set[int]:
    """Units a user may audit: the subtree (across QMSs) of their QM/auditor roles, and every
    unit of a QMS in which they hold such a role anywhere. The second part lets an auditor posted
    in one office audit the other offices of the same QMS, which independence (below) requires:
    an auditor posted at the QMS root belongs to, and so cannot audit, any unit under it."""
    access = for_user(user)
    cached = getattr(access, "_audit_reach", None)
    if cached is None:
        cached = set(access.oversight_units)
        for unit_id, role in access.memberships:
            if role in OVERSIGHT_ROLES:
                root = access.tree.qms_root(unit_id)
                cached |= access.tree.descendants(root, cross_qms=False)
        access._audit_reach = cached
    return cached


def _display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def can_plan_audit(user, root_unit: OrgUnit | None) -> bool:
    """Quality managers and auditors whose reach covers ``root_unit`` plan and run its audits."""
    access = for_user(user)
    if access.is_superuser:
        return True
    if root_unit is None:
        return access.has_role_anywhere(*OVERSIGHT_ROLES)
    return root_unit.pk in audit_reach(user)


def plannable_qms_roots(user) -> QuerySet:
    access = for_user(user)
    roots = OrgUnit.objects.filter(runs_own_qms=True)
    return roots if access.is_superuser else roots.filter(pk__in=audit_reach(user))


def can_approve_programme(user, programme) -> bool:
    """Only a quality manager (đại diện lãnh đạo) whose reach covers the QMS approves."""
    access = for_user(user)
    if access.is_superuser:
        return True
    reach: set[int] = set()
    for unit_id, role in access.memberships:
        if role == Role.QUALITY_MANAGER:
            reach |= access.tree.descendants(unit_id, cross_qms=True)
    return programme.qms_root_id in reach


def independence_refusal(auditor, units: Iterable[OrgUnit]) -> str:
    """Why ``auditor`` may not audit ``units`` ("" when independent of all of them)."""
    tree = UnitTree.load()
    own = set(Membership.objects.filter(user=auditor).values_list("unit_id", flat=True))
    for unit in units:
        root = tree.qms_root(unit.pk)
        for current in tree.ancestors(unit.pk):
            if current in own:
                return (
                    f"Đánh giá viên {_display_name(auditor)} thuộc {tree.units[current].name} "
                    f"nên không được đánh giá {unit.name} (nguyên tắc độc lập: không đánh giá "
                    f"đơn vị của chính mình)."
                )
            if current == root:
                break
    return ""


def revision_refusal(auditor, revision) -> str:
    """Why ``auditor`` may not check ``revision`` ("" when they did not prepare it)."""
    if revision is not None and auditor is not None and revision.prepared_by_id == auditor.pk:
        return (
            f"Đánh giá viên {_display_name(auditor)} đã soạn thảo tài liệu {revision.code} "
            f"(lần ban hành {revision.number:02d}) nên không được đánh giá tài liệu này."
        )
    return ""


def can_join_audit_team(user, audit, auditor) -> tuple[bool, str]:
    """May ``user`` put ``auditor`` on ``audit``'s team? Returns (allowed, reason)."""
    if not can_plan_audit(user, audit.qms_root):
        return False, "Bạn không có quyền lập đoàn đánh giá cho hệ thống quản lý chất lượng này."
    units = list(audit.units.all())
    reach = audit_reach(auditor)
    if not auditor.is_active or not (
        audit.qms_root_id in reach and all(unit.pk in reach for unit in units)
    ):
        return False, (
            f"{_display_name(auditor)} không phải đánh giá viên nội bộ có phạm vi đánh giá "
            f"{audit.qms_root.name}."
        )
    reason = independence_refusal(auditor, units)
    return (not reason), reason


def is_on_audit_team(user, audit) -> bool:
    return bool(getattr(user, "pk", None)) and audit.members.filter(auditor=user).exists()


def is_lead_auditor(user, audit) -> bool:
    if not getattr(user, "pk", None):
        return False
    return audit.members.filter(auditor=user, role="lead").exists()


def can_manage_audit(user, audit) -> bool:
    """Change the plan, generate the checklist, open and close the audit: planners and the lead."""
    return can_plan_audit(user, audit.qms_root) or is_lead_auditor(user, audit)


def visible_audits(user, queryset: QuerySet) -> QuerySet:
    """Audits a user may see: reach (QM, auditors), team members, heads of the audited units."""
    from audits.models import AuditTeamMember

    access = for_user(user)
    if access.is_superuser:
        return queryset
    if not access.memberships:
        return queryset.none()
    audited = queryset.model.units.through.objects.filter(
        audit_id=OuterRef("pk"), orgunit_id__in=access.units_with_role(*UNIT_HEAD_ROLES)
    )
    on_team = AuditTeamMember.objects.filter(audit_id=OuterRef("pk"), auditor=access.user)
    return queryset.filter(Q(qms_root_id__in=audit_reach(user)) | Exists(audited) | Exists(on_team))


def can_view_audit(user, audit) -> bool:
    return visible_audits(user, type(audit).objects.filter(pk=audit.pk)).exists()


def can_record_checklist(user, item) -> tuple[bool, str]:
    """Team members fill in the checklist, except for revisions they prepared."""
    if not is_on_audit_team(user, item.audit):
        return False, "Chỉ thành viên đoàn đánh giá mới được ghi kết quả kiểm tra."
    reason = revision_refusal(user, item.revision)
    return (not reason), reason


def can_log_finding(user, audit, unit: OrgUnit) -> tuple[bool, str]:
    """In an audit: team members only. Outside audits (8.3): reach, unit heads, ISO secretary."""
    access = for_user(user)
    if audit is not None:
        if not is_on_audit_team(user, audit):
            return False, "Bạn không thuộc đoàn đánh giá này nên không được ghi nhận phát hiện."
        if not audit.units.filter(pk=unit.pk).exists():
            return False, f"{unit.name} không thuộc phạm vi của cuộc đánh giá này."
        return True, ""
    if (
        access.is_superuser
        or unit.pk in audit_reach(user)
        or access.has_role(unit.pk, Role.APPROVER, Role.CONTROLLER, Role.QUALITY_MANAGER)
    ):
        return True, ""
    return False, f"Bạn không có quyền ghi nhận điểm không phù hợp của {unit.name}."


def visible_findings(user, queryset: QuerySet) -> QuerySet:
    """Findings a user may see: reach (QM, auditors), the audit team, heads of the finding's unit
    (within their QMS: a district head never sees another district's), action owners."""
    from audits.models import AuditTeamMember, CorrectiveAction

    access = for_user(user)
    if access.is_superuser:
        return queryset
    if not access.memberships:
        return queryset.none()
    on_team = AuditTeamMember.objects.filter(audit_id=OuterRef("audit_id"), auditor=access.user)
    owns = CorrectiveAction.objects.filter(finding_id=OuterRef("pk"), owner=access.user)
    return queryset.filter(
        Q(unit_id__in=audit_reach(user))
        | Q(unit_id__in=access.units_with_role(*UNIT_HEAD_ROLES))
        | Exists(on_team)
        | Exists(owns)
    )


def can_view_finding(user, finding) -> bool:
    return visible_findings(user, type(finding).objects.filter(pk=finding.pk)).exists()


def can_answer_finding(user, finding_or_unit) -> bool:
    """The head of the unit (or its QMS's quality manager) acknowledges and plans actions."""
    unit_id = getattr(finding_or_unit, "unit_id", None) or getattr(finding_or_unit, "pk", None)
    return for_user(user).has_role(unit_id, *UNIT_HEAD_ROLES)


def visible_actions(user, queryset: QuerySet) -> QuerySet:
    access = for_user(user)
    if access.is_superuser:
        return queryset
    if not access.memberships:
        return queryset.none()
    return queryset.filter(
        Q(unit_id__in=audit_reach(user))
        | Q(unit_id__in=access.units_with_role(*UNIT_HEAD_ROLES))
        | Q(owner=access.user)
    )


def can_view_action(user, action) -> bool:
    return visible_actions(user, type(action).objects.filter(pk=action.pk)).exists()


def can_implement_action(user, action) -> bool:
    return getattr(user, "pk", None) == action.owner_id or can_answer_finding(user, action)


def can_verify_action(user, action) -> tuple[bool, str]:
    """Verification and the effectiveness check: an independent auditor or quality manager with
    reach over the unit, never the owner or the person who carried the action out."""
    access = for_user(user)
    if getattr(user, "pk", None) in {action.owner_id, action.implemented_by_id}:
        return False, "Không được tự xác nhận hành động khắc phục, phòng ngừa của chính mình."
    if not (access.is_superuser or action.unit_id in audit_reach(user)):
        return False, (
            "Chỉ đánh giá viên nội bộ hoặc đại diện lãnh đạo phụ trách đơn vị mới được xác nhận "
            "hành động khắc phục, phòng ngừa."
        )
    reason = independence_refusal(user, [action.unit])
    return (not reason), reason


def can_close_finding(user, finding) -> bool:
    """Closing and re-opening: auditors and quality managers with reach over the unit."""
    access = for_user(user)
    return access.is_superuser or finding.unit_id in audit_reach(user)
