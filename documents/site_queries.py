"""What the staff site lists: the library a user may read, as querysets of bounded cost.

Every function narrows through ``qms.access.visible_documents`` (the only place that decides who
reads what) and prefetches the current revision, so a page asks the database the same number of
times whether the library holds five documents or five thousand.

ISO 9001:2008 4.2.3 g — a superseded or obsolete revision is never offered as current: lists hold
documents that have a revision in force and show that revision only; "recent changes" lists
current and approved-not-yet-in-force revisions, each labelled.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from documents.models import ControlledDocument, IssuedRevision
from qms import access

# Attribute the library queryset prefetches the current revision into (a list of 0 or 1).
CURRENT_ATTR = "site_current_revisions"


def current_of(document: ControlledDocument) -> IssuedRevision | None:
    """The revision in force of a document from ``library()`` (no query: it was prefetched)."""
    prefetched = getattr(document, CURRENT_ATTR, None)
    if prefetched is None:
        return IssuedRevision.objects.current().filter(document=document).first()
    return prefetched[0] if prefetched else None


def library(user) -> QuerySet:
    """Documents ``user`` may read that have a revision in force, with that revision prefetched.

    Each document gets ``current`` (the IssuedRevision in force) after evaluation through
    ``current_of``; the owning unit is joined.
    """
    in_force = IssuedRevision.objects.current().filter(document=OuterRef("pk"))
    queryset = (
        ControlledDocument.objects.filter(Exists(in_force))
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "issued_revisions",
                queryset=IssuedRevision.objects.current().only(
                    "pk", "document_id", "number", "status", "effective_from", "file"
                ),
                to_attr=CURRENT_ATTR,
            )
        )
        .in_reading_order()
    )
    return access.visible_documents(user, queryset)


def my_unit_documents(user) -> QuerySet:
    """ "Tài liệu áp dụng cho đơn vị tôi": the unit's own documents plus those that apply to it.

    A document applies to a unit when its ``applies_to`` names the unit or a unit above it, so the
    department's province-wide documents (applied to the department itself) reach every office.
    Anonymous users and people with no unit get nothing.
    """
    picture = access.for_user(user)
    if not picture.member_units:
        return library(user).none()
    applies = ControlledDocument.applies_to.through.objects.filter(
        controlleddocument_id=OuterRef("pk"), orgunit_id__in=picture.ancestor_units
    )
    return library(user).filter(Q(unit_id__in=picture.member_units) | Exists(applies))


def readable_document_ids(user) -> QuerySet:
    """A subquery of the ids of the documents ``user`` may read (issued or not)."""
    return access.visible_documents(user, ControlledDocument.objects.all()).values("pk")


def recent_revisions(user, limit: int = 30) -> list[IssuedRevision]:
    """Recently issued revisions the user may read, newest first (current or upcoming only)."""
    return list(
        IssuedRevision.objects.filter(
            status__in=[IssuedRevision.Status.CURRENT, IssuedRevision.Status.UPCOMING],
            document__in=readable_document_ids(user),
        )
        .select_related("document", "document__unit")
        .order_by("-approved_at", "-pk")[:limit]
    )


def in_force_on(user, day: datetime.date) -> QuerySet:
    """The library as it stood on ``day``: one revision per document that was in force then.

    Code and title come from the revision itself (as issued), not from today's document row.
    """
    return (
        IssuedRevision.objects.in_force_on(day)
        .filter(document__in=readable_document_ids(user))
        .select_related("document", "document__unit")
        .order_by("code", "document_id")
    )
