"""State changes of controlled documents that touch several rows: one function each.

Every function here runs its own transaction and locks the document row first
(``select_for_update``), so two approvers clicking at once are serialised by the database; the
partial unique constraints on ``IssuedRevision`` are the last line of defence.

Register rows change only here, through ``IssuedRevision.save(update_fields=...)``: the model
refuses any change but status, ``effective_to`` and the withdrawal reason, and django-simple-history
records each change (a ``QuerySet.update`` would bypass both, so none is used on the register).
Side effects (search index, e-mail) run after commit, never for a rolled-back change.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from documents.models import ControlledDocument, IssuedRevision
from qms.models import nfc


def _next_number(document: ControlledDocument) -> int:
    top = document.issued_revisions.aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _schedule_index(document_id: int) -> None:
    from search.indexing import schedule_document

    transaction.on_commit(lambda: schedule_document(document_id))


def issue_revision(
    *,
    document: ControlledDocument,
    effective_from: datetime.date | None = None,
    approved_by=None,
    approved_by_name: str = "",
    approved_at: datetime.datetime | None = None,
    prepared_by=None,
    reviewed_by=None,
    reviewed_at: datetime.datetime | None = None,
    source_revision=None,
    number: int | None = None,
    signature_meaning: str = "",
    issued_outside_system: bool = False,
    signature=None,
) -> IssuedRevision:
    """Record the document's working copy as its next issued revision (lần ban hành).

    With an effective date today or earlier the revision is current at once and the previous
    current revision is superseded (its ``effective_to`` = the new ``effective_from``) in the same
    transaction; with a later date it is recorded as approved, not yet in force, and
    ``bring_into_force`` switches it over on that date. An earlier approved revision that had not
    yet come into force is made obsolete: it is replaced before it ever applied.
    """
    today = timezone.localdate()
    effective_from = effective_from or today
    approved_at = approved_at or timezone.now()
    with transaction.atomic():
        locked = ControlledDocument.objects.select_for_update().get(pk=document.pk)
        number = number or _next_number(locked)
        for waiting in IssuedRevision.objects.filter(
            document=locked, status=IssuedRevision.Status.UPCOMING
        ):
            waiting.status = IssuedRevision.Status.OBSOLETE
            waiting.effective_to = waiting.effective_from
            waiting.withdrawal_reason = (
                f"Được thay bằng lần ban hành {number:02d} trước ngày có hiệu lực."
            )
            waiting.save(update_fields=["status", "effective_to", "withdrawal_reason"])
        revision = IssuedRevision.objects.create(
            document=locked,
            number=number,
            status=IssuedRevision.Status.UPCOMING,
            source_revision=source_revision,
            code=document.code,
            title=document.title,
            change_summary=document.change_summary,
            file=document.file.name if document.file else "",
            file_name=document.file_name,
            file_sha256=document.file_sha256,
            file_size=document.file_size,
            page_count=document.page_count,
            text=document.text,
            extraction_status=document.extraction_status,
            prepared_by=prepared_by,
            reviewed_by=reviewed_by,
            reviewed_at=reviewed_at,
            approved_by=approved_by,
            approved_by_name=approved_by_name
            or (approved_by.get_full_name() or approved_by.get_username() if approved_by else ""),
            approved_at=approved_at,
            signature_meaning=signature_meaning,
            issued_outside_system=issued_outside_system,
            effective_from=effective_from,
            signature=signature,
        )
        if effective_from <= today:
            _make_current(locked, revision)
        _schedule_index(locked.pk)
    return revision


def _make_current(document: ControlledDocument, revision: IssuedRevision) -> None:
    previous = IssuedRevision.objects.filter(
        document=document, status=IssuedRevision.Status.CURRENT
    ).first()
    if previous is not None:
        previous.status = IssuedRevision.Status.SUPERSEDED
        previous.effective_to = max(revision.effective_from, previous.effective_from)
        previous.save(update_fields=["status", "effective_to"])
    revision.status = IssuedRevision.Status.CURRENT
    revision.save(update_fields=["status"])
    # In the same transaction: a revision is never in force without its read requests (4.2.3 d).
    from documents.distribution import open_acknowledgements

    open_acknowledgements(revision)


def bring_into_force(today: datetime.date | None = None) -> list[IssuedRevision]:
    """Make every approved revision whose effective date has come the current one."""
    today = today or timezone.localdate()
    switched = []
    due = IssuedRevision.objects.filter(
        status=IssuedRevision.Status.UPCOMING, effective_from__lte=today
    ).values_list("pk", "document_id")
    for pk, document_id in list(due):
        with transaction.atomic():
            # Document first, then the register row: the same order as an approval, so the
            # daily run and an approver at the same moment cannot deadlock.
            document = ControlledDocument.objects.select_for_update().get(pk=document_id)
            revision = IssuedRevision.objects.select_for_update().get(pk=pk)
            if revision.status != IssuedRevision.Status.UPCOMING:
                continue
            _make_current(document, revision)
            _schedule_index(document.pk)
            switched.append(revision)
    return switched


def _go_live_at(day: datetime.date) -> datetime.datetime | None:
    """Wagtail's scheduled publishing time for an effective date: that day's first moment."""
    if day <= timezone.localdate():
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _check_code_free(document: ControlledDocument) -> None:
    from documents.workflow import WorkflowConflict

    clash = (
        ControlledDocument.objects.filter(qms_root_id=document.qms_root_id, code=document.code)
        .exclude(pk=document.pk)
        .exists()
    ) or (
        IssuedRevision.objects.filter(
            document__qms_root_id=document.qms_root_id,
            code=document.code,
            status__in=[IssuedRevision.Status.CURRENT, IssuedRevision.Status.UPCOMING],
        )
        .exclude(document=document)
        .exists()
    )
    if clash:
        raise WorkflowConflict(
            f"Không thể ban hành: mã “{document.code}” đã được dùng cho tài liệu khác "
            f"trong hệ thống quản lý chất lượng này."
        )


def finish_workflow_approval(workflow_state, user=None) -> IssuedRevision:
    """Wagtail's finishing action for "Kiểm soát tài liệu": publish and register, one transaction.

    Runs inside the final approval (``documents.workflow``), which has locked the QMS root and the
    document and verified the approver's signature. Publishes the approved revision (scheduled
    through ``go_live_at`` when the effective date is later), records it in the register with the
    signature, and after commit refreshes the search index and tells the author.
    """
    from wagtail.actions.publish_revision import PublishRevisionAction

    from documents.workflow import WorkflowConflict, WorkflowRefused, pending_approval

    pending = pending_approval.get()
    if pending is None:
        # Only a signed approval issues a document (4.2.3 a): no other path may finish it.
        raise WorkflowRefused("Chỉ phê duyệt có chữ ký điện tử mới ban hành được tài liệu.")
    document = ControlledDocument.objects.select_for_update().get(pk=workflow_state.object_id)
    revision = document.get_latest_revision()
    if revision is None or revision.pk != pending.signature.revision_id:
        raise WorkflowConflict("Bản thảo đã thay đổi sau khi ký; cần xem xét, phê duyệt lại.")
    approved = revision.as_object()
    _check_code_free(approved)

    action = PublishRevisionAction(revision, user=user)
    action.object.go_live_at = _go_live_at(pending.effective_from)
    action.object.expire_at = None
    action.execute(skip_permission_checks=True)

    approved.file_sha256 = pending.signature.file_sha256
    issued = issue_revision(
        document=approved,
        effective_from=pending.effective_from,
        approved_by=user,
        approved_at=pending.signature.signed_at,
        prepared_by=workflow_state.requested_by,
        reviewed_by=_user(pending.reviewed_by_id),
        reviewed_at=pending.reviewed_at,
        source_revision=revision,
        signature_meaning=pending.signature.meaning,
        signature=pending.signature,
    )
    from documents import notifications

    transaction.on_commit(lambda: notifications.revision_issued(issued.pk))
    return issued


def _user(user_id):
    if user_id is None:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=user_id).first()


def withdraw_document(*, document: ControlledDocument, user, reason: str) -> ControlledDocument:
    """Withdraw (thu hồi) a document: it stops being offered as current (4.2.3 g).

    Its current (and any approved, not yet in force) revision becomes obsolete from today, the
    document is unpublished, a workflow in progress is cancelled and scheduled publishing is
    cleared. The reason and the person are kept on the document and in its history.
    """
    from wagtail.actions.unpublish import UnpublishAction
    from wagtail.log_actions import log

    from documents.workflow import WorkflowConflict, WorkflowRefused, _lock_document
    from qms import access

    reason = nfc((reason or "").strip())
    if not reason:
        raise WorkflowRefused("Cần ghi lý do thu hồi tài liệu.")
    today = timezone.localdate()
    with transaction.atomic():
        locked = _lock_document(document.pk)
        if not access.can_withdraw_document(user, locked):
            raise WorkflowRefused(
                f"Chỉ thư ký ISO hoặc người phê duyệt của “{locked.unit.name}” được thu hồi "
                f"tài liệu này."
            )
        if locked.is_withdrawn:
            raise WorkflowConflict("Tài liệu đã bị thu hồi trước đó.")
        in_force = list(
            IssuedRevision.objects.filter(
                document=locked,
                status__in=[IssuedRevision.Status.CURRENT, IssuedRevision.Status.UPCOMING],
            )
        )
        if not in_force and not locked.live:
            raise WorkflowConflict("Tài liệu chưa được ban hành nên không có gì để thu hồi.")
        for revision in in_force:
            revision.effective_to = (
                max(today, revision.effective_from)
                if revision.status == IssuedRevision.Status.CURRENT
                else revision.effective_from
            )
            revision.status = IssuedRevision.Status.OBSOLETE
            revision.withdrawal_reason = reason
            revision.save(update_fields=["status", "effective_to", "withdrawal_reason"])
        state = locked.current_workflow_state
        if state is not None:
            state.cancel(user=user)
        locked.revisions.update(approved_go_live_at=None)
        if locked.live:
            UnpublishAction(locked, user=user).execute(skip_permission_checks=True)
        now = timezone.now()
        # Only these three columns: the unpublish above saved the row, and a full save of this
        # in-memory copy would write back whatever it still holds.
        ControlledDocument.objects.filter(pk=locked.pk).update(
            withdrawn_at=now, withdrawn_by=user, withdrawal_reason=reason
        )
        log(
            instance=locked,
            action="documents.withdraw",
            user=user,
            data={"reason": reason, "revisions": [r.number for r in in_force]},
        )
        _schedule_index(locked.pk)
    locked.refresh_from_db()
    return locked


def cancel_upcoming_revision(
    *, document: ControlledDocument, user, reason: str = ""
) -> IssuedRevision:
    """Cancel an approved revision before its effective date (it never comes into force).

    Wagtail locks a document while a revision is scheduled; cancelling clears the schedule, so
    the authors may draft again, and the register row becomes obsolete with the reason.
    """
    from wagtail.log_actions import log

    from documents.workflow import WorkflowConflict, WorkflowRefused, _lock_document
    from qms import access

    reason = nfc((reason or "").strip()) or "Hủy trước ngày có hiệu lực."
    with transaction.atomic():
        locked = _lock_document(document.pk)
        if not access.can_withdraw_document(user, locked):
            raise WorkflowRefused(
                f"Chỉ thư ký ISO hoặc người phê duyệt của “{locked.unit.name}” được hủy lịch "
                f"ban hành."
            )
        waiting = IssuedRevision.objects.filter(
            document=locked, status=IssuedRevision.Status.UPCOMING
        ).first()
        if waiting is None:
            raise WorkflowConflict("Không có lần ban hành nào đang chờ đến ngày hiệu lực.")
        waiting.status = IssuedRevision.Status.OBSOLETE
        waiting.effective_to = waiting.effective_from
        waiting.withdrawal_reason = reason
        waiting.save(update_fields=["status", "effective_to", "withdrawal_reason"])
        locked.revisions.update(approved_go_live_at=None)
        log(
            instance=locked,
            action="documents.cancel_upcoming",
            user=user,
            data={"reason": reason, "revision": waiting.number},
        )
        _schedule_index(locked.pk)
    return waiting
