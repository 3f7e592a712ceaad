"""Audits, findings and actions in the JSON API (/api/v1/audits, /findings, /actions).

Same rules as the admin: lists and details are narrowed by ``qms.access`` (an object the caller
may not see answers 404), writes go through the domain functions of ``audits.planning`` and
``audits.workflow``. A refusal answers 403 with the Vietnamese reason, an illegal transition 409,
bad input 400.
"""

# No "from __future__ import annotations": django-ninja reads the real annotations of the views
# (Query[...] filter schemas) at import time.

import functools

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from audits import planning, reports, workflow
from audits.errors import Refused, WrongState, message_of
from audits.models import (
    CONCLUDED_ACTION_STATUSES,
    Audit,
    AuditProgramme,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    FindingStatus,
)
from audits.schemas import (
    ActionIn,
    ActionOut,
    AuditDetailOut,
    AuditIn,
    AuditOut,
    ChecklistItemOut,
    ChecklistResultIn,
    CommentIn,
    CompleteIn,
    EffectivenessIn,
    FindingIn,
    FindingOut,
    ImplementIn,
    NoteIn,
    ReasonIn,
    TeamIn,
    TeamMemberOut,
    VerifyIn,
)
from documents.models import ControlledDocument, IssuedRevision
from qms import access
from qms.models import IsoClause, OrgUnit

audits_router = Router(tags=["Đánh giá nội bộ"])
findings_router = Router(tags=["Phát hiện, điểm không phù hợp"])
actions_router = Router(tags=["Hành động khắc phục, phòng ngừa"])

PAGE_SIZE = 50


def domain_errors(view):
    """Turn the domain's refusals into HTTP answers with the Vietnamese reason."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except Refused as error:
            raise HttpError(403, message_of(error)) from error
        except WrongState as error:
            raise HttpError(409, message_of(error)) from error
        except ValidationError as error:
            raise HttpError(400, message_of(error)) from error

    return wrapper


def _get(queryset: QuerySet, pk, label: str):
    """A referenced object by id, or 400 naming what was not found."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise HttpError(400, f"Không tìm thấy {label} #{pk}.")
    return found


def _user(pk: int, label: str = "người dùng"):
    return _get(get_user_model().objects.filter(is_active=True), pk, label)


def _clauses(numbers: list[str]) -> list[IsoClause]:
    clauses = list(IsoClause.objects.filter(number__in=numbers))
    missing = set(numbers) - {clause.number for clause in clauses}
    if missing:
        raise HttpError(400, f"Không có điều khoản {', '.join(sorted(missing))}.")
    return clauses


def _clause(number: str | None) -> IsoClause | None:
    return _clauses([number])[0] if number else None


def _visible_audit(request, pk: int) -> Audit:
    return get_object_or_404(access.visible_audits(request.user, Audit.objects.all()), pk=pk)


def _visible_finding(request, pk: int) -> Finding:
    return get_object_or_404(
        access.visible_findings(request.user, Finding.objects.select_related("unit")), pk=pk
    )


def _visible_action(request, pk: int) -> CorrectiveAction:
    return get_object_or_404(
        access.visible_actions(request.user, CorrectiveAction.objects.select_related("unit")),
        pk=pk,
    )


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Audits -------------------------------------------------------------------------------


class AuditFilters(Schema):
    unit: int | None = None
    qms_root: int | None = None
    status: str | None = None
    year: int | None = None


@audits_router.get("", response=list[AuditOut], summary="Danh sách cuộc đánh giá")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_audits(request, filters: Query[AuditFilters]):
    audits = access.visible_audits(
        request.user, Audit.objects.select_related("qms_root").prefetch_related("units")
    )
    if filters.unit:
        audits = audits.filter(units=filters.unit)
    if filters.qms_root:
        audits = audits.filter(qms_root=filters.qms_root)
    if filters.status:
        audits = audits.filter(status=filters.status)
    if filters.year:
        audits = audits.filter(start_date__year=filters.year)
    return audits.distinct()


@audits_router.get("/{int:audit_id}", response=AuditDetailOut, summary="Chi tiết cuộc đánh giá")
def get_audit(request, audit_id: int):
    return _visible_audit(request, audit_id)


@audits_router.post("", response={201: AuditDetailOut}, summary="Lập kế hoạch đánh giá")
@domain_errors
def create_audit(request, payload: AuditIn):
    root = _get(OrgUnit.objects.all(), payload.qms_root, "đơn vị")
    units = list(OrgUnit.objects.filter(pk__in=payload.units))
    if len(units) != len(set(payload.units)):
        raise HttpError(400, "Có đơn vị được đánh giá không tồn tại.")
    documents = list(ControlledDocument.objects.filter(pk__in=payload.documents))
    if len(documents) != len(set(payload.documents)):
        raise HttpError(400, "Có tài liệu không tồn tại.")
    audit = planning.create_audit(
        user=request.user,
        qms_root=root,
        title=payload.title,
        units=units,
        start_date=payload.start_date,
        end_date=payload.end_date,
        lead_auditor=_user(payload.lead_auditor, "trưởng đoàn"),
        programme=_get(AuditProgramme.objects.all(), payload.programme, "chương trình"),
        clauses=_clauses(payload.clauses),
        documents=documents,
        opening_meeting_at=payload.opening_meeting_at,
        closing_meeting_at=payload.closing_meeting_at,
    )
    return Status(201, audit)


@audits_router.post(
    "/{int:audit_id}/team", response={201: TeamMemberOut}, summary="Thêm thành viên đoàn"
)
@domain_errors
def add_team_member(request, audit_id: int, payload: TeamIn):
    audit = _visible_audit(request, audit_id)
    member = planning.add_team_member(
        user=request.user, audit=audit, auditor=_user(payload.auditor, "đánh giá viên")
    )
    return Status(201, member)


@audits_router.post("/{int:audit_id}/start", response=AuditDetailOut, summary="Bắt đầu")
@domain_errors
def start_audit(request, audit_id: int):
    return planning.start_audit(user=request.user, audit=_visible_audit(request, audit_id))


@audits_router.post("/{int:audit_id}/complete", response=AuditDetailOut, summary="Kết thúc")
@domain_errors
def complete_audit(request, audit_id: int, payload: CompleteIn):
    audit = _visible_audit(request, audit_id)
    return planning.complete_audit(user=request.user, audit=audit, conclusions=payload.conclusions)


@audits_router.post(
    "/{int:audit_id}/checklist", response=list[ChecklistItemOut], summary="Lập danh mục kiểm tra"
)
@domain_errors
def generate_checklist(request, audit_id: int):
    audit = _visible_audit(request, audit_id)
    planning.generate_checklist(user=request.user, audit=audit)
    return list(audit.checklist.select_related("clause", "revision", "checked_by"))


@audits_router.post(
    "/{int:audit_id}/checklist/{int:item_id}",
    response=ChecklistItemOut,
    summary="Ghi kết quả kiểm tra",
)
@domain_errors
def record_checklist_result(request, audit_id: int, item_id: int, payload: ChecklistResultIn):
    audit = _visible_audit(request, audit_id)
    item = get_object_or_404(ChecklistItem, pk=item_id, audit=audit)
    return planning.record_checklist_result(
        user=request.user, item=item, result=payload.result, evidence=payload.evidence
    )


@audits_router.get("/{int:audit_id}/report.pdf", summary="Báo cáo đánh giá (PDF)")
def audit_report_pdf(request, audit_id: int):
    audit = _visible_audit(request, audit_id)
    return _file(reports.audit_report_pdf(audit), "application/pdf", f"bao-cao-{audit.pk}.pdf")


@audits_router.get("/{int:audit_id}/report.xlsx", summary="Báo cáo đánh giá (XLSX)")
def audit_report_xlsx(request, audit_id: int):
    audit = _visible_audit(request, audit_id)
    content = reports.audit_report_xlsx(audit)
    return _file(content, reports.XLSX_CONTENT_TYPE, f"bao-cao-{audit.pk}.xlsx")


# --- Findings -----------------------------------------------------------------------------


class FindingFilters(Schema):
    unit: int | None = None
    audit: int | None = None
    status: str | None = None
    kind: str | None = None
    clause: str | None = None
    source: str | None = None
    open: bool | None = None


@findings_router.get("", response=list[FindingOut], summary="Danh sách phát hiện")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_findings(request, filters: Query[FindingFilters]):
    findings = access.visible_findings(
        request.user,
        Finding.objects.select_related(
            "unit", "clause", "revision", "reported_by", "acknowledged_by"
        ),
    )
    for name in ("unit", "audit", "status", "kind", "source"):
        value = getattr(filters, name)
        if value:
            findings = findings.filter(**{name: value})
    if filters.clause:
        findings = findings.filter(clause__number=filters.clause)
    if filters.open is True:
        findings = findings.open()
    elif filters.open is False:
        findings = findings.filter(status=FindingStatus.CLOSED)
    return findings


@findings_router.get("/{int:finding_id}", response=FindingOut, summary="Chi tiết phát hiện")
def get_finding(request, finding_id: int):
    return _visible_finding(request, finding_id)


@findings_router.post("", response={201: FindingOut}, summary="Ghi nhận phát hiện")
@domain_errors
def create_finding(request, payload: FindingIn):
    audit = None
    if payload.audit is not None:
        audit = _get(
            access.visible_audits(request.user, Audit.objects.all()), payload.audit, "cuộc đánh giá"
        )
    unit = _get(OrgUnit.objects.all(), payload.unit, "đơn vị")
    item = None
    if payload.checklist_item is not None:
        item = _get(ChecklistItem.objects.filter(audit=audit), payload.checklist_item, "câu hỏi")
    finding = workflow.log_finding(
        user=request.user,
        audit=audit,
        unit=unit,
        kind=payload.kind,
        source=payload.source,
        clause=_clause(payload.clause),
        revision=_get(IssuedRevision.objects.all(), payload.revision, "lần ban hành"),
        description=payload.description,
        evidence=payload.evidence,
        checklist_item=item,
    )
    return Status(201, finding)


@findings_router.post("/{int:finding_id}/acknowledge", response=FindingOut, summary="Xác nhận")
@domain_errors
def acknowledge_finding(request, finding_id: int, payload: CommentIn):
    finding = _visible_finding(request, finding_id)
    return workflow.acknowledge_finding(user=request.user, finding=finding, comment=payload.comment)


@findings_router.post("/{int:finding_id}/close", response=FindingOut, summary="Đóng phát hiện")
@domain_errors
def close_finding(request, finding_id: int, payload: NoteIn):
    finding = _visible_finding(request, finding_id)
    return workflow.close_finding(user=request.user, finding=finding, note=payload.note)


@findings_router.post("/{int:finding_id}/reopen", response=FindingOut, summary="Mở lại")
@domain_errors
def reopen_finding(request, finding_id: int, payload: ReasonIn):
    finding = _visible_finding(request, finding_id)
    return workflow.reopen_finding(user=request.user, finding=finding, reason=payload.reason)


# --- Actions ------------------------------------------------------------------------------


class ActionFilters(Schema):
    unit: int | None = None
    finding: int | None = None
    status: str | None = None
    kind: str | None = None
    overdue: bool | None = None
    open: bool | None = None


def _filtered_actions(request, filters: ActionFilters) -> QuerySet:
    actions = access.visible_actions(
        request.user,
        CorrectiveAction.objects.select_related("unit", "owner", "verified_by"),
    )
    for name in ("unit", "finding", "status", "kind"):
        value = getattr(filters, name)
        if value:
            actions = actions.filter(**{name: value})
    today = timezone.localdate()
    if filters.overdue is True:
        actions = actions.overdue(today)
    elif filters.overdue is False:
        actions = actions.exclude(pk__in=CorrectiveAction.objects.overdue(today).values("pk"))
    if filters.open is True:
        actions = actions.open()
    elif filters.open is False:
        actions = actions.filter(status__in=CONCLUDED_ACTION_STATUSES)
    return actions


@actions_router.get("", response=list[ActionOut], summary="Danh sách hành động")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_actions(request, filters: Query[ActionFilters]):
    return _filtered_actions(request, filters)


@actions_router.get("/register.xlsx", summary="Sổ theo dõi hành động khắc phục (XLSX)")
def action_register(request, filters: Query[ActionFilters]):
    today = timezone.localdate()
    content = reports.action_register_xlsx(_filtered_actions(request, filters), today)
    return _file(content, reports.XLSX_CONTENT_TYPE, f"so-theo-doi-hanh-dong-{today}.xlsx")


@actions_router.get("/{int:action_id}", response=ActionOut, summary="Chi tiết hành động")
def get_action(request, action_id: int):
    return _visible_action(request, action_id)


@actions_router.post("", response={201: ActionOut}, summary="Lập hành động khắc phục/phòng ngừa")
@domain_errors
def create_action(request, payload: ActionIn):
    finding = None
    if payload.finding is not None:
        try:
            finding = _visible_finding(request, payload.finding)
        except Http404 as error:
            raise HttpError(400, f"Không tìm thấy phát hiện #{payload.finding}.") from error
    action = workflow.plan_action(
        user=request.user,
        finding=finding,
        unit=_get(OrgUnit.objects.all(), payload.unit, "đơn vị"),
        potential_problem=payload.potential_problem,
        correction=payload.correction,
        why_chain=payload.why_chain,
        cause_category=payload.cause_category,
        root_cause=payload.root_cause,
        action_plan=payload.action_plan,
        owner=_user(payload.owner, "người chịu trách nhiệm"),
        due_date=payload.due_date,
    )
    return Status(201, action)


@actions_router.post("/{int:action_id}/implement", response=ActionOut, summary="Báo cáo thực hiện")
@domain_errors
def implement_action(request, action_id: int, payload: ImplementIn):
    action = _visible_action(request, action_id)
    return workflow.mark_implemented(user=request.user, action=action, evidence=payload.evidence)


@actions_router.post("/{int:action_id}/verify", response=ActionOut, summary="Xác nhận thực hiện")
@domain_errors
def verify_action(request, action_id: int, payload: VerifyIn):
    action = _visible_action(request, action_id)
    return workflow.verify_action(
        user=request.user,
        action=action,
        comment=payload.comment,
        effectiveness_check_date=payload.effectiveness_check_date,
    )


@actions_router.post(
    "/{int:action_id}/effectiveness", response=ActionOut, summary="Kiểm tra hiệu lực"
)
@domain_errors
def check_effectiveness(request, action_id: int, payload: EffectivenessIn):
    action = _visible_action(request, action_id)
    return workflow.check_effectiveness(
        user=request.user,
        action=action,
        effective=payload.effective,
        comment=payload.comment,
    )
