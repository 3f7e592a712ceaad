"""The staff site's reading pages: browse, my unit's documents, recent changes, the document page,
revision pages, comparison of revisions, and the library as of a date.

Every page decides access through ``qms.access`` alone. Anonymous visitors may browse and open
public documents (administrative procedures published for citizens); anything else sends them to
the login page. Lists show only documents with a revision in force and only that revision
(ISO 9001:2008 4.2.3 g), and ask the database a bounded number of times (see site_queries).
"""

from __future__ import annotations

import datetime
import functools

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from documents import site_queries
from documents.models import ControlledDocument, DocumentKind, IssuedRevision
from documents.textdiff import compare_texts
from qms import access
from qms.models import IsoClause, OrgUnit

PAGE_SIZE = 50


class _LoginRequired(Exception):
    """Raised by ``_readable_document`` for an anonymous visitor; the view redirects to login."""


def _readable_document(request, pk: int) -> ControlledDocument:
    document = get_object_or_404(ControlledDocument.objects.select_related("unit", "parent"), pk=pk)
    if access.can_view_document(request.user, document):
        return document
    if not request.user.is_authenticated:
        raise _LoginRequired
    # Same answer as for a document that does not exist: its existence is not disclosed.
    raise Http404


def _document_view(view):
    """Turn ``_LoginRequired`` into the redirect to the login page (then back here)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())

    return wrapper


def _page(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    return paginator.get_page(request.GET.get("trang"))


def _with_current(documents) -> list:
    """Attach ``current`` (the prefetched revision in force) to each document for templates."""
    for document in documents:
        document.current = site_queries.current_of(document)
    return documents


# --- Browse ---------------------------------------------------------------------------------


def _clause_filter(clause: IsoClause):
    """Documents linked to ``clause`` or to one of its sub-clauses (4.2 answers for 4.2.3)."""
    links = ControlledDocument.iso_clauses.through.objects.filter(
        controlleddocument_id=OuterRef("pk")
    ).filter(
        Q(isoclause__number=clause.number) | Q(isoclause__number__startswith=f"{clause.number}.")
    )
    return Exists(links)


def library(request, short_code: str = "", kind: str = "", clause: str = ""):
    """Browse the documents in force by unit, kind and ISO clause (filters combine).

    The pretty URLs (/don-vi/VP/, /loai/procedure/, /dieu-khoan/4.2.3/) answer 404 for something
    that does not exist; the filter form's parameters answer with a message instead.
    """
    from_path = bool(short_code or kind or clause)
    unit_code = short_code or request.GET.get("don_vi", "")
    kind = kind or request.GET.get("loai", "")
    clause_number = clause or request.GET.get("dieu_khoan", "")
    queryset = site_queries.library(request.user)
    unit = clause_obj = None
    errors = []
    if unit_code:
        unit = OrgUnit.objects.filter(short_code__iexact=unit_code).first()
        if unit is None:
            errors.append("Không có đơn vị này.")
        else:
            queryset = queryset.filter(unit=unit)
    if kind:
        if kind in DocumentKind.values:
            queryset = queryset.filter(kind=kind)
        else:
            errors.append("Không có loại tài liệu này.")
    if clause_number:
        clause_obj = IsoClause.objects.filter(number=clause_number).first()
        if clause_obj is None:
            errors.append("Không có điều khoản ISO này.")
        else:
            queryset = queryset.filter(_clause_filter(clause_obj))
    if errors and from_path:
        raise Http404
    if errors:
        queryset = queryset.none()
    page = _page(request, queryset)
    _with_current(page.object_list)
    heading = "Tra cứu tài liệu"
    if unit:
        heading = f"Tài liệu của {unit.name}"
    elif clause_obj:
        heading = f"Điều khoản {clause_obj.number} — {clause_obj.title}"
    elif kind in DocumentKind.values:
        heading = DocumentKind(kind).label
    return render(
        request,
        "documents/site/library.html",
        {
            "page": page,
            "heading": heading,
            "errors": errors,
            "selected": {"don_vi": unit_code, "loai": kind, "dieu_khoan": clause_number},
            "units": OrgUnit.objects.filter(
                pk__in=site_queries.library(request.user).values("unit_id")
            ).order_by("name"),
            "kinds": DocumentKind.choices,
            "clauses": IsoClause.objects.all(),
        },
    )


def units(request):
    """The units that own documents the user may read, with how many."""
    readable = site_queries.library(request.user).values("pk")
    rows = (
        OrgUnit.objects.filter(documents__in=readable)
        .annotate(document_count=Count("documents"))
        .order_by("name")
    )
    return render(request, "documents/site/units.html", {"units": rows})


@login_required
def my_unit(request):
    """Tài liệu áp dụng cho đơn vị tôi."""
    picture = access.for_user(request.user)
    page = _page(request, site_queries.my_unit_documents(request.user))
    _with_current(page.object_list)
    member_units = OrgUnit.objects.filter(pk__in=picture.member_units).order_by("name")
    return render(
        request, "documents/site/my_unit.html", {"page": page, "member_units": member_units}
    )


def recent(request):
    """Recently issued revisions (in force or approved to come into force)."""
    revisions = site_queries.recent_revisions(request.user, limit=50)
    return render(request, "documents/site/recent.html", {"revisions": revisions})


# --- One document -----------------------------------------------------------------------------


def file_url(
    document: ControlledDocument,
    revision: IssuedRevision | None,
    *,
    inline: bool = False,
    by_number: bool = False,
) -> str | None:
    """Where the browser gets the stamped PDF of ``revision`` (None when there is nothing).

    Every copy that leaves the site is stamped (``documents_download``), never the stored file:
    code, revision, downloader and a verification code on every page (ISO 9001:2008 4.2.3 d, e).
    The document page asks for the revision in force (the default of the download view, so a
    link opened later still gets whatever is in force then); a revision page pins its own
    number (``by_number``), and a revision out of force comes stamped "HẾT HIỆU LỰC".
    ``inline`` opens the copy in the browser (the PDF viewer) instead of saving it.
    """
    if revision is None or not revision.file:
        return None
    if not by_number and revision.status != IssuedRevision.Status.CURRENT:
        return None
    params = []
    if by_number:
        params.append(f"lan={revision.number}")
    if inline:
        params.append("xem=1")
    url = reverse("documents_download", args=[document.pk])
    return url + ("?" + "&".join(params) if params else "")


def _status_words(document, current, upcoming) -> str:
    if current is not None:
        return (
            f"Đang có hiệu lực — lần ban hành {current.number_label}, "
            f"từ ngày {current.effective_from:%d/%m/%Y}"
        )
    if upcoming is not None:
        return (
            f"Đã phê duyệt, chưa có hiệu lực — lần ban hành {upcoming.number_label} "
            f"có hiệu lực từ ngày {upcoming.effective_from:%d/%m/%Y}"
        )
    if document.status == ControlledDocument.Status.WITHDRAWN:
        return "Đã thu hồi, hết hiệu lực — không còn sử dụng"
    return document.status_label


def _revision_context(request, document) -> dict:
    revisions = list(
        document.issued_revisions.defer("text").select_related(None).order_by("-number")
    )
    by_status = {revision.status: revision for revision in revisions}
    current = by_status.get(IssuedRevision.Status.CURRENT)
    upcoming = by_status.get(IssuedRevision.Status.UPCOMING)
    return {
        "document": document,
        "revisions": revisions,
        "current": current,
        "upcoming": upcoming,
        "status_words": _status_words(document, current, upcoming),
        "can_compare": len(revisions) >= 2,
    }


@_document_view
def document_detail(request, pk: int):
    """The document page: the revision in force, its PDF, history, related documents, clauses."""
    document = _readable_document(request, pk)
    context = _revision_context(request, document)
    children = _with_current(list(site_queries.library(request.user).filter(parent=document)))
    parent = document.parent
    if parent is not None and not access.can_view_document(request.user, parent):
        parent = None
    current = context["current"]
    context.update(
        {
            "children": children,
            "parent": parent,
            "clauses": list(document.iso_clauses.all()),
            "applies_to": list(document.applies_to.all()),
            "pdf_url": file_url(document, current, inline=True),
            "download_url": file_url(document, current),
            "is_pdf": bool(context["current"])
            and (context["current"].file_name or context["current"].file.name)
            .lower()
            .endswith(".pdf"),
        }
    )
    return render(request, "documents/site/document.html", context)


@_document_view
def revision_detail(request, pk: int, number: int):
    """One issued revision; a superseded or obsolete one says so and points to the current."""
    document = _readable_document(request, pk)
    context = _revision_context(request, document)
    revision = get_object_or_404(IssuedRevision, document=document, number=number)
    context.update(
        {
            "revision": revision,
            "is_current": revision.status == IssuedRevision.Status.CURRENT,
            "is_out_of_force": revision.status
            in (IssuedRevision.Status.SUPERSEDED, IssuedRevision.Status.OBSOLETE),
            "pdf_url": file_url(document, revision, by_number=True),
        }
    )
    return render(request, "documents/site/revision.html", context)


def _revision_number(value: str | None, numbers: list[int]) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number in numbers else None


@_document_view
def compare(request, pk: int):
    """Compare the extracted text of two revisions, inline or side by side."""
    document = _readable_document(request, pk)
    context = _revision_context(request, document)
    numbers = sorted(revision.number for revision in context["revisions"])
    errors = []
    old_number = new_number = None
    if len(numbers) >= 2:
        old_number, new_number = numbers[-2], numbers[-1]
        if "a" in request.GET or "b" in request.GET:
            old_number = _revision_number(request.GET.get("a"), numbers)
            new_number = _revision_number(request.GET.get("b"), numbers)
            if old_number is None or new_number is None:
                errors.append("Hãy chọn hai lần ban hành có trong danh sách.")
            elif old_number == new_number:
                errors.append("Hãy chọn hai lần ban hành khác nhau.")
    comparison = old = new = None
    if not errors and old_number and new_number:
        texts = dict(
            IssuedRevision.objects.filter(
                document=document, number__in=[old_number, new_number]
            ).values_list("number", "text")
        )
        old = next(r for r in context["revisions"] if r.number == old_number)
        new = next(r for r in context["revisions"] if r.number == new_number)
        comparison = compare_texts(texts[old_number], texts[new_number])
    mode = "song-song" if request.GET.get("kieu") == "song-song" else "xen-ke"
    context.update(
        {
            "numbers": numbers,
            "old": old,
            "new": new,
            "comparison": comparison,
            "errors": errors,
            "mode": mode,
        }
    )
    return render(request, "documents/site/compare.html", context)


# --- The library on a date ---------------------------------------------------------------------


def parse_day(value: str) -> datetime.date | None:
    """A date typed as dd/mm/yyyy (or sent as yyyy-mm-dd by a date picker); None if invalid."""
    value = (value or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


@login_required
def as_of(request):
    """The library as it stood on a chosen date (what was in force then), for auditors."""
    raw = request.GET.get("ngay", "")
    day = parse_day(raw) if raw else None
    error = ""
    page = None
    if raw and day is None:
        error = "Ngày không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 15/09/2012."
    elif day is not None and day.year < 1900:
        error = "Ngày không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 15/09/2012."
        day = None
    if day is not None:
        page = _page(request, site_queries.in_force_on(request.user, day))
    return render(
        request,
        "documents/site/as_of.html",
        {
            "day": day,
            "raw": raw,
            "error": error,
            "page": page,
            "today": timezone.localdate(),
        },
    )
