"""Admin forms. Creating goes through the domain functions (``save_via_domain``) so the rules
(independence, the team, who answers) hold in the browser exactly as in the API."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from audits import planning, workflow
from audits.models import (
    Audit,
    AuditProgramme,
    ChecklistResult,
    CorrectiveAction,
    Finding,
    FindingSource,
    PlannedAudit,
)
from documents.models import ControlledDocument
from qms import access
from qms.models import IsoClause, Membership, OrgUnit, Role


def _people(roles=None):
    memberships = Membership.objects.all()
    if roles:
        memberships = memberships.filter(role__in=roles)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .order_by("username")
    )


class AuditProgrammeForm(WagtailAdminModelForm):
    class Meta:
        model = AuditProgramme
        fields = ["year", "qms_root", "scope"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["qms_root"].queryset = access.plannable_qms_roots(self.for_user)
        if self.instance.pk:
            self.fields["qms_root"].disabled = self.fields["year"].disabled = True

    def save_via_domain(self, user):
        if self.instance.pk:
            self.instance._change_reason = "Sửa phạm vi chương trình"
            self.instance.save()
            return self.instance
        data = self.cleaned_data
        return planning.create_programme(
            user=user, qms_root=data["qms_root"], year=data["year"], scope=data["scope"]
        )


class PlannedAuditForm(forms.ModelForm):
    class Meta:
        model = PlannedAudit
        fields = ["month", "units", "clauses", "documents", "notes"]
        widgets = {
            "units": forms.CheckboxSelectMultiple,
            "clauses": forms.SelectMultiple(attrs={"size": 12}),
        }

    def __init__(self, *args, programme: AuditProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        tree = access.UnitTree.load()
        in_qms = tree.descendants(programme.qms_root_id, cross_qms=False)
        self.fields["units"].queryset = OrgUnit.objects.filter(pk__in=in_qms)
        self.fields["documents"].queryset = ControlledDocument.objects.filter(
            qms_root=programme.qms_root
        ).issued()


class AuditForm(WagtailAdminModelForm):
    """Create: the whole plan. Edit: only the wording and the meeting times, since units, team
    and criteria revisions are fixed once the independence checks passed."""

    lead_auditor = forms.ModelChoiceField(
        label=_("Trưởng đoàn"), queryset=get_user_model().objects.none()
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Tài liệu được đánh giá"),
        queryset=ControlledDocument.objects.none(),
        required=False,
        help_text=_("Hệ thống ghi lần ban hành có hiệu lực vào ngày bắt đầu đánh giá."),
    )

    class Meta:
        model = Audit
        fields = [
            "qms_root",
            "programme",
            "title",
            "units",
            "clauses",
            "start_date",
            "end_date",
            "opening_meeting_at",
            "closing_meeting_at",
        ]
        widgets = {"units": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("qms_root", "programme", "units", "clauses", "start_date", "end_date"):
                self.fields[name].disabled = True
            for name in ("lead_auditor", "documents"):
                del self.fields[name]
            return
        roots = access.plannable_qms_roots(self.for_user)
        self.fields["qms_root"].queryset = roots
        self.fields["programme"].queryset = AuditProgramme.objects.filter(qms_root__in=roots)
        self.fields["units"].queryset = OrgUnit.objects.filter(
            pk__in=access.audit_reach(self.for_user)
            if not access.for_user(self.for_user).is_superuser
            else OrgUnit.objects.values("pk")
        )
        self.fields["lead_auditor"].queryset = _people([Role.AUDITOR, Role.QUALITY_MANAGER])
        self.fields["documents"].queryset = ControlledDocument.objects.filter(
            qms_root__in=roots
        ).issued()

    def save_via_domain(self, user):
        if self.instance.pk:
            self.instance.save()
            return self.instance
        data = self.cleaned_data
        return planning.create_audit(
            user=user,
            qms_root=data["qms_root"],
            programme=data["programme"],
            title=data["title"],
            units=data["units"],
            clauses=data["clauses"],
            documents=data["documents"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            lead_auditor=data["lead_auditor"],
            opening_meeting_at=data["opening_meeting_at"],
            closing_meeting_at=data["closing_meeting_at"],
        )


class FindingForm(WagtailAdminModelForm):
    class Meta:
        model = Finding
        fields = [
            "audit",
            "source",
            "unit",
            "kind",
            "clause",
            "revision",
            "description",
            "evidence",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.fields["audit"].queryset = access.visible_audits(
            user, Audit.objects.filter(status="in_progress")
        ).filter(members__auditor=user)
        self.fields["audit"].required = False
        self.fields["revision"].queryset = self.fields["revision"].queryset.select_related(
            "document"
        )
        if self.instance.pk:
            for name in ("audit", "source", "unit"):
                self.fields[name].disabled = True

    def save_via_domain(self, user):
        if self.instance.pk:
            self.instance.save()
            return self.instance
        data = self.cleaned_data
        audit = data["audit"]
        return workflow.log_finding(
            user=user,
            audit=audit,
            source=FindingSource.AUDIT if audit else data["source"],
            unit=data["unit"],
            kind=data["kind"],
            clause=data["clause"],
            revision=data["revision"],
            description=data["description"],
            evidence=data["evidence"],
        )


class WhyChainField(forms.CharField):
    """The 5-why chain typed one "why" per line."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class CorrectiveActionForm(WagtailAdminModelForm):
    why_chain = WhyChainField(
        label=_("Phân tích 5 tại sao"), required=False, help_text=_("Mỗi dòng một câu trả lời.")
    )

    class Meta:
        model = CorrectiveAction
        fields = [
            "finding",
            "unit",
            "potential_problem",
            "correction",
            "why_chain",
            "cause_category",
            "root_cause",
            "action_plan",
            "owner",
            "due_date",
        ]
        widgets = {"due_date": AdminDateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        heads = access.for_user(self.for_user).units_with_role(*access.UNIT_HEAD_ROLES)
        if access.for_user(self.for_user).is_superuser:
            heads = set(OrgUnit.objects.values_list("pk", flat=True))
        self.fields["finding"].queryset = Finding.objects.open().filter(
            unit_id__in=heads, kind__in=["major", "minor"]
        )
        self.fields["finding"].required = False
        self.fields["unit"].queryset = OrgUnit.objects.filter(pk__in=heads)
        self.fields["unit"].required = False
        self.fields["owner"].queryset = (
            _people()
            .filter(Q(memberships__unit_id__in=heads) | Q(pk=getattr(self.for_user, "pk", None)))
            .distinct()
        )
        if self.instance.pk:
            for name in ("finding", "unit"):
                self.fields[name].disabled = True

    def save_via_domain(self, user):
        if self.instance.pk:
            self.instance.save()
            return self.instance
        data = self.cleaned_data
        return workflow.plan_action(
            user=user,
            finding=data["finding"],
            unit=None if data["finding"] else data["unit"],
            potential_problem=data["potential_problem"],
            correction=data["correction"],
            why_chain=data["why_chain"],
            cause_category=data["cause_category"],
            root_cause=data["root_cause"],
            action_plan=data["action_plan"],
            owner=data["owner"],
            due_date=data["due_date"],
        )


# --- Small forms of the transition and checklist screens -----------------------------------


class TeamMemberForm(forms.Form):
    # Everyone holding an audit role is offered; independence is decided when adding, with the
    # reason shown, rather than by silently hiding people.
    auditor = forms.ModelChoiceField(
        label=_("Đánh giá viên"), queryset=_people([Role.AUDITOR, Role.QUALITY_MANAGER])
    )


class ChecklistEntryForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Kết quả"), choices=ChecklistResult.choices, widget=forms.RadioSelect
    )
    evidence = forms.CharField(
        label=_("Bằng chứng"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachment = forms.FileField(label=_("Ảnh, tệp bằng chứng"), required=False)


class ChecklistQuestionForm(forms.Form):
    question = forms.CharField(label=_("Câu hỏi"), widget=forms.Textarea(attrs={"rows": 2}))
    clause = forms.ModelChoiceField(
        label=_("Điều khoản"), queryset=IsoClause.objects.all(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"), queryset=OrgUnit.objects.none(), required=False
    )

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = audit.units.all()


class TextForm(forms.Form):
    text = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea({"rows": 3}))


class ImplementForm(forms.Form):
    evidence = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea({"rows": 3}))


class VerifyForm(forms.Form):
    comment = forms.CharField(
        label=_("Nhận xét"), required=False, widget=forms.Textarea({"rows": 2})
    )
    effectiveness_check_date = forms.DateField(
        label=_("Ngày kiểm tra hiệu lực"), required=False, widget=AdminDateInput
    )


class EffectivenessForm(forms.Form):
    effective = forms.TypedChoiceField(
        label=_("Kết luận"),
        choices=[("1", _("Có hiệu lực — đóng phát hiện")), ("0", _("Không có hiệu lực — mở lại"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Nhận xét"), required=False, widget=forms.Textarea({"rows": 2})
    )
