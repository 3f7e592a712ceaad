"""Audit report (PDF, XLSX) and the action register (XLSX).

The callers narrow what goes in through ``qms.access``; these functions only lay it out. The PDF
uses the bundled DejaVu font (documents.pdfgen) so Vietnamese letters keep their marks.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from xml.sax.saxutils import escape

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from audits.models import (
    CONCLUDED_ACTION_STATUSES,
    Audit,
    CorrectiveAction,
    FindingKind,
)
from documents.pdfgen import FONT, FONT_BOLD, register_fonts

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Audit report -------------------------------------------------------------------------


def _when(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%H:%M %d/%m/%Y}"
    return f"{value:%d/%m/%Y}"


def audit_summary(audit: Audit) -> dict:
    """Everything the audit report shows, computed once for both formats."""
    findings = list(
        audit.findings.select_related("clause", "revision", "unit").order_by("kind", "pk")
    )
    by_kind = Counter(f.kind for f in findings)
    by_clause: dict[str, Counter] = {}
    for finding in findings:
        key = finding.clause.number if finding.clause else "—"
        by_clause.setdefault(key, Counter())[finding.kind] += 1
    members = list(audit.members.select_related("auditor").order_by("-role", "pk"))
    return {
        "audit": audit,
        "units": [unit.name for unit in audit.units.order_by("name")],
        "clauses": [f"{c.number} {c.title}" for c in audit.clauses.all()],
        "documents": [
            f"{r.code} — {r.title} (lần ban hành {r.number:02d})"
            for r in audit.revisions.order_by("code")
        ],
        "team": [
            (m.get_role_display(), m.auditor.get_full_name() or m.auditor.get_username())
            for m in members
        ],
        "findings": findings,
        "by_kind": [(kind.label, by_kind.get(kind.value, 0)) for kind in FindingKind],
        "by_clause": sorted(by_clause.items(), key=lambda item: _clause_key(item[0])),
    }


def _clause_key(number: str) -> tuple:
    return tuple(int(p) for p in number.split(".")) if number[0].isdigit() else (999,)


def _finding_row(finding) -> list[str]:
    return [
        str(finding.pk),
        finding.get_kind_display(),
        finding.clause.number if finding.clause else "",
        f"{finding.revision.code} ({finding.revision.number:02d})" if finding.revision else "",
        finding.unit.name,
        finding.description,
        finding.get_status_display(),
    ]


FINDING_HEADERS = ["Số", "Loại", "Điều khoản", "Tài liệu", "Đơn vị", "Nội dung", "Trạng thái"]


def audit_report_pdf(audit: Audit) -> bytes:
    """The audit report as an A4 PDF with a real Vietnamese text layer."""
    register_fonts()
    data = audit_summary(audit)
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
    heading = ParagraphStyle("h", parent=body, fontName=FONT_BOLD, fontSize=12, spaceBefore=8)
    title = ParagraphStyle("t", parent=heading, fontSize=15, alignment=1, spaceAfter=6)

    def para(text, style=body):
        return Paragraph(escape(str(text)), style)

    def table(rows, widths):
        grid = Table(
            [[para(cell, small) for cell in row] for row in rows], colWidths=widths, repeatRows=1
        )
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return grid

    story = [
        para("BÁO CÁO ĐÁNH GIÁ NỘI BỘ", title),
        para(f"Cuộc đánh giá: {audit.title}"),
        para(f"Hệ thống quản lý chất lượng: {audit.qms_root.name}"),
        para(f"Đơn vị được đánh giá: {', '.join(data['units'])}"),
        para(f"Thời gian: {_when(audit.start_date)} – {_when(audit.end_date)}"),
        para(
            f"Họp khai mạc: {_when(audit.opening_meeting_at) or '—'}; "
            f"họp kết thúc: {_when(audit.closing_meeting_at) or '—'}"
        ),
        para(f"Trạng thái: {audit.get_status_display()}"),
        para("1. Phạm vi và chuẩn mực đánh giá", heading),
        *[para(f"• Điều khoản {clause}") for clause in data["clauses"]],
        *[para(f"• {document}") for document in data["documents"]],
        para("2. Đoàn đánh giá", heading),
        *[para(f"• {role}: {name}") for role, name in data["team"]],
        para("3. Tổng hợp phát hiện theo loại", heading),
        table([["Loại phát hiện", "Số lượng"], *data["by_kind"]], [120 * mm, 40 * mm]),
        para("4. Phát hiện theo điều khoản", heading),
        table(
            [
                ["Điều khoản", *[kind.label for kind in FindingKind]],
                *[
                    [number, *[counts.get(kind.value, 0) for kind in FindingKind]]
                    for number, counts in data["by_clause"]
                ],
            ],
            [30 * mm] + [35 * mm] * 4,
        ),
        para("5. Chi tiết các phát hiện", heading),
        table(
            [FINDING_HEADERS, *[_finding_row(f) for f in data["findings"]]],
            [10 * mm, 25 * mm, 17 * mm, 25 * mm, 28 * mm, 52 * mm, 23 * mm],
        ),
        para("6. Kết luận", heading),
        para(audit.conclusions or "(chưa có kết luận)"),
        Spacer(1, 10 * mm),
        para(f"Lập ngày {_when(timezone.localdate())}", small),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Báo cáo đánh giá — {audit.title}",
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    document.build(story)
    return buffer.getvalue()


def _sheet(workbook: Workbook, title: str, headers: list[str], rows, *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append([str(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Choice labels are lazy translation strings, which openpyxl cannot write.
        sheet.append([str(value) if isinstance(value, Promise) else value for value in row])
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            12, min(60, len(str(header)) + 6)
        )
    sheet.freeze_panes = "A2"
    return sheet


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def audit_report_xlsx(audit: Audit) -> bytes:
    """The audit report as a workbook: overview, findings, findings by clause."""
    data = audit_summary(audit)
    workbook = Workbook()
    overview = [
        ("Cuộc đánh giá", audit.title),
        ("HTQLCL", audit.qms_root.name),
        ("Đơn vị được đánh giá", ", ".join(data["units"])),
        ("Thời gian", f"{_when(audit.start_date)} – {_when(audit.end_date)}"),
        ("Họp khai mạc", _when(audit.opening_meeting_at)),
        ("Họp kết thúc", _when(audit.closing_meeting_at)),
        ("Điều khoản", "; ".join(data["clauses"])),
        ("Tài liệu", "; ".join(data["documents"])),
        ("Đoàn đánh giá", "; ".join(f"{role}: {name}" for role, name in data["team"])),
        *[(f"Số phát hiện — {label}", count) for label, count in data["by_kind"]],
        ("Kết luận", audit.conclusions),
    ]
    sheet = _sheet(workbook, "Tổng quan", ["Mục", "Nội dung"], overview, first=True)
    sheet.column_dimensions["B"].width = 90
    for row in sheet.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    _sheet(workbook, "Phát hiện", FINDING_HEADERS, (_finding_row(f) for f in data["findings"]))
    _sheet(
        workbook,
        "Theo điều khoản",
        ["Điều khoản", *[kind.label for kind in FindingKind]],
        (
            [number, *[counts.get(kind.value, 0) for kind in FindingKind]]
            for number, counts in data["by_clause"]
        ),
    )
    return _save(workbook)


# --- Action register ----------------------------------------------------------------------

AGE_BUCKETS = [(30, "≤ 30 ngày"), (90, "31–90 ngày"), (None, "> 90 ngày")]


def action_state(action: CorrectiveAction, today: datetime.date) -> str:
    if action.status in CONCLUDED_ACTION_STATUSES:
        return "Đã đóng"
    return "Quá hạn" if action.is_overdue(today) else "Đang mở"


def _age_bucket(days: int) -> str:
    for limit, label in AGE_BUCKETS:
        if limit is None or days <= limit:
            return label
    return AGE_BUCKETS[-1][1]


def action_register_xlsx(actions: QuerySet, today: datetime.date) -> bytes:
    """The register of corrective and preventive actions: one row per action (open / overdue /
    closed, age in days) and a summary by unit with the ages of the open ones."""
    actions = list(
        actions.select_related("unit", "owner", "finding", "finding__clause").order_by(
            "unit__name", "due_date", "pk"
        )
    )
    headers = [
        "Số",
        "Loại",
        "Đơn vị",
        "Phát hiện",
        "Điều khoản",
        "Kế hoạch hành động",
        "Người chịu trách nhiệm",
        "Hạn hoàn thành",
        "Trạng thái",
        "Tình trạng",
        "Tuổi (ngày)",
        "Số ngày quá hạn",
    ]
    rows, summary = [], {}
    for action in actions:
        state = action_state(action, today)
        age = max(0, (today - timezone.localdate(action.created_at)).days)
        finding = action.finding
        rows.append(
            [
                action.pk,
                action.get_kind_display(),
                action.unit.name,
                finding.description if finding else action.potential_problem,
                finding.clause.number if finding and finding.clause else "",
                action.action_plan,
                action.owner.get_full_name() or action.owner.get_username(),
                action.due_date,
                action.get_status_display(),
                state,
                age,
                (today - action.due_date).days if state == "Quá hạn" else 0,
            ]
        )
        counts = summary.setdefault(action.unit.name, Counter())
        counts[state] += 1
        if state != "Đã đóng":
            counts[_age_bucket(age)] += 1
    workbook = Workbook()
    sheet = _sheet(workbook, "Sổ theo dõi", headers, rows, first=True)
    for cell in sheet["H"][1:]:
        cell.number_format = "DD/MM/YYYY"
    labels = ["Đang mở", "Quá hạn", "Đã đóng"] + [label for _limit, label in AGE_BUCKETS]
    _sheet(
        workbook,
        "Theo đơn vị",
        ["Đơn vị", *labels[:3], *[f"Đang mở {label}" for label in labels[3:]]],
        ([unit, *[counts.get(label, 0) for label in labels]] for unit, counts in summary.items()),
    )
    workbook["Sổ theo dõi"]["N1"] = f"Ngày lập: {today:%d/%m/%Y}"
    return _save(workbook)
