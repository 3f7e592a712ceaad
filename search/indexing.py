"""Keeping the search index in step with the database (filled in by the search work).

Domain code calls ``schedule_document(document_id)`` whenever a document's issued revisions or
metadata change; the search app decides how and when the index is updated (after commit).
"""

from __future__ import annotations


def schedule_document(document_id: int) -> None:
    """Ask for the document's index entries to be refreshed after the current transaction."""
