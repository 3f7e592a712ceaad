"""The staff search page (/tim-kiem/): one box, filters, highlighted results, paging.

Anyone may use it; anonymous visitors find public documents only (administrative procedures for
citizens) and are invited to log in for the rest — the same rule as everywhere, from qms.access.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from documents.models import DocumentKind
from qms.models import IsoClause
from search.service import PER_PAGE, search, unit_choices

TRUE_VALUES = {"1", "on", "true", "yes"}


@require_GET
def search_page(request):
    params = request.GET
    query = params.get("q", "")
    selected = {
        "unit": params.get("unit", ""),
        "kind": params.get("kind", ""),
        "clause": params.get("clause", ""),
        "include_history": params.get("include_history", "").lower() in TRUE_VALUES,
    }
    results = None
    if query.strip():
        results = search(
            query,
            request.user,
            unit=selected["unit"] or None,
            kind=selected["kind"] or None,
            clause=selected["clause"] or None,
            include_history=selected["include_history"],
            page=params.get("page", 1),
            per_page=PER_PAGE,
        )
    paging = params.copy()
    paging.pop("page", None)
    return render(
        request,
        "search/search.html",
        {
            "search_query": query,
            "results": results,
            "selected": selected,
            "units": unit_choices(request.user),
            "kinds": DocumentKind.choices,
            "clauses": IsoClause.objects.all(),
            "paging_query": paging.urlencode(),
            "first_number": (results.page - 1) * results.per_page + 1 if results else 1,
        },
    )
