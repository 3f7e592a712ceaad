"""The one place that answers "may this user do X to this object?".

Rules (ARCHITECTURE §3):

* A role held in a unit applies to that unit and its descendants *inside the same QMS*. A
  descendant that runs its own QMS (a district office) is a boundary: roles from above stop there.
* The department's quality manager and auditors keep read-only oversight of every QMS below
  their own (rollout dashboards, audits of the district offices).
* Documents are read by: anyone when public; holders of any role in the owning unit's scope;
  every member of the same QMS when the document is internal; the members of every unit a
  document applies to (and of the units below it — a province-wide document applies to the
  department root and so reaches every district office).
* Separation of duties: nobody reviews or approves a revision they prepared (documents.workflow),
  an auditor never audits a unit they belong to (audits).

Views, the API, search filtering and the Wagtail permission policies all call this module; none of
them decides on its own. Decisions are computed from one small cached picture of the unit tree and
the user's memberships (``UserAccess``), so a page asks the database a bounded number of times.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Exists, OuterRef, Q, QuerySet

from qms.models import Membership, OrgUnit, Role

EDITOR_ROLES = frozenset({Role.AUTHOR, Role.CONTROLLER})
DOCUMENT_WORK_ROLES = frozenset(
    {Role.AUTHOR, Role.REVIEWER, Role.APPROVER, Role.CONTROLLER, Role.QUALITY_MANAGER}
)
OVERSIGHT_ROLES = frozenset({Role.QUALITY_MANAGER, Role.AUDITOR})
ADMIN_ROLES = frozenset(set(Role) - {Role.STAFF})


@dataclass
class UnitTree:
    """The organisation tree in memory: parents, children, QMS roots."""

    units: dict[int, OrgUnit]
    children: dict[int | None, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> UnitTree:
        units = {unit.pk: unit for unit in OrgUnit.objects.all()}
        tree = cls(units=units)
        for unit in units.values():
            tree.children.setdefault(unit.parent_id, []).append(unit.pk)
        return tree

    def ancestors(self, unit_id: int, include_self: bool = True) -> list[int]:
        chain, current = [], unit_id if include_self else self.units[unit_id].parent_id
        while current is not None:
            chain.append(current)
            current = self.units[current].parent_id
        return chain

    def qms_root(self, unit_id: int) -> int:
        for current in self.ancestors(unit_id):
            if self.units[current].runs_own_qms:
                return current
        return unit_id

    def descendants(self, unit_id: int, cross_qms: bool) -> set[int]:
        """``unit_id`` and the units below it; stop at another QMS unless ``cross_qms``."""
        found, stack = {unit_id}, list(self.children.get(unit_id, []))
        while stack:
            current = stack.pop()
            if not cross_qms and self.units[current].runs_own_qms:
                continue
            found.add(current)
            stack.extend(self.children.get(current, []))
        return found


class UserAccess:
    """What one user may do, computed once per user object (cached on it for the request)."""

    def __init__(self, user):
        self.user = user
        self.is_authenticated = bool(getattr(user, "is_authenticated", False))
        self.is_superuser = self.is_authenticated and user.is_active and user.is_superuser

    @cached_property
    def tree(self) -> UnitTree:
        return UnitTree.load()

    @cached_property
    def memberships(self) -> list[tuple[int, str]]:
        if not self.is_authenticated or not self.user.is_active:
            return []
        return list(Membership.objects.filter(user=self.user).values_list("unit_id", "role"))

    @cached_property
    def _scopes(self) -> dict[str, set[int]]:
        scopes: dict[str, set[int]] = {}
        for unit_id, role in self.memberships:
            scopes.setdefault(role, set()).update(self.tree.descendants(unit_id, cross_qms=False))
        return scopes

    def units_with_role(self, *roles: str) -> set[int]:
        """Units where one of ``roles`` applies (within the QMS of the unit it was given in)."""
        found: set[int] = set()
        for role in roles or tuple(Role):
            found |= self._scopes.get(role, set())
        return found

    @cached_property
    def member_units(self) -> set[int]:
        return {unit_id for unit_id, _role in self.memberships}

    @cached_property
    def any_role_units(self) -> set[int]:
        return self.units_with_role(*Role)

    @cached_property
    def oversight_units(self) -> set[int]:
        """Read-only reach of quality managers and auditors: their whole subtree, across QMSs."""
        found: set[int] = set()
        for unit_id, role in self.memberships:
            if role in OVERSIGHT_ROLES:
                found |= self.tree.descendants(unit_id, cross_qms=True)
        return found

    @cached_property
    def qms_roots(self) -> set[int]:
        return {self.tree.qms_root(unit_id) for unit_id in self.member_units}

    @cached_property
    def ancestor_units(self) -> set[int]:
        """Every unit above (or equal to) a unit the user belongs to, across QMSs."""
        found: set[int] = set()
        for unit_id in self.member_units:
            found.update(self.tree.ancestors(unit_id))
        return found

    def roles_at(self, unit_id: int) -> set[str]:
        return {role for role, units in self._scopes.items() if unit_id in units}

    def has_role(self, unit_id: int | None, *roles: str) -> bool:
        if unit_id is None:
            return False
        if self.is_superuser:
            return True
        return bool(self.roles_at(unit_id) & set(roles))

    def has_role_anywhere(self, *roles: str) -> bool:
        return self.is_superuser or any(role in roles for _unit, role in self.memberships)


def for_user(user) -> UserAccess:
    """The cached access picture of ``user`` (anonymous users get an empty one)."""
    if user is None:
        return UserAccess(None)
    cached = getattr(user, "_qms_access", None)
    if cached is None:
        cached = UserAccess(user)
        # AnonymousUser refuses new attributes; its empty picture is cheap to rebuild.
        with contextlib.suppress(AttributeError):
            user._qms_access = cached
    return cached


def forget(user) -> None:
    """Drop the cached picture (after memberships change within one request or test)."""
    if hasattr(user, "_qms_access"):
        del user._qms_access


# --- Organisation -------------------------------------------------------------------------


def can_access_admin(user) -> bool:
    access = for_user(user)
    return access.is_superuser or any(role in ADMIN_ROLES for _u, role in access.memberships)


def visible_units(user, queryset: QuerySet | None = None) -> QuerySet:
    """Units a user may see: all of them for any member (the tree is not secret), none otherwise."""
    queryset = queryset if queryset is not None else OrgUnit.objects.all()
    access = for_user(user)
    if access.is_superuser or access.memberships:
        return queryset
    return queryset.none()


def can_manage_unit(user, unit: OrgUnit | None) -> bool:
    """Units are created and changed by the quality manager above them (or a superuser)."""
    access = for_user(user)
    if access.is_superuser:
        return True
    if unit is None or unit.pk is None:
        return access.has_role_anywhere(Role.QUALITY_MANAGER)
    anchor = unit.parent_id or unit.pk
    return access.has_role(anchor, Role.QUALITY_MANAGER) or access.has_role(
        unit.pk, Role.QUALITY_MANAGER
    )


def can_manage_memberships(user, unit: OrgUnit | None) -> bool:
    """Roles inside a unit are assigned by the quality manager of its QMS."""
    access = for_user(user)
    if access.is_superuser:
        return True
    if unit is None:
        return access.has_role_anywhere(Role.QUALITY_MANAGER)
    return access.has_role(unit.pk, Role.QUALITY_MANAGER)


def manageable_units(user) -> QuerySet:
    access = for_user(user)
    if access.is_superuser:
        return OrgUnit.objects.all()
    return OrgUnit.objects.filter(pk__in=access.units_with_role(Role.QUALITY_MANAGER))


def manageable_memberships(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = queryset if queryset is not None else Membership.objects.all()
    access = for_user(user)
    if access.is_superuser:
        return queryset
    return queryset.filter(unit_id__in=access.units_with_role(Role.QUALITY_MANAGER))


# --- Documents ----------------------------------------------------------------------------


def _is_issued(document) -> bool:
    return document.first_published_at is not None


def can_view_document(user, document) -> bool:
    """May ``user`` open ``document`` (its page, metadata and current file)?"""
    access = for_user(user)
    if access.is_superuser:
        return True
    if document.pk is None:
        return False
    if can_work_on_document(user, document) or document.unit_id in access.oversight_units:
        return True
    if not _is_issued(document):
        return False
    if document.visibility == document.Visibility.PUBLIC:
        return True
    if not access.memberships:
        return False
    if document.unit_id in access.any_role_units:
        return True
    if (
        document.visibility == document.Visibility.INTERNAL
        and document.qms_root_id in access.qms_roots
    ):
        return True
    applies_to = {unit.pk for unit in document.applies_to.all()}
    return bool(applies_to & access.ancestor_units)


def visible_documents(user, queryset: QuerySet) -> QuerySet:
    """Narrow a ControlledDocument queryset to what ``user`` may view (same rules as above)."""
    access = for_user(user)
    if access.is_superuser:
        return queryset
    model = queryset.model
    issued = Q(first_published_at__isnull=False)
    allowed = issued & Q(visibility=model.Visibility.PUBLIC)
    if access.memberships:
        applies = model.applies_to.through.objects.filter(
            **{
                f"{model._meta.model_name}_id": OuterRef("pk"),
                "orgunit_id__in": access.ancestor_units,
            }
        )
        allowed |= Q(unit_id__in=access.units_with_role(*DOCUMENT_WORK_ROLES))
        allowed |= Q(unit_id__in=access.oversight_units)
        allowed |= issued & Q(unit_id__in=access.any_role_units)
        allowed |= issued & Q(
            visibility=model.Visibility.INTERNAL, qms_root_id__in=access.qms_roots
        )
        allowed |= issued & Exists(applies)
    return queryset.filter(allowed)


@dataclass(frozen=True)
class DocumentReadScope:
    """``visible_documents`` as plain sets, for filters outside the ORM (the search index).

    A document is readable when ``everything``; or it is issued and public; or its unit is in
    ``work_units`` (drafts included); or it is issued and its unit is in ``role_units``, or it is
    internal and its QMS root is in ``internal_roots``, or it applies to a unit in
    ``applies_units``.
    """

    everything: bool = False
    work_units: frozenset[int] = frozenset()
    role_units: frozenset[int] = frozenset()
    internal_roots: frozenset[int] = frozenset()
    applies_units: frozenset[int] = frozenset()


def document_read_scope(user) -> DocumentReadScope:
    """The sets a search index filters on; mirrors ``visible_documents`` rule for rule."""
    access = for_user(user)
    if access.is_superuser:
        return DocumentReadScope(everything=True)
    if not access.memberships:
        return DocumentReadScope()
    return DocumentReadScope(
        work_units=frozenset(access.units_with_role(*DOCUMENT_WORK_ROLES) | access.oversight_units),
        role_units=frozenset(access.any_role_units),
        internal_roots=frozenset(access.qms_roots),
        applies_units=frozenset(access.ancestor_units),
    )


def can_work_on_document(user, document) -> bool:
    """Holders of a document-control role in the owning unit see drafts and history."""
    return for_user(user).has_role(document.unit_id, *DOCUMENT_WORK_ROLES)


def can_create_document(user, unit: OrgUnit | int | None = None) -> bool:
    access = for_user(user)
    if unit is None:
        return access.has_role_anywhere(*EDITOR_ROLES)
    return access.has_role(getattr(unit, "pk", unit), *EDITOR_ROLES)


def creatable_units(user) -> QuerySet:
    access = for_user(user)
    if access.is_superuser:
        return OrgUnit.objects.all()
    return OrgUnit.objects.filter(pk__in=access.units_with_role(*EDITOR_ROLES))


def can_edit_document(user, document) -> bool:
    """Drafting a new revision or changing metadata: authors and the ISO secretary of the unit."""
    return for_user(user).has_role(document.unit_id, *EDITOR_ROLES)


def can_review_document(user, document, prepared_by_id: int | None = None) -> bool:
    access = for_user(user)
    if prepared_by_id is not None and prepared_by_id == getattr(user, "pk", None):
        return False
    return access.has_role(document.unit_id, Role.REVIEWER)


def can_approve_document(user, document, prepared_by_id: int | None = None) -> bool:
    access = for_user(user)
    if prepared_by_id is not None and prepared_by_id == getattr(user, "pk", None):
        return False
    return access.has_role(document.unit_id, Role.APPROVER)


def can_withdraw_document(user, document) -> bool:
    return for_user(user).has_role(document.unit_id, Role.CONTROLLER, Role.APPROVER)


def can_download_original(user, document) -> bool:
    """The unstamped original is for the ISO secretary and approvers of the owning unit."""
    return for_user(user).has_role(document.unit_id, Role.CONTROLLER, Role.APPROVER)


def users_with_role_at(unit_id: int, roles: Iterable[str]) -> QuerySet:
    """People holding one of ``roles`` that applies at ``unit_id`` (for notifications)."""
    from django.contrib.auth import get_user_model

    tree = UnitTree.load()
    holders: set[int] = set()
    # A role applies at unit_id when held in an ancestor inside the same QMS (or the unit itself).
    root = tree.qms_root(unit_id)
    chain = []
    for current in tree.ancestors(unit_id):
        chain.append(current)
        if current == root:
            break
    holders = set(
        Membership.objects.filter(unit_id__in=chain, role__in=list(roles)).values_list(
            "user_id", flat=True
        )
    )
    return get_user_model().objects.filter(pk__in=holders, is_active=True)


# --- Django auth backend ------------------------------------------------------------------


class RoleBackend:
    """Model-level permissions derived from roles, so nobody maintains Django groups by hand.

    Object-level decisions stay in the functions above; this only opens the right menus.
    """

    MODEL_PERMS = {
        "documents": {
            "add": EDITOR_ROLES,
            "change": DOCUMENT_WORK_ROLES,
            "view": DOCUMENT_WORK_ROLES | OVERSIGHT_ROLES,
            "publish": frozenset({Role.APPROVER}),
            "lock": DOCUMENT_WORK_ROLES,
            "unlock": frozenset({Role.CONTROLLER}),
        },
        "qms": {
            "add": frozenset({Role.QUALITY_MANAGER}),
            "change": frozenset({Role.QUALITY_MANAGER}),
            "view": frozenset({Role.QUALITY_MANAGER}),
            "delete": frozenset({Role.QUALITY_MANAGER}),
        },
    }

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not getattr(user_obj, "is_active", False) or obj is not None:
            return False
        if perm == "wagtailadmin.access_admin":
            return can_access_admin(user_obj)
        app_label, _, codename = perm.partition(".")
        action = codename.split("_", 1)[0]
        roles = self.MODEL_PERMS.get(app_label, {}).get(action)
        if not roles:
            return False
        if app_label == "qms" and not codename.endswith(("_orgunit", "_membership")):
            return False
        return for_user(user_obj).has_role_anywhere(*roles)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return app_label in self.MODEL_PERMS and can_access_admin(user_obj)


# --- Internal audits, findings, actions (ISO 9001:2008 8.2.2, 8.3, 8.5.2, 8.5.3) ---------------
#
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
