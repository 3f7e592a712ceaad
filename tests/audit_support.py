"""Fixtures shared by the tests/test_audit_*.py files (imported by them, not a conftest).

The scene: the department's auditor audits Phòng GD&ĐT Lương Sơn in October 2012 against clause
4.2.3 and the procedure QT-LS-01, whose revision 01 is in force then (revision 02 only from 2013).
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from audits import planning, workflow
from audits.models import FindingKind, FindingSource
from documents.models import IssuedRevision
from qms.models import IsoClause

__all__ = ["kimboi_finding", "ls_audit", "ls_document", "ls_finding"]  # fixtures

AUDIT_DAY = datetime.date(2012, 10, 15)
TODAY = datetime.date(2012, 10, 16)


def clause(number: str) -> IsoClause:
    return IsoClause.objects.get(number=number)


@pytest.fixture
def ls_document(org, make_document):
    """QT-LS-01 with revision 01 in force since 01/08/2012 and revision 02 from 01/01/2013."""
    document = make_document(unit=org.luongson, code="QT-LS-01", issued=True)
    first = document.issued_revisions.get()
    IssuedRevision.objects.create(
        document=document,
        number=2,
        status=IssuedRevision.Status.UPCOMING,
        code=document.code,
        title=document.title,
        approved_by_name="Nguyễn Minh Thành",
        approved_at=timezone.now(),
        effective_from=datetime.date(2013, 1, 1),
    )
    first.effective_to = datetime.date(2013, 1, 1)
    first.save()
    return document


@pytest.fixture
def ls_audit(org, users, ls_document):
    """The Lương Sơn audit, planned by the department's QM, led by the department's auditor,
    opened (in progress)."""
    audit = planning.create_audit(
        user=users.qm_sgd,
        qms_root=org.luongson,
        title="Đánh giá nội bộ Phòng GD&ĐT Lương Sơn 2012",
        units=[org.luongson],
        start_date=AUDIT_DAY,
        end_date=AUDIT_DAY + datetime.timedelta(days=1),
        lead_auditor=users.auditor_sgd,
        clauses=[clause("4.2.3"), clause("8.2.2")],
        documents=[ls_document],
    )
    return planning.start_audit(user=users.auditor_sgd, audit=audit)


@pytest.fixture
def ls_finding(org, users, ls_audit):
    """A minor nonconformity against 4.2.3 on the exact revision audited."""
    revision = ls_audit.revisions.get()
    return workflow.log_finding(
        user=users.auditor_sgd,
        audit=ls_audit,
        unit=org.luongson,
        kind=FindingKind.MINOR,
        clause=clause("4.2.3"),
        revision=revision,
        description="Bản QT-LS-01 tại bộ phận một cửa là bản chưa được kiểm soát.",
        evidence="Quan sát tại bộ phận một cửa ngày 15/10/2012.",
    )


@pytest.fixture
def kimboi_finding(org, users):
    """A nonconformity of Kim Bôi found in daily work (8.3), outside any audit."""
    return workflow.log_finding(
        user=users.auditor_kimboi,
        unit=org.kimboi,
        kind=FindingKind.MAJOR,
        source=FindingSource.COMPLAINT,
        description="Hồ sơ thủ tục hành chính trả chậm hạn, không thông báo cho công dân.",
    )


def plan(users, finding, *, due=datetime.date(2012, 11, 15), owner=None):
    return workflow.plan_action(
        user=users.approver_luongson,
        finding=finding,
        correction="Thu hồi bản không kiểm soát.",
        why_chain=["Bản in cũ còn lưu", "Không có danh sách phân phối", "Chưa giao trách nhiệm"],
        cause_category="method",
        root_cause="Chưa có quy định phân phối tài liệu.",
        action_plan="Lập danh sách phân phối, thu hồi bản cũ, tập huấn cán bộ một cửa.",
        owner=owner or users.staff_luongson,
        due_date=due,
        today=TODAY,
    )
