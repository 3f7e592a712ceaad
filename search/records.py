"""What the index holds for one issued revision, read from the database (the truth).

Both backends index the same ``IndexRecord``s and store their ``fingerprint``; ``verify`` recomputes
the fingerprints from the database and reports every revision whose entry is missing or differs.
Metadata that decides who may read a hit (unit, QMS root, visibility, units it applies to) comes
from the document as it is now, not from the revision: permissions follow today's settings.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from documents.models import ControlledDocument, IssuedRevision

# Bump when the indexed fields or their analysis change: every backend then rebuilds.
SCHEMA_VERSION = 3

DEFAULT_STATUSES = (IssuedRevision.Status.CURRENT, IssuedRevision.Status.UPCOMING)
HISTORY_STATUSES = (IssuedRevision.Status.SUPERSEDED, IssuedRevision.Status.OBSOLETE)


@dataclass(frozen=True)
class IndexRecord:
    revision_id: int
    document_id: int
    code: str
    title: str
    text: str
    status: str
    number: int
    effective_from: datetime.date
    effective_to: datetime.date | None
    unit_id: int
    qms_root_id: int
    visibility: str
    kind: str
    issued: bool
    applies_to: tuple[int, ...]
    clauses: tuple[str, ...]

    @property
    def fingerprint(self) -> str:
        parts = [
            str(SCHEMA_VERSION),
            str(self.revision_id),
            str(self.document_id),
            self.code,
            self.title,
            self.status,
            str(self.number),
            self.effective_from.isoformat(),
            self.effective_to.isoformat() if self.effective_to else "",
            str(self.unit_id),
            str(self.qms_root_id),
            self.visibility,
            self.kind,
            "1" if self.issued else "0",
            ",".join(map(str, self.applies_to)),
            ",".join(self.clauses),
            hashlib.sha1(  # noqa: S324 (change detection, not security)
                self.text.encode("utf-8", "surrogatepass")
            ).hexdigest(),
        ]
        return hashlib.sha1(  # noqa: S324 (change detection, not security)
            "\x1f".join(parts).encode("utf-8", "surrogatepass")
        ).hexdigest()


def _records(revisions, documents: dict[int, ControlledDocument]) -> Iterator[IndexRecord]:
    for revision in revisions:
        document = documents[revision.document_id]
        yield IndexRecord(
            revision_id=revision.pk,
            document_id=document.pk,
            code=revision.code,
            title=revision.title,
            text=revision.text or "",
            status=revision.status,
            number=revision.number,
            effective_from=revision.effective_from,
            effective_to=revision.effective_to,
            unit_id=document.unit_id,
            qms_root_id=document.qms_root_id,
            visibility=document.visibility,
            kind=document.kind,
            issued=document.first_published_at is not None,
            applies_to=tuple(sorted(unit.pk for unit in document.applies_to.all())),
            clauses=tuple(sorted(clause.number for clause in document.iso_clauses.all())),
        )


def iter_records(document_ids: Iterable[int] | None = None, chunk: int = 500):
    """Records of every issued revision (or of those documents), read in bounded chunks."""
    documents = ControlledDocument.objects.all()
    if document_ids is not None:
        documents = documents.filter(pk__in=list(document_ids))
    doc_ids = list(
        documents.filter(issued_revisions__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(doc_ids), chunk):
        batch = doc_ids[start : start + chunk]
        docs = {
            doc.pk: doc
            for doc in ControlledDocument.objects.filter(pk__in=batch)
            .only("pk", "unit_id", "qms_root_id", "visibility", "kind", "first_published_at")
            .prefetch_related("applies_to", "iso_clauses")
        }
        revisions = IssuedRevision.objects.filter(document_id__in=batch).order_by("pk")
        yield from _records(revisions.iterator(chunk_size=chunk), docs)


def expected_fingerprints() -> dict[int, str]:
    """revision id → fingerprint, for every issued revision in the database."""
    return {record.revision_id: record.fingerprint for record in iter_records()}
