"""``manage.py import_documents``: bulk import of documents approved on paper."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from documents.models import ControlledDocument, IssuedRevision
from search.service import search
from tests.conftest import make_pdf_bytes

HEADER = "đơn vị,mã hiệu,tên,loại,tệp,lần ban hành,ngày hiệu lực,điều khoản,người phê duyệt\n"


@pytest.fixture
def folder(tmp_path, settings):
    settings.QMS_SEARCH_BACKEND = "whoosh"
    base = tmp_path / "ho-so-giay"
    (base / "tep").mkdir(parents=True)
    (base / "tep" / "qt01.pdf").write_bytes(make_pdf_bytes("Quy trình kiểm soát tài liệu giấy"))
    (base / "tep" / "qt01-v2.pdf").write_bytes(make_pdf_bytes("Kiểm soát tài liệu lần hai"))
    (base / "tep" / "hs.pdf").write_bytes(make_pdf_bytes("Quy trình kiểm soát hồ sơ"))
    (base / "tep" / "virus.pdf").write_bytes(b"MZ\x90\x00 not a pdf at all")
    return base


def run(manifest, capture=None):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_documents", str(manifest), stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    return code, out.getvalue(), err.getvalue()


def write(folder, rows: str):
    manifest = folder / "danh-sach.csv"
    manifest.write_text(HEADER + rows, encoding="utf-8")
    return manifest


GOOD = (
    "VP,QT-VP-01,Quy trình kiểm soát tài liệu,procedure,tep/qt01.pdf,1,01/03/2010,"
    "4.2.3,Nguyễn Văn An\n"
    "VP,QT-VP-01,Quy trình kiểm soát tài liệu,Quy trình,tep/qt01-v2.pdf,2,15/03/2012,"
    "4.2.3;8.2.2,Nguyễn Văn An\n"
    "LUONGSON,QT-LS-02,Quy trình kiểm soát hồ sơ,procedure,tep/hs.pdf,3,01/09/2011,,Lê Thị Bình\n"
)


def test_rows_are_imported_as_issued_outside_the_system_and_indexed(
    folder, org, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        code, out, err = run(write(folder, GOOD))
    assert code == 0, err
    assert "Đã nhập 3, bỏ qua 0 (đã có), lỗi 0." in out
    document = ControlledDocument.objects.get(code="QT-VP-01")
    revisions = list(document.issued_revisions.order_by("number"))
    assert [(r.number, r.status) for r in revisions] == [(1, "superseded"), (2, "current")]
    assert all(r.issued_outside_system and r.approved_by_name == "Nguyễn Văn An" for r in revisions)
    assert revisions[1].file_sha256 and "lần hai" in revisions[1].text
    assert sorted(c.number for c in document.iso_clauses.all()) == ["4.2.3", "8.2.2"]
    assert IssuedRevision.objects.get(code="QT-LS-02").number == 3
    hits = search("kiem soat tai lieu lan hai", users.staff_vp).hits
    assert [(h.code, h.number) for h in hits] == [("QT-VP-01", 2)]


def test_rerunning_the_same_manifest_changes_nothing(
    folder, org, django_capture_on_commit_callbacks
):
    manifest = write(folder, GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        run(manifest)
    before = list(IssuedRevision.objects.values_list("pk", "status", "file"))
    code, out, _err = run(manifest)
    assert code == 0
    assert "Đã nhập 0, bỏ qua 3 (đã có), lỗi 0." in out
    assert list(IssuedRevision.objects.values_list("pk", "status", "file")) == before


def test_bad_rows_are_reported_with_line_and_reason_and_good_rows_still_import(folder, org):
    rows = (
        GOOD.splitlines()[0] + "\n"
        "XYZ,QT-X-01,Tài liệu,procedure,tep/hs.pdf,1,01/01/2012,,A\n"
        "VP,QT-VP-05,Tài liệu,bogus,tep/hs.pdf,1,01/01/2012,,A\n"
        "VP,QT-VP-06,Tài liệu,procedure,tep/khong-co.pdf,1,01/01/2012,,A\n"
        "VP,QT-VP-07,Tài liệu,procedure,tep/hs.pdf,1,2012-01-01,,A\n"
        "VP,QT-VP-08,Tài liệu,procedure,tep/hs.pdf,một,01/01/2012,,A\n"
        "VP,QT-VP-09,Tài liệu,procedure,tep/hs.pdf,1,01/01/2012,9.9,A\n"
        "VP,QT-VP-10,Tài liệu,procedure,tep/hs.pdf,1,01/01/2012,,\n"
        "VP,QT-VP-11,Tài liệu,procedure,tep/virus.pdf,1,01/01/2012,,A\n"
        "VP,QT-VP-12,thiếu cột\n"
    )
    code, out, err = run(write(folder, rows))
    assert code == 1
    assert "Dòng 2: đã nhập QT-VP-01 lần ban hành 01." in out
    for line, reason in [
        (3, "không có đơn vị mã “XYZ”"),
        (4, "loại tài liệu “bogus” không hợp lệ"),
        (5, "không tìm thấy tệp “tep/khong-co.pdf”"),
        (6, "không đúng dạng dd/mm/yyyy"),
        (7, "lần ban hành “một” không phải là số"),
        (8, "không có điều khoản ISO 9001:2008 “9.9”"),
        (9, "thiếu tên người phê duyệt"),
        (10, "Dòng 10: LỖI — "),
        (11, "cần 9 cột"),
    ]:
        assert f"Dòng {line}: LỖI — " in err and reason in err, (line, err)
    assert "Đã nhập 1, bỏ qua 0 (đã có), lỗi 9." in err
    assert list(ControlledDocument.objects.values_list("code", flat=True)) == ["QT-VP-01"]


def test_a_changed_file_for_an_imported_revision_is_refused(folder, org):
    run(write(folder, GOOD))
    (folder / "tep" / "qt01.pdf").write_bytes(make_pdf_bytes("Nội dung khác"))
    code, _out, err = run(write(folder, GOOD))
    assert code == 1
    assert "Dòng 2: LỖI — QT-VP-01 lần ban hành 01 đã được nhập với một tệp khác" in err


def test_a_missing_manifest_is_a_clear_error(tmp_path, db):
    code, _out, err = run(tmp_path / "khong-co.csv")
    assert code == 1 and "Không tìm thấy tệp danh sách" in err
