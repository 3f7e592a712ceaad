"""The revision register (4.2.3 c): immutable rows, point in time, effective dates, history."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from documents.lifecycle import bring_into_force, issue_revision, withdraw_document
from documents.models import ControlledDocument, IssuedRevision
from tests.workflow_helpers import draft, issue, new_draft_revision

D = datetime.date


@pytest.fixture
def two_revisions(make_document, org):
    """QT-LS-01: lần 01 in force 01/08/2012, lần 02 from 15/01/2013 (recorded on paper)."""
    document = make_document(unit=org.luongson, code="QT-LS-01", issued=True)
    with mock.patch("django.utils.timezone.localdate", return_value=D(2013, 1, 15)):
        issue_revision(
            document=document,
            effective_from=D(2013, 1, 15),
            approved_by_name="Nguyễn Minh Thành",
            issued_outside_system=True,
        )
    return document


# --- Point in time ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2012, 7, 31), None),
        (D(2012, 8, 1), 1),
        (D(2013, 1, 14), 1),
        (D(2013, 1, 15), 2),
        (D(2020, 1, 1), 2),
    ],
)
def test_in_force_on_gives_the_revision_of_that_day(two_revisions, day, expected):
    found = IssuedRevision.objects.in_force_on(day).filter(document=two_revisions)
    assert [r.number for r in found] == ([expected] if expected else [])
    assert ControlledDocument.objects.in_force_on(day).filter(pk=two_revisions.pk).exists() == (
        expected is not None
    )


def test_in_force_on_is_one_query_for_every_document(
    two_revisions, make_document, org, django_assert_num_queries
):
    make_document(unit=org.luongson, code="QT-LS-02", issued=True)
    with django_assert_num_queries(1):
        rows = list(IssuedRevision.objects.in_force_on(D(2012, 9, 1)).values_list("code", "number"))
    assert sorted(rows) == [("QT-LS-01", 1), ("QT-LS-02", 1)]


def test_a_withdrawn_document_was_in_force_until_its_withdrawal(two_revisions, users):
    with mock.patch("django.utils.timezone.localdate", return_value=D(2014, 3, 1)):
        withdraw_document(
            document=two_revisions, user=users["controller.luongson"], reason="Bãi bỏ"
        )
    assert IssuedRevision.objects.in_force_on(D(2014, 2, 28)).count() == 1
    assert IssuedRevision.objects.in_force_on(D(2014, 3, 1)).count() == 0
    assert not IssuedRevision.objects.current().filter(document=two_revisions).exists()


# --- Effective dates and qms_daily -----------------------------------------------------------


def test_a_future_revision_comes_into_force_when_qms_daily_runs(make_document, org, users):
    document = issue(draft(make_document, org, users["author.luongson"]), users)
    new_draft_revision(document, users["author.luongson"], summary="Áp dụng từ tuần sau")
    later = timezone.localdate() + datetime.timedelta(days=7)
    issue(document, users, effective_from=later)
    first, second = document.issued_revisions.order_by("number")
    assert (first.status, second.status) == ("current", "upcoming")
    assert document.live_revision_id == first.source_revision_id

    call_command("qms_daily", stdout=None)  # today: nothing is due yet
    assert IssuedRevision.objects.get(pk=second.pk).status == "upcoming"

    moment = timezone.now() + datetime.timedelta(days=7, hours=1)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        call_command("qms_daily")
    first.refresh_from_db()
    second.refresh_from_db()
    document.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "current")
    assert first.effective_to == later
    # Wagtail's scheduled publishing made the approved draft the live content.
    assert document.live_revision_id == second.source_revision_id
    assert document.change_summary == "Áp dụng từ tuần sau"


def test_qms_daily_runs_one_job_on_request(make_document, org, capsys):
    document = make_document(unit=org.luongson, code="QT-LS-03")
    issue_revision(document=document, effective_from=D(2030, 1, 1), approved_by_name="A")
    call_command("qms_daily", "--only", "bring_into_force", "--date", "2030-01-01")
    assert IssuedRevision.objects.get(document=document).status == "current"
    assert "QT-LS-03 lần 01" in capsys.readouterr().out


def test_a_newer_approval_replaces_one_not_yet_in_force(make_document, org):
    document = make_document(unit=org.luongson, code="QT-LS-04", issued=True)
    waiting = issue_revision(document=document, effective_from=D(2030, 1, 1), approved_by_name="A")
    issue_revision(document=document, effective_from=D(2030, 2, 1), approved_by_name="A")
    waiting.refresh_from_db()
    assert waiting.status == "obsolete"
    assert waiting.effective_to == waiting.effective_from  # never in force
    assert bring_into_force(D(2030, 2, 1))[0].number == 3


# --- Immutability ----------------------------------------------------------------------------


@pytest.fixture
def issued(two_revisions):
    return IssuedRevision.objects.get(document=two_revisions, number=2)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("file_sha256", "0" * 64),
        ("text", "nội dung khác"),
        ("approved_by_name", "Người khác"),
        ("change_summary", "Sửa lại lịch sử"),
        ("effective_from", D(2013, 2, 1)),
        ("number", 7),
    ],
)
def test_a_model_save_cannot_change_what_was_approved(issued, field, value):
    setattr(issued, field, value)
    with pytest.raises(ValidationError, match="không được sửa"):
        issued.save()
    assert getattr(IssuedRevision.objects.get(pk=issued.pk), field) != value


def test_effective_to_is_set_only_once_and_status_only_forward(issued):
    issued.status = IssuedRevision.Status.SUPERSEDED
    issued.effective_to = D(2014, 1, 1)
    issued.save()
    issued.effective_to = D(2015, 1, 1)
    with pytest.raises(ValidationError, match="chỉ được ghi một lần"):
        issued.save()
    issued.refresh_from_db()
    issued.status = IssuedRevision.Status.CURRENT
    with pytest.raises(ValidationError, match="Không thể chuyển trạng thái"):
        issued.save()


def test_register_rows_cannot_be_deleted(issued):
    with pytest.raises(ValidationError, match="không được xóa"):
        issued.delete()
    assert IssuedRevision.objects.filter(pk=issued.pk).exists()


def test_the_database_allows_one_current_revision_per_document(issued):
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedRevision.objects.create(
            document=issued.document,
            number=9,
            status=IssuedRevision.Status.CURRENT,
            code=issued.code,
            title=issued.title,
            approved_by_name="X",
            approved_at=timezone.now(),
            effective_from=D(2013, 1, 15),
        )


def test_history_records_every_change_of_a_register_row(issued, users):
    withdraw_document(document=issued.document, user=users["controller.luongson"], reason="Hủy")
    statuses = list(issued.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["upcoming", "current", "obsolete"]


def test_the_register_cannot_be_edited_in_the_admin(client, issued, users):
    client.force_login(users["admin"])
    base = "/admin/documents/register/"
    listing = client.get(base)
    assert listing.status_code == 200
    assert "QT-LS-01" in listing.content.decode()
    assert client.get(f"{base}inspect/{issued.pk}/").status_code == 200
    for url in (f"{base}edit/{issued.pk}/", f"{base}delete/{issued.pk}/", f"{base}new/"):
        response = client.post(url, {"change_summary": "Sửa lịch sử"})
        assert response.status_code in {302, 403}
        assert response.get("Location", "/admin/") == "/admin/"
    assert IssuedRevision.objects.get(pk=issued.pk).change_summary == issued.change_summary


def test_the_register_in_the_admin_shows_only_readable_documents(
    client, issued, users, org, make_document
):
    make_document(unit=org.vp, code="QT-VP-01", issued=True)
    client.force_login(users["controller.luongson"])
    content = client.get("/admin/documents/register/").content.decode()
    assert "QT-LS-01" in content
    assert "QT-VP-01" not in content


def test_the_revision_history_page_lists_every_revision(client, issued, users):
    client.force_login(users["reviewer.luongson"])
    url = reverse("documents_admin:revision_history", args=[issued.document_id])
    content = client.get(url).content.decode()
    assert "Theo dõi sửa đổi" in content
    assert content.index(">02<") < content.index(">01<")
    client.force_login(users["reviewer.vp"])
    assert client.get(url).status_code == 404


def test_the_api_lists_what_was_in_force_on_a_date(client, two_revisions, users):
    from tests.workflow_helpers import bearer

    headers = bearer(users["staff.luongson"])

    def in_force(day):
        response = client.get("/api/v1/documents", {"as_of": day}, **headers)
        assert response.status_code == 200, response.content
        return {item["code"]: item["current_revision"] for item in response.json()["items"]}

    assert in_force("2012-07-31") == {}
    assert in_force("2012-08-01") == {"QT-LS-01": 1}
    assert in_force("2013-01-14") == {"QT-LS-01": 1}
    assert in_force("2013-01-15") == {"QT-LS-01": 2}
    response = client.get("/api/v1/documents", {"as_of": "15/01/2013"}, **headers)
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["detail"]


def test_an_approved_revision_can_be_cancelled_before_it_applies(client, make_document, org, users):
    document = issue(draft(make_document, org, users["author.luongson"]), users)
    new_draft_revision(document, users["author.luongson"])
    issue(document, users, effective_from=timezone.localdate() + datetime.timedelta(days=30))
    scheduled = document.scheduled_revision
    assert scheduled is not None
    url = reverse(
        "wagtailsnippets_documents_controlleddocument:revisions_unschedule",
        args=[document.pk, scheduled.pk],
    )
    client.force_login(users["author.luongson"])
    client.post(url)
    assert IssuedRevision.objects.filter(document=document, status="upcoming").exists()

    client.force_login(users["approver.luongson"])
    editor = client.get(
        reverse("wagtailsnippets_documents_controlleddocument:edit", args=[document.pk])
    )
    assert url in editor.content.decode()
    assert client.post(url, {"reason": "Chờ văn bản mới của Bộ"}).status_code == 302
    cancelled = IssuedRevision.objects.get(document=document, number=2)
    assert (cancelled.status, cancelled.withdrawal_reason) == ("obsolete", "Chờ văn bản mới của Bộ")
    assert IssuedRevision.objects.get(document=document, number=1).status == "current"
    fresh = ControlledDocument.objects.get(pk=document.pk)
    assert fresh.get_lock() is None  # unlocked: the authors may draft again
    assert bring_into_force(timezone.localdate() + datetime.timedelta(days=31)) == []
