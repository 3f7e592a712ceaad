"""Permission-checked file delivery. Files never have a public URL."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.clickjacking import xframe_options_sameorigin

from documents.models import ControlledDocument, IssuedRevision
from qms import access


def _file_response(field_file, file_name: str) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = (
        "application/pdf"
        if file_name.lower().endswith(".pdf")
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = FileResponse(
        handle, as_attachment=False, filename=file_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@xframe_options_sameorigin  # the document page shows the PDF in a frame
def document_file(request, pk: int):
    """The file of a document: the working draft for people who work on it, otherwise the
    revision in force. Refused (login or 404) to anyone ``qms.access`` does not allow."""
    document = get_object_or_404(ControlledDocument.objects.select_related("unit"), pk=pk)
    if not access.can_view_document(request.user, document):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    if access.can_work_on_document(request.user, document) and document.file:
        return _file_response(document.file, document.file_name or document.file.name)
    current = IssuedRevision.objects.current().filter(document=document).first()
    if current is None or not current.file:
        raise Http404
    return _file_response(current.file, current.file_name or current.file.name)
