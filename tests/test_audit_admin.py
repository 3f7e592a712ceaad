"""The audit screens of the Wagtail admin: the whole journey in the browser (plan, run, log a
minor nonconformity on the exact revision, the Lương Sơn head answers, the auditor verifies and
closes), the tablet checklist, and the refusals and narrowing on each screen."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audits.models import (
    ActionStatus,
    Audit,
    AuditStatus,
    ChecklistAttachment,
    CorrectiveAction,
    Finding,
    FindingStatus,
)
from tests.audit_support import *  # noqa: F403  (the fixtures)
from tests.audit_support import AUDIT_DAY, clause, plan


def login(client, user):
    client.force_login(user)
    return client


def test_the_done_when_journey_through_the_admin(client, org, users, ls_document):
    auditor = login(client, users.auditor_sgd)
    response = auditor.post(
        reverse("audits_audit:add"),
        {
            "qms_root": org.luongson.pk,
            "title": "Đánh giá nội bộ Phòng GD&ĐT Lương Sơn",
            "units": [org.luongson.pk],
            "clauses": [clause("4.2.3").pk],
            "documents": [ls_document.pk],
            "start_date": AUDIT_DAY.isoformat(),
            "end_date": AUDIT_DAY.isoformat(),
            "lead_auditor": users.auditor_sgd.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    audit = Audit.objects.get()
    workspace = reverse("audits_admin:audit", args=[audit.pk])
    assert auditor.post(workspace, {"action": "start"}).status_code == 302
    assert auditor.post(workspace, {"action": "checklist"}).status_code == 302
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS
    assert audit.checklist.count() == 2
    page = auditor.get(workspace).content.decode()
    assert "QT-LS-01" in page and "Danh mục kiểm tra (0/2)" in page

    item = audit.checklist.get(revision__isnull=False)
    checklist = reverse("audits_admin:checklist", args=[audit.pk])
    assert 'type="radio" name="result"' in auditor.get(checklist).content.decode()
    photo = SimpleUploadedFile("bang-chung.png", b"\x89PNG\r\n", content_type="image/png")
    auditor.post(
        checklist,
        {
            "action": "record",
            "item": item.pk,
            "result": "nonconforming",
            "evidence": "Bản photo không đóng dấu kiểm soát.",
            "attachment": photo,
        },
    )
    item.refresh_from_db()
    assert item.result == "nonconforming"
    auditor.post(
        checklist,
        {"action": "question", "question": "Có sổ theo dõi phân phối tài liệu không?"},
    )
    assert audit.checklist.filter(question__startswith="Có sổ theo dõi phân phối").exists()
    attachment = ChecklistAttachment.objects.get()
    file_url = reverse("audits_admin:attachment", args=[attachment.pk])
    assert auditor.get(file_url).status_code == 200

    response = auditor.post(
        reverse("audits_finding:add"),
        {
            "audit": audit.pk,
            "source": "audit",
            "unit": org.luongson.pk,
            "kind": "minor",
            "clause": clause("4.2.3").pk,
            "revision": item.revision_id,
            "description": "Bản tài liệu tại bộ phận một cửa chưa được kiểm soát.",
            "evidence": "Quan sát ngày 15/10/2012.",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    finding = Finding.objects.get()
    assert finding.revision.number == 1 and finding.reported_by == users.auditor_sgd

    head = login(client, users.approver_luongson)
    finding_page = reverse("audits_admin:finding", args=[finding.pk])
    assert "Xác nhận phát hiện" in head.get(finding_page).content.decode()
    head.post(finding_page, {"action": "acknowledge", "text": "Thống nhất."})
    response = head.post(
        reverse("audits_action:add"),
        {
            "finding": finding.pk,
            "correction": "Thu hồi bản không kiểm soát.",
            "why_chain": "Bản cũ còn lưu\nChưa có danh sách phân phối",
            "cause_category": "method",
            "root_cause": "Thiếu quy định phân phối.",
            "action_plan": "Lập danh sách phân phối tài liệu.",
            "owner": users.approver_luongson.pk,
            "due_date": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    action = CorrectiveAction.objects.get()
    assert action.why_chain == ["Bản cũ còn lưu", "Chưa có danh sách phân phối"]
    head.post(finding_page, {"action": "implement", "action_id": action.pk, "evidence": "Đã lập."})
    response = head.post(finding_page, {"action": "verify", "action_id": action.pk}, follow=True)
    assert "chính mình" in response.content.decode()

    auditor = login(client, users.auditor_sgd)
    auditor.post(finding_page, {"action": "verify", "action_id": action.pk})
    auditor.post(
        finding_page, {"action": "effectiveness", "action_id": action.pk, "effective": "1"}
    )
    action.refresh_from_db()
    finding.refresh_from_db()
    assert action.status == ActionStatus.EFFECTIVE
    assert finding.status == FindingStatus.CLOSED
    assert auditor.get(reverse("audits_admin:pdf", args=[audit.pk])).status_code == 200

    other_district = login(client, users.auditor_kimboi)
    assert other_district.get(file_url).status_code == 404
    assert other_district.get(finding_page).status_code == 404
    assert other_district.get(workspace).status_code == 404


def test_closing_without_verification_is_refused_on_the_finding_page(client, users, ls_finding):
    plan(users, ls_finding)
    auditor = login(client, users.auditor_sgd)
    page = reverse("audits_admin:finding", args=[ls_finding.pk])
    response = auditor.post(page, {"action": "close"}, follow=True)
    assert "chưa được xác nhận" in response.content.decode()
    assert Finding.objects.get(pk=ls_finding.pk).status == FindingStatus.ACTION_PLANNED


def test_the_independence_refusal_is_shown_on_the_audit_form(client, org, users):
    auditor = login(client, users.auditor_kimboi)
    response = auditor.post(
        reverse("audits_audit:add"),
        {
            "qms_root": org.kimboi.pk,
            "title": "Tự đánh giá",
            "units": [org.kimboi.pk],
            "start_date": AUDIT_DAY.isoformat(),
            "end_date": AUDIT_DAY.isoformat(),
            "lead_auditor": users.auditor_kimboi.pk,
        },
    )
    assert response.status_code == 200
    assert "nguyên tắc độc lập" in response.content.decode()
    assert not Audit.objects.exists()


def test_listings_are_narrowed_and_filtered(client, users, ls_finding, kimboi_finding):
    head = login(client, users.approver_luongson)
    listing = head.get(reverse("audits_finding:index")).content.decode()
    assert f"#{ls_finding.pk} " in listing
    assert f"#{kimboi_finding.pk} " not in listing
    assert head.get(reverse("audits_admin:finding", args=[kimboi_finding.pk])).status_code == 404
    qm = login(client, users.qm_sgd)
    filtered = qm.get(reverse("audits_finding:index") + "?kind=major").content.decode()
    assert f"#{kimboi_finding.pk} " in filtered and f"#{ls_finding.pk} " not in filtered
    action = plan(users, ls_finding, due=datetime.date(2012, 11, 15))
    overdue = qm.get(reverse("audits_action:index") + "?overdue=true").content.decode()
    assert f"#{action.pk} — " in overdue
    on_time = qm.get(reverse("audits_action:index") + "?overdue=false").content.decode()
    assert f"#{action.pk} — " not in on_time
    register = qm.get(reverse("audits_admin:action_register"))
    assert register["Content-Type"].startswith("application/vnd.openxmlformats")


def test_staff_without_an_audit_role_get_no_audit_menu(client, users):
    staff = login(client, users.staff_vp)
    assert staff.get(reverse("audits_audit:index")).status_code in (302, 403)


def test_the_programme_is_planned_approved_and_shows_its_coverage_in_the_admin(client, org, users):
    from audits.models import AuditProgramme

    qm = login(client, users.qm_sgd)
    response = qm.post(
        reverse("audits_programme:add"),
        {"year": 2012, "qms_root": org.luongson.pk, "scope": "Toàn bộ HTQLCL Lương Sơn"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    programme = AuditProgramme.objects.get()
    page = reverse("audits_admin:programme", args=[programme.pk])
    qm.post(
        page,
        {
            "action": "plan",
            "month": 10,
            "units": [org.luongson.pk],
            "clauses": [clause("4.2.3").pk, clause("8.2.2").pk],
        },
    )
    assert programme.planned_audits.count() == 1
    auditor = login(client, users.auditor_sgd)
    assert "Phê duyệt chương trình" not in auditor.get(page).content.decode()
    response = auditor.post(page, {"action": "approve"}, follow=True)
    assert "đại diện lãnh đạo" in response.content.decode()
    qm = login(client, users.qm_sgd)
    content = qm.get(page).content.decode()
    assert "8.5.3" in content.split("Điều khoản đã bao quát")[0], "uncovered clauses are listed"
    qm.post(page, {"action": "approve"})
    programme.refresh_from_db()
    assert programme.approved_by == users.qm_sgd
    assert login(client, users.auditor_kimboi).get(page).status_code == 404


def test_every_audit_screen_renders_for_the_people_who_use_it(client, org, users, ls_finding):
    from audits import workflow

    preventive = workflow.plan_action(
        user=users.approver_luongson,
        unit=org.luongson,
        potential_problem="Máy chủ sắp hết dung lượng.",
        action_plan="Mua ổ cứng.",
        owner=users.staff_luongson,
        due_date=datetime.date(2099, 1, 1),
    )
    audit = ls_finding.audit
    screens = {
        users.qm_sgd: ["audits_programme:index", "audits_audit:add", "audits_finding:add"],
        users.auditor_sgd: ["audits_audit:index", "audits_finding:index", "audits_action:index"],
        users.approver_luongson: [
            "audits_audit:index",
            "audits_finding:index",
            "audits_action:index",
            "audits_action:add",
        ],
    }
    for user, names in screens.items():
        login(client, user)
        for name in names:
            assert client.get(reverse(name)).status_code == 200, (user, name)
    login(client, users.approver_luongson)
    for url in (
        reverse("audits_admin:audit", args=[audit.pk]),
        reverse("audits_admin:checklist", args=[audit.pk]),
        reverse("audits_admin:action", args=[preventive.pk]),
        reverse("audits_action:edit", args=[preventive.pk]),
    ):
        assert client.get(url).status_code == 200, url
    login(client, users.auditor_sgd)
    assert client.get(reverse("audits_audit:edit", args=[audit.pk])).status_code == 200
    assert client.get(reverse("audits_finding:edit", args=[ls_finding.pk])).status_code == 200
    login(client, users.auditor_kimboi)
    refused = client.get(reverse("audits_audit:edit", args=[audit.pk]))
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")


def test_an_action_owner_without_admin_access_reports_on_the_staff_site(client, users, ls_finding):
    action = plan(users, ls_finding)  # owned by staff.luongson, who has no admin access
    staff = login(client, users.staff_luongson)
    page = staff.get(reverse("audits:my_actions")).content.decode()
    assert f"#{action.pk}" in page and "Báo cáo đã thực hiện" in page
    url = reverse("audits:report_implemented", args=[action.pk])
    staff.post(url, {"evidence": "Đã lập danh sách phân phối, thu hồi 3 bản cũ."})
    action.refresh_from_db()
    assert action.status == ActionStatus.IMPLEMENTED
    response = staff.post(url, {"evidence": "Lần nữa."}, follow=True)
    assert "đã được báo cáo thực hiện" in response.content.decode()
    login(client, users.staff_kimboi)
    assert client.post(url, {"evidence": "x"}).status_code == 404
