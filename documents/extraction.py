"""Reading uploaded PDF and DOCX files safely: type sniffing, hashing and text extraction.

Parsing hostile files is dangerous: a crafted PDF can make pypdf loop for minutes, a zip bomb can
eat all memory, a C extension can segfault. So the parsers never run in the web process.
``analyse_path`` starts a fresh interpreter (``python -m documents.extraction``) that sets its own
memory and CPU limits before importing any parser, writes one JSON object on stdout and exits; the
parent kills it when the time limit passes. Whatever happens in the child, the parent returns an
``Analysis`` with one of the ``ExtractionStatus`` values.

The child half of this module imports neither Django nor the project's models, so it starts fast
and a broken settings file cannot stop extraction.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

# The values of documents.models.ExtractionStatus (kept here so the child needs no Django).
TEXT = "text"
NO_TEXT = "no_text"
ENCRYPTED = "encrypted"
CORRUPT = "corrupt"
LEGACY_FONT = "legacy_font"
TOO_LARGE = "too_large"
PENDING = "pending"  # not read yet: the server could not start the reader
OUTCOMES = frozenset({TEXT, NO_TEXT, ENCRYPTED, CORRUPT, LEGACY_FONT, TOO_LARGE})

# What ``sniff`` recognises.
PDF = "pdf"
DOCX = "docx"
LEGACY_DOC = "doc"  # OLE compound file: Word 97-2003 .doc (or .xls, .ppt)
PROTECTED_OFFICE = "protected_office"  # an OOXML file encrypted with a password (also OLE)
MACRO_DOCX = "docm"  # a Word file with macros (word/vbaProject.bin)
BROKEN_ZIP = "zip_broken"  # starts like a zip but cannot be opened (e.g. a truncated .docx)
OTHER_ZIP = "zip_other"  # a zip that is not a Word document (.xlsx, .odt, an archive)
UNKNOWN = "unknown"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream that holds a password-protected .docx inside its OLE container, in UTF-16LE.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
# Past this many characters the text is cut: search and comparison do not need more, and the
# JSON pipe and the database row stay bounded (a 500-page manual is about 1.5 million).
MAX_TEXT_CHARS = 3_000_000
# A .docx whose parts expand beyond this is treated as a zip bomb.
MAX_DOCX_EXPANDED_BYTES = 400 * 1024 * 1024
# A Word document is a few dozen parts plus its pictures.
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_DIRECTORY_BYTES = 2 * 1024 * 1024
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Analysis:
    """What the system knows about one file: identity, size, pages, text and the outcome."""

    kind: str
    size: int
    sha256: str
    status: str
    detail: str = ""
    page_count: int | None = None
    text: str = ""


# --- Type sniffing (shared with documents.files) ------------------------------------------


def sniff(handle) -> str:
    """The real type of an open binary file, from its bytes (never from its name).

    Leaves the handle at position 0. A PDF may carry junk before ``%PDF-`` (readers accept up to
    1 KiB of it); a DOCX is a zip holding ``word/document.xml``.
    """
    handle.seek(0)
    head = handle.read(1024)
    handle.seek(0)
    if b"%PDF-" in head:
        return PDF
    if head.startswith(OLE_MAGIC):
        # A password-protected .docx is an OLE container too; look for its stream name in the
        # directory, which sits near the start of small files and is cheap to scan.
        chunk = head + handle.read(256 * 1024)
        handle.seek(0)
        return PROTECTED_OFFICE if ENCRYPTED_PACKAGE in chunk else LEGACY_DOC
    if head.startswith(b"PK\x03\x04"):
        if _zip_too_many_entries(handle):
            # Checked before zipfile builds one object per entry: a small archive listing a
            # million names would otherwise tie up the web process that validates the upload.
            return OTHER_ZIP
        try:
            with zipfile.ZipFile(handle) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            # A zip that cannot be opened: a truncated .docx reads the same way. The caller
            # decides with the file name; extraction will then record it as corrupt.
            return BROKEN_ZIP
        finally:
            handle.seek(0)
        if "word/document.xml" in names:
            return MACRO_DOCX if "word/vbaProject.bin" in names else DOCX
        return OTHER_ZIP
    return UNKNOWN


def _zip_too_many_entries(handle) -> bool:
    """Whether the zip's end-of-central-directory record announces more entries, or a larger
    directory, than a Word document has (zipfile walks the directory by its size, so both)."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - 65536 - 22))
    tail = handle.read()
    handle.seek(0)
    position = tail.rfind(b"PK\x05\x06")
    if position < 0 or position + 16 > len(tail):
        return False  # no directory at all: zipfile fails fast on it
    count = int.from_bytes(tail[position + 10 : position + 12], "little")
    directory = int.from_bytes(tail[position + 12 : position + 16], "little")
    # 0xFFFF / 0xFFFFFFFF mean "see the ZIP64 record": far beyond any Word document.
    return count > MAX_ZIP_ENTRIES or directory > MAX_ZIP_DIRECTORY_BYTES


def file_digest(path: str | os.PathLike) -> tuple[int, str]:
    """Size in bytes and SHA-256 (hex) of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


# --- Legacy Vietnamese encodings ----------------------------------------------------------

# Before Unicode (TCVN 6909:2001) Vietnamese was typed in 8-bit fonts: TCVN3/ABC (".VnTime",
# ".VnArial", "...H" for capitals) and VNI ("VNI-Times"). Their bytes come out of a PDF or DOCX as
# Latin-1 mojibake: "Quy tr×nh kiÓm so¸t tµi liÖu" (TCVN3), "Quy trình kieåm soaùt" (VNI).
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_LEGACY_FONT = re.compile(r"^(?:\.?Vn[A-Z]|VNI[-_ ]|VPS[-_ ])", re.IGNORECASE)
# Characters those encodings produce that never occur in Unicode Vietnamese: in Latin-1 only
# ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ (and lowercase) are Vietnamese letters, and Unicode Vietnamese needs no symbol
# glued inside a word. U+00AD (soft hyphen) is TCVN3 "ư".
LEGACY_MARKERS = frozenset("µ¶·¸¹¨»¼½¾ÆÇËÎÏÐÑÖ×ØÜÞßäåæçëîïñö÷øûüþ¡¢£¤¥¦§©ª«¬®ÅÄÛ\u00ad")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def is_legacy_font(name: str) -> bool:
    """True for TCVN3 (.VnTime ...), VNI (VNI-Times ...) and VPS font names, subset or not."""
    name = _SUBSET_PREFIX.sub("", (name or "").lstrip("/"))
    return bool(_LEGACY_FONT.match(name))


def legacy_words(text: str) -> tuple[int, int]:
    """(words that look like TCVN3/VNI mojibake, words) in ``text``.

    A mojibake word mixes ASCII letters with a marker character ("tr×nh", "kieåm"); genuine text
    with a stray "«" or "©" scores a few at most, far below real mojibake, where most words with
    a diacritic are hit.
    """
    suspicious = words = 0
    for token in text.split():
        if not any(ch.isalpha() for ch in token):
            continue
        words += 1
        if _ASCII_LETTER.search(token) and any(ch in LEGACY_MARKERS for ch in token):
            suspicious += 1
    return suspicious, words


def looks_legacy_encoded(text: str, *, font_hint: bool = False) -> bool:
    """Whether ``text`` reads as TCVN3/VNI mojibake; a legacy font name lowers the bar."""
    suspicious, words = legacy_words(text)
    if font_hint:
        return suspicious >= 1
    return suspicious >= 3 and suspicious >= 0.15 * words


# --- Text clean-up ------------------------------------------------------------------------

# NUL cannot be stored by PostgreSQL, lone surrogates cannot be encoded, and other C0 controls
# only confuse search; tabs, newlines and form feeds stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """NFC (TCVN 6909:2001 requires precomposed Vietnamese) without unstorable characters."""
    return unicodedata.normalize("NFC", _CONTROL.sub("", text or ""))


def _meaningful_chars(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def _cut(text: str) -> tuple[str, bool]:
    return (text[:MAX_TEXT_CHARS], True) if len(text) > MAX_TEXT_CHARS else (text, False)


# --- The child: PDF ------------------------------------------------------------------------


def _pdf_fonts(page) -> set[str]:
    """Base font names in the page's /Font resources (and those of its form XObjects)."""
    names: set[str] = set()
    pending, seen = [page.get("/Resources")], 0
    while pending and seen < 200:  # bounded: resources can nest or point back at themselves
        seen += 1
        resources = pending.pop()
        resources = resources.get_object() if resources is not None else None
        if not hasattr(resources, "get"):
            continue
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else None
        if hasattr(fonts, "values"):
            for font in fonts.values():
                font = font.get_object()
                if hasattr(font, "get"):
                    names.add(str(font.get("/BaseFont", "")))
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else None
        if hasattr(xobjects, "values"):
            for xobject in xobjects.values():
                xobject = xobject.get_object()
                if hasattr(xobject, "get") and xobject.get("/Subtype") == "/Form":
                    pending.append(xobject.get("/Resources"))
    return {name.lstrip("/") for name in names if name}


def _extract_pdf(path: str) -> dict:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    # pypdf logs one warning per broken object; a hostile file would flood the parent's log.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    with open(path, "rb") as handle:
        handle.seek(max(0, os.path.getsize(path) - 2048))
        truncated = b"%%EOF" not in handle.read()
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return {"status": ENCRYPTED, "detail": "Tệp PDF đặt mật khẩu mở tệp."}
        pages = reader.pages
        page_count = len(pages)
    except DependencyError:
        return {
            "status": ENCRYPTED,
            "detail": "Tệp PDF được mã hóa AES; máy chủ không giải mã được.",
        }
    except FileNotDecryptedError:
        return {"status": ENCRYPTED, "detail": "Tệp PDF đặt mật khẩu mở tệp."}
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        return {"status": CORRUPT, "detail": f"Không đọc được cấu trúc tệp PDF ({_short(exc)})."}
    if page_count == 0:
        return {"status": CORRUPT, "detail": "Tệp PDF không có trang nào.", "page_count": 0}

    parts, fonts, failed, empty = [], set(), 0, 0
    for page in pages:
        # Font names are only a hint: a broken font dictionary is no reason to stop reading.
        with contextlib.suppress(Exception):
            fonts |= _pdf_fonts(page)
        try:
            page_text = clean_text(page.extract_text() or "")
        except (MemoryError, RecursionError):
            raise
        except Exception:
            failed += 1
            continue
        if _meaningful_chars(page_text) < 5:
            empty += 1
        parts.append(page_text)
    text, cut = _cut("\n\n".join(parts).strip())
    result = {"page_count": page_count, "text": text, "fonts": sorted(fonts), "cut": cut}
    if truncated or failed == page_count:
        read = page_count - failed
        result["status"] = CORRUPT
        result["detail"] = (
            "Tệp PDF bị cắt cụt (thiếu phần cuối, có thể tải lên chưa hết)"
            if truncated
            else "Không đọc được nội dung trang nào của tệp PDF"
        ) + (f"; đọc được {read}/{page_count} trang." if truncated and text else ".")
        return result
    notes = []
    if failed:
        notes.append(f"{failed}/{page_count} trang không đọc được")
    if empty and empty < page_count:
        notes.append(f"{empty}/{page_count} trang không có lớp chữ (trang quét)")
    return _classify(result, notes, pages=page_count)


# --- The child: DOCX -----------------------------------------------------------------------

_RFONTS = re.compile(rb"<w:rFonts\b([^>]*)>")
_FONT_ATTR = re.compile(rb'w:(?:ascii|hAnsi|cs|eastAsia)="([^"]{1,100})"')
_PAGES = re.compile(rb"<(?:\w+:)?Pages>\s*(\d{1,7})\s*</(?:\w+:)?Pages>")


def _extract_docx(path: str) -> dict:
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            expanded = sum(info.file_size for info in infos)
            if expanded > MAX_DOCX_EXPANDED_BYTES:
                return {
                    "status": TOO_LARGE,
                    "detail": f"Tệp DOCX giải nén ra {expanded // (1024 * 1024)} MB, "
                    "vượt mức cho phép (nghi tệp nén bất thường).",
                }
            names = {info.filename for info in infos}
            if "word/document.xml" not in names:
                return {"status": CORRUPT, "detail": "Tệp nén không chứa văn bản Word."}
            page_count = None
            if "docProps/app.xml" in names:
                match = _PAGES.search(archive.read("docProps/app.xml"))
                page_count = int(match.group(1)) if match and int(match.group(1)) > 0 else None
            fonts: set[str] = set()
            for part in ("word/document.xml", "word/styles.xml"):
                if part in names:
                    for attrs in _RFONTS.findall(archive.read(part)):
                        fonts |= {f.decode("utf-8", "replace") for f in _FONT_ATTR.findall(attrs)}
        document = docx.Document(path)
    except (zipfile.BadZipFile, EOFError) as exc:
        return {"status": CORRUPT, "detail": f"Tệp DOCX bị hỏng ({_short(exc)})."}
    except (KeyError, ValueError, OSError, SyntaxError, AttributeError, TypeError) as exc:
        # lxml's XMLSyntaxError is a SyntaxError; python-docx raises KeyError/ValueError on
        # missing parts and relationships.
        return {"status": CORRUPT, "detail": f"Không đọc được nội dung DOCX ({_short(exc)})."}
    # Every paragraph of the body in reading order, tables and text boxes included.
    lines = [Paragraph(p, document).text for p in document.element.body.iter(qn("w:p"))]
    text, cut = _cut(clean_text("\n".join(lines)).strip())
    result = {"page_count": page_count, "text": text, "fonts": sorted(fonts), "cut": cut}
    # Word's own page count (docProps/app.xml) is whatever the last save computed: it only
    # names the size, it does not judge how much text there should be.
    return _classify(result, [], pages=1)


# --- The child: common ending --------------------------------------------------------------


def _classify(result: dict, notes: list[str], *, pages: int) -> dict:
    text = result["text"]
    legacy = sorted(
        {_SUBSET_PREFIX.sub("", name) for name in result["fonts"] if is_legacy_font(name)}
    )
    if looks_legacy_encoded(text, font_hint=bool(legacy)):
        result["status"] = LEGACY_FONT
        notes.insert(0, "Phông chữ cũ: " + ", ".join(legacy) if legacy else "Nội dung mã TCVN3/VNI")
    elif _meaningful_chars(text) < 10 * pages:
        # Scans often carry a page number or a stamp in a text layer: a few characters per
        # page still mean "no text to search".
        result["status"] = NO_TEXT
        notes.insert(0, f"Chỉ đọc được {_meaningful_chars(text)} ký tự trên {pages} trang")
    else:
        result["status"] = TEXT
        if legacy:
            notes.append("có phông chữ cũ " + ", ".join(legacy) + " nhưng nội dung đọc được")
    if result.pop("cut", False):
        notes.append(f"nội dung dài, chỉ lưu {MAX_TEXT_CHARS:,} ký tự đầu".replace(",", "."))
    result["detail"] = ("; ".join(notes) + ".") if notes else ""
    return result


def _short(exc: BaseException) -> str:
    # The exception's name helps whoever looks into the file; its message is English noise.
    return f"lỗi kỹ thuật: {type(exc).__name__}"


def _limit_resources(memory_mb: int, cpu_s: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # CPU time backs up the parent's wall-clock timeout: if the parent dies (worker recycled), an
    # orphaned child still stops. No core files from crashes in the private folder either.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def child_main(argv: list[str]) -> int:
    """Entry point of the child: ``KIND PATH MEMORY_MB CPU_S``; prints one JSON object."""
    kind, path, memory_mb, cpu_s = argv[0], argv[1], int(argv[2]), int(argv[3])
    _limit_resources(memory_mb, cpu_s)
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything a library prints must not corrupt the JSON answer
    try:
        result = _extract_pdf(path) if kind == PDF else _extract_docx(path)
    except MemoryError:
        result = {"status": TOO_LARGE, "reason": "memory"}
    except RecursionError:
        result = {"status": CORRUPT, "detail": "Cấu trúc tệp lồng nhau quá sâu (tệp bất thường)."}
    except Exception as exc:
        result = {"status": CORRUPT, "detail": f"Không đọc được tệp ({_short(exc)})."}
    result.pop("fonts", None)
    out.write(json.dumps(result, ensure_ascii=False).encode("utf-8"))
    out.flush()
    return 0


# --- The parent -----------------------------------------------------------------------------


def _setting(name: str, default: int) -> int:
    from django.conf import settings

    return int(getattr(settings, name, default))


def analyse_path(
    path: str | os.PathLike,
    *,
    kind: str | None = None,
    timeout_s: float | None = None,
    memory_mb: int | None = None,
) -> Analysis:
    """Hash, measure and read the file at ``path`` in a separate, limited process.

    ``kind`` ("pdf"/"docx") skips sniffing when the caller has already checked the type. Limits
    default to ``QMS_EXTRACT_TIMEOUT_S`` and ``QMS_EXTRACT_MEMORY_MB``. Never raises for a bad
    file: every outcome is an ``Analysis`` whose ``status`` is an ``ExtractionStatus`` value and
    whose ``detail`` explains it in Vietnamese.
    """
    size, sha256 = file_digest(path)
    if kind is None:
        with open(path, "rb") as handle:
            kind = sniff(handle)
    analysis = Analysis(kind=kind, size=size, sha256=sha256, status=CORRUPT)
    max_mb = _setting("QMS_MAX_UPLOAD_MB", 50)
    if size > max_mb * 1024 * 1024:
        analysis.status = TOO_LARGE
        analysis.detail = f"Tệp {size / 1048576:.1f} MB, vượt giới hạn {max_mb} MB."
        return analysis
    if kind == PROTECTED_OFFICE:
        analysis.status = ENCRYPTED
        analysis.detail = "Tệp Word được đặt mật khẩu."
        return analysis
    if kind == BROKEN_ZIP:
        analysis.detail = "Tệp nén (DOCX) bị hỏng hoặc bị cắt cụt."
        return analysis
    if kind == LEGACY_DOC:
        analysis.detail = "Tệp Word cũ (.doc): cần lưu lại thành .docx hoặc PDF."
        return analysis
    if kind not in (PDF, DOCX):
        analysis.detail = "Tệp không phải PDF hoặc DOCX."
        return analysis
    timeout = float(timeout_s if timeout_s is not None else _setting("QMS_EXTRACT_TIMEOUT_S", 60))
    memory = int(memory_mb if memory_mb is not None else _setting("QMS_EXTRACT_MEMORY_MB", 1024))
    try:
        result = _run_child(kind, os.fspath(path), timeout, memory)
    except OSError:
        # No process could be started (out of process slots or memory): not the file's fault,
        # so say so and leave it to be read again later.
        analysis.status = PENDING
        analysis.detail = "Máy chủ đang bận, chưa đọc được nội dung tệp; hãy tải lại tệp sau."
        return analysis
    status = result.get("status")
    analysis.status = status if status in OUTCOMES else CORRUPT
    analysis.detail = str(result.get("detail", ""))[:500]
    page_count = result.get("page_count")
    analysis.page_count = page_count if isinstance(page_count, int) and page_count > 0 else None
    text = result.get("text", "")
    analysis.text = text if isinstance(text, str) else ""
    if result.get("reason") == "memory":
        analysis.detail = f"Đọc tệp cần quá {memory} MB bộ nhớ nên đã dừng."
    return analysis


def _run_child(kind: str, path: str, timeout: float, memory_mb: int) -> dict:
    command = [
        sys.executable,
        "-m",
        "documents.extraction",
        kind,
        os.path.abspath(path),
        str(memory_mb),
        str(int(timeout) + 5),
    ]
    # A bare environment: the reader needs none of the server's secrets (database URL, keys), so
    # a parser exploited by a crafted file finds none.
    env = {
        "PATH": os.defpath,
        "LC_ALL": "C.UTF-8",
        "PYTHONPATH": str(PROJECT_ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    with tempfile.TemporaryFile() as errors:
        # A new session so the kill reaches the child alone, never the web server's group.
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            cwd=PROJECT_ROOT,
            env=env,
            start_new_session=True,
        )
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return {
                "status": TOO_LARGE,
                "detail": f"Đọc tệp mất quá {timeout:g} giây nên đã dừng "
                "(tệp quá lớn hoặc có cấu trúc bất thường).",
            }
        errors.seek(0, os.SEEK_END)
        errors.seek(max(0, errors.tell() - 4000))
        stderr_tail = errors.read().decode("utf-8", "replace")
    if process.returncode == 0:
        with contextlib.suppress(ValueError):
            result = json.loads(output.decode("utf-8"))
            if isinstance(result, dict):
                return result
    if "MemoryError" in stderr_tail:
        return {"status": TOO_LARGE, "reason": "memory"}
    if process.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return {
            "status": TOO_LARGE,
            "detail": f"Đọc tệp dùng quá {int(timeout) + 5} giây máy nên đã dừng.",
        }
    return {
        "status": CORRUPT,
        "detail": f"Trình đọc tệp bị dừng đột ngột (mã {process.returncode}); tệp có thể bị hỏng.",
    }


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
