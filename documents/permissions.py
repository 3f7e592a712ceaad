"""Wagtail permission policy for controlled documents: every decision is delegated to qms.access."""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy

from qms import access


class ControlledDocumentPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        # Nobody publishes or unpublishes by hand: a document is issued only by a signed approval
        # (documents.workflow) and withdrawn only with a reason (documents.lifecycle).
        if action in {"publish", "unpublish"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if not access.can_view_document(user, instance):
            return False
        if action == "view":
            return True
        if action in {"change", "lock"}:
            return access.can_edit_document(user, instance)
        if action == "unlock":
            return access.can_edit_document(user, instance) or access.can_withdraw_document(
                user, instance
            )
        if action == "publish":
            return access.can_approve_document(user, instance)
        if action == "unpublish":
            return access.can_withdraw_document(user, instance)
        if action == "delete":
            # Issued documents are withdrawn, never deleted (4.2.3 g keeps the record).
            return access.for_user(user).is_superuser and instance.first_published_at is None
        return False

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = access.visible_documents(user, self.model.objects.all())
        if set(actions) <= {"view"} or access.for_user(user).is_superuser:
            return queryset
        return queryset.filter(
            unit_id__in=access.for_user(user).units_with_role(*access.EDITOR_ROLES)
        )
