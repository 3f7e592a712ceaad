"""Generate real PDFs with Vietnamese text (reportlab + the bundled DejaVu Sans font)."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

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
