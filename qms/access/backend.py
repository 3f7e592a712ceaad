"""The Django authentication backend that turns roles into model-level permissions."""

from __future__ import annotations

from qms.access.core import (
    DOCUMENT_WORK_ROLES,
    EDITOR_ROLES,
    OVERSIGHT_ROLES,
    for_user,
)
from qms.access.organisation import (
    can_access_admin,
)
from qms.models import Role


class RoleBackend:
    """Model-level permissions derived from roles, so nobody maintains Django groups by hand.

    Object-level decisions stay in the functions above; this only opens the right menus.
    """

    MODEL_PERMS = {
        "documents": {
            "add": EDITOR_ROLES,
            "change": DOCUMENT_WORK_ROLES,
            "view": DOCUMENT_WORK_ROLES | OVERSIGHT_ROLES,
            "publish": frozenset({Role.APPROVER}),
            "lock": DOCUMENT_WORK_ROLES,
            "unlock": frozenset({Role.CONTROLLER}),
        },
        "qms": {
            "add": frozenset({Role.QUALITY_MANAGER}),
            "change": frozenset({Role.QUALITY_MANAGER}),
            "view": frozenset({Role.QUALITY_MANAGER}),
            "delete": frozenset({Role.QUALITY_MANAGER}),
        },
    }

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not getattr(user_obj, "is_active", False) or obj is not None:
            return False
        if perm == "wagtailadmin.access_admin":
            return can_access_admin(user_obj)
        app_label, _, codename = perm.partition(".")
        action = codename.split("_", 1)[0]
        roles = self.MODEL_PERMS.get(app_label, {}).get(action)
        if not roles:
            return False
        if app_label == "qms" and not codename.endswith(("_orgunit", "_membership")):
            return False
        return for_user(user_obj).has_role_anywhere(*roles)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return app_label in self.MODEL_PERMS and can_access_admin(user_obj)
