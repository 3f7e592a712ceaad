"""Load the demo data: the 2012 organisation, its people, and the department's documents.

Idempotent: units are keyed by short code, users by username, memberships by (user, unit, role)
and documents by (QMS root, code). What already exists is left as it is: an existing document is
not regenerated, so running the seed twice writes no second file and no second revision.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from documents import extraction
from documents.demo import catalogue, organisation
from documents.demo.catalogue import DemoDocument, DemoOfficialDocument, DemoRevision
from documents.lifecycle import issue_revision
from documents.models import (
    ControlledDocument,
    DocumentKind,
    ExtractionStatus,
    IssuedRevision,
    normalise_code,
)
from documents.pdfgen import RevisionNote, Signatory, controlled_pdf, format_date, text_pdf
from qms.models import IsoClause, Membership, OrgUnit

DECISION_TEXT = Path(__file__).resolve().parent / "qd-987-2012.txt"
SIGNATURE_ROLES = ("Người soạn thảo", "Người xem xét", "Người phê duyệt")
SIGNATURE_MEANING = "Phê duyệt ban hành"


@dataclass
class SeedReport:
    """What a run created (zero everywhere on a second run)."""

    units: int = 0
    users: int = 0
    memberships: int = 0
    documents: int = 0
    revisions: int = 0
    audits: int = 0
    logins: list[str] = field(default_factory=list)


@transaction.atomic
def seed_demo() -> SeedReport:
    """Create (or complete) the demo data in one transaction and say what was created.

    A failure leaves the database as it was; files already written by the failed run stay in
    private storage unreferenced (harmless, and cheaper than tracking them for deletion).
    """
    report = SeedReport()
    units = _seed_units(report)
    users = _seed_users(units, report)
    seeder = _DocumentSeeder(units=units, users=users, report=report)
    for spec in catalogue.DOCUMENTS:
        seeder.controlled(spec)
    seeder.official(catalogue.SEED_DECISION, text=DECISION_TEXT.read_text(encoding="utf-8"))
    for spec in catalogue.EXTERNAL_DOCUMENTS:
        seeder.official(spec, text=_external_summary(spec))
    # Imported here: the audits app builds on the documents app, not the other way round.
    from audits.demo import seed_audits

    report.audits = seed_audits(units, users).audits
    return report


# --- Organisation and people ------------------------------------------------------------------


def _seed_units(report: SeedReport) -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for spec in organisation.UNITS:
        unit, created = OrgUnit.objects.get_or_create(
            short_code=spec.short_code,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "parent": units.get(spec.parent) if spec.parent else None,
                "runs_own_qms": spec.runs_own_qms,
                "document_code_pattern": spec.document_code_pattern,
                "valid_to": spec.valid_to,
            },
        )
        units[spec.short_code] = unit
        report.units += created
        # The unit a merged office went into exists only once the loop has reached it.
        if created and spec.merged_into:
            unit.merged_into = units[spec.merged_into]
            unit.save(update_fields=["merged_into"])
    return units


def _seed_users(units: dict[str, OrgUnit], report: SeedReport) -> dict:
    User = get_user_model()
    # One PBKDF2 hash shared by every demo account: hashing thirty times would take seconds, and
    # the accounts share one published demo password anyway.
    password = make_password(settings.QMS_DEMO_PASSWORD)
    users = {}
    for person in (organisation.ADMIN, *organisation.PEOPLE):
        user, created = User.objects.get_or_create(
            username=person.username,
            defaults={
                # Vietnamese names run family → given; Django's get_full_name() prints
                # "first last", so the family and middle names go first to read naturally.
                "first_name": person.family_names,
                "last_name": person.given_name,
                "email": f"{person.username}@{organisation.EMAIL_DOMAIN}",
                "password": password,
                "is_staff": person is organisation.ADMIN,
                "is_superuser": person is organisation.ADMIN,
            },
        )
        users[person.username] = user
        report.users += created
        report.logins.append(person.username)
        if person.unit:
            _membership, created = Membership.objects.get_or_create(
                user=user, unit=units[person.unit], role=person.role
            )
            report.memberships += created
    return users


# --- Documents --------------------------------------------------------------------------------


def _aware(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _people() -> dict[str, organisation.DemoPerson]:
    return {person.username: person for person in organisation.PEOPLE}


def analyse_pdf(document: ControlledDocument, data: bytes, file_name: str) -> None:
    """Fill the file facts of ``document`` from a PDF the seed generated itself.

    ``documents.files.analyse_into`` is the path for uploads: it reads untrusted files in a
    limited child process, about half a second per file, which would make the seed take ten
    seconds more. The demo PDFs come from reportlab in this process, so pypdf reads them here,
    with the same clean-up and page joining as the upload pipeline (the texts come out equal).
    """
    page_count, text = _read_pdf(data)
    document.file_name = file_name
    document.file_sha256 = hashlib.sha256(data).hexdigest()
    document.file_size = len(data)
    document.page_count = page_count
    document.text = text
    document.extraction_status = ExtractionStatus.TEXT if text else ExtractionStatus.NO_TEXT
    document.extraction_detail = ""


# The PDFs are deterministic, so a process that seeds several databases (the test suite) renders
# and reads each of them once.
@functools.lru_cache(maxsize=64)
def _read_pdf(data: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = [extraction.clean_text(page.extract_text() or "") for page in reader.pages]
    return len(pages), "\n\n".join(pages).strip()


@functools.lru_cache(maxsize=64)
def _controlled_pdf(spec: DemoDocument, number: int, unit_name: str, signatories) -> bytes:
    history = tuple(
        RevisionNote(r.effective_from, r.where, r.change_summary, r.number)
        for r in spec.revisions
        if r.number <= number
    )
    revision = next(r for r in spec.revisions if r.number == number)
    return controlled_pdf(
        organisation=unit_name,
        title=spec.title,
        code=normalise_code(spec.code),
        revision=number,
        issued_on=revision.effective_from,
        signatories=signatories if spec.signed else (),
        revision_history=history if spec.signed else (),
        sections=spec.sections(number),
    )


@functools.lru_cache(maxsize=16)
def _text_pdf(text: str, title: str) -> bytes:
    return text_pdf(text, title=title)


@dataclass
class _DocumentSeeder:
    units: dict[str, OrgUnit]
    users: dict
    report: SeedReport
    people: dict = field(default_factory=_people)

    def _existing(self, unit: OrgUnit, code: str) -> ControlledDocument | None:
        return ControlledDocument.objects.filter(
            qms_root=unit.qms_root, code=normalise_code(code)
        ).first()

    def controlled(self, spec: DemoDocument) -> ControlledDocument:
        unit = self.units[spec.unit]
        existing = self._existing(unit, spec.code)
        if existing is not None:
            return existing
        document = ControlledDocument(
            unit=unit,
            code=spec.code,
            title=spec.title,
            kind=spec.kind,
            visibility=spec.visibility,
            parent=self._existing(unit, spec.parent) if spec.parent else None,
            live=False,
        )
        document.iso_clauses.set(IsoClause.objects.filter(number__in=spec.clauses))
        document.applies_to.set([self.units[code] for code in spec.applies_to])
        author, reviewer, approver = (self.people[name] for name in spec.people)
        signatories = tuple(
            Signatory(role, person.full_name, person.position)
            for role, person in zip(SIGNATURE_ROLES, (author, reviewer, approver), strict=True)
        )
        for revision in spec.revisions:
            pdf = _controlled_pdf(spec, revision.number, unit.name, signatories)
            file_name = (
                f"{normalise_code(spec.code).replace('/', '_')}_lan{revision.number:02d}.pdf"
            )
            self._issue(document, revision, pdf, file_name, spec.people)
        return document

    def official(self, spec: DemoOfficialDocument, *, text: str) -> ControlledDocument:
        """The seed decision (public, province-wide) or an external document it cites."""
        unit = self.units[organisation.DEPARTMENT]
        existing = self._existing(unit, spec.official_number)
        if existing is not None:
            return existing
        is_external = spec.kind == DocumentKind.EXTERNAL
        document = ControlledDocument(
            unit=unit,
            code=spec.official_number,
            title=spec.title,
            kind=spec.kind,
            visibility=catalogue.PUBLIC,
            official_number=spec.official_number,
            issuing_body=spec.issuing_body,
            issued_on=spec.issued_on,
            legal_status=spec.legal_status if is_external else "",
            review_period_months=12,
            live=False,
        )
        document.applies_to.set([unit])
        if not is_external:
            document.iso_clauses.set(IsoClause.objects.filter(number__in=["5.4.2"]))
        revision = DemoRevision(
            1,
            # An external document enters the register when the QMS starts using it; the decision
            # is in force from the day it was signed ("có hiệu lực kể từ ngày ký").
            max(spec.issued_on, catalogue.QMS_START) if is_external else spec.issued_on,
            "Đăng ký tài liệu có nguồn gốc bên ngoài." if is_external else "Ban hành.",
        )
        pdf = _text_pdf(text, f"{spec.official_number} {spec.title}")
        file_name = f"{spec.official_number.replace('/', '_').replace('&', '')}.pdf"
        people = ("controller.sgd", "qm.sgd", "approver.sgd")
        if not is_external:
            people = ("author.vp", "reviewer.vp", "approver.sgd")
        self._issue(document, revision, pdf, file_name, people)
        return document

    def _issue(self, document, revision: DemoRevision, pdf: bytes, file_name, people) -> None:
        """Save the file, publish through Wagtail, and record the revision in the register."""
        prepared_by, reviewed_by, approved_by = (self.users[name] for name in people)
        approved_at = _aware(revision.approved_on, 15)
        document.file.save(file_name, ContentFile(pdf), save=False)
        analyse_pdf(document, pdf, file_name)
        document.change_summary = revision.change_summary
        is_new = document.pk is None
        document.save()
        self.report.documents += is_new
        # Set after the save, so only the revision carries it: publishing keeps a
        # first_published_at it finds there, and the row counts as issued from the publish on.
        document.first_published_at = document.first_published_at or approved_at

        wagtail_revision = document.save_revision(user=prepared_by)
        wagtail_revision.publish(user=approved_by, skip_permission_checks=True)
        # Backdate Wagtail's bookkeeping so the history reads as it happened in 2012–2013.
        type(wagtail_revision).objects.filter(pk=wagtail_revision.pk).update(
            created_at=_aware(revision.approved_on, 8)
        )
        ModelLogEntry.objects.filter(revision=wagtail_revision).update(timestamp=approved_at)
        ControlledDocument.objects.filter(pk=document.pk).update(last_published_at=approved_at)
        document.refresh_from_db()

        if IssuedRevision.objects.filter(source_revision=wagtail_revision).exists():
            return  # never register one approval twice, should a publish handler ever do it
        issue_revision(
            document=document,
            effective_from=revision.effective_from,
            approved_by=approved_by,
            approved_by_name=approved_by.get_full_name(),
            approved_at=approved_at,
            prepared_by=prepared_by,
            reviewed_by=reviewed_by,
            reviewed_at=_aware(revision.approved_on, 10),
            source_revision=wagtail_revision,
            number=revision.number,
            signature_meaning=SIGNATURE_MEANING,
            issued_outside_system=False,
        )
        self.report.revisions += 1


def _external_summary(spec: DemoOfficialDocument) -> str:
    """A one-page register entry for an external document: what it is, not its content."""
    lines = [
        spec.issuing_body.upper(),
        f"Số: {spec.official_number}",
        f"Ngày ban hành: {format_date(spec.issued_on)}",
        "",
        spec.type_label.upper(),
        spec.title,
        "",
        "TÀI LIỆU CÓ NGUỒN GỐC BÊN NGOÀI",
        "Bản tóm tắt phục vụ tra cứu trong hệ thống quản lý chất lượng của Sở Giáo dục và Đào "
        "tạo tỉnh Hòa Bình. Văn bản gốc được lưu tại Văn phòng Sở.",
        "Được viện dẫn tại Quyết định số 987/QĐ-SGD&ĐT ngày 16/7/2012 ban hành Kế hoạch Cải cách "
        "hành chính ngành Giáo dục và Đào tạo giai đoạn 2012-2015.",
        f"Tình trạng hiệu lực: {ControlledDocument.LegalStatus(spec.legal_status).label}.",
    ]
    if spec.note:
        lines.append(spec.note)
    return "\n".join(lines)
