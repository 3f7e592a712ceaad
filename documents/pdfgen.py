"""Generate real PDFs with Vietnamese text (reportlab + the bundled DejaVu Sans font).

``simple_pdf`` makes a plain page of lines (tests use it); ``controlled_pdf`` lays out a controlled
document the way it is issued on paper; ``text_pdf`` renders a plain text such as an official
decision extracted from a scan.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


def register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def simple_pdf(lines: list[str], *, title: str = "") -> bytes:
    """A plain A4 PDF holding ``lines`` (wrapped, paginated) as a real text layer."""
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    if title:
        pdf.setTitle(title)
    width, height = A4
    y = height - 25 * mm
    pdf.setFont(FONT, 11)
    for line in lines:
        for chunk in _wrap(line, FONT, 11, width - 40 * mm):
            if y < 20 * mm:
                pdf.showPage()
                pdf.setFont(FONT, 11)
                y = height - 25 * mm
            pdf.drawString(20 * mm, y, chunk)
            y -= 6 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) <= max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


# --- Controlled documents -------------------------------------------------------------------
#
# The layout found in real Vietnamese ISO 9001 documents (GLOSSARY.md): a header block on every
# page (issuing body | title | Mã số, Lần ban hành, Ngày ban hành, Trang x/y), then on the first
# page the signature block and the revision table ("Theo dõi sửa đổi tài liệu"), then the body.

PAGE_MARGIN = 20 * mm
HEADER_GAP = 5 * mm


@dataclass(frozen=True)
class Signatory:
    """One column of the signature block: soạn thảo, xem xét or phê duyệt."""

    role: str
    name: str
    position: str = ""


@dataclass(frozen=True)
class RevisionNote:
    """One row of "Theo dõi sửa đổi tài liệu"."""

    on: datetime.date
    where: str
    what: str
    number: int


# A body block is a paragraph (str; "- " starts a bullet), or a table: a tuple of rows, the first
# row being the column headings.
Block = str | tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...] = ()


def format_date(day: datetime.date) -> str:
    """dd/mm/yyyy, the way dates are written on Vietnamese administrative documents."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13.5, spaceAfter=3)
    return {
        "body": body,
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=12, bulletIndent=2),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=10.5,
            spaceBefore=6,
            keepWithNext=1,
        ),
        "centre_bold": ParagraphStyle(
            "centre_bold", parent=body, fontName=FONT_BOLD, alignment=TA_CENTER, spaceAfter=0
        ),
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=12, leading=15, alignment=TA_CENTER
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=body, fontName=FONT_BOLD, fontSize=8.5, leading=10.5, spaceAfter=0
        ),
        "centre": ParagraphStyle("centre", parent=body, alignment=TA_CENTER),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    # Paragraph parses a small XML dialect: escape so "&" in "GD&ĐT" and "<" stay literal.
    return Paragraph(escape(nfc_text(text)), style)


def nfc_text(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def _grid(rows, col_widths, styles, header_rows: int = 1) -> Table:
    data = [
        [_p(cell, styles["cell_bold"] if index < header_rows else styles["cell"]) for cell in row]
        for index, row in enumerate(rows)
    ]
    table = Table(data, colWidths=col_widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
            + (
                [("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#eeeeee"))]
                if header_rows
                else []
            )
        )
    )
    return table


def _blocks(blocks, styles, width: float) -> list:
    flowables: list = []
    for block in blocks:
        if isinstance(block, str):
            if block.startswith("- "):
                flowables.append(
                    Paragraph(escape(nfc_text(block[2:])), styles["bullet"], bulletText="–")
                )
            else:
                flowables.append(_p(block, styles["body"]))
            continue
        flowables += [_table(block, width, styles), Spacer(1, 3 * mm)]
    return flowables


def _table(rows, width: float, styles, header_rows: int = 1) -> Table:
    """A grid whose columns share the width by how much text they hold (a number column stays
    narrow, a description column gets the room); short rows are padded with empty cells."""
    columns = max(len(row) for row in rows)
    rows = [tuple(row) + ("",) * (columns - len(row)) for row in rows]
    weights = []
    for index in range(columns):
        lengths = [len(row[index]) for row in rows]
        weights.append(min(80.0, max(4.0, sum(lengths) / len(lengths))))
    minimum = min(15 * mm, width / columns)
    spare = width - minimum * columns
    widths = [minimum + spare * weight / sum(weights) for weight in weights]
    return _grid(rows, widths, styles, header_rows=header_rows)


def _header_table(*, organisation, title, code, revision, issued_on, page, total, styles):
    """The header block: issuing body | title | Mã số, Lần ban hành, Ngày ban hành, Trang x/y.

    The right-hand column is a nested table rather than row spans, so a long title or unit name
    makes the whole block taller instead of running out of its cell.
    """
    width = A4[0] - 2 * PAGE_MARGIN
    widths = [0.29 * width, 0.41 * width, 0.30 * width]
    facts = Table(
        [
            [_p(f"Mã số: {code}", styles["cell"])],
            [_p(f"Lần ban hành: {revision:02d}", styles["cell"])],
            [_p(f"Ngày ban hành: {format_date(issued_on)}", styles["cell"])],
            [_p(f"Trang: {page}/{total}", styles["cell"])],
        ],
        colWidths=[widths[2]],
    )
    facts.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -2), 0.7, colors.black)]))
    table = Table(
        [
            [
                _p(organisation.upper(), styles["centre_bold"]),
                _p(title.upper(), styles["title"]),
                facts,
            ]
        ],
        colWidths=widths,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.7, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (2, 0), (2, 0), 0),
                ("RIGHTPADDING", (2, 0), (2, 0), 0),
                ("TOPPADDING", (2, 0), (2, 0), 0),
                ("BOTTOMPADDING", (2, 0), (2, 0), 0),
            ]
        )
    )
    return table


def controlled_pdf(
    *,
    organisation: str,
    title: str,
    code: str,
    revision: int,
    issued_on: datetime.date,
    signatories: tuple[Signatory, ...] | list[Signatory],
    revision_history: tuple[RevisionNote, ...] | list[RevisionNote],
    sections: tuple[Section, ...] | list[Section],
) -> bytes:
    """A controlled document as issued on paper: header block on every page, signature block,
    revision table and numbered sections. Output is deterministic for the same input (reportlab
    ``invariant``), so the same revision always has the same SHA-256."""
    styles = _styles()
    width = A4[0] - 2 * PAGE_MARGIN

    def story() -> list:
        flowables: list = []
        if signatories:
            sign = [
                tuple(s.role for s in signatories),
                tuple(f"Họ và tên: {s.name}" for s in signatories),
                tuple(f"Chức vụ: {s.position}" for s in signatories),
                tuple("Chữ ký: (đã ký)" for _ in signatories),
            ]
            flowables += [_grid(sign, [width / len(signatories)] * len(signatories), styles)]
            flowables.append(Spacer(1, 4 * mm))
        if revision_history:
            flowables.append(_p("THEO DÕI SỬA ĐỔI TÀI LIỆU", styles["centre_bold"]))
            flowables.append(Spacer(1, 2 * mm))
            rows = [("Ngày", "Vị trí (trang/mục)", "Nội dung sửa đổi", "Lần ban hành")]
            rows += [
                (format_date(n.on), n.where, n.what, f"{n.number:02d}") for n in revision_history
            ]
            flowables.append(_grid(rows, [24 * mm, 32 * mm, width - 80 * mm, 24 * mm], styles))
            flowables.append(Spacer(1, 4 * mm))
        for section in sections:
            flowables.append(_p(section.heading, styles["heading"]))
            flowables += _blocks(section.blocks, styles, width)
        return flowables

    def header(page: int, total: int | str) -> Table:
        return _header_table(
            organisation=organisation,
            title=title,
            code=code,
            revision=revision,
            issued_on=issued_on,
            page=page,
            total=total,
            styles=styles,
        )

    # Only "Trang x/y" changes from page to page, so every header has the height of this one;
    # the body starts below it.
    _w, header_height = header(999, 999).wrap(width, A4[1])

    def build(total: int | str) -> tuple[bytes, int]:
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=PAGE_MARGIN,
            rightMargin=PAGE_MARGIN,
            topMargin=PAGE_MARGIN + header_height + HEADER_GAP,
            bottomMargin=PAGE_MARGIN,
            title=f"{code} {title}",
            author=organisation,
            invariant=1,
        )

        def on_page(pdf, doc_template):
            block = header(doc_template.page, total)
            _w, height = block.wrapOn(pdf, width, header_height)
            block.drawOn(pdf, PAGE_MARGIN, A4[1] - PAGE_MARGIN - height)

        doc.build(story(), onFirstPage=on_page, onLaterPages=on_page)
        return buffer.getvalue(), doc.page

    # "Trang x/y" needs the page count: lay out once to count, then again with the total (the
    # header keeps its height, so both passes paginate identically). A few ms per document.
    _draft, pages = build("?")
    content, _pages = build(pages)
    return content


def text_pdf(text: str, *, title: str = "") -> bytes:
    """A PDF of a plain text as it was written: blank lines separate paragraphs, lines holding
    tabs (tables extracted from a scan) become table rows. The text is rendered unchanged apart
    from NFC, so both tone-mark placements ("Hoà"/"Hòa") survive."""
    styles = _styles()
    width = A4[0] - 2 * PAGE_MARGIN
    flowables: list = []
    table_rows: list[tuple[str, ...]] = []

    def flush_table():
        if table_rows:
            flowables.extend([_table(table_rows, width, styles, header_rows=0), Spacer(1, 3 * mm)])
            table_rows.clear()

    for raw in text.splitlines():
        line = raw.rstrip()
        if "\t" in line:
            table_rows.append(tuple(cell.strip() for cell in line.split("\t")))
            continue
        flush_table()
        if line.strip():
            flowables.append(_p(line.strip(), styles["body"]))
        else:
            flowables.append(Spacer(1, 2 * mm))
    flush_table()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=PAGE_MARGIN,
        bottomMargin=PAGE_MARGIN,
        title=title,
        invariant=1,
    )
    doc.build(flowables)
    return buffer.getvalue()
