"""GET /api/v1/search: the search page's results as JSON (same service, same access rules).

Public: anonymous callers find public documents only; a session or an API token widens that to
what the user may read (qms.access). Snippets are HTML with the document text escaped and the
matches wrapped in <mark>.
"""

from __future__ import annotations

import datetime

from ninja import Router, Schema

from qms.api import PUBLIC
from search.service import PER_PAGE, search

router = Router(tags=["Tìm kiếm"])


class HitOut(Schema):
    revision_id: int
    document_id: int
    code: str
    title: str
    title_html: str
    unit_id: int
    unit_name: str
    kind: str
    kind_label: str
    number: int
    status: str
    status_label: str
    is_history: bool
    effective_from: datetime.date
    effective_to: datetime.date | None
    snippet: str


class SearchOut(Schema):
    query: str
    total: int
    page: int
    pages: int
    per_page: int
    messages: list[str]
    hits: list[HitOut]


@router.get("", response=SearchOut, auth=PUBLIC, summary="Tìm kiếm tài liệu")
def search_documents(
    request,
    q: str = "",
    unit: str | None = None,
    kind: str | None = None,
    clause: str | None = None,
    include_history: bool = False,
    page: int = 1,
):
    """Full-text search over issued revisions the caller may read.

    ``q`` accepts words (with or without diacritics, all required), "quoted phrases", ``-word``
    to exclude, ``word*`` for a prefix and document codes (``QT-VP`` finds QT-VP-01, QT-VP-02).
    Only current and approved-upcoming revisions are found unless ``include_history=true``.
    """
    results = search(
        q,
        request.user,
        unit=unit or None,
        kind=kind or None,
        clause=clause or None,
        include_history=include_history,
        page=page,
        per_page=PER_PAGE,
    )
    return {
        "query": results.query,
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "per_page": results.per_page,
        "messages": results.messages,
        "hits": [
            {**hit.__dict__, "title_html": str(hit.title_html), "snippet": str(hit.snippet)}
            for hit in results.hits
        ],
    }
