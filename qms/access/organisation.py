"""Units and memberships: who may see and manage the organisation."""

from __future__ import annotations

from django.db.models import QuerySet

from qms.access.core import (
    ADMIN_ROLES,
    for_user,
)
from qms.models import Membership, OrgUnit, Role


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
