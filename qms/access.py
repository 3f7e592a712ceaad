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
