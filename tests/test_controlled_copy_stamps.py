"""Registered controlled copies in the stamped download ("BẢN KIỂM SOÁT số NN", ``?ban=<id>``)
and in the verification code, so ``/v/<code>`` recognises a recalled copy
(documents.download_views, documents.stamping, documents.verification)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from documents import distribution, verification
from documents.lifecycle import issue_revision
from documents.models import IssuedRevision

DAY = datetime.date(2026, 11, 25)


@pytest.fixture
def procedure(org, make_document):
    return make_document(
        unit=org.sgd,
        code="QT-SGD-01",
        title="Quy trình kiểm soát tài liệu",
        issued=True,
        applies_to=[org.sgd],
    )


@pytest.fixture
def copy(procedure, users, org):
    return distribution.register_copy(
        user=users.controller_sgd,
        revision=procedure.issued_revisions.get(),
        unit=org.vp,
        holder_name="Văn phòng Sở — tủ hồ sơ ISO",
    )


def url(document, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("documents_download", args=[document.pk]) + (f"?{query}" if query else "")


def pages_text(response) -> list[str]:
    assert response.content.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


# --- The code -------------------------------------------------------------------------------


def test_a_code_can_name_a_controlled_copy_and_still_reads_back_exactly():
    for revision_id, copy_id in [(1, 1), (2**24 - 1, 2**20 - 1), (2**24, 5), (9, 2**20)]:
        code = verification.make_code(revision_id, DAY, copy_id=copy_id)
        assert verification.read_code(code) == verification.VerifiedCode(revision_id, DAY, copy_id)
    assert len(verification.normalise(verification.make_code(7, DAY, copy_id=3))) == 18
    # An uncontrolled copy's code is unchanged: short, and without a copy.
    plain = verification.make_code(7, DAY)
    assert len(verification.normalise(plain)) == 14
    assert verification.read_code(plain).copy_id is None


def test_a_tampered_controlled_copy_code_is_rejected():
    code = verification.normalise(verification.make_code(42, DAY, copy_id=8))
    for position in range(len(code)):
        replacement = "0" if code[position] != "0" else "1"
        tampered = code[:position] + replacement + code[position + 1 :]
        assert verification.read_code(tampered) is None


# --- The download ---------------------------------------------------------------------------


def test_the_iso_secretary_prints_a_registered_copy_stamped_ban_kiem_soat(
    client, users, procedure, copy
):
    client.force_login(users.controller_sgd)
    response = client.get(url(procedure, ban=copy.pk))
    assert response.status_code == 200
    for text in pages_text(response):
        assert "BẢN KIỂM SOÁT số 01 — Nơi giữ: Văn phòng Sở — tủ hồ sơ ISO" in text
        assert "Bản không kiểm soát khi in" not in text
        assert "QT-SGD-01 · Lần ban hành 01" in text
    verified = verification.read_code(response["X-Verification-Code"])
    assert (verified.revision_id, verified.copy_id) == (copy.issued_revision_id, copy.pk)
    # Without ?ban the same person gets an ordinary uncontrolled copy.
    plain = client.get(url(procedure))
    assert all("Bản không kiểm soát khi in" in text for text in pages_text(plain))
    assert verification.read_code(plain["X-Verification-Code"]).copy_id is None


@pytest.mark.parametrize("who", ["staff_kimboi", "approver_sgd", "author_vp"])
def test_only_the_iso_secretary_may_print_a_controlled_copy(client, users, procedure, copy, who):
    client.force_login(users[who.replace("_", ".", 1)])
    response = client.get(url(procedure, ban=copy.pk))
    assert response.status_code == 403
    assert "Chỉ thư ký ISO của “Sở Giáo dục và Đào tạo tỉnh Hòa Bình”" in response.content.decode()


def test_an_anonymous_visitor_of_a_public_document_cannot_print_a_controlled_copy(
    client, org, users, make_document
):
    public = make_document(unit=org.sgd, code="TTHC-01", issued=True, visibility="public")
    registered = distribution.register_copy(
        user=users.controller_sgd,
        revision=public.issued_revisions.get(),
        unit=org.sgd,
        holder_name="Bộ phận một cửa",
    )
    assert client.get(url(public, ban=registered.pk)).status_code == 403


@pytest.mark.parametrize("value", ["999999", "abc", "-1", "1" * 12])
def test_an_unknown_or_malformed_copy_gets_a_vietnamese_404(client, users, procedure, value):
    client.force_login(users.controller_sgd)
    response = client.get(url(procedure, ban=value))
    assert response.status_code == 404
    assert "Không tìm thấy bản kiểm soát này" in response.content.decode()


def test_a_copy_of_another_document_is_not_found_here(
    client, users, org, make_document, procedure, copy
):
    other = make_document(unit=org.sgd, code="QT-SGD-02", issued=True)
    client.force_login(users.controller_sgd)
    assert client.get(url(other, ban=copy.pk)).status_code == 404


def test_a_recalled_copy_is_not_printed_again(client, users, procedure, copy):
    distribution.recall_copy(user=users.controller_sgd, copy=copy, note="Bản bị hỏng")
    client.force_login(users.controller_sgd)
    response = client.get(url(procedure, ban=copy.pk))
    assert response.status_code == 409
    assert "Bản kiểm soát số 01 đã bị thu hồi ngày" in response.content.decode()


def test_a_copy_of_a_superseded_revision_is_to_be_recalled_not_printed(
    client, users, procedure, copy
):
    issue_revision(
        document=procedure,
        effective_from=datetime.date(2013, 1, 1),
        approved_by_name="Nguyễn Minh Thành",
    )
    client.force_login(users.controller_sgd)
    response = client.get(url(procedure, ban=copy.pk, lan=2))
    assert response.status_code == 409
    assert "lần ban hành 01 đã hết hiệu lực: cần thu hồi" in response.content.decode()


# --- /v/<code> ------------------------------------------------------------------------------


def verify(client, code: str) -> str:
    response = client.get(reverse("verify_copy", kwargs={"code": code}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_verification_page_names_a_controlled_copy_in_circulation(client, copy):
    code = verification.make_code(copy.issued_revision_id, DAY, copy_id=copy.pk)
    page = verify(client, code)
    assert "Bản này ĐANG CÓ HIỆU LỰC" in page
    assert "số 01 — Văn phòng Sở" in page
    assert "đã bị thu hồi" not in page


def test_the_verification_page_says_a_recalled_copy_must_not_be_used(client, users, copy):
    code = verification.make_code(copy.issued_revision_id, DAY, copy_id=copy.pk)
    distribution.recall_copy(user=users.controller_sgd, copy=copy)
    page = verify(client, code)
    assert "Bản kiểm soát số 01 đã bị thu hồi — không được sử dụng" in page
    assert "vẫn đang có hiệu lực: hãy liên hệ thư ký ISO" in page
    assert "Bản này ĐANG CÓ HIỆU LỰC" not in page


def test_a_recalled_copy_of_a_superseded_revision_points_to_the_revision_in_force(
    client, users, procedure, copy
):
    code = verification.make_code(copy.issued_revision_id, DAY, copy_id=copy.pk)
    issue_revision(
        document=procedure,
        effective_from=datetime.date(2013, 1, 1),
        approved_by_name="Nguyễn Minh Thành",
    )
    distribution.recall_copy(user=users.controller_sgd, copy=copy)
    page = verify(client, code)
    assert "Bản kiểm soát số 01 đã bị thu hồi" in page
    assert "Hãy dùng lần ban hành 02 (hiệu lực từ ngày 01/01/2013)" in page


def test_a_printed_controlled_copy_code_leads_to_its_copy(client, users, procedure, copy):
    client.force_login(users.controller_sgd)
    code = client.get(url(procedure, ban=copy.pk))["X-Verification-Code"]
    client.logout()
    assert "số 01 — Văn phòng Sở" in verify(client, code)
    assert IssuedRevision.objects.get(pk=copy.issued_revision_id).status == "current"


def test_the_copies_register_links_each_copy_in_circulation_to_its_stamped_print(
    client, users, procedure, copy
):
    client.force_login(users.controller_sgd)
    page = client.get(reverse("site:copies", args=[procedure.pk])).content.decode()
    assert f'href="{url(procedure, ban=copy.pk)}">In bản kiểm soát</a>' in page
    issue_revision(
        document=procedure,
        effective_from=datetime.date(2013, 1, 1),
        approved_by_name="Nguyễn Minh Thành",
    )
    page = client.get(reverse("site:copies", args=[procedure.pk])).content.decode()
    assert "In bản kiểm soát" not in page  # to be recalled, not printed
