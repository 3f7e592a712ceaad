"""The audit screens in the Wagtail admin: programmes, audits, findings and actions (listings with
filters, narrowed by qms.access), plus the workspace pages of audits.admin_views."""

from __future__ import annotations

import django_filters
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy

from audits import admin_views, forms
from audits.models import (
    ActionKind,
    ActionStatus,
    Audit,
    AuditProgramme,
    AuditStatus,
    CorrectiveAction,
    Finding,
    FindingKind,
    FindingSource,
    FindingStatus,
)
from audits.permissions import (
    AuditPolicy,
    AuditProgrammePolicy,
    CorrectiveActionPolicy,
    FindingPolicy,
)
from qms.models import IsoClause, OrgUnit

register_permission_policy(AuditProgramme, AuditProgrammePolicy(AuditProgramme))
register_permission_policy(Audit, AuditPolicy(Audit))
register_permission_policy(Finding, FindingPolicy(Finding))
register_permission_policy(CorrectiveAction, CorrectiveActionPolicy(CorrectiveAction))


def _unit_filter(field_name: str):
    return django_filters.ModelChoiceFilter(
        label=_("Đơn vị"), queryset=OrgUnit.objects.all(), field_name=field_name
    )


class AuditFilterSet(WagtailFilterSet):
    unit = _unit_filter("units")
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=AuditStatus.choices)

    class Meta:
        model = Audit
        fields = ["unit", "status"]


class FindingFilterSet(WagtailFilterSet):
    unit = _unit_filter("unit")
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=FindingStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Loại phát hiện"), choices=FindingKind.choices)
    source = django_filters.ChoiceFilter(label=_("Nguồn"), choices=FindingSource.choices)
    clause = django_filters.ModelChoiceFilter(
        label=_("Điều khoản"), queryset=IsoClause.objects.all(), field_name="clause"
    )

    class Meta:
        model = Finding
        fields = ["unit", "status", "kind", "source", "clause"]


class ActionFilterSet(WagtailFilterSet):
    unit = _unit_filter("unit")
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=ActionStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Loại hành động"), choices=ActionKind.choices)
    overdue = django_filters.BooleanFilter(label=_("Quá hạn"), method="filter_overdue")
    clause = django_filters.ModelChoiceFilter(
        label=_("Điều khoản"), queryset=IsoClause.objects.all(), field_name="finding__clause"
    )

    class Meta:
        model = CorrectiveAction
        fields = ["unit", "status", "kind", "overdue", "clause"]

    def filter_overdue(self, queryset, name, value):
        overdue = CorrectiveAction.objects.overdue(timezone.localdate()).values("pk")
        if value is True:
            return queryset.filter(pk__in=overdue)
        if value is False:
            return queryset.exclude(pk__in=overdue)
        return queryset


class NarrowedIndexView(generic.IndexView):
    """Lists only what qms.access lets the user see; titles open the workspace page."""

    workspace_url_name: str | None = None

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["view"]
        )

    def get_edit_url(self, instance):
        if self.workspace_url_name:
            return reverse(self.workspace_url_name, args=(instance.pk,))
        return super().get_edit_url(instance)


def _index(workspace: str, base=NarrowedIndexView):
    return type("IndexView", (base,), {"workspace_url_name": f"audits_admin:{workspace}"})


class ActionIndexView(NarrowedIndexView):
    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Sổ theo dõi (XLSX)"),
                url=reverse("audits_admin:action_register"),
                icon_name="download",
            ),
        ]


class _AuditModelViewSet(ModelViewSet):
    add_view_class = admin_views.DomainCreateView
    edit_view_class = admin_views.DomainEditView
    copy_view_enabled = False
    form_class = None

    def get_form_class(self, for_update=False):
        return self.form_class


class AuditProgrammeViewSet(_AuditModelViewSet):
    model = AuditProgramme
    icon = "calendar"
    menu_label = _("Chương trình đánh giá")
    form_class = forms.AuditProgrammeForm
    index_view_class = _index("programme")
    list_display = ["__str__", "year", "qms_root", "approved_at"]
    list_filter = ["year", "qms_root"]


class AuditViewSet(_AuditModelViewSet):
    model = Audit
    icon = "clipboard-list"
    menu_label = _("Cuộc đánh giá")
    form_class = forms.AuditForm
    index_view_class = _index("audit")
    filterset_class = AuditFilterSet
    list_display = ["title", "qms_root", "start_date", "status"]
    search_fields = ["title"]
    search_backend_name = None
    ordering = ["-start_date"]


class FindingViewSet(_AuditModelViewSet):
    model = Finding
    icon = "warning"
    menu_label = _("Phát hiện, điểm không phù hợp")
    form_class = forms.FindingForm
    index_view_class = _index("finding")
    filterset_class = FindingFilterSet
    list_display = ["__str__", "kind", "clause", "unit", "status", "reported_at"]
    search_fields = ["description"]
    search_backend_name = None


class CorrectiveActionViewSet(_AuditModelViewSet):
    model = CorrectiveAction
    icon = "tasks"
    menu_label = _("Hành động khắc phục, phòng ngừa")
    form_class = forms.CorrectiveActionForm
    index_view_class = _index("action", ActionIndexView)
    filterset_class = ActionFilterSet
    list_display = ["__str__", "kind", "unit", "owner", "due_date", "status"]
    search_fields = ["action_plan"]
    search_backend_name = None


class AuditsGroup(ModelViewSetGroup):
    menu_label = _("Đánh giá nội bộ")
    menu_icon = "clipboard-list"
    menu_order = 300
    items = (
        AuditProgrammeViewSet("audits_programme"),
        AuditViewSet("audits_audit"),
        FindingViewSet("audits_finding"),
        CorrectiveActionViewSet("audits_action"),
    )


@hooks.register("register_admin_viewset")
def register_audit_viewsets():
    return AuditsGroup()


@hooks.register("register_admin_urls")
def register_audit_urls():
    urls = [
        path("audit/<int:pk>/", admin_views.AuditWorkspaceView.as_view(), name="audit"),
        path("audit/<int:pk>/checklist/", admin_views.ChecklistView.as_view(), name="checklist"),
        path("audit/<int:pk>/report.pdf", admin_views.audit_report, {"fmt": "pdf"}, name="pdf"),
        path("audit/<int:pk>/report.xlsx", admin_views.audit_report, {"fmt": "xlsx"}, name="xlsx"),
        path("finding/<int:pk>/", admin_views.FindingWorkspaceView.as_view(), name="finding"),
        path("action/<int:pk>/", admin_views.ActionWorkspaceView.as_view(), name="action"),
        path("programme/<int:pk>/", admin_views.ProgrammeWorkspaceView.as_view(), name="programme"),
        path("attachment/<int:pk>/", admin_views.attachment_file, name="attachment"),
        path("actions/register.xlsx", admin_views.action_register, name="action_register"),
    ]
    return [path("audits-work/", (urls, "audits_admin", "audits_admin"))]
