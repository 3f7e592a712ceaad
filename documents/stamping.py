"""Controlled-copy stamps on downloaded PDFs (ISO 9001:2008 4.2.3 d, e, g).

Every page of a download carries the document code, the revision number (lần ban hành), the
effective date, the issuing unit, who downloaded it and when (Vietnamese time), whether it is a
registered controlled copy ("BẢN KIỂM SOÁT") or not ("Bản không kiểm soát khi in"), a
verification code with the address of ``/v/<code>``, and a large diagonal "HẾT HIỆU LỰC" when the
revision has been superseded or withdrawn.

How the stamp is applied, and why:

* The original is only read; the stamp goes on a copy in memory, so the stored file and its
  SHA-256 in the register stay as approved.
* The stamp text is drawn once per distinct visible page size with reportlab (one overlay PDF,
  one font subset) and turned into a form XObject that every page of that size invokes with a
  tiny content stream. The original content streams are left byte for byte as they are (no
  parsing and re-encoding as ``merge_page`` does), and the result is written as an incremental
  update after the original bytes: growth is a few kilobytes whatever the page count, and a
  digitally signed original keeps its signed revision intact.
* Rotated pages (``/Rotate``) and crop boxes that do not start at the origin are handled by
  placing the form with a matrix, so the stamp reads upright at the bottom of the page as shown.
* Encrypted originals are opened with the empty user password when possible (the stamped copy
  is then written without encryption); otherwise the download is refused with a message.
"""

from __future__ import annotations

import datetime
import io
import logging
import math
import re
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from pypdf import PasswordType, PdfReader, PdfWriter, Transformation
from pypdf.errors import DependencyError, FileNotDecryptedError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
)
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from documents.pdfgen import FONT, register_fonts

logger = logging.getLogger(__name__)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

MSG_ENCRYPTED = (
    "Tệp PDF gốc được đặt mật khẩu nên hệ thống không thể đóng dấu bản kiểm soát. "
    "Đề nghị thư ký ISO tải lên bản PDF không đặt mật khẩu."
)
MSG_CORRUPT = (
    "Tệp PDF gốc bị hỏng hoặc không đúng định dạng nên không thể đóng dấu bản kiểm soát. "
    "Đề nghị thư ký ISO kiểm tra lại tệp."
)
MSG_NOT_PDF = (
    "Lần ban hành này chỉ có tệp Word (DOCX), không đóng dấu bản kiểm soát được. "
    "Đề nghị thư ký ISO tải lên bản PDF; thư ký ISO và người phê duyệt có thể tải bản gốc."
)
MSG_NO_FILE = "Lần ban hành này không có tệp đính kèm."


class StampError(Exception):
    """The copy cannot be stamped; ``message`` tells the user why, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ControlledCopyLike(Protocol):
    """A registered controlled copy (the registration model adds more; the stamp needs this)."""

    number: int
    holder: str


@dataclass(frozen=True)
class Stamp:
    """What one download prints on every page."""

    document_code: str
    revision_number: int
    effective_from: datetime.date
    unit_name: str
    downloaded_by: str
    downloaded_at: datetime.datetime
    verification_code: str
    verification_url: str
    obsolete: bool = False
    obsolete_since: datetime.date | None = None
    not_yet_in_force: bool = False
    copy_number: int | None = None
    copy_holder: str = ""

    @property
    def controlled(self) -> bool:
        return self.copy_number is not None

    def status_line(self) -> str:
        """The top line: controlled or not, and whether the revision is in force."""
        if self.controlled:
            copy = f"BẢN KIỂM SOÁT số {self.copy_number:02d}"
            if self.copy_holder:
                copy += f" — Nơi giữ: {self.copy_holder}"
        else:
            copy = "Bản không kiểm soát khi in"
        if self.obsolete:
            since = f" từ {self.obsolete_since:%d/%m/%Y}" if self.obsolete_since else ""
            return f"HẾT HIỆU LỰC{since} · {copy}"
        if self.not_yet_in_force:
            return f"CHƯA CÓ HIỆU LỰC (hiệu lực từ {self.effective_from:%d/%m/%Y}) · {copy}"
        return copy

    def detail_lines(self) -> list[str]:
        local = self.downloaded_at.astimezone(VN_TZ)
        return [
            f"{self.document_code} · Lần ban hành {self.revision_number:02d} · "
            f"Ngày hiệu lực {self.effective_from:%d/%m/%Y} · {self.unit_name}",
            f"Tải về: {self.downloaded_by}, lúc {local:%H:%M} ngày {local:%d/%m/%Y} · "
            f"Mã kiểm tra: {self.verification_code}",
            f"Kiểm tra hiệu lực của bản này tại {self.verification_url}",
        ]


@dataclass(frozen=True)
class StampResult:
    content: bytes
    page_count: int


# --- Drawing the overlay ------------------------------------------------------------------

_BASE_WIDTH = 595.0  # A4 portrait width in points: the stamp is designed for it and scaled
_DIAGONAL = "HẾT HIỆU LỰC"


def _fit_size(lines: list[str], font: str, size: float, width: float) -> float:
    widest = max(pdfmetrics.stringWidth(line, font, size) for line in lines)
    return size if widest <= width else max(size * width / widest, 3.0)


def _bold_text(pdf: canvas.Canvas, x: float, y: float, text: str, size: float) -> None:
    """Emboldened by stroking the outline (text render mode 2) rather than embedding a second,
    bold font: one font subset less (~19 kB) in every download."""
    pdf.saveState()
    pdf.setLineWidth(size * 0.04)
    obj = pdf.beginText(x, y)
    obj.setFont(FONT, size)
    obj.setTextRenderMode(2)
    obj.textOut(text)
    pdf.drawText(obj)
    pdf.restoreState()


def _draw(pdf: canvas.Canvas, stamp: Stamp, width: float, height: float) -> None:
    """One overlay page of ``width`` × ``height`` as the page is shown (after rotation)."""
    scale = min(max(min(width, height) / _BASE_WIDTH, 0.5), 2.0)
    margin = 6 * mm * scale
    usable = width - 2 * margin
    size = _fit_size(stamp.detail_lines(), FONT, 6.5 * scale, usable)

    if stamp.obsolete:
        # Across the page, semi-transparent, so the content stays readable but nobody can
        # mistake the copy for one in force (4.2.3 g).
        pdf.saveState()
        pdf.setFillColorRGB(0.8, 0.05, 0.05, alpha=0.28)
        diagonal = math.hypot(width, height)
        big = 0.7 * diagonal / (pdfmetrics.stringWidth(_DIAGONAL, FONT, 1) or 1)
        big = min(big, 0.28 * min(width, height))
        pdf.translate(width / 2, height / 2)
        pdf.rotate(math.degrees(math.atan2(height, width)))
        _bold_text(
            pdf, -pdfmetrics.stringWidth(_DIAGONAL, FONT, big) / 2, -big * 0.35, _DIAGONAL, big
        )
        pdf.restoreState()

    status = stamp.status_line()
    status_size = _fit_size([status], FONT, 8 * scale, usable)
    if stamp.obsolete or stamp.not_yet_in_force:
        color = (0.75, 0.05, 0.05)
    elif stamp.controlled:
        color = (0.05, 0.2, 0.6)
    else:
        color = (0.35, 0.35, 0.35)
    pdf.setFillColorRGB(*color)
    pdf.setStrokeColorRGB(*color)
    status_width = pdfmetrics.stringWidth(status, FONT, status_size)
    _bold_text(
        pdf, width - margin - status_width, height - margin - status_size, status, status_size
    )

    pdf.setFillColorRGB(0.3, 0.3, 0.3)
    pdf.setFont(FONT, size)
    lines = stamp.detail_lines()
    y = margin * 0.6 + (len(lines) - 1) * size * 1.25
    for line in lines:
        pdf.drawString(margin, y, line)
        y -= size * 1.25


def _overlays(stamp: Stamp, sizes: list[tuple[float, float]]) -> PdfReader:
    """One reportlab PDF with a page per distinct size, so the font subset is embedded once."""
    register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=1)
    pdf.setTitle("")
    for width, height in sizes:
        pdf.setPageSize((width, height))
        _draw(pdf, stamp, width, height)
        pdf.showPage()
    pdf.save()
    buffer.seek(0)
    return PdfReader(buffer)


# --- Applying it to the pages ---------------------------------------------------------------


def _visible_box(page) -> tuple[float, float, float, float, int]:
    box = page.cropbox
    x0, x1 = sorted((float(box[0]), float(box[2])))
    y0, y1 = sorted((float(box[1]), float(box[3])))
    rotation = round(float(page.rotation or 0) / 90.0) * 90 % 360
    return x0, y0, x1, y1, rotation


def _shown_size(x0: float, y0: float, x1: float, y1: float, rotation: int) -> tuple[float, float]:
    """Width and height of the page as a viewer shows it (a quarter turn swaps them)."""
    width, height = (x1 - x0, y1 - y0) if rotation in (0, 180) else (y1 - y0, x1 - x0)
    return round(max(width, 1.0), 2), round(max(height, 1.0), 2)


def _placement(x0: float, y0: float, x1: float, y1: float, rotation: int) -> Transformation:
    """Map overlay coordinates (as the page is shown) into the page's own coordinates.

    A viewer turns the page clockwise by ``/Rotate``; the overlay is turned back by the same
    angle (counter-clockwise) and moved onto the corner that ends up bottom-left on screen.
    """
    origin = {0: (x0, y0), 90: (x1, y0), 180: (x1, y1), 270: (x0, y1)}[rotation]
    return Transformation().rotate(rotation).translate(*origin)


def _form_xobject(writer: PdfWriter, overlay_page, width: float, height: float) -> IndirectObject:
    contents = overlay_page["/Contents"].get_object()
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    stream = DecodedStreamObject()
    stream.set_data(b"\n".join(part.get_object().get_data() for part in parts))
    form = stream.flate_encode()
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(
        [FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]
    )
    form[NameObject("/Resources")] = overlay_page["/Resources"].get_object().clone(writer)
    return writer._add_object(form)


def _raw_stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _free_name(xobjects, wanted: str, ref: IndirectObject) -> NameObject:
    name, n = wanted, 1
    while name in xobjects and xobjects.raw_get(name) != ref:
        n += 1
        name = f"{wanted}_{n}"
    return NameObject(name)


def _apply(writer: PdfWriter, stamp: Stamp) -> int:
    pages = list(writer.pages)
    boxes = [_visible_box(page) for page in pages]
    sizes = list(dict.fromkeys(_shown_size(*box) for box in boxes))
    overlay = _overlays(stamp, sizes)
    forms = {
        size: _form_xobject(writer, overlay.pages[index], *size) for index, size in enumerate(sizes)
    }
    # Shared streams: "q" before the original content (isolating its graphics state) and one
    # "Q, place the stamp" stream per distinct placement.
    save_state = _raw_stream(writer, b"q\n")
    invocations: dict[tuple, IndirectObject] = {}

    for page, box in zip(pages, boxes, strict=True):
        size = _shown_size(*box)
        form = forms[size]
        resources = page.get("/Resources")
        if resources is None:
            page[NameObject("/Resources")] = resources = DictionaryObject()
        resources = resources.get_object()
        xobjects = resources.get("/XObject")
        if xobjects is None:
            resources[NameObject("/XObject")] = xobjects = DictionaryObject()
        xobjects = xobjects.get_object()
        name = _free_name(xobjects, f"/QmsStamp{sizes.index(size)}", form)
        xobjects[name] = form

        key = (name, *box)
        if key not in invocations:
            a, b, c, d, e, f = _placement(*box).ctm
            command = f"\nQ q {a:.6f} {b:.6f} {c:.6f} {d:.6f} {e:.4f} {f:.4f} cm {name} Do Q\n"
            invocations[key] = _raw_stream(writer, command.encode("ascii"))

        existing = page.get("/Contents")
        parts: list = []
        if existing is not None:
            resolved = existing.get_object()
            if isinstance(resolved, ArrayObject):
                parts.extend(resolved)
            else:
                parts.append(existing)
        page[NameObject("/Contents")] = ArrayObject([save_state, *parts, invocations[key]])
    return len(pages)


def _xref_is_sound(reader: PdfReader, data: bytes) -> bool:
    """An incremental update points back at the original cross-reference table; when pypdf had
    to rebuild a broken one, the whole file is rewritten instead so viewers can open it."""
    offset = getattr(reader, "_startxref", 0)
    head = data[offset : offset + 32] if 0 < offset < len(data) else b""
    return head.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj", head) is not None


def stamp_pdf(data: bytes, stamp: Stamp) -> StampResult:
    """Return a stamped copy of the PDF ``data`` (which is not modified).

    Raises ``StampError`` with a Vietnamese message for files that cannot be stamped
    (encrypted with a real password, corrupt, not a PDF).
    """
    if b"%PDF" not in data[:1024]:
        raise StampError(MSG_NOT_PDF if data[:2] == b"PK" else MSG_CORRUPT)
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        if encrypted:
            # Many "protected" PDFs only restrict printing or copying with an owner password
            # and open with an empty user password; those can be stamped.
            if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise StampError(MSG_ENCRYPTED)
            writer = PdfWriter(clone_from=reader)
        elif _xref_is_sound(reader, data):
            writer = PdfWriter(reader, incremental=True)
        else:
            writer = PdfWriter(clone_from=reader)
        if not writer.pages:
            raise StampError(MSG_CORRUPT)
        pages = _apply(writer, stamp)
        output = io.BytesIO()
        writer.write(output)
    except StampError:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise StampError(MSG_ENCRYPTED) from exc
    except Exception as exc:  # pypdf raises many kinds on malformed files
        logger.warning("Could not stamp a PDF: %r", exc, exc_info=True)
        raise StampError(MSG_CORRUPT) from exc
    return StampResult(content=output.getvalue(), page_count=pages)


# --- Stamping an issued revision for one download -------------------------------------------


@dataclass(frozen=True)
class StampedCopy:
    """A stamped download, ready to send."""

    content: bytes
    page_count: int
    verification_code: str
    stamp: Stamp


def downloader_name(user) -> str:
    """How the stamp names the person who downloaded the copy."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "khách (không đăng nhập)"
    full = (user.get_full_name() or "").strip()
    username = user.get_username()
    return f"{full} ({username})" if full else username


def stamp_for(
    revision,
    *,
    user,
    verification_url: str,
    verification_code: str,
    downloaded_at: datetime.datetime,
    controlled_copy: ControlledCopyLike | None = None,
) -> Stamp:
    """The stamp of one download of ``revision`` (an ``IssuedRevision``)."""
    from documents.models import IssuedRevision

    obsolete = revision.status in (
        IssuedRevision.Status.SUPERSEDED,
        IssuedRevision.Status.OBSOLETE,
    )
    return Stamp(
        document_code=revision.code,
        revision_number=revision.number,
        effective_from=revision.effective_from,
        unit_name=revision.document.unit.name,
        downloaded_by=downloader_name(user),
        downloaded_at=downloaded_at,
        verification_code=verification_code,
        verification_url=verification_url,
        obsolete=obsolete,
        obsolete_since=revision.effective_to if obsolete else None,
        not_yet_in_force=revision.status == IssuedRevision.Status.UPCOMING,
        copy_number=controlled_copy.number if controlled_copy is not None else None,
        copy_holder=(controlled_copy.holder or "") if controlled_copy is not None else "",
    )


def read_original(revision) -> bytes:
    """The stored bytes of the revision's file, read only (never written back)."""
    if not revision.file:
        raise StampError(MSG_NO_FILE)
    try:
        with revision.file.storage.open(revision.file.name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError) as exc:
        logger.error("File of issued revision %s is missing: %r", revision.pk, exc)
        raise StampError(MSG_NO_FILE) from exc


def stamp_revision(
    revision,
    *,
    user,
    request=None,
    controlled_copy: ControlledCopyLike | None = None,
    now: datetime.datetime | None = None,
) -> StampedCopy:
    """Stamp a copy of ``revision``'s PDF for ``user`` (``StampError`` when impossible).

    ``controlled_copy`` (an object with ``number`` and ``holder``) turns the copy into a
    registered controlled copy ("BẢN KIỂM SOÁT số NN"); without it the copy is uncontrolled.
    """
    from django.utils import timezone

    from documents import verification

    now = now or timezone.now()
    name = (revision.file_name or revision.file.name or "").lower()
    if name.endswith((".docx", ".doc")):
        raise StampError(MSG_NOT_PDF)
    data = read_original(revision)
    # A controlled copy's code names the copy too, so /v/<code> can tell it was recalled.
    copy_id = getattr(controlled_copy, "pk", None) if controlled_copy is not None else None
    code = verification.make_code(revision.pk, now.astimezone(VN_TZ).date(), copy_id=copy_id)
    stamp = stamp_for(
        revision,
        user=user,
        verification_url=verification.verification_url(code, request),
        verification_code=code,
        downloaded_at=now,
        controlled_copy=controlled_copy,
    )
    result = stamp_pdf(data, stamp)
    return StampedCopy(
        content=result.content,
        page_count=result.page_count,
        verification_code=code,
        stamp=stamp,
    )
