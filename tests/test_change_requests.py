"""Change requests (Phiếu đề nghị sửa đổi tài liệu): asked by readers, answered by the secretary."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from documents import change_requests
from documents.models import ChangeRequest, ControlledDocument
from tests.conftest import PASSWORD
from tests.distribution_helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(make_document, org):
    """An internal procedure of the department, in force: readable by the department's staff."""
    return make_document(unit=org.vp, code="QT-VP-01", issued=True)


def _ask(user, document, reason="Biểu mẫu BM-02 không còn dùng"):
    return change_requests.request_change(
        user=user, document=document, reason=reason, proposed_change="Bỏ BM-02 ở mục 5"
    )


def test_a_reader_asks_and_the_secretary_is_told(
    procedure, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(users.staff_vp, procedure)
    assert request.status == ChangeRequest.Status.OPEN
    assert request.issued_revision.number == 1
    assert [message.to for message in mail.outbox] == [["controller.sgd@example.vn"]]
    assert "QT-VP-01" in mail.outbox[0].subject


def test_another_districts_staff_cannot_ask_about_a_document_they_cannot_read(procedure, users):
    with pytest.raises(PermissionDenied):
        _ask(users.staff_luongson, procedure)
    assert not ChangeRequest.objects.exists()


def test_a_reason_is_required(procedure, users):
    with pytest.raises(ValidationError) as refused:
        _ask(users.staff_vp, procedure, reason="   ")
    assert "lý do" in refused.value.messages[0]


def test_a_draft_cannot_be_the_subject_of_a_request(make_document, org, users):
    draft = make_document(unit=org.vp, code="QT-VP-02")
    with pytest.raises(PermissionDenied):
        _ask(users.author_vp, draft)


def test_staff_cannot_answer_and_another_units_secretary_neither(procedure, users):
    request = _ask(users.staff_vp, procedure)
    for user in (users.staff_vp, users.author_vp, users.controller_luongson):
        with pytest.raises(PermissionDenied):
            change_requests.accept(user=user, change_request=request)
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.OPEN


def test_accepting_opens_a_draft_linked_to_the_request_and_tells_the_requester(
    procedure, users, django_capture_on_commit_callbacks
):
    request = _ask(users.staff_vp, procedure)
    with django_capture_on_commit_callbacks(execute=True):
        change_requests.accept(
            user=users.controller_sgd, change_request=request, answer="Giao Văn phòng sửa"
        )
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.ACCEPTED
    assert request.answered_by == users.controller_sgd
    procedure.refresh_from_db()
    assert request.draft_revision == procedure.latest_revision
    draft = request.draft_revision.as_object()
    assert f"phiếu đề nghị số {request.pk}" in draft.change_summary
    assert [message.to for message in mail.outbox] == [["staff.vp@example.vn"]]
    assert "được chấp nhận" in mail.outbox[0].subject


def test_declining_needs_an_answer_and_the_requester_reads_it(
    procedure, users, django_capture_on_commit_callbacks
):
    request = _ask(users.staff_vp, procedure)
    with pytest.raises(ValidationError):
        change_requests.decline(user=users.controller_sgd, change_request=request, answer="")
    with django_capture_on_commit_callbacks(execute=True):
        change_requests.decline(
            user=users.controller_sgd, change_request=request, answer="BM-02 vẫn đang dùng"
        )
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.DECLINED
    assert "không được chấp nhận" in mail.outbox[0].subject
    assert "BM-02 vẫn đang dùng" in mail.outbox[0].body
    assert request.history.count() == 2


def test_a_request_is_answered_once(procedure, users):
    request = _ask(users.staff_vp, procedure)
    change_requests.decline(user=users.controller_sgd, change_request=request, answer="Không cần")
    with pytest.raises(ValidationError):
        change_requests.accept(user=users.controller_sgd, change_request=request)


def test_the_form_on_the_document_page_files_a_request(client, procedure, users):
    client.login(username="staff.vp", password=PASSWORD)
    page = client.get(reverse("site:document", args=[procedure.pk])).content.decode()
    assert "Đề nghị sửa đổi" in page
    url = reverse("site:request_change", args=[procedure.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and "Cần ghi lý do" in empty.content.decode()
    response = client.post(url, {"reason": "Sai số điện thoại", "proposed_change": ""})
    assert response.status_code == 302
    assert ChangeRequest.objects.get().reason == "Sai số điện thoại"


def test_the_form_is_not_found_for_a_document_the_user_cannot_read(client, procedure, users):
    client.login(username="staff.luongson", password=PASSWORD)
    assert client.get(reverse("site:request_change", args=[procedure.pk])).status_code == 404


def test_the_inbox_is_for_the_secretary_and_answers_from_there(client, procedure, users):
    request = _ask(users.staff_vp, procedure)
    client.login(username="staff.vp", password=PASSWORD)
    assert client.get(reverse("site:change_requests")).status_code == 403
    client.post(reverse("site:answer_change_request", args=[request.pk]), {"action": "accept"})
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.OPEN

    client.login(username="controller.sgd", password=PASSWORD)
    assert "Bỏ BM-02" in client.get(reverse("site:change_requests")).content.decode()
    response = client.post(
        reverse("site:answer_change_request", args=[request.pk]),
        {"action": "decline", "answer": ""},
        follow=True,
    )
    assert "Cần ghi lý do không chấp nhận" in response.content.decode()
    client.post(reverse("site:answer_change_request", args=[request.pk]), {"action": "accept"})
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.ACCEPTED


def test_the_inbox_asks_a_bounded_number_of_queries(client, make_document, org, users):
    documents = [make_document(unit=org.vp, code=f"QT-VP-{n}", issued=True) for n in range(10, 16)]
    _ask(users.staff_vp, documents[0])
    client.login(username="controller.sgd", password=PASSWORD)
    small = count_queries(client, reverse("site:change_requests"))
    for document in documents[1:]:
        _ask(users.staff_vp, document)
        _ask(users.author_vp, document)
    assert count_queries(client, reverse("site:change_requests")) == small
    assert ControlledDocument.objects.count() == 6
