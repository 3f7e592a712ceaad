"""Overdue actions: detection and the escalation e-mail of qms_daily, with a fixed clock."""

from __future__ import annotations

import datetime

from django.core import mail

from audits import workflow
from audits.daily import escalate_overdue_actions, overdue_actions_job
from audits.models import CorrectiveAction
from tests.audit_support import *  # noqa: F403  (the fixtures)
from tests.audit_support import TODAY, plan

DUE = datetime.date(2012, 11, 15)


def test_an_action_is_overdue_only_after_its_due_date_and_while_not_implemented(users, ls_finding):
    action = plan(users, ls_finding, due=DUE)
    assert list(CorrectiveAction.objects.overdue(DUE)) == []
    assert list(CorrectiveAction.objects.overdue(DUE + datetime.timedelta(days=1))) == [action]
    workflow.mark_implemented(user=users.staff_luongson, action=action, evidence="Xong.")
    assert list(CorrectiveAction.objects.overdue(datetime.date(2013, 1, 1))) == []


def test_overdue_actions_are_escalated_to_the_owner_and_the_unit_head_once_a_day(
    org, users, ls_finding
):
    overdue = plan(users, ls_finding, due=DUE)
    workflow.plan_action(
        user=users.approver_luongson,
        unit=org.luongson,
        potential_problem="Máy chủ lưu hồ sơ sắp hết dung lượng.",
        action_plan="Mua ổ cứng dự phòng.",
        owner=users.staff_luongson,
        due_date=datetime.date(2012, 12, 31),
        today=TODAY,
    )
    day = datetime.date(2012, 11, 20)

    sent = escalate_overdue_actions(day)

    assert [(e.action_id, e.days_overdue) for e in sent] == [(overdue.pk, 5)]
    assert sent[0].recipients == ["approver.luongson@example.vn", "staff.luongson@example.vn"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "quá hạn 5 ngày" in message.subject
    assert "Phòng GD&ĐT Lương Sơn" in message.subject
    assert "15/11/2012" in message.body
    assert "Lập danh sách phân phối" in message.body
    assert f"/danh-gia/hanh-dong/#hanh-dong-{overdue.pk}" in message.body

    assert escalate_overdue_actions(day) == [], "a rerun on the same day sends nothing"
    assert len(escalate_overdue_actions(day + datetime.timedelta(days=1))) == 1
    assert len(mail.outbox) == 2


def test_nothing_is_sent_when_no_action_is_overdue(users, ls_finding):
    plan(users, ls_finding, due=DUE)
    assert escalate_overdue_actions(DUE) == []
    assert mail.outbox == []


def test_the_daily_job_reports_what_it_sent_in_one_line(users, ls_finding):
    action = plan(users, ls_finding, due=DUE)
    assert "không có" in overdue_actions_job(DUE)
    line = overdue_actions_job(DUE + datetime.timedelta(days=3))
    assert line == (
        f"#{action.pk} quá hạn 3 ngày → approver.luongson@example.vn, staff.luongson@example.vn"
    )


def test_the_unit_head_is_told_of_a_new_nonconformity_after_the_commit(
    org, users, ls_audit, django_capture_on_commit_callbacks
):
    from audits.models import FindingKind

    with django_capture_on_commit_callbacks(execute=True):
        finding = workflow.log_finding(
            user=users.auditor_sgd,
            audit=ls_audit,
            unit=org.luongson,
            kind=FindingKind.MAJOR,
            description="Không có hồ sơ xem xét của lãnh đạo năm 2011.",
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["approver.luongson@example.vn"]
    assert f"/finding/{finding.pk}/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        workflow.log_finding(
            user=users.auditor_sgd,
            audit=ls_audit,
            unit=org.luongson,
            kind=FindingKind.OFI,
            description="Có thể số hóa sổ công văn.",
        )
    assert len(mail.outbox) == 1, "observations and improvement ideas send no mail"
