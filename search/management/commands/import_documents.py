"""``manage.py import_documents MANIFEST.csv``: import an office's paper-approved documents.

Each row (UTF-8 CSV, comma or semicolon, an optional header row)::

    unit, code, title, kind, file, revision, effective date, ISO clauses, approved by

e.g. ``VP,QT-VP-01,Quy trình kiểm soát tài liệu,procedure,files/qt-vp-01.pdf,2,15/03/2012,
4.2.3;4.2.4,Nguyễn Văn A``. The file path is relative to the manifest; the kind is a code
(``procedure``) or its Vietnamese name (``Quy trình``); the date is dd/mm/yyyy.

Each revision is recorded as issued outside the system (approved on paper by the named person),
then indexed after commit. Every row is its own transaction: a bad row is reported with its line
number and reason and the good rows still import. A row already imported (same document code
and revision number, same file) is skipped, so re-running a manifest changes nothing.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from documents.models import ControlledDocument, DocumentKind, IssuedRevision, normalise_code
from qms.models import IsoClause, OrgUnit, nfc

COLUMNS = 9
HEADER_WORDS = {"unit", "đơn vị", "don vi", "don_vi", "đơn vị ban hành"}


class RowError(Exception):
    """A row that cannot be imported; the message is shown to the user as is."""


@dataclass
class Row:
    line: int
    unit: OrgUnit
    code: str
    title: str
    kind: str
    path: Path
    number: int
    effective_from: datetime.date
    clauses: list[IsoClause]
    approved_by_name: str


def _kind(value: str) -> str:
    wanted = nfc(value).strip().lower()
    for code, label in DocumentKind.choices:
        if wanted in {code, str(label).lower()}:
            return code
    raise RowError(
        f"loại tài liệu “{value}” không hợp lệ (dùng một trong: {', '.join(DocumentKind.values)})"
    )


def _date(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError as exc:
        raise RowError(f"ngày hiệu lực “{value}” không đúng dạng dd/mm/yyyy") from exc


def parse_row(line: int, cells: list[str], base: Path, units: dict[str, OrgUnit]) -> Row:
    """Check one manifest row; raises RowError with the reason in Vietnamese."""
    cells = [nfc(cell).strip() for cell in cells]
    if len(cells) < COLUMNS:
        raise RowError(f"cần {COLUMNS} cột, dòng này có {len(cells)}")
    unit_code, code, title, kind, file_name, number, effective, clauses, approver = cells[:9]
    unit = units.get(unit_code.lower())
    if unit is None:
        raise RowError(f"không có đơn vị mã “{unit_code}”")
    code = normalise_code(code)
    if not code or len(code) > 64:
        raise RowError("thiếu mã hiệu tài liệu (hoặc dài quá 64 ký tự)")
    if not title:
        raise RowError("thiếu tên tài liệu")
    try:
        revision = int(number)
    except ValueError as exc:
        raise RowError(f"lần ban hành “{number}” không phải là số") from exc
    if not 1 <= revision <= 999:
        raise RowError(f"lần ban hành “{number}” phải từ 1 đến 999")
    found = []
    for clause_number in filter(None, (part.strip() for part in clauses.split(";"))):
        clause = IsoClause.objects.filter(number=clause_number).first()
        if clause is None:
            raise RowError(f"không có điều khoản ISO 9001:2008 “{clause_number}”")
        found.append(clause)
    if not approver:
        raise RowError("thiếu tên người phê duyệt trên bản giấy")
    path = (base / file_name).resolve() if file_name else None
    if path is None or not path.is_file():
        raise RowError(f"không tìm thấy tệp “{file_name}”")
    return Row(
        line=line,
        unit=unit,
        code=code,
        title=title[:500],
        kind=_kind(kind),
        path=path,
        number=revision,
        effective_from=_date(effective),
        clauses=found,
        approved_by_name=approver[:255],
    )


def import_row(row: Row) -> str:
    """Import one checked row in its own transaction; returns "imported" or "skipped"."""
    from documents.files import analyse_into, validate_upload
    from documents.lifecycle import issue_revision

    with open(row.path, "rb") as handle:
        upload = File(handle, name=row.path.name)
        try:
            validate_upload(upload)
        except ValidationError as exc:
            raise RowError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            root = row.unit.qms_root
            document = (
                ControlledDocument.objects.select_for_update()
                .filter(qms_root=root, code=row.code)
                .first()
            )
            if document is not None:
                if document.unit_id != row.unit.pk:
                    raise RowError(f"mã {row.code} đã thuộc đơn vị {document.unit.name}")
                existing = document.issued_revisions.filter(number=row.number).first()
                if existing is not None:
                    return _same_file_or_refuse(existing, row, upload)
                top = document.issued_revisions.order_by("-number").first()
                if top is not None and top.number > row.number:
                    raise RowError(
                        f"lần ban hành {row.number:02d} cũ hơn lần {top.number:02d} đã có: "
                        f"hãy xếp các lần ban hành theo thứ tự tăng dần"
                    )
            else:
                document = ControlledDocument(unit=row.unit, code=row.code)
            document.title = row.title
            document.kind = row.kind
            if row.kind == DocumentKind.EXTERNAL and not document.official_number:
                document.official_number = row.code
            upload.seek(0)
            document.file.save(row.path.name, upload, save=False)
            analyse_into(document)
            now = timezone.now()
            # Issued on paper: the document is in force in the system from now on.
            document.live = True
            document.has_unpublished_changes = False
            document.first_published_at = document.first_published_at or now
            document.last_published_at = now
            document.save()
            document.iso_clauses.set(row.clauses)
            document.save()
            issue_revision(
                document=document,
                effective_from=row.effective_from,
                approved_by_name=row.approved_by_name,
                number=row.number,
                issued_outside_system=True,
            )
    return "imported"


def _same_file_or_refuse(existing: IssuedRevision, row: Row, upload) -> str:
    import hashlib

    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    if existing.file_sha256 and existing.file_sha256 != digest.hexdigest():
        raise RowError(f"{row.code} lần ban hành {row.number:02d} đã được nhập với một tệp khác")
    return "skipped"


def read_manifest(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-empty row; a header row is recognised and dropped."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for index, cells in enumerate(csv.reader(text.splitlines(), dialect)):
        if not any(cell.strip() for cell in cells):
            continue
        if index == 0 and nfc(cells[0]).strip().lower() in HEADER_WORDS:
            continue
        rows.append((index + 1, cells))
    return rows


class Command(BaseCommand):
    help = "Nhập tài liệu đã ban hành trên giấy từ tệp danh sách CSV (mỗi dòng một lần ban hành)."

    def add_arguments(self, parser):
        parser.add_argument("manifest", help="Đường dẫn tệp CSV.")

    def handle(self, *args, manifest, **options):
        path = Path(manifest)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp danh sách “{manifest}”.")
        try:
            rows = read_manifest(path)
        except UnicodeDecodeError as exc:
            raise CommandError("Tệp danh sách phải là CSV mã UTF-8.") from exc
        units = {unit.short_code.lower(): unit for unit in OrgUnit.objects.all()}
        checked, errors = [], []
        for line, cells in rows:
            try:
                checked.append(parse_row(line, cells, path.parent, units))
            except RowError as exc:
                errors.append((line, str(exc)))
        counts = {"imported": 0, "skipped": 0}
        # Revisions of one document in ascending order, whatever the manifest's order.
        for row in sorted(checked, key=lambda r: (r.unit.pk, r.code, r.number, r.line)):
            try:
                outcome = import_row(row)
            except RowError as exc:
                errors.append((row.line, str(exc)))
                continue
            counts[outcome] += 1
            verb = "đã nhập" if outcome == "imported" else "đã có, bỏ qua"
            self.stdout.write(f"Dòng {row.line}: {verb} {row.code} lần ban hành {row.number:02d}.")
        for line, reason in sorted(errors):
            self.stderr.write(f"Dòng {line}: LỖI — {reason}.")
        summary = (
            f"Đã nhập {counts['imported']}, bỏ qua {counts['skipped']} (đã có), lỗi {len(errors)}."
        )
        if errors:
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)
