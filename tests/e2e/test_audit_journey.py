"""Issue 6's "Done when", in the browser: the department's auditor plans and runs an audit of
Phòng GD&ĐT Lương Sơn, logs a minor nonconformity against clause 4.2.3 on the exact revision
audited, the Lương Sơn head answers it with a corrective action, the action's owner reports it
done from the staff site, and the auditor verifies it and, with the effectiveness check, closes
the finding. The organisation, the people and the procedure are set up in Python; every step of
the audit itself is a click in the admin or the staff site."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from audits.models import ActionStatus, Audit, AuditStatus, CorrectiveAction, Finding
from tests.audit_support import *  # noqa: F403  (the fixtures)
from tests.audit_support import AUDIT_DAY
from tests.e2e.test_journeys import log_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def desk(browser):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    yield context
    context.close()


def save_admin_form(page) -> None:
    """Press the Wagtail create form's main button (in the form's sticky footer)."""
    page.locator("form footer.footer button[type=submit]").first.click()


def test_an_auditor_of_the_department_audits_luong_son_and_closes_a_minor_nonconformity(
    live_server, desk, org, users, ls_document
):
    page = desk.new_page()
    today = timezone.localdate()

    # 1. auditor.sgd plans the audit in the admin: Lương Sơn, clause 4.2.3 and QT-LS-01.
    log_in_as(page, live_server, "auditor.sgd", reverse("audits_audit:add"))
    page.get_by_label("HTQLCL được đánh giá").select_option(label=org.luongson.name)
    page.get_by_label("Tên cuộc đánh giá").fill("Đánh giá nội bộ Phòng GD&ĐT Lương Sơn")
    page.get_by_role("checkbox", name=org.luongson.name).check()
    page.get_by_label("Điều khoản").select_option(label="4.2.3 Kiểm soát tài liệu")
    page.get_by_label("Tài liệu được đánh giá").select_option(label=str(ls_document))
    page.get_by_label("Ngày bắt đầu").fill(f"{AUDIT_DAY:%d/%m/%Y}")
    page.get_by_label("Ngày kết thúc").fill(f"{AUDIT_DAY:%d/%m/%Y}")
    page.get_by_label("Trưởng đoàn").select_option(label="auditor.sgd")
    save_admin_form(page)
    page.wait_for_load_state()
    audit = Audit.objects.get()
    # The criterion is the revision in force on the audit day (01), not the later 02.
    assert audit.criteria_documents.get().revision.number == 1

    # 2. It runs: opening meeting, checklist, the 4.2.3 question answered "not conforming".
    page.goto(live_server.url + reverse("audits_admin:audit", args=[audit.pk]))
    page.get_by_role("button", name="Bắt đầu đánh giá (họp khai mạc)").click()
    expect(page.get_by_text("Đã bắt đầu cuộc đánh giá (họp khai mạc).")).to_be_visible()
    page.get_by_role("button", name="Lập danh mục kiểm tra").click()
    expect(page.get_by_text("Đã lập danh mục kiểm tra.")).to_be_visible()
    page.get_by_role("link", name="Danh mục kiểm tra (0/2)").click()
    card = page.locator("section.qa-card").filter(has_text="4.2.3").first
    card.get_by_label("Không phù hợp").check()
    card.get_by_label("Bằng chứng", exact=True).fill(
        "Bộ phận một cửa dùng bản photo không có dấu kiểm soát."
    )
    card.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Đã ghi kết quả.")).to_be_visible()
    assert audit.checklist.get(clause__number="4.2.3").result == "nonconforming"

    # 3. The minor nonconformity on 4.2.3, against QT-LS-01 revision 01 — the one audited.
    page.get_by_role("link", name=f"← {audit.title}").click()
    page.get_by_role("link", name="Ghi nhận phát hiện").click()
    page.get_by_label("Đơn vị").select_option(label=org.luongson.name)
    page.get_by_label("Loại phát hiện").select_option(label="Không phù hợp nhẹ")
    page.get_by_label("Điều khoản").select_option(label="4.2.3 Kiểm soát tài liệu")
    page.get_by_label("Tài liệu liên quan (lần ban hành)").select_option(
        label="QT-LS-01 — lần ban hành 01"
    )
    page.get_by_label("Nội dung phát hiện").fill(
        "Bản QT-LS-01 tại bộ phận một cửa chưa được kiểm soát."
    )
    page.get_by_label("Bằng chứng", exact=True).fill(
        "Quan sát tại bộ phận một cửa ngày 15/10/2012."
    )
    save_admin_form(page)
    page.wait_for_load_state()
    finding = Finding.objects.get()
    assert (finding.kind, finding.clause.number) == ("minor", "4.2.3")
    assert finding.revision == audit.criteria_documents.get().revision
    finding_path = reverse("audits_admin:finding", args=[finding.pk])

    # 4. The Lương Sơn head acknowledges it and answers with a corrective action.
    desk.clear_cookies()
    log_in_as(page, live_server, "approver.luongson", finding_path)
    page.get_by_label("Ý kiến của đơn vị").fill("Đơn vị thống nhất.")
    page.get_by_role("button", name="Xác nhận phát hiện").click()
    expect(page.get_by_text("Đơn vị đã xác nhận phát hiện.")).to_be_visible()
    page.get_by_role("link", name="Lập hành động khắc phục").click()
    page.get_by_label("Khắc phục tức thời").fill("Thu hồi bản photo.")
    page.get_by_label("Phân tích 5 tại sao").fill(
        "Cán bộ tự photo quy trình\nDanh sách phân phối thiếu bộ phận một cửa"
    )
    page.get_by_label("Nguyên nhân gốc rễ").fill("Danh sách phân phối lập chưa đủ.")
    page.get_by_label("Kế hoạch hành động").fill("Bổ sung danh sách phân phối, cấp bản có dấu.")
    page.get_by_label("Người chịu trách nhiệm").select_option(label="staff.luongson")
    due = today + datetime.timedelta(days=30)
    page.get_by_label("Hạn hoàn thành").fill(f"{due:%d/%m/%Y}")
    save_admin_form(page)
    page.wait_for_load_state()
    action = CorrectiveAction.objects.get()
    assert (action.finding, action.owner, action.due_date) == (finding, users.staff_luongson, due)

    # 5. The owner reports it done from the staff site's "Hành động của tôi".
    desk.clear_cookies()
    log_in_as(page, live_server, "staff.luongson", "/")
    page.get_by_role("navigation").get_by_role("link", name="Hành động của tôi").click()
    card = page.locator(f"#hanh-dong-{action.pk}")
    card.get_by_label("Kết quả thực hiện").fill("Đã cấp bản có dấu kiểm soát cho bộ phận một cửa.")
    card.get_by_role("button", name="Báo cáo đã thực hiện").click()
    expect(page.get_by_text(f"Đã báo cáo thực hiện hành động #{action.pk}.")).to_be_visible()

    # 6. The auditor verifies it, then records the effectiveness check, which closes the finding.
    desk.clear_cookies()
    log_in_as(page, live_server, "auditor.sgd", finding_path)
    page.get_by_label("Nhận xét").fill("Đã kiểm tra tại bộ phận một cửa.")
    page.get_by_label("Ngày kiểm tra hiệu lực").fill(f"{today:%d/%m/%Y}")
    page.get_by_role("button", name="Xác nhận đã thực hiện").click()
    expect(page.get_by_text("Đã xác nhận việc thực hiện.")).to_be_visible()
    page.get_by_label("Có hiệu lực — đóng phát hiện").check()
    page.get_by_label("Nhận xét").fill("Không còn bản không kiểm soát.")
    page.get_by_role("button", name="Ghi kết quả kiểm tra hiệu lực").click()
    expect(page.get_by_text("Đã ghi kết quả kiểm tra hiệu lực.")).to_be_visible()
    expect(page.locator(".qa-badge").first).to_have_text("Đã đóng")

    finding.refresh_from_db()
    action.refresh_from_db()
    audit.refresh_from_db()
    assert finding.status == "closed" and finding.closed_by == users.auditor_sgd
    assert action.status == ActionStatus.EFFECTIVE and action.verified_by == users.auditor_sgd
    assert audit.status == AuditStatus.IN_PROGRESS
