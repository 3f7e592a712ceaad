"""Periodic review (xem xét định kỳ, ISO 9001:2008 4.2.3 b): due dates, outcomes, reminders."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from documents import review
from documents.models import ControlledDocument, PeriodicReview
from tests.conftest import PASSWORD
from tests.distribution_helpers import count_queries

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def procedure(make_document, org):
    """Issued 01/08/2012 (see conftest), reviewed every 12 months: first due 01/08/2013."""
    return make_document(unit=org.vp, code="QT-VP-01", issued=True)


def _due(today, horizon=0):
    return {
        item.document.code: (item.due, item.overdue)
        for item in ControlledDocument.objects.review_due(today, horizon)
    }


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2012, 8, 1), 12, D(2013, 8, 1)),
        (D(2012, 1, 31), 1, D(2012, 2, 29)),
        (D(2013, 1, 31), 1, D(2013, 2, 28)),
        (D(2012, 11, 30), 3, D(2013, 2, 28)),
        (D(2012, 12, 15), 1, D(2013, 1, 15)),
        (D(2012, 8, 1), 24, D(2014, 8, 1)),
    ],
)
def test_months_are_added_on_the_calendar(day, months, expected):
    assert review.add_months(day, months) == expected


def test_a_review_is_due_one_period_after_the_effective_date(procedure):
    assert _due(D(2013, 7, 1)) == {}
    assert _due(D(2013, 7, 1), horizon=31) == {"QT-VP-01": (D(2013, 8, 1), False)}
    assert _due(D(2013, 8, 2)) == {"QT-VP-01": (D(2013, 8, 1), True)}


def test_the_review_period_of_the_document_counts(procedure):
    procedure.review_period_months = 6
    procedure.save()
    assert _due(D(2013, 2, 2)) == {"QT-VP-01": (D(2013, 2, 1), True)}


def test_drafts_and_withdrawn_documents_are_not_listed(make_document, org, procedure):
    make_document(unit=org.vp, code="QT-VP-02")
    ControlledDocument.objects.filter(pk=procedure.pk).update(
        withdrawn_at=datetime.datetime(2013, 1, 1, tzinfo=datetime.UTC)
    )
    assert _due(D(2020, 1, 1)) == {}


def test_confirming_unchanged_moves_the_next_due_date(procedure, users):
    done = review.confirm_unchanged(
        user=users.controller_sgd, document=procedure, note="Còn phù hợp"
    )
    assert done.outcome == PeriodicReview.Outcome.CONFIRMED
    assert done.next_due == review.add_months(timezone.localdate(), 12)
    assert _due(timezone.localdate(), horizon=30) == {}
    assert _due(done.next_due) == {"QT-VP-01": (done.next_due, False)}


def test_staff_and_another_units_secretary_cannot_review(procedure, users):
    for user in (users.staff_vp, users.author_vp, users.controller_luongson):
        with pytest.raises(PermissionDenied):
            review.confirm_unchanged(user=user, document=procedure)
    assert not PeriodicReview.objects.exists()


def test_a_draft_cannot_be_reviewed(make_document, org, users):
    draft = make_document(unit=org.vp, code="QT-VP-03")
    with pytest.raises(ValidationError):
        review.confirm_unchanged(user=users.controller_sgd, document=draft)


def test_starting_a_revision_opens_a_draft_that_says_why(procedure, users):
    done = review.start_revision(
        user=users.controller_sgd, document=procedure, note="Cập nhật Thông tư mới"
    )
    assert done.outcome == PeriodicReview.Outcome.REVISION_STARTED
    procedure.refresh_from_db()
    assert procedure.has_unpublished_changes and procedure.live
    draft = procedure.get_latest_revision_as_object()
    assert "xem xét định kỳ" in draft.change_summary
    assert "Cập nhật Thông tư mới" in draft.change_summary
    # The revision in force is untouched: the draft goes through review and approval.
    assert procedure.issued_revisions.get().status == "current"


def test_review_reminders_go_to_the_units_secretary_on_a_fixed_date(procedure, users):
    call_command("qms_daily", only=["review_reminders"], date=D(2013, 6, 1))
    assert mail.outbox == []
    call_command("qms_daily", only=["review_reminders"], date=D(2013, 7, 28))
    assert [message.to for message in mail.outbox] == [["controller.sgd@example.vn"]]
    body = mail.outbox[0].body
    assert "QT-VP-01" in body and "01/08/2013" in body
    mail.outbox.clear()
    call_command("qms_daily", only=["review_reminders"], date=D(2013, 8, 11))
    assert "quá hạn 10 ngày" in mail.outbox[0].body


def test_the_secretary_confirms_from_the_due_list(client, procedure, users):
    client.login(username="controller.sgd", password=PASSWORD)
    page = client.get(reverse("site:review_due")).content.decode()
    assert "QT-VP-01" in page and "Quá hạn (1)" in page
    response = client.post(
        reverse("site:periodic_review", args=[procedure.pk]), {"action": "confirm"}, follow=True
    )
    assert "Đã xác nhận QT-VP-01 còn phù hợp" in response.content.decode()
    assert "Quá hạn (0)" in response.content.decode()


def test_staff_get_refused_on_the_review_pages(client, procedure, users):
    client.login(username="staff.vp", password=PASSWORD)
    assert client.get(reverse("site:review_due")).status_code == 403
    response = client.post(
        reverse("site:periodic_review", args=[procedure.pk]), {"action": "confirm"}
    )
    assert response.status_code == 302
    assert not PeriodicReview.objects.exists()


def test_a_bad_action_is_a_message_not_an_error(client, procedure, users):
    client.login(username="controller.sgd", password=PASSWORD)
    response = client.post(
        reverse("site:periodic_review", args=[procedure.pk]), {"action": "xoa"}, follow=True
    )
    assert "Thao tác không hợp lệ" in response.content.decode()


def test_the_due_list_asks_a_bounded_number_of_queries(client, make_document, org, users):
    make_document(unit=org.vp, code="QT-VP-10", issued=True)
    client.login(username="controller.sgd", password=PASSWORD)
    small = count_queries(client, reverse("site:review_due"))
    for index in range(11, 17):
        make_document(unit=org.vp, code=f"QT-VP-{index}", issued=True)
    assert count_queries(client, reverse("site:review_due")) == small
