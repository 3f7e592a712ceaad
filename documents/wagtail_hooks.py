from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from documents.admin_views import GUARDED_VIEWS, DocumentCreateView
from documents.filters import ControlledDocumentFilterSet
from documents.forms import ControlledDocumentForm
from documents.models import ControlledDocument
from documents.permissions import ControlledDocumentPermissionPolicy
from qms import access

register_permission_policy(
    ControlledDocument, ControlledDocumentPermissionPolicy(ControlledDocument)
)


class ControlledDocumentViewSet(SnippetViewSet):
    model = ControlledDocument
    icon = "doc-full"
    menu_label = _("Tài liệu")
    menu_order = 100
    add_to_admin_menu = True
    list_display = [
        "code",
        "title",
        "unit",
        "kind",
        Column("status_label", label=_("Trạng thái")),
        UpdatedAtColumn(label=_("Cập nhật")),
    ]
    list_export = ["code", "title", "unit", "kind", "status_label"]
    export_headings = {"status_label": _("Trạng thái")}
    filterset_class = ControlledDocumentFilterSet
    search_fields = ["code", "title"]
    search_backend_name = None
    ordering = ["code"]
    add_view_class = DocumentCreateView

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("code"), FieldPanel("kind")]),
                    FieldPanel("title"),
                    FieldRowPanel([FieldPanel("unit"), FieldPanel("parent")]),
                    FieldPanel("change_summary"),
                    FieldPanel("file"),
                ],
                heading=_("Tài liệu"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("iso_clauses"),
                    FieldPanel("applies_to"),
                    FieldRowPanel([FieldPanel("visibility"), FieldPanel("review_period_months")]),
                ],
                heading=_("Phạm vi áp dụng"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("official_number"), FieldPanel("issuing_body")]),
                    FieldRowPanel(
                        [
                            FieldPanel("issued_on"),
                            FieldPanel("external_effective_on"),
                            FieldPanel("legal_status"),
                        ]
                    ),
                ],
                heading=_("Tài liệu có nguồn gốc bên ngoài"),
                classname="collapsed",
            ),
        ],
        base_form_class=ControlledDocumentForm,
    )

    def get_queryset(self, request):
        return access.visible_documents(
            request.user, ControlledDocument.objects.select_related("unit")
        )


for _attribute, _view_class in GUARDED_VIEWS.items():
    setattr(ControlledDocumentViewSet, _attribute, _view_class)

register_snippet(ControlledDocumentViewSet)

# The revision register, per-document history and withdrawal screens (register_admin), the
# read-only registers of controlled copies, change requests and periodic reviews
# (distribution_admin) and the dashboard's "Việc cần làm" panel (dashboard), with their hooks.
from documents import dashboard, distribution_admin, register_admin  # noqa: E402, F401
