"""The workflow "Kiểm soát tài liệu" (ISO 9001:2008 4.2.3 a–b): review, then signed approval.

Two Wagtail task types ask ``qms.access`` who may act: the reviewer (người xem xét) and the
approver (người phê duyệt) must hold that role for the document's unit inside the same QMS, and
nobody reviews or approves a revision they prepared. ``get_actions`` returns nothing to anyone
else, and Wagtail refuses any action not returned there, in the editor POST and the modal alike;
``on_action`` checks again under a row lock, so a refusal never depends on a hidden button.

Approving asks for the approver's password again (electronic signature): the signature records its
meaning, the signer, the time and the SHA-256 of the file approved, and the finishing action
(``documents.lifecycle.finish_workflow_approval``) turns it into the register row.

The admin and the API share ``submit_document`` and ``act_on_document``; both raise
``WorkflowRefused`` (who may not act, and why: HTTP 403) or ``WorkflowConflict`` (the document is
not in a state where this makes sense: HTTP 409).
"""

from __future__ import annotations

import contextvars
import datetime
import hashlib
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Task, TaskState, WorkflowState

from qms import access

SIGNATURE_MEANING = "Phê duyệt ban hành"
# A password typed to sign is a password that can be guessed: after this many wrong signatures
# within the window, signing is refused without testing the password until the window passes.
SIGNATURE_MAX_FAILURES = 5
SIGNATURE_LOCKOUT = datetime.timedelta(minutes=15)


class WorkflowRefused(PermissionDenied):
    """The user may not take this action (HTTP 403); the message says why, in Vietnamese."""


class WorkflowConflict(Exception):
    """The document is not in a state where the action applies (HTTP 409)."""


class ApprovalSignature(models.Model):
    """An electronic signature on an approval (ISO 9001:2008 4.2.3 a: approval before issue).

    Written once, when the approver re-entered their password, and never changed: it says who
    signed, when, with which meaning, and exactly which file (SHA-256) they approved.
    """

    document = models.ForeignKey(
        "documents.ControlledDocument",
        verbose_name=_("tài liệu"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("bản thảo được ký"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_name = models.CharField(_("họ tên người ký"), max_length=255)
    meaning = models.CharField(_("ý nghĩa chữ ký"), max_length=100, default=SIGNATURE_MEANING)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    file_sha256 = models.CharField(_("SHA-256 của tệp được phê duyệt"), max_length=64)
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("chữ ký phê duyệt")
        verbose_name_plural = _("chữ ký phê duyệt")
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.meaning} — {self.signer_name} — {self.signed_at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise WorkflowRefused("Chữ ký điện tử đã ghi không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise WorkflowRefused("Chữ ký điện tử đã ghi không được xóa.")


# --- Forms of the actions -------------------------------------------------------------------


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, widget=forms.Textarea({"rows": 3}), max_length=5000
    )


class RejectForm(forms.Form):
    comment = forms.CharField(
        label=_("Nội dung cần sửa"),
        widget=forms.Textarea({"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Cần ghi nội dung yêu cầu sửa để trả lại người soạn thảo.")},
    )


class ApprovalForm(forms.Form):
    """The approval step: the approver signs by typing their password again."""

    comment = forms.CharField(
        label=_("Ý kiến"), required=False, widget=forms.Textarea({"rows": 2}), max_length=5000
    )
    effective_from = forms.DateField(
        label=_("Ngày có hiệu lực"),
        required=False,
        help_text=_("Để trống: có hiệu lực ngay hôm nay. Chọn ngày sau: hiệu lực từ ngày đó."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    password = forms.CharField(
        label=_("Mật khẩu của bạn (ký điện tử)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Nhập lại mật khẩu để ký: “%(meaning)s”.") % {"meaning": SIGNATURE_MEANING},
        error_messages={"required": _("Cần nhập mật khẩu để ký phê duyệt.")},
    )

    def clean_effective_from(self):
        day = self.cleaned_data.get("effective_from")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("Ngày có hiệu lực không được trước hôm nay."))
        return day


# --- Who may act ----------------------------------------------------------------------------


def document_for_state(workflow_state: WorkflowState):
    """The ControlledDocument row a workflow state is about."""
    from documents.models import ControlledDocument

    return ControlledDocument.objects.select_related("unit").get(pk=workflow_state.object_id)


def preparer_ids(workflow_state: WorkflowState | None, revision=None) -> set[int]:
    """The people who prepared the revision under review: who submitted it and who last saved it."""
    found = set()
    if workflow_state is not None and workflow_state.requested_by_id:
        found.add(workflow_state.requested_by_id)
    if revision is not None and revision.user_id:
        found.add(revision.user_id)
    return found


@dataclass(frozen=True)
class StepRule:
    role_label: str
    check: str  # name of the qms.access function
    approve_label: str
    reject_label: str


class DocumentTask(Task):
    """Common behaviour of the two steps; ``rule`` says which role acts and how it is worded."""

    rule: StepRule

    class Meta:
        abstract = True

    # -- decisions --

    def refusal_reason(self, document, user, workflow_state=None, revision=None) -> str | None:
        """Why ``user`` may not act on this step for ``document`` (None when they may)."""
        if not getattr(user, "is_authenticated", False):
            return "Cần đăng nhập."
        if document.is_withdrawn:
            return "Tài liệu đã bị thu hồi; không thể xem xét hay phê duyệt."
        if getattr(user, "pk", None) in preparer_ids(workflow_state, revision):
            return (
                f"Bạn là người soạn thảo bản này; người soạn thảo không được tự "
                f"{self.rule.role_label} (tách bạch trách nhiệm theo ISO 9001)."
            )
        checker = getattr(access, self.rule.check)
        if not checker(user, document):
            return (
                f"Bạn không có vai trò {self.rule.role_label} của “{document.unit.name}” "
                f"trong hệ thống quản lý chất lượng của đơn vị này."
            )
        return None

    def _state_for(self, obj):
        state = obj.current_workflow_state
        if state is None or state.current_task_state is None:
            return None, None
        if state.current_task_state.task_id != self.pk:
            return state, None
        return state, state.current_task_state

    def user_may_act(self, obj, user) -> bool:
        workflow_state, task_state = self._state_for(obj)
        if task_state is None:
            return False
        document = document_for_state(workflow_state)
        return (
            self.refusal_reason(document, user, workflow_state, task_state.revision) is None
            and self.refusal_reason(obj, user, workflow_state, task_state.revision) is None
        )

    # -- Wagtail's task interface --

    def get_actions(self, obj, user):
        if not self.user_may_act(obj, user):
            return []
        return [
            ("reject", self.rule.reject_label, True),
            ("approve", self.rule.approve_label, True),
        ]

    def get_form_for_action(self, action):
        return RejectForm if action == "reject" else CommentForm

    def user_can_access_editor(self, obj, user):
        # Reviewers and approvers open the editor to read the draft and act; they do not edit.
        return self.user_may_act(obj, user)

    def locked_for_user(self, obj, user):
        return not access.can_edit_document(user, obj)

    def user_can_lock(self, obj, user):
        return False

    def user_can_unlock(self, obj, user):
        return False

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from documents.models import ControlledDocument

        states = list(
            self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).select_related(
                "workflow_state", "revision"
            )
        )
        ids = {int(state.workflow_state.object_id) for state in states}
        documents = ControlledDocument.objects.select_related("unit").in_bulk(ids)
        allowed = [
            state.pk
            for state in states
            if (document := documents.get(int(state.workflow_state.object_id))) is not None
            and self.refusal_reason(document, user, state.workflow_state, state.revision) is None
        ]
        return TaskState.objects.filter(pk__in=allowed)

    def on_action(self, task_state, user, action_name, **kwargs):
        return act_on_task_state(self, task_state, user, action_name, **kwargs)


class DocumentReviewTask(DocumentTask):
    """Step 1: xem xét (review) by a reviewer of the document's unit."""

    rule = StepRule(
        role_label="người xem xét",
        check="can_review_document",
        approve_label="Đồng ý (đã xem xét)",
        reject_label="Yêu cầu sửa đổi",
    )

    class Meta:
        verbose_name = _("bước xem xét tài liệu")
        verbose_name_plural = _("bước xem xét tài liệu")

    @classmethod
    def get_description(cls):
        return _("Người xem xét của đơn vị ban hành kiểm tra bản thảo.")


class DocumentApprovalTask(DocumentTask):
    """Step 2: phê duyệt (approval) by the unit head, signed with their password."""

    rule = StepRule(
        role_label="người phê duyệt",
        check="can_approve_document",
        approve_label="Phê duyệt ban hành",
        reject_label="Yêu cầu sửa đổi",
    )

    class Meta:
        verbose_name = _("bước phê duyệt tài liệu")
        verbose_name_plural = _("bước phê duyệt tài liệu")

    @classmethod
    def get_description(cls):
        return _("Lãnh đạo đơn vị phê duyệt ban hành, ký bằng mật khẩu.")

    def get_form_for_action(self, action):
        return ApprovalForm if action == "approve" else RejectForm


# --- Performing actions ---------------------------------------------------------------------


@dataclass
class PendingApproval:
    """What the approver signed, handed to the finishing action inside the same transaction."""

    signature: ApprovalSignature
    effective_from: datetime.date
    reviewed_by_id: int | None
    reviewed_at: datetime.datetime | None


# Set only while an approval runs: Wagtail calls the finishing action with (workflow_state, user)
# and nothing else, so the signature travels beside the call. A finish without it is refused.
pending_approval: contextvars.ContextVar[PendingApproval | None] = contextvars.ContextVar(
    "pending_approval", default=None
)


def file_sha256(field_file) -> str:
    """SHA-256 of the stored file itself (not a copied value), read in chunks."""
    digest = hashlib.sha256()
    with field_file.storage.open(field_file.name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _lock_document(document_id):
    """Lock the QMS root unit, then the document (always in that order: no deadlock).

    The root lock serialises issuing inside one QMS, so the check "is this code already issued
    here" cannot race with another approval; the document lock serialises actions on it.
    """
    from documents.models import ControlledDocument
    from qms.models import OrgUnit

    root_id = ControlledDocument.objects.values_list("qms_root_id", flat=True).get(pk=document_id)
    OrgUnit.objects.select_for_update().filter(pk=root_id).first()
    return ControlledDocument.objects.select_for_update().select_related("unit").get(pk=document_id)


def _review_of(workflow_state, revision):
    review = (
        TaskState.objects.filter(
            workflow_state=workflow_state,
            status=TaskState.STATUS_APPROVED,
            revision=revision,
            task__in=DocumentReviewTask.objects.all(),
        )
        .order_by("-finished_at")
        .first()
    )
    return (review.finished_by_id, review.finished_at) if review else (None, None)


def recent_refused_signatures(user) -> int:
    """Wrong-password signatures by ``user`` within the lockout window.

    Counted from the log entries each refusal already writes, so the limit holds across every
    server process without a shared cache.
    """
    from wagtail.models import ModelLogEntry

    since = timezone.now() - SIGNATURE_LOCKOUT
    return ModelLogEntry.objects.filter(
        user=user, action="documents.sign_refused", timestamp__gte=since
    ).count()


def act_on_task_state(
    task,
    task_state,
    user,
    action_name,
    *,
    comment="",
    password=None,
    effective_from=None,
    **_ignored,
):
    """Approve or reject ``task_state`` as ``user``; raises WorkflowRefused / WorkflowConflict."""
    if action_name not in {"approve", "reject"}:
        raise WorkflowRefused("Thao tác không hợp lệ.")
    comment = (comment or "").strip()
    if action_name == "reject" and not comment:
        raise WorkflowRefused("Cần ghi nội dung yêu cầu sửa để trả lại người soạn thảo.")
    signing = isinstance(task, DocumentApprovalTask) and action_name == "approve"
    workflow_state = task_state.workflow_state
    document = document_for_state(workflow_state)
    # Refuse before looking at the password, so it is never tested for someone who may not sign.
    reason = task.refusal_reason(document, user, workflow_state, task_state.revision)
    if reason:
        raise WorkflowRefused(reason)
    if signing:
        if isinstance(effective_from, str):
            effective_from = datetime.date.fromisoformat(effective_from)
        effective_from = effective_from or timezone.localdate()
        if effective_from < timezone.localdate():
            raise WorkflowConflict("Ngày có hiệu lực không được trước hôm nay.")
        if recent_refused_signatures(user) >= SIGNATURE_MAX_FAILURES:
            raise WorkflowRefused(
                f"Đã nhập sai mật khẩu {SIGNATURE_MAX_FAILURES} lần trong "
                f"{SIGNATURE_LOCKOUT.seconds // 60} phút: tạm thời không thể ký duyệt, "
                "hãy thử lại sau."
            )
        if not password or not user.check_password(password):
            # A refused signature is part of the record too (who tried to sign, and when).
            log(
                instance=document,
                action="documents.sign_refused",
                user=user,
                revision=task_state.revision,
                data={"reason": "wrong_password"},
            )
            raise WorkflowRefused("Mật khẩu không đúng: chưa phê duyệt, chưa ký.")
    try:
        with transaction.atomic():
            document = _lock_document(document.pk)
            fresh = TaskState.objects.select_related("workflow_state", "revision").get(
                pk=task_state.pk
            )
            if (
                fresh.status != TaskState.STATUS_IN_PROGRESS
                or fresh.workflow_state.status != WorkflowState.STATUS_IN_PROGRESS
                or fresh.workflow_state.current_task_state_id != fresh.pk
            ):
                raise WorkflowConflict(
                    "Bước này đã được xử lý hoặc quy trình đã thay đổi; hãy tải lại trang."
                )
            reason = task.refusal_reason(document, user, fresh.workflow_state, fresh.revision)
            if reason:
                raise WorkflowRefused(reason)
            fresh = fresh.specific
            if action_name == "reject":
                fresh.reject(user=user, comment=comment)
                return None
            if not signing:
                fresh.approve(user=user, comment=comment)
                return None
            signature = _sign(document, fresh, user, comment)
            reviewed_by_id, reviewed_at = _review_of(fresh.workflow_state, fresh.revision)
            token = pending_approval.set(
                PendingApproval(signature, effective_from, reviewed_by_id, reviewed_at)
            )
            try:
                fresh.approve(user=user, comment=comment)
            finally:
                pending_approval.reset(token)
    except IntegrityError as exc:
        # The (qms_root, code) and one-current-revision constraints: another approval won.
        raise WorkflowConflict(
            "Không thể ban hành: mã tài liệu đã được dùng hoặc tài liệu vừa được ban hành "
            "bởi một thao tác khác."
        ) from exc
    return None


def _sign(document, task_state, user, comment: str) -> ApprovalSignature:
    approved = task_state.revision.as_object()
    if not approved.file:
        raise WorkflowConflict("Bản thảo chưa có tệp tài liệu; không thể phê duyệt ban hành.")
    try:
        digest = file_sha256(approved.file)
    except FileNotFoundError as exc:
        raise WorkflowConflict("Không đọc được tệp của bản thảo; không thể phê duyệt.") from exc
    signature = ApprovalSignature.objects.create(
        document=document,
        revision=task_state.revision,
        signer=user,
        signer_name=user.get_full_name() or user.get_username(),
        meaning=SIGNATURE_MEANING,
        signed_at=timezone.now(),
        file_sha256=digest,
        comment=comment,
    )
    log(
        instance=document,
        action="documents.sign",
        user=user,
        revision=task_state.revision,
        data={
            "meaning": signature.meaning,
            "file_sha256": digest,
            "signature_id": signature.pk,
            "comment": comment,
        },
    )
    return signature


def submit_document(document, user):
    """Send the document's latest draft into the workflow (or back into it after a rejection)."""
    if document.is_withdrawn:
        raise WorkflowConflict("Tài liệu đã bị thu hồi; không thể gửi xem xét.")
    if not access.can_edit_document(user, document):
        raise WorkflowRefused(
            f"Chỉ người soạn thảo hoặc thư ký ISO của “{document.unit.name}” được gửi xem xét."
        )
    workflow = document.get_workflow()
    if workflow is None:
        raise WorkflowConflict("Chưa cấu hình quy trình kiểm soát tài liệu.")
    with transaction.atomic():
        document = _lock_document(document.pk)
        state = document.current_workflow_state
        if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
            raise WorkflowConflict("Tài liệu đang trong quy trình xem xét, phê duyệt.")
        if document.latest_revision is None:
            document.save_revision(user=user)
        if not document.has_unpublished_changes and document.live:
            raise WorkflowConflict("Không có bản thảo mới để gửi xem xét.")
        if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(user)
            return state
        return workflow.start(document, user)


def act_on_document(document, user, action_name: str, **data):
    """The API's entry: act on the step the document is at, with the same rules as the admin."""
    if document.is_withdrawn:
        raise WorkflowConflict("Tài liệu đã bị thu hồi; không thể xem xét hay phê duyệt.")
    state = document.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS:
        raise WorkflowConflict("Tài liệu không ở bước xem xét hay phê duyệt nào.")
    task_state = state.current_task_state
    task = task_state.task.specific if task_state else None
    if not isinstance(task, DocumentTask):
        raise WorkflowConflict("Tài liệu không ở bước xem xét hay phê duyệt nào.")
    # At the review step a password, if sent, is simply unused: only the approval is signed.
    return task.on_action(task_state, user, action_name, **data)


# E-mail notifications listen to the workflow signals (imported here so they are always wired).
from documents import notifications  # noqa: E402, F401
