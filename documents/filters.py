from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from documents.models import ControlledDocument, DocumentKind
from qms.models import OrgUnit


class ControlledDocumentFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("Đơn vị"), queryset=OrgUnit.objects.all(), field_name="unit"
    )
    kind = django_filters.ChoiceFilter(label=_("Loại tài liệu"), choices=DocumentKind.choices)
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        method="filter_status",
        choices=[
            ("draft", _("Bản thảo, chưa ban hành")),
            ("live", _("Đang có hiệu lực")),
            ("changes", _("Có bản thảo sửa đổi")),
            ("withdrawn", _("Đã thu hồi")),
        ],
    )

    class Meta:
        model = ControlledDocument
        fields = ["unit", "kind", "status"]

    def filter_status(self, queryset, name, value):
        if value == "draft":
            return queryset.filter(first_published_at__isnull=True)
        if value == "live":
            return queryset.filter(live=True)
        if value == "changes":
            return queryset.filter(live=True, has_unpublished_changes=True)
        if value == "withdrawn":
            return queryset.filter(live=False, first_published_at__isnull=False)
        return queryset
