"""Stamped downloads on the staff site and through the API; the unstamped original for
controllers and approvers (documents.download_views, documents.api_files)."""

from __future__ import annotations

import datetime
import hashlib
import io
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from wagtail.models import APIToken

from documents import verification
from documents.lifecycle import issue_revision
from documents.models import IssuedRevision, private_storage
from documents.stamping import MSG_ENCRYPTED, MSG_NOT_PDF
from tests.conftest import make_pdf_bytes


@pytest.fixture
def docs(org, make_document):
    return {
        "vp": make_document(unit=org.vp, code="QT-VP-01", issued=True),
        "province": make_document(
            unit=org.sgd,
            code="QT-SGD-01",
            title="Quy trình đánh giá nội bộ",
            issued=True,
            applies_to=[org.sgd],
        ),
        "luongson": make_document(unit=org.luongson, code="QT-LS-01", issued=True),
        "public": make_document(
            unit=org.luongson,
            code="TTHC-LS-01",
            title="Thủ tục cấp bản sao văn bằng",
            issued=True,
            visibility="public",
        ),
    }


def stored_hash(revision: IssuedRevision) -> str:
    with private_storage().open(revision.file.name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def supersede(document, effective_from=datetime.date(2014, 1, 1)) -> IssuedRevision:
    return issue_revision(
        document=document, effective_from=effective_from, approved_by_name="Nguyễn Minh Thành"
    )


def replace_file(revision: IssuedRevision, name: str, content: bytes) -> None:
    stored = private_storage().save(f"documents/test/{name}", ContentFile(content))
    IssuedRevision.objects.filter(pk=revision.pk).update(file=stored, file_name=name)


def download_url(document, **params) -> str:
    url = f"/tai-lieu/{document.pk}/tai-ve/"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


# --- Staff site ---------------------------------------------------------------------------


def test_staff_download_the_current_revision_stamped_with_their_name_and_a_code(
    client, users, docs
):
    revision = docs["vp"].issued_revisions.get()
    before = stored_hash(revision)
    client.force_login(users.staff_vp)
    response = client.get(download_url(docs["vp"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = text_of(response)
    assert "QT-VP-01 · Lần ban hành 01 · Ngày hiệu lực 01/08/2012 · Văn phòng Sở" in text
    assert "Tải về: staff.vp, lúc" in text
    assert "Bản không kiểm soát khi in" in text
    assert "HẾT HIỆU LỰC" not in text
    code = response["X-Verification-Code"]
    assert f"Mã kiểm tra: {code}" in text and f"/v/{code}/" in text
    assert verification.read_code(code).revision_id == revision.pk
    # The stored original is untouched: its hash still matches the register.
    assert stored_hash(revision) == before


def test_the_file_name_is_safe_ascii_with_the_vietnamese_name_alongside(client, users, docs):
    client.force_login(users.staff_vp)
    disposition = client.get(download_url(docs["vp"]))["Content-Disposition"]
    assert disposition.startswith('attachment; filename="QT-VP-01-(lan-01)-Quy-trinh-kiem-soat')
    vietnamese = "QT-VP-01 (lần 01) Quy trình kiểm soát tài liệu.pdf"
    assert disposition.endswith(f"filename*=UTF-8''{quote(vietnamese, safe='')}")
    assert disposition.isascii()


def test_opening_in_the_browser_serves_the_stamped_copy_inline(client, users, docs):
    client.force_login(users.staff_vp)
    response = client.get(download_url(docs["vp"], xem=1))
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_after_a_new_revision_the_default_download_is_the_new_one(client, users, docs):
    supersede(docs["vp"])
    client.force_login(users.staff_vp)
    text = text_of(client.get(download_url(docs["vp"])))
    assert "Lần ban hành 02 · Ngày hiệu lực 01/01/2014" in text
    assert "HẾT HIỆU LỰC" not in text


def test_a_superseded_revision_asked_for_by_number_carries_het_hieu_luc(client, users, docs):
    supersede(docs["vp"])
    client.force_login(users.staff_vp)
    response = client.get(download_url(docs["vp"], lan=1))
    assert response.status_code == 200
    text = text_of(response)
    assert "HẾT HIỆU LỰC từ 01/01/2014" in text
    assert "Lần ban hành 01" in text


def test_a_withdrawn_document_has_no_default_download(client, users, docs):
    IssuedRevision.objects.filter(document=docs["vp"]).update(
        status=IssuedRevision.Status.OBSOLETE, effective_to=datetime.date(2015, 1, 1)
    )
    client.force_login(users.staff_vp)
    response = client.get(download_url(docs["vp"]))
    assert response.status_code == 404
    assert "không có lần ban hành nào đang có hiệu lực" in response.content.decode()
    assert "HẾT HIỆU LỰC" in text_of(client.get(download_url(docs["vp"], lan=1)))


@pytest.mark.parametrize(("lan", "message"), [("9", "không có lần ban hành số 09"), ("x", "")])
def test_unknown_or_malformed_revision_numbers_get_a_vietnamese_404(
    client, users, docs, lan, message
):
    client.force_login(users.staff_vp)
    response = client.get(download_url(docs["vp"], lan=lan))
    assert response.status_code == 404
    body = response.content.decode()
    assert (message or "Số lần ban hành không hợp lệ") in body


def test_staff_reach_their_units_and_province_wide_documents_only(client, users, docs):
    client.force_login(users.staff_kimboi)
    assert client.get(download_url(docs["province"])).status_code == 200
    assert client.get(download_url(docs["public"])).status_code == 200
    for other in ("vp", "luongson"):
        response = client.get(download_url(docs[other]))
        assert response.status_code == 404
        assert "không có quyền xem" in response.content.decode()
    client.force_login(users.staff_luongson)
    assert client.get(download_url(docs["luongson"])).status_code == 200
    assert client.get(download_url(docs["vp"])).status_code == 404


def test_anonymous_visitors_download_public_documents_only(client, docs):
    response = client.get(download_url(docs["public"]))
    assert response.status_code == 200
    assert "Tải về: khách (không đăng nhập)" in text_of(response)
    response = client.get(download_url(docs["vp"]))
    assert response.status_code == 302
    assert "next=" in response["Location"]
    assert client.get("/tai-lieu/999999/tai-ve/").status_code == 404


def test_a_word_original_is_refused_with_a_message_and_a_link_to_the_original_for_controllers(
    client, users, docs
):
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    replace_file(docs["vp"].issued_revisions.get(), "QT-VP-01.docx", buffer.getvalue())

    client.force_login(users.staff_vp)
    response = client.get(download_url(docs["vp"]))
    assert response.status_code == 409
    assert MSG_NOT_PDF in response.content.decode()
    assert "/original" not in response.content.decode()

    client.force_login(users.controller_sgd)
    response = client.get(download_url(docs["vp"]))
    assert response.status_code == 409
    assert f"/api/v1/documents/{docs['vp'].pk}/original?revision=1" in response.content.decode()


def test_a_password_locked_original_is_refused_with_a_message_not_a_500(client, users, docs):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf_bytes())))
    writer.encrypt(user_password="khóa", owner_password="chủ", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    replace_file(docs["vp"].issued_revisions.get(), "QT-VP-01.pdf", buffer.getvalue())
    client.force_login(users.staff_vp)
    response = client.get(download_url(docs["vp"]))
    assert response.status_code == 409
    assert MSG_ENCRYPTED in response.content.decode()


def test_a_missing_file_is_reported_not_a_500(client, users, docs):
    revision = docs["vp"].issued_revisions.get()
    private_storage().delete(revision.file.name)
    client.force_login(users.staff_vp)
    response = client.get(download_url(docs["vp"]))
    assert response.status_code == 409
    assert "không có tệp" in response.content.decode()


# --- API ----------------------------------------------------------------------------------


def api(document, endpoint: str, **params) -> str:
    url = f"/api/v1/documents/{document.pk}/{endpoint}"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_both_routers_on_the_documents_prefix_answer(client, users, docs):
    client.force_login(users.staff_vp)
    assert client.get(f"/api/v1/documents/{docs['vp'].pk}").status_code == 200
    assert client.get(api(docs["vp"], "download")).status_code == 200
    assert reverse("api:document_download", args=[docs["vp"].pk]) == api(docs["vp"], "download")
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/documents/{document_id}/download" in schema["paths"]
    assert "/api/v1/documents/{document_id}/original" in schema["paths"]


def test_the_api_download_is_stamped_and_other_revisions_are_marked(client, users, docs):
    supersede(docs["vp"])
    _token, plaintext = APIToken.create_token(user=users.staff_vp, name="một cửa")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    current = client.get(api(docs["vp"], "download"), **auth)
    assert current.status_code == 200
    assert "Lần ban hành 02" in text_of(current)
    assert "HẾT HIỆU LỰC" not in text_of(current)
    old = client.get(api(docs["vp"], "download", revision=1), **auth)
    assert "HẾT HIỆU LỰC từ 01/01/2014" in text_of(old)
    missing = client.get(api(docs["vp"], "download", revision=7), **auth)
    assert missing.status_code == 404
    assert "số 07" in missing.json()["detail"]


def test_the_api_download_follows_the_same_access_rules(client, users, docs):
    assert client.get(api(docs["public"], "download")).status_code == 200
    assert client.get(api(docs["vp"], "download")).status_code == 404
    client.force_login(users.staff_kimboi)
    assert client.get(api(docs["province"], "download")).status_code == 200
    assert client.get(api(docs["luongson"], "download")).status_code == 404


def test_the_api_refuses_an_unstampable_file_with_409_and_a_reason(client, users, docs):
    replace_file(docs["vp"].issued_revisions.get(), "QT-VP-01.docx", b"PK\x03\x04 docx")
    client.force_login(users.staff_vp)
    response = client.get(api(docs["vp"], "download"))
    assert response.status_code == 409
    assert response.json()["detail"] == MSG_NOT_PDF


def test_controllers_and_approvers_get_the_unstamped_original_with_its_hash(client, users, docs):
    revision = docs["vp"].issued_revisions.get()
    for user in (users.controller_sgd, users.approver_sgd):
        client.force_login(user)
        response = client.get(api(docs["vp"], "original"))
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        assert hashlib.sha256(content).hexdigest() == stored_hash(revision)
        assert "Mã kiểm tra" not in text_of_bytes(content)


def text_of_bytes(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_readers_are_refused_the_original_with_a_vietnamese_reason(client, users, docs):
    client.force_login(users.staff_vp)
    response = client.get(api(docs["vp"], "original"))
    assert response.status_code == 403
    assert "thư ký ISO và người phê duyệt" in response.json()["detail"]
    # A controller of another QMS does not even learn that the document exists.
    client.force_login(users.controller_luongson)
    assert client.get(api(docs["vp"], "original")).status_code == 404
    client.logout()
    assert client.get(api(docs["public"], "original")).status_code == 401


def test_the_original_of_a_superseded_revision_is_available_by_number(client, users, docs):
    supersede(docs["vp"])
    client.force_login(users.controller_sgd)
    response = client.get(api(docs["vp"], "original", revision=1))
    assert response.status_code == 200
    assert 'filename="QT-VP-01-(lan-01)' in response["Content-Disposition"]


def test_a_download_asks_the_database_a_bounded_number_of_times(
    client, users, docs, django_assert_max_num_queries
):
    client.force_login(users.staff_kimboi)
    with django_assert_max_num_queries(10):
        assert client.get(download_url(docs["province"])).status_code == 200
