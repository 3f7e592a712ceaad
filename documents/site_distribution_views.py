"""Staff-site pages for distribution and upkeep of documents (ISO 9001:2008 4.2.3 b, d, g).

Read acknowledgements ("Tôi đã đọc và hiểu", my pending list, coverage per unit), change requests
(the form for any reader, the ISO secretary's inbox), periodic review (due / overdue list with
confirm or start-a-revision) and controlled copies (register, recall list, mark recalled).

Decisions come from ``qms.access``; state changes from ``documents.distribution``,
``documents.review`` and ``documents.change_requests``. Their refusals (PermissionDenied,
ValidationError) become a Vietnamese message on the page, never a server error.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from documents import change_requests, distribution, review
from documents.models import ChangeRequest, ControlledCopy, ControlledDocument, IssuedRevision
from qms import access
from qms.models import OrgUnit


def _document(request, pk: int) -> ControlledDocument:
    """The document if ``request.user`` may read it; 404 otherwise (existence not disclosed)."""
    document = get_object_or_404(ControlledDocument.objects.select_related("unit"), pk=pk)
    if not access.can_view_document(request.user, document):
        raise Http404
    return document


def _refusal(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "Bạn không có quyền thực hiện thao tác này."


def _back_to_document(document_id: int):
    return redirect("site:document", pk=document_id)


# --- Read acknowledgements ----------------------------------------------------------------


@login_required
@require_POST
def acknowledge(request, pk: int, number: int):
    """The "Tôi đã đọc và hiểu" button: records the confirmation once, then back to the page."""
    document = _document(request, pk)
    revision = get_object_or_404(IssuedRevision, document=document, number=number)
    try:
        distribution.acknowledge(user=request.user, revision=revision)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(
            request,
            f"Đã ghi nhận: Anh/Chị đã đọc và hiểu {document.code} "
            f"lần ban hành {revision.number_label}.",
        )
    if request.POST.get("next") == "list":
        return redirect("site:my_acknowledgements")
    return _back_to_document(document.pk)


@login_required
def my_acknowledgements(request):
    """Tài liệu cần xác nhận đã đọc: the revisions in force the user has not confirmed yet."""
    pending = list(distribution.pending_acknowledgements(request.user)[:200])
    return render(request, "documents/site/acknowledgements.html", {"pending": pending})


@login_required
def coverage(request, pk: int):
    """Who has read the revision in force, per unit ("Phòng GD&ĐT Kim Bôi: 14/16").

    The owning unit's secretary, head and quality manager see every unit; a unit's secretary or
    head sees their own unit; with ``?don-vi=<id>`` the names of that unit's readers are listed.
    """
    document = _document(request, pk)
    units = access.coverage_units(request.user, document)
    if units is not None and not units:
        raise PermissionDenied("Bạn không có quyền xem tình hình xác nhận đã đọc.")
    revision = IssuedRevision.objects.current().filter(document=document).defer("text").first()
    rows = distribution.coverage(revision, units) if revision else []
    readers, chosen = None, None
    unit_param = request.GET.get("don-vi", "")
    if revision and unit_param.isdigit():
        chosen = next((row for row in rows if row.unit_id == int(unit_param)), None)
        if chosen is not None:
            readers = list(distribution.unit_readers(revision, chosen.unit_id))
    return render(
        request,
        "documents/site/coverage.html",
        {
            "document": document,
            "revision": revision,
            "rows": rows,
            "chosen": chosen,
            "readers": readers,
        },
    )


# --- Change requests ----------------------------------------------------------------------


class ChangeRequestForm(forms.Form):
    reason = forms.CharField(
        label="Lý do đề nghị sửa đổi",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=change_requests.MAX_TEXT,
        error_messages={"required": "Cần ghi lý do đề nghị sửa đổi."},
    )
    proposed_change = forms.CharField(
        label="Nội dung đề nghị sửa đổi (vị trí trang/mục, nội dung mới)",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=change_requests.MAX_TEXT,
        required=False,
    )


@login_required
def request_change(request, pk: int):
    """Phiếu đề nghị sửa đổi tài liệu: any reader of the issued document may file one."""
    document = _document(request, pk)
    if not access.can_request_change(request.user, document):
        raise PermissionDenied("Bạn không có quyền đề nghị sửa đổi tài liệu này.")
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change_requests.request_change(
                user=request.user,
                document=document,
                reason=form.cleaned_data["reason"],
                proposed_change=form.cleaned_data["proposed_change"],
            )
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, _refusal(exc))
        else:
            messages.success(
                request, "Đã gửi đề nghị sửa đổi; thư ký ISO sẽ trả lời Anh/Chị qua thư điện tử."
            )
            return _back_to_document(document.pk)
    mine = list(change_requests.mine(request.user).filter(document=document)[:20])
    return render(
        request,
        "documents/site/change_request_form.html",
        {"document": document, "form": form, "mine": mine},
    )


def _controller_only(request):
    if not access.controlled_units(request.user):
        raise PermissionDenied("Trang này dành cho thư ký ISO.")


@login_required
def change_request_inbox(request):
    """The ISO secretary's inbox: open requests first, then the latest answered ones."""
    _controller_only(request)
    open_requests = list(change_requests.inbox(request.user)[:200])
    answered = list(
        change_requests.inbox(request.user, status=None)
        .exclude(status=ChangeRequest.Status.OPEN)
        .order_by("-answered_at", "-pk")[:30]
    )
    return render(
        request,
        "documents/site/change_requests.html",
        {"open_requests": open_requests, "answered": answered},
    )


@login_required
@require_POST
def answer_change_request(request, pk: int):
    """Accept (opens a draft) or decline (answer required) one change request."""
    change_request = get_object_or_404(ChangeRequest, pk=pk)
    action = request.POST.get("action")
    answer = request.POST.get("answer", "")
    try:
        if action == "accept":
            change_requests.accept(user=request.user, change_request=change_request, answer=answer)
            messages.success(request, f"Đã chấp nhận đề nghị số {pk}; bản thảo sửa đổi đã được mở.")
        elif action == "decline":
            change_requests.decline(user=request.user, change_request=change_request, answer=answer)
            messages.success(request, f"Đã trả lời không chấp nhận đề nghị số {pk}.")
        else:
            messages.error(request, "Thao tác không hợp lệ.")
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _refusal(exc))
    return redirect("site:change_requests")


# --- Periodic review ----------------------------------------------------------------------


@login_required
def review_due(request):
    """Due and overdue periodic reviews of the documents the ISO secretary controls."""
    _controller_only(request)
    today = timezone.localdate()
    items = review.due_for_controller(request.user, today)
    return render(
        request,
        "documents/site/review_due.html",
        {
            "overdue": [item for item in items if item.overdue],
            "due_soon": [item for item in items if not item.overdue],
            "today": today,
            "horizon": review.DUE_SOON_DAYS,
        },
    )


@login_required
@require_POST
def periodic_review(request, pk: int):
    """Record one periodic review: ``confirm`` (unchanged) or ``revise`` (start a new draft)."""
    document = get_object_or_404(ControlledDocument.objects.select_related("unit"), pk=pk)
    action = request.POST.get("action")
    note = request.POST.get("note", "")[:2000]
    try:
        if action == "confirm":
            done = review.confirm_unchanged(user=request.user, document=document, note=note)
            messages.success(
                request,
                f"Đã xác nhận {document.code} còn phù hợp; lần xem xét tiếp theo trước ngày "
                f"{done.next_due:%d/%m/%Y}.",
            )
        elif action == "revise":
            review.start_revision(user=request.user, document=document, note=note)
            messages.success(
                request, f"Đã mở bản thảo sửa đổi {document.code}; người soạn thảo tiếp tục sửa."
            )
        else:
            messages.error(request, "Thao tác không hợp lệ.")
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _refusal(exc))
    return redirect("site:review_due")


# --- Controlled copies --------------------------------------------------------------------


class RegisterCopyForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="Đơn vị giữ bản",
        queryset=OrgUnit.objects.all(),
        error_messages={
            "required": "Cần chọn đơn vị giữ bản.",
            "invalid_choice": "Đơn vị không hợp lệ.",
        },
    )
    holder_name = forms.CharField(
        label="Người (nơi) giữ bản",
        max_length=255,
        error_messages={"required": "Cần ghi người (hoặc nơi) giữ bản kiểm soát."},
    )
    copy_number = forms.IntegerField(
        label="Số bản (để trống: số tiếp theo)",
        required=False,
        min_value=1,
        max_value=999,
        error_messages={
            "invalid": "Số bản phải là số nguyên.",
            "min_value": "Số bản phải từ 1 trở lên.",
            "max_value": "Số bản tối đa là 999.",
        },
    )


@login_required
def copies(request, pk: int):
    """Controlled copies of a document: the register, and the form to register a new copy."""
    document = _document(request, pk)
    if not access.can_register_copies(request.user, document):
        raise PermissionDenied("Chỉ thư ký ISO của đơn vị ban hành quản lý bản kiểm soát.")
    current = IssuedRevision.objects.current().filter(document=document).defer("text").first()
    form = RegisterCopyForm(request.POST or None, initial={"unit": document.unit_id})
    if request.method == "POST" and form.is_valid():
        if current is None:
            form.add_error(None, "Tài liệu không có lần ban hành đang hiệu lực.")
        else:
            try:
                copy = distribution.register_copy(
                    user=request.user,
                    revision=current,
                    unit=form.cleaned_data["unit"],
                    holder_name=form.cleaned_data["holder_name"],
                    copy_number=form.cleaned_data["copy_number"],
                )
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, _refusal(exc))
            else:
                messages.success(request, f"Đã đăng ký bản kiểm soát số {copy.number_label}.")
                return redirect("site:copies", pk=document.pk)
    registered = list(distribution.active_copies(document)[:500])
    return render(
        request,
        "documents/site/copies.html",
        {"document": document, "current": current, "form": form, "copies": registered},
    )


@login_required
def recall_list(request):
    """Controlled copies to recall: their revision is no longer in force (4.2.3 g)."""
    _controller_only(request)
    to_recall = list(distribution.recall_list(request.user)[:500])
    return render(request, "documents/site/recall_list.html", {"copies": to_recall})


@login_required
@require_POST
def recall_copy(request, pk: int):
    """Mark one controlled copy recalled."""
    copy = get_object_or_404(ControlledCopy, pk=pk)
    try:
        distribution.recall_copy(user=request.user, copy=copy, note=request.POST.get("note", ""))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, f"Đã ghi nhận thu hồi bản kiểm soát số {copy.number_label}.")
    if request.POST.get("next") == "document":
        return redirect("site:copies", pk=copy.document_id)
    return redirect("site:recall_list")
