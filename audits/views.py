"""The staff-site page "Hành động của tôi": the corrective and preventive actions a person owns,
where they report what they did. Action owners are often staff without admin access; the unit
head and the auditors keep working in the admin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from audits import forms, workflow
from audits.errors import message_of
from audits.models import ActionStatus, CorrectiveAction


@login_required
def my_actions(request):
    """Actions owned by the user: the open ones first, then the last concluded ones."""
    owned = CorrectiveAction.objects.filter(owner=request.user).select_related("unit", "finding")
    return render(
        request,
        "audits/my_actions.html",
        {
            "open_actions": owned.open().order_by("due_date", "pk"),
            "done_actions": owned.exclude(pk__in=owned.open().values("pk")).order_by("-pk")[:20],
            "form": forms.ImplementForm(),
            "planned": ActionStatus.PLANNED,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def report_implemented(request, pk: int):
    action = get_object_or_404(CorrectiveAction, pk=pk, owner=request.user)
    form = forms.ImplementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Cần nhập kết quả thực hiện.")
        return redirect("audits:my_actions")
    try:
        workflow.mark_implemented(
            user=request.user, action=action, evidence=form.cleaned_data["evidence"]
        )
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, f"Đã báo cáo thực hiện hành động #{action.pk}.")
    return redirect("audits:my_actions")
