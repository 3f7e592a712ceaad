"""Keeping the search index in step with the database.

Domain code calls ``schedule_document(document_id)`` whenever a document's issued revisions or
metadata change (``documents.lifecycle`` does after issuing, superseding and withdrawing; the
signal handlers in ``search.apps`` cover saves elsewhere). The index is written only after the
transaction commits, through a django-tasks task, so a rolled-back change never reaches it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable

from django.db import transaction

logger = logging.getLogger(__name__)


def _enqueue(ids: list[int]) -> None:
    from search.tasks import refresh_documents

    try:
        result = refresh_documents.enqueue(ids)
    except Exception:
        # Enqueueing itself failed (task database unreachable): say so; verify finds the drift.
        logger.exception("could not enqueue search index update for documents %s", ids)
        return
    if result.status == "FAILED":
        # The ImmediateBackend swallows the exception after our task logged it.
        logger.error("search index update failed for documents %s", ids)


def schedule_documents(document_ids: Iterable[int]) -> None:
    """Refresh these documents' index entries once, after the current transaction commits."""
    ids = {int(pk) for pk in document_ids if pk is not None}
    if not ids:
        return
    # Bound now, run after commit: a rolled-back transaction (or savepoint) drops the callback
    # together with the change, so the index never sees what the database never kept.
    transaction.on_commit(functools.partial(_enqueue, sorted(ids)))


def schedule_document(document_id: int) -> None:
    """Ask for the document's index entries to be refreshed after the current transaction."""
    schedule_documents([document_id])
