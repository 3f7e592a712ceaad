"""Wagtail admin views for controlled documents, narrowed by qms.access.

Wagtail's generic views check model-level permissions only; each view here adds the check of the
user's role in the unit that owns the object, so a URL typed by hand is refused as well.
"""

from __future__ import annotations

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views import snippets as snippet_views

from documents.workflow import WorkflowConflict, WorkflowRefused
from qms import access


class DocumentAccessMixin:
    """Hide documents the user may not view (404) and refuse actions they may not take (403)."""

    required_instance_permission: str | None = None

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not access.can_view_document(self.request.user, obj):
            raise Http404
        action = self.required_instance_permission
        if action and not self.permission_policy.user_has_permission_for_instance(
            self.request.user, action, obj
        ):
            raise PermissionDenied
        return obj


def _guarded(view_class, action: str | None = None):
    return type(
        view_class.__name__,
        (DocumentAccessMixin, view_class),
        {"required_instance_permission": action},
    )


class DocumentCreateView(snippet_views.CreateView):
    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "unit" in form.fields:
            form.fields["unit"].queryset = access.creatable_units(self.request.user)
        return form


def refuse(request, message: str):
    """Refuse with the reason shown: Wagtail turns PermissionDenied into a redirect to the
    dashboard with a generic message, so the specific one is added first."""
    messages.error(request, message)
    raise PermissionDenied(message)


class EditorPostGuardMixin:
    """The editor: reviewers and approvers may open it to read the draft, only editors save.

    Wagtail lets anyone with the model-level "change" permission (every document-control role)
    or the current task's ``user_can_access_editor`` in; saving is for the unit's authors and ISO
    secretary. Publishing never happens here (only a signed approval issues a document), and
    workflow actions are taken in the step's own form (dashboard "Đang chờ bạn xem xét" or the
    buttons of this page), not through an editor save that would create a new draft revision.
    """

    def post(self, request, *args, **kwargs):
        document = self.live_object
        if {"action-publish", "action-workflow-action"} & set(request.POST):
            refuse(request, "Tài liệu chỉ được ban hành qua bước phê duyệt có chữ ký điện tử.")
        if not access.can_edit_document(request.user, document):
            refuse(
                request,
                f"Chỉ người soạn thảo hoặc thư ký ISO của “{document.unit.name}” "
                "được sửa tài liệu.",
            )
        if document.is_withdrawn and self.action in {"submit", "restart-workflow"}:
            refuse(request, "Tài liệu đã bị thu hồi; không thể gửi xem xét.")
        return super().post(request, *args, **kwargs)


class DocumentEditView(EditorPostGuardMixin, DocumentAccessMixin, snippet_views.EditView):
    """The document editor (its revert view is derived from it by the viewset, guards included)."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        document = self.live_object
        buttons.append(
            Button(
                "Theo dõi sửa đổi",
                url=reverse("documents_admin:revision_history", args=[document.pk]),
                icon_name="history",
                priority=40,
            )
        )
        scheduled = document.scheduled_revision
        if scheduled is not None and access.can_withdraw_document(self.request.user, document):
            buttons.append(
                Button(
                    "Hủy lịch ban hành",
                    url=reverse(
                        "wagtailsnippets_documents_controlleddocument:revisions_unschedule",
                        args=[document.pk, scheduled.pk],
                    ),
                    icon_name="calendar",
                    priority=45,
                )
            )
        if (
            document.live
            and not document.is_withdrawn
            and access.can_withdraw_document(self.request.user, document)
        ):
            buttons.append(
                Button(
                    "Thu hồi tài liệu",
                    url=reverse("documents_admin:withdraw", args=[document.pk]),
                    icon_name="warning",
                    priority=50,
                )
            )
        return buttons


class DocumentWorkflowActionView(snippet_views.WorkflowActionView):
    """A workflow step's form (review, approval with password): modal or full page.

    Wagtail's view silently redirects when the form is invalid outside a modal and lets
    exceptions from ``on_action`` become server errors; here a refusal or a wrong password is
    shown on the form, and the same view works as a plain page linked from the editor.
    """

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not access.can_view_document(self.request.user, obj):
            raise Http404
        return obj

    def _is_modal(self) -> bool:
        return self.request.headers.get("x-requested-with") == "XMLHttpRequest"

    def render_form(self, request, form):
        if self._is_modal():
            return self.render_modal_form(request, form)
        context = self.get_context_data(form=form)
        context["edit_url"] = reverse(
            "wagtailsnippets_documents_controlleddocument:edit", args=[quote(self.object.pk)]
        )
        return TemplateResponse(request, "documents/admin/workflow_action_page.html", context)

    def get(self, request, *args, **kwargs):
        return self.render_form(request, self.form_class())

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.render_form(request, form)
        try:
            self.task.on_action(
                self.task_state, request.user, self.action_name, **form.cleaned_data
            )
        except (WorkflowRefused, WorkflowConflict) as exc:
            form.add_error(None, str(exc))
            response = self.render_form(request, form)
            response.status_code = 200 if self._is_modal() else 400
            return response
        messages.success(request, f"Đã ghi nhận: {self.action_verbose_name or self.action_name}.")
        if self._is_modal():
            return self.render_modal_json(
                request, {"step": "success", "redirect": self.redirect_url}
            )
        return redirect(self.redirect_url)


class CancelScheduleView(snippet_views.RevisionsUnscheduleView):
    """Wagtail's "cancel scheduled publish", through ``cancel_upcoming_revision`` so the register
    row waiting for its effective date becomes obsolete too."""

    permission_required = None

    def dispatch(self, request, *args, **kwargs):
        if not access.can_view_document(request.user, self.object):
            raise Http404
        if not access.can_withdraw_document(request.user, self.object):
            refuse(request, "Chỉ thư ký ISO hoặc người phê duyệt được hủy lịch ban hành.")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        from documents.lifecycle import cancel_upcoming_revision

        try:
            cancelled = cancel_upcoming_revision(
                document=self.object, user=request.user, reason=request.POST.get("reason", "")
            )
        except (WorkflowRefused, WorkflowConflict) as exc:
            messages.error(request, str(exc))
            return redirect(self.get_next_url())
        messages.success(
            request, f"Đã hủy lần ban hành {cancelled.number_label} trước ngày có hiệu lực."
        )
        return redirect(self.get_next_url())


class RefusedUnpublishView(snippet_views.UnpublishView):
    """Wagtail's bare unpublish would bypass the register: withdrawal has its own view."""

    def dispatch(self, request, *args, **kwargs):
        document = self.object
        if access.can_withdraw_document(request.user, document):
            return redirect("documents_admin:withdraw", document.pk)
        raise PermissionDenied


GUARDED_VIEWS = {
    "edit_view_class": DocumentEditView,
    "workflow_action_view_class": DocumentWorkflowActionView,
    "delete_view_class": _guarded(snippet_views.DeleteView, "delete"),
    "usage_view_class": _guarded(snippet_views.UsageView),
    "history_view_class": _guarded(snippet_views.HistoryView),
    "inspect_view_class": _guarded(snippet_views.InspectView),
    "revisions_view_class": _guarded(snippet_views.PreviewRevisionView),
    "revisions_compare_view_class": _guarded(snippet_views.RevisionsCompareView),
    "revisions_unschedule_view_class": CancelScheduleView,
    "unpublish_view_class": _guarded(RefusedUnpublishView, "view"),
    "preview_on_edit_view_class": _guarded(snippet_views.PreviewOnEditView),
    "lock_view_class": _guarded(snippet_views.LockView, "lock"),
    "unlock_view_class": _guarded(snippet_views.UnlockView, "unlock"),
    "workflow_history_view_class": _guarded(snippet_views.WorkflowHistoryView),
    "workflow_history_detail_view_class": _guarded(snippet_views.WorkflowHistoryDetailView),
    "copy_view_class": _guarded(snippet_views.CopyView, "view"),
}
