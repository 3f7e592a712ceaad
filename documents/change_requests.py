"""Document change requests (Phiếu đề nghị sửa đổi tài liệu, ISO 9001:2008 4.2.3 b).

Anyone who may read an issued document asks for a change with a reason; the ISO secretary of the
owning unit accepts it (a new draft opens, linked to the request, for the authors to edit) or
declines it with an answer. The person who asked is told by e-mail either way, after commit.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from documents.models import ChangeRequest, ControlledDocument, IssuedRevision
from documents.review import start_revision_draft
from qms import access
from qms.models import Role, nfc

MAX_TEXT = 5000


def _clean_text(value: str, label: str, required: bool) -> str:
    value = nfc((value or "").strip())
    if required and not value:
        raise ValidationError(f"Cần ghi {label}.")
    if len(value) > MAX_TEXT:
        raise ValidationError(f"{label.capitalize()} quá dài (tối đa {MAX_TEXT} ký tự).")
    return value


def request_change(
    *, user, document: ControlledDocument, reason: str, proposed_change: str = ""
) -> ChangeRequest:
    """File a change request for ``document`` on behalf of ``user`` and tell the unit's secretary.

    Refused for a document the user may not read (its existence is not confirmed either) and for
    a document that was never issued or has been withdrawn.
    """
    reason = _clean_text(reason, "lý do đề nghị sửa đổi", required=True)
    proposed_change = _clean_text(proposed_change, "nội dung đề nghị sửa đổi", required=False)
    with transaction.atomic():
        if not access.can_request_change(user, document):
            raise PermissionDenied("Bạn không có quyền đề nghị sửa đổi tài liệu này.")
        if document.is_withdrawn:
            raise ValidationError("Tài liệu đã bị thu hồi; không thể đề nghị sửa đổi.")
        current = IssuedRevision.objects.current().filter(document=document).first()
        request = ChangeRequest.objects.create(
            document=document,
            issued_revision=current,
            requested_by=user,
            reason=reason,
            proposed_change=proposed_change,
        )
        transaction.on_commit(lambda: notify_filed(request.pk))
    return request


def _locked_open(change_request: ChangeRequest, user) -> tuple[ChangeRequest, ControlledDocument]:
    document = ControlledDocument.objects.select_for_update().get(pk=change_request.document_id)
    locked = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if not access.can_answer_change_request(user, document):
        raise PermissionDenied(
            f"Chỉ thư ký ISO của “{document.unit.name}” được xử lý đề nghị sửa đổi tài liệu này."
        )
    if locked.status != ChangeRequest.Status.OPEN:
        raise ValidationError("Đề nghị này đã được trả lời trước đó.")
    return locked, document


def accept(*, user, change_request: ChangeRequest, answer: str = "") -> ChangeRequest:
    """Accept the request: open a new draft of the document that names the request, and record it.

    The draft's change summary cites the request so the authors and the revision history show why
    the document changes.
    """
    answer = _clean_text(answer, "nội dung trả lời", required=False)
    with transaction.atomic():
        locked, document = _locked_open(change_request, user)
        summary = f"Sửa đổi theo phiếu đề nghị số {locked.pk}: {locked.reason}"
        revision = start_revision_draft(user=user, document=document, summary=summary)
        locked.status = ChangeRequest.Status.ACCEPTED
        locked.answered_by = user
        locked.answered_at = timezone.now()
        locked.answer = answer
        locked.draft_revision = revision
        locked.save(
            update_fields=["status", "answered_by", "answered_at", "answer", "draft_revision"]
        )
        transaction.on_commit(lambda: notify_answered(locked.pk))
    return locked


def decline(*, user, change_request: ChangeRequest, answer: str) -> ChangeRequest:
    """Decline the request; the answer (why not) is required and sent to the requester."""
    answer = _clean_text(answer, "lý do không chấp nhận", required=True)
    with transaction.atomic():
        locked, _document = _locked_open(change_request, user)
        locked.status = ChangeRequest.Status.DECLINED
        locked.answered_by = user
        locked.answered_at = timezone.now()
        locked.answer = answer
        locked.save(update_fields=["status", "answered_by", "answered_at", "answer"])
        transaction.on_commit(lambda: notify_answered(locked.pk))
    return locked


def inbox(user, status: str | None = ChangeRequest.Status.OPEN):
    """Change requests of the documents ``user`` answers for, newest first."""
    requests = ChangeRequest.objects.filter(
        document__unit_id__in=access.controlled_units(user)
    ).select_related("document", "requested_by", "answered_by", "issued_revision")
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at", "-pk")


def mine(user):
    """The change requests ``user`` filed, newest first."""
    return (
        ChangeRequest.objects.filter(requested_by=user)
        .select_related("document", "answered_by")
        .order_by("-created_at", "-pk")
    )


# --- E-mail (after commit) ------------------------------------------------------------------


def _request_with_people(pk: int) -> ChangeRequest:
    return ChangeRequest.objects.select_related(
        "document__unit", "requested_by", "answered_by"
    ).get(pk=pk)


def notify_filed(pk: int) -> int:
    """Tell the ISO secretaries of the owning unit that a change request waits for them."""
    from documents.notifications import _absolute, _send

    request = _request_with_people(pk)
    recipients = access.users_with_role_at(request.document.unit_id, [Role.CONTROLLER])
    return _send(
        recipients.exclude(pk=request.requested_by_id),
        f"[ISO] Đề nghị sửa đổi: {request.document.code} — {request.document.title}",
        "documents/email/change_request_filed.txt",
        {"request": request, "link": _absolute(reverse("site:change_requests"))},
    )


def notify_answered(pk: int) -> int:
    """Tell the requester whether their change request was accepted or declined, and why."""
    from documents.notifications import _absolute, _send

    request = _request_with_people(pk)
    verdict = (
        "được chấp nhận"
        if request.status == ChangeRequest.Status.ACCEPTED
        else "không được chấp nhận"
    )
    return _send(
        [request.requested_by],
        f"[ISO] Đề nghị sửa đổi {request.document.code} {verdict}",
        "documents/email/change_request_answered.txt",
        {
            "request": request,
            "verdict": verdict,
            "link": _absolute(reverse("site:document", args=[request.document_id])),
        },
    )
