"""Read-only admin registers of distribution (ISO 9001:2008 4.2.3 b, d, g).

"Bản kiểm soát" (controlled copies), "Phiếu đề nghị sửa đổi" (change requests) and "Xem xét định
kỳ" (periodic review records), for the ISO team who work in the Wagtail admin. The listings are
narrowed by ``qms.access.distribution_record_units``; the permission policy allows viewing only,
so Wagtail offers no add, edit or delete view. Registering and recalling copies, answering
requests and recording reviews stay on the staff-site pages (``documents.site_distribution_views``),
which enforce the rules through ``documents.distribution``, ``review`` and ``change_requests``:
the listings and inspect views link there.

Labels are plain Vietnamese strings, like the revision register's (documents.register_admin):
these screens are for the ISO team, who work in Vietnamese.
"""

from __future__ import annotations

import django_filters
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from documents.models import ChangeRequest, ControlledCopy, IssuedRevision, PeriodicReview
from qms import access
from qms.models import OrgUnit


class DistributionRecordPolicy(ModelPermissionPolicy):
    """Viewing only, and only records of documents owned by a unit the user oversees."""

    def user_has_permission(self, user, action):
        return (
            action == "view"
            and access.can_access_admin(user)
            and bool(access.distribution_record_units(user))
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return action == "view" and (
            instance.document.unit_id in access.distribution_record_units(user)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" not in actions or not access.can_access_admin(user):
            return self.model.objects.none()
        return self.model.objects.filter(
            document__unit_id__in=access.distribution_record_units(user)
        )


for _model in (ControlledCopy, ChangeRequest, PeriodicReview):
    register_permission_policy(_model, DistributionRecordPolicy(_model))


def _owner_filter():
    return django_filters.ModelChoiceFilter(
        label=_("Đơn vị ban hành"), queryset=OrgUnit.objects.all(), field_name="document__unit"
    )


class ControlledCopyFilterSet(WagtailFilterSet):
    owner = _owner_filter()
    unit = django_filters.ModelChoiceFilter(
        label=_("Đơn vị giữ bản"), queryset=OrgUnit.objects.all(), field_name="unit"
    )
    state = django_filters.ChoiceFilter(
        label=_("Tình trạng"),
        method="filter_state",
        choices=[
            ("active", _("Đang lưu hành (lần ban hành hiện hành)")),
            ("to_recall", _("Cần thu hồi")),
            ("recalled", _("Đã thu hồi")),
        ],
    )

    class Meta:
        model = ControlledCopy
        fields = ["owner", "unit", "state"]

    def filter_state(self, queryset, name, value):
        # Same rule as documents.distribution.recall_list: not recalled, revision not current.
        current = IssuedRevision.Status.CURRENT
        if value == "recalled":
            return queryset.filter(recalled_at__isnull=False)
        if value == "to_recall":
            return queryset.filter(recalled_at__isnull=True).exclude(
                issued_revision__status=current
            )
        if value == "active":
            return queryset.filter(recalled_at__isnull=True, issued_revision__status=current)
        return queryset


class ChangeRequestFilterSet(WagtailFilterSet):
    owner = _owner_filter()
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=ChangeRequest.Status.choices
    )

    class Meta:
        model = ChangeRequest
        fields = ["owner", "status"]


class PeriodicReviewFilterSet(WagtailFilterSet):
    owner = _owner_filter()
    outcome = django_filters.ChoiceFilter(
        label=_("Kết quả"), choices=PeriodicReview.Outcome.choices
    )

    class Meta:
        model = PeriodicReview
        fields = ["owner", "outcome"]


class RecordIndexView(generic.IndexView):
    """A narrowed, read-only listing with links to the staff-site page where the work is done."""

    related: tuple[str, ...] = ()
    site_links: tuple[tuple[str, str], ...] = ()

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["view"]
        ).select_related(*self.related)

    @property
    def header_buttons(self):
        # Only the ISO secretary has work to do there; the others would meet a refusal.
        if not access.controlled_units(self.request.user):
            return super().header_buttons
        return [
            *super().header_buttons,
            *(
                HeaderButton(label, url=reverse(url_name), icon_name="link-external")
                for label, url_name in self.site_links
            ),
        ]

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            Button(
                _("Tài liệu trên trang tra cứu"),
                url=reverse("site:document", args=[instance.document_id]),
                icon_name="doc-full",
                priority=20,
            ),
        ]


class RecordInspectView(generic.InspectView):
    """Refuses (404) a record outside the user's reach; offers the staff-site action page."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "view", obj
        ):
            raise Http404
        return obj

    def action_url(self) -> tuple[str, str] | None:
        """(label, url) of the staff-site page where the user can act on this record, if any."""
        return None

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button(
                _("Tài liệu trên trang tra cứu"),
                url=reverse("site:document", args=[self.object.document_id]),
                icon_name="doc-full",
                priority=30,
            )
        )
        action = self.action_url()
        if action:
            buttons.append(Button(action[0], url=action[1], icon_name="edit", priority=20))
        return buttons


class CopyInspectView(RecordInspectView):
    def action_url(self):
        if self.object.is_recalled or not access.can_register_copies(
            self.request.user, self.object.document
        ):
            return None
        return (
            _("Quản lý bản kiểm soát, thu hồi"),
            reverse("site:copies", args=[self.object.document_id]),
        )


class ChangeRequestInspectView(RecordInspectView):
    def action_url(self):
        if not self.object.is_open or not access.can_answer_change_request(
            self.request.user, self.object.document
        ):
            return None
        return ("Trả lời đề nghị", reverse("site:change_requests"))


class ReviewInspectView(RecordInspectView):
    def action_url(self):
        if not access.can_review_periodically(self.request.user, self.object.document):
            return None
        return ("Xem xét định kỳ đến hạn", reverse("site:review_due"))


def _index(related, site_links):
    return type("IndexView", (RecordIndexView,), {"related": related, "site_links": site_links})


class _RecordViewSet(ModelViewSet):
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    # ModelViewSet requires form fields; the add/edit views they back are refused by the policy.
    form_fields = ["document"]


class ControlledCopyViewSet(_RecordViewSet):
    url_prefix = "documents/copies"
    model = ControlledCopy
    icon = "copy"
    menu_label = _("Bản kiểm soát")
    index_view_class = _index(
        ("document__unit", "issued_revision", "unit"),
        (("Danh sách cần thu hồi", "site:recall_list"),),
    )
    inspect_view_class = CopyInspectView
    filterset_class = ControlledCopyFilterSet
    list_display = [
        "__str__",
        "unit",
        "holder_name",
        "registered_at",
        "recalled_at",
    ]
    search_fields = ["holder_name", "document__code", "document__title"]
    ordering = ["document__code", "-issued_revision__number", "copy_number"]
    inspect_view_fields = [
        "document",
        "issued_revision",
        "copy_number",
        "unit",
        "holder_name",
        "holder_user",
        "registered_by",
        "registered_at",
        "recalled_at",
        "recalled_by",
        "recall_note",
    ]


class ChangeRequestViewSet(_RecordViewSet):
    url_prefix = "documents/change-requests"
    model = ChangeRequest
    icon = "comment"
    menu_label = _("Phiếu đề nghị sửa đổi")
    index_view_class = _index(
        ("document__unit", "requested_by"),
        (("Hộp thư đề nghị sửa đổi", "site:change_requests"),),
    )
    inspect_view_class = ChangeRequestInspectView
    filterset_class = ChangeRequestFilterSet
    list_display = ["__str__", "document", "requested_by", "created_at", "status"]
    search_fields = ["reason", "document__code"]
    inspect_view_fields = [
        "document",
        "issued_revision",
        "requested_by",
        "created_at",
        "reason",
        "proposed_change",
        "status",
        "answered_by",
        "answered_at",
        "answer",
    ]


class PeriodicReviewViewSet(_RecordViewSet):
    url_prefix = "documents/periodic-reviews"
    model = PeriodicReview
    icon = "date"
    menu_label = _("Xem xét định kỳ")
    index_view_class = _index(
        ("document__unit", "reviewed_by", "issued_revision"),
        (("Xem xét đến hạn, quá hạn", "site:review_due"),),
    )
    inspect_view_class = ReviewInspectView
    filterset_class = PeriodicReviewFilterSet
    list_display = [
        "document",
        "issued_revision",
        "reviewed_by",
        "reviewed_at",
        "outcome",
        "next_due",
    ]
    search_fields = ["document__code", "note"]
    inspect_view_fields = [
        "document",
        "issued_revision",
        "reviewed_by",
        "reviewed_at",
        "outcome",
        "note",
        "next_due",
    ]


class DistributionGroup(ModelViewSetGroup):
    menu_label = _("Phân phối tài liệu")
    menu_icon = "copy"
    menu_order = 120
    items = (
        ControlledCopyViewSet("documents_copies"),
        ChangeRequestViewSet("documents_change_requests"),
        PeriodicReviewViewSet("documents_periodic_reviews"),
    )


@hooks.register("register_admin_viewset")
def register_distribution_viewsets():
    return DistributionGroup()
