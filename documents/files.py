"""Uploaded files of controlled documents: refuse what is not a PDF or DOCX, then analyse.

``validate_upload`` decides from the file's bytes, never from its name or the browser's content
type, and answers in Vietnamese. ``analyse_into`` hashes the file and reads its text through
``documents.extraction`` (a separate, limited process) and records the outcome on the document.
Both accept anything Django calls a file: an ``UploadedFile`` from a form or the API, a
``ContentFile``, a ``File`` wrapping a file opened from disk, or a stored ``FieldFile``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError

from documents import extraction
from documents.extraction import Analysis

ALLOWED_EXTENSIONS = {".pdf": extraction.PDF, ".docx": extraction.DOCX}


def max_upload_bytes() -> int:
    return int(settings.QMS_MAX_UPLOAD_MB) * 1024 * 1024


def _size_of(fileobj) -> int:
    size = getattr(fileobj, "size", None)
    if isinstance(size, int):
        return size
    position = fileobj.tell()
    fileobj.seek(0, os.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(position)
    return size


def original_name(fileobj) -> str:
    """The file's own name without any folder, NFC, at most 255 characters."""
    name = PurePath(str(getattr(fileobj, "name", "") or "").replace("\\", "/")).name
    return unicodedata.normalize("NFC", name)[-255:]


@contextlib.contextmanager
def _binary(fileobj) -> Iterator:
    """``fileobj`` open for binary reading at position 0, and left at position 0 afterwards."""
    closed = getattr(fileobj, "closed", False)
    if closed:
        fileobj.open("rb")
    # Django's File wraps the real file object; the wrapper's truth value is its size, so
    # compare with None rather than rely on ``or``.
    handle = getattr(fileobj, "file", None)
    handle = fileobj if handle is None else handle
    try:
        handle.seek(0)
        yield _BytesView(handle)
    finally:
        if closed:
            fileobj.close()
        else:
            handle.seek(0)


class _BytesView:
    """A file opened in text mode (``File(open(path))``) still reads as bytes here."""

    def __init__(self, handle):
        self._handle = getattr(handle, "buffer", handle)

    def read(self, size=-1):
        return self._handle.read(size)

    def seek(self, offset, whence=os.SEEK_SET):
        return self._handle.seek(offset, whence)

    def tell(self):
        return self._handle.tell()

    def seekable(self):
        return True


def validate_upload(uploaded_file) -> str:
    """Check an uploaded file and return its kind, "pdf" or "docx".

    Refused, with a ``ValidationError`` in Vietnamese: empty files, files over
    ``QMS_MAX_UPLOAD_MB``, anything whose bytes are not a PDF or a Word DOCX (a renamed program,
    a picture, a spreadsheet), old Word .doc files, Word files with macros or a password, and a
    name whose extension contradicts the content.
    """
    name = original_name(uploaded_file)
    extension = PurePath(name.lower()).suffix
    try:
        size = _size_of(uploaded_file)
        if size == 0:
            raise ValidationError("Tệp rỗng (0 byte). Hãy chọn lại tệp.", code="empty")
        if size > max_upload_bytes():
            raise ValidationError(
                "Tệp dung lượng %(size)s MB, vượt giới hạn %(limit)s MB cho mỗi tài liệu.",
                code="too_large",
                params={"size": f"{size / 1048576:.1f}", "limit": settings.QMS_MAX_UPLOAD_MB},
            )
        with _binary(uploaded_file) as handle:
            kind = extraction.sniff(handle)
    except OSError as exc:
        raise ValidationError(
            "Không đọc được tệp tải lên. Hãy thử lại.", code="unreadable"
        ) from exc

    if kind == extraction.LEGACY_DOC or extension == ".doc":
        raise ValidationError(
            "Tệp Word cũ (.doc) không được nhận. Hãy mở bằng Word và lưu lại dưới dạng "
            ".docx hoặc xuất ra PDF.",
            code="legacy_doc",
        )
    if kind == extraction.PROTECTED_OFFICE:
        raise ValidationError(
            "Tệp Word đang đặt mật khẩu. Hãy gỡ mật khẩu rồi tải lên lại.", code="encrypted"
        )
    if kind == extraction.MACRO_DOCX:
        raise ValidationError(
            "Tệp Word có chứa macro không được nhận. Hãy lưu lại dưới dạng .docx thường.",
            code="macro",
        )
    if kind == extraction.BROKEN_ZIP and extension == ".docx":
        # It starts like a Word file but is cut short: keep it, extraction records "corrupt"
        # and the user sees why, as for a truncated PDF.
        kind = extraction.DOCX
    if kind not in (extraction.PDF, extraction.DOCX):
        raise ValidationError(
            "Tệp “%(name)s” không phải PDF hoặc Word (.docx). Chỉ nhận tệp PDF hoặc DOCX.",
            code="wrong_type",
            params={"name": name or "không tên"},
        )
    if extension and ALLOWED_EXTENSIONS.get(extension) != kind:
        raise ValidationError(
            "Tên tệp “%(name)s” không khớp nội dung (nội dung là %(kind)s). Hãy đặt đúng đuôi "
            "tệp .%(kind_ext)s.",
            code="extension_mismatch",
            params={"name": name, "kind": kind.upper(), "kind_ext": kind},
        )
    return kind


@contextlib.contextmanager
def _local_path(fileobj) -> Iterator[str]:
    """A path on local disk holding ``fileobj``'s bytes, for the extraction child to open.

    Uses the upload's own temporary file or the storage's file when there is one; otherwise
    copies into a private temporary file that is removed afterwards.
    """
    for candidate in (fileobj, getattr(fileobj, "file", None)):
        if hasattr(candidate, "temporary_file_path"):
            yield candidate.temporary_file_path()
            return
    if getattr(fileobj, "_committed", False) and getattr(fileobj, "name", None):
        try:
            path = fileobj.storage.path(fileobj.name)
        except (NotImplementedError, AttributeError):
            path = None
        if path and os.path.isfile(path):
            yield path
            return
    with tempfile.TemporaryDirectory(prefix="qms-upload-") as folder:
        target = Path(folder) / "upload"
        with _binary(fileobj) as source, open(target, "wb") as copy:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        yield str(target)


def analyse_upload(fileobj, *, kind: str | None = None) -> Analysis:
    """Analyse any Django file object (see ``extraction.analyse_path``); never raises for a bad
    file, only for an unreadable one (``OSError``)."""
    with _local_path(fileobj) as path:
        return extraction.analyse_path(path, kind=kind)


def analyse_into(document) -> Analysis:
    """Fill the file fields of ``document`` from its (possibly not yet stored) ``file``.

    Sets file_name (the name the user gave it), file_sha256, file_size, page_count, text,
    extraction_status and extraction_detail. Does not save the document.
    """
    from documents.models import ExtractionStatus

    field_file = document.file
    if not field_file:
        document.file_name = document.file_sha256 = document.text = ""
        document.file_size = document.page_count = None
        document.extraction_status = ExtractionStatus.NO_FILE
        document.extraction_detail = ""
        return Analysis(kind="", size=0, sha256="", status=ExtractionStatus.NO_FILE)
    committed = getattr(field_file, "_committed", True)
    source = field_file if committed else field_file.file
    try:
        analysis = analyse_upload(source)
    except OSError:
        analysis = Analysis(
            kind="",
            size=0,
            sha256="",
            status=ExtractionStatus.CORRUPT,
            detail="Không đọc được tệp đã lưu trên máy chủ.",
        )
    name = original_name(source) or original_name(field_file)
    if analysis.kind in (extraction.PDF, extraction.DOCX) and not name.lower().endswith(
        f".{analysis.kind}"
    ):
        # The file view picks the content type from this name: give it the real extension.
        name = f"{name or 'tai-lieu'}.{analysis.kind}"[-255:]
    document.file_name = name
    document.file_sha256 = analysis.sha256
    document.file_size = analysis.size
    document.page_count = analysis.page_count
    document.text = analysis.text
    document.extraction_status = ExtractionStatus(analysis.status)
    document.extraction_detail = analysis.detail[:500]
    return analysis


def outcome_message(document) -> str:
    """The extraction outcome of ``document`` in one Vietnamese sentence for the user."""
    from documents.models import ExtractionStatus

    label = str(ExtractionStatus(document.extraction_status).label)
    detail = (document.extraction_detail or "").strip()
    return f"{label}. {detail}" if detail else f"{label}."
