"""The "Việc cần làm" panel on the Wagtail dashboard (ARCHITECTURE §7, dashboard per unit).

For the signed-in user: documents awaiting their review or approval (a count and a link to
Wagtail's own "awaiting your review" panel, which lists them), periodic reviews due or overdue,
open change requests and controlled copies to recall (ISO secretaries), their own corrective and
preventive actions, and read-acknowledgement coverage of the latest revisions (secretaries,
heads and quality managers). Each section asks the database a fixed number of times whatever
the amount of data: lists are cut to a few rows and counted in SQL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import TaskState

from audits.models import CorrectiveAction
from documents import change_requests, distribution, review
from documents.models import IssuedRevision, ReadAcknowledgement
from qms import access

ROWS = 5


@dataclass
class RevisionCoverage:
    """Who has confirmed reading one revision in force, in total and per unit."""

    revision: IssuedRevision
    units: list[distribution.UnitCoverage] = field(default_factory=list)

    @property
    def asked(self) -> int:
        return sum(row.asked for row in self.units)

    @property
    def acknowledged(self) -> int:
        return sum(row.acknowledged for row in self.units)

    @property
    def incomplete(self) -> list[distribution.UnitCoverage]:
        return [row for row in self.units if not row.complete]


def latest_coverage(unit_ids: set[int], rows: int = ROWS) -> list[RevisionCoverage]:
    """Acknowledgement coverage of the ``rows`` latest revisions in force owned by ``unit_ids``.

    Two queries: the revisions, then the per-unit counts of all of them at once.
    """
    if not unit_ids:
        return []
    revisions = list(
        IssuedRevision.objects.current()
        .filter(document__unit_id__in=unit_ids, document__withdrawn_at__isnull=True)
        .defer("text")
        .order_by("-effective_from", "-pk")[:rows]
    )
    if not revisions:
        return []
    found = {revision.pk: RevisionCoverage(revision) for revision in revisions}
    counted = (
        ReadAcknowledgement.objects.filter(issued_revision__in=list(found))
        .values("issued_revision_id", "unit_id", "unit__name")
        .annotate(
            asked=Count("pk"),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        )
        .order_by("issued_revision_id", "unit__name")
    )
    for row in counted:
        found[row["issued_revision_id"]].units.append(
            distribution.UnitCoverage(
                row["unit_id"], row["unit__name"], row["acknowledged"], row["asked"]
            )
        )
    return list(found.values())


def todo_for(user, today: datetime.date) -> dict:
    """Everything the panel shows for ``user`` on ``today`` (sections the user has no part in
    are ``None``, so the template leaves them out)."""
    todo: dict = {"today": today}
    if getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        todo["awaiting_review"] = TaskState.objects.reviewable_by(user).count()

    controlled = access.controlled_units(user)
    if controlled:
        due = review.due_for_controller(user, today)
        overdue = [item for item in due if item.overdue]
        todo["reviews"] = {
            "overdue": len(overdue),
            "due_soon": len(due) - len(overdue),
            "items": due[:ROWS],
        }
        requests = change_requests.inbox(user)
        todo["change_requests"] = {
            "count": requests.count(),
            "items": list(requests[:ROWS]),
        }
        todo["copies_to_recall"] = distribution.recall_list(user).count()

    actions = CorrectiveAction.objects.filter(owner=user).open()
    open_count = actions.count()
    if open_count:
        todo["actions"] = {"open": open_count, "overdue": actions.overdue(today).count()}

    picture = access.for_user(user)
    if picture.is_superuser:
        coverage_units = set(picture.tree.units)
    else:
        coverage_units = picture.units_with_role(*access.COVERAGE_ROLES)
    todo["coverage"] = latest_coverage(coverage_units)
    return todo


class TodoPanel(Component):
    """The panel itself; Wagtail renders it above its own panels."""

    name = "qms_todo"
    template_name = "documents/admin/todo_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        context = todo_for(request.user, timezone.localdate())
        context["request"] = request
        return context


@hooks.register("construct_homepage_panels")
def add_todo_panel(request, panels):
    if access.can_access_admin(request.user):
        panels.append(TodoPanel())
