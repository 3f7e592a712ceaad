"""Browser journeys across the admin, the staff site and the public verification page:
a revision reviewed and signed in the Wagtail admin replaces the old one on the staff site, the
holder of a printed copy of the old one learns that it is no longer in force, and a district staff
member's "Tôi đã đọc và hiểu" moves their unit's count."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.lifecycle import issue_revision
from documents.models import IssuedRevision
from documents.stamping import stamp_revision
from documents.workflow import submit_document
from tests.conftest import PASSWORD
from tests.workflow_helpers import draft, issue, new_draft_revision

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def desk(browser):
    """A desktop-sized context: the Wagtail admin is where reviewers and approvers work."""
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    yield context
    context.close()


def log_in_as(page, live_server, username: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/dang-nhap/?next={next_path}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def take_the_step(page, live_server, username: str, code: str, action: str, **fields) -> None:
    """Log in, find the document in the dashboard queue "Đang chờ bạn xem xét", take ``action``
    in the step's form (Wagtail's modal), fields filled by label."""
    log_in_as(page, live_server, username, "/admin/")
    queue = page.locator("#awaiting-review-section")
    expect(queue.get_by_role("heading", name="Đang chờ bạn xem xét")).to_be_visible()
    row = queue.locator("tbody tr").filter(has_text=code)
    row.get_by_role("button", name="Thao tác").click()
    row.get_by_role("button", name=action).click()
    modal = page.locator(".modal-content")
    for label, value in fields.items():
        modal.get_by_label(label).fill(value)
    modal.get_by_role("button", name=action).click()
    expect(page.get_by_text(f"Đã ghi nhận: {action}.")).to_be_visible()


def test_b_a_reviewer_and_an_approver_issue_revision_02_and_the_site_supersedes_01(
    live_server, desk, org, users, make_document
):
    document = draft(make_document, org, users["author.luongson"])
    issue(document, users)  # revision 01, in force today
    new_draft_revision(document, users["author.luongson"], summary="Sửa bước 3")
    submit_document(document, users["author.luongson"])

    page = desk.new_page()
    take_the_step(page, live_server, "reviewer.luongson", "QT-LS-01", "Đồng ý (đã xem xét)")
    desk.clear_cookies()
    take_the_step(
        page,
        live_server,
        "approver.luongson",
        "QT-LS-01",
        "Phê duyệt ban hành",
        **{"Ý kiến": "Đồng ý ban hành", "Mật khẩu của bạn (ký điện tử)": PASSWORD},
    )
    revisions = dict(
        IssuedRevision.objects.filter(document=document).values_list("number", "status")
    )
    assert revisions == {1: "superseded", 2: "current"}

    # The staff site shows 02 in force, and 01's page warns that it is out of force.
    desk.clear_cookies()
    log_in_as(page, live_server, "staff.luongson", f"/tai-lieu/{document.pk}/")
    today = timezone.localdate()
    expect(
        page.get_by_text(f"Đang có hiệu lực — lần ban hành 02, từ ngày {today:%d/%m/%Y}")
    ).to_be_visible()
    page.get_by_role("link", name="01", exact=True).click()
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("HẾT HIỆU LỰC — lần ban hành 01 đã bị thay thế")
    expect(banner).to_contain_text("lần ban hành 02")


def test_c_the_holder_of_a_superseded_copy_is_told_which_revision_is_in_force(
    live_server, phone, org, make_document
):
    document = make_document(
        unit=org.sgd, code="QT-SGD-07", title="Quy trình tuyển sinh lớp 10", issued=True
    )
    first = IssuedRevision.objects.get(document=document, number=1)
    # The code printed on a copy of 01 downloaded while it was in force.
    code = stamp_revision(first, user=None).verification_code
    issue_revision(
        document=document,
        effective_from=datetime.date(2013, 1, 1),
        approved_by_name="Nguyễn Minh Thành",
    )

    # Typed from the paper, in lower case and without the dashes.
    phone.goto(f"{live_server.url}/v/")
    phone.get_by_label(re.compile("Nhập mã kiểm tra")).fill(code.replace("-", "").lower())
    phone.get_by_role("button", name="Kiểm tra").click()
    expect(phone).to_have_url(f"{live_server.url}/v/{code}/")
    expect(phone.get_by_text("Bản này ĐÃ HẾT HIỆU LỰC — không được sử dụng")).to_be_visible()
    expect(
        phone.get_by_text("Hãy dùng lần ban hành 02 (hiệu lực từ ngày 01/01/2013)")
    ).to_be_visible()
    expect(phone.locator(".card.bad")).to_contain_text("QT-SGD-07")
    # An internal document: the page states the status, never offers the file.
    expect(phone.get_by_role("link", name=re.compile("Tải bản"))).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_d_a_kim_boi_staff_member_confirms_reading_and_the_unit_count_moves(
    live_server, phone, desk, org, users, make_document
):
    document = make_document(
        unit=org.sgd,
        code="QT-SGD-01",
        title="Quy trình kiểm soát tài liệu",
        issued=True,
        applies_to=[org.sgd],
    )
    # Revision 02 comes into force: everyone it applies to is asked to confirm reading it.
    issue_revision(
        document=document,
        effective_from=datetime.date(2013, 1, 1),
        approved_by_name="Nguyễn Minh Thành",
    )
    coverage_path = f"/tai-lieu/{document.pk}/tinh-hinh-doc/"
    controller = desk.new_page()
    log_in_as(controller, live_server, "controller.sgd", coverage_path)
    kim_boi = controller.get_by_role("row").filter(has_text=org.kimboi.name)
    expect(kim_boi.locator(".coverage-count")).to_have_text("0/2")

    # On the phone: the document page asks, one tap answers.
    log_in_as(phone, live_server, "staff.kimboi", f"/tai-lieu/{document.pk}/")
    phone.get_by_role("button", name="Tôi đã đọc và hiểu").click()
    expect(
        phone.get_by_text("Đã ghi nhận: Anh/Chị đã đọc và hiểu QT-SGD-01 lần ban hành 02.")
    ).to_be_visible()
    expect(phone.get_by_role("button", name="Tôi đã đọc và hiểu")).to_have_count(0)

    controller.reload()
    expect(kim_boi.locator(".coverage-count")).to_have_text("1/2")
