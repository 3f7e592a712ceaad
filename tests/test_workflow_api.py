"""The write API of documents: the same workflow and refusals as the admin, as HTTP answers."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import ControlledDocument, IssuedRevision
from tests.conftest import PASSWORD, make_pdf_bytes
from tests.workflow_helpers import bearer, draft, issue

API = "/api/v1/documents"


def pdf(name="quy-trinh.pdf", text="Quy trình tiếp nhận hồ sơ"):
    return SimpleUploadedFile(name, make_pdf_bytes(text), content_type="application/pdf")


@pytest.fixture
def api(client, users):
    """``api(user).post(path, ...)``: the test client authenticated by the user's API token."""

    class Caller:
        def __init__(self, user):
            self.headers = bearer(user)

        def get(self, path, **params):
            return client.get(path, params, **self.headers)

        def post(self, path, data=None, multipart=False):
            if multipart:
                return client.post(path, data or {}, **self.headers)
            return client.post(path, data or {}, content_type="application/json", **self.headers)

    return Caller


def create(api, users, org, code="QT-LS-02"):
    return api(users["author.luongson"]).post(
        API,
        {
            "unit": org.luongson.pk,
            "code": code,
            "title": "Quy trình giải quyết khiếu nại",
            "kind": "procedure",
            "change_summary": "Ban hành lần đầu",
            "file": pdf(),
        },
        multipart=True,
    )


def test_the_whole_path_through_the_api(api, users, org):
    response = create(api, users, org)
    assert response.status_code == 201, response.content
    document_id = response.json()["id"]
    assert response.json()["status"] == "draft"

    response = api(users["author.luongson"]).post(f"{API}/{document_id}/submit")
    assert response.status_code == 200
    assert response.json()["current_step"] == "Xem xét"

    response = api(users["reviewer.luongson"]).post(
        f"{API}/{document_id}/approve", {"comment": "Đạt"}
    )
    assert response.status_code == 200
    assert response.json()["current_step"] == "Phê duyệt ban hành"

    response = api(users["approver.luongson"]).post(
        f"{API}/{document_id}/approve", {"password": PASSWORD, "comment": "Ban hành"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_force"
    assert body["current_revision"] == 1

    # Second revision: a new file and change summary, through the workflow again.
    response = api(users["author.luongson"]).post(
        f"{API}/{document_id}/revisions",
        {"change_summary": "Bổ sung bước tiếp nhận trực tuyến", "file": pdf("v2.pdf", "Bản 2")},
        multipart=True,
    )
    assert response.status_code == 201, response.content
    api(users["author.luongson"]).post(f"{API}/{document_id}/submit")
    api(users["reviewer.luongson"]).post(f"{API}/{document_id}/approve", {"comment": ""})
    response = api(users["approver.luongson"]).post(
        f"{API}/{document_id}/approve", {"password": PASSWORD}
    )
    assert response.json()["current_revision"] == 2

    history = api(users["staff.luongson"]).get(f"{API}/{document_id}/revisions").json()
    assert [(r["number_label"], r["status"]) for r in history] == [
        ("01", "superseded"),
        ("02", "current"),
    ]
    assert history[1]["change_summary"] == "Bổ sung bước tiếp nhận trực tuyến"
    assert history[0]["effective_to"] == history[1]["effective_from"]


def test_creating_needs_the_author_role_in_the_unit(api, users, org):
    response = api(users["author.vp"]).post(
        API,
        {
            "unit": org.luongson.pk,
            "code": "QT-LS-09",
            "title": "X",
            "kind": "procedure",
            "file": pdf(),
        },
        multipart=True,
    )
    assert response.status_code == 403
    assert "Lương Sơn" in response.json()["detail"]
    assert not ControlledDocument.objects.filter(code="QT-LS-09").exists()


def test_creating_with_a_code_already_used_in_the_qms_is_a_conflict(api, users, org):
    assert create(api, users, org, code="QT-LS-05").status_code == 201
    response = create(api, users, org, code="qt-ls-05")
    assert response.status_code == 409
    assert "Mã tài liệu" in response.json()["detail"]


def test_creating_refuses_a_file_that_is_not_a_pdf_or_docx(api, users, org):
    response = api(users["author.luongson"]).post(
        API,
        {
            "unit": org.luongson.pk,
            "code": "QT-LS-07",
            "title": "X",
            "kind": "procedure",
            "file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"),
        },
        multipart=True,
    )
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.fixture
def at_approval(make_document, org, users):
    from documents.workflow import act_on_document, submit_document

    document = draft(make_document, org, users["author.luongson"])
    submit_document(document, users["author.luongson"])
    act_on_document(document, users["reviewer.luongson"], "approve", comment="")
    return document


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("reviewer.luongson", "không có vai trò người phê duyệt"),
        ("controller.luongson", "không có vai trò người phê duyệt"),
        ("author.luongson", "người soạn thảo"),
    ],
)
def test_a_refused_approval_answers_403_with_the_reason(api, users, at_approval, who, reason):
    response = api(users[who]).post(f"{API}/{at_approval.pk}/approve", {"password": PASSWORD})
    assert response.status_code == 403
    assert reason in response.json()["detail"]
    assert not IssuedRevision.objects.exists()


def test_the_department_approver_and_staff_cannot_approve_a_district_revision(
    api, users, make_document, org
):
    from documents.workflow import act_on_document, submit_document
    from tests.workflow_helpers import new_draft_revision

    # A public, issued Lương Sơn procedure: everyone sees it, only Lương Sơn's approver signs.
    document = draft(make_document, org, users["author.luongson"])
    document.visibility = ControlledDocument.Visibility.PUBLIC
    document.save()
    document.save_revision(user=users["author.luongson"])
    issue(document, users)
    new_draft_revision(document, users["author.luongson"])
    submit_document(document, users["author.luongson"])
    act_on_document(document, users["reviewer.luongson"], "approve", comment="")
    for who in ("approver.sgd", "staff.luongson", "staff.kimboi"):
        response = api(users[who]).post(f"{API}/{document.pk}/approve", {"password": PASSWORD})
        assert response.status_code == 403, who
        assert "không có vai trò người phê duyệt" in response.json()["detail"]
    assert IssuedRevision.objects.filter(document=document).count() == 1


def test_staff_may_not_approve_and_outsiders_do_not_see_the_draft(api, users, at_approval):
    # Staff of Lương Sơn cannot even see an unissued draft: it does not exist for them.
    response = api(users["staff.luongson"]).post(
        f"{API}/{at_approval.pk}/approve", {"password": PASSWORD}
    )
    assert response.status_code == 404
    for who in ("staff.kimboi", "approver.sgd"):
        response = api(users[who]).post(f"{API}/{at_approval.pk}/approve", {"password": PASSWORD})
        assert response.status_code == 404
    assert not IssuedRevision.objects.exists()


def test_a_wrong_password_answers_403_and_approves_nothing(api, users, at_approval):
    response = api(users["approver.luongson"]).post(
        f"{API}/{at_approval.pk}/approve", {"password": "đoán-thử"}
    )
    assert response.status_code == 403
    assert "Mật khẩu không đúng" in response.json()["detail"]
    response = api(users["approver.luongson"]).post(f"{API}/{at_approval.pk}/approve", {})
    assert response.status_code == 403
    assert not IssuedRevision.objects.exists()


def test_approving_twice_answers_409(api, users, at_approval):
    first = api(users["approver.luongson"]).post(
        f"{API}/{at_approval.pk}/approve", {"password": PASSWORD}
    )
    assert first.status_code == 200
    second = api(users["approver.luongson"]).post(
        f"{API}/{at_approval.pk}/approve", {"password": PASSWORD}
    )
    assert second.status_code == 409
    assert IssuedRevision.objects.count() == 1


def test_an_effective_date_in_the_past_is_refused(api, users, at_approval):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = api(users["approver.luongson"]).post(
        f"{API}/{at_approval.pk}/approve",
        {"password": PASSWORD, "effective_from": yesterday.isoformat()},
    )
    assert response.status_code == 409
    assert not IssuedRevision.objects.exists()


def test_a_future_effective_date_is_approved_but_not_yet_in_force(api, users, at_approval):
    later = timezone.localdate() + datetime.timedelta(days=10)
    response = api(users["approver.luongson"]).post(
        f"{API}/{at_approval.pk}/approve",
        {"password": PASSWORD, "effective_from": later.isoformat()},
    )
    assert response.status_code == 200
    assert response.json()["upcoming_revision"] == 1
    assert response.json()["current_revision"] is None
    issued = IssuedRevision.objects.get()
    assert (issued.status, issued.effective_from) == ("upcoming", later)


def test_reject_needs_a_comment_and_sends_the_draft_back(api, users, make_document, org):
    from documents.workflow import submit_document

    document = draft(make_document, org, users["author.luongson"])
    submit_document(document, users["author.luongson"])
    response = api(users["reviewer.luongson"]).post(f"{API}/{document.pk}/reject", {})
    assert response.status_code == 422
    response = api(users["reviewer.luongson"]).post(
        f"{API}/{document.pk}/reject", {"comment": "Thiếu biểu mẫu"}
    )
    assert response.status_code == 200
    assert response.json()["workflow_status"] == "needs_changes"


def test_submitting_twice_answers_409(api, users, make_document, org):
    document = draft(make_document, org, users["author.luongson"])
    assert api(users["author.luongson"]).post(f"{API}/{document.pk}/submit").status_code == 200
    assert api(users["author.luongson"]).post(f"{API}/{document.pk}/submit").status_code == 409


def test_only_editors_of_the_unit_submit(api, users, make_document, org):
    document = draft(make_document, org, users["author.luongson"])
    response = api(users["reviewer.luongson"]).post(f"{API}/{document.pk}/submit")
    assert response.status_code == 403
    assert "gửi xem xét" in response.json()["detail"]


def test_withdrawal_through_the_api(api, users, make_document, org):
    document = issue(draft(make_document, org, users["author.luongson"]), users)
    response = api(users["author.luongson"]).post(
        f"{API}/{document.pk}/withdraw", {"reason": "Không còn áp dụng"}
    )
    assert response.status_code == 403
    response = api(users["controller.luongson"]).post(
        f"{API}/{document.pk}/withdraw", {"reason": " "}
    )
    assert response.status_code == 403
    response = api(users["controller.luongson"]).post(
        f"{API}/{document.pk}/withdraw", {"reason": "Không còn áp dụng"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert response.json()["current_revision"] is None
    revision = IssuedRevision.objects.get(document=document)
    assert (revision.status, revision.withdrawal_reason) == ("obsolete", "Không còn áp dụng")

    # Acting on a withdrawn document: 409 everywhere.
    for path, body in [
        ("withdraw", {"reason": "Lần nữa"}),
        ("submit", {}),
        ("approve", {"password": PASSWORD}),
    ]:
        who = "controller.luongson" if path == "withdraw" else "approver.luongson"
        if path == "submit":
            who = "author.luongson"
        assert api(users[who]).post(f"{API}/{document.pk}/{path}", body).status_code == 409
    response = api(users["author.luongson"]).post(
        f"{API}/{document.pk}/revisions",
        {"change_summary": "Sửa", "file": pdf()},
        multipart=True,
    )
    assert response.status_code == 409


def test_the_register_has_no_write_endpoint(api, users, make_document, org):
    document = issue(draft(make_document, org, users["author.luongson"]), users)
    caller = api(users["admin"])
    url = f"{API}/{document.pk}/revisions"
    from django.test import Client

    raw = Client()
    for method in ("put", "patch", "delete"):
        response = getattr(raw, method)(url, content_type="application/json", **caller.headers)
        assert response.status_code == 405
    assert IssuedRevision.objects.get(document=document).status == "current"


def test_approving_a_draft_that_was_never_submitted_answers_409(api, users, make_document, org):
    document = draft(make_document, org, users["author.luongson"])
    response = api(users["reviewer.luongson"]).post(f"{API}/{document.pk}/approve", {})
    assert response.status_code == 409
    assert "không ở bước" in response.json()["detail"]


def test_anyone_reads_the_revision_history_of_a_public_document(client, users, make_document, org):
    document = draft(make_document, org, users["author.luongson"])
    document.visibility = ControlledDocument.Visibility.PUBLIC
    document.save()
    document.save_revision(user=users["author.luongson"])
    url = f"{API}/{document.pk}/revisions"
    assert client.get(url).status_code == 404  # not issued yet: nothing public
    issue(document, users)
    assert [r["number"] for r in client.get(url).json()] == [1]
