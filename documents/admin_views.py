"""Wagtail admin views for controlled documents, narrowed by qms.access.

Wagtail's generic views check model-level permissions only; each view here adds the check of the
user's role in the unit that owns the object, so a URL typed by hand is refused as well.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.snippets.views import snippets as snippet_views

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


GUARDED_VIEWS = {
    "edit_view_class": _guarded(snippet_views.EditView),
    "delete_view_class": _guarded(snippet_views.DeleteView, "delete"),
    "usage_view_class": _guarded(snippet_views.UsageView),
    "history_view_class": _guarded(snippet_views.HistoryView),
    "inspect_view_class": _guarded(snippet_views.InspectView),
    "revisions_view_class": _guarded(snippet_views.PreviewRevisionView),
    "revisions_compare_view_class": _guarded(snippet_views.RevisionsCompareView),
    "revisions_unschedule_view_class": _guarded(snippet_views.RevisionsUnscheduleView, "publish"),
    "unpublish_view_class": _guarded(snippet_views.UnpublishView, "unpublish"),
    "preview_on_edit_view_class": _guarded(snippet_views.PreviewOnEditView),
    "lock_view_class": _guarded(snippet_views.LockView, "lock"),
    "unlock_view_class": _guarded(snippet_views.UnlockView, "unlock"),
    "workflow_history_view_class": _guarded(snippet_views.WorkflowHistoryView),
    "workflow_history_detail_view_class": _guarded(snippet_views.WorkflowHistoryDetailView),
    "copy_view_class": _guarded(snippet_views.CopyView, "view"),
}
