"""ninja schemas of the documents API (read side; write endpoints reuse them).

The schemas read plain model instances. Values that need another row (the current issued
revision) come from a prefetched attribute when the queryset was built with
``documents.api.document_queryset`` and are fetched one by one otherwise, so a schema stays
correct whatever queryset it is given — it is only faster with the prefetch.
"""

from __future__ import annotations

import datetime

from ninja import Schema

from documents.models import ControlledDocument, DocumentKind, ExtractionStatus, IssuedRevision

# Name of the attribute the API queryset prefetches the current revision into (a list of 0 or 1).
CURRENT_REVISIONS_ATTR = "api_current_revisions"
# Name of the attribute a view may set to describe the file the caller would actually download.
FILE_INFO_ATTR = "api_file"


def current_revision_of(document: ControlledDocument) -> IssuedRevision | None:
    """The issued revision in force (status current), from the prefetch when there is one."""
    prefetched = getattr(document, CURRENT_REVISIONS_ATTR, None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    if document.pk is None:
        return None
    return IssuedRevision.objects.current().filter(document=document).first()


class UnitRef(Schema):
    id: int
    name: str


class UnitOut(Schema):
    """An organisation unit as the API shows it."""

    id: int
    name: str
    short_code: str
    kind: str
    kind_label: str
    parent_id: int | None
    runs_own_qms: bool
    qms_root_id: int

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_qms_root_id(obj) -> int:
        # qms.api_org sets this from the cached unit tree; elsewhere walk the parents.
        root_id = getattr(obj, "api_qms_root_id", None)
        return root_id if root_id is not None else obj.qms_root.pk


class DocumentRef(Schema):
    id: int
    code: str
    title: str


class IsoClauseOut(Schema):
    number: str
    title: str


class FileInfo(Schema):
    """The file behind a document; ``extraction_label`` says in Vietnamese what reading it gave."""

    file_name: str
    size: int | None
    sha256: str
    page_count: int | None
    extraction_status: str
    extraction_label: str


def file_info(source) -> dict | None:
    """FileInfo fields of a ControlledDocument (working copy) or an IssuedRevision."""
    if not source.file:
        return None
    size = getattr(source, "file_size", None)
    status = source.extraction_status or ExtractionStatus.NO_FILE
    return {
        "file_name": source.file_name or source.file.name.rsplit("/", 1)[-1],
        "size": size,
        "sha256": source.file_sha256,
        "page_count": source.page_count,
        "extraction_status": status,
        "extraction_label": str(ExtractionStatus(status).label),
    }


class DocumentOut(Schema):
    """One line of the document list."""

    id: int
    code: str
    title: str
    kind: str
    kind_label: str
    unit: UnitRef
    status: str
    status_label: str
    visibility: str
    current_revision: int | None
    effective_from: datetime.date | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(DocumentKind(obj.kind).label) if obj.kind in DocumentKind.values else obj.kind

    @staticmethod
    def resolve_status(obj) -> str:
        return str(obj.status)

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.status_label)

    @staticmethod
    def resolve_current_revision(obj) -> int | None:
        revision = current_revision_of(obj)
        return revision.number if revision else None

    @staticmethod
    def resolve_effective_from(obj) -> datetime.date | None:
        revision = current_revision_of(obj)
        return revision.effective_from if revision else None


class DocumentDetailOut(DocumentOut):
    """A document with its classification, scope, external-origin fields and file."""

    parent: DocumentRef | None
    iso_clauses: list[IsoClauseOut]
    applies_to: list[UnitRef]
    official_number: str
    issuing_body: str
    issued_on: datetime.date | None
    external_effective_on: datetime.date | None
    legal_status: str
    legal_status_label: str
    file: FileInfo | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_iso_clauses(obj) -> list:
        return list(obj.iso_clauses.all())

    @staticmethod
    def resolve_applies_to(obj) -> list:
        return list(obj.applies_to.all())

    @staticmethod
    def resolve_legal_status_label(obj) -> str:
        if obj.legal_status in ControlledDocument.LegalStatus.values:
            return str(ControlledDocument.LegalStatus(obj.legal_status).label)
        return ""

    @staticmethod
    def resolve_file(obj) -> dict | None:
        # A view sets FILE_INFO_ATTR to the file this caller would download (the revision in
        # force for readers); without it the working copy is described.
        if hasattr(obj, FILE_INFO_ATTR):
            return getattr(obj, FILE_INFO_ATTR)
        return file_info(obj)
