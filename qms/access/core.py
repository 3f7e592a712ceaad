"""The picture every decision starts from: the unit tree and one user's roles, cached."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from functools import cached_property

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
