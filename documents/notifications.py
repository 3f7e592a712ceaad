"""E-mail to the people who must act on a document (Vietnamese, plain text, with a link).

* a workflow step starts → the reviewers (or approvers) of the document's unit, but never the
  person who prepared the revision;
* a step asks for changes → the author, with the comment;
* a revision is issued → the author.

Mail is sent after the transaction commits, so a rolled-back action never announces anything.
A failing mail server is logged and does not undo the approval.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_rejected

from qms import access
from qms.models import Role

logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def edit_link(document_id: int) -> str:
    return _absolute(
        reverse("wagtailsnippets_documents_controlleddocument:edit", args=[document_id])
    )


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _send(recipients, subject: str, template: str, context: dict) -> int:
    sent = 0
    for user in recipients:
        if not user.email:
            continue
        body = render_to_string(template, {**context, "recipient_name": _name(user)})
        try:
            sent += send_mail(subject, body, None, [user.email])
        except Exception:  # a mail server problem must not break document control
            logger.exception("Could not send '%s' to %s", subject, user.email)
    return sent


def step_started(task_state_id: int) -> int:
    """Tell the reviewers / approvers of the unit that a document waits for them."""
    from documents.workflow import DocumentApprovalTask, document_for_state, preparer_ids

    state = TaskState.objects.select_related("workflow_state", "revision").get(pk=task_state_id)
    task = state.task.specific
    approving = isinstance(task, DocumentApprovalTask)
    document = document_for_state(state.workflow_state)
    role = Role.APPROVER if approving else Role.REVIEWER
    excluded = preparer_ids(state.workflow_state, state.revision)
    recipients = access.users_with_role_at(document.unit_id, [role]).exclude(pk__in=excluded)
    step_label = "phê duyệt ban hành" if approving else "xem xét"
    return _send(
        recipients,
        f"[ISO] Chờ {step_label}: {document.code} — {document.title}",
        "documents/email/step_started.txt",
        {
            "document": document,
            "step_label": step_label,
            "submitted_by": _name(state.workflow_state.requested_by),
            "link": edit_link(document.pk),
            "dashboard_link": _absolute(reverse("wagtailadmin_home")),
        },
    )


def changes_requested(workflow_state_id: int) -> int:
    """Tell the author their draft came back, with the comment."""
    from documents.workflow import document_for_state

    state = WorkflowState.objects.select_related(
        "requested_by", "current_task_state__finished_by", "current_task_state__task"
    ).get(pk=workflow_state_id)
    task_state = state.current_task_state
    document = document_for_state(state)
    author = state.requested_by
    if author is None or task_state is None:
        return 0
    return _send(
        [author],
        f"[ISO] Yêu cầu sửa đổi: {document.code} — {document.title}",
        "documents/email/rejected.txt",
        {
            "document": document,
            "step_name": task_state.task.name,
            "rejected_by": _name(task_state.finished_by),
            "comment": task_state.comment,
            "link": edit_link(document.pk),
        },
    )


def revision_issued(issued_revision_id: int) -> int:
    """Tell the author their revision was approved and when it applies."""
    from documents.models import IssuedRevision

    issued = IssuedRevision.objects.select_related("prepared_by").get(pk=issued_revision_id)
    if issued.prepared_by is None:
        return 0
    return _send(
        [issued.prepared_by],
        f"[ISO] Đã phê duyệt ban hành: {issued.code} — lần {issued.number_label}",
        "documents/email/issued.txt",
        {"issued": issued, "link": edit_link(issued.document_id)},
    )


@receiver(task_submitted, dispatch_uid="documents_step_started_mail")
def _on_task_submitted(sender, instance, user=None, **kwargs):
    from documents.workflow import DocumentTask

    if isinstance(instance.task.specific, DocumentTask):
        task_state_id = instance.pk
        transaction.on_commit(lambda: step_started(task_state_id))


@receiver(workflow_rejected, dispatch_uid="documents_changes_requested_mail")
def _on_workflow_rejected(sender, instance, user=None, **kwargs):
    from documents.workflow import DocumentTask

    task_state = instance.current_task_state
    if task_state is not None and isinstance(task_state.task.specific, DocumentTask):
        workflow_state_id = instance.pk
        transaction.on_commit(lambda: changes_requested(workflow_state_id))
