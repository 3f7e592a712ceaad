"""Builders of real (and deliberately hostile) files for the upload and extraction tests.

Ordinary files come from the real tools (reportlab, pypdf, python-docx), so the tests exercise
the parsers production uses; a hostile structure no tool would write is assembled byte by byte.
"""

from __future__ import annotations

import io
import unicodedata

from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from documents.pdfgen import FONT, FONT_DIR, register_fonts, simple_pdf

PROCEDURE_LINES = [
    "QUY TRÌNH KIỂM SOÁT TÀI LIỆU",
    "Mã số: QT-VP-01. Lần ban hành: 01. Ngày hiệu lực: 01/08/2012.",
    "1. Mục đích: thống nhất cách soạn thảo, xem xét, phê duyệt và ban hành tài liệu "
    "của Sở Giáo dục và Đào tạo tỉnh Hòa Bình.",
    "2. Phạm vi áp dụng: các phòng chuyên môn thuộc Sở và các Phòng GD&ĐT huyện.",
]

# TCVN3 (ABC) byte values of the Vietnamese lowercase letters, as Latin-1 characters. Capitals
# use the same bytes with the ".VnTimeH" font, except the few that have their own.
_TCVN3 = dict(
    zip(
        "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵ",
        "µ¶·¸¹¨»¼½¾Æ©ÇÈÉÊË®ÌÎÏÐÑªÒÓÔÕÖ×ØÜÝÞßáâãä«åæçèé¬êëìíîïñòóô\xadõö÷øùúûüýþ",
        strict=True,
    )
)
_TCVN3.update({"Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§"})


def to_tcvn3(text: str) -> str:
    """``text`` as a TCVN3 font shows it to a Unicode reader: "tài liệu" → "tµi liÖu"."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3:
            out.append(_TCVN3[ch])
        elif ch.lower() in _TCVN3:
            out.append(_TCVN3[ch.lower()])  # .VnTimeH draws these bytes as capitals
        else:
            out.append(ch)
    return "".join(out)


def vietnamese_pdf() -> bytes:
    return simple_pdf(PROCEDURE_LINES, title="Quy trình kiểm soát tài liệu")


def _canvas_pdf(draw, *, font: str = FONT) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont(font, 12)
    draw(pdf)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def nfd_pdf(text: str) -> bytes:
    """A PDF whose text layer holds ``text`` decomposed (base letters + combining marks)."""
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != unicodedata.normalize("NFC", text)
    return _canvas_pdf(lambda pdf: pdf.drawString(72, 750, decomposed))


def encrypted_pdf(*, user_password: str = "mật-khẩu", owner_password: str = "chủ") -> bytes:  # noqa: S107
    """A Vietnamese PDF encrypted by pypdf; an empty ``user_password`` only restricts rights."""
    writer = PdfWriter(clone_from=io.BytesIO(vietnamese_pdf()))
    writer.encrypt(user_password=user_password, owner_password=owner_password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def truncated_pdf() -> bytes:
    """The first half of a real PDF: what an interrupted upload or copy leaves behind."""
    data = vietnamese_pdf()
    return data[: len(data) // 2]


def image_only_pdf(pages: int = 2) -> bytes:
    """A "scanned" PDF: each page is one picture, no text layer at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    picture = Image.new("RGB", (400, 560), "white")
    ImageDraw.Draw(picture).rectangle((40, 40, 360, 120), outline="black", width=3)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        pdf.drawImage(ImageReader(picture), 50, 100, width=400, height=560)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def tcvn3_pdf() -> bytes:
    """An old PDF typed in TCVN3: embedded font named ".VnTime", text bytes in TCVN3."""
    name = ".VnTime"
    if name not in pdfmetrics.getRegisteredFontNames():
        font = TTFont(name, str(FONT_DIR / "DejaVuSans.ttf"))
        # The PDF's /BaseFont comes from the face name, as it did for the real .VnTime font.
        font.face.name = b".VnTime"
        pdfmetrics.registerFont(font)
    lines = [to_tcvn3(line) for line in PROCEDURE_LINES]

    def draw(pdf):
        for number, line in enumerate(lines):
            pdf.drawString(40, 780 - 18 * number, line[:90])

    return _canvas_pdf(draw, font=name)


def slow_pdf(operations: int = 10_000_000) -> bytes:
    """A decompression bomb: 100 KB on disk, 70 MB of text operators once inflated.

    pypdf accepts it (its inflate limit is 75 MB) and then spends minutes parsing the operators:
    exactly the kind of file that must never run inside the web process.
    """
    content = b"BT /F1 12 Tf 10 10 Td " + b"(a) Tj " * operations + b"ET"
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = StreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode(level=9))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def cyclic_pdf() -> bytes:
    """A PDF whose page tree lists itself among its own children (a classic parser trap)."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    )
    return out.getvalue()


def windows_exe() -> bytes:
    """The start of a Windows program (MZ header, PE signature): what a renamed .exe holds."""
    header = bytearray(512)
    header[0:2] = b"MZ"
    header[0x3C:0x40] = (0x80).to_bytes(4, "little")
    header[0x80:0x84] = b"PE\0\0"
    header[0x4E:0x75] = b"This program cannot be run in DOS mode.\r\n"
    return bytes(header)


def legacy_doc() -> bytes:
    """An OLE compound file header: a Word 97-2003 .doc."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def vietnamese_docx(*, font: str | None = None, paragraphs: list[str] | None = None) -> bytes:
    """A real DOCX (python-docx) with a heading, paragraphs and a table, optionally in ``font``."""
    document = Document()
    paragraphs = paragraphs if paragraphs is not None else PROCEDURE_LINES
    for text in paragraphs:
        run = document.add_paragraph().add_run(text)
        if font:
            run.font.name = font
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hAnsi"), font)
    if paragraphs is PROCEDURE_LINES:
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "Người phê duyệt"
        table.cell(0, 1).text = "Giám đốc Sở"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_text_of(data: bytes) -> str:
    """What pypdf reads from ``data`` in this process (to check a builder, not the product)."""
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
