"""File endpoints of the documents API: the stamped copy for readers, the original for the
people who control the document.

* ``GET /api/v1/documents/{id}/download`` — the revision in force, stamped on every page
  (``?revision=N`` for another revision; one out of force is stamped "HẾT HIỆU LỰC").
* ``GET /api/v1/documents/{id}/original`` — the unstamped original as approved (its SHA-256
  matches the register), for the ISO secretary and approvers of the owning unit only.

Mounted on the same ``/documents`` prefix as ``documents.api``; url names differ.
"""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404
from ninja import Router
from ninja.errors import HttpError

from documents.download_views import (
    RevisionNotAvailable,
    content_disposition,
    download_filename,
    select_revision,
    stamped_response,
)
from documents.models import ControlledDocument
from documents.stamping import StampError, stamp_revision
from qms import access
from qms.api import AUTHENTICATED, PUBLIC

router = Router(tags=["Tệp tài liệu"])

MSG_ORIGINAL_FORBIDDEN = (
    "Chỉ thư ký ISO và người phê duyệt của đơn vị ban hành được tải bản gốc (chưa đóng dấu). "
    "Hãy dùng bản tải về có đóng dấu."
)
PDF_RESPONSE = {200: {"content": {"application/pdf": {}}, "description": "Tệp PDF"}}


def _readable(request, document_id: int) -> ControlledDocument:
    document = ControlledDocument.objects.select_related("unit").filter(pk=document_id).first()
    if document is None or not access.can_view_document(request.user, document):
        raise Http404
    return document


def _revision(document: ControlledDocument, number: int | None):
    if number is not None and number < 1:
        raise HttpError(422, "Số lần ban hành phải là số nguyên dương.")
    try:
        return select_revision(document, number)
    except RevisionNotAvailable as exc:
        raise HttpError(404, exc.message) from exc


@router.get(
    "/{int:document_id}/download",
    auth=PUBLIC,
    url_name="document_download",
    summary="Tải bản có đóng dấu kiểm soát",
    openapi_extra={"responses": PDF_RESPONSE},
)
def download(request, document_id: int, revision: int | None = None):
    """The stamped PDF of the revision in force, or of revision number ``revision``.

    409 with a message when the original cannot be stamped (a DOCX file, a PDF locked with a
    password, a corrupt file).
    """
    document = _readable(request, document_id)
    issued = _revision(document, revision)
    try:
        copy = stamp_revision(issued, user=request.user, request=request)
    except StampError as exc:
        raise HttpError(409, exc.message) from exc
    return stamped_response(copy, issued)


@router.get(
    "/{int:document_id}/original",
    auth=AUTHENTICATED,
    url_name="document_original",
    summary="Tải bản gốc (không đóng dấu)",
    openapi_extra={"responses": PDF_RESPONSE},
)
def original(request, document_id: int, revision: int | None = None):
    """The unstamped original file of the revision in force (or of ``revision``).

    403 for readers who are not the ISO secretary or an approver of the owning unit.
    """
    document = _readable(request, document_id)
    if not access.can_download_original(request.user, document):
        raise HttpError(403, MSG_ORIGINAL_FORBIDDEN)
    issued = _revision(document, revision)
    if not issued.file:
        raise HttpError(404, "Lần ban hành này không có tệp đính kèm.")
    try:
        handle = issued.file.storage.open(issued.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise HttpError(404, "Không tìm thấy tệp của lần ban hành này.") from exc
    name = issued.file_name or issued.file.name
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(download_filename(issued, extension))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if issued.file_sha256:
        response["X-Content-SHA256"] = issued.file_sha256
    return response
