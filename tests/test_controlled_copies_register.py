"""Controlled copies (bản kiểm soát, ISO 9001:2008 4.2.3 d, g): register, recall list, recall."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from documents import distribution
from documents.models import ControlledCopy
from documents.stamping import stamp_for
from tests.conftest import PASSWORD
from tests.distribution_helpers import count_queries, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(make_document, org):
    return make_document(unit=org.vp, code="QT-VP-01", issued=True)


def _register(user, document, unit, holder="Bộ phận Một cửa", number=None):
    return distribution.register_copy(
        user=user,
        revision=document.issued_revisions.get(status="current"),
        unit=unit,
        holder_name=holder,
        copy_number=number,
    )


def test_the_secretary_registers_numbered_copies(procedure, users, org):
    first = _register(users.controller_sgd, procedure, org.vp)
    second = _register(users.controller_sgd, procedure, org.kimboi, holder="Nguyễn Văn Hùng")
    assert (first.number, second.number) == (1, 2)
    assert second.holder == "Nguyễn Văn Hùng"
    assert second.history.count() == 1


def test_a_copy_number_is_used_once_per_revision(procedure, users, org):
    _register(users.controller_sgd, procedure, org.vp, number=5)
    with pytest.raises(ValidationError) as refused:
        _register(users.controller_sgd, procedure, org.vp, number=5)
    assert "đã được đăng ký" in refused.value.messages[0]


def test_a_holder_is_required(procedure, users, org):
    with pytest.raises(ValidationError):
        _register(users.controller_sgd, procedure, org.vp, holder="  ")


def test_staff_authors_and_another_units_secretary_cannot_register(procedure, users, org):
    for user in (users.staff_vp, users.author_vp, users.controller_luongson):
        with pytest.raises(PermissionDenied):
            _register(user, procedure, org.vp)
    assert not ControlledCopy.objects.exists()


def test_a_copy_stamps_as_a_controlled_copy_with_its_number(procedure, users, org):
    copy = _register(users.controller_sgd, procedure, org.vp)
    stamp = stamp_for(
        copy.issued_revision,
        user=users.staff_vp,
        verification_url="https://iso.example.vn/v/ABC",
        verification_code="ABC",
        downloaded_at=copy.registered_at,
        controlled_copy=copy,
    )
    assert stamp.copy_number == 1 and stamp.copy_holder == "Bộ phận Một cửa"


def test_a_new_revision_puts_the_old_copies_on_the_recall_list(procedure, users, org):
    old_copy = _register(users.controller_sgd, procedure, org.kimboi)
    assert list(distribution.recall_list(users.controller_sgd)) == []
    issue(procedure, users.approver_sgd, summary="Sửa đổi mục 5")
    assert list(distribution.recall_list(users.controller_sgd)) == [old_copy]
    # Another QMS's secretary does not see it; copies of the new revision are not listed.
    assert list(distribution.recall_list(users.controller_luongson)) == []
    _register(users.controller_sgd, procedure, org.kimboi)
    assert list(distribution.recall_list(users.controller_sgd)) == [old_copy]


def test_recalling_takes_the_copy_off_the_list_once(procedure, users, org):
    copy = _register(users.controller_sgd, procedure, org.vp)
    issue(procedure, users.approver_sgd)
    with pytest.raises(PermissionDenied):
        distribution.recall_copy(user=users.staff_vp, copy=copy)
    done = distribution.recall_copy(user=users.controller_sgd, copy=copy, note="Đã hủy")
    assert done.recalled_by == users.controller_sgd and done.recall_note == "Đã hủy"
    assert list(distribution.recall_list(users.controller_sgd)) == []
    with pytest.raises(ValidationError):
        distribution.recall_copy(user=users.controller_sgd, copy=copy)


def test_copies_of_an_out_of_force_revision_cannot_be_registered(procedure, users, org):
    old = procedure.issued_revisions.get()
    issue(procedure, users.approver_sgd)
    with pytest.raises(ValidationError):
        distribution.register_copy(
            user=users.controller_sgd, revision=old, unit=org.vp, holder_name="Văn thư"
        )


def test_the_copies_page_registers_and_refuses_bad_input(client, procedure, users, org):
    url = reverse("site:copies", args=[procedure.pk])
    client.login(username="staff.vp", password=PASSWORD)
    assert client.get(url).status_code == 403
    client.login(username="controller.sgd", password=PASSWORD)
    bad = client.post(url, {"unit": org.vp.pk, "holder_name": "Văn thư", "copy_number": "x"})
    assert bad.status_code == 200 and "Số bản phải là số nguyên" in bad.content.decode()
    bad = client.post(url, {"unit": "999999", "holder_name": "Văn thư"})
    assert "Đơn vị không hợp lệ" in bad.content.decode()
    response = client.post(url, {"unit": org.kimboi.pk, "holder_name": "Văn thư Kim Bôi"})
    assert response.status_code == 302
    assert "Văn thư Kim Bôi" in client.get(url).content.decode()


def test_the_recall_list_page_marks_copies_recalled(client, procedure, users, org):
    copy = _register(users.controller_sgd, procedure, org.vp)
    issue(procedure, users.approver_sgd)
    client.login(username="staff.vp", password=PASSWORD)
    assert client.get(reverse("site:recall_list")).status_code == 403
    client.post(reverse("site:recall_copy", args=[copy.pk]))
    copy.refresh_from_db()
    assert copy.recalled_at is None
    client.login(username="controller.sgd", password=PASSWORD)
    assert "Bộ phận Một cửa" in client.get(reverse("site:recall_list")).content.decode()
    client.post(reverse("site:recall_copy", args=[copy.pk]), {"note": "Đã thu"})
    copy.refresh_from_db()
    assert copy.recalled_at is not None


def test_the_recall_list_asks_a_bounded_number_of_queries(client, make_document, org, users):
    documents = [make_document(unit=org.vp, code=f"QT-VP-{n}", issued=True) for n in range(10, 15)]

    def copy_then_reissue(document):
        _register(users.controller_sgd, document, org.vp)
        _register(users.controller_sgd, document, org.kimboi)
        issue(document, users.approver_sgd)

    copy_then_reissue(documents[0])
    client.login(username="controller.sgd", password=PASSWORD)
    small = count_queries(client, reverse("site:recall_list"))
    for document in documents[1:]:
        copy_then_reissue(document)
    assert count_queries(client, reverse("site:recall_list")) == small
    assert ControlledCopy.objects.count() == 10


def test_the_document_page_links_the_register_for_the_secretary_only(client, procedure, users):
    copies_url = reverse("site:copies", args=[procedure.pk])
    client.login(username="controller.sgd", password=PASSWORD)
    assert copies_url in client.get(reverse("site:document", args=[procedure.pk])).content.decode()
    client.login(username="staff.vp", password=PASSWORD)
    assert (
        copies_url not in client.get(reverse("site:document", args=[procedure.pk])).content.decode()
    )
