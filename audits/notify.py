"""E-mails of the audit workflow that are sent as things happen (after the commit)."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from qms import access
from qms.models import Role

_muted = contextvars.ContextVar("audit_mail_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """No workflow e-mail for what happens inside: loading the demo data replays a 2013 audit,
    and its people must not be told today of findings that are years old."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _send_to_unit_heads(unit_id: int, subject: str, body: str) -> None:
    recipients = sorted(
        {user.email for user in access.users_with_role_at(unit_id, [Role.APPROVER]) if user.email}
    )
    if recipients:
        send_mail(subject, body, None, recipients)


def finding_logged(finding) -> None:
    """Tell the head of the unit that a nonconformity awaits their answer (after the commit, so
    a rolled-back finding never sends mail)."""
    if not finding.is_nonconformity or _muted.get():
        return
    subject = f"[ISO] {finding.get_kind_display()} #{finding.pk} — {finding.unit.name}"
    lines = [f"{finding.get_kind_display()} #{finding.pk} tại {finding.unit.name}"]
    if finding.clause:
        lines.append(f"Điều khoản: {finding.clause}")
    lines += [
        f"Nội dung: {finding.description}",
        "",
        "Đề nghị trưởng đơn vị xác nhận và lập hành động khắc phục trên hệ thống:",
        f"{settings.WAGTAILADMIN_BASE_URL}{reverse('audits_admin:finding', args=[finding.pk])}",
    ]
    body = "\n".join(lines)
    unit_id = finding.unit_id
    transaction.on_commit(lambda: _send_to_unit_heads(unit_id, subject, body))
