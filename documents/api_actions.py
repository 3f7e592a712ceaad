"""Controlled documents in the JSON API: the write side (draft, submit, review, approve, withdraw).

The same rules as the admin, from the same functions: ``documents.workflow`` decides who may act
and ``documents.lifecycle`` changes state. Answers: 404 when the caller may not even see the
document, 403 with a Vietnamese reason when they may see it but not do this, 409 when the
document is not in a state where the action applies, 400 for bad input.

The endpoints are registered on ``documents.api.router`` (mounted at ``/documents``) rather than a
router of their own: ninja builds one URL pattern per router and path, and Django dispatches to the
first match, so a second router's ``POST /documents`` beside the list's ``GET /documents`` would be
unreachable (405).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from ninja import File, Form, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from documents import files
from documents.api import get_document, router
from documents.lifecycle import withdraw_document
from documents.models import ControlledDocument, DocumentKind, IssuedRevision
from documents.schemas import DocumentDetailOut
from documents.workflow import (
    WorkflowConflict,
    WorkflowRefused,
    act_on_document,
    submit_document,
)
from qms import access
from qms.api import PUBLIC
from qms.models import IsoClause, OrgUnit, nfc


class Refusal(Schema):
    detail: str


ERRORS = {400: Refusal, 403: Refusal, 404: Refusal, 409: Refusal}


class DocumentIn(Schema):
    unit: int
    code: str
    title: str
    kind: str
    change_summary: str = ""
    visibility: str = ControlledDocument.Visibility.INTERNAL
    parent: int | None = None
    review_period_months: int = 12
    official_number: str = ""
    issuing_body: str = ""
    # Repeated form fields (applies_to=3&applies_to=5, iso_clauses=4.2.3&iso_clauses=7.5.1).
    applies_to: list[int] = []
    iso_clauses: list[str] = []


class RevisionIn(Schema):
    change_summary: str
    title: str | None = None


class ApproveIn(Schema):
    comment: str = ""
    password: str | None = None
    effective_from: datetime.date | None = None


class RejectIn(Schema):
    comment: str


class WithdrawIn(Schema):
    reason: str


class WorkflowOut(Schema):
    """Where a document stands after an action."""

    id: int
    code: str
    status: str
    status_label: str
    workflow_status: str | None
    current_step: str | None
    current_revision: int | None
    upcoming_revision: int | None
    detail: str


class IssuedRevisionOut(Schema):
    """One line of the revision history (Theo dõi sửa đổi)."""

    number: int
    number_label: str
    status: str
    status_label: str
    code: str
    title: str
    change_summary: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    approved_by_name: str
    approved_at: datetime.datetime
    signature_meaning: str
    file_sha256: str
    withdrawal_reason: str

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(IssuedRevision.Status(obj.status).label)


def _visible(request, document_id: int) -> ControlledDocument:
    document = ControlledDocument.objects.select_related("unit").filter(pk=document_id).first()
    if document is None or not access.can_view_document(request.user, document):
        raise Http404
    return document


def _outcome(document_id: int, detail: str) -> dict:
    document = ControlledDocument.objects.get(pk=document_id)
    state = document.current_workflow_state
    task_state = state.current_task_state if state else None
    registers = {
        r.status: r.number
        for r in IssuedRevision.objects.filter(
            document=document,
            status__in=[IssuedRevision.Status.CURRENT, IssuedRevision.Status.UPCOMING],
        )
    }
    return {
        "id": document.pk,
        "code": document.code,
        "status": str(document.status),
        "status_label": str(document.status_label),
        "workflow_status": state.status if state else None,
        "current_step": task_state.task.name if task_state else None,
        "current_revision": registers.get(IssuedRevision.Status.CURRENT),
        "upcoming_revision": registers.get(IssuedRevision.Status.UPCOMING),
        "detail": detail,
    }


def _run(action):
    """Translate the domain's refusals into HTTP answers."""
    try:
        return action()
    except WorkflowRefused as exc:
        raise HttpError(403, str(exc)) from exc
    except WorkflowConflict as exc:
        raise HttpError(409, str(exc)) from exc


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def _attach_file(document: ControlledDocument, upload) -> None:
    try:
        files.validate_upload(upload)
    except ValidationError as exc:
        raise HttpError(400, _messages(exc)) from exc
    document.file = upload
    files.analyse_into(document)
    document.file.save(upload.name, upload, save=False)


def _units_applied(unit_ids: list[int]) -> list[OrgUnit]:
    """The units a new document applies to; an unknown id is a 400, not a silent drop."""
    wanted = list(dict.fromkeys(unit_ids))
    units = {unit.pk: unit for unit in OrgUnit.objects.filter(pk__in=wanted)}
    unknown = [str(pk) for pk in wanted if pk not in units]
    if unknown:
        raise HttpError(400, f"Đơn vị áp dụng không tồn tại: {', '.join(unknown)}.")
    return [units[pk] for pk in wanted]


def _clauses(numbers: list[str]) -> list[IsoClause]:
    """ISO 9001:2008 clauses by number ("4.2.3"); an unknown number is a 400."""
    wanted = list(dict.fromkeys(number.strip() for number in numbers if number.strip()))
    clauses = {clause.number: clause for clause in IsoClause.objects.filter(number__in=wanted)}
    unknown = [number for number in wanted if number not in clauses]
    if unknown:
        raise HttpError(
            400, f"Điều khoản ISO 9001:2008 không có trong danh mục: {', '.join(unknown)}."
        )
    return [clauses[number] for number in wanted]


@router.post(
    "",
    response={201: DocumentDetailOut, **ERRORS},
    summary="Tạo tài liệu mới (bản thảo)",
)
def create_document(request, data: Form[DocumentIn], file: File[UploadedFile]):
    """Create a draft from metadata and a PDF/DOCX file; it is not issued until approved."""
    unit = OrgUnit.objects.filter(pk=data.unit).first()
    if unit is None:
        raise HttpError(400, "Đơn vị ban hành không tồn tại.")
    if not access.can_create_document(request.user, unit):
        raise HttpError(
            403, f"Bạn không có vai trò người soạn thảo hoặc thư ký ISO của “{unit.name}”."
        )
    if data.kind not in DocumentKind.values:
        raise HttpError(400, f"Loại tài liệu không hợp lệ. Dùng: {', '.join(DocumentKind.values)}.")
    if data.visibility not in ControlledDocument.Visibility.values:
        raise HttpError(400, "Phạm vi công khai không hợp lệ.")
    document = ControlledDocument(
        unit=unit,
        code=data.code,
        title=nfc(data.title.strip()),
        kind=data.kind,
        change_summary=data.change_summary,
        visibility=data.visibility,
        parent_id=data.parent,
        review_period_months=data.review_period_months,
        official_number=data.official_number,
        issuing_body=data.issuing_body,
        live=False,
    )
    if data.parent is not None:
        parent = ControlledDocument.objects.filter(pk=data.parent).first()
        if parent is None or not access.can_view_document(request.user, parent):
            raise HttpError(400, "Tài liệu cha không tồn tại.")
    try:
        document.full_clean(exclude=["file", "qms_root"])
    except ValidationError as exc:
        status = 409 if "code" in getattr(exc, "message_dict", {}) else 400
        raise HttpError(status, _messages(exc)) from exc
    # Parental many-to-many values are held in memory and written by save(), so the first
    # revision already records where the document applies and which clauses it implements.
    document.applies_to = _units_applied(data.applies_to)
    document.iso_clauses = _clauses(data.iso_clauses)
    _attach_file(document, file)
    try:
        with transaction.atomic():
            document.save()
            document.save_revision(user=request.user, log_action=True)
    except IntegrityError as exc:
        raise HttpError(409, "Mã tài liệu này đã được dùng trong HTQLCL của đơn vị.") from exc
    return Status(201, get_document(request, document.pk))


@router.post(
    "/{int:document_id}/revisions",
    response={201: WorkflowOut, **ERRORS},
    summary="Soạn lần sửa đổi mới (bản thảo)",
)
def create_revision(request, document_id: int, data: Form[RevisionIn], file: File[UploadedFile]):
    """A new draft of an existing document: a new file and what changed."""
    document = _visible(request, document_id)
    if document.is_withdrawn:
        raise HttpError(409, "Tài liệu đã bị thu hồi; không thể soạn sửa đổi.")
    if not access.can_edit_document(request.user, document):
        raise HttpError(
            403, f"Chỉ người soạn thảo hoặc thư ký ISO của “{document.unit.name}” được sửa."
        )
    summary = nfc(data.change_summary.strip())
    if not summary:
        raise HttpError(400, "Cần ghi nội dung sửa đổi.")
    draft = document.get_latest_revision_as_object()
    draft.change_summary = summary
    if data.title:
        draft.title = nfc(data.title.strip())
    _attach_file(draft, file)
    with transaction.atomic():
        if not document.live:
            # An unissued draft is the row itself (as in the admin); an issued document keeps
            # its published content until the new revision is approved.
            draft.save()
        draft.save_revision(user=request.user, log_action=True)
    return Status(201, _outcome(document.pk, "Đã lưu bản thảo sửa đổi; hãy gửi xem xét."))


@router.post(
    "/{int:document_id}/submit",
    response={200: WorkflowOut, **ERRORS},
    summary="Gửi xem xét, phê duyệt",
)
def submit(request, document_id: int):
    """Start the workflow "Kiểm soát tài liệu" on the latest draft (or resume it after changes)."""
    document = _visible(request, document_id)
    _run(lambda: submit_document(document, request.user))
    return _outcome(document.pk, "Đã gửi xem xét.")


@router.post(
    "/{int:document_id}/approve",
    response={200: WorkflowOut, **ERRORS},
    summary="Đồng ý (xem xét) hoặc phê duyệt ban hành",
)
def approve(request, document_id: int, data: ApproveIn):
    """Approve the step the document is at. At the approval step, ``password`` signs."""
    document = _visible(request, document_id)
    _run(
        lambda: act_on_document(
            document,
            request.user,
            "approve",
            comment=nfc(data.comment),
            password=data.password,
            effective_from=data.effective_from,
        )
    )
    return _outcome(document.pk, "Đã ghi nhận ý kiến đồng ý.")


@router.post(
    "/{int:document_id}/reject",
    response={200: WorkflowOut, **ERRORS},
    summary="Yêu cầu sửa đổi (trả lại người soạn thảo)",
)
def reject(request, document_id: int, data: RejectIn):
    document = _visible(request, document_id)
    _run(lambda: act_on_document(document, request.user, "reject", comment=nfc(data.comment)))
    return _outcome(document.pk, "Đã trả lại người soạn thảo.")


@router.post(
    "/{int:document_id}/withdraw", response={200: WorkflowOut, **ERRORS}, summary="Thu hồi tài liệu"
)
def withdraw(request, document_id: int, data: WithdrawIn):
    document = _visible(request, document_id)
    _run(lambda: withdraw_document(document=document, user=request.user, reason=data.reason))
    return _outcome(document.pk, "Đã thu hồi tài liệu.")


@router.get(
    "/{int:document_id}/revisions",
    response={200: list[IssuedRevisionOut], 404: Refusal},
    auth=PUBLIC,
    summary="Theo dõi sửa đổi (các lần ban hành)",
)
def list_revisions(request, document_id: int):
    """Every issued revision of the document, oldest first."""
    document = _visible(request, document_id)
    return list(document.issued_revisions.order_by("number"))
