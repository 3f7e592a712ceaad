"""The full cycle programme → audit → checklist → nonconformity → actions → closed, and every
illegal transition refused (8.2.2, 8.5.2, 8.5.3)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from audits import planning, workflow
from audits.errors import Refused, WrongState
from audits.models import (
    ActionKind,
    ActionStatus,
    ChecklistResult,
    CorrectiveAction,
    Finding,
    FindingKind,
    FindingStatus,
)
from tests.audit_support import *  # noqa: F403  (the fixtures)
from tests.audit_support import AUDIT_DAY, TODAY, clause, plan


def implement_and_verify(users, action):
    workflow.mark_implemented(
        user=users.staff_luongson, action=action, evidence="Đã lập danh sách phân phối."
    )
    return workflow.verify_action(user=users.auditor_sgd, action=action, comment="Đã kiểm tra.")


def test_the_full_cycle_from_programme_to_a_closed_nonconformity(org, users, ls_document):
    programme = planning.create_programme(
        user=users.qm_sgd, qms_root=org.luongson, year=2012, scope="Toàn bộ HTQLCL"
    )
    planning.add_planned_audit(
        user=users.qm_sgd,
        programme=programme,
        month=10,
        units=[org.luongson],
        clauses=[clause("4.2.3")],
        documents=[ls_document],
    )
    planning.approve_programme(user=users.qm_sgd, programme=programme)
    audit = planning.create_audit(
        user=users.auditor_sgd,
        qms_root=org.luongson,
        programme=programme,
        title="Đánh giá Lương Sơn",
        units=[org.luongson],
        start_date=AUDIT_DAY,
        end_date=AUDIT_DAY,
        lead_auditor=users.auditor_sgd,
        clauses=[clause("4.2.3")],
        documents=[ls_document],
    )
    planning.start_audit(user=users.auditor_sgd, audit=audit)

    items = planning.generate_checklist(user=users.auditor_sgd, audit=audit)
    assert len(items) == 2
    assert planning.generate_checklist(user=users.auditor_sgd, audit=audit) == []
    doc_item = next(item for item in items if item.revision_id)
    assert "QT-LS-01" in doc_item.question and "lần ban hành 01" in doc_item.question
    with pytest.raises(ValidationError):
        planning.record_checklist_result(
            user=users.auditor_sgd, item=doc_item, result=ChecklistResult.NONCONFORMING
        )
    planning.record_checklist_result(
        user=users.auditor_sgd,
        item=doc_item,
        result=ChecklistResult.NONCONFORMING,
        evidence="Bản photo không có dấu kiểm soát.",
    )

    finding = workflow.log_finding(
        user=users.auditor_sgd,
        audit=audit,
        unit=org.luongson,
        kind=FindingKind.MAJOR,
        clause=clause("4.2.3"),
        revision=doc_item.revision,
        checklist_item=doc_item,
        description="Tài liệu lỗi thời đang được sử dụng.",
    )
    assert finding in Finding.objects.open()
    workflow.acknowledge_finding(
        user=users.approver_luongson, finding=finding, comment="Đơn vị thống nhất."
    )

    first = plan(users, finding)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ACTION_PLANNED
    assert first.why_chain[0] == "Bản in cũ còn lưu"
    implement_and_verify(users, first)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.VERIFIED

    workflow.check_effectiveness(
        user=users.auditor_sgd,
        action=first,
        effective=False,
        comment="Tháng 12 vẫn phát hiện bản cũ.",
        on=datetime.date(2012, 12, 20),
    )
    finding.refresh_from_db()
    first.refresh_from_db()
    assert first.status == ActionStatus.NOT_EFFECTIVE
    assert finding.status == FindingStatus.REOPENED
    reopened = finding.history.filter(status=FindingStatus.REOPENED).get()
    assert "không có hiệu lực" in reopened.history_change_reason

    second = plan(users, finding, due=datetime.date(2013, 1, 31))
    implement_and_verify(users, second)
    workflow.check_effectiveness(user=users.auditor_sgd, action=second, effective=True)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED
    assert finding.closed_by == users.auditor_sgd
    assert finding not in Finding.objects.open()
    assert list(finding.actions.order_by("pk")) == [first, second]

    planning.complete_audit(user=users.auditor_sgd, audit=audit, conclusions="Cơ bản phù hợp.")
    with pytest.raises(WrongState):
        planning.record_checklist_result(
            user=users.auditor_sgd, item=doc_item, result=ChecklistResult.CONFORMING
        )


def test_closing_a_nonconformity_without_verification_is_refused(users, ls_finding):
    with pytest.raises(WrongState) as refusal:
        workflow.close_finding(user=users.auditor_sgd, finding=ls_finding)
    assert "chưa được xác nhận" in refusal.value.messages[0]
    action = plan(users, ls_finding)
    workflow.mark_implemented(user=users.staff_luongson, action=action, evidence="Xong.")
    with pytest.raises(WrongState):
        workflow.close_finding(user=users.auditor_sgd, finding=ls_finding)


def test_verifying_ones_own_action_is_refused(org, users):
    action = workflow.plan_action(
        user=users.approver_luongson,
        unit=org.luongson,
        potential_problem="Nguy cơ thất lạc hồ sơ khi chuyển kho lưu trữ.",
        action_plan="Lập danh mục hồ sơ trước khi chuyển.",
        owner=users.approver_luongson,
        due_date=TODAY,
        today=TODAY,
    )
    assert action.kind == ActionKind.PREVENTIVE and action.finding is None
    workflow.mark_implemented(
        user=users.approver_luongson, action=action, evidence="Đã lập danh mục."
    )
    with pytest.raises(Refused) as refusal:
        workflow.verify_action(user=users.approver_luongson, action=action)
    assert "chính mình" in refusal.value.messages[0]
    workflow.verify_action(user=users.auditor_sgd, action=action)
    workflow.check_effectiveness(user=users.auditor_sgd, action=action, effective=True)
    action.refresh_from_db()
    assert action.status == ActionStatus.EFFECTIVE


def test_the_unit_head_cannot_verify_and_staff_cannot_plan(users, ls_finding):
    with pytest.raises(Refused):
        workflow.plan_action(
            user=users.staff_luongson,
            finding=ls_finding,
            action_plan="Tự lập.",
            owner=users.staff_luongson,
            due_date=TODAY,
            today=TODAY,
        )
    action = plan(users, ls_finding)
    workflow.mark_implemented(user=users.staff_luongson, action=action, evidence="Xong.")
    with pytest.raises(Refused):
        workflow.verify_action(user=users.approver_luongson, action=action)
    with pytest.raises(Refused):
        workflow.mark_implemented(user=users.staff_kimboi, action=action, evidence="x")


def test_each_out_of_order_transition_is_refused(users, ls_finding):
    action = plan(users, ls_finding)
    with pytest.raises(WrongState):
        plan(users, ls_finding)  # one action in progress at a time
    with pytest.raises(WrongState):
        workflow.verify_action(user=users.auditor_sgd, action=action)
    with pytest.raises(WrongState):
        workflow.check_effectiveness(user=users.auditor_sgd, action=action, effective=True)
    with pytest.raises(WrongState):
        workflow.reopen_finding(user=users.auditor_sgd, finding=ls_finding, reason="Thử.")
    workflow.mark_implemented(user=users.staff_luongson, action=action, evidence="Xong.")
    with pytest.raises(WrongState):
        workflow.mark_implemented(user=users.staff_luongson, action=action, evidence="Lần 2.")
    workflow.verify_action(user=users.auditor_sgd, action=action)
    with pytest.raises(ValidationError):
        workflow.check_effectiveness(user=users.auditor_sgd, action=action, effective=False)


def test_a_closed_finding_cannot_be_edited_silently_only_reopened(users, ls_finding):
    action = plan(users, ls_finding)
    implement_and_verify(users, action)
    workflow.check_effectiveness(user=users.auditor_sgd, action=action, effective=True)
    finding = Finding.objects.get(pk=ls_finding.pk)
    finding.description = "Sửa lén sau khi đóng."
    with pytest.raises(ValidationError) as refusal:
        finding.save()
    assert "mở lại" in refusal.value.messages[0]
    with pytest.raises(WrongState):
        workflow.acknowledge_finding(user=users.approver_luongson, finding=finding)
    with pytest.raises(Refused):
        workflow.reopen_finding(user=users.approver_luongson, finding=finding, reason="Muốn sửa.")
    with pytest.raises(ValidationError):
        workflow.reopen_finding(user=users.auditor_sgd, finding=finding, reason=" ")
    workflow.reopen_finding(
        user=users.auditor_sgd, finding=finding, reason="Tái diễn khi kiểm tra tháng 3/2013."
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REOPENED and finding.closed_at is None
    assert finding.history.first().history_change_reason.startswith("Mở lại")


def test_observations_need_no_action_and_close_directly(org, users, ls_audit):
    observation = workflow.log_finding(
        user=users.auditor_sgd,
        audit=ls_audit,
        unit=org.luongson,
        kind=FindingKind.OBSERVATION,
        description="Nên số hóa sổ theo dõi công văn.",
    )
    with pytest.raises(ValidationError):
        plan(users, observation)
    workflow.close_finding(user=users.auditor_sgd, finding=observation)
    assert Finding.objects.get(pk=observation.pk).status == FindingStatus.CLOSED


def test_a_corrective_action_needs_a_finding_and_a_preventive_one_none(org, users, ls_finding):
    action = plan(users, ls_finding)
    action.finding = None
    with pytest.raises(ValidationError):
        action.validate_constraints()
    with pytest.raises(ValidationError):
        workflow.plan_action(
            user=users.approver_luongson,
            unit=org.luongson,
            potential_problem="",
            action_plan="x",
            owner=users.staff_luongson,
            due_date=TODAY,
            today=TODAY,
        )


def test_bad_action_input_is_refused_with_a_clear_message(users, ls_finding):
    with pytest.raises(ValidationError) as error:
        plan(users, ls_finding, due=TODAY - datetime.timedelta(days=1))
    assert "Hạn hoàn thành" in str(error.value)
    with pytest.raises(ValidationError) as error:
        plan(users, ls_finding, owner=users.staff_kimboi)
    assert "cán bộ của Phòng GD&ĐT Lương Sơn" in str(error.value)
    assert not CorrectiveAction.objects.exists()


def test_history_is_recorded_for_audit_models(users, ls_finding, ls_audit):
    action = plan(users, ls_finding)
    workflow.mark_implemented(user=users.staff_luongson, action=action, evidence="Xong.")
    assert action.history.count() == 2
    audit_statuses = set(ls_audit.history.values_list("status", flat=True))
    assert audit_statuses == {"planned", "in_progress"}
    assert ls_audit.members.get().history.exists()
    statuses = list(ls_finding.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == [FindingStatus.OPEN, FindingStatus.ACTION_PLANNED, FindingStatus.IMPLEMENTED]
