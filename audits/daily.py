"""Daily job of ``qms_daily``: escalate overdue corrective and preventive actions by e-mail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from audits.models import CorrectiveAction
from qms import access
from qms.models import Role


@dataclass
class Escalation:
    action_id: int
    recipients: list[str] = field(default_factory=list)
    days_overdue: int = 0


def _message(action: CorrectiveAction, today: datetime.date) -> tuple[str, str]:
    days = (today - action.due_date).days
    subject = (
        f"[ISO] {action.get_kind_display()} #{action.pk} của {action.unit.name} quá hạn {days} ngày"
    )
    lines = [
        f"{action.get_kind_display()} #{action.pk} — {action.unit.name}",
        f"Hạn hoàn thành: {action.due_date:%d/%m/%Y} (quá hạn {days} ngày)",
        f"Người chịu trách nhiệm: {action.owner.get_full_name() or action.owner.get_username()}",
        f"Kế hoạch hành động: {action.action_plan}",
    ]
    if action.finding_id:
        lines.append(
            f"Phát hiện: {action.finding.get_kind_display()} — {action.finding.description}"
        )
    lines += [
        "",
        "Đề nghị hoàn thành và báo cáo kết quả thực hiện trên hệ thống: "
        f"{settings.WAGTAILADMIN_BASE_URL}{reverse('audits:my_actions')}#hanh-dong-{action.pk}",
        "Thư này được gửi tự động theo TCVN ISO 9001:2008 (mục 8.5.2, 8.5.3).",
    ]
    return subject, "\n".join(lines)


def escalate_overdue_actions(today: datetime.date) -> list[Escalation]:
    """E-mail the owner and the unit head(s) of every action overdue on ``today``.

    Each action is escalated at most once a day (``last_escalated_on``), so re-running the daily
    job does not spam people. Returns what was sent.
    """
    sent: list[Escalation] = []
    overdue = (
        CorrectiveAction.objects.overdue(today)
        .exclude(last_escalated_on=today)
        .select_related("unit", "owner", "finding")
        .order_by("due_date", "pk")
    )
    for action in overdue:
        heads = access.users_with_role_at(action.unit_id, [Role.APPROVER])
        recipients = sorted(
            {user.email for user in [action.owner, *heads] if user.is_active and user.email}
        )
        if not recipients:
            continue
        subject, body = _message(action, today)
        send_mail(subject, body, None, recipients)
        with transaction.atomic():
            # update(), not save(): the reminder is bookkeeping, not a change of the action.
            CorrectiveAction.objects.filter(pk=action.pk).update(last_escalated_on=today)
        sent.append(
            Escalation(
                action_id=action.pk,
                recipients=recipients,
                days_overdue=(today - action.due_date).days,
            )
        )
    return sent


def overdue_actions_job(today: datetime.date) -> str:
    """The ``qms_daily`` job: escalate, then say what was sent in one line."""
    sent = escalate_overdue_actions(today)
    if not sent:
        return "không có hành động khắc phục, phòng ngừa nào quá hạn"
    return "; ".join(
        f"#{item.action_id} quá hạn {item.days_overdue} ngày → {', '.join(item.recipients)}"
        for item in sent
    )
