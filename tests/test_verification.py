"""Verification codes on stamped copies and the public page /v/<code> (documents.verification)."""

from __future__ import annotations

import datetime
import re

import pytest

from documents import verification
from documents.lifecycle import issue_revision
from documents.models import ControlledDocument, IssuedRevision

DAY = datetime.date(2026, 11, 25)
GROUPED = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-")


# --- The code itself ----------------------------------------------------------------------


def test_a_code_is_short_grouped_and_reads_back_to_the_revision_and_day(settings):
    code = verification.make_code(1234, DAY)
    assert GROUPED.match(code)
    assert len(verification.normalise(code)) == 14
    assert verification.read_code(code) == verification.VerifiedCode(1234, DAY)


def test_codes_are_read_whatever_the_case_separators_and_look_alike_letters():
    code = verification.make_code(77, DAY)
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert verification.read_code(typed) == verification.VerifiedCode(77, DAY)


def test_every_single_character_change_is_rejected():
    code = verification.normalise(verification.make_code(42, DAY))
    for position, char in enumerate(code):
        for replacement in "0A7Z":
            if replacement == char:
                continue
            tampered = code[:position] + replacement + code[position + 1 :]
            assert verification.read_code(tampered) is None, tampered


@pytest.mark.parametrize("junk", ["", "abc", "7K3M-Q9XD-2P", "U" * 14, "!" * 14, "x" * 500])
def test_malformed_codes_are_rejected(junk):
    assert verification.read_code(junk) is None


def test_the_code_hides_the_revision_id_and_depends_on_the_secret_key(settings):
    first, second = verification.make_code(1, DAY), verification.make_code(2, DAY)
    # Consecutive ids give unrelated codes: nothing to count up from.
    same = sum(a == b for a, b in zip(first, second, strict=True))
    assert same < 8
    settings.SECRET_KEY = "another-secret-key-of-another-installation-0123456789"
    assert verification.read_code(first) is None


def test_codes_survive_a_key_rotation_while_the_old_key_is_a_fallback(settings):
    old_key = settings.SECRET_KEY
    code = verification.make_code(9, DAY)
    settings.SECRET_KEY = "rotated-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert verification.read_code(code) == verification.VerifiedCode(9, DAY)


def test_very_large_revision_ids_get_a_longer_code():
    code = verification.make_code(2**30 + 5, DAY)
    assert len(verification.normalise(code)) == 16
    assert verification.read_code(code) == verification.VerifiedCode(2**30 + 5, DAY)


def test_different_download_days_give_different_codes():
    assert verification.make_code(5, DAY) != verification.make_code(5, DAY.replace(day=26))


# --- The public page ----------------------------------------------------------------------


@pytest.fixture
def procedure(org, make_document):
    document = make_document(
        unit=org.vp,
        code="QT-VP-01",
        issued=True,
        text="Nội dung nội bộ bí mật của quy trình",
    )
    return document


def _code(revision: IssuedRevision) -> str:
    return verification.make_code(revision.pk, DAY)


def _supersede(document: ControlledDocument) -> IssuedRevision:
    return issue_revision(
        document=document,
        effective_from=datetime.date(2014, 1, 1),
        approved_by_name="Nguyễn Minh Thành",
    )


def test_anyone_learns_that_the_current_revision_is_in_force(client, procedure):
    revision = procedure.issued_revisions.get()
    response = client.get(f"/v/{_code(revision)}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bản này ĐANG CÓ HIỆU LỰC" in body
    assert "QT-VP-01" in body and "Quy trình kiểm soát tài liệu" in body
    assert "25/11/2026" in body  # the download day carried by the code
    assert response["Cache-Control"] == "no-cache, no-store"


def test_a_superseded_copy_is_declared_out_of_force_and_the_current_one_is_named(client, procedure):
    first = procedure.issued_revisions.get(number=1)
    _supersede(procedure)
    response = client.get(f"/v/{_code(first)}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "ĐÃ HẾT HIỆU LỰC" in body
    assert "Hãy dùng lần ban hành 02" in body
    assert "01/01/2014" in body
    assert "Đã bị thay thế" in body  # the status of the printed revision, in words
    assert "Đang có hiệu lực" in body  # ... and of the one that replaced it


def test_a_withdrawn_document_is_reported_as_having_no_revision_in_force(client, procedure):
    revision = procedure.issued_revisions.get()
    IssuedRevision.objects.filter(pk=revision.pk).update(
        status=IssuedRevision.Status.OBSOLETE, effective_to=datetime.date(2015, 6, 1)
    )
    body = client.get(f"/v/{_code(revision)}/").content.decode()
    assert "ĐÃ HẾT HIỆU LỰC" in body
    assert "đã bị thu hồi" in body
    assert "01/06/2015" in body


def test_an_approved_revision_not_yet_in_force_is_announced(client, procedure):
    first = procedure.issued_revisions.get(number=1)
    issue_revision(
        document=procedure,
        effective_from=datetime.date.today() + datetime.timedelta(days=30),
        approved_by_name="Nguyễn Minh Thành",
    )
    body = client.get(f"/v/{_code(first)}/").content.decode()
    assert "Bản này ĐANG CÓ HIỆU LỰC" in body
    assert "Sắp có lần ban hành mới" in body


def test_the_page_of_an_internal_document_reveals_no_file_and_no_text(client, procedure):
    revision = procedure.issued_revisions.get()
    body = client.get(f"/v/{_code(revision)}/").content.decode()
    assert "bí mật" not in body
    assert "tai-ve" not in body and "/documents/" not in body and "/api/" not in body


def test_the_page_of_a_public_document_links_to_its_current_stamped_download(
    client, org, make_document
):
    public = make_document(unit=org.vp, code="TTHC-01", issued=True, visibility="public")
    revision = public.issued_revisions.get()
    body = client.get(f"/v/{_code(revision)}/").content.decode()
    assert f"/tai-lieu/{public.pk}/tai-ve/" in body


def test_a_tampered_code_gets_a_friendly_vietnamese_404_page(client, procedure):
    code = verification.normalise(_code(procedure.issued_revisions.get()))
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = client.get(f"/v/{tampered}/")
    assert response.status_code == 404
    assert "Mã kiểm tra không hợp lệ" in response.content.decode()


def test_a_valid_code_for_a_revision_that_does_not_exist_is_a_404_too(client, db):
    response = client.get(f"/v/{verification.make_code(987654, DAY)}/")
    assert response.status_code == 404
    assert "Mã kiểm tra không hợp lệ" in response.content.decode()


def test_the_form_asks_for_a_code_and_redirects_to_its_page(client, procedure):
    response = client.get("/v/")
    assert response.status_code == 200
    assert "Nhập mã kiểm tra" in response.content.decode()
    code = _code(procedure.issued_revisions.get())
    response = client.get("/v/", {"ma": code.lower().replace("-", "")})
    assert response.status_code == 302
    assert response["Location"] == f"/v/{code}/"


def test_the_page_asks_the_database_twice(client, procedure, django_assert_num_queries):
    revision = procedure.issued_revisions.get()
    _supersede(procedure)
    with django_assert_num_queries(2):
        assert client.get(f"/v/{_code(revision)}/").status_code == 200
