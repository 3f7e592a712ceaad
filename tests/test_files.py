"""Uploaded files: refusals, hashing, text extraction in a limited child process, outcomes."""

from __future__ import annotations

import hashlib
import time
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse

from documents import extraction, files
from documents.models import ControlledDocument, DocumentKind, ExtractionStatus
from tests import fixtures_files as make

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def analysed(org, data: bytes, name: str) -> ControlledDocument:
    """A document whose file is a fresh, unsaved upload of ``data``, analysed."""
    document = ControlledDocument(unit=org.vp, code="QT-VP-01", title="Quy trình", kind="procedure")
    document.file = ContentFile(data, name=name)
    files.analyse_into(document)
    return document


# --- What is read, and how it is recorded -----------------------------------------------------


def test_a_vietnamese_pdf_is_read_into_nfc_text_with_its_identity(org):
    data = make.vietnamese_pdf()
    document = analysed(org, data, "QT-VP-01 Kiểm soát tài liệu.pdf")
    assert document.extraction_status == ExtractionStatus.TEXT
    assert document.extraction_detail == ""
    assert "QUY TRÌNH KIỂM SOÁT TÀI LIỆU" in document.text
    assert "Sở Giáo dục và Đào tạo tỉnh Hòa Bình" in document.text
    assert is_nfc(document.text)
    assert document.page_count == 1
    assert document.file_size == len(data)
    assert document.file_sha256 == hashlib.sha256(data).hexdigest()
    assert document.file_name == "QT-VP-01 Kiểm soát tài liệu.pdf"


def test_decomposed_diacritics_in_a_pdf_are_stored_precomposed(org):
    phrase = "Phòng Giáo dục và Đào tạo huyện Lương Sơn kiểm soát tài liệu"
    data = make.nfd_pdf(phrase)
    assert not is_nfc(make.pdf_text_of(data))  # pypdf itself hands back the decomposed marks
    document = analysed(org, data, "nfd.pdf")
    assert document.extraction_status == ExtractionStatus.TEXT
    assert is_nfc(document.text)
    assert document.text.strip() == phrase


def test_a_password_protected_pdf_is_recorded_as_encrypted(org):
    document = analysed(org, make.encrypted_pdf(), "mat-khau.pdf")
    assert document.extraction_status == ExtractionStatus.ENCRYPTED
    assert document.text == ""
    assert "mật khẩu" in document.extraction_detail
    assert document.file_sha256 and document.file_size


def test_a_pdf_with_only_a_permissions_password_is_still_read(org):
    document = analysed(org, make.encrypted_pdf(user_password=""), "han-che-quyen.pdf")
    assert document.extraction_status == ExtractionStatus.TEXT
    assert "KIỂM SOÁT TÀI LIỆU" in document.text


def test_a_truncated_pdf_is_recorded_as_corrupt(org):
    document = analysed(org, make.truncated_pdf(), "cat-cut.pdf")
    assert document.extraction_status == ExtractionStatus.CORRUPT
    assert document.extraction_detail
    assert "Tệp bị hỏng" in files.outcome_message(document)


def test_a_pdf_whose_page_tree_contains_itself_is_recorded_as_corrupt(org):
    document = analysed(org, make.cyclic_pdf(), "vong-lap.pdf")
    assert document.extraction_status == ExtractionStatus.CORRUPT
    assert "cấu trúc" in document.extraction_detail


def test_a_scanned_pdf_without_text_layer_is_recorded_as_needing_ocr(org):
    document = analysed(org, make.image_only_pdf(pages=2), "ban-quet.pdf")
    assert document.extraction_status == ExtractionStatus.NO_TEXT
    assert document.page_count == 2
    assert "OCR" in files.outcome_message(document)


def test_a_pdf_typed_in_the_tcvn3_font_is_flagged(org):
    document = analysed(org, make.tcvn3_pdf(), "quy-trinh-cu.pdf")
    assert document.extraction_status == ExtractionStatus.LEGACY_FONT
    assert ".VnTime" in document.extraction_detail
    assert "tr×nh" in document.text.lower()  # what a reader of the mojibake would see


def test_a_vietnamese_docx_is_read_with_its_tables(org):
    document = analysed(org, make.vietnamese_docx(), "QT-VP-01.docx")
    assert document.extraction_status == ExtractionStatus.TEXT
    assert "Mục đích: thống nhất cách soạn thảo" in document.text
    assert "Người phê duyệt" in document.text
    assert is_nfc(document.text)
    assert document.page_count == 1  # from docProps/app.xml


def test_a_docx_typed_in_a_vni_font_is_flagged(org):
    vni = (
        "Muïc ñích: thoáng nhaát caùch soaïn thaûo, xem xeùt, pheâ duyeät vaø ban haønh taøi lieäu"
    )
    document = analysed(org, make.vietnamese_docx(font="VNI-Times", paragraphs=[vni]), "vni.docx")
    assert document.extraction_status == ExtractionStatus.LEGACY_FONT
    assert "VNI-Times" in document.extraction_detail


def test_an_empty_docx_is_recorded_as_without_text(org):
    document = analysed(org, make.vietnamese_docx(paragraphs=[]), "trong.docx")
    assert document.extraction_status == ExtractionStatus.NO_TEXT


def test_a_truncated_docx_is_accepted_and_recorded_as_corrupt(org):
    data = make.vietnamese_docx()
    upload = SimpleUploadedFile("cat-cut.docx", data[: len(data) // 2], DOCX_TYPE)
    assert files.validate_upload(upload) == "docx"
    document = analysed(org, data[: len(data) // 2], "cat-cut.docx")
    assert document.extraction_status == ExtractionStatus.CORRUPT


def test_a_document_without_file_records_no_file(org):
    document = ControlledDocument(unit=org.vp, code="QT-VP-02", title="Trống", kind="procedure")
    files.analyse_into(document)
    assert document.extraction_status == ExtractionStatus.NO_FILE
    assert document.file_sha256 == "" and document.file_size is None


# --- Limits: nothing can hang or exhaust the server -------------------------------------------


def test_a_pdf_that_keeps_the_parser_busy_is_stopped_by_the_time_limit(org, settings):
    settings.QMS_EXTRACT_TIMEOUT_S = 1
    settings.QMS_EXTRACT_MEMORY_MB = 4096  # so that the clock, not the memory, stops it
    data = make.slow_pdf()
    started = time.monotonic()
    document = analysed(org, data, "bom.pdf")
    assert time.monotonic() - started < 5
    assert document.extraction_status == ExtractionStatus.TOO_LARGE
    assert "quá 1 giây" in document.extraction_detail
    assert document.file_sha256 == hashlib.sha256(data).hexdigest()


def test_a_pdf_that_needs_too_much_memory_is_stopped_by_the_memory_limit(org, settings):
    settings.QMS_EXTRACT_TIMEOUT_S = 30
    settings.QMS_EXTRACT_MEMORY_MB = 120  # the child reads ordinary files in less than 60 MB
    document = analysed(org, make.slow_pdf(), "bom.pdf")
    assert document.extraction_status == ExtractionStatus.TOO_LARGE
    assert "120 MB bộ nhớ" in document.extraction_detail


def test_a_file_over_the_limit_is_not_parsed_by_the_bulk_path(settings, tmp_path):
    settings.QMS_MAX_UPLOAD_MB = 1
    path = tmp_path / "lon.pdf"
    path.write_bytes(make.vietnamese_pdf() + b"\n%" + b"x" * (1024 * 1024))
    analysis = extraction.analyse_path(path)
    assert analysis.status == ExtractionStatus.TOO_LARGE
    assert "vượt giới hạn 1 MB" in analysis.detail


# --- Refusals at upload -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "code", "words"),
    [
        ("quy-trinh.pdf", make.windows_exe(), "wrong_type", "không phải PDF"),
        ("quy-trinh.exe", make.windows_exe(), "wrong_type", "không phải PDF"),
        ("anh.pdf", b"\x89PNG\r\n\x1a\n" + bytes(100), "wrong_type", "không phải PDF"),
        ("quy-trinh.doc", make.legacy_doc(), "legacy_doc", "Word cũ (.doc)"),
        ("quy-trinh.docx", make.legacy_doc(), "legacy_doc", "lưu lại dưới dạng .docx"),
        ("quy-trinh.docx", make.vietnamese_pdf(), "extension_mismatch", "không khớp"),
        ("trong.pdf", b"", "empty", "rỗng"),
    ],
)
def test_a_file_that_is_not_a_pdf_or_docx_is_refused_in_vietnamese(name, content, code, words):
    with pytest.raises(ValidationError) as refused:
        files.validate_upload(SimpleUploadedFile(name, content, PDF_TYPE))
    assert refused.value.code == code
    assert words in " ".join(refused.value.messages)


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "bang-tinh.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ValidationError) as refused, open(path, "rb") as handle:
        files.validate_upload(File(handle, name="bang-tinh.docx"))
    assert refused.value.code == "wrong_type"


def test_a_zip_announcing_more_parts_than_any_word_file_is_refused_unopened(tmp_path):
    import zipfile

    path = tmp_path / "nhieu-phan.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for number in range(extraction.MAX_ZIP_ENTRIES):
            archive.writestr(f"p/{number}", "")
    with pytest.raises(ValidationError) as refused, open(path, "rb") as handle:
        files.validate_upload(File(handle, name="nhieu-phan.docx"))
    assert refused.value.code == "wrong_type"


def test_a_file_without_extension_is_recorded_under_its_real_type(org):
    document = ControlledDocument(unit=org.vp, code="QT-VP-03", title="Không tên", kind="form")
    document.file = ContentFile(make.vietnamese_pdf(), name="QT-VP-03")
    assert files.validate_upload(document.file.file) == "pdf"
    files.analyse_into(document)
    assert document.file_name == "QT-VP-03.pdf"


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.QMS_MAX_UPLOAD_MB = 1
    content = make.vietnamese_pdf() + b"\n%" + b"x" * (1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        files.validate_upload(SimpleUploadedFile("lon.pdf", content, PDF_TYPE))
    assert refused.value.code == "too_large"
    assert "vượt giới hạn 1 MB" in refused.value.messages[0]


def test_every_kind_of_django_file_is_accepted_and_left_rewound(tmp_path):
    pdf, docx = make.vietnamese_pdf(), make.vietnamese_docx()
    on_disk = tmp_path / "QT-VP-01.docx"
    on_disk.write_bytes(docx)
    temporary = TemporaryUploadedFile("QT-VP-01.pdf", PDF_TYPE, len(pdf), None)
    temporary.write(pdf)
    temporary.seek(0)
    with open(on_disk, "rb") as handle:
        candidates = [
            (SimpleUploadedFile("QT-VP-01.pdf", pdf, PDF_TYPE), "pdf"),
            (temporary, "pdf"),
            (ContentFile(docx, name="QT-VP-01.docx"), "docx"),
            (File(handle, name="QT-VP-01.docx"), "docx"),
        ]
        for candidate, kind in candidates:
            assert files.validate_upload(candidate) == kind
            assert candidate.tell() == 0
            analysis = files.analyse_upload(candidate)
            assert analysis.status == ExtractionStatus.TEXT
            assert "KIỂM SOÁT TÀI LIỆU" in analysis.text
            assert candidate.tell() == 0
    temporary.close()


def test_legacy_encodings_are_told_apart_from_genuine_vietnamese():
    genuine = "Quy trình «kiểm soát tài liệu» của Sở GD&ĐT © 2012 — Hòa Bình, ngày 16 tháng 7"
    assert not extraction.looks_legacy_encoded(genuine)
    assert extraction.looks_legacy_encoded(make.to_tcvn3(genuine))
    assert extraction.is_legacy_font("ABCDEF+.VnTimeH")
    assert extraction.is_legacy_font("VNI-Helve")
    assert not extraction.is_legacy_font("TimesNewRomanPSMT")
    assert not extraction.is_legacy_font("ABCDEF+DejaVuSans")


def test_stored_text_carries_no_characters_the_database_refuses():
    assert extraction.clean_text("Hoa\x00 Bi\u0300nh\x07\ud800") == "Hoa Bình"


# --- Through the Wagtail admin ------------------------------------------------------------------


def add_url() -> str:
    return reverse(ControlledDocument.snippet_viewset.get_url_name("add"))


def form_data(org, upload, code="QT-VP-09") -> dict:
    return {
        "code": code,
        "kind": DocumentKind.PROCEDURE,
        "title": "Quy trình tiếp nhận hồ sơ",
        "unit": org.vp.pk,
        "visibility": ControlledDocument.Visibility.INTERNAL,
        "review_period_months": 12,
        "change_summary": "Ban hành lần đầu",
        "file": upload,
    }


def test_the_admin_refuses_a_renamed_program_with_a_form_error(client, org, users):
    client.force_login(users.author_vp)
    upload = SimpleUploadedFile("quy-trinh.pdf", make.windows_exe(), PDF_TYPE)
    response = client.post(add_url(), form_data(org, upload))
    assert response.status_code == 200
    assert "không phải PDF" in response.context["form"].errors["file"][0]
    assert not ControlledDocument.objects.filter(code="QT-VP-09").exists()


def test_the_admin_refuses_an_oversize_file_with_a_form_error(client, org, users, settings):
    settings.QMS_MAX_UPLOAD_MB = 1
    client.force_login(users.author_vp)
    upload = SimpleUploadedFile("lon.pdf", make.vietnamese_pdf() + b"x" * 1048576, PDF_TYPE)
    response = client.post(add_url(), form_data(org, upload))
    assert response.status_code == 200
    assert "vượt giới hạn 1 MB" in response.context["form"].errors["file"][0]


def test_the_admin_stores_an_upload_privately_and_shows_its_outcome(client, org, users, settings):
    client.force_login(users.author_vp)
    upload = SimpleUploadedFile("Quy trình có mật khẩu.pdf", make.encrypted_pdf(), PDF_TYPE)
    response = client.post(add_url(), form_data(org, upload))
    assert response.status_code == 302
    document = ControlledDocument.objects.get(code="QT-VP-09")
    assert document.extraction_status == ExtractionStatus.ENCRYPTED
    assert document.file_name == "Quy trình có mật khẩu.pdf"
    stored = settings.QMS_PRIVATE_DIR / document.file.name
    assert stored.is_file() and stored.read_bytes().startswith(b"%PDF-")

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("documents:file", args=[document.pk]) in html
    assert str(ExtractionStatus.ENCRYPTED.label) in html


def test_a_new_file_for_a_live_document_is_stored_with_the_draft(
    client, org, users, make_document, settings
):
    document = make_document(unit=org.vp, code="QT-VP-05", issued=True)
    old_file = document.file.name
    client.force_login(users.author_vp)
    upload = SimpleUploadedFile("QT-VP-05 sửa đổi.docx", make.vietnamese_docx(), DOCX_TYPE)
    data = form_data(org, upload, code="QT-VP-05")
    response = client.post(
        reverse(ControlledDocument.snippet_viewset.get_url_name("edit"), args=[document.pk]), data
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.file.name == old_file  # the revision in force is untouched until approval
    draft = document.latest_revision.as_object()
    assert draft.file.name != old_file
    assert (settings.QMS_PRIVATE_DIR / draft.file.name).is_file()
    assert draft.file_name == "QT-VP-05 sửa đổi.docx"
    assert draft.extraction_status == ExtractionStatus.TEXT
    assert "Người phê duyệt" in draft.text


@pytest.mark.parametrize(
    ("builder", "status"),
    [
        (make.truncated_pdf, ExtractionStatus.CORRUPT),
        (make.tcvn3_pdf, ExtractionStatus.LEGACY_FONT),
        (make.slow_pdf, ExtractionStatus.TOO_LARGE),
    ],
)
def test_a_hostile_file_accepted_by_the_admin_is_recorded_not_a_crash(
    client, org, users, settings, builder, status
):
    settings.QMS_EXTRACT_TIMEOUT_S = 1
    client.force_login(users.author_vp)
    upload = SimpleUploadedFile("tep-kho.pdf", builder(), PDF_TYPE)
    response = client.post(add_url(), form_data(org, upload))
    assert response.status_code == 302
    document = ControlledDocument.objects.get(code="QT-VP-09")
    assert document.extraction_status == status
    assert str(status.label) in client.get(response["Location"]).content.decode()
