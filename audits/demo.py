"""Demo data of the internal audits (called by ``documents.demo.seed.seed_demo``).

The department's 2013 audit programme (approved by its quality manager) plans two audits of its
own offices; separately, the department's auditor audited Phòng GD&ĐT Lương Sơn in March 2013
against clause 4.2.3 and QT-LS-01 revision 01, found a minor nonconformity (answered by a
corrective action still in progress) and an observation.

Everything goes through ``audits.planning`` and ``audits.workflow`` so the rules hold exactly as
in the admin (independence, who plans, who answers). Idempotent: the programme is keyed by
(QMS root, year), the audit by (QMS root, title); an existing one is left as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from audits import notify, planning, workflow
from audits.models import (
    Audit,
    AuditProgramme,
    ChecklistResult,
    FindingKind,
)
from documents.models import ControlledDocument
from qms.models import IsoClause, OrgUnit

PROGRAMME_YEAR = 2013
LS_AUDIT_TITLE = "Đánh giá nội bộ Phòng GD&ĐT Lương Sơn năm 2013"
LS_AUDIT_DAY = datetime.date(2013, 3, 12)
LS_ANSWER_DAY = datetime.date(2013, 3, 15)


@dataclass
class AuditSeedReport:
    programmes: int = 0
    audits: int = 0
    findings: int = 0
    actions: int = 0


def _at(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _clauses(*numbers: str) -> list[IsoClause]:
    return list(IsoClause.objects.filter(number__in=numbers).order_by("number"))


def seed_audits(units: dict[str, OrgUnit], users: dict) -> AuditSeedReport:
    """Create what is missing of the audit demo data; say what was created."""
    report = AuditSeedReport()
    with notify.muted():
        _programme(units, users, report)
        _luong_son_audit(units, users, report)
    return report


def _programme(units, users, report: AuditSeedReport) -> None:
    sgd = units["SGD"]
    if AuditProgramme.objects.filter(qms_root=sgd, year=PROGRAMME_YEAR).exists():
        return
    qm = users["qm.sgd"]
    programme = planning.create_programme(
        user=qm,
        qms_root=sgd,
        year=PROGRAMME_YEAR,
        scope=(
            "Đánh giá sự phù hợp và hiệu lực của HTQLCL theo TCVN ISO 9001:2008 tại các phòng "
            "chuyên môn, nghiệp vụ của Sở; mỗi điều khoản được đánh giá ít nhất một lần trong năm."
        ),
    )
    documents = ControlledDocument.objects.filter(qms_root=sgd).issued()
    planning.add_planned_audit(
        user=qm,
        programme=programme,
        month=5,
        units=[units["VP"]],
        clauses=_clauses("4.2.3", "4.2.4", "8.2.2"),
        documents=documents.filter(code__in=["QT-SGD-01", "QT-SGD-02"]),
        notes="Văn phòng Sở: kiểm soát tài liệu và hồ sơ.",
    )
    planning.add_planned_audit(
        user=qm,
        programme=programme,
        month=10,
        units=[units["TCCB"], units["KHTC"]],
        clauses=_clauses("6.2.2", "7.5.1", "8.5.2"),
        notes="Phòng Tổ chức Cán bộ và Phòng Kế hoạch Tài chính.",
    )
    planning.approve_programme(user=qm, programme=programme)
    AuditProgramme.objects.filter(pk=programme.pk).update(
        approved_at=_at(datetime.date(2013, 1, 15))
    )
    report.programmes += 1


def _luong_son_audit(units, users, report: AuditSeedReport) -> None:
    luong_son = units["LUONGSON"]
    if Audit.objects.filter(qms_root=luong_son, title=LS_AUDIT_TITLE).exists():
        return
    auditor, head = users["auditor.sgd"], users["approver.luongson"]
    procedure = ControlledDocument.objects.get(qms_root=luong_son, code="QT-LS-01")
    audit = planning.create_audit(
        user=users["qm.sgd"],
        qms_root=luong_son,
        title=LS_AUDIT_TITLE,
        units=[luong_son],
        start_date=LS_AUDIT_DAY,
        end_date=LS_AUDIT_DAY + datetime.timedelta(days=1),
        lead_auditor=auditor,
        clauses=_clauses("4.2.3", "7.5.1"),
        documents=[procedure],
    )
    audit = planning.start_audit(user=auditor, audit=audit, at=_at(LS_AUDIT_DAY))
    planning.generate_checklist(user=auditor, audit=audit)
    items = {
        (item.clause.number if item.clause else item.revision.code): item
        for item in audit.checklist.select_related("clause", "revision")
    }
    planning.record_checklist_result(
        user=auditor,
        item=items["4.2.3"],
        result=ChecklistResult.NONCONFORMING,
        evidence="Bộ phận một cửa dùng bản photo QT-LS-01 không có dấu kiểm soát.",
    )
    planning.record_checklist_result(
        user=auditor,
        item=items["QT-LS-01"],
        result=ChecklistResult.OBSERVATION,
        evidence="Sổ theo dõi hồ sơ (BM-02/QT-LS-01) ghi chưa đủ cột ngày trả kết quả.",
    )
    planning.record_checklist_result(
        user=auditor,
        item=items["7.5.1"],
        result=ChecklistResult.CONFORMING,
        evidence="Hồ sơ tháng 02/2013 được tiếp nhận, hẹn và trả đúng quy trình.",
    )
    revision = audit.criteria_documents.get().revision  # 01, in force on the audit day
    minor = workflow.log_finding(
        user=auditor,
        audit=audit,
        unit=luong_son,
        kind=FindingKind.MINOR,
        clause=_clauses("4.2.3")[0],
        revision=revision,
        checklist_item=items["4.2.3"],
        description=(
            "Bản QT-LS-01 đang dùng tại bộ phận một cửa là bản photo không được kiểm soát "
            "(không có dấu kiểm soát, không có trong danh sách phân phối)."
        ),
        evidence="Quan sát tại bộ phận một cửa ngày 12/3/2013.",
    )
    workflow.log_finding(
        user=auditor,
        audit=audit,
        unit=luong_son,
        kind=FindingKind.OBSERVATION,
        clause=_clauses("7.5.1")[0],
        revision=revision,
        checklist_item=items["QT-LS-01"],
        description="Sổ theo dõi hồ sơ chưa ghi đủ ngày trả kết quả cho công dân.",
        evidence="Sổ theo dõi hồ sơ tháng 02/2013.",
    )
    planning.complete_audit(
        user=auditor,
        audit=audit,
        conclusions=(
            "HTQLCL của Phòng GD&ĐT Lương Sơn được duy trì, phù hợp với TCVN ISO 9001:2008; "
            "01 điểm không phù hợp nhẹ (4.2.3) và 01 điểm lưu ý cần khắc phục."
        ),
        at=_at(LS_AUDIT_DAY + datetime.timedelta(days=1), 16),
    )
    workflow.acknowledge_finding(user=head, finding=minor, comment="Đơn vị thống nhất.")
    workflow.plan_action(
        user=head,
        finding=minor,
        correction="Thu hồi bản photo, thay bằng bản có dấu kiểm soát.",
        why_chain=[
            "Cán bộ một cửa tự photo bản quy trình để dùng.",
            "Bản có dấu kiểm soát chỉ có một bản, để ở phòng lãnh đạo.",
            "Danh sách phân phối không có bộ phận một cửa.",
        ],
        cause_category="method",
        root_cause="Danh sách phân phối tài liệu lập chưa đủ các nơi sử dụng.",
        action_plan=(
            "Rà soát danh sách phân phối các quy trình; cấp bản có kiểm soát cho bộ phận một "
            "cửa; tập huấn cán bộ về kiểm soát tài liệu."
        ),
        owner=users["author.luongson"],
        due_date=datetime.date(2013, 4, 30),
        today=LS_ANSWER_DAY,
    )
    # The functions stamp "now"; the demo tells a 2013 story, so its moments are set to 2013.
    audit.findings.update(reported_at=_at(LS_AUDIT_DAY, 10))
    audit.findings.filter(pk=minor.pk).update(acknowledged_at=_at(LS_ANSWER_DAY, 9))
    audit.checklist.update(checked_at=_at(LS_AUDIT_DAY, 10))
    report.audits += 1
    report.findings += 2
    report.actions += 1
