"""Read acknowledgements (ISO 9001:2008 4.2.3 d): who must confirm reading a revision in force."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from documents import distribution
from documents.lifecycle import bring_into_force
from documents.models import ReadAcknowledgement
from qms.models import Membership, Role
from tests.conftest import PASSWORD
from tests.distribution_helpers import count_queries, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(make_document, org, users):
    """A Văn phòng Sở procedure that applies to Kim Bôi too, issued (revision 01) today."""
    document = make_document(unit=org.vp, code="QT-VP-01", applies_to=[org.kimboi])
    issue(document, users.approver_sgd, summary="Ban hành lần đầu")
    return document


def _labels(revision):
    return [row.label for row in distribution.coverage(revision)]


def test_a_revision_coming_into_force_asks_the_owning_and_applied_units_staff(procedure, users):
    revision = procedure.issued_revisions.get()
    asked = set(
        ReadAcknowledgement.objects.filter(issued_revision=revision).values_list(
            "user__username", flat=True
        )
    )
    assert asked == {"author.vp", "reviewer.vp", "staff.vp", "auditor.kimboi", "staff.kimboi"}
    assert _labels(revision) == ["Phòng GD&ĐT Kim Bôi: 0/2", "Văn phòng Sở: 0/3"]


def test_a_province_wide_document_reaches_the_district_offices(make_document, org, users):
    # staff.vp also works in Kim Bôi: asked once, through the unit nearest the document's own.
    Membership.objects.create(user=users.staff_vp, unit=org.kimboi, role=Role.STAFF)
    document = make_document(unit=org.sgd, code="QT-SGD-09", applies_to=[org.sgd])
    revision = issue(document, users.approver_sgd)
    units = {row.unit_name for row in distribution.coverage(revision)}
    assert {"Phòng GD&ĐT Lương Sơn", "Phòng GD&ĐT Kim Bôi", "Văn phòng Sở"} <= units
    asked = ReadAcknowledgement.objects.filter(issued_revision=revision, user=users.staff_vp)
    assert [row.unit for row in asked] == [org.vp]


def test_acknowledging_moves_the_unit_count_and_twice_changes_nothing(procedure, users):
    revision = procedure.issued_revisions.get()
    first = distribution.acknowledge(user=users.staff_kimboi, revision=revision)
    assert first.acknowledged_at is not None
    again = distribution.acknowledge(user=users.staff_kimboi, revision=revision)
    assert again.acknowledged_at == first.acknowledged_at
    assert _labels(revision) == ["Phòng GD&ĐT Kim Bôi: 1/2", "Văn phòng Sở: 0/3"]
    # Opening is a bulk insert (not in history); the confirmation is recorded once, not twice.
    assert first.history.count() == 1


def test_someone_not_asked_cannot_acknowledge(procedure, users):
    revision = procedure.issued_revisions.get()
    with pytest.raises(PermissionDenied):
        distribution.acknowledge(user=users.staff_luongson, revision=revision)


def test_a_new_revision_asks_again_and_the_old_one_can_no_longer_be_confirmed(procedure, users):
    old = procedure.issued_revisions.get()
    new = issue(procedure, users.approver_sgd, summary="Sửa bước 2")
    assert distribution.pending_for(users.staff_vp, new) is not None
    with pytest.raises(ValidationError):
        distribution.acknowledge(user=users.staff_vp, revision=old)
    pending = [
        row.issued_revision_id for row in distribution.pending_acknowledgements(users.staff_vp)
    ]
    assert pending == [new.pk]


def test_a_revision_with_a_later_effective_date_asks_when_it_comes_into_force(
    make_document, org, users
):
    document = make_document(unit=org.vp, code="QT-VP-02")
    later = timezone.localdate() + datetime.timedelta(days=10)
    revision = issue(document, users.approver_sgd, effective_from=later)
    assert not ReadAcknowledgement.objects.filter(issued_revision=revision).exists()
    bring_into_force(later)
    assert ReadAcknowledgement.objects.filter(issued_revision=revision).count() == 3


def test_the_document_page_offers_the_button_and_records_the_confirmation(client, procedure, users):
    client.login(username="staff.kimboi", password=PASSWORD)
    page = client.get(reverse("site:document", args=[procedure.pk]))
    assert "Tôi đã đọc và hiểu" in page.content.decode()
    response = client.post(reverse("site:acknowledge", args=[procedure.pk, 1]))
    assert response.status_code == 302
    page = client.get(reverse("site:document", args=[procedure.pk]))
    assert "Tôi đã đọc và hiểu" not in page.content.decode()
    assert _labels(procedure.issued_revisions.get())[0] == "Phòng GD&ĐT Kim Bôi: 1/2"


def test_a_reader_not_asked_gets_a_message_not_an_error(client, procedure, users):
    client.login(username="controller.sgd", password=PASSWORD)
    response = client.post(reverse("site:acknowledge", args=[procedure.pk, 1]), follow=True)
    assert "không thuộc danh sách" in response.content.decode()


def test_the_pending_list_shows_what_is_left_to_read(client, procedure, users):
    client.login(username="staff.vp", password=PASSWORD)
    page = client.get(reverse("site:my_acknowledgements")).content.decode()
    assert "QT-VP-01" in page
    response = client.post(reverse("site:acknowledge", args=[procedure.pk, 1]), {"next": "list"})
    assert response.url == reverse("site:my_acknowledgements")
    page = client.get(response.url).content.decode()  # shows the success message once
    page = client.get(response.url).content.decode()
    assert "QT-VP-01" not in page


def test_coverage_is_shown_to_the_secretary_and_a_units_head_only_sees_their_unit(
    client, procedure, users
):
    client.login(username="controller.sgd", password=PASSWORD)
    page = client.get(reverse("site:coverage", args=[procedure.pk])).content.decode()
    assert "0/2" in page and "0/3" in page
    client.login(username="staff.vp", password=PASSWORD)
    assert client.get(reverse("site:coverage", args=[procedure.pk])).status_code == 403


def test_the_coverage_names_who_has_not_read_yet(client, procedure, users, org):
    client.login(username="controller.sgd", password=PASSWORD)
    url = reverse("site:coverage", args=[procedure.pk]) + f"?don-vi={org.kimboi.pk}"
    page = client.get(url).content.decode()
    assert "staff.kimboi" in page and "chưa xác nhận" in page
    assert (
        client.get(reverse("site:coverage", args=[procedure.pk]) + "?don-vi=abc").status_code == 200
    )


def test_the_pending_list_and_the_coverage_ask_a_bounded_number_of_queries(
    client, make_document, org, users
):
    def add(code):
        issue(make_document(unit=org.vp, code=code, applies_to=[org.kimboi]), users.approver_sgd)

    add("QT-VP-10")
    client.login(username="staff.vp", password=PASSWORD)
    small = count_queries(client, reverse("site:my_acknowledgements"))
    for index in range(11, 16):
        add(f"QT-VP-{index}")
    assert count_queries(client, reverse("site:my_acknowledgements")) == small
