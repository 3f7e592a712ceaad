"""/api/v1/audits, /findings, /actions: same rules as the domain — 403 with the reason, 409 for a
wrong state, 404 for what the caller may not see."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from wagtail.models import APIToken

from audits.models import CorrectiveAction, Finding, FindingStatus
from tests.audit_support import *  # noqa: F403  (the fixtures)
from tests.audit_support import AUDIT_DAY, plan

API = "/api/v1"


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_the_api_requires_authentication(client, ls_finding):
    assert client.get(f"{API}/findings").status_code == 401
    assert post(client, f"{API}/findings/{ls_finding.pk}/close").status_code == 401


def test_an_auditor_plans_an_audit_of_a_district_and_the_exact_revision_is_recorded(
    org, users, as_user, ls_document
):
    client = as_user(users.auditor_sgd)
    response = post(
        client,
        f"{API}/audits",
        {
            "qms_root": org.luongson.pk,
            "title": "Đánh giá Lương Sơn",
            "units": [org.luongson.pk],
            "start_date": str(AUDIT_DAY),
            "end_date": str(AUDIT_DAY),
            "lead_auditor": users.auditor_sgd.pk,
            "clauses": ["4.2.3"],
            "documents": [ls_document.pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["revisions"][0]["number"] == 1
    assert body["team"][0]["role"] == "lead"
    audit_id = body["id"]
    assert post(client, f"{API}/audits/{audit_id}/start").status_code == 200
    assert post(client, f"{API}/audits/{audit_id}/start").status_code == 409
    items = post(client, f"{API}/audits/{audit_id}/checklist").json()
    assert len(items) == 2
    response = post(
        client,
        f"{API}/audits/{audit_id}/checklist/{items[0]['id']}",
        {"result": "conforming", "evidence": "Có sổ theo dõi."},
    )
    assert response.json()["result"] == "conforming"


def test_independence_refusals_answer_403_with_the_reason(org, users, as_user, ls_audit):
    client = as_user(users.qm_sgd)
    response = post(
        client, f"{API}/audits/{ls_audit.pk}/team", {"auditor": users.auditor_kimboi.pk}
    )
    assert response.status_code == 403
    assert "không phải đánh giá viên nội bộ" in response.json()["detail"]
    client = as_user(users.auditor_kimboi)
    response = post(
        client,
        f"{API}/audits",
        {
            "qms_root": org.kimboi.pk,
            "title": "Tự đánh giá",
            "units": [org.kimboi.pk],
            "start_date": str(AUDIT_DAY),
            "end_date": str(AUDIT_DAY),
            "lead_auditor": users.auditor_kimboi.pk,
        },
    )
    assert response.status_code == 403
    assert "độc lập" in response.json()["detail"]


def test_an_auditor_not_on_the_team_cannot_log_a_finding_through_the_api(
    org, users, as_user, ls_audit
):
    client = as_user(users.auditor_kimboi)
    response = post(
        client,
        f"{API}/findings",
        {"audit": ls_audit.pk, "unit": org.luongson.pk, "kind": "minor", "description": "x"},
    )
    assert response.status_code == 400, "the audit is not even visible to them"
    client = as_user(users.qm_sgd)
    response = post(
        client,
        f"{API}/findings",
        {"audit": ls_audit.pk, "unit": org.luongson.pk, "kind": "minor", "description": "x"},
    )
    assert response.status_code == 403
    assert "không thuộc đoàn đánh giá" in response.json()["detail"]


def test_a_district_head_lists_only_their_districts_findings_and_gets_404_for_others(
    users, as_user, ls_finding, kimboi_finding
):
    client = as_user(users.approver_luongson)
    listed = client.get(f"{API}/findings").json()["items"]
    assert [f["id"] for f in listed] == [ls_finding.pk]
    assert client.get(f"{API}/findings/{kimboi_finding.pk}").status_code == 404
    response = post(client, f"{API}/findings/{kimboi_finding.pk}/acknowledge")
    assert response.status_code == 404
    assert client.get(f"{API}/findings?kind=minor&clause=4.2.3").json()["count"] == 1
    assert client.get(f"{API}/findings?kind=major").json()["count"] == 0


def test_the_corrective_action_cycle_through_the_api(users, as_user, ls_finding):
    head = as_user(users.approver_luongson)
    assert post(head, f"{API}/findings/{ls_finding.pk}/acknowledge").status_code == 200
    response = post(
        head,
        f"{API}/actions",
        {
            "finding": ls_finding.pk,
            "correction": "Thu hồi bản cũ.",
            "why_chain": ["Không có danh sách phân phối"],
            "cause_category": "method",
            "action_plan": "Lập danh sách phân phối.",
            "owner": users.staff_luongson.pk,
            "due_date": "2099-01-31",
        },
    )
    assert response.status_code == 201, response.content
    action_id = response.json()["id"]

    auditor = as_user(users.auditor_sgd)
    closing = post(auditor, f"{API}/findings/{ls_finding.pk}/close")
    assert closing.status_code == 409
    assert "chưa được xác nhận" in closing.json()["detail"]
    assert post(auditor, f"{API}/actions/{action_id}/verify").status_code == 409

    owner = as_user(users.staff_luongson)
    response = post(owner, f"{API}/actions/{action_id}/implement", {"evidence": "Đã lập."})
    assert response.json()["status"] == "implemented"
    assert post(owner, f"{API}/actions/{action_id}/verify").status_code == 403

    auditor = as_user(users.auditor_sgd)
    assert post(auditor, f"{API}/actions/{action_id}/verify").status_code == 200
    response = post(auditor, f"{API}/actions/{action_id}/effectiveness", {"effective": True})
    assert response.status_code == 200
    assert Finding.objects.get(pk=ls_finding.pk).status == FindingStatus.CLOSED
    assert auditor.get(f"{API}/actions?open=false").json()["count"] == 1


def test_bad_input_answers_400_never_500(org, users, as_user, ls_finding):
    head = as_user(users.approver_luongson)
    response = post(
        head,
        f"{API}/actions",
        {
            "finding": ls_finding.pk,
            "action_plan": "x",
            "owner": 999999,
            "due_date": "2099-01-31",
        },
    )
    assert response.status_code == 400
    assert "người chịu trách nhiệm" in response.json()["detail"]
    response = post(
        head,
        f"{API}/actions",
        {
            "finding": ls_finding.pk,
            "action_plan": " ",
            "owner": users.staff_luongson.pk,
            "due_date": "2099-01-31",
        },
    )
    assert response.status_code == 400
    assert "kế hoạch hành động" in response.json()["detail"]
    assert not CorrectiveAction.objects.exists()


def test_overdue_filter_and_the_register_download_use_a_bearer_token(client, users, ls_finding):
    action = plan(users, ls_finding)  # due 15/11/2012: long overdue today
    _token, plaintext = APIToken.create_token(user=users.qm_sgd, name="báo cáo")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    listed = client.get(f"{API}/actions?overdue=true", **headers).json()
    assert [a["id"] for a in listed["items"]] == [action.pk]
    assert listed["items"][0]["overdue"] is True
    response = client.get(f"{API}/actions/register.xlsx", **headers)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Sổ theo dõi"]
    assert sheet.cell(row=2, column=10).value == "Quá hạn"
    response = client.get(f"{API}/audits/{ls_finding.audit_id}/report.pdf", **headers)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    _other, outsider_token = APIToken.create_token(user=users.staff_kimboi, name="khác")
    staff = {"HTTP_AUTHORIZATION": f"Bearer {outsider_token}"}
    assert client.get(f"{API}/audits/{ls_finding.audit_id}/report.pdf", **staff).status_code == 404


def test_the_openapi_schema_describes_the_audit_endpoints(client, users):
    client.force_login(users.staff_vp)
    schema = client.get(f"{API}/openapi.json").json()
    paths = schema["paths"]
    assert "/api/v1/actions/{action_id}/implement" in paths
    assert "/api/v1/findings/{finding_id}/reopen" in paths
    assert "/api/v1/audits/{audit_id}/team" in paths


def test_a_unit_head_records_a_complaint_nonconformity_of_their_unit_only(org, users, as_user):
    client = as_user(users.approver_luongson)
    response = post(
        client,
        f"{API}/findings",
        {
            "unit": org.luongson.pk,
            "kind": "minor",
            "source": "complaint",
            "clause": "7.2.3",
            "description": "Công dân phản ánh không được hướng dẫn hồ sơ đầy đủ.",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["audit_id"] is None and response.json()["clause"] == "7.2.3"
    response = post(
        client,
        f"{API}/findings",
        {"unit": org.kimboi.pk, "kind": "minor", "source": "complaint", "description": "x"},
    )
    assert response.status_code == 403
    response = post(
        client,
        f"{API}/findings",
        {"unit": org.luongson.pk, "kind": "minor", "clause": "9.9", "description": "x"},
    )
    assert response.status_code == 400 and "9.9" in response.json()["detail"]
