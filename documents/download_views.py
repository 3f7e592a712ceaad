"""Stamped downloads on the staff site: ``/tai-lieu/<pk>/tai-ve/`` (``?lan=N`` for another
revision, ``&xem=1`` to open it in the browser instead of saving it, ``?ban=<id>`` for the ISO
secretary to print a registered controlled copy, "BẢN KIỂM SOÁT số NN").

The revision in force is the default; a superseded or withdrawn revision is delivered only when
asked for by number, and then carries "HẾT HIỆU LỰC" across every page (ISO 9001:2008 4.2.3 g).
Who may download is decided by ``qms.access.can_view_document`` alone.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from documents.models import ControlledDocument, IssuedRevision
from documents.stamping import StampedCopy, StampError, stamp_revision
from qms import access

MSG_NOT_FOUND = "Không tìm thấy tài liệu, hoặc bạn không có quyền xem tài liệu này."
MSG_NO_CURRENT = (
    "Tài liệu này hiện không có lần ban hành nào đang có hiệu lực. "
    "Các lần ban hành cũ chỉ được tải khi chọn đích danh và mang dấu “HẾT HIỆU LỰC”."
)
MSG_NO_SUCH_REVISION = "Tài liệu không có lần ban hành số {number}."
MSG_BAD_NUMBER = "Số lần ban hành không hợp lệ."
MSG_NO_SUCH_COPY = "Không tìm thấy bản kiểm soát này trong sổ đăng ký của tài liệu."
MSG_COPY_REFUSED = "Chỉ thư ký ISO của “{unit}” được in bản kiểm soát của tài liệu này."
MSG_COPY_RECALLED = (
    "Bản kiểm soát số {number} đã bị thu hồi ngày {day:%d/%m/%Y}; không in lại bản này. "
    "Hãy đăng ký một bản kiểm soát mới nếu đơn vị vẫn cần."
)
MSG_COPY_OUT_OF_FORCE = (
    "Bản kiểm soát số {number} thuộc lần ban hành {revision} đã hết hiệu lực: cần thu hồi bản "
    "này, không in lại."
)


class RevisionNotAvailable(Exception):
    """The requested revision (or controlled copy) cannot be delivered; ``message`` says why in
    Vietnamese and ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 404):
        super().__init__(message)
        self.message = message
        self.status = status


def parse_number(value) -> int | None:
    """``?lan=02`` → 2; empty → None (the revision in force); anything else is refused."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if not text.isdigit() or len(text) > 4 or int(text) < 1:
        raise RevisionNotAvailable(MSG_BAD_NUMBER)
    return int(text)


def select_revision(document: ControlledDocument, number: int | None) -> IssuedRevision:
    """The revision in force when ``number`` is None, otherwise revision ``number`` whatever its
    status (the stamp marks the ones out of force)."""
    revisions = IssuedRevision.objects.select_related("document__unit").filter(document=document)
    if number is None:
        revision = revisions.filter(status=IssuedRevision.Status.CURRENT).first()
        if revision is None:
            raise RevisionNotAvailable(MSG_NO_CURRENT)
        return revision
    revision = revisions.filter(number=number).first()
    if revision is None:
        raise RevisionNotAvailable(MSG_NO_SUCH_REVISION.format(number=f"{number:02d}"))
    return revision


def select_controlled_copy(request, document: ControlledDocument, value):
    """The registered copy ``?ban=<id>`` of ``document`` that ``request.user`` may print, or
    ``None`` without the parameter. ``RevisionNotAvailable`` (with an HTTP status) otherwise.

    Only the ISO secretary who registers copies prints them, only copies not recalled, and only
    while their revision is in force: a "BẢN KIỂM SOÁT" stamp on anything else would defeat the
    recall (ISO 9001:2008 4.2.3 g).
    """
    if value is None or str(value).strip() == "":
        return None
    from documents.models_distribution import ControlledCopy

    if not access.can_register_copies(request.user, document):
        raise RevisionNotAvailable(MSG_COPY_REFUSED.format(unit=document.unit.name), status=403)
    text = str(value).strip()
    copy = None
    if text.isdigit() and len(text) <= 10:
        copy = (
            ControlledCopy.objects.select_related("issued_revision__document__unit", "unit")
            .filter(pk=int(text), document=document)
            .first()
        )
    if copy is None:
        raise RevisionNotAvailable(MSG_NO_SUCH_COPY, status=404)
    if copy.recalled_at is not None:
        day = timezone.localtime(copy.recalled_at).date()
        raise RevisionNotAvailable(
            MSG_COPY_RECALLED.format(number=copy.number_label, day=day), status=409
        )
    if copy.issued_revision.status != IssuedRevision.Status.CURRENT:
        raise RevisionNotAvailable(
            MSG_COPY_OUT_OF_FORCE.format(
                number=copy.number_label, revision=copy.issued_revision.number_label
            ),
            status=409,
        )
    return copy


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    folded = re.sub(r"[^A-Za-z0-9._()-]+", "-", folded)
    return re.sub(r"-{2,}", "-", folded).strip("-.") or "tai-lieu"


def download_filename(revision: IssuedRevision, extension: str = ".pdf") -> str:
    """``QT-VP-01 (lần 02) Quy trình kiểm soát tài liệu.pdf`` — code first, for sorting."""
    code = revision.code.replace("/", "-")
    base = f"{code} (lần {revision.number:02d}) {revision.title}"
    return re.sub(r'[\\/:*?"<>|\r\n\t]+', " ", base)[:120].strip() + extension


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A safe ASCII ``filename`` for old clients plus the Vietnamese ``filename*`` (RFC 6266)."""
    kind = "inline" if inline else "attachment"
    stem, dot, ext = filename.rpartition(".")
    ascii_name = f"{_ascii(stem)}.{_ascii(ext)}" if dot else _ascii(filename)
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def stamped_response(
    copy: StampedCopy, revision: IssuedRevision, *, inline: bool = False
) -> HttpResponse:
    response = HttpResponse(copy.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        download_filename(revision), inline=inline
    )
    response["Content-Length"] = str(len(copy.content))
    # Every copy names its downloader and time: never cache or share it.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Verification-Code"] = copy.verification_code
    return response


def _problem(request, message: str, *, status: int, document=None, original_url: str = ""):
    document_url = ""
    if document is not None:
        try:
            document_url = reverse("site:document", args=[document.pk])
        except NoReverseMatch:
            document_url = ""
    context = {
        "message": message,
        "document": document,
        "document_url": document_url,
        "original_url": original_url,
    }
    return render(request, "documents/download_problem.html", context, status=status)


def original_url(document: ControlledDocument, revision: IssuedRevision) -> str:
    return reverse("api:document_original", args=[document.pk]) + f"?revision={revision.number}"


@require_safe
@xframe_options_sameorigin  # the document page may show the stamped copy in a frame
def download(request, pk: int):
    """The stamped PDF of a document's revision in force (or of revision ``?lan=N``)."""
    document = ControlledDocument.objects.select_related("unit").filter(pk=pk).first()
    if document is None or not access.can_view_document(request.user, document):
        if document is not None and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _problem(request, MSG_NOT_FOUND, status=404)
    try:
        controlled_copy = select_controlled_copy(request, document, request.GET.get("ban"))
        if controlled_copy is not None:
            # The copy fixes the revision: a controlled copy is of the revision it was
            # registered for, whatever ``?lan`` says.
            revision = controlled_copy.issued_revision
        else:
            revision = select_revision(document, parse_number(request.GET.get("lan")))
    except RevisionNotAvailable as exc:
        return _problem(request, exc.message, status=exc.status, document=document)
    try:
        copy = stamp_revision(
            revision, user=request.user, request=request, controlled_copy=controlled_copy
        )
    except StampError as exc:
        may_have_original = access.can_download_original(request.user, document)
        return _problem(
            request,
            exc.message,
            status=409,
            document=document,
            original_url=original_url(document, revision) if may_have_original else "",
        )
    return stamped_response(copy, revision, inline=request.GET.get("xem") == "1")
