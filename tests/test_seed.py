"""The demo data (``manage.py seed_demo``): the 2012 organisation, its people and documents."""

from __future__ import annotations

import datetime
import io
import unicodedata
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import Revision

from audits.models import (
    Audit,
    AuditProgramme,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    PlannedAudit,
)
from documents.models import ControlledDocument, DocumentKind, IssuedRevision
from qms.models import Membership, OrgUnit, Role

pytestmark = pytest.mark.django_db

DISTRICTS = {
    "TPHB",
    "DABAC",
    "MAICHAU",
    "KYSON",
    "CAOPHONG",
    "LUONGSON",
    "KIMBOI",
    "TANLAC",
    "LACSON",
    "LACTHUY",
    "YENTHUY",
}
OFFICES = {"VP", "TCCB", "KHTC", "GDTRH", "GDTH", "GDMN", "KTKD", "TTRA"}


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def fingerprint() -> dict:
    """Counts and the key fields of everything the seed writes."""
    return {
        "units": sorted(
            OrgUnit.objects.values_list(
                "short_code",
                "name",
                "kind",
                "parent__short_code",
                "runs_own_qms",
                "document_code_pattern",
                "valid_to",
                "merged_into__short_code",
            )
        ),
        "users": sorted(
            get_user_model().objects.values_list(
                "username", "first_name", "last_name", "email", "is_superuser"
            )
        ),
        "memberships": sorted(
            Membership.objects.values_list("user__username", "unit__short_code", "role")
        ),
        "documents": sorted(
            ControlledDocument.objects.values_list(
                "code",
                "unit__short_code",
                "kind",
                "visibility",
                "live",
                "file",
                "file_sha256",
                "page_count",
                "parent__code",
            )
        ),
        "revisions": sorted(
            IssuedRevision.objects.values_list(
                "code", "number", "status", "effective_from", "effective_to", "file_sha256"
            )
        ),
        "wagtail_revisions": Revision.objects.count(),
        "audit_programmes": sorted(
            AuditProgramme.objects.values_list(
                "qms_root__short_code", "year", "approved_by__username", "approved_at"
            )
        ),
        "planned_audits": PlannedAudit.objects.count(),
        "audits": sorted(
            Audit.objects.values_list("title", "qms_root__short_code", "status", "start_date")
        ),
        "checklist_items": sorted(ChecklistItem.objects.values_list("question", "result")),
        "findings": sorted(
            Finding.objects.values_list("kind", "clause__number", "revision__code", "status")
        ),
        "actions": sorted(
            CorrectiveAction.objects.values_list("owner__username", "status", "due_date")
        ),
    }


def stored_files(settings) -> set[Path]:
    return {path for path in Path(settings.QMS_PRIVATE_DIR).rglob("*") if path.is_file()}


def pdf_text(field_file) -> str:
    with field_file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
        return "\n".join(page.extract_text() for page in reader.pages)


def test_seeding_twice_gives_the_same_data_writes_no_second_file_and_keeps_passwords(settings):
    output = seed()
    first, files = fingerprint(), stored_files(settings)
    # A demo user who changed their password keeps it: existing rows are left as they are.
    user = get_user_model().objects.get(username="staff.vp")
    user.set_password("mật-khẩu-mới")
    user.save()

    again = seed()

    assert fingerprint() == first
    assert stored_files(settings) == files
    assert "thêm 0 đơn vị, 0 người dùng, 0 phân công vai trò, 0 tài liệu, 0 lần ban hành" in again
    user.refresh_from_db()
    assert user.check_password("mật-khẩu-mới")
    assert settings.QMS_DEMO_PASSWORD in output
    assert "approver.luongson" in output
    # 12 controlled documents + the decision + 9 external ones; QT-SGD-01 is issued twice.
    assert len(first["documents"]) == 22
    assert len(first["revisions"]) == 23
    assert len(files) == 23
    assert len(first["audit_programmes"]) == 1 and first["planned_audits"] == 2
    assert len(first["audits"]) == 1 and len(first["findings"]) == 2
    assert len(first["actions"]) == 1


def test_the_2012_organisation_has_the_department_its_offices_and_eleven_districts():
    seed()
    sgd = OrgUnit.objects.get(short_code="SGD")
    assert sgd.name == "Sở Giáo dục và Đào tạo tỉnh Hòa Bình"
    assert sgd.parent is None and sgd.runs_own_qms
    assert sgd.document_code_pattern.format(unit="SGD", number=1) == "QT-SGD-01"
    offices = OrgUnit.objects.filter(kind=OrgUnit.Kind.OFFICE)
    assert set(offices.values_list("short_code", flat=True)) == OFFICES
    assert not offices.filter(runs_own_qms=True).exists()
    districts = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT, parent=sgd, runs_own_qms=True)
    assert set(districts.values_list("short_code", flat=True)) == DISTRICTS
    assert OrgUnit.objects.get(short_code="LUONGSON").name == "Phòng GD&ĐT Lương Sơn"
    # Kỳ Sơn merged into Thành phố Hòa Bình at the start of 2020.
    ky_son = OrgUnit.objects.get(short_code="KYSON")
    assert ky_son.valid_to == datetime.date(2020, 1, 1)
    assert ky_son.merged_into.short_code == "TPHB"
    assert ky_son in OrgUnit.objects.active(on=datetime.date(2019, 12, 31))
    assert ky_son not in OrgUnit.objects.active(on=datetime.date(2020, 1, 1))


def test_demo_users_hold_their_roles_with_vietnamese_names():
    seed()
    User = get_user_model()
    expected = {
        "qm.sgd": ("SGD", Role.QUALITY_MANAGER),
        "controller.sgd": ("SGD", Role.CONTROLLER),
        "approver.sgd": ("SGD", Role.APPROVER),
        "auditor.sgd": ("SGD", Role.AUDITOR),
        "author.vp": ("VP", Role.AUTHOR),
        "reviewer.vp": ("VP", Role.REVIEWER),
        "staff.vp": ("VP", Role.STAFF),
        "qm.luongson": ("LUONGSON", Role.QUALITY_MANAGER),
        "author.luongson": ("LUONGSON", Role.AUTHOR),
        "reviewer.luongson": ("LUONGSON", Role.REVIEWER),
        "approver.luongson": ("LUONGSON", Role.APPROVER),
        "controller.luongson": ("LUONGSON", Role.CONTROLLER),
        "auditor.luongson": ("LUONGSON", Role.AUDITOR),
        "staff.luongson": ("LUONGSON", Role.STAFF),
        "approver.kimboi": ("KIMBOI", Role.APPROVER),
        "auditor.kimboi": ("KIMBOI", Role.AUDITOR),
        "staff.kimboi": ("KIMBOI", Role.STAFF),
    }
    for username, (unit, role) in expected.items():
        user = User.objects.get(username=username)
        assert set(user.memberships.values_list("unit__short_code", "role")) == {(unit, role)}
        assert user.email == f"{username}@hoabinh.edu.vn"
        assert not user.is_superuser
    assert User.objects.get(username="approver.sgd").get_full_name() == "Nguyễn Minh Thành"
    kim_boi_staff = Membership.objects.filter(unit__short_code="KIMBOI", role=Role.STAFF)
    assert kim_boi_staff.count() == 16
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not admin.memberships.exists()


def test_demo_users_log_into_the_admin_and_list_their_units_documents(client, settings):
    seed()
    listing = reverse(ControlledDocument.snippet_viewset.get_url_name("list"))

    assert client.login(username="author.luongson", password=settings.QMS_DEMO_PASSWORD)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    page = client.get(listing).content.decode()
    assert "QT-LS-01" in page
    assert "QT-SGD-01" in page  # the department's procedures apply province-wide

    client.logout()
    assert client.login(username="author.vp", password=settings.QMS_DEMO_PASSWORD)
    # 22 documents ordered by code: the listing shows them on two pages.
    pages = client.get(listing).content.decode() + client.get(listing, {"p": 2}).content.decode()
    assert "ST-SGD" in pages and "QT-SGD-06" in pages and "987/QĐ-SGD&amp;ĐT" in pages


def test_a_wrong_password_and_staff_without_an_admin_role_are_refused(client, settings):
    seed()
    assert not client.login(username="author.vp", password="sai-mật-khẩu")
    assert client.login(username="staff.vp", password=settings.QMS_DEMO_PASSWORD)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_seeded_pdfs_carry_nfc_vietnamese_text_and_the_header_block():
    seed()
    document = ControlledDocument.objects.get(code="QT-SGD-01")
    text = pdf_text(document.file)

    assert unicodedata.is_normalized("NFC", text)
    for words in (
        "Mã số: QT-SGD-01",
        "Lần ban hành: 02",
        "Ngày ban hành: 15/01/2013",
        "Trang: 1/",
        "Người soạn thảo",
        "Người phê duyệt",
        "Nguyễn Minh Thành",
        "THEO DÕI SỬA ĐỔI TÀI LIỆU",
        "1. MỤC ĐÍCH",
        "7. HỒ SƠ CẦN LƯU",
    ):
        assert words in text, words
    assert "quy trình kiểm soát tài liệu" in text.lower()
    assert document.text == unicodedata.normalize("NFC", document.text)
    assert "Mã số" in document.text and document.extraction_status == "text"
    assert document.page_count >= 2

    objectives = ControlledDocument.objects.get(code="MT-SGD")
    assert "hài lòng" in objectives.text and "trên 80%" in objectives.text


def test_document_control_has_revision_01_superseded_by_02_each_with_its_own_pdf():
    seed()
    document = ControlledDocument.objects.get(code="QT-SGD-01")
    first, second = document.issued_revisions.order_by("number")

    assert (first.number, first.status) == (1, IssuedRevision.Status.SUPERSEDED)
    assert first.effective_from == datetime.date(2012, 8, 1)
    assert first.effective_to == datetime.date(2013, 1, 15)
    assert (second.number, second.status) == (2, IssuedRevision.Status.CURRENT)
    assert second.change_summary and second.approved_by.username == "approver.sgd"
    assert second.prepared_by.username == "author.vp"
    assert first.file_sha256 != second.file_sha256
    assert "Lần ban hành: 01" in pdf_text(first.file)
    assert "Ngày ban hành: 01/08/2012" in pdf_text(first.file)
    in_force = IssuedRevision.objects.in_force_on(datetime.date(2012, 12, 1))
    assert in_force.get(document=document) == first

    assert document.live and document.status == ControlledDocument.Status.IN_FORCE
    assert document.live_revision == second.source_revision
    assert document.first_published_at.year == 2012
    assert document.revisions.count() == 2


def test_documents_carry_their_clauses_scope_and_visibility():
    seed()
    expected = {
        "ST-SGD": "4.2.2",
        "CS-SGD": "5.3",
        "MT-SGD": "5.4.1",
        "QT-SGD-01": "4.2.3",
        "QT-SGD-02": "4.2.4",
        "QT-SGD-03": "8.2.2",
        "QT-SGD-04": "8.3",
        "QT-SGD-05": "8.5.2",
        "QT-SGD-06": "8.5.3",
    }
    documents = ControlledDocument.objects.prefetch_related("iso_clauses", "applies_to")
    for code, clause in expected.items():
        document = documents.get(code=code)
        assert clause in {c.number for c in document.iso_clauses.all()}, code
        assert [u.short_code for u in document.applies_to.all()] == ["SGD"], code
        assert document.live and document.issued_revisions.current().exists(), code
    assert documents.get(code="CS-SGD").visibility == ControlledDocument.Visibility.PUBLIC
    assert documents.get(code="QT-SGD-03").visibility == ControlledDocument.Visibility.INTERNAL
    form = documents.get(code="BM-01/QT-SGD-05")
    assert form.kind == DocumentKind.FORM and form.parent.code == "QT-SGD-05"
    assert documents.get(code="BM-01/QT-SGD-01").parent.code == "QT-SGD-01"
    local = documents.get(code="QT-LS-01")
    assert local.unit.short_code == "LUONGSON" and local.qms_root.short_code == "LUONGSON"
    assert local.visibility == ControlledDocument.Visibility.PUBLIC
    assert local.issued_revisions.get().approved_by.username == "approver.luongson"


def test_the_seed_decision_and_the_external_documents_it_cites_are_registered():
    seed()
    decision = ControlledDocument.objects.get(kind=DocumentKind.DECISION)
    assert decision.official_number == "987/QĐ-SGD&ĐT"
    assert decision.visibility == ControlledDocument.Visibility.PUBLIC
    assert decision.issued_on == datetime.date(2012, 7, 16)
    # Both tone-mark placements of the scanned original survive.
    assert "Hoà Bình, ngày 16 tháng 7 năm 2012" in decision.text
    assert "Hòa Bình" in decision.text
    assert "TCVN ISO 9001:2008" in decision.text

    external = ControlledDocument.objects.filter(kind=DocumentKind.EXTERNAL)
    dates = dict(external.values_list("official_number", "issued_on"))
    assert dates == {
        "04/2012/QĐ-UBND": datetime.date(2012, 3, 30),
        "30c/NQ-CP": datetime.date(2011, 11, 8),
        "688/QĐ-UBND": datetime.date(2012, 6, 4),
        "63/2010/NĐ-CP": datetime.date(2010, 6, 8),
        "49/QĐ-UBND": datetime.date(2009, 1, 13),
        "19/2009/QĐ-UBND": datetime.date(2009, 4, 28),
        "158/2007/NĐ-CP": datetime.date(2007, 10, 27),
        "745/QĐ-UBND": datetime.date(2011, 5, 9),
        "15/2007/QĐ-UBND": datetime.date(2007, 9, 6),
    }
    assert all(doc.issuing_body and doc.legal_status for doc in external)
    assert external.get(official_number="63/2010/NĐ-CP").issuing_body == "Chính phủ"


def test_if_empty_does_nothing_on_a_populated_database(org):
    output = seed("--if-empty")

    assert "bỏ qua" in output
    assert OrgUnit.objects.count() == 4
    assert not get_user_model().objects.exists()
    assert not ControlledDocument.objects.exists()


def test_if_empty_seeds_an_empty_database():
    seed("--if-empty")
    assert OrgUnit.objects.filter(short_code="SGD").exists()
    assert ControlledDocument.objects.filter(code="QT-SGD-01").exists()


def test_seeded_file_facts_are_those_the_upload_pipeline_reads():
    from documents.files import analyse_into

    seed()
    document = ControlledDocument.objects.get(code="QT-SGD-01")
    seeded = (document.file_sha256, document.file_size, document.page_count, document.text)

    analyse_into(document)

    assert (document.file_sha256, document.file_size, document.page_count, document.text) == seeded
    assert document.extraction_status == "text"


def test_the_demo_audit_of_luong_son_has_a_minor_nonconformity_on_revision_01_being_corrected(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        output = seed()
    assert "1 cuộc đánh giá" in output
    # The 2013 story is replayed silently: nobody is e-mailed today about a 2013 finding.
    assert mailoutbox == []
    programme = AuditProgramme.objects.get(qms_root__short_code="SGD", year=2013)
    assert programme.approved_by.username == "qm.sgd"
    assert sorted(programme.planned_audits.values_list("month", flat=True)) == [5, 10]
    audit = Audit.objects.get(qms_root__short_code="LUONGSON")
    assert audit.status == "completed" and audit.start_date == datetime.date(2013, 3, 12)
    assert audit.lead_auditor.username == "auditor.sgd"
    assert audit.checklist.exclude(result="not_checked").count() == 3
    minor = audit.findings.get(kind="minor")
    assert (minor.clause.number, minor.revision.code, minor.revision.number) == (
        "4.2.3",
        "QT-LS-01",
        1,
    )
    assert minor.status == "action_planned"
    assert minor.acknowledged_by.username == "approver.luongson"
    action = minor.actions.get()
    assert (action.owner.username, action.status) == ("author.luongson", "planned")
    assert audit.findings.filter(kind="observation", status="open").count() == 1
