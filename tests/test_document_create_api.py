"""Creating a document through the API: where it applies and which ISO clauses it implements."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import ControlledDocument
from qms.models import IsoClause
from tests.conftest import make_pdf_bytes
from tests.workflow_helpers import bearer

API = "/api/v1/documents"


@pytest.fixture
def post(client, users, org):
    """``post(**fields)``: a multipart create by the Lương Sơn author, with a PDF attached."""

    def send(user="author.luongson", **fields):
        data = {
            "unit": org.luongson.pk,
            "code": "QT-LS-07",
            "title": "Quy trình kiểm soát hồ sơ",
            "kind": "procedure",
            "change_summary": "Ban hành lần đầu",
            "file": SimpleUploadedFile(
                "quy-trinh.pdf", make_pdf_bytes("Kiểm soát hồ sơ"), content_type="application/pdf"
            ),
            **fields,
        }
        return client.post(API, data, **bearer(users[user]))

    return send


def test_a_new_document_records_the_units_it_applies_to_and_its_clauses(post, org):
    response = post(applies_to=[org.kimboi.pk, org.vp.pk], iso_clauses=["4.2.3", "4.2.4"])

    assert response.status_code == 201, response.content
    body = response.json()
    assert sorted(unit["id"] for unit in body["applies_to"]) == sorted([org.kimboi.pk, org.vp.pk])
    assert [clause["number"] for clause in body["iso_clauses"]] == ["4.2.3", "4.2.4"]
    document = ControlledDocument.objects.get(pk=body["id"])
    assert set(document.applies_to.values_list("pk", flat=True)) == {org.kimboi.pk, org.vp.pk}
    # The first Wagtail revision (what reviewers see) carries them too.
    draft = document.get_latest_revision_as_object()
    assert {unit.pk for unit in draft.applies_to.all()} == {org.kimboi.pk, org.vp.pk}
    assert {clause.number for clause in draft.iso_clauses.all()} == {"4.2.3", "4.2.4"}


def test_both_fields_are_optional(post):
    response = post()

    assert response.status_code == 201, response.content
    assert response.json()["applies_to"] == []
    assert response.json()["iso_clauses"] == []


def test_an_unknown_unit_is_refused_in_vietnamese_and_nothing_is_created(post, org):
    response = post(applies_to=[org.kimboi.pk, 999999])

    assert response.status_code == 400
    assert response.json()["detail"] == "Đơn vị áp dụng không tồn tại: 999999."
    assert not ControlledDocument.objects.filter(code="QT-LS-07").exists()


def test_an_unknown_clause_is_refused_in_vietnamese(post):
    assert IsoClause.objects.filter(number="4.2.3").exists()

    response = post(iso_clauses=["4.2.3", "9.9.9"])

    assert response.status_code == 400
    assert "9.9.9" in response.json()["detail"]
    assert response.json()["detail"].startswith("Điều khoản ISO 9001:2008 không có trong danh mục")
    assert not ControlledDocument.objects.filter(code="QT-LS-07").exists()


def test_a_unit_id_that_is_not_a_number_is_a_400_not_a_500(post):
    response = post(applies_to=["Kim Bôi"])

    assert response.status_code == 422
    assert not ControlledDocument.objects.filter(code="QT-LS-07").exists()


def test_someone_without_an_author_role_still_cannot_create(post, org):
    response = post(user="staff.luongson", applies_to=[org.kimboi.pk])

    assert response.status_code == 403
