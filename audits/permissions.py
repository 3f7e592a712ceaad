"""Wagtail permission policies for the audit models; every decision is delegated to qms.access.

Model-level answers open the menus (who may list or add at all); instance-level answers and the
querysets narrow each screen. Deleting is refused: audit records are kept (ISO 4.2.4), a wrong
entry is closed or corrected with its history.
"""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy

from audits.models import ActionStatus, Audit, AuditStatus, CorrectiveAction, Finding
from qms import access
from qms.models import Role

PLANNER_ROLES = (Role.QUALITY_MANAGER, Role.AUDITOR)
ANSWER_ROLES = (Role.APPROVER, Role.QUALITY_MANAGER)


class _RolePolicy(ModelPermissionPolicy):
    """Model-level rights from roles: ``roles[action]`` held anywhere."""

    roles: dict[str, tuple[str, ...]] = {}

    def user_has_permission(self, user, action):
        roles = self.roles.get(action)
        return bool(roles) and access.for_user(user).has_role_anywhere(*roles)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def visible(self, user):
        raise NotImplementedError

    def instances_user_has_any_permission_for(self, user, actions):
        return self.visible(user)


class AuditProgrammePolicy(_RolePolicy):
    roles = {"view": PLANNER_ROLES, "add": PLANNER_ROLES, "change": PLANNER_ROLES}

    def visible(self, user):
        access_ = access.for_user(user)
        queryset = self.model.objects.all()
        return (
            queryset
            if access_.is_superuser
            else queryset.filter(qms_root_id__in=access.audit_reach(user))
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if action in {"view", "change"}:
            return access.can_plan_audit(user, instance.qms_root)
        return False


class AuditPolicy(_RolePolicy):
    roles = {
        "view": (*PLANNER_ROLES, *ANSWER_ROLES),
        "add": PLANNER_ROLES,
        "change": PLANNER_ROLES,
    }

    def visible(self, user):
        return access.visible_audits(user, Audit.objects.all())

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return access.can_view_audit(user, instance)
        if action == "change":
            return instance.status != AuditStatus.COMPLETED and access.can_manage_audit(
                user, instance
            )
        return False


class FindingPolicy(_RolePolicy):
    roles = {
        "view": (*PLANNER_ROLES, *ANSWER_ROLES, Role.CONTROLLER),
        "add": (*PLANNER_ROLES, *ANSWER_ROLES, Role.CONTROLLER),
        "change": PLANNER_ROLES,
    }

    def visible(self, user):
        return access.visible_findings(user, Finding.objects.all())

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return access.can_view_finding(user, instance)
        if action == "change":
            # The wording is corrected by whoever logged it, or an auditor with reach, while open.
            return (
                instance.status != "closed"
                and access.can_view_finding(user, instance)
                and (instance.reported_by_id == user.pk or access.can_close_finding(user, instance))
            )
        return False


class CorrectiveActionPolicy(_RolePolicy):
    roles = {
        "view": (*PLANNER_ROLES, *ANSWER_ROLES, Role.STAFF, Role.CONTROLLER),
        "add": ANSWER_ROLES,
        "change": ANSWER_ROLES,
    }

    def user_has_permission(self, user, action):
        if action == "view" and CorrectiveAction.objects.filter(owner=user).exists():
            return True
        return super().user_has_permission(user, action)

    def visible(self, user):
        return access.visible_actions(user, CorrectiveAction.objects.all())

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return access.can_view_action(user, instance)
        if action == "change":
            # The plan is amended by the unit head until it is reported carried out.
            return instance.status == ActionStatus.PLANNED and access.can_answer_finding(
                user, instance
            )
        return False
