"""The dashboard's "Việc cần làm" panel: what waits for the signed-in user, in a bounded number of
queries, and never another unit's work."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import ActionKind, CorrectiveAction
from documents.models import ChangeRequest, ControlledCopy, IssuedRevision, ReadAcknowledgement
from documents.workflow import submit_document
from qms.models import Membership, Role
from tests.conftest import PASSWORD
from tests.workflow_helpers import draft

pytestmark = pytest.mark.django_db

HOME = "wagtailadmin_home"


@pytest.fixture
def controller_kimboi(users, org, django_user_model):
    user = django_user_model.objects.create_user(username="controller.kimboi", password=PASSWORD)
    Membership.objects.create(user=user, unit=org.kimboi, role=Role.CONTROLLER)
    return user


def _unit_work(make_document, unit, code, requester, reader, copies_to_recall=1):
    """An issued document of ``unit`` with an open change request, a copy of a superseded
    revision still out, and one acknowledgement asked and not given."""
    document = make_document(unit=unit, code=code, issued=True)
    old = document.issued_revisions.get()
    for number in range(1, copies_to_recall + 1):
        ControlledCopy.objects.create(
            document=document,
            issued_revision=old,
            unit=unit,
            copy_number=number,
            holder_name="Bộ phận Một cửa",
            registered_by=requester,
        )
    IssuedRevision.objects.filter(pk=old.pk).update(status=IssuedRevision.Status.SUPERSEDED)
    current = IssuedRevision.objects.create(
        document=document,
        number=2,
        code=document.code,
        title=document.title,
        status=IssuedRevision.Status.CURRENT,
        effective_from=timezone.localdate(),
        approved_by=requester,
        approved_at=timezone.now(),
    )
    ChangeRequest.objects.create(
        document=document, issued_revision=current, requested_by=requester, reason="Sửa biểu mẫu"
    )
    ReadAcknowledgement.objects.create(issued_revision=current, user=reader, unit=unit)
    return document


def _panel(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse(HOME))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Việc cần làm" in page
    return page


def test_a_kim_boi_secretary_sees_kim_boi_work_and_never_luong_sons(
    client, make_document, org, users, controller_kimboi
):
    _unit_work(make_document, org.luongson, "QT-LS-01", users.staff_luongson, users.staff_luongson)
    _unit_work(make_document, org.kimboi, "QT-KB-01", users.staff_kimboi, users.staff_kimboi)

    page = _panel(client, controller_kimboi)

    assert "QT-KB-01" in page
    assert "QT-LS-01" not in page
    assert "<strong>1</strong> phiếu đề nghị sửa đổi chờ trả lời" in page
    assert "<strong>1</strong> bản kiểm soát cần thu hồi" in page
    assert reverse("site:recall_list") in page
    assert reverse("site:change_requests") in page
    # Coverage of Kim Bôi's newest revision: nobody has confirmed yet.
    assert "Phòng GD&amp;ĐT Kim Bôi: 0/1" in page


def test_the_secretary_sees_overdue_periodic_reviews(client, make_document, org, users):
    make_document(unit=org.luongson, code="QT-LS-09", issued=True)  # in force since 2012

    page = _panel(client, users.controller_luongson)

    assert reverse("site:review_due") in page
    assert "QT-LS-09" in page
    assert "quá hạn" in page


def test_a_reviewer_is_pointed_to_wagtails_awaiting_review_panel(client, make_document, org, users):
    document = draft(make_document, org, users["author.luongson"])
    submit_document(document, users["author.luongson"])

    page = _panel(client, users.reviewer_luongson)

    assert '<a href="#awaiting-review-section"><strong>1</strong> tài liệu' in page


def test_an_action_owner_sees_open_and_overdue_actions(client, org, users):
    for due in (datetime.date(2012, 1, 31), timezone.localdate() + datetime.timedelta(days=30)):
        CorrectiveAction.objects.create(
            kind=ActionKind.PREVENTIVE,
            unit=org.luongson,
            potential_problem="Hồ sơ lưu chưa đánh số",
            action_plan="Đánh số hồ sơ lưu",
            owner=users.author_luongson,
            due_date=due,
        )

    page = _panel(client, users.author_luongson)

    assert "<strong>2</strong> hành động khắc phục, phòng ngừa của Anh/Chị đang mở" in page
    assert "<strong>1</strong> quá hạn" in page
    assert reverse("audits:my_actions") in page
    # An author is no secretary: no change requests or copies section.
    assert "bản kiểm soát cần thu hồi" not in page


def test_someone_with_nothing_to_do_is_told_so(client, users):
    page = _panel(client, users.auditor_kimboi)

    assert "Không có việc nào đang chờ Anh/Chị." in page


def test_staff_have_no_admin_dashboard(client, users):
    client.force_login(users.staff_luongson)

    response = client.get(reverse(HOME))

    assert response.status_code == 302


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(HOME)).status_code == 200
    return len(queries)


def test_the_panel_asks_the_database_a_bounded_number_of_times(
    client, make_document, org, users, django_user_model
):
    admin = users.admin
    _unit_work(make_document, org.luongson, "QT-LS-01", users.staff_luongson, users.staff_luongson)
    few = _queries(client, admin)

    for index in range(2, 9):
        _unit_work(
            make_document,
            org.luongson if index % 2 else org.kimboi,
            f"QT-{index:02d}",
            users.staff_kimboi,
            users.staff_kimboi,
            copies_to_recall=3,
        )
    for index in range(6):
        CorrectiveAction.objects.create(
            kind=ActionKind.PREVENTIVE,
            unit=org.kimboi,
            potential_problem="Thiếu biểu mẫu",
            action_plan="Bổ sung biểu mẫu",
            owner=admin,
            due_date=datetime.date(2012, 1, 1 + index),
        )
    many = _queries(client, admin)

    # The actions section appears with the first action (two counts), nothing grows with data.
    assert many <= few + 2
    page = client.get(reverse(HOME)).content.decode()
    assert "<strong>8</strong> phiếu đề nghị sửa đổi chờ trả lời" in page
    assert "<strong>22</strong> bản kiểm soát cần thu hồi" in page
