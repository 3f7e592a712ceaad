"""Permission-checked file delivery. Files never have a public URL."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin

from documents.models import ControlledDocument
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
    """The file of a document: the unstamped working draft for people who work on it; everyone
    else is sent to the stamped copy of the revision in force. Refused (login or 404) to anyone
    ``qms.access`` does not allow."""
    document = get_object_or_404(ControlledDocument.objects.select_related("unit"), pk=pk)
    if not access.can_view_document(request.user, document):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    if access.can_work_on_document(request.user, document) and document.file:
        # The working draft the author edits (the admin's file widget links here): it is not
        # an issued revision, so there is nothing to stamp yet.
        return _file_response(document.file, document.file_name or document.file.name)
    # Everyone else reads an issued revision, and every copy of an issued revision that leaves
    # the system carries the stamp (code, revision, downloader, verification code): ISO
    # 9001:2008 4.2.3 d, e, g. The stamped view shows it inline, as this view did.
    return HttpResponseRedirect(reverse("documents_download", args=[document.pk]) + "?xem=1")
