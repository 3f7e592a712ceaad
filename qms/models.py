"""Organisation units, roles and the ISO 9001:2008 clause catalogue."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def nfc(value: str) -> str:
    """Vietnamese text is stored precomposed (TCVN 6909:2001)."""
    return unicodedata.normalize("NFC", value) if value else value


class OrgUnitQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on)
        )

    def qms_roots(self):
        return self.filter(runs_own_qms=True)


class OrgUnit(models.Model):
    """A unit of the organisation: the department, its internal offices, the district offices.

    A unit with ``runs_own_qms`` is the root of a quality management system (TCVN ISO
    9001:2008 clause 4.1): the department, and each district office that keeps its own. Roles held
    above such a unit do not reach into it (see ``qms.access``).
    """

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở GD&ĐT")
        OFFICE = "office", _("Phòng/ban thuộc Sở")
        DISTRICT = "district", _("Phòng GD&ĐT huyện/thành phố")
        OTHER = "other", _("Đơn vị khác")

    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_code = models.SlugField(
        _("mã viết tắt"),
        max_length=32,
        unique=True,
        help_text=_("Dùng trong mã tài liệu, ví dụ VP, TCCB, LUONGSON."),
        allow_unicode=False,
    )
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    runs_own_qms = models.BooleanField(
        _("có HTQLCL riêng"),
        default=False,
        help_text=_("Đơn vị xây dựng và áp dụng hệ thống quản lý chất lượng của riêng mình."),
    )
    document_code_pattern = models.CharField(
        _("mẫu mã tài liệu"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ QT-{unit}-{number:02d}; chỉ dùng cho đơn vị gốc của một HTQLCL."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(
        _("hiệu lực đến"), null=True, blank=True, help_text=_("Ví dụ khi đơn vị sáp nhập.")
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_units",
    )

    history = HistoricalRecords()
    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(runs_own_qms=True),
                name="orgunit_root_runs_own_qms",
                violation_error_message=_("Đơn vị gốc phải có HTQLCL riêng."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="orgunit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        node, seen = self.parent, {self.pk}
        while node is not None:
            if node.pk in seen:
                raise ValidationError(
                    {"parent": _("Không thể đặt đơn vị làm cấp dưới của chính nó.")}
                )
            seen.add(node.pk)
            node = node.parent
        if self.parent_id is None and not self.runs_own_qms:
            raise ValidationError({"runs_own_qms": _("Đơn vị gốc phải có HTQLCL riêng.")})

    # Tree helpers. The tree is small (tens of units); qms.access caches it per request.
    def ancestors(self, include_self: bool = False) -> list[OrgUnit]:
        chain, node = [], self if include_self else self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    @property
    def qms_root(self) -> OrgUnit:
        """The nearest unit, self included, that runs its own QMS."""
        for unit in self.ancestors(include_self=True):
            if unit.runs_own_qms:
                return unit
        return self  # unreachable: the root must run its own QMS


class Role(models.TextChoices):
    STAFF = "staff", _("Cán bộ, công chức")
    AUTHOR = "author", _("Người soạn thảo")
    REVIEWER = "reviewer", _("Người xem xét")
    APPROVER = "approver", _("Người phê duyệt")
    CONTROLLER = "controller", _("Thư ký ISO")
    AUDITOR = "auditor", _("Đánh giá viên nội bộ")
    QUALITY_MANAGER = "quality_manager", _("Đại diện lãnh đạo")


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def active(self):
        return self.filter(unit__in=OrgUnit.objects.active())


class Membership(models.Model):
    """A role a person holds in a unit; it applies to the unit and its descendants in one QMS."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công vai trò")
        verbose_name_plural = _("phân công vai trò")
        ordering = ["unit__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="membership_unique_role",
                violation_error_message=_("Người này đã có vai trò đó trong đơn vị."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class IsoClause(models.Model):
    """A clause of TCVN ISO 9001:2008 (sections 4–8), with its Vietnamese title."""

    number = models.CharField(_("điều khoản"), max_length=10, unique=True)
    title = models.CharField(_("tên điều khoản"), max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    sort_key = models.CharField(max_length=40, editable=False, db_index=True)

    class Meta:
        verbose_name = _("điều khoản ISO 9001:2008")
        verbose_name_plural = _("điều khoản ISO 9001:2008")
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        self.title = nfc(self.title)
        self.sort_key = self.make_sort_key(self.number)
        super().save(*args, **kwargs)

    @staticmethod
    def make_sort_key(number: str) -> str:
        return ".".join(f"{int(part):03d}" for part in number.split("."))


# The staff site's Wagtail pages live in their own module; importing them here registers them.
from qms.pages import HomePage  # noqa: E402, F401
