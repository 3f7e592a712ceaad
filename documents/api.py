"""Controlled documents in the JSON API: the read side (write endpoints: documents.api_actions).

Both endpoints are open to anonymous callers, who see documents marked public once issued
(administrative procedures published for citizens); everyone else sees exactly what
``qms.access`` lets them open in the admin and the file view. A document a signed-in caller may
not view answers 404, like one that does not exist; an anonymous caller gets 401 for both.
"""

from __future__ import annotations

import datetime
import re
from typing import NoReturn

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from ninja import Router
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import PageNumberPagination, paginate

from documents.models import ControlledDocument, DocumentKind, IssuedRevision
from documents.schemas import (
    CURRENT_REVISIONS_ATTR,
    FILE_INFO_ATTR,
    DocumentDetailOut,
    DocumentOut,
    current_revision_of,
    file_info,
)
from qms import access
from qms.api import PUBLIC
from qms.models import nfc

router = Router(tags=["Tài liệu"])

PAGE_SIZE = 50
# The statuses a document can be filtered by (ControlledDocument.status never says in_review).
FILTER_STATUSES = (
    ControlledDocument.Status.DRAFT,
    ControlledDocument.Status.IN_FORCE,
    ControlledDocument.Status.WITHDRAWN,
)
MAX_QUERY_LENGTH = 200


def document_queryset(as_of: datetime.date | None = None) -> QuerySet:
    """Documents with what the schemas read, in a fixed number of queries whatever the count.

    With ``as_of`` the "current" revision prefetched is the one in force on that day.
    """
    revisions = (
        IssuedRevision.objects.in_force_on(as_of)
        if as_of is not None
        else IssuedRevision.objects.current()
    )
    return ControlledDocument.objects.select_related("unit").prefetch_related(
        Prefetch("issued_revisions", queryset=revisions, to_attr=CURRENT_REVISIONS_ATTR)
    )


def _text_filter(text: str) -> Q:
    """Case-insensitive match on code or title.

    SQLite's LIKE folds ASCII letters only ("Đ" ≠ "đ", "KIỂM" ≠ "kiểm"), but its REGEXP is
    Python's ``re`` (registered by Django), whose ``(?i)`` folds every Vietnamese letter.
    PostgreSQL's ILIKE-style ``icontains`` compares with UPPER(), which is Unicode-aware.
    """
    if connection.vendor == "sqlite":
        pattern = re.escape(text)
        return Q(code__iregex=pattern) | Q(title__iregex=pattern)
    return Q(code__icontains=text) | Q(title__icontains=text)


def _bad_filter(message: str) -> NoReturn:
    raise HttpError(400, message)


@router.get(
    "",
    response=list[DocumentOut],
    auth=PUBLIC,
    summary="Danh sách tài liệu",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_documents(
    request,
    unit: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    q: str | None = None,
    as_of: str | None = None,
):
    """Documents the caller may view, filtered by owning unit, kind, status and text in code/title.

    ``status`` is one of draft, in_force, withdrawn; ``kind`` one of the document kinds.
    ``as_of=YYYY-MM-DD`` lists what was in force on that day, with the revision in force then.
    """
    # A plain string parsed here: @paginate's wrapper hides this module from ninja's type
    # resolution, and a bad date deserves the same Vietnamese 400 as the other filters.
    day = None
    if as_of:
        try:
            day = datetime.date.fromisoformat(as_of)
        except ValueError:
            _bad_filter(f"Ngày không hợp lệ: “{as_of}”. Dùng dạng YYYY-MM-DD, ví dụ 2012-08-01.")
    documents = access.visible_documents(request.user, document_queryset(day))
    if day is not None:
        # Point in time (4.2.3 c): the documents that had a revision in force on that day,
        # each with that revision's number and effective date.
        documents = documents.in_force_on(day)
    if unit is not None:
        documents = documents.filter(unit_id=unit)
    if kind:
        if kind not in DocumentKind.values:
            _bad_filter(
                f"Loại tài liệu không hợp lệ: “{kind}”. Dùng: {', '.join(DocumentKind.values)}."
            )
        documents = documents.filter(kind=kind)
    if status:
        if status not in FILTER_STATUSES:
            _bad_filter(f"Trạng thái không hợp lệ: “{status}”. Dùng: {', '.join(FILTER_STATUSES)}.")
        documents = documents.with_status(status)
    text = nfc((q or "").strip())
    if len(text) > MAX_QUERY_LENGTH:
        _bad_filter(f"Từ khóa tìm kiếm quá dài (tối đa {MAX_QUERY_LENGTH} ký tự).")
    if text:
        documents = documents.filter(_text_filter(text))
    return documents.order_by("code", "pk")


@router.get(
    "/{int:document_id}",
    response=DocumentDetailOut,
    auth=PUBLIC,
    summary="Chi tiết tài liệu",
)
def get_document(request, document_id: int):
    """One document, if the caller may view it (404 otherwise, as if it did not exist; 401 for
    an anonymous caller, who may only open public documents).

    ``file`` describes the file the caller would download: the working copy for the people who
    work on the document, the revision in force for everyone else (as ``documents.views``).
    """
    document = (
        document_queryset()
        .select_related("parent")
        .prefetch_related("iso_clauses", "applies_to")
        .filter(pk=document_id)
        .first()
    )
    if document is None or not access.can_view_document(request.user, document):
        if not request.user.is_authenticated:
            # Anonymous callers are asked to sign in, for a missing id as for a hidden one.
            raise AuthenticationError
        raise Http404
    if access.can_work_on_document(request.user, document):
        info = file_info(document)
    else:
        current = current_revision_of(document)
        info = file_info(current) if current is not None else None
    setattr(document, FILE_INFO_ATTR, info)
    return document
