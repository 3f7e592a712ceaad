"""Periodic review of documents in force (xem xét định kỳ, ISO 9001:2008 4.2.3 b).

Every document has a review period (``review_period_months``, default 12). The next review is due
at the ``next_due`` of the last review of the revision in force, or, when that revision has not
been reviewed yet, at its effective date plus the period. The ISO secretary either confirms the
revision unchanged (the due date moves on by one period) or starts a new draft, which then goes
through the normal review and approval workflow.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from documents.models import ControlledDocument, IssuedRevision, PeriodicReview
from qms import access
from qms.models import Role, nfc

logger = logging.getLogger(__name__)

# Reviews coming due within this many days are listed beside the overdue ones.
DUE_SOON_DAYS = 30


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ReviewDue:
    document: ControlledDocument
    revision: IssuedRevision
    due: datetime.date
    today: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due < self.today

    @property
    def days_late(self) -> int:
        return max(0, (self.today - self.due).days)


def _due_date(revision: IssuedRevision, months: int, reviewed_due) -> datetime.date:
    return reviewed_due or add_months(revision.effective_from, months or 12)


def due_reviews(
    documents, today: datetime.date, horizon_days: int = DUE_SOON_DAYS
) -> list[ReviewDue]:
    """Documents of ``documents`` (a queryset) in force whose review is due by today + horizon.

    One SQL query: the current revision and the last review's ``next_due`` come as annotations;
    only the month arithmetic (which SQLite and PostgreSQL do differently) runs in Python, over
    the current revisions of the given documents.
    """
    last_review = PeriodicReview.objects.filter(
        document=OuterRef("document_id"), issued_revision=OuterRef("pk")
    ).order_by("-reviewed_at", "-pk")
    revisions = (
        IssuedRevision.objects.current()
        .filter(document__in=documents.filter(withdrawn_at__isnull=True))
        .annotate(reviewed_due=Subquery(last_review.values("next_due")[:1]))
        .select_related("document__unit")
        .order_by("document__code")
    )
    limit = today + datetime.timedelta(days=horizon_days)
    found = []
    for revision in revisions:
        due = _due_date(revision, revision.document.review_period_months, revision.reviewed_due)
        if due <= limit:
            found.append(ReviewDue(revision.document, revision, due, today))
    found.sort(key=lambda item: (item.due, item.document.code))
    return found


def due_for_controller(user, today: datetime.date, horizon_days: int = DUE_SOON_DAYS):
    """The due and overdue reviews of the documents ``user`` controls."""
    documents = ControlledDocument.objects.filter(unit_id__in=access.controlled_units(user))
    return due_reviews(documents, today, horizon_days)


def next_due_after(document: ControlledDocument, day: datetime.date) -> datetime.date:
    return add_months(day, document.review_period_months or 12)


def _locked_current(
    document: ControlledDocument, user
) -> tuple[ControlledDocument, IssuedRevision]:
    locked = ControlledDocument.objects.select_for_update().get(pk=document.pk)
    if not access.can_review_periodically(user, locked):
        raise PermissionDenied(
            f"Chỉ thư ký ISO của “{locked.unit.name}” được xem xét định kỳ tài liệu này."
        )
    current = IssuedRevision.objects.current().filter(document=locked).first()
    if current is None or locked.is_withdrawn:
        raise ValidationError("Tài liệu không có lần ban hành đang hiệu lực để xem xét.")
    return locked, current


def confirm_unchanged(*, user, document: ControlledDocument, note: str = "") -> PeriodicReview:
    """Record that the revision in force was reviewed and stays as it is; the next review is due
    one review period from today."""
    today = timezone.localdate()
    with transaction.atomic():
        locked, current = _locked_current(document, user)
        return PeriodicReview.objects.create(
            document=locked,
            issued_revision=current,
            reviewed_by=user,
            outcome=PeriodicReview.Outcome.CONFIRMED,
            note=nfc((note or "").strip()),
            next_due=next_due_after(locked, today),
        )


def start_revision_draft(*, user, document: ControlledDocument, summary: str):
    """Open a new Wagtail draft of ``document`` whose change summary says why (the author edits).

    Built on the latest draft (so work already begun is kept), refused while a workflow runs or
    while the document is locked by someone else. Runs inside the caller's transaction, with the
    document row locked by the caller. Returns the new ``wagtail.models.Revision``.
    """
    if document.current_workflow_state is not None:
        raise ValidationError(
            "Tài liệu đang trong quy trình xem xét, phê duyệt; chưa thể mở bản thảo mới."
        )
    if document.locked and document.locked_by_id not in (None, user.pk):
        raise ValidationError("Tài liệu đang bị khóa bởi người khác; chưa thể mở bản thảo mới.")
    draft = document.get_latest_revision_as_object()
    summary = nfc(summary.strip())
    previous = (draft.change_summary or "").strip()
    # A draft already under way keeps its own summary and gets the new reason added; otherwise
    # the latest revision is the issued one, whose summary belongs to it and is replaced.
    if document.has_unpublished_changes and previous:
        draft.change_summary = f"{previous}\n{summary}"
    else:
        draft.change_summary = summary
    return draft.save_revision(user=user, log_action=True, clean=False)


def start_revision(*, user, document: ControlledDocument, note: str = "") -> PeriodicReview:
    """Record that the review found a change is needed and open a new draft for the authors.

    The next review stays due one period from today, so a stalled revision comes back on the list.
    """
    today = timezone.localdate()
    note = nfc((note or "").strip())
    with transaction.atomic():
        locked, current = _locked_current(document, user)
        summary = f"Sửa đổi theo xem xét định kỳ ngày {today:%d/%m/%Y}"
        if note:
            summary += f": {note}"
        start_revision_draft(user=user, document=locked, summary=summary)
        review = PeriodicReview.objects.create(
            document=locked,
            issued_revision=current,
            reviewed_by=user,
            outcome=PeriodicReview.Outcome.REVISION_STARTED,
            note=note,
            next_due=next_due_after(locked, today),
        )
    return review


def review_reminders_job(today: datetime.date) -> str:
    """``qms_daily``: e-mail each unit's ISO secretaries the reviews overdue or due within a week.

    One message per secretary listing all their documents, so nobody gets a mail per document.
    """
    from django.urls import reverse

    from documents.notifications import _absolute, _send

    due = due_reviews(ControlledDocument.objects.all(), today, horizon_days=7)
    if not due:
        return "không có tài liệu đến hạn xem xét định kỳ"
    by_unit: dict[int, list[ReviewDue]] = {}
    for item in due:
        by_unit.setdefault(item.document.unit_id, []).append(item)
    per_user: dict[int, tuple[object, list[ReviewDue]]] = {}
    for unit_id, items in by_unit.items():
        for user in access.users_with_role_at(unit_id, [Role.CONTROLLER]):
            per_user.setdefault(user.pk, (user, []))[1].extend(items)
    sent = 0
    for user, items in per_user.values():
        sent += _send(
            [user],
            f"[ISO] {len(items)} tài liệu đến hạn xem xét định kỳ",
            "documents/email/review_due.txt",
            {"items": items, "today": today, "link": _absolute(reverse("site:review_due"))},
        )
    return f"{len(due)} tài liệu đến hạn; đã gửi {sent} thư nhắc"
