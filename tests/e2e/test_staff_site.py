"""Browser journeys on the staff site, on a phone-sized screen."""

from __future__ import annotations

import datetime
import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from documents.lifecycle import issue_revision
from qms.models import IsoClause

# Transactional (the live server reads what the test wrote); serialized_rollback puts back what
# the migrations loaded (the home page, the ISO clause catalogue) after each journey's flush.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(os.environ.get("QMS_E2E_SCREENSHOTS", "var/test/screenshots"))


@pytest.fixture
def procedure(org, users, make_document):
    document = make_document(
        unit=org.sgd,
        code="QT-SGD-01",
        title="Quy trình kiểm soát tài liệu",
        issued=True,
        applies_to=[org.sgd],
        text="Mục đích\nQuy định cách kiểm soát tài liệu",
    )
    document.iso_clauses.set(IsoClause.objects.filter(number="4.2.3"))  # written by save()
    document.text += "\nBổ sung mục 5 về lưu hồ sơ"
    document.change_summary = "Bổ sung mục 5"
    document.save()
    issue_revision(
        document=document, effective_from=datetime.date(2013, 1, 1), approved_by=users.approver_sgd
    )
    return document


def test_a_kim_boi_staff_member_finds_the_procedure_on_a_phone(
    live_server, phone, log_in, procedure
):
    log_in(phone, "staff.kimboi")
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    expect(phone.get_by_role("searchbox")).to_be_visible()
    # Nothing overflows sideways on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "home-phone.png"), full_page=True)

    # The procedure is also one tap away under "my unit"; the journey goes through search.
    my_unit = phone.get_by_role("region", name="Tài liệu áp dụng cho đơn vị tôi")
    expect(
        my_unit.get_by_role("link", name="QT-SGD-01 Quy trình kiểm soát tài liệu")
    ).to_be_visible()

    # Typed without diacritics, as on a phone keyboard; Enter submits (no click).
    phone.get_by_role("searchbox").fill("quy trinh kiem soat tai lieu")
    phone.get_by_role("searchbox").press("Enter")
    expect(phone).to_have_url(re.compile(r"/tim-kiem/\?q=quy\+trinh\+kiem\+soat\+tai\+lieu"))
    results = phone.locator(".search-results")
    # Click 1: the result.
    results.get_by_role("link", name="Quy trình kiểm soát tài liệu").first.click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Quy trình kiểm soát tài liệu")
    expect(
        phone.get_by_text("Đang có hiệu lực — lần ban hành 02, từ ngày 01/01/2013")
    ).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # Phones cannot show a PDF inside the page: a button opens it instead of an empty frame.
    expect(phone.get_by_role("link", name="Xem tệp PDF")).to_be_visible()
    expect(phone.locator("object.pdf-frame")).to_be_hidden()
    phone.screenshot(path=str(SCREENSHOTS / "document-phone.png"), full_page=True)

    # Click 2: the download.
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Tải về").click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    # The copy is stamped on every page: uncontrolled, code, revision in force, downloader.
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    assert pages
    for text in pages:
        assert "Bản không kiểm soát khi in" in text
        assert "QT-SGD-01 · Lần ban hành 02" in text
        assert "staff.kimboi" in text
        assert "HẾT HIỆU LỰC" not in text

    # The old revision is labelled, and its page sends the reader to the current one.
    phone.get_by_role("link", name="01", exact=True).click()
    expect(phone.get_by_role("alert")).to_contain_text("HẾT HIỆU LỰC")
    phone.get_by_role("link", name="lần ban hành 02, hiệu lực từ ngày 01/01/2013").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("QT-SGD-01")

    # What changed between 01 and 02, readable on the phone.
    phone.get_by_role("link", name="So sánh các lần ban hành").click()
    expect(phone.locator("div.line.added")).to_have_text("+ Bổ sung mục 5 về lưu hồ sơ")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(SCREENSHOTS / "compare-phone.png"), full_page=True)


def test_an_anonymous_visitor_reads_public_procedures_and_is_asked_to_log_in_for_the_rest(
    live_server, phone, procedure, org, make_document
):
    make_document(
        unit=org.sgd,
        code="TTHC-01",
        title="Thủ tục cấp bản sao văn bằng, chứng chỉ",
        visibility="public",
        issued=True,
    )
    phone.goto(f"{live_server.url}/tai-lieu/")
    expect(phone.get_by_text("1 tài liệu đang có hiệu lực.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "library-anonymous-phone.png"), full_page=True)
    phone.get_by_role("link", name="TTHC-01 Thủ tục cấp bản sao văn bằng, chứng chỉ").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Thủ tục cấp bản sao")

    phone.goto(f"{live_server.url}/tai-lieu/{procedure.pk}/")
    expect(phone).to_have_url(f"{live_server.url}/dang-nhap/?next=/tai-lieu/{procedure.pk}/")
    expect(phone.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    # The home page (restored after the previous journey's flush) is open to everyone.
    phone.goto(f"{live_server.url}/")
    expect(phone.get_by_role("heading", name="Chính sách chất lượng")).to_be_visible()
    expect(phone.get_by_text("QT-SGD-01")).to_have_count(0)
