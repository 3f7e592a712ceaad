"""Distribution, read acknowledgements, periodic review, change requests (4.2.3 b, d, g)."""

from __future__ import annotations

from qms.access.core import (
    UnitTree,
    for_user,
)
from qms.access.documents import (
    _is_issued,
    can_view_document,
)
from qms.models import Membership, Role

# The ISO secretary (controller) of the owning unit registers and recalls controlled copies,
# carries out periodic reviews and answers change requests. Anybody who may read an issued
# document may ask for a change. Read acknowledgements are asked of every member of the owning
# unit's scope and of the units the document applies to (and the units below them).

COVERAGE_ROLES = frozenset({Role.CONTROLLER, Role.APPROVER, Role.QUALITY_MANAGER})


def can_register_copies(user, document) -> bool:
    """Registering and recalling controlled copies: the ISO secretary of the owning unit."""
    return for_user(user).has_role(document.unit_id, Role.CONTROLLER)


def can_review_periodically(user, document) -> bool:
    """Periodic review (confirm unchanged / start a revision): the owning unit's ISO secretary."""
    return for_user(user).has_role(document.unit_id, Role.CONTROLLER)


def can_answer_change_request(user, document) -> bool:
    """Accepting or declining a change request: the owning unit's ISO secretary."""
    return for_user(user).has_role(document.unit_id, Role.CONTROLLER)


def controlled_units(user) -> set[int]:
    """Units whose documents ``user`` controls (registers, reviews, answers requests for)."""
    access = for_user(user)
    if access.is_superuser:
        return set(access.tree.units)
    return access.units_with_role(Role.CONTROLLER)


def distribution_record_units(user) -> set[int]:
    """Units whose distribution records (controlled copies, change requests, periodic reviews)
    ``user`` may read in the admin: the units where they are ISO secretary, head or quality
    manager, and the read-only oversight reach of quality managers and auditors. Acting on the
    records stays with the owning unit's secretary (``can_register_copies`` and the others)."""
    access = for_user(user)
    if access.is_superuser:
        return set(access.tree.units)
    return access.units_with_role(*COVERAGE_ROLES) | access.oversight_units


def can_request_change(user, document) -> bool:
    """Any signed-in member who may read the issued document may ask for a change to it."""
    access = for_user(user)
    if not access.is_authenticated or not (access.memberships or access.is_superuser):
        return False
    return _is_issued(document) and can_view_document(user, document)


def can_acknowledge(user, acknowledgement) -> bool:
    """Only the person asked confirms they have read a revision."""
    return bool(getattr(user, "is_authenticated", False)) and acknowledgement.user_id == user.pk


def coverage_units(user, document) -> set[int] | None:
    """Units whose acknowledgement lists ``user`` may see for ``document``.

    ``None`` means every unit: the owning unit's secretary, head and quality manager, and those
    with oversight. Otherwise the units where the user is secretary, head or quality manager
    (each unit sees who of its own people has and has not read the revision); may be empty.
    """
    access = for_user(user)
    if access.is_superuser or access.has_role(document.unit_id, *COVERAGE_ROLES):
        return None
    if document.unit_id in access.oversight_units:
        return None
    return access.units_with_role(*COVERAGE_ROLES)


def acknowledgement_audience(document) -> dict[int, int]:
    """Who is asked to confirm reading ``document``: ``{user_id: unit_id}``.

    Members of the owning unit and the units below it within its QMS, and members of every unit
    the document applies to and the units below it (a province-wide document applied to the
    department reaches every district office). A person in several of these units is asked once,
    through the unit nearest the document's own.
    """
    tree = UnitTree.load()
    ordered: list[int] = []
    own = tree.descendants(document.unit_id, cross_qms=False)
    ordered.extend(sorted(own))
    for unit in document.applies_to.all():
        ordered.extend(sorted(tree.descendants(unit.pk, cross_qms=True) - set(ordered)))
    rank = {unit_id: index for index, unit_id in enumerate(dict.fromkeys(ordered))}
    audience: dict[int, int] = {}
    members = Membership.objects.filter(unit_id__in=list(rank), user__is_active=True)
    for user_id, unit_id in members.values_list("user_id", "unit_id"):
        if user_id not in audience or rank[unit_id] < rank[audience[user_id]]:
            audience[user_id] = unit_id
    return audience
