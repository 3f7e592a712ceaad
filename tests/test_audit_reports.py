"""Reports open and contain the findings: the audit report (PDF, XLSX), the action register."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from audits import planning, reports, workflow
from audits.models import CorrectiveAction, FindingKind
from tests.audit_support import *  # noqa: F403  (the fixtures)
from tests.audit_support import TODAY, plan


def rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_audit_report_pdf_lists_scope_team_findings_and_conclusions(org, users, ls_finding):
    audit = ls_finding.audit
    workflow.log_finding(
        user=users.auditor_sgd,
        audit=audit,
        unit=org.luongson,
        kind=FindingKind.OFI,
        description="Có thể gửi thông báo kết quả qua tin nhắn.",
    )
    planning.complete_audit(user=users.auditor_sgd, audit=audit, conclusions="HTQLCL được duy trì.")
    audit.refresh_from_db()

    pdf = reports.audit_report_pdf(audit)

    pages = PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "BÁO CÁO ĐÁNH GIÁ NỘI BỘ" in text
    assert "Phòng GD&ĐT Lương Sơn" in text
    assert "4.2.3 Kiểm soát tài liệu" in text
    assert "QT-LS-01" in text and "lần ban hành 01" in text
    assert "Trưởng đoàn: auditor.sgd" in text
    assert "Không phù hợp nhẹ" in text and "Cơ hội cải tiến" in text
    assert "bản chưa được kiểm soát" in text
    assert "HTQLCL được duy trì." in text


def test_the_audit_report_xlsx_counts_findings_by_kind_and_clause(users, ls_finding):
    workbook = load_workbook(io.BytesIO(reports.audit_report_xlsx(ls_finding.audit)))
    assert workbook.sheetnames == ["Tổng quan", "Phát hiện", "Theo điều khoản"]
    overview = dict(rows(workbook["Tổng quan"])[1:])
    assert overview["Số phát hiện — Không phù hợp nhẹ"] == 1
    assert overview["Số phát hiện — Không phù hợp nặng"] == 0
    assert "auditor.sgd" in overview["Đoàn đánh giá"]
    findings = rows(workbook["Phát hiện"])
    assert findings[1][:5] == [
        str(ls_finding.pk),
        "Không phù hợp nhẹ",
        "4.2.3",
        "QT-LS-01 (01)",
        "Phòng GD&ĐT Lương Sơn",
    ]
    assert rows(workbook["Theo điều khoản"])[1] == ["4.2.3", 0, 1, 0, 0]


def test_the_action_register_shows_open_overdue_and_closed_by_unit_and_age(org, users, ls_finding):
    overdue = plan(users, ls_finding, due=datetime.date(2012, 11, 15))
    done = workflow.plan_action(
        user=users.approver_luongson,
        unit=org.luongson,
        potential_problem="Thiếu cán bộ thay thế khi nghỉ phép.",
        action_plan="Phân công người thay thế.",
        owner=users.staff_luongson,
        due_date=datetime.date(2012, 12, 31),
        today=TODAY,
    )
    workflow.mark_implemented(user=users.staff_luongson, action=done, evidence="Đã phân công.")
    workflow.verify_action(user=users.auditor_sgd, action=done)
    workflow.check_effectiveness(user=users.auditor_sgd, action=done, effective=True)
    created = timezone.make_aware(datetime.datetime(2012, 10, 16, 9, 0))
    CorrectiveAction.objects.update(created_at=created)
    today = datetime.date(2013, 2, 1)

    workbook = load_workbook(
        io.BytesIO(reports.action_register_xlsx(CorrectiveAction.objects.all(), today))
    )

    register = rows(workbook["Sổ theo dõi"])
    by_number = {row[0]: row for row in register[1:]}
    assert by_number[overdue.pk][9] == "Quá hạn"
    assert by_number[overdue.pk][10] == 108
    assert by_number[overdue.pk][11] == 78
    assert by_number[overdue.pk][7].date() == datetime.date(2012, 11, 15)
    assert by_number[done.pk][9] == "Đã đóng"
    assert by_number[done.pk][1] == "Hành động phòng ngừa"
    summary = rows(workbook["Theo đơn vị"])
    assert summary[0][:4] == ["Đơn vị", "Đang mở", "Quá hạn", "Đã đóng"]
    assert summary[1] == ["Phòng GD&ĐT Lương Sơn", 0, 1, 1, 0, 0, 1]
