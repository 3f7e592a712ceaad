"""The controlled-copy stamp on PDF downloads (documents.stamping, ISO 9001:2008 4.2.3 d–g)."""

from __future__ import annotations

import datetime
import hashlib
import io
import re

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from documents import stamping
from documents.pdfgen import FONT, register_fonts
from documents.stamping import Stamp, StampError, stamp_pdf

DOWNLOADED_AT = datetime.datetime(2026, 11, 25, 7, 5, tzinfo=datetime.UTC)  # 14:05 in Hà Nội


def make_stamp(**overrides) -> Stamp:
    values = {
        "document_code": "QT-VP-01",
        "revision_number": 2,
        "effective_from": datetime.date(2013, 3, 1),
        "unit_name": "Văn phòng Sở",
        "downloaded_by": "Nguyễn Thị Hoa (staff.vp)",
        "downloaded_at": DOWNLOADED_AT,
        "verification_code": "7K3M-Q9XD-2PAB-C4",
        "verification_url": "http://qms.example.vn/v/7K3M-Q9XD-2PAB-C4/",
    }
    values.update(overrides)
    return Stamp(**values)


def pdf_pages(*sizes, text: bool = True) -> bytes:
    """A PDF with one page per size; each page says which page it is (unless ``text`` is off)."""
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=1)
    for number, size in enumerate(sizes, start=1):
        pdf.setPageSize(size)
        if text:
            pdf.setFont(FONT, 12)
            pdf.drawString(72, size[1] / 2, f"Nội dung trang {number}: quy trình kiểm soát")
        else:
            pdf.rect(72, 72, 200, 100, fill=1)  # a "scan": shapes, no text layer
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_every_page_of_a_three_page_pdf_carries_the_whole_stamp():
    original = pdf_pages(A4, A4, A4)
    result = stamp_pdf(original, make_stamp())
    texts = page_texts(result.content)
    assert result.page_count == len(texts) == 3
    for number, text in enumerate(texts, start=1):
        assert f"Nội dung trang {number}" in text  # the original content is still there
        assert "QT-VP-01 · Lần ban hành 02 · Ngày hiệu lực 01/03/2013 · Văn phòng Sở" in text
        assert "Tải về: Nguyễn Thị Hoa (staff.vp), lúc 14:05 ngày 25/11/2026" in text
        assert "Mã kiểm tra: 7K3M-Q9XD-2PAB-C4" in text
        assert "http://qms.example.vn/v/7K3M-Q9XD-2PAB-C4/" in text
        assert "Bản không kiểm soát khi in" in text
        assert "HẾT HIỆU LỰC" not in text


def test_controlled_uncontrolled_and_obsolete_copies_are_stamped_differently():
    original = pdf_pages(A4, A4)
    uncontrolled = page_texts(stamp_pdf(original, make_stamp()).content)
    controlled = page_texts(
        stamp_pdf(original, make_stamp(copy_number=3, copy_holder="Phòng GD&ĐT Kim Bôi")).content
    )
    obsolete = page_texts(
        stamp_pdf(
            original, make_stamp(obsolete=True, obsolete_since=datetime.date(2014, 1, 1))
        ).content
    )
    for text in controlled:
        assert "BẢN KIỂM SOÁT số 03 — Nơi giữ: Phòng GD&ĐT Kim Bôi" in text
        assert "không kiểm soát" not in text
    for text in uncontrolled:
        assert "BẢN KIỂM SOÁT" not in text
    for text in obsolete:
        assert "HẾT HIỆU LỰC từ 01/01/2014 · Bản không kiểm soát khi in" in text
        # The large diagonal mark is drawn as well: the words appear twice on the page.
        assert text.count("HẾT HIỆU LỰC") == 2
    assert len({uncontrolled[0], controlled[0], obsolete[0]}) == 3


def test_a_revision_not_yet_in_force_says_so():
    text = page_texts(stamp_pdf(pdf_pages(A4), make_stamp(not_yet_in_force=True)).content)[0]
    assert "CHƯA CÓ HIỆU LỰC (hiệu lực từ 01/03/2013)" in text


def test_the_original_bytes_are_untouched_and_kept_as_the_first_part_of_the_copy():
    original = pdf_pages(A4, A4, A4)
    digest = hashlib.sha256(original).hexdigest()
    stamped = stamp_pdf(original, make_stamp()).content
    assert hashlib.sha256(original).hexdigest() == digest
    # An incremental update: the approved bytes come first, unchanged (a signed original keeps
    # its signed revision).
    assert stamped.startswith(original)
    assert len(stamped) > len(original)


def test_pages_of_one_size_share_one_stamp_object_and_growth_stays_small():
    original = pdf_pages(A4, A4, A4, landscape(A4), A4)
    stamped = stamp_pdf(original, make_stamp()).content
    forms = []
    for page in PdfReader(io.BytesIO(stamped)).pages:
        xobjects = page["/Resources"]["/XObject"]
        forms.append(
            next(ref.idnum for name, ref in xobjects.items() if name.startswith("/QmsStamp"))
        )
    assert forms[0] == forms[1] == forms[2] == forms[4] != forms[3]
    # One font subset plus a few small objects, whatever the number of pages.
    assert len(stamped) - len(original) < 40_000


def test_a_text_less_scan_is_stamped_too():
    original = pdf_pages(A4, A4, text=False)
    assert all(not text.strip() for text in page_texts(original))
    texts = page_texts(stamp_pdf(original, make_stamp()).content)
    assert all("Mã kiểm tra: 7K3M-Q9XD-2PAB-C4" in text for text in texts)


def _encrypted(user_password: str, algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_pages(A4, A4))))
    writer.encrypt(user_password=user_password, owner_password="chủ-sở-hữu", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_pdf_protected_only_by_an_owner_password_is_stamped_without_encryption(algorithm):
    # AES needs the "cryptography" package (pinned in requirements.txt for this reason).
    original = _encrypted("", algorithm)
    assert PdfReader(io.BytesIO(original)).is_encrypted
    stamped = stamp_pdf(original, make_stamp()).content
    reader = PdfReader(io.BytesIO(stamped))
    assert not reader.is_encrypted
    assert all("Bản không kiểm soát khi in" in page.extract_text() for page in reader.pages)


def test_a_pdf_locked_with_a_password_is_refused_with_a_vietnamese_message():
    with pytest.raises(StampError) as refused:
        stamp_pdf(_encrypted("mật-khẩu"), make_stamp())
    assert refused.value.message == stamping.MSG_ENCRYPTED
    assert "đặt mật khẩu" in refused.value.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", stamping.MSG_CORRUPT),
        (b"<html>not a pdf</html>", stamping.MSG_CORRUPT),
        (b"PK\x03\x04word/document.xml", stamping.MSG_NOT_PDF),
        (b"", stamping.MSG_CORRUPT),
    ],
)
def test_corrupt_files_and_word_files_are_refused_with_a_message(data, message):
    with pytest.raises(StampError) as refused:
        stamp_pdf(data, make_stamp())
    assert refused.value.message == message


def _display(x, y, box, rotation):
    """Where a point of the page's own space appears on screen once the viewer applies
    ``/Rotate`` (clockwise), measured from the bottom-left corner of the visible box."""
    x0, y0, x1, y1 = box
    return {
        0: (x - x0, y - y0),
        90: (y - y0, x1 - x),
        180: (x1 - x, y1 - y),
        270: (y1 - y, x - x0),
    }[rotation]


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_the_stamp_reads_upright_on_rotated_pages_with_an_offset_crop_box(rotation):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_pages(A4))))
    page = writer.pages[0]
    page.mediabox = RectangleObject([-50, 100, 545, 942])
    page.cropbox = RectangleObject([0, 200, 400, 700])
    page.rotation = rotation
    buffer = io.BytesIO()
    writer.write(buffer)

    stamped = PdfReader(io.BytesIO(stamp_pdf(buffer.getvalue(), make_stamp()).content))
    page = stamped.pages[0]
    form_name = next(name for name in page["/Resources"]["/XObject"] if "QmsStamp" in name)
    form = page["/Resources"]["/XObject"][form_name].get_object()
    width, height = (float(v) for v in form["/BBox"][2:])
    assert (width, height) == ((400, 500) if rotation in (0, 180) else (500, 400))

    last = page["/Contents"][-1].get_object().get_data().decode()
    numbers = re.search(r"q ([-\d. ]+) cm " + re.escape(form_name) + " Do Q", last).group(1)
    a, b, c, d, e, f = (float(n) for n in numbers.split())
    for u, v in [(0, 0), (width, 0), (0, height), (width, height), (35, 12)]:
        x, y = a * u + c * v + e, b * u + d * v + f
        shown = _display(x, y, (0, 200, 400, 700), rotation)
        assert shown == pytest.approx((u, v), abs=1e-3)
    assert "Mã kiểm tra: 7K3M-Q9XD-2PAB-C4" in page.extract_text()


def test_narrow_pages_get_a_smaller_stamp_that_still_fits_the_width():
    stamp = make_stamp()
    lines = stamp.detail_lines()
    size = stamping._fit_size(lines, FONT, 6.5, 180)
    assert size < 6.5
    assert max(pdfmetrics.stringWidth(line, FONT, size) for line in lines) <= 180.01
    text = page_texts(stamp_pdf(pdf_pages((200, 300)), stamp).content)[0]
    assert "Mã kiểm tra: 7K3M-Q9XD-2PAB-C4" in text


def test_a_pdf_with_a_broken_cross_reference_table_is_rewritten_whole_and_still_opens():
    original = pdf_pages(A4, A4)
    position = original.rindex(b"startxref") + len(b"startxref\n")
    broken = original[:position] + b"12" + original[position:].lstrip(b"0123456789")
    stamped = stamp_pdf(broken, make_stamp()).content
    assert not stamped.startswith(broken)  # not an incremental update on a broken table
    texts = page_texts(stamped)
    assert len(texts) == 2
    assert all("Mã kiểm tra: 7K3M-Q9XD-2PAB-C4" in text for text in texts)


def test_an_issued_revision_is_stamped_as_a_registered_controlled_copy(org, users, make_document):
    from types import SimpleNamespace

    from documents import verification

    document = make_document(unit=org.vp, code="QT-VP-01", issued=True)
    revision = document.issued_revisions.get()
    copy = stamping.stamp_revision(
        revision,
        user=users.staff_vp,
        controlled_copy=SimpleNamespace(number=3, holder="Phòng GD&ĐT Kim Bôi"),
        now=DOWNLOADED_AT,
    )
    text = page_texts(copy.content)[0]
    assert "BẢN KIỂM SOÁT số 03 — Nơi giữ: Phòng GD&ĐT Kim Bôi" in text
    assert "lúc 14:05 ngày 25/11/2026" in text
    assert verification.read_code(copy.verification_code) == verification.VerifiedCode(
        revision.pk, datetime.date(2026, 11, 25)
    )
