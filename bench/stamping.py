"""Stamping speed and file growth: documents.stamping against pypdf's plain ``merge_page``.

Run: ``.venv/bin/python bench/stamping.py`` (no database needed). Prints pages/s and how much
bigger the stamped copy is than the original, for a few kinds of PDF.
"""

from __future__ import annotations

import datetime
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from documents.pdfgen import FONT, register_fonts, simple_pdf
from documents.stamping import Stamp, _overlays, stamp_pdf

STAMP = Stamp(
    document_code="QT-VP-01",
    revision_number=2,
    effective_from=datetime.date(2013, 3, 1),
    unit_name="Văn phòng Sở",
    downloaded_by="Nguyễn Thị Hoa (staff.vp)",
    downloaded_at=datetime.datetime.now(datetime.UTC),
    verification_code="7K3M-Q9XD-2PAB-C4",
    verification_url="https://qms.hoabinh.edu.vn/v/7K3M-Q9XD-2PAB-C4/",
    obsolete=True,
)


def text_pdf(pages: int) -> bytes:
    lines = [f"Dòng {i}: nội dung quy trình kiểm soát tài liệu và hồ sơ" for i in range(43 * pages)]
    return simple_pdf(lines)


def scan_pdf(pages: int) -> bytes:
    """Pages that are one greyscale picture each (a scanned original, no text layer)."""
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    for number in range(pages):
        picture = Image.frombytes("L", (600, 850), os.urandom(600 * 850 // 4) * 4)
        pdf.drawImage(ImageReader(picture), 0, 0, *A4)
        pdf.setFont(FONT, 8)
        pdf.drawString(20, 20, f"{number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def naive(data: bytes) -> bytes:
    """The textbook way: merge the overlay page into every page, rewrite the whole file."""
    reader = PdfReader(io.BytesIO(data))
    overlay = _overlays(STAMP, [(float(A4[0]), float(A4[1]))]).pages[0]
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        page.merge_page(overlay)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def measure(label: str, data: bytes, function, repeat: int = 3) -> None:
    pages = len(PdfReader(io.BytesIO(data)).pages)
    started = time.perf_counter()
    for _ in range(repeat):
        result = function(data)
    elapsed = (time.perf_counter() - started) / repeat
    size = len(result.content if hasattr(result, "content") else result)
    print(
        f"{label:<34} {pages:>4} pages  {pages / elapsed:>8.0f} pages/s  "
        f"{len(data) / 1024:>8.1f} kB → {size / 1024:>8.1f} kB  "
        f"(×{size / len(data):.2f}, +{(size - len(data)) / 1024:.1f} kB)"
    )


def main() -> None:
    samples = {
        "3-page text PDF": text_pdf(3),
        "100-page text PDF": text_pdf(100),
        "20-page scanned PDF": scan_pdf(20),
    }
    for name, data in samples.items():
        measure(f"{name}: documents.stamping", data, lambda d: stamp_pdf(d, STAMP))
        measure(f"{name}: merge_page", data, naive)


if __name__ == "__main__":
    main()
