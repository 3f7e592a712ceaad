"""Audit rules: who plans, auditor independence, the team, visibility of findings (8.2.2)."""

from __future__ import annotations

import datetime

import pytest

from audits import planning, workflow
from audits.errors import Refused, WrongState
from audits.models import Audit, ChecklistResult, Finding, FindingKind
from qms import access
from tests.audit_support import *  # noqa: F403  (the fixtures)
from tests.audit_support import AUDIT_DAY, clause


def new_audit(user, root, units, lead, **extra):
    return planning.create_audit(
        user=user,
        qms_root=root,
        title="Đánh giá thử",
        units=units,
        start_date=AUDIT_DAY,
        end_date=AUDIT_DAY,
        lead_auditor=lead,
        **extra,
    )


def test_department_auditor_may_plan_and_lead_an_audit_of_a_district_office(org, users):
    audit = new_audit(users.auditor_sgd, org.luongson, [org.luongson], users.auditor_sgd)
    assert audit.lead_auditor == users.auditor_sgd
    assert access.can_plan_audit(users.qm_sgd, org.kimboi)


def test_staff_and_unit_heads_cannot_plan_audits(org, users):
    for user in (users.staff_luongson, users.approver_luongson, users.author_vp):
        with pytest.raises(Refused):
            new_audit(user, org.luongson, [org.luongson], users.auditor_sgd)
    assert not Audit.objects.exists()


def test_a_district_auditor_cannot_audit_their_own_office(org, users):
    with pytest.raises(Refused) as refusal:
        new_audit(users.auditor_kimboi, org.kimboi, [org.kimboi], users.auditor_kimboi)
    assert "thuộc Phòng GD&ĐT Kim Bôi" in refusal.value.messages[0]
    assert "độc lập" in refusal.value.messages[0]
    assert not Audit.objects.exists(), "the refused plan is rolled back whole"


def test_a_department_auditor_cannot_audit_an_office_of_the_department(org, users):
    """Membership in a unit above the audited one, in the same QMS, breaks independence."""
    with pytest.raises(Refused) as refusal:
        new_audit(users.qm_sgd, org.sgd, [org.vp], users.auditor_sgd)
    assert "Sở Giáo dục và Đào tạo tỉnh Hòa Bình" in refusal.value.messages[0]
    assert "Văn phòng Sở" in refusal.value.messages[0]


def test_an_auditor_without_reach_cannot_join_another_districts_audit(users, ls_audit):
    with pytest.raises(Refused) as refusal:
        planning.add_team_member(user=users.qm_sgd, audit=ls_audit, auditor=users.auditor_kimboi)
    assert "không phải đánh giá viên nội bộ" in refusal.value.messages[0]
    with pytest.raises(Refused):
        planning.add_team_member(user=users.qm_sgd, audit=ls_audit, auditor=users.staff_luongson)


def test_the_independence_reason_is_given_to_the_caller_without_raising(users, ls_audit):
    allowed, reason = access.can_join_audit_team(users.qm_sgd, ls_audit, users.approver_luongson)
    assert not allowed and reason


def test_an_auditor_cannot_check_a_document_revision_they_prepared(users, ls_audit, ls_document):
    revision = ls_audit.revisions.get()
    # The register is immutable through save(); the fixture back-dates who prepared it.
    type(revision).objects.filter(pk=revision.pk).update(prepared_by=users.auditor_sgd)
    with pytest.raises(Refused) as refusal:
        planning.add_audit_document(
            user=users.qm_sgd, audit=ls_audit, document=ls_document, auditor=users.auditor_sgd
        )
    assert "đã soạn thảo tài liệu QT-LS-01" in refusal.value.messages[0]
    item = next(
        i
        for i in planning.generate_checklist(user=users.auditor_sgd, audit=ls_audit)
        if i.revision_id
    )
    with pytest.raises(Refused):
        planning.record_checklist_result(
            user=users.auditor_sgd, item=item, result=ChecklistResult.CONFORMING
        )


def test_the_audit_records_the_revision_in_force_on_the_audit_date(ls_audit):
    revision = ls_audit.revisions.get()
    assert revision.number == 1, "revision 02 only comes into force in 2013"


def test_a_document_with_no_revision_in_force_is_refused_as_criterion(org, users, make_document):
    draft = make_document(unit=org.luongson, code="QT-LS-09")
    with pytest.raises(Exception) as error:
        new_audit(users.qm_sgd, org.luongson, [org.luongson], users.auditor_sgd, documents=[draft])
    assert "không có lần ban hành nào có hiệu lực vào ngày 15/10/2012" in str(error.value)


def test_units_of_another_qms_cannot_be_mixed_into_one_audit(org, users):
    with pytest.raises(Exception) as error:
        new_audit(users.qm_sgd, org.luongson, [org.luongson, org.kimboi], users.auditor_sgd)
    assert "không thuộc hệ thống quản lý chất lượng" in str(error.value)


def test_an_auditor_not_on_the_team_cannot_log_a_finding(org, users, ls_audit):
    with pytest.raises(Refused) as refusal:
        workflow.log_finding(
            user=users.auditor_kimboi,
            audit=ls_audit,
            unit=org.luongson,
            kind=FindingKind.MINOR,
            description="Không có bằng chứng.",
        )
    assert "không thuộc đoàn đánh giá" in refusal.value.messages[0]
    # Even the quality manager who planned it is not on the team.
    with pytest.raises(Refused):
        workflow.log_finding(
            user=users.qm_sgd,
            audit=ls_audit,
            unit=org.luongson,
            kind=FindingKind.OBSERVATION,
            description="Ghi chú.",
        )


def test_findings_are_logged_only_while_the_audit_is_in_progress(org, users, ls_audit):
    planning.complete_audit(user=users.auditor_sgd, audit=ls_audit, conclusions="Hệ thống phù hợp.")
    with pytest.raises(WrongState):
        workflow.log_finding(
            user=users.auditor_sgd,
            audit=ls_audit,
            unit=org.luongson,
            kind=FindingKind.MINOR,
            description="Muộn.",
        )


def test_a_district_head_sees_and_answers_only_their_own_districts_findings(
    users, ls_finding, kimboi_finding
):
    head = users.approver_luongson
    visible = set(access.visible_findings(head, Finding.objects.all()))
    assert visible == {ls_finding}
    assert access.can_answer_finding(head, ls_finding)
    assert not access.can_answer_finding(head, kimboi_finding)
    assert not access.can_view_finding(head, kimboi_finding)
    with pytest.raises(Refused):
        workflow.acknowledge_finding(user=head, finding=kimboi_finding)


def test_finding_visibility_follows_reach(users, ls_finding, kimboi_finding):
    def seen(user):
        return set(access.visible_findings(user, Finding.objects.all()))

    assert seen(users.qm_sgd) == {ls_finding, kimboi_finding}
    assert seen(users.auditor_kimboi) == {kimboi_finding}
    assert seen(users.staff_kimboi) == set()
    assert seen(users.approver_sgd) == set(), "department heads do not reach district QMSs"
    assert seen(users.outsider) == set()


def test_the_programme_shows_covered_and_uncovered_clauses_and_units(org, users, ls_document):
    programme = planning.create_programme(user=users.qm_sgd, qms_root=org.sgd, year=2012)
    planning.add_planned_audit(
        user=users.qm_sgd,
        programme=programme,
        month=10,
        units=[org.vp],
        clauses=[clause("4.2"), clause("8.2.2")],
    )
    coverage = planning.programme_coverage(programme)
    covered = {c.number for c in coverage.covered_clauses}
    assert covered == {"4.2.1", "4.2.2", "4.2.3", "4.2.4", "8.2.2"}
    assert "8.5.2" in {c.number for c in coverage.uncovered_clauses}
    assert coverage.covered_units == [org.vp]
    assert coverage.uncovered_units == [org.sgd], "district offices run their own QMS"


def test_only_a_quality_manager_approves_the_programme_and_changes_need_reapproval(org, users):
    programme = planning.create_programme(user=users.auditor_sgd, qms_root=org.sgd, year=2012)
    with pytest.raises(WrongState):
        planning.approve_programme(user=users.qm_sgd, programme=programme)
    planning.add_planned_audit(user=users.auditor_sgd, programme=programme, month=3, units=[org.vp])
    with pytest.raises(Refused):
        planning.approve_programme(user=users.auditor_sgd, programme=programme)
    programme = planning.approve_programme(user=users.qm_sgd, programme=programme)
    assert programme.approved_by == users.qm_sgd
    planning.add_planned_audit(
        user=users.auditor_sgd, programme=programme, month=9, units=[org.sgd]
    )
    programme.refresh_from_db()
    assert programme.approved_at is None
    assert programme.history.count() >= 3


def test_a_programme_line_with_a_bad_month_is_refused(org, users):
    programme = planning.create_programme(user=users.qm_sgd, qms_root=org.sgd, year=2012)
    with pytest.raises(Exception) as error:
        planning.add_planned_audit(user=users.qm_sgd, programme=programme, month=13, units=[org.vp])
    assert "Tháng phải từ 1 đến 12" in str(error.value)


def test_audit_dates_must_be_ordered(org, users):
    with pytest.raises(Exception) as error:
        planning.create_audit(
            user=users.qm_sgd,
            qms_root=org.luongson,
            title="Sai ngày",
            units=[org.luongson],
            start_date=AUDIT_DAY,
            end_date=AUDIT_DAY - datetime.timedelta(days=1),
            lead_auditor=users.auditor_sgd,
        )
    assert "Ngày kết thúc" in str(error.value)


def test_an_auditor_posted_in_one_office_audits_the_other_offices_of_the_department(org, users):
    """The department's own internal audits: auditors belong to an office, not to the root."""
    from django.contrib.auth import get_user_model

    from qms.models import Membership, OrgUnit, Role

    tccb = OrgUnit.objects.create(
        name="Phòng Tổ chức Cán bộ", short_code="TCCB", kind=OrgUnit.Kind.OFFICE, parent=org.sgd
    )
    tccb_auditor = get_user_model().objects.create_user(username="auditor.tccb")
    Membership.objects.create(user=tccb_auditor, unit=tccb, role=Role.AUDITOR)
    audit = new_audit(users.qm_sgd, org.sgd, [org.vp], tccb_auditor)
    assert audit.lead_auditor == tccb_auditor
    with pytest.raises(Refused) as refusal:
        new_audit(users.qm_sgd, org.sgd, [tccb], tccb_auditor)
    assert "thuộc Phòng Tổ chức Cán bộ" in refusal.value.messages[0]
    with pytest.raises(Refused):
        new_audit(users.qm_sgd, org.luongson, [org.luongson], tccb_auditor)


def test_the_lead_edits_the_checklist_and_others_cannot(org, users, ls_audit):
    generated = planning.generate_checklist(user=users.auditor_sgd, audit=ls_audit)
    own = planning.save_checklist_question(
        user=users.auditor_sgd,
        audit=ls_audit,
        question="Sổ theo dõi công văn đến có được cập nhật hằng ngày không?",
        clause=clause("4.2.4"),
        unit=org.luongson,
    )
    assert own.sort_order == len(generated) + 1
    reworded = planning.save_checklist_question(
        user=users.auditor_sgd, audit=ls_audit, item=generated[0], question="Câu hỏi đã sửa."
    )
    assert reworded.question == "Câu hỏi đã sửa."
    assert reworded.history.count() == 2
    with pytest.raises(Refused):
        planning.save_checklist_question(
            user=users.approver_luongson, audit=ls_audit, question="Tự hỏi mình?"
        )
    with pytest.raises(Exception) as error:
        planning.save_checklist_question(
            user=users.auditor_sgd, audit=ls_audit, question="?", unit=org.kimboi
        )
    assert "không thuộc phạm vi" in str(error.value)
    planning.complete_audit(user=users.auditor_sgd, audit=ls_audit, conclusions="Xong.")
    with pytest.raises(WrongState):
        planning.save_checklist_question(user=users.auditor_sgd, audit=ls_audit, question="Muộn?")
