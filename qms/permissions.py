"""Wagtail permission policies for units and memberships, delegating to qms.access."""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy

from qms import access


class OrgUnitPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return access.visible_units(user).filter(pk=instance.pk).exists()
        if action == "delete":
            return access.for_user(user).is_superuser
        return access.can_manage_unit(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if set(actions) <= {"view"}:
            return access.visible_units(user)
        return access.manageable_units(user)


class MembershipPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        return access.can_manage_memberships(user, instance.unit)

    def instances_user_has_any_permission_for(self, user, actions):
        return access.manageable_memberships(user)
