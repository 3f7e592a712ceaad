"""State changes of controlled documents that touch several rows: one function each.

Every function here runs its own transaction and locks the document row first
(``select_for_update``), so two approvers clicking at once are serialised by the database; the
partial unique constraints on ``IssuedRevision`` are the last line of defence.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from documents.models import ControlledDocument, IssuedRevision


def _next_number(document: ControlledDocument) -> int:
    top = document.issued_revisions.aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def issue_revision(
    *,
    document: ControlledDocument,
    effective_from: datetime.date | None = None,
    approved_by=None,
    approved_by_name: str = "",
    approved_at: datetime.datetime | None = None,
    prepared_by=None,
    reviewed_by=None,
    reviewed_at: datetime.datetime | None = None,
    source_revision=None,
    number: int | None = None,
    signature_meaning: str = "",
    issued_outside_system: bool = False,
) -> IssuedRevision:
    """Record the document's working copy as its next issued revision (lần ban hành).

    With an effective date today or earlier the revision is current at once and the previous
    current revision is superseded (its ``effective_to`` = the new ``effective_from``) in the same
    transaction; with a later date it is recorded as approved, not yet in force, and
    ``bring_into_force`` switches it over on that date.
    """
    today = timezone.localdate()
    effective_from = effective_from or today
    approved_at = approved_at or timezone.now()
    with transaction.atomic():
        locked = ControlledDocument.objects.select_for_update().get(pk=document.pk)
        number = number or _next_number(locked)
        revision = IssuedRevision.objects.create(
            document=locked,
            number=number,
            status=IssuedRevision.Status.UPCOMING,
            source_revision=source_revision,
            code=document.code,
            title=document.title,
            change_summary=document.change_summary,
            file=document.file.name if document.file else "",
            file_name=document.file_name,
            file_sha256=document.file_sha256,
            file_size=document.file_size,
            page_count=document.page_count,
            text=document.text,
            extraction_status=document.extraction_status,
            prepared_by=prepared_by,
            reviewed_by=reviewed_by,
            reviewed_at=reviewed_at,
            approved_by=approved_by,
            approved_by_name=approved_by_name
            or (approved_by.get_full_name() or approved_by.get_username() if approved_by else ""),
            approved_at=approved_at,
            signature_meaning=signature_meaning,
            issued_outside_system=issued_outside_system,
            effective_from=effective_from,
        )
        if effective_from <= today:
            _make_current(locked, revision)
    return revision


def _make_current(document: ControlledDocument, revision: IssuedRevision) -> None:
    previous = IssuedRevision.objects.filter(
        document=document, status=IssuedRevision.Status.CURRENT
    ).first()
    if previous is not None:
        IssuedRevision.objects.filter(pk=previous.pk).update(
            status=IssuedRevision.Status.SUPERSEDED,
            effective_to=max(revision.effective_from, previous.effective_from),
        )
    IssuedRevision.objects.filter(pk=revision.pk).update(status=IssuedRevision.Status.CURRENT)
    revision.status = IssuedRevision.Status.CURRENT


def bring_into_force(today: datetime.date | None = None) -> list[IssuedRevision]:
    """Make every approved revision whose effective date has come the current one."""
    today = today or timezone.localdate()
    switched = []
    due = IssuedRevision.objects.filter(
        status=IssuedRevision.Status.UPCOMING, effective_from__lte=today
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            revision = IssuedRevision.objects.select_for_update().get(pk=pk)
            if revision.status != IssuedRevision.Status.UPCOMING:
                continue
            document = ControlledDocument.objects.select_for_update().get(pk=revision.document_id)
            _make_current(document, revision)
            switched.append(revision)
    return switched
