"""The staff search page (/tim-kiem/) and GET /api/v1/search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from search.backends.whoosh_backend import WhooshBackend
from tests.conftest import PASSWORD
from tests.test_search import make_corpus


@pytest.fixture
def corpus(settings, org, users):
    settings.QMS_SEARCH_BACKEND = "whoosh"
    documents = make_corpus(org)
    WhooshBackend().rebuild()
    return documents


def test_the_page_puts_the_document_control_procedure_first(client, corpus, users):
    client.login(username="staff.vp", password=PASSWORD)
    response = client.get(reverse("search:page"), {"q": "quy trinh kiem soat tai lieu"})
    assert response.status_code == 200
    hits = response.context["results"].hits
    assert hits[0].code == "QT-VP-01"
    html = response.content.decode()
    assert "<mark>kiểm</mark> <mark>soát</mark>" in html
    assert "Lần ban hành 01" in html and "01/08/2012" in html and "Đang có hiệu lực" in html


def test_anonymous_visitors_see_public_documents_and_an_invitation_to_log_in(client, corpus):
    response = client.get(reverse("search:page"), {"q": "thu tuc"})
    assert response.status_code == 200
    codes = {hit.code for hit in response.context["results"].hits}
    assert codes == {"TTHC-01", "TTHC-LS-01"}
    assert "Đăng nhập</a> để tìm cả tài liệu nội bộ" in response.content.decode()
    response = client.get(reverse("search:page"), {"q": "kiem soat tai lieu"})
    assert response.context["results"].hits == []


def test_document_text_is_shown_as_text_not_markup(client, corpus, users):
    client.login(username="qm.sgd", password=PASSWORD)
    html = client.get(reverse("search:page"), {"q": "script"}).content.decode()
    assert "&lt;<mark>script</mark>&gt;alert(1)" in html
    assert "<script>alert" not in html


def test_history_is_labelled_on_the_page(client, corpus, users):
    from documents.models import IssuedRevision

    IssuedRevision.objects.filter(document=corpus["kshs"]).update(status="superseded")
    client.login(username="qm.sgd", password=PASSWORD)
    page = reverse("search:page")
    assert client.get(page, {"q": "kiem soat ho so"}).context["results"].hits == []
    response = client.get(page, {"q": "kiem soat ho so", "include_history": "1"})
    assert "Đã bị thay thế" in response.content.decode()


def test_hostile_input_on_the_page_is_answered_in_vietnamese(client, corpus):
    page = reverse("search:page")
    for query in ['"', "AND", "-", "*", "x" * 10_000, "a\x00b"]:
        response = client.get(page, {"q": query, "page": "zzz", "unit": "abc"})
        assert response.status_code == 200


def test_the_page_pages(client, corpus, users, settings):
    from search import service

    client.login(username="qm.sgd", password=PASSWORD)
    original = service.PER_PAGE
    try:
        service.PER_PAGE = 2
        import search.views

        search.views.PER_PAGE = 2
        response = client.get(reverse("search:page"), {"q": "quy trinh", "page": 2})
    finally:
        service.PER_PAGE = original
        search.views.PER_PAGE = original
    html = response.content.decode()
    assert "Trang 2/" in html and "Trang trước" in html and "page=3" in html


def test_api_search_returns_hits_with_snippets(client, corpus, users):
    client.login(username="staff.vp", password=PASSWORD)
    response = client.get("/api/v1/search", {"q": "kiem soat tai lieu"})
    assert response.status_code == 200
    body = response.json()
    first = body["hits"][0]
    assert first["code"] == "QT-VP-01"
    assert first["status_label"] == "Đang có hiệu lực"
    assert first["number"] == 1 and first["effective_from"] == "2012-08-01"
    assert "<mark>" in first["snippet"]


def test_api_search_is_filtered_by_the_callers_access(client, corpus, users):
    anonymous = client.get("/api/v1/search", {"q": "Lương Sơn"}).json()
    assert [hit["code"] for hit in anonymous["hits"]] == ["TTHC-LS-01"]
    client.login(username="staff.kimboi", password=PASSWORD)
    kimboi = client.get("/api/v1/search", {"q": "Lương Sơn"}).json()
    assert [hit["code"] for hit in kimboi["hits"]] == ["TTHC-LS-01"]
    client.login(username="staff.luongson", password=PASSWORD)
    luongson = client.get("/api/v1/search", {"q": "Lương Sơn"}).json()
    assert {hit["code"] for hit in luongson["hits"]} == {"QT-LS-01", "TTHC-LS-01"}


def test_api_search_accepts_filters_and_explains_bad_ones(client, corpus, users, org):
    client.login(username="qm.sgd", password=PASSWORD)
    body = client.get(
        "/api/v1/search", {"q": "quy trinh", "unit": org.luongson.pk, "include_history": "true"}
    ).json()
    assert [hit["code"] for hit in body["hits"]] == ["QT-LS-01"]
    body = client.get("/api/v1/search", {"q": '"', "kind": "bogus"}).json()
    assert body["hits"] == [] and len(body["messages"]) == 2
    assert client.get("/api/v1/search", {"q": "x", "page": "abc"}).status_code == 422


def test_the_search_endpoint_is_in_the_openapi_schema(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/search" in schema["paths"]
