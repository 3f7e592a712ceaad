"""Admin screens of the revision register (4.2.3 c) and withdrawal (4.2.3 g), plus their hooks.

The register is read-only everywhere: its viewset's permission policy allows viewing only, so
Wagtail offers no add, edit or delete view, and the model refuses changes anyway.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.utils import quote
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.action_menu import (
    ActionMenuItem,
    PublishMenuItem,
    UnpublishMenuItem,
    WorkflowMenuItem,
)

from documents.admin_views import refuse
from documents.lifecycle import withdraw_document
from documents.models import ControlledDocument, IssuedRevision
from documents.workflow import WorkflowConflict, WorkflowRefused
from qms import access


class RegisterPermissionPolicy(ModelPermissionPolicy):
    """Viewing only, and only revisions of documents the user may view."""

    def user_has_permission(self, user, action):
        return action == "view" and access.can_access_admin(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and access.can_view_document(user, instance.document)

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" not in actions:
            return IssuedRevision.objects.none()
        return visible_register(user)


def visible_register(user):
    documents = access.visible_documents(user, ControlledDocument.objects.all())
    return IssuedRevision.objects.filter(document__in=documents.values("pk"))


register_permission_policy(IssuedRevision, RegisterPermissionPolicy(IssuedRevision))


class RegisterIndexView(generic.IndexView):
    def get_base_queryset(self):
        return visible_register(self.request.user).select_related("document")


class RegisterInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not access.can_view_document(self.request.user, obj.document):
            raise Http404
        return obj


class IssuedRevisionViewSet(ModelViewSet):
    model = IssuedRevision
    icon = "list-ol"
    menu_label = _("Sổ theo dõi ban hành")
    menu_order = 110
    add_to_admin_menu = True
    url_prefix = "documents/register"
    name = "issued_revisions"
    index_view_class = RegisterIndexView
    inspect_view_class = RegisterInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    # Required by ModelViewSet; the add/edit views it backs are refused by the policy above.
    form_fields = ["change_summary"]
    list_display = [
        "code",
        "number_label",
        "title",
        "status",
        "effective_from",
        "effective_to",
        "approved_by_name",
    ]
    list_filter = ["status"]
    search_fields = ["code", "title"]
    inspect_view_fields = [
        "code",
        "number",
        "title",
        "status",
        "change_summary",
        "file_name",
        "file_sha256",
        "effective_from",
        "effective_to",
        "prepared_by",
        "reviewed_by",
        "reviewed_at",
        "approved_by_name",
        "approved_at",
        "signature_meaning",
        "withdrawal_reason",
    ]


@hooks.register("register_admin_viewset")
def register_issued_revision_viewset():
    return IssuedRevisionViewSet()


# --- Per-document views -------------------------------------------------------------------


def _document_or_404(request, pk: int) -> ControlledDocument:
    document = get_object_or_404(ControlledDocument.objects.select_related("unit"), pk=pk)
    if not access.can_view_document(request.user, document):
        raise Http404
    return document


def revision_history(request, pk: int):
    """Theo dõi sửa đổi: every issued revision of one document, newest first."""
    document = _document_or_404(request, pk)
    revisions = document.issued_revisions.select_related(
        "approved_by", "prepared_by", "reviewed_by"
    ).order_by("-number")
    return TemplateResponse(
        request,
        "documents/admin/revision_history.html",
        {
            "document": document,
            "revisions": revisions,
            "edit_url": reverse(
                "wagtailsnippets_documents_controlleddocument:edit", args=[quote(document.pk)]
            ),
        },
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi"),
        widget=forms.Textarea({"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Cần ghi lý do thu hồi tài liệu.")},
    )


def withdraw(request, pk: int):
    """Thu hồi: ask for the reason, then ``documents.lifecycle.withdraw_document``."""
    document = _document_or_404(request, pk)
    if not access.can_withdraw_document(request.user, document):
        refuse(
            request,
            f"Chỉ thư ký ISO hoặc người phê duyệt của “{document.unit.name}” được thu hồi.",
        )
    edit_url = reverse(
        "wagtailsnippets_documents_controlleddocument:edit", args=[quote(document.pk)]
    )
    form = WithdrawForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_document(
                document=document, user=request.user, reason=form.cleaned_data["reason"]
            )
        except (WorkflowRefused, WorkflowConflict) as exc:
            form.add_error(None, str(exc))
            status = 409
        else:
            messages.success(request, f"Đã thu hồi tài liệu {document.code}.")
            return redirect(edit_url)
    return TemplateResponse(
        request,
        "documents/admin/withdraw.html",
        {"document": document, "form": form, "edit_url": edit_url},
        status=status,
    )


@hooks.register("register_admin_urls")
def register_document_admin_urls():
    from django.urls import include

    urls = [
        path("<int:pk>/theo-doi-sua-doi/", revision_history, name="revision_history"),
        path("<int:pk>/thu-hoi/", withdraw, name="withdraw"),
    ]
    return [path("documents/", include((urls, "documents_admin"), namespace="documents_admin"))]


# --- The editor's action menu ---------------------------------------------------------------


class StepLinkMenuItem(ActionMenuItem):
    """A workflow step's form as a plain link (no editor save: it would make a new draft)."""

    template_name = "documents/admin/step_link_menu_item.html"

    def __init__(self, name, label, url, order=5):
        super().__init__(order=order)
        self.name = name
        self.label = label
        self.url = url

    def is_shown(self, context):
        return True

    def get_url(self, parent_context):
        return self.url


@hooks.register("construct_snippet_action_menu")
def document_action_menu(menu_items, request, context):
    if context.get("model") is not ControlledDocument:
        return
    menu_items[:] = [
        item
        for item in menu_items
        if not isinstance(item, PublishMenuItem | UnpublishMenuItem | WorkflowMenuItem)
    ]
    instance = context.get("instance")
    task = instance.current_workflow_task if instance is not None else None
    if task is None:
        return
    state = instance.current_workflow_task_state
    viewset_url = "wagtailsnippets_documents_controlleddocument:workflow_action"
    seen = set()
    for name, label, _modal in task.get_actions(instance, request.user):
        if name in seen:
            continue
        seen.add(name)
        url = reverse(viewset_url, args=[quote(instance.pk), name, state.pk])
        menu_items.insert(0, StepLinkMenuItem(name, label, url))


@hooks.register("register_log_actions")
def register_document_log_actions(actions):
    actions.register_action(
        "documents.sign", "Ký phê duyệt ban hành", "Ký điện tử: phê duyệt ban hành"
    )
    actions.register_action("documents.withdraw", "Thu hồi tài liệu", "Thu hồi tài liệu")
    actions.register_action(
        "documents.cancel_upcoming", "Hủy lịch ban hành", "Hủy lần ban hành chưa đến ngày hiệu lực"
    )
    actions.register_action(
        "documents.sign_refused", "Ký phê duyệt bị từ chối", "Ký điện tử bị từ chối: sai mật khẩu"
    )


def _route_wagtail_workflow_mail():
    """Wagtail's own workflow e-mails (English, to the submitter and superusers) would duplicate
    the Vietnamese ones of documents.notifications for controlled documents. They are connected
    in wagtail.admin's ready(), after this app's, so they are wrapped here, when the hooks load
    (before any admin or API request is served): other models (pages) keep Wagtail's mail."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.admin import signal_handlers as wagtail_mail
    from wagtail.models import TaskState, WorkflowState
    from wagtail.signals import (
        task_submitted,
        workflow_approved,
        workflow_rejected,
        workflow_submitted,
    )

    def unless_document(notifier):
        def handler(sender, instance, **kwargs):
            state = getattr(instance, "workflow_state", instance)
            document_type = ContentType.objects.get_for_model(ControlledDocument)
            if state.base_content_type_id != document_type.pk:
                return notifier(sender=sender, instance=instance, **kwargs)
            return None

        return handler

    for signal, sender, uid, notifier in (
        (
            task_submitted,
            TaskState,
            "group_approval_task_submitted_email_notification",
            wagtail_mail.task_submission_email_notifier,
        ),
        (
            workflow_submitted,
            WorkflowState,
            "workflow_state_submitted_email_notification",
            wagtail_mail.workflow_submission_email_notifier,
        ),
        (
            workflow_rejected,
            WorkflowState,
            "workflow_state_rejected_email_notification",
            wagtail_mail.workflow_rejection_email_notifier,
        ),
        (
            workflow_approved,
            WorkflowState,
            "workflow_state_approved_email_notification",
            wagtail_mail.workflow_approval_email_notifier,
        ),
    ):
        signal.disconnect(sender=sender, dispatch_uid=uid)
        signal.connect(unless_document(notifier), sender=sender, dispatch_uid=uid, weak=False)


_route_wagtail_workflow_mail()
