from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from qms import access
from qms.models import IsoClause, Membership, OrgUnit
from qms.permissions import MembershipPermissionPolicy, OrgUnitPermissionPolicy

register_permission_policy(OrgUnit, OrgUnitPermissionPolicy(OrgUnit))
register_permission_policy(Membership, MembershipPermissionPolicy(Membership))


class MembershipForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.fields["unit"].queryset = access.manageable_units(self.for_user)

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if not access.can_manage_memberships(self.for_user, unit):
            raise PermissionDenied
        return unit


class OrgUnitForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and not access.for_user(self.for_user).is_superuser:
            self.fields["parent"].queryset = access.manageable_units(self.for_user)
            self.fields["parent"].required = True


class ObjectAccessMixin:
    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        ):
            raise PermissionDenied
        return obj


def _guarded(view_class):
    return type(view_class.__name__, (ObjectAccessMixin, view_class), {})


class OrgUnitViewSet(SnippetViewSet):
    model = OrgUnit
    icon = "group"
    menu_label = _("Đơn vị")
    list_display = ["name", "short_code", "kind", "parent", "runs_own_qms"]
    list_filter = ["kind", "runs_own_qms"]
    search_fields = ["name", "short_code"]
    search_backend_name = None
    edit_view_class = _guarded(snippet_views.EditView)
    delete_view_class = _guarded(snippet_views.DeleteView)
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("short_code"),
            FieldPanel("kind"),
            FieldPanel("parent"),
            FieldPanel("runs_own_qms"),
            FieldPanel("document_code_pattern"),
            FieldPanel("valid_from"),
            FieldPanel("valid_to"),
            FieldPanel("merged_into"),
        ],
        base_form_class=OrgUnitForm,
    )

    def get_queryset(self, request):
        return access.visible_units(request.user, OrgUnit.objects.select_related("parent"))


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Phân công vai trò")
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    search_backend_name = None
    edit_view_class = _guarded(snippet_views.EditView)
    delete_view_class = _guarded(snippet_views.DeleteView)
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("unit"), FieldPanel("role")], base_form_class=MembershipForm
    )

    def get_queryset(self, request):
        return access.manageable_memberships(
            request.user, Membership.objects.select_related("user", "unit")
        )


class IsoClauseViewSet(SnippetViewSet):
    model = IsoClause
    icon = "list-ul"
    menu_label = _("Điều khoản ISO 9001:2008")
    list_display = ["number", "title"]
    search_fields = ["number", "title"]
    search_backend_name = None
    inspect_view_enabled = True


class OrganisationGroup(SnippetViewSetGroup):
    items = (OrgUnitViewSet, MembershipViewSet, IsoClauseViewSet)
    menu_icon = "site"
    menu_label = _("Tổ chức")
    menu_order = 900


register_snippet(OrganisationGroup)


# --- Admin API stand-ins ---------------------------------------------------------------------
# Every admin page renders ``wagtail_config``, which reverses the admin API endpoints of
# wagtail.documents and wagtail.images (Wagtail issue #14418, still open in 8.0.1). This project
# installs neither (controlled documents have their own private storage), so without a stand-in
# every admin page fails with NoReverseMatch. The stand-in answers 404 and matches no model.


class _UnavailableAdminEndpoint:
    model = type("NotInstalled", (), {})

    @staticmethod
    def _view(request, *args, **kwargs):
        from django.http import JsonResponse

        return JsonResponse({"message": "Không dùng trong hệ thống này."}, status=404)

    @classmethod
    def get_urlpatterns(cls):
        from django.urls import path

        return [path("", cls._view, name="listing")]


@hooks.register("construct_admin_api")
def _stand_in_for_uninstalled_media_endpoints(router):
    for name in ("documents", "images"):
        if name not in router._endpoints:
            router.register_endpoint(name, _UnavailableAdminEndpoint)
