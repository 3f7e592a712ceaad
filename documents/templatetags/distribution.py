"""``{% distribution_panel %}``: the document page's acknowledgement button and upkeep links.

Rendered in the document page's ``document_extra`` block, so the reading view stays unaware of
distribution. It asks the database at most twice (the user's open request; the owning unit's
open change requests for its secretary), whatever the number of documents or readers.
"""

from __future__ import annotations

from django import template

from documents import distribution
from documents.models import ChangeRequest
from qms import access

register = template.Library()


@register.inclusion_tag("documents/site/_distribution_panel.html", takes_context=True)
def distribution_panel(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    document = context.get("document")
    current = context.get("current")
    if user is None or document is None or not user.is_authenticated:
        return {"show": False}
    controller = access.can_register_copies(user, document)
    coverage_units = access.coverage_units(user, document)
    return {
        "show": True,
        "document": document,
        "current": current,
        "pending": distribution.pending_for(user, current),
        "can_request_change": current is not None and access.can_request_change(user, document),
        "is_controller": controller,
        "can_see_coverage": current is not None
        and (coverage_units is None or bool(coverage_units)),
        "open_requests": (
            ChangeRequest.objects.filter(
                document=document, status=ChangeRequest.Status.OPEN
            ).count()
            if controller
            else 0
        ),
        "csrf_token": context.get("csrf_token"),
    }
