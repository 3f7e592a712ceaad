"""Admin screens of the audit app beyond the generic listings: the audit, finding, action and
programme workspaces (one page per object with the transitions the user may perform), the
tablet checklist, the private attachment view and the report downloads.

Every screen finds its object through the ``qms.access`` querysets (404 otherwise) and performs
changes only through ``audits.planning`` / ``audits.workflow``; a refusal is shown as a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from audits import forms, planning, reports, workflow
from audits.errors import message_of
from audits.models import (
    ActionStatus,
    Audit,
    AuditProgramme,
    AuditStatus,
    ChecklistAttachment,
    ChecklistItem,
    ChecklistResult,
    CorrectiveAction,
    Finding,
    FindingStatus,
)
from qms import access

# --- Generic create/edit through the domain -----------------------------------------------


class DomainFormMixin:
    """Save through the form's ``save_via_domain``; show a domain refusal on the form."""

    def save_instance(self):
        return self.form.save_via_domain(self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            self.produced_error_message = message_of(error)
            form.add_error(None, self.produced_error_message)
            return self.form_invalid(form)


class DomainCreateView(DomainFormMixin, generic.CreateView):
    # Links such as "log a finding in this audit" pre-fill the form from the query string.
    PREFILL = ("audit", "finding", "unit")

    def get_initial(self):
        initial = super().get_initial()
        initial.update({k: v for k, v in self.request.GET.items() if k in self.PREFILL})
        return initial


class DomainEditView(DomainFormMixin, generic.EditView):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        ):
            raise PermissionDenied
        return obj


# --- Workspaces ---------------------------------------------------------------------------


def _posted_id(request, name: str) -> int:
    """An object id from the POST data; anything else is "not found", never a server error."""
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


class WorkspaceView(WagtailAdminTemplateMixin, TemplateView):
    """One object, its details and the forms of the transitions; POST ``action=<name>`` runs
    ``do_<name>`` and redirects back with a success message or the refusal's reason."""

    header_icon = "clipboard-list"
    success_messages: dict[str, str] = {}

    def visible(self) -> QuerySet:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.visible(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    def post(self, request, *args, **kwargs):
        name = request.POST.get("action", "")
        handler = getattr(self, f"do_{name}", None)
        if handler is None:
            messages.error(request, "Thao tác không hợp lệ.")
            return redirect(request.path)
        try:
            result = handler(request)
        except ValidationError as error:
            messages.error(request, message_of(error))
            return redirect(request.path)
        if isinstance(result, HttpResponse):
            return result
        messages.success(request, self.success_messages.get(name, "Đã lưu."))
        return redirect(request.path)

    def bound(self, form_class, **kwargs):
        form = form_class(self.request.POST, self.request.FILES, **kwargs)
        if not form.is_valid():
            raise ValidationError(
                "; ".join(
                    f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
                    for f, e in form.errors.items()
                )
            )
        return form.cleaned_data


class AuditWorkspaceView(WorkspaceView):
    page_title = "Cuộc đánh giá"
    template_name = "audits/admin/audit.html"
    success_messages = {
        "start": "Đã bắt đầu cuộc đánh giá (họp khai mạc).",
        "complete": "Đã kết thúc cuộc đánh giá.",
        "add_member": "Đã thêm thành viên đoàn đánh giá.",
        "checklist": "Đã lập danh mục kiểm tra.",
    }

    def visible(self):
        return access.visible_audits(self.request.user, Audit.objects.select_related("qms_root"))

    def get_context_data(self, **kwargs):
        audit, user = self.object, self.request.user
        return super().get_context_data(
            audit=audit,
            members=audit.members.select_related("auditor"),
            documents=audit.criteria_documents.select_related("revision", "auditor"),
            findings=access.visible_findings(user, audit.findings.select_related("clause")),
            can_manage=access.can_manage_audit(user, audit),
            on_team=access.is_on_audit_team(user, audit),
            member_form=forms.TeamMemberForm(),
            checklist_total=audit.checklist.count(),
            checklist_done=audit.checklist.exclude(result=ChecklistResult.NOT_CHECKED).count(),
            statuses=AuditStatus,
            **kwargs,
        )

    def do_start(self, request):
        planning.start_audit(user=request.user, audit=self.object)

    def do_complete(self, request):
        text = self.bound(forms.TextForm)["text"]
        planning.complete_audit(user=request.user, audit=self.object, conclusions=text)

    def do_add_member(self, request):
        auditor = self.bound(forms.TeamMemberForm)["auditor"]
        planning.add_team_member(user=request.user, audit=self.object, auditor=auditor)

    def do_checklist(self, request):
        planning.generate_checklist(user=request.user, audit=self.object)


class ChecklistView(WorkspaceView):
    """The checklist on a tablet: one card per question, large result buttons, evidence and a
    photo; each card saves on its own so a dropped connection loses one answer at most."""

    page_title = "Danh mục kiểm tra"
    template_name = "audits/admin/checklist.html"
    success_messages = {"record": "Đã ghi kết quả.", "question": "Đã lưu câu hỏi."}

    def visible(self):
        return access.visible_audits(self.request.user, Audit.objects.all())

    def get_context_data(self, **kwargs):
        items = self.object.checklist.select_related("clause", "revision", "unit").prefetch_related(
            "attachments"
        )
        return super().get_context_data(
            audit=self.object,
            items=items,
            results=ChecklistResult.choices,
            editable=self.object.status != AuditStatus.COMPLETED
            and access.is_on_audit_team(self.request.user, self.object),
            can_edit_questions=self.object.status != AuditStatus.COMPLETED
            and access.can_manage_audit(self.request.user, self.object),
            question_form=forms.ChecklistQuestionForm(audit=self.object),
            **kwargs,
        )

    def do_record(self, request):
        item = get_object_or_404(ChecklistItem, pk=_posted_id(request, "item"), audit=self.object)
        data = self.bound(forms.ChecklistEntryForm)
        with transaction.atomic():  # a refused attachment keeps no half-saved answer
            planning.record_checklist_result(
                user=request.user, item=item, result=data["result"], evidence=data["evidence"]
            )
            if data["attachment"]:
                planning.add_checklist_attachment(
                    user=request.user, item=item, uploaded=data["attachment"]
                )
        messages.success(request, self.success_messages["record"])
        return redirect(f"{request.path}#item-{item.pk}")

    def do_question(self, request):
        data = self.bound(forms.ChecklistQuestionForm, audit=self.object)
        item = None
        if request.POST.get("item"):
            item = get_object_or_404(
                ChecklistItem, pk=_posted_id(request, "item"), audit=self.object
            )
        planning.save_checklist_question(user=request.user, audit=self.object, item=item, **data)


def _annotate_action(action: CorrectiveAction, user) -> CorrectiveAction:
    """What ``user`` may do to ``action`` now, for the template's buttons."""
    action.can_implement = action.status == ActionStatus.PLANNED and (
        access.can_implement_action(user, action)
    )
    action.can_verify = (
        action.status in (ActionStatus.IMPLEMENTED, ActionStatus.VERIFIED)
        and access.can_verify_action(user, action)[0]
    )
    return action


class ActionTransitionsMixin:
    """The implement / verify / effectiveness forms, shared by the finding and action pages."""

    transition_messages = {
        "implement": "Đã báo cáo kết quả thực hiện.",
        "verify": "Đã xác nhận việc thực hiện.",
        "effectiveness": "Đã ghi kết quả kiểm tra hiệu lực.",
    }

    def action_forms(self) -> dict:
        return {
            "implement_form": forms.ImplementForm(),
            "verify_form": forms.VerifyForm(),
            "effectiveness_form": forms.EffectivenessForm(),
            "action_statuses": ActionStatus,
        }

    def _action(self, request) -> CorrectiveAction:
        raise NotImplementedError

    def do_implement(self, request):
        data = self.bound(forms.ImplementForm)
        workflow.mark_implemented(
            user=request.user, action=self._action(request), evidence=data["evidence"]
        )

    def do_verify(self, request):
        data = self.bound(forms.VerifyForm)
        workflow.verify_action(user=request.user, action=self._action(request), **data)

    def do_effectiveness(self, request):
        data = self.bound(forms.EffectivenessForm)
        workflow.check_effectiveness(user=request.user, action=self._action(request), **data)


class FindingWorkspaceView(ActionTransitionsMixin, WorkspaceView):
    page_title = "Phát hiện"
    template_name = "audits/admin/finding.html"
    success_messages = {
        "acknowledge": "Đơn vị đã xác nhận phát hiện.",
        "close": "Đã đóng phát hiện.",
        "reopen": "Đã mở lại phát hiện.",
        **ActionTransitionsMixin.transition_messages,
    }

    def visible(self):
        return access.visible_findings(
            self.request.user,
            Finding.objects.select_related("unit", "clause", "revision", "audit", "reported_by"),
        )

    def get_context_data(self, **kwargs):
        finding, user = self.object, self.request.user
        actions = [
            _annotate_action(action, user)
            for action in finding.actions.select_related("owner", "verified_by").order_by("pk")
        ]
        return super().get_context_data(
            finding=finding,
            actions=actions,
            can_answer=access.can_answer_finding(user, finding),
            can_close=access.can_close_finding(user, finding),
            can_plan=access.can_answer_finding(user, finding)
            and finding.is_nonconformity
            and finding.status in (FindingStatus.OPEN, FindingStatus.REOPENED),
            statuses=FindingStatus,
            add_action_url=reverse("audits_action:add") + f"?finding={finding.pk}",
            **self.action_forms(),
            **kwargs,
        )

    def _action(self, request) -> CorrectiveAction:
        return get_object_or_404(self.object.actions.all(), pk=_posted_id(request, "action_id"))

    def do_acknowledge(self, request):
        text = self.bound(forms.TextForm)["text"]
        workflow.acknowledge_finding(user=request.user, finding=self.object, comment=text)

    def do_close(self, request):
        text = self.bound(forms.TextForm)["text"]
        workflow.close_finding(user=request.user, finding=self.object, note=text)

    def do_reopen(self, request):
        text = self.bound(forms.TextForm)["text"]
        workflow.reopen_finding(user=request.user, finding=self.object, reason=text)


class ActionWorkspaceView(ActionTransitionsMixin, WorkspaceView):
    """An action's page; a corrective action is shown on its finding's page."""

    page_title = "Hành động khắc phục, phòng ngừa"
    template_name = "audits/admin/action.html"
    success_messages = ActionTransitionsMixin.transition_messages

    def visible(self):
        return access.visible_actions(
            self.request.user, CorrectiveAction.objects.select_related("unit", "owner", "finding")
        )

    def get(self, request, *args, **kwargs):
        if self.object.finding_id and access.can_view_finding(request.user, self.object.finding):
            return redirect("audits_admin:finding", pk=self.object.finding_id)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=_annotate_action(self.object, self.request.user),
            **self.action_forms(),
            **kwargs,
        )

    def _action(self, request) -> CorrectiveAction:
        return self.object


class ProgrammeWorkspaceView(WorkspaceView):
    page_title = "Chương trình đánh giá"
    template_name = "audits/admin/programme.html"
    success_messages = {"plan": "Đã thêm cuộc đánh giá dự kiến.", "approve": "Đã phê duyệt."}

    def visible(self):
        access_ = access.for_user(self.request.user)
        queryset = AuditProgramme.objects.select_related("qms_root", "approved_by")
        if access_.is_superuser:
            return queryset
        return queryset.filter(qms_root_id__in=access.audit_reach(self.request.user))

    def get_context_data(self, **kwargs):
        programme = self.object
        return super().get_context_data(
            programme=programme,
            planned=programme.planned_audits.prefetch_related("units", "clauses", "documents"),
            audits=programme.audits.all(),
            coverage=planning.programme_coverage(programme),
            form=forms.PlannedAuditForm(programme=programme),
            can_approve=access.can_approve_programme(self.request.user, programme)
            and not programme.is_approved,
            **kwargs,
        )

    def do_plan(self, request):
        data = self.bound(forms.PlannedAuditForm, programme=self.object)
        planning.add_planned_audit(user=request.user, programme=self.object, **data)

    def do_approve(self, request):
        planning.approve_programme(user=request.user, programme=self.object)


# --- Files --------------------------------------------------------------------------------


@login_required
def attachment_file(request, pk: int):
    """An evidence file, to whoever may see its audit (files have no public URL)."""
    attachment = get_object_or_404(ChecklistAttachment.objects.select_related("item"), pk=pk)
    visible = access.visible_audits(request.user, Audit.objects.filter(pk=attachment.item.audit_id))
    if not visible.exists():
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, filename=attachment.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def audit_report(request, pk: int, fmt: str):
    audit = get_object_or_404(access.visible_audits(request.user, Audit.objects.all()), pk=pk)
    if fmt == "pdf":
        return _download(reports.audit_report_pdf(audit), "application/pdf", f"bao-cao-{pk}.pdf")
    content = reports.audit_report_xlsx(audit)
    return _download(content, reports.XLSX_CONTENT_TYPE, f"bao-cao-{pk}.xlsx")


@login_required
def action_register(request):
    today = timezone.localdate()
    actions = access.visible_actions(request.user, CorrectiveAction.objects.all())
    content = reports.action_register_xlsx(actions, today)
    return _download(content, reports.XLSX_CONTENT_TYPE, f"so-theo-doi-hanh-dong-{today}.xlsx")
