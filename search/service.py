"""The search API the rest of the project calls: ``search(query, user, ...)``.

The backend returns ranked revision ids already narrowed by the user's read scope; we then load
that page from the database and check it again with ``qms.access.visible_documents`` and the
revision's current status, so a stale index can never show a hit the user could not open or a
superseded revision as current.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from documents.models import ControlledDocument, DocumentKind, IssuedRevision
from qms.access import document_read_scope, for_user, visible_documents
from qms.models import IsoClause, OrgUnit
from search.analysis import nfc
from search.backends import Filters, SearchUnavailable, get_backend
from search.highlight import highlight, snippet
from search.query import parse
from search.records import DEFAULT_STATUSES, HISTORY_STATUSES

logger = logging.getLogger(__name__)

PER_PAGE = 20
MAX_PAGE = 50
MESSAGE_UNAVAILABLE = (
    "Chỉ mục tìm kiếm đang được cập nhật hoặc tạm thời không dùng được. "
    "Vui lòng thử lại sau ít phút."
)
MESSAGE_BAD_FILTER = "Bộ lọc {name} không hợp lệ nên đã được bỏ qua."


@dataclass
class Hit:
    revision_id: int
    document_id: int
    code: str
    title: str
    title_html: SafeString
    snippet: SafeString
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

    @property
    def number_label(self) -> str:
        return f"{self.number:02d}"


@dataclass
class SearchResults:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    messages: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // self.per_page)))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _unit_filter(unit, messages: list[str]) -> frozenset[int] | None:
    if unit in (None, ""):
        return None
    from qms.access import UnitTree

    try:
        unit_id = int(getattr(unit, "pk", unit))
        tree = UnitTree.load()
        return frozenset(tree.descendants(unit_id, cross_qms=False))
    except (TypeError, ValueError, KeyError):
        messages.append(MESSAGE_BAD_FILTER.format(name="đơn vị"))
        return None


def _clean_filters(unit, kind, clause, include_history, messages) -> Filters:
    if kind not in (None, "") and kind not in DocumentKind.values:
        messages.append(MESSAGE_BAD_FILTER.format(name="loại tài liệu"))
        kind = None
    if clause not in (None, ""):
        clause = nfc(str(clause)).strip()
        if not IsoClause.objects.filter(number=clause).exists():
            messages.append(MESSAGE_BAD_FILTER.format(name="điều khoản ISO"))
            clause = None
    statuses = DEFAULT_STATUSES + (HISTORY_STATUSES if include_history else ())
    return Filters(
        unit_ids=_unit_filter(unit, messages),
        kind=kind or None,
        clause=clause or None,
        statuses=tuple(str(status) for status in statuses),
    )


def search(
    query: str | None,
    user=None,
    *,
    unit=None,
    kind: str | None = None,
    clause: str | None = None,
    include_history: bool = False,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """Search issued revisions readable by ``user``; never raises on user input.

    By default only current and approved-upcoming revisions are found; ``include_history`` adds
    superseded and withdrawn ones, flagged ``is_history`` with their status label.
    """
    try:
        page = max(1, min(int(page), MAX_PAGE))
    except (TypeError, ValueError):
        page = 1
    parsed = parse(query)
    results = SearchResults(query=nfc(query or "")[:256], page=page, per_page=per_page)
    results.messages.extend(parsed.messages)
    filters = _clean_filters(unit, kind, clause, include_history, results.messages)
    if parsed.is_empty:
        return results
    scope = document_read_scope(user)
    try:
        ranked, total = get_backend().search(parsed, scope, filters, limit=page * per_page)
    except SearchUnavailable:
        results.messages.append(MESSAGE_UNAVAILABLE)
        return results
    except Exception:
        logger.exception("search failed for %r", query)
        results.messages.append(MESSAGE_UNAVAILABLE)
        return results
    page_ids = ranked[(page - 1) * per_page : page * per_page]
    results.total = total
    results.hits = _load_hits(page_ids, user, filters, parsed)
    return results


def _load_hits(revision_ids, user, filters: Filters, parsed) -> list[Hit]:
    if not revision_ids:
        return []
    revisions = {
        revision.pk: revision
        for revision in IssuedRevision.objects.filter(pk__in=revision_ids).select_related(
            "document", "document__unit"
        )
    }
    document_ids = {revision.document_id for revision in revisions.values()}
    readable = set(
        visible_documents(user, ControlledDocument.objects.filter(pk__in=document_ids)).values_list(
            "pk", flat=True
        )
    )
    words, prefixes = parsed.highlight_terms
    hits = []
    for rev_id in revision_ids:
        revision = revisions.get(rev_id)
        if revision is None or revision.document_id not in readable:
            continue
        if filters.statuses and revision.status not in filters.statuses:
            continue
        document = revision.document
        status = IssuedRevision.Status(revision.status)
        hits.append(
            Hit(
                revision_id=revision.pk,
                document_id=document.pk,
                code=revision.code,
                title=revision.title,
                title_html=highlight(revision.title, words, prefixes),
                snippet=snippet(revision.text, words, prefixes),
                unit_id=document.unit_id,
                unit_name=document.unit.name,
                kind=document.kind,
                kind_label=str(DocumentKind(document.kind).label),
                number=revision.number,
                status=status.value,
                status_label=str(status.label),
                is_history=status.value not in DEFAULT_STATUSES,
                effective_from=revision.effective_from,
                effective_to=revision.effective_to,
            )
        )
    return hits


def unit_choices(user) -> list[OrgUnit]:
    """Units offered in the filter: every unit for members, none for anonymous visitors."""
    if not for_user(user).is_authenticated:
        return []
    return list(OrgUnit.objects.order_by("name"))
