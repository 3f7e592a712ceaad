"""The JSON API at /api/v1/: authentication, tokens, listing filters, detail, schema."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import APIToken

from documents.models import ControlledDocument, DocumentKind, IssuedRevision
from qms.api import UNAUTHENTICATED_MESSAGE

API = "/api/v1"


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def codes_of(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


@pytest.fixture
def docs(org, make_document):
    return {
        "vp": make_document(
            unit=org.vp, code="QT-VP-01", title="Quy trình kiểm soát tài liệu", issued=True
        ),
        "vp_form": make_document(
            unit=org.vp,
            code="BM-01/QT-VP-01",
            title="Phiếu đề nghị sửa đổi tài liệu",
            kind=DocumentKind.FORM,
            issued=True,
        ),
        "vp_draft": make_document(unit=org.vp, code="QT-VP-02", title="Quy trình đánh giá nội bộ"),
        "luongson": make_document(
            unit=org.luongson, code="QT-LS-01", title="Quy trình tiếp nhận hồ sơ", issued=True
        ),
        "public": make_document(
            unit=org.luongson,
            code="TTHC-LS-01",
            title="Thủ tục công nhận trường đạt chuẩn",
            issued=True,
            visibility=ControlledDocument.Visibility.PUBLIC,
        ),
        "public_draft": make_document(
            unit=org.luongson,
            code="TTHC-LS-02",
            title="Thủ tục chưa ban hành",
            visibility=ControlledDocument.Visibility.PUBLIC,
        ),
    }


# --- Authentication ---------------------------------------------------------------------


def test_anonymous_callers_are_refused_the_units_in_vietnamese(client, org):
    response = client.get(f"{API}/units")
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHENTICATED_MESSAGE}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_anonymous_callers_see_issued_public_documents_only(client, docs):
    assert codes_of(client.get(f"{API}/documents")) == ["TTHC-LS-01"]


def test_anonymous_callers_are_asked_to_sign_in_for_a_non_public_document(client, docs):
    response = client.get(f"{API}/documents/{docs['vp'].pk}")
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHENTICATED_MESSAGE}
    # A public draft and a missing id get the same answer: nothing is leaked.
    assert client.get(f"{API}/documents/{docs['public_draft'].pk}").json() == response.json()
    assert client.get(f"{API}/documents/999999").status_code == 401


def test_anonymous_callers_may_open_a_public_document(client, docs):
    response = client.get(f"{API}/documents/{docs['public'].pk}")
    assert response.status_code == 200
    assert response.json()["code"] == "TTHC-LS-01"


def test_a_session_user_lists_the_units(client, users, org):
    client.force_login(users.staff_vp)
    response = client.get(f"{API}/units")
    assert response.status_code == 200
    by_code = {unit["short_code"]: unit for unit in response.json()}
    assert set(by_code) == {"SGD", "VP", "LUONGSON", "KIMBOI"}
    assert by_code["VP"] == {
        "id": org.vp.pk,
        "name": "Văn phòng Sở",
        "short_code": "VP",
        "kind": "office",
        "kind_label": "Phòng/ban thuộc Sở",
        "parent_id": org.sgd.pk,
        "runs_own_qms": False,
        "qms_root_id": org.sgd.pk,
    }
    assert by_code["LUONGSON"]["qms_root_id"] == org.luongson.pk


def test_a_signed_in_user_without_any_role_sees_no_units(client, users):
    client.force_login(users.outsider)
    response = client.get(f"{API}/units")
    assert response.status_code == 200
    assert response.json() == []


def test_a_bearer_token_authenticates_as_its_user(client, users, docs):
    _token, plaintext = APIToken.create_token(user=users.staff_luongson, name="một cửa")
    assert client.get(f"{API}/units", **bearer(plaintext)).status_code == 200
    codes = codes_of(client.get(f"{API}/documents", **bearer(plaintext)))
    assert "QT-LS-01" in codes
    assert "QT-VP-01" not in codes


def test_the_command_prints_only_a_working_token_on_stdout(client, users, docs):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "staff.luongson", "--name", "Một cửa", stdout=out, stderr=err)
    plaintext = out.getvalue().strip()
    assert "\n" not in plaintext
    assert APIToken.validate_token_format(plaintext)
    assert "chỉ hiển thị một lần" in err.getvalue()
    token = APIToken.objects.get(user=users.staff_luongson)
    assert token.name == "Một cửa"
    assert plaintext not in {token.key_hash, token.prefix}  # only a digest is stored
    assert client.get(f"{API}/units", **bearer(plaintext)).status_code == 200


def test_the_command_refuses_an_unknown_user_in_vietnamese(db):
    with pytest.raises(CommandError, match="Không tìm thấy người dùng"):
        call_command("create_api_token", "khong-ton-tai", stdout=io.StringIO())


def test_the_command_refuses_an_inactive_user(users):
    users.staff_vp.is_active = False
    users.staff_vp.save()
    with pytest.raises(CommandError, match="đã bị khóa"):
        call_command("create_api_token", "staff.vp", stdout=io.StringIO())
    assert not APIToken.objects.exists()


def test_the_command_revokes_a_token_by_its_prefix(client, users):
    _first, first = APIToken.create_token(user=users.staff_vp, name="cũ")
    _second, second = APIToken.create_token(user=users.staff_vp, name="mới")
    call_command("create_api_token", "staff.vp", "--revoke", first[:12], stderr=io.StringIO())
    assert client.get(f"{API}/units", **bearer(first)).status_code == 401
    assert client.get(f"{API}/units", **bearer(second)).status_code == 200


def test_the_command_refuses_to_revoke_on_a_short_or_foreign_prefix(users):
    _token, plaintext = APIToken.create_token(user=users.staff_vp, name="mã")
    with pytest.raises(CommandError, match="Không có mã"):
        call_command("create_api_token", "staff.vp", "--revoke", "wagtail_", stderr=io.StringIO())
    with pytest.raises(CommandError, match="Không có mã"):
        call_command(
            "create_api_token", "staff.kimboi", "--revoke", plaintext, stderr=io.StringIO()
        )
    assert APIToken.objects.get().revoked_at is None


def test_a_revoked_token_is_refused_even_with_a_session_cookie(client, users, docs):
    token, plaintext = APIToken.create_token(user=users.staff_vp, name="mã")
    token.revoke()
    client.force_login(users.staff_vp)
    response = client.get(f"{API}/units", **bearer(plaintext))
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHENTICATED_MESSAGE}
    # On endpoints open to the public, a bad token is refused too instead of read as anonymous.
    assert client.get(f"{API}/documents", **bearer(plaintext)).status_code == 401
    assert client.get(f"{API}/documents/{docs['public'].pk}", **bearer(plaintext)).status_code == (
        401
    )
    # The session alone still works.
    assert client.get(f"{API}/units").status_code == 200


def test_a_malformed_token_is_refused(client, docs):
    assert client.get(f"{API}/units", **bearer("wagtail_khong-hop-le")).status_code == 401
    assert client.get(f"{API}/documents", **bearer("")).status_code == 401


def test_the_token_of_an_inactive_user_is_refused(client, users):
    _token, plaintext = APIToken.create_token(user=users.staff_vp, name="mã")
    users.staff_vp.is_active = False
    users.staff_vp.save()
    assert client.get(f"{API}/units", **bearer(plaintext)).status_code == 401


# --- Schema -----------------------------------------------------------------------------


def test_the_openapi_schema_is_valid_json_with_responses_everywhere(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"].startswith("qms")
    assert {"/api/v1/units", "/api/v1/documents", "/api/v1/documents/{document_id}"} <= set(
        schema["paths"]
    )
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in methods:
                assert operation.get("responses"), f"{method.upper()} {path} has no responses"
    # Every $ref points at a component that exists.
    components = schema.get("components", {}).get("schemas", {})
    for ref in _refs(schema):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[-1] in components, ref
    assert "BearerTokenAuth" in schema["components"]["securitySchemes"]


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


# --- Listing ----------------------------------------------------------------------------


def test_a_list_item_carries_the_current_revision_and_labels(client, users, docs):
    client.force_login(users.staff_vp)
    response = client.get(f"{API}/documents", {"q": "QT-VP-01"})
    item = next(i for i in response.json()["items"] if i["code"] == "QT-VP-01")
    assert item == {
        "id": docs["vp"].pk,
        "code": "QT-VP-01",
        "title": "Quy trình kiểm soát tài liệu",
        "kind": "procedure",
        "kind_label": "Quy trình",
        "unit": {"id": docs["vp"].unit_id, "name": "Văn phòng Sở"},
        "status": "in_force",
        "status_label": "Đang có hiệu lực",
        "visibility": "internal",
        "current_revision": 1,
        "effective_from": "2012-08-01",
    }


def test_a_draft_has_no_current_revision(client, users, docs):
    client.force_login(users.author_vp)
    items = client.get(f"{API}/documents", {"status": "draft"}).json()["items"]
    assert [(i["code"], i["current_revision"], i["effective_from"]) for i in items] == [
        ("QT-VP-02", None, None)
    ]


def test_documents_filter_by_unit(client, users, org, docs):
    client.force_login(users.admin)
    assert codes_of(client.get(f"{API}/documents", {"unit": org.luongson.pk})) == [
        "QT-LS-01",
        "TTHC-LS-01",
        "TTHC-LS-02",
    ]


def test_documents_filter_by_kind(client, users, docs):
    client.force_login(users.staff_vp)
    assert codes_of(client.get(f"{API}/documents", {"kind": "form"})) == ["BM-01/QT-VP-01"]


def test_documents_filter_by_status(client, users, docs):
    docs["vp_form"].live = False  # withdrawn: issued once, no longer live
    docs["vp_form"].save()
    client.force_login(users.author_vp)
    assert codes_of(client.get(f"{API}/documents", {"status": "withdrawn"})) == ["BM-01/QT-VP-01"]
    assert codes_of(client.get(f"{API}/documents", {"status": "draft"})) == ["QT-VP-02"]
    in_force = codes_of(client.get(f"{API}/documents", {"status": "in_force"}))
    assert "QT-VP-01" in in_force
    assert "QT-VP-02" not in in_force
    assert "BM-01/QT-VP-01" not in in_force


@pytest.mark.parametrize(
    "query",
    ["kiểm soát", "KIỂM SOÁT", "Kiểm Soát", "kie\u0302\u0309m soa\u0301t"],
    ids=["lower", "upper", "title", "decomposed"],
)
def test_documents_filter_by_vietnamese_text_in_any_case_and_normal_form(
    client, users, docs, query
):
    client.force_login(users.staff_vp)
    assert codes_of(client.get(f"{API}/documents", {"q": query})) == ["QT-VP-01"]


def test_text_filter_keeps_diacritics_meaningful_and_matches_codes(client, users, docs):
    client.force_login(users.staff_vp)
    assert codes_of(client.get(f"{API}/documents", {"q": "kiem soat"})) == []
    assert codes_of(client.get(f"{API}/documents", {"q": "bm-01/"})) == ["BM-01/QT-VP-01"]
    assert codes_of(client.get(f"{API}/documents", {"q": "ĐỀ NGHỊ"})) == ["BM-01/QT-VP-01"]


def test_text_filter_treats_regex_characters_literally(client, users, docs):
    client.force_login(users.staff_vp)
    assert codes_of(client.get(f"{API}/documents", {"q": ".*"})) == []


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"kind": "bogus"}, "Loại tài liệu không hợp lệ"),
        ({"status": "in_review"}, "Trạng thái không hợp lệ"),
        ({"q": "x" * 201}, "quá dài"),
    ],
)
def test_bad_filters_get_a_vietnamese_400(client, users, docs, params, fragment):
    client.force_login(users.staff_vp)
    response = client.get(f"{API}/documents", params)
    assert response.status_code == 400
    assert fragment in response.json()["detail"]


def test_a_non_numeric_unit_gets_a_vietnamese_422(client, users, docs):
    client.force_login(users.staff_vp)
    response = client.get(f"{API}/documents", {"unit": "vp"})
    assert response.status_code == 422
    assert response.json()["detail"] == "Tham số không hợp lệ."
    assert response.json()["errors"]


def test_the_list_is_paged_by_fifty(client, users, org, make_document):
    for number in range(1, 53):
        make_document(unit=org.vp, code=f"HD-VP-{number:02d}", issued=True)
    client.force_login(users.staff_vp)
    first = client.get(f"{API}/documents").json()
    assert first["count"] == 52
    assert len(first["items"]) == 50
    second = client.get(f"{API}/documents", {"page": 2}).json()
    assert [i["code"] for i in second["items"]] == ["HD-VP-51", "HD-VP-52"]


def _list_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{API}/documents")
    assert response.status_code == 200
    return len(queries)


def test_the_list_asks_the_database_a_fixed_number_of_times(client, users, org, make_document):
    for number in range(5):
        make_document(unit=org.vp, code=f"HD-VP-{number:02d}", issued=True, applies_to=[org.vp])
    few = _list_queries(client, users.staff_vp)
    for number in range(5, 20):
        make_document(unit=org.vp, code=f"HD-VP-{number:02d}", issued=True, applies_to=[org.vp])
    many = _list_queries(client, users.staff_vp)
    assert client.get(f"{API}/documents").json()["count"] == 20
    assert few == many
    assert many <= 10


# --- Detail -----------------------------------------------------------------------------


def test_the_detail_describes_classification_scope_and_the_file_in_force(client, users, org, docs):
    from qms.models import IsoClause

    document = docs["vp_form"]
    document.parent = docs["vp"]
    document.save()
    document.iso_clauses.set(IsoClause.objects.filter(number__in=["4.2.3", "4.2.4"]))
    document.applies_to.set([org.vp, org.luongson])
    document.save()  # ParentalManyToManyField writes on save
    IssuedRevision.objects.filter(document=document).update(
        file_sha256="ab" * 32, file_size=1234, page_count=2, extraction_status="text"
    )
    client.force_login(users.staff_vp)
    body = client.get(f"{API}/documents/{document.pk}").json()
    assert body["parent"] == {"id": docs["vp"].pk, "code": "QT-VP-01", "title": docs["vp"].title}
    assert [c["number"] for c in body["iso_clauses"]] == ["4.2.3", "4.2.4"]
    assert body["iso_clauses"][0]["title"]
    assert {u["id"] for u in body["applies_to"]} == {org.vp.pk, org.luongson.pk}
    assert body["file"] == {
        "file_name": "BM-01/QT-VP-01.pdf",
        "size": 1234,
        "sha256": "ab" * 32,
        "page_count": 2,
        "extraction_status": "text",
        "extraction_label": "Đã trích xuất nội dung",
    }
    assert body["current_revision"] == 1
    assert body["updated_at"]


def test_the_detail_shows_external_document_fields(client, users, org, make_document):
    import datetime

    document = make_document(
        unit=org.sgd,
        code="NĐ-63/2010",
        title="Nghị định về kiểm soát thủ tục hành chính",
        kind=DocumentKind.EXTERNAL,
        issued=True,
    )
    ControlledDocument.objects.filter(pk=document.pk).update(
        official_number="63/2010/NĐ-CP",
        issuing_body="Chính phủ",
        issued_on=datetime.date(2010, 6, 8),
        external_effective_on=datetime.date(2010, 10, 14),
        legal_status=ControlledDocument.LegalStatus.AMENDED,
    )
    client.force_login(users.staff_vp)
    body = client.get(f"{API}/documents/{document.pk}").json()
    assert body["kind_label"] == "Tài liệu có nguồn gốc bên ngoài"
    assert body["official_number"] == "63/2010/NĐ-CP"
    assert body["issuing_body"] == "Chính phủ"
    assert body["issued_on"] == "2010-06-08"
    assert body["external_effective_on"] == "2010-10-14"
    assert body["legal_status"] == "amended"
    assert body["legal_status_label"] == "Đã được sửa đổi, bổ sung"


def test_people_who_work_on_a_draft_see_its_working_file(client, users, docs):
    client.force_login(users.author_vp)
    body = client.get(f"{API}/documents/{docs['vp_draft'].pk}").json()
    assert body["status"] == "draft"
    assert body["current_revision"] is None
    assert body["file"]["file_name"] == "QT-VP-02.pdf"
    assert body["file"]["extraction_label"] == "Chưa có tệp"


def test_the_detail_of_a_document_in_another_district_is_404(client, users, docs):
    client.force_login(users.staff_kimboi)
    response = client.get(f"{API}/documents/{docs['luongson'].pk}")
    assert response.status_code == 404
    missing = client.get(f"{API}/documents/999999")
    assert missing.status_code == 404
    assert missing.json() == response.json()  # the same answer: existence is not leaked


def test_a_token_reaches_the_same_detail_as_the_session(client, users, docs):
    _token, plaintext = APIToken.create_token(user=users.staff_kimboi, name="mã")
    assert (
        client.get(f"{API}/documents/{docs['luongson'].pk}", **bearer(plaintext)).status_code == 404
    )
    assert client.get(f"{API}/documents/{docs['public'].pk}", **bearer(plaintext)).status_code == (
        200
    )


def test_the_status_queryset_agrees_with_the_status_property(docs):
    docs["vp_form"].live = False
    docs["vp_form"].save()
    everything = list(ControlledDocument.objects.all())
    for status in ("draft", "in_force", "withdrawn"):
        assert set(ControlledDocument.objects.with_status(status)) == {
            document for document in everything if document.status == status
        }
    with pytest.raises(ValueError):
        ControlledDocument.objects.with_status("in_review")
