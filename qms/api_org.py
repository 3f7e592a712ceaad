"""Organisation units in the JSON API: the tree a member may see (``qms.access.visible_units``)."""

from __future__ import annotations

from ninja import Router

from documents.schemas import UnitOut
from qms import access
from qms.models import OrgUnit

router = Router(tags=["Đơn vị"])


@router.get("", response=list[UnitOut], summary="Danh sách đơn vị")
def list_units(request):
    """Units the caller may see, with the QMS each belongs to (computed from the cached tree)."""
    tree = access.for_user(request.user).tree
    units = list(access.visible_units(request.user, OrgUnit.objects.order_by("name", "pk")))
    for unit in units:
        # The schema reads this instead of walking the parents one query at a time.
        unit.api_qms_root_id = tree.qms_root(unit.pk)
    return units
