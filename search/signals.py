"""Re-index a document when its register rows or its permission metadata change.

``documents.lifecycle`` schedules the index itself; these handlers catch every other path
(admin edits of visibility or units, fixtures, bulk scripts that save rows). Status changes made
with ``QuerySet.update()`` send no signal: that is why lifecycle calls ``schedule_document``.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_save

from search.indexing import schedule_document


def _revision_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_document(instance.document_id)


def _document_saved(sender, instance, raw=False, **kwargs):
    # Only documents already in the register have index entries to refresh.
    if not raw and instance.first_published_at is not None:
        schedule_document(instance.pk)


def _document_m2m_changed(sender, instance, action, **kwargs):
    # Only the document side (instance is a document) and only documents already issued.
    issued = getattr(instance, "first_published_at", None) is not None
    if action in {"post_add", "post_remove", "post_clear"} and issued:
        schedule_document(instance.pk)


def connect() -> None:
    from documents.models import ControlledDocument, IssuedRevision

    post_save.connect(_revision_saved, sender=IssuedRevision, dispatch_uid="search_revision")
    post_save.connect(_document_saved, sender=ControlledDocument, dispatch_uid="search_document")
    for through in (ControlledDocument.applies_to.through, ControlledDocument.iso_clauses.through):
        m2m_changed.connect(
            _document_m2m_changed, sender=through, dispatch_uid=f"search_m2m_{through.__name__}"
        )
