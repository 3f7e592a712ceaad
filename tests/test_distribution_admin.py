"""The admin registers of controlled copies, change requests and periodic reviews: read-only,
narrowed to the units the user oversees, with links to the staff-site pages where work is done."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from documents.models import ChangeRequest, ControlledCopy, IssuedRevision, PeriodicReview
from qms.models import Membership, Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

COPIES = "documents_copies"
REQUESTS = "documents_change_requests"
REVIEWS = "documents_periodic_reviews"


def _records(document, user, holder):
    revision = document.issued_revisions.get(status=IssuedRevision.Status.CURRENT)
    copy = ControlledCopy.objects.create(
        document=document,
        issued_revision=revision,
        unit=document.unit,
        copy_number=1,
        holder_name=holder,
        registered_by=user,
    )
    request = ChangeRequest.objects.create(
        document=document,
        issued_revision=revision,
        requested_by=user,
        reason=f"Cập nhật biểu mẫu của {holder}",
    )
    review = PeriodicReview.objects.create(
        document=document,
        issued_revision=revision,
        reviewed_by=user,
        outcome=PeriodicReview.Outcome.CONFIRMED,
        note=f"Còn phù hợp ({holder})",
        next_due=datetime.date(2030, 1, 1),
    )
    return copy, request, review


@pytest.fixture
def controller_kimboi(users, org, django_user_model):
    user = django_user_model.objects.create_user(username="controller.kimboi", password=PASSWORD)
    Membership.objects.create(user=user, unit=org.kimboi, role=Role.CONTROLLER)
    return user


@pytest.fixture
def records(make_document, org, users, controller_kimboi):
    luongson = make_document(unit=org.luongson, code="QT-LS-01", issued=True)
    kimboi = make_document(unit=org.kimboi, code="QT-KB-01", issued=True)
    return {
        "luongson": _records(luongson, users.controller_luongson, "Tổ Một cửa Lương Sơn"),
        "kimboi": _records(kimboi, controller_kimboi, "Tổ Một cửa Kim Bôi"),
    }


def _login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("viewset", [COPIES, REQUESTS, REVIEWS])
def test_a_kim_boi_secretary_sees_only_kim_boi_records(client, records, controller_kimboi, viewset):
    response = _login(client, controller_kimboi).get(reverse(f"{viewset}:index"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "QT-KB-01" in page
    assert "QT-LS-01" not in page


@pytest.mark.parametrize("position", [0, 1, 2])
def test_another_units_record_cannot_be_opened_by_its_address(
    client, records, controller_kimboi, position
):
    record = records["luongson"][position]
    viewset = (COPIES, REQUESTS, REVIEWS)[position]

    response = _login(client, controller_kimboi).get(
        reverse(f"{viewset}:inspect", args=[record.pk])
    )

    assert response.status_code == 404


def test_the_secretary_inspects_a_copy_and_is_sent_to_the_staff_site_to_act(client, records, users):
    copy = records["luongson"][0]

    response = _login(client, users.controller_luongson).get(
        reverse(f"{COPIES}:inspect", args=[copy.pk])
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tổ Một cửa Lương Sơn" in page
    assert reverse("site:copies", args=[copy.document_id]) in page


def test_the_listings_link_to_the_secretarys_staff_site_pages(client, records, users):
    client = _login(client, users.controller_luongson)

    assert reverse("site:recall_list") in client.get(reverse(f"{COPIES}:index")).content.decode()
    assert (
        reverse("site:change_requests") in client.get(reverse(f"{REQUESTS}:index")).content.decode()
    )
    assert reverse("site:review_due") in client.get(reverse(f"{REVIEWS}:index")).content.decode()


@pytest.mark.parametrize("viewset", [COPIES, REQUESTS, REVIEWS])
def test_there_is_no_add_edit_or_delete_in_the_admin(client, records, users, viewset):
    record = records["luongson"][(COPIES, REQUESTS, REVIEWS).index(viewset)]
    client = _login(client, users.admin)

    assert client.get(reverse(f"{viewset}:add")).status_code in (302, 403)
    assert client.get(reverse(f"{viewset}:edit", args=[record.pk])).status_code in (302, 403)
    assert client.get(reverse(f"{viewset}:delete", args=[record.pk])).status_code in (302, 403)
    response = client.post(reverse(f"{viewset}:delete", args=[record.pk]))
    assert response.status_code in (302, 403)
    assert type(record).objects.filter(pk=record.pk).exists()


def test_staff_have_no_admin_at_all(client, records, users):
    response = _login(client, users.staff_luongson).get(reverse(f"{COPIES}:index"))

    assert response.status_code == 302
    assert "/admin/" in response.url or "login" in response.url


def test_an_author_without_oversight_does_not_get_the_registers(client, records, users):
    response = _login(client, users.author_luongson).get(reverse(f"{REQUESTS}:index"))

    assert response.status_code == 302


def test_the_quality_manager_of_the_department_oversees_the_districts(client, records, users):
    response = _login(client, users.qm_sgd).get(reverse(f"{COPIES}:index"))

    page = response.content.decode()
    assert "QT-KB-01" in page and "QT-LS-01" in page


def test_the_copy_filter_lists_copies_to_recall(client, records, users, make_document, org):
    copy = records["luongson"][0]
    IssuedRevision.objects.filter(pk=copy.issued_revision_id).update(
        status=IssuedRevision.Status.SUPERSEDED
    )
    other = records["kimboi"][0]
    client = _login(client, users.admin)

    to_recall = client.get(reverse(f"{COPIES}:index"), {"state": "to_recall"}).content.decode()
    active = client.get(reverse(f"{COPIES}:index"), {"state": "active"}).content.decode()
    by_unit = client.get(reverse(f"{COPIES}:index"), {"owner": org.kimboi.pk}).content.decode()

    assert "QT-LS-01" in to_recall and other.document.code not in to_recall
    assert "QT-LS-01" not in active and "QT-KB-01" in active
    assert "QT-KB-01" in by_unit and "QT-LS-01" not in by_unit


def test_the_change_request_filter_by_status(client, records, users):
    ChangeRequest.objects.filter(pk=records["kimboi"][1].pk).update(
        status=ChangeRequest.Status.DECLINED
    )
    page = (
        _login(client, users.admin)
        .get(reverse(f"{REQUESTS}:index"), {"status": "open"})
        .content.decode()
    )

    assert "QT-LS-01" in page and "QT-KB-01" not in page


def test_oversight_reads_a_request_but_is_not_offered_the_answer_page(client, records, users):
    change_request = records["kimboi"][1]

    response = _login(client, users.qm_sgd).get(
        reverse(f"{REQUESTS}:inspect", args=[change_request.pk])
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Cập nhật biểu mẫu của Tổ Một cửa Kim Bôi" in page
    assert reverse("site:change_requests") not in page
    assert reverse(f"{REQUESTS}:edit", args=[change_request.pk]) not in page
