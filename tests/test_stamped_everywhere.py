"""Every copy of an issued revision that leaves the staff site is stamped: the document page's
viewer and download link, revision pages, and the file view for anyone who does not work on the
document (documents.site_views.file_url, documents.views.document_file)."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from documents.lifecycle import issue_revision
from documents.models import ControlledDocument, IssuedRevision, private_storage

UNCONTROLLED = "Bản không kiểm soát khi in"


@pytest.fixture
def procedure(org, make_document):
    return make_document(
        unit=org.sgd,
        code="QT-SGD-01",
        title="Quy trình kiểm soát tài liệu",
        issued=True,
        applies_to=[org.sgd],
    )


def stamped_url(document, query: str = "") -> str:
    return reverse("documents_download", args=[document.pk]) + query


def pages_text(response) -> list[str]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def supersede(document) -> IssuedRevision:
    return issue_revision(
        document=document,
        effective_from=datetime.date(2013, 1, 1),
        approved_by_name="Nguyễn Minh Thành",
    )


def stored_hash(revision: IssuedRevision) -> str:
    with private_storage().open(revision.file.name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


# --- The document and revision pages --------------------------------------------------------


def test_the_document_page_offers_only_the_stamped_copy_of_the_revision_in_force(
    client, users, procedure
):
    client.force_login(users.staff_kimboi)
    body = client.get(reverse("site:document", args=[procedure.pk])).content.decode()
    assert f'data="{stamped_url(procedure, "?xem=1")}"' in body
    assert f'href="{stamped_url(procedure)}" download' in body
    assert reverse("documents:file", args=[procedure.pk]) not in body


def test_the_viewer_link_opens_the_stamped_copy_inline_and_may_be_framed_by_the_site(
    client, users, procedure
):
    client.force_login(users.staff_kimboi)
    response = client.get(stamped_url(procedure, "?xem=1"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    for text in pages_text(response):
        assert UNCONTROLLED in text
        assert "QT-SGD-01" in text
        assert "Lần ban hành 01" in text
    download = client.get(stamped_url(procedure))
    assert download["Content-Disposition"].startswith("attachment;")


def test_a_superseded_revision_page_offers_that_revision_stamped_het_hieu_luc(
    client, users, procedure
):
    supersede(procedure)
    client.force_login(users.staff_kimboi)
    old_page = client.get(reverse("site:revision", args=[procedure.pk, 1])).content.decode()
    assert f'href="{stamped_url(procedure, "?lan=1")}" download' in old_page
    texts = pages_text(client.get(stamped_url(procedure, "?lan=1")))
    assert all("HẾT HIỆU LỰC" in text and "Lần ban hành 01" in text for text in texts)
    # The document page moves on to revision 02 and never offers 01 as the copy in force.
    page = client.get(reverse("site:document", args=[procedure.pk])).content.decode()
    assert f'data="{stamped_url(procedure, "?xem=1")}"' in page
    assert "?lan=1" not in page
    current = pages_text(client.get(stamped_url(procedure)))
    assert all("Lần ban hành 02" in text and "HẾT HIỆU LỰC" not in text for text in current)


def test_a_withdrawn_document_offers_no_copy_on_its_page(client, users, procedure):
    IssuedRevision.objects.filter(document=procedure).update(
        status=IssuedRevision.Status.OBSOLETE, effective_to=datetime.date(2013, 3, 1)
    )
    ControlledDocument.objects.filter(pk=procedure.pk).update(live=False)
    client.force_login(users.staff_kimboi)
    body = client.get(reverse("site:document", args=[procedure.pk])).content.decode()
    assert stamped_url(procedure) not in body
    assert reverse("documents:file", args=[procedure.pk]) not in body


# --- The file view --------------------------------------------------------------------------


def test_a_reader_opening_the_file_view_is_sent_to_the_stamped_copy(client, users, procedure):
    revision = procedure.issued_revisions.get()
    before = stored_hash(revision)
    client.force_login(users.staff_kimboi)
    response = client.get(reverse("documents:file", args=[procedure.pk]))
    assert response.status_code == 302
    assert response["Location"] == stamped_url(procedure, "?xem=1")
    texts = pages_text(client.get(response["Location"]))
    assert all(UNCONTROLLED in text and "staff.kimboi" in text for text in texts)
    assert stored_hash(revision) == before


def test_people_who_work_on_the_document_still_get_their_unstamped_working_file(
    client, users, procedure
):
    client.force_login(users.approver_sgd)
    response = client.get(reverse("documents:file", args=[procedure.pk]))
    assert response.status_code == 200
    assert all(UNCONTROLLED not in text for text in pages_text(response))


def test_the_file_view_still_refuses_outsiders_and_asks_anonymous_visitors_to_log_in(
    client, users, org, make_document, procedure
):
    luong_son = make_document(unit=org.luongson, code="QT-LS-01", issued=True)
    client.force_login(users.staff_kimboi)
    assert client.get(reverse("documents:file", args=[luong_son.pk])).status_code == 404
    assert client.get(stamped_url(luong_son)).status_code == 404
    client.logout()
    response = client.get(reverse("documents:file", args=[procedure.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("site:login"))


def test_an_anonymous_visitor_of_a_public_document_is_sent_to_the_stamped_copy(
    client, org, make_document
):
    public = make_document(
        unit=org.luongson,
        code="TTHC-LS-01",
        title="Thủ tục cấp bản sao văn bằng",
        issued=True,
        visibility="public",
    )
    response = client.get(reverse("documents:file", args=[public.pk]))
    assert response["Location"] == stamped_url(public, "?xem=1")
    texts = pages_text(client.get(response["Location"]))
    assert all("khách (không đăng nhập)" in text for text in texts)
