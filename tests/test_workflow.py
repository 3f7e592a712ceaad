"""The workflow "Kiểm soát tài liệu": review then signed approval, in the domain and the admin."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from documents.models import ControlledDocument, IssuedRevision
from documents.workflow import (
    ApprovalSignature,
    DocumentApprovalTask,
    DocumentReviewTask,
    WorkflowConflict,
    WorkflowRefused,
    act_on_document,
    file_sha256,
    submit_document,
)
from tests.conftest import PASSWORD
from tests.workflow_helpers import approve, draft, issue, new_draft_revision, review

EDIT = "wagtailsnippets_documents_controlleddocument:edit"
ACTION = "wagtailsnippets_documents_controlleddocument:workflow_action"


@pytest.fixture
def document(make_document, org, users):
    return draft(make_document, org, users["author.luongson"])


def current_task(document):
    document.refresh_from_db()
    state = document.current_workflow_state
    return state.current_task_state.task.specific if state else None


# --- The workflow itself --------------------------------------------------------------------


def test_every_fresh_database_has_the_workflow_on_controlled_documents(db):
    workflow = ControlledDocument.get_default_workflow()
    assert workflow.name == "Kiểm soát tài liệu"
    tasks = list(workflow.tasks.specific())
    assert [type(task) for task in tasks] == [DocumentReviewTask, DocumentApprovalTask]


def test_submitting_starts_the_review_step(document, users):
    submit_document(document, users["author.luongson"])
    assert isinstance(current_task(document), DocumentReviewTask)


def test_review_then_signed_approval_puts_revision_01_in_force(document, users):
    issue(document, users)
    assert document.live
    issued = IssuedRevision.objects.get(document=document)
    assert issued.number == 1
    assert issued.status == IssuedRevision.Status.CURRENT
    assert issued.effective_from == timezone.localdate()
    assert issued.prepared_by == users["author.luongson"]
    assert issued.reviewed_by == users["reviewer.luongson"]
    assert issued.approved_by == users["approver.luongson"]
    assert issued.signature_meaning == "Phê duyệt ban hành"


def test_the_signature_records_meaning_signer_time_and_hash_of_the_approved_file(document, users):
    expected = file_sha256(document.file)
    issue(document, users)
    signature = ApprovalSignature.objects.get(document=document)
    assert signature.meaning == "Phê duyệt ban hành"
    assert signature.signer == users["approver.luongson"]
    assert abs(signature.signed_at - timezone.now()) < datetime.timedelta(minutes=1)
    assert signature.file_sha256 == expected
    issued = IssuedRevision.objects.get(document=document)
    assert issued.signature == signature
    assert issued.file_sha256 == expected


def test_a_second_revision_supersedes_the_first(document, users):
    issue(document, users)
    new_draft_revision(document, users["author.luongson"], summary="Sửa bước 3")
    issue(document, users)
    first, second = IssuedRevision.objects.filter(document=document).order_by("number")
    assert (first.status, second.status) == ("superseded", "current")
    assert first.effective_to == second.effective_from
    assert second.change_summary == "Sửa bước 3"
    assert second.file_sha256 != first.file_sha256


def test_a_wrong_password_approves_nothing(document, users):
    submit_document(document, users["author.luongson"])
    review(document, users["reviewer.luongson"])
    with pytest.raises(WorkflowRefused, match="Mật khẩu không đúng"):
        approve(document, users["approver.luongson"], password="sai-mật-khẩu")
    assert not IssuedRevision.objects.exists()
    assert not ApprovalSignature.objects.exists()
    assert isinstance(current_task(document), DocumentApprovalTask)
    assert not ControlledDocument.objects.get(pk=document.pk).live
    refused = ModelLogEntry.objects.get(action="documents.sign_refused")
    assert refused.user_id == users["approver.luongson"].pk


def test_repeated_wrong_passwords_lock_signing_even_with_the_right_one(document, users):
    from documents.workflow import SIGNATURE_MAX_FAILURES

    submit_document(document, users["author.luongson"])
    review(document, users["reviewer.luongson"])
    approver = users["approver.luongson"]
    for _attempt in range(SIGNATURE_MAX_FAILURES):
        with pytest.raises(WorkflowRefused, match="Mật khẩu không đúng"):
            approve(document, approver, password="đoán-mò")
    with pytest.raises(WorkflowRefused, match="tạm thời không thể ký duyệt"):
        approve(document, approver)  # the right password, refused during the lockout
    assert not IssuedRevision.objects.exists()
    ModelLogEntry.objects.filter(action="documents.sign_refused").update(
        timestamp=timezone.now() - datetime.timedelta(minutes=16)
    )
    approve(document, approver)
    assert IssuedRevision.objects.get(document=document).status == "current"


def test_the_author_cannot_review_or_approve_their_own_revision(document, users):
    author = users["author.luongson"]
    # The author also holds the reviewer and approver roles here: separation of duties wins.
    from qms.models import Membership, Role

    Membership.objects.create(user=author, unit=document.unit, role=Role.REVIEWER)
    Membership.objects.create(user=author, unit=document.unit, role=Role.APPROVER)
    submit_document(document, author)
    author = type(author).objects.get(pk=author.pk)
    with pytest.raises(WorkflowRefused, match="người soạn thảo"):
        review(document, author)
    review(document, users["reviewer.luongson"])
    with pytest.raises(WorkflowRefused, match="người soạn thảo"):
        approve(document, author)
    assert not IssuedRevision.objects.exists()


@pytest.mark.parametrize("who", ["approver.sgd", "staff.luongson", "reviewer.vp", "outsider"])
def test_people_outside_the_district_qms_cannot_approve(document, users, who):
    submit_document(document, users["author.luongson"])
    review(document, users["reviewer.luongson"])
    with pytest.raises(WorkflowRefused, match="không có vai trò người phê duyệt"):
        approve(document, users[who])
    assert not IssuedRevision.objects.exists()


def test_the_reviewer_cannot_take_the_approval_step(document, users):
    submit_document(document, users["author.luongson"])
    review(document, users["reviewer.luongson"])
    with pytest.raises(WorkflowRefused):
        approve(document, users["reviewer.luongson"])


def test_a_district_approver_cannot_approve_a_department_document(make_document, org, users):
    document = make_document(unit=org.vp, code="QT-VP-01")
    document.save_revision(user=users["author.vp"])
    submit_document(document, users["author.vp"])
    review(document, users["reviewer.vp"])
    with pytest.raises(WorkflowRefused):
        approve(document, users["approver.luongson"])
    approve(document, users["approver.sgd"])
    assert IssuedRevision.objects.get(document=document).status == "current"


def test_approving_twice_is_a_conflict(document, users):
    issue(document, users)
    with pytest.raises(WorkflowConflict):
        approve(document, users["approver.luongson"])
    assert IssuedRevision.objects.count() == 1


def test_a_stale_task_state_cannot_be_acted_on_again(document, users):
    submit_document(document, users["author.luongson"])
    review(document, users["reviewer.luongson"])
    task_state = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    approve(document, users["approver.luongson"])
    with pytest.raises(WorkflowConflict):
        task_state.task.specific.on_action(
            task_state, users["approver.luongson"], "approve", password=PASSWORD
        )
    assert IssuedRevision.objects.count() == 1


def test_rejecting_sends_the_draft_back_with_the_comment(
    document, users, django_capture_on_commit_callbacks
):
    submit_document(document, users["author.luongson"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act_on_document(document, users["reviewer.luongson"], "reject", comment="Thiếu lưu đồ")
    state = WorkflowState.objects.get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "Thiếu lưu đồ"
    [message] = [m for m in mail.outbox if "Yêu cầu sửa đổi" in m.subject]
    assert message.to == ["author.luongson@example.vn"]
    assert "Thiếu lưu đồ" in message.body
    assert f"/admin/snippets/documents/controlleddocument/edit/{document.pk}/" in message.body


def test_rejecting_needs_a_comment(document, users):
    submit_document(document, users["author.luongson"])
    with pytest.raises(WorkflowRefused, match="nội dung yêu cầu sửa"):
        act_on_document(document, users["reviewer.luongson"], "reject", comment="  ")


def test_resubmitting_after_changes_restarts_the_review(document, users):
    submit_document(document, users["author.luongson"])
    act_on_document(document, users["reviewer.luongson"], "reject", comment="Sửa mục 2")
    new_draft_revision(document, users["author.luongson"])
    submit_document(document, users["author.luongson"])
    assert isinstance(current_task(document), DocumentReviewTask)
    review(document, users["reviewer.luongson"])
    approve(document, users["approver.luongson"])
    assert IssuedRevision.objects.get(document=document).status == "current"


def test_an_edit_during_approval_requires_review_again(document, users):
    submit_document(document, users["author.luongson"])
    review(document, users["reviewer.luongson"])
    new_draft_revision(document, users["author.luongson"], summary="Sửa khi đang phê duyệt")
    approve(document, users["approver.luongson"])
    # The approval was on the older draft: the newer one goes back to review, nothing is issued.
    assert isinstance(current_task(document), DocumentReviewTask)
    assert not IssuedRevision.objects.exists()


def test_starting_a_step_mails_the_people_who_must_act_with_a_link(
    document, users, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit_document(document, users["author.luongson"])
    [message] = [m for m in mail.outbox if m.subject.startswith("[ISO] Chờ xem xét")]
    assert message.to == ["reviewer.luongson@example.vn"]
    assert "QT-LS-01" in message.body and "http" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        review(document, users["reviewer.luongson"])
    [message] = [m for m in mail.outbox if m.subject.startswith("[ISO] Chờ phê duyệt")]
    assert message.to == ["approver.luongson@example.vn"]
    with django_capture_on_commit_callbacks(execute=True):
        approve(document, users["approver.luongson"])
    [message] = [m for m in mail.outbox if "Đã phê duyệt ban hành" in m.subject]
    assert message.to == ["author.luongson@example.vn"]


def test_the_dashboard_queue_lists_only_what_the_user_may_act_on(document, users):
    submit_document(document, users["author.luongson"])
    reviewable = TaskState.objects.reviewable_by(users["reviewer.luongson"])
    assert reviewable.count() == 1
    assert TaskState.objects.reviewable_by(users["reviewer.vp"]).count() == 0
    assert TaskState.objects.reviewable_by(users["author.luongson"]).count() == 0


def test_every_action_signature_and_withdrawal_is_in_the_document_history(document, users):
    from documents.lifecycle import withdraw_document

    issue(document, users)
    withdraw_document(document=document, user=users["controller.luongson"], reason="Bãi bỏ")
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(document.pk)).values_list("action", flat=True)
    )
    assert {
        "wagtail.workflow.start",
        "wagtail.workflow.approve",
        "documents.sign",
        "wagtail.publish",
        "documents.withdraw",
    } <= actions


# --- The admin, through the Django test client ----------------------------------------------


def form_data(document, **extra):
    return {
        "code": document.code,
        "title": document.title,
        "kind": document.kind,
        "unit": document.unit_id,
        "parent": "",
        "change_summary": "Ban hành lần đầu",
        "visibility": document.visibility,
        "review_period_months": document.review_period_months,
        "official_number": "",
        "issuing_body": "",
        "issued_on": "",
        "external_effective_on": "",
        "legal_status": "",
        **extra,
    }


def refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard (or to the
    login page for people without admin access); success redirects to the document instead."""
    location = response.get("Location", "")
    return (
        response.status_code in {403, 404}
        or location == "/admin/"
        or location.startswith("/admin/login/")
    )


def action_url(document, action):
    task_state = WorkflowState.objects.get(object_id=str(document.pk)).current_task_state
    return reverse(ACTION, args=[document.pk, action, task_state.pk])


def test_the_whole_path_in_the_admin(client, document, users):
    client.force_login(users["author.luongson"])
    response = client.post(
        reverse(EDIT, args=[document.pk]), form_data(document, **{"action-submit": "1"})
    )
    assert response.status_code == 302
    assert isinstance(current_task(document), DocumentReviewTask)

    client.force_login(users["reviewer.luongson"])
    home = client.get(reverse("wagtailadmin_home"))
    assert "QT-LS-01" in home.content.decode()
    editor = client.get(reverse(EDIT, args=[document.pk]))
    assert editor.status_code == 200
    assert action_url(document, "approve") in editor.content.decode()
    response = client.post(action_url(document, "approve"), {"comment": "Đạt"})
    assert response.status_code == 302
    assert isinstance(current_task(document), DocumentApprovalTask)

    client.force_login(users["approver.luongson"])
    page = client.get(action_url(document, "approve"))
    assert "Mật khẩu" in page.content.decode()
    modal = client.get(
        action_url(document, "approve"), headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert 'type="password"' in modal.json()["html"]
    wrong = client.post(action_url(document, "approve"), {"password": "sai"})
    assert wrong.status_code == 400
    assert "Mật khẩu không đúng" in wrong.content.decode()
    assert not IssuedRevision.objects.exists()
    response = client.post(action_url(document, "approve"), {"password": PASSWORD})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.live
    assert IssuedRevision.objects.get(document=document).status == "current"

    history = client.get(reverse("documents_admin:revision_history", args=[document.pk]))
    assert "Phê duyệt ban hành" in history.content.decode()
    log = client.get(
        reverse("wagtailsnippets_documents_controlleddocument:history", args=[document.pk])
    )
    assert log.status_code == 200
    assert "Ký điện tử" in log.content.decode()


def test_the_admin_modal_shows_a_wrong_password_without_error_status(client, document, users):
    submit_document(document, users["author.luongson"])
    review(document, users["reviewer.luongson"])
    client.force_login(users["approver.luongson"])
    response = client.post(
        action_url(document, "approve"),
        {"password": "sai"},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert "Mật khẩu không đúng" in response.json()["html"]
    assert not IssuedRevision.objects.exists()


@pytest.mark.parametrize("who", ["staff.luongson", "author.luongson", "approver.sgd"])
def test_the_admin_refuses_the_step_to_people_who_may_not_act(client, document, users, who):
    submit_document(document, users["author.luongson"])
    review(document, users["reviewer.luongson"])
    client.force_login(users[who])
    response = client.post(action_url(document, "approve"), {"password": PASSWORD})
    assert refused(response)
    assert not IssuedRevision.objects.exists()


def test_reviewers_open_the_editor_but_cannot_save_content(client, document, users):
    submit_document(document, users["author.luongson"])
    client.force_login(users["reviewer.luongson"])
    response = client.post(reverse(EDIT, args=[document.pk]), form_data(document, title="Sửa trộm"))
    assert refused(response)
    assert ControlledDocument.objects.get(pk=document.pk).title != "Sửa trộm"


def test_nobody_publishes_from_the_editor(client, document, users):
    from qms.models import Membership, Role

    Membership.objects.create(user=users["approver.luongson"], unit=document.unit, role=Role.AUTHOR)
    client.force_login(users["approver.luongson"])
    response = client.post(
        reverse(EDIT, args=[document.pk]), form_data(document, **{"action-publish": "1"})
    )
    assert refused(response)
    assert not ControlledDocument.objects.get(pk=document.pk).live
    assert not IssuedRevision.objects.exists()


def test_withdrawal_in_the_admin_needs_a_reason(client, document, users):
    issue(document, users)
    client.force_login(users["controller.luongson"])
    url = reverse("documents_admin:withdraw", args=[document.pk])
    # Wagtail's bare "unpublish" would skip the register: it leads to the withdrawal form.
    unpublish = reverse(
        "wagtailsnippets_documents_controlleddocument:unpublish", args=[document.pk]
    )
    assert client.get(unpublish)["Location"] == url
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Thay bằng quy trình mới"}).status_code == 302
    document.refresh_from_db()
    assert document.is_withdrawn and not document.live
    client.force_login(users["author.luongson"])
    assert refused(client.post(url, {"reason": "x"}))


def test_acting_on_a_withdrawn_document_is_refused(document, users):
    from documents.lifecycle import withdraw_document

    issue(document, users)
    new_draft_revision(document, users["author.luongson"])
    submit_document(document, users["author.luongson"])
    withdraw_document(document=document, user=users["approver.luongson"], reason="Bãi bỏ")
    document.refresh_from_db()
    with pytest.raises(WorkflowConflict):
        submit_document(document, users["author.luongson"])
    with pytest.raises(WorkflowConflict):
        review(document, users["reviewer.luongson"])
    with pytest.raises(WorkflowConflict):
        withdraw_document(document=document, user=users["approver.luongson"], reason="Lần 2")


def test_a_draft_without_a_file_cannot_be_approved(make_document, org, users):
    document = make_document(unit=org.luongson, code="QT-LS-08")
    document.file = None
    document.save()
    document.save_revision(user=users["author.luongson"])
    submit_document(document, users["author.luongson"])
    review(document, users["reviewer.luongson"])
    with pytest.raises(WorkflowConflict, match="chưa có tệp"):
        approve(document, users["approver.luongson"])
    assert not IssuedRevision.objects.exists()
    assert not ApprovalSignature.objects.exists()
