"""Controlled documents: reading, drafting, reviewing, approving, withdrawing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from qms.access.core import (
    DOCUMENT_WORK_ROLES,
    EDITOR_ROLES,
    UnitTree,
    for_user,
)
from qms.models import Membership, OrgUnit, Role


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
