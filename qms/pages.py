"""The staff site's Wagtail pages: the home page the department edits itself.

The quality policy and quality objectives (TCVN ISO 9001:2008 clauses 5.3 and 5.4.1) must be
communicated and understood within the organisation, so they live on the home page every member of
staff opens, editable by the department in the Wagtail admin without a deployment.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page


class ObjectiveBlock(blocks.StructBlock):
    """One measurable quality objective (5.4.1): what, and the target value."""

    objective = blocks.CharBlock(label=_("Mục tiêu"), max_length=300)
    target = blocks.CharBlock(
        label=_("Chỉ tiêu"), max_length=120, required=False, help_text=_("Ví dụ: trên 80 %.")
    )

    class Meta:
        icon = "tick"
        label = _("Mục tiêu chất lượng")


class AnnouncementBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tiêu đề"), max_length=200)
    date = blocks.DateBlock(label=_("Ngày"), required=False, format="%d/%m/%Y")
    body = blocks.RichTextBlock(
        label=_("Nội dung"), required=False, features=["bold", "italic", "link", "ol", "ul"]
    )

    class Meta:
        icon = "info-circle"
        label = _("Thông báo")


class HomePage(Page):
    """The staff site's home page (the Wagtail site root): policy, objectives, announcements."""

    intro = models.CharField(_("lời giới thiệu"), max_length=500, blank=True)
    quality_policy = RichTextField(
        _("chính sách chất lượng"), blank=True, features=["bold", "italic", "ol", "ul"]
    )
    objectives_year = models.PositiveSmallIntegerField(
        _("năm của mục tiêu chất lượng"), null=True, blank=True
    )
    quality_objectives = StreamField(
        [("objective", ObjectiveBlock())], verbose_name=_("mục tiêu chất lượng"), blank=True
    )
    announcements = StreamField(
        [("announcement", AnnouncementBlock())], verbose_name=_("thông báo"), blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("quality_policy"),
        FieldPanel("objectives_year"),
        FieldPanel("quality_objectives"),
        FieldPanel("announcements"),
    ]

    # One home page, at the root of the site; nothing is created below it from the admin.
    parent_page_types = ["wagtailcore.Page"]
    subpage_types: list[str] = []
    max_count = 1
    template = "qms/home_page.html"

    class Meta:
        verbose_name = _("trang chủ")
        verbose_name_plural = _("trang chủ")

    def get_context(self, request, *args, **kwargs):
        from documents.site_queries import my_unit_documents, recent_revisions

        context = super().get_context(request, *args, **kwargs)
        context["recent_revisions"] = recent_revisions(request.user, limit=8)
        if request.user.is_authenticated:
            context["my_documents"] = my_unit_documents(request.user)[:8]
        return context
