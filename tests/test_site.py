"""The staff site: home page, browsing, the document page, revision pages, comparison, as-of date.

Cast (tests/conftest.py): the department ``sgd`` with ``vp`` below it; Kim Bôi and Lương Sơn run
their own QMS. ``staff.kimboi`` reads Kim Bôi's documents and the department's province-wide ones.
"""

from __future__ import annotations

import datetime
import html

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site

from documents.lifecycle import issue_revision
from documents.models import ControlledDocument, DocumentKind, IssuedRevision
from documents.site_views import parse_day
from documents.textdiff import compare_texts
from qms.models import IsoClause
from qms.pages import HomePage
from tests.conftest import PASSWORD

PUBLIC = ControlledDocument.Visibility.PUBLIC


@pytest.fixture
def library(org, users, make_document):
    """A small library: a province-wide procedure with a form, a Kim Bôi procedure, a Lương Sơn
    procedure, a department-internal one and a public administrative procedure."""
    docs = {}
    docs["ktl"] = make_document(
        unit=org.sgd,
        code="QT-SGD-01",
        title="Quy trình kiểm soát tài liệu",
        issued=True,
        applies_to=[org.sgd],
        text="Mục đích\nQuy định cách kiểm soát tài liệu\nPhạm vi áp dụng: toàn ngành",
    )
    docs["ktl"].iso_clauses.set(IsoClause.objects.filter(number__in=["4.2.3"]))
    docs["ktl"].save()  # a ParentalManyToManyField is written on save
    docs["form"] = make_document(
        unit=org.sgd,
        code="BM-01/QT-SGD-01",
        title="Phiếu đề nghị sửa đổi tài liệu",
        kind=DocumentKind.FORM,
        issued=True,
        applies_to=[org.sgd],
    )
    docs["form"].parent = docs["ktl"]
    docs["form"].save()
    docs["kimboi"] = make_document(
        unit=org.kimboi, code="QT-KB-01", title="Quy trình tiếp nhận hồ sơ Kim Bôi", issued=True
    )
    docs["luongson"] = make_document(
        unit=org.luongson, code="QT-LS-01", title="Quy trình riêng Lương Sơn", issued=True
    )
    docs["internal"] = make_document(
        unit=org.vp, code="QT-VP-02", title="Quy trình nội bộ Văn phòng Sở", issued=True
    )
    docs["public"] = make_document(
        unit=org.sgd,
        code="TTHC-01",
        title="Thủ tục cấp bản sao văn bằng",
        visibility=PUBLIC,
        issued=True,
    )
    docs["draft"] = make_document(unit=org.kimboi, code="QT-KB-09", title="Bản thảo chưa ban hành")
    return docs


def issue_second(document, approver, *, text="", summary="Sửa mục 5", on=datetime.date(2013, 1, 1)):
    document.text = text or document.text + "\nBổ sung mục 5 về lưu hồ sơ"
    document.change_summary = summary
    document.save()
    return issue_revision(document=document, effective_from=on, approved_by=approver)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


# --- Home page ------------------------------------------------------------------------------


def test_the_home_page_is_the_site_root_with_the_quality_policy(client, db):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Chính sách chất lượng" in body
    assert "Mục tiêu chất lượng" in body
    assert 'name="viewport"' in body
    assert 'role="search"' in body


def test_the_department_edits_the_home_page_content(client, db):
    home = HomePage.objects.get()
    home.quality_policy = "<p>Phục vụ người dân tận tụy, đúng hạn</p>"
    home.quality_objectives = [
        ("objective", {"objective": "Tỷ lệ người dân hài lòng", "target": "trên 80 %"})
    ]
    home.announcements = [
        ("announcement", {"title": "Đánh giá nội bộ đợt 2", "date": datetime.date(2012, 10, 15)})
    ]
    home.save_revision().publish()
    body = client.get("/").content.decode()
    assert "Phục vụ người dân tận tụy, đúng hạn" in body
    assert "Tỷ lệ người dân hài lòng" in body
    assert "trên 80 %" in body
    assert "Đánh giá nội bộ đợt 2" in body
    assert "15/10/2012" in body


def test_the_home_page_opens_in_the_wagtail_editor(client, users):
    home = HomePage.objects.get()
    login(client, users.admin)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))
    assert response.status_code == 200
    assert "quality_objectives" in response.content.decode()


def test_the_quality_manager_in_the_moderators_group_edits_the_home_page(client, users):
    # Wagtail's own "Moderators" group holds edit and publish rights on the page tree.
    home = HomePage.objects.get()
    edit_url = reverse("wagtailadmin_pages:edit", args=[home.pk])
    login(client, users.qm_sgd)
    assert client.get(edit_url).status_code in (302, 403)
    users.qm_sgd.groups.add(Group.objects.get(name="Moderators"))
    assert client.get(edit_url).status_code == 200
    assert client.get("/").status_code == 200


def test_the_home_page_lists_my_units_documents_and_recent_changes(client, users, library):
    body = login(client, users.staff_kimboi).get("/").content.decode()
    assert "Tài liệu áp dụng cho đơn vị tôi" in body
    assert "QT-KB-01" in body
    assert "QT-SGD-01" in body
    assert "QT-LS-01" not in body
    assert "QT-VP-02" not in body


def test_anonymous_visitors_see_only_public_documents_on_the_home_page(client, library):
    body = client.get("/").content.decode()
    assert "TTHC-01" in body
    assert "QT-SGD-01" not in body
    assert reverse("site:login") in body


# --- Access ---------------------------------------------------------------------------------


def test_anonymous_visitors_open_a_public_document(client, library):
    response = client.get(reverse("site:document", args=[library["public"].pk]))
    assert response.status_code == 200
    assert "Thủ tục cấp bản sao văn bằng" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page_for_an_internal_document(client, library):
    url = reverse("site:document", args=[library["ktl"].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("site:login"))
    assert "next=" in response["Location"]
    for name in ("site:my_unit", "site:as_of"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("site:login"))


def test_staff_cannot_open_another_qms_documents(client, users, library):
    login(client, users.staff_kimboi)
    assert client.get(reverse("site:document", args=[library["luongson"].pk])).status_code == 404
    assert client.get(reverse("site:document", args=[library["internal"].pk])).status_code == 404
    assert client.get(reverse("site:document", args=[999999])).status_code == 404
    pk = library["luongson"].pk
    assert client.get(reverse("site:revision", args=[pk, 1])).status_code == 404
    assert client.get(reverse("site:compare", args=[pk])).status_code == 404


def test_the_login_page_logs_in_and_returns_to_the_page_asked_for(client, users, library):
    url = reverse("site:document", args=[library["ktl"].pk])
    page = client.get(reverse("site:login"))
    assert page.status_code == 200
    assert "Đăng nhập" in page.content.decode()
    wrong = client.post(reverse("site:login"), {"username": "staff.kimboi", "password": "sai"})
    assert "không đúng" in wrong.content.decode()
    response = client.post(
        reverse("site:login"), {"username": "staff.kimboi", "password": PASSWORD, "next": url}
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert client.get(url).status_code == 200


def test_logging_out_takes_a_post_and_ends_the_session(client, users):
    login(client, users.staff_kimboi)
    assert client.get(reverse("site:my_unit")).status_code == 200
    response = client.post(reverse("site:logout"))
    assert response.status_code == 302
    assert client.get(reverse("site:my_unit")).status_code == 302


# --- Browse ---------------------------------------------------------------------------------


def test_my_unit_holds_the_units_own_and_the_province_wide_documents(client, users, library):
    body = login(client, users.staff_kimboi).get(reverse("site:my_unit")).content.decode()
    assert "QT-KB-01" in body
    assert "QT-SGD-01" in body
    assert "BM-01/QT-SGD-01" in body
    assert "QT-LS-01" not in body
    assert "TTHC-01" not in body  # public, but neither Kim Bôi's nor applied to it
    assert "QT-KB-09" not in body  # never issued


def test_browse_filters_by_unit_kind_and_clause(client, users, library):
    login(client, users.staff_kimboi)
    by_unit = client.get(reverse("site:unit", args=["KIMBOI"])).content.decode()
    assert "QT-KB-01" in by_unit
    assert "QT-SGD-01" not in by_unit
    by_kind = client.get(reverse("site:kind", args=[DocumentKind.FORM])).content.decode()
    assert "BM-01/QT-SGD-01" in by_kind
    assert "QT-KB-01" not in by_kind
    # 4.2 answers for the document filed under 4.2.3.
    by_clause = client.get(reverse("site:clause", args=["4.2"])).content.decode()
    assert "QT-SGD-01" in by_clause
    assert "QT-KB-01" not in by_clause
    combined = client.get(reverse("site:library"), {"don_vi": "SGD", "loai": "procedure"})
    assert "QT-SGD-01" in combined.content.decode()
    assert "BM-01/QT-SGD-01" not in combined.content.decode()


def test_browse_answers_unknown_filters_with_a_message_or_404(client, users, library):
    login(client, users.staff_kimboi)
    assert client.get(reverse("site:unit", args=["KHONGCO"])).status_code == 404
    assert client.get(reverse("site:kind", args=["khong-co"])).status_code == 404
    assert client.get(reverse("site:clause", args=["9.9"])).status_code == 404
    response = client.get(reverse("site:library"), {"loai": "<b>x</b>", "don_vi": "KHONGCO"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Không có loại tài liệu này." in body
    assert "Không có đơn vị này." in body
    assert "<b>x</b>" not in body


def test_browse_shows_anonymous_visitors_public_documents_only(client, library):
    body = client.get(reverse("site:library")).content.decode()
    assert "TTHC-01" in body
    assert "QT-SGD-01" not in body
    units = client.get(reverse("site:units")).content.decode()
    assert "Sở Giáo dục" in units
    assert "Kim Bôi" not in units


# --- Document page -------------------------------------------------------------------------


def test_the_document_page_shows_the_revision_in_force_and_its_pdf(client, users, library):
    document = library["ktl"]
    body = login(client, users.staff_kimboi).get(reverse("site:document", args=[document.pk]))
    body = body.content.decode()
    assert "QT-SGD-01" in body
    assert "Quy trình kiểm soát tài liệu" in body
    assert "Sở Giáo dục và Đào tạo tỉnh Hòa Bình" in body
    assert "Quy trình" in body
    assert "Đang có hiệu lực — lần ban hành 01, từ ngày 01/08/2012" in body
    # Viewer and download both get the stamped copy of the revision in force.
    stamped = reverse("documents_download", args=[document.pk])
    assert f'data="{stamped}?xem=1"' in body
    assert f'href="{stamped}" download' in body
    assert "Theo dõi sửa đổi tài liệu" in body
    assert "Nguyễn Minh Thành" in body
    assert "4.2.3" in body
    assert "BM-01/QT-SGD-01" in body  # its form
    form = client.get(reverse("site:document", args=[library["form"].pk])).content.decode()
    assert "Thuộc quy trình" in form
    assert reverse("site:document", args=[document.pk]) in form


def test_a_new_revision_replaces_the_old_one_everywhere(client, users, library):
    document = library["ktl"]
    issue_second(document, users.approver_sgd)
    login(client, users.staff_kimboi)
    body = client.get(reverse("site:document", args=[document.pk])).content.decode()
    assert "Đang có hiệu lực — lần ban hành 02, từ ngày 01/01/2013" in body
    assert "Lần ban hành</dt><dd>02" in body
    assert "Đã bị thay thế" in body  # revision 01 in the history table, labelled
    assert "Sửa mục 5" in body
    listing = client.get(reverse("site:my_unit")).content.decode()
    entry = listing.split(">QT-SGD-01</span>")[1].split("</li>")[0]
    assert "Lần ban hành 02, hiệu lực từ 01/01/2013" in entry
    assert "Lần ban hành 01" not in entry
    recent = client.get(reverse("site:recent")).content.decode()
    entries = [item for item in recent.split("<li>") if ">QT-SGD-01</span>" in item]
    assert len(entries) == 1
    assert "Lần ban hành 02" in entries[0]


def test_a_superseded_revision_page_points_to_the_current_one(client, users, library):
    document = library["ktl"]
    issue_second(document, users.approver_sgd)
    login(client, users.staff_kimboi)
    body = client.get(reverse("site:revision", args=[document.pk, 1])).content.decode()
    assert "HẾT HIỆU LỰC" in body
    assert "đã bị thay thế từ ngày 01/01/2013" in body
    assert "lần ban hành 02, hiệu lực từ ngày 01/01/2013" in body
    assert reverse("documents:file", args=[document.pk]) not in body  # no file offered
    current = client.get(reverse("site:revision", args=[document.pk, 2])).content.decode()
    assert "HẾT HIỆU LỰC" not in current
    assert "Đây là lần ban hành đang có hiệu lực" in current
    assert client.get(reverse("site:revision", args=[document.pk, 7])).status_code == 404


def test_a_withdrawn_document_is_not_offered_at_all(client, users, library):
    document = library["kimboi"]
    IssuedRevision.objects.filter(document=document).update(
        status=IssuedRevision.Status.OBSOLETE, effective_to=datetime.date(2013, 3, 1)
    )
    ControlledDocument.objects.filter(pk=document.pk).update(live=False)
    login(client, users.staff_kimboi)
    body = client.get(reverse("site:document", args=[document.pk])).content.decode()
    assert "Đã thu hồi, hết hiệu lực" in body
    assert reverse("documents:file", args=[document.pk]) not in body
    assert "QT-KB-01" not in client.get(reverse("site:my_unit")).content.decode()
    revision = client.get(reverse("site:revision", args=[document.pk, 1])).content.decode()
    assert "đã bị thu hồi từ ngày 01/03/2013" in revision
    assert "không còn bản nào có hiệu lực" in revision


def test_an_approved_revision_not_yet_in_force_is_labelled_and_not_current(client, users, library):
    document = library["ktl"]
    upcoming = issue_second(document, users.approver_sgd, on=datetime.date(2099, 1, 1))
    assert upcoming.status == IssuedRevision.Status.UPCOMING
    login(client, users.staff_kimboi)
    body = client.get(reverse("site:document", args=[document.pk])).content.decode()
    assert "Đang có hiệu lực — lần ban hành 01" in body
    recent = client.get(reverse("site:recent")).content.decode()
    assert "Có hiệu lực từ 01/01/2099" in recent


# --- Compare ------------------------------------------------------------------------------


def test_compare_shows_the_changes_inline_and_side_by_side(client, users, library):
    document = library["ktl"]
    issue_second(document, users.approver_sgd)
    login(client, users.staff_kimboi)
    url = reverse("site:compare", args=[document.pk])
    inline = client.get(url).content.decode()
    assert "Bổ sung mục 5 về lưu hồ sơ" in inline
    assert 'class="line added"' in inline
    side = client.get(url, {"a": 1, "b": 2, "kieu": "song-song"}).content.decode()
    assert "diff-side" in side
    assert "Bổ sung mục 5 về lưu hồ sơ" in side


def test_compare_escapes_the_text_of_the_revisions(client, users, library):
    document = library["ktl"]
    issue_second(document, users.approver_sgd, text="Mục đích\n<script>alert('x')</script>")
    body = login(client, users.staff_kimboi).get(reverse("site:compare", args=[document.pk]))
    body = body.content.decode()
    assert "<script>alert" not in body
    assert html.escape("<script>") in body


def test_compare_answers_bad_choices_with_a_message(client, users, library):
    document = library["ktl"]
    login(client, users.staff_kimboi)
    single = client.get(reverse("site:compare", args=[document.pk])).content.decode()
    assert "chưa có gì để so sánh" in single
    issue_second(document, users.approver_sgd)
    url = reverse("site:compare", args=[document.pk])
    for params in ({"a": "x", "b": "2"}, {"a": "1", "b": "9"}, {"a": "1"}):
        response = client.get(url, params)
        assert response.status_code == 200
        assert "Hãy chọn hai lần ban hành có trong danh sách." in response.content.decode()
    same = client.get(url, {"a": "2", "b": "2"}).content.decode()
    assert "Hãy chọn hai lần ban hành khác nhau." in same


def test_compare_texts_marks_changed_words_and_counts_lines():
    result = compare_texts("một\nhai ba bốn\nnăm", "một\nhai BA bốn\nnăm\nsáu")
    assert result.removed == 1
    assert result.added == 2
    replaced = next(line for line in result.inline if line.op == "added")
    assert [segment.text for segment in replaced.segments if segment.changed] == ["BA "]
    assert replaced.text == "hai BA bốn"
    assert compare_texts("a\n\n  \nb", "a\nb  ").identical


# --- As of date ---------------------------------------------------------------------------


def test_as_of_date_shows_what_was_in_force_on_that_day(client, users, library):
    document = library["ktl"]
    issue_second(document, users.approver_sgd)
    login(client, users.staff_kimboi)
    url = reverse("site:as_of")
    before = client.get(url, {"ngay": "31/07/2012"}).content.decode()
    assert "0 tài liệu có hiệu lực" in before
    during = client.get(url, {"ngay": "15/09/2012"}).content.decode()
    assert reverse("site:revision", args=[document.pk, 1]) in during
    assert reverse("site:revision", args=[document.pk, 2]) not in during
    assert "QT-LS-01" not in during  # not readable by Kim Bôi staff
    after = client.get(url, {"ngay": "2013-01-01"}).content.decode()
    assert reverse("site:revision", args=[document.pk, 2]) in after
    assert reverse("site:revision", args=[document.pk, 1]) not in after


@pytest.mark.parametrize("value", ["31/02/2012", "hôm qua", "01/01/0001", "2012-13-01"])
def test_as_of_date_refuses_a_bad_date_with_a_message(client, users, library, value):
    response = login(client, users.staff_kimboi).get(reverse("site:as_of"), {"ngay": value})
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.content.decode()


def test_parse_day_reads_vietnamese_and_iso_dates():
    assert parse_day("05/09/2012") == datetime.date(2012, 9, 5)
    assert parse_day("2012-09-05") == datetime.date(2012, 9, 5)
    assert parse_day("9/5/12") is None


# --- Bounded queries ----------------------------------------------------------------------


def _grow(make_document, org, count, start):
    for index in range(start, start + count):
        parent = make_document(
            unit=org.sgd,
            code=f"QT-SGD-{index:03d}",
            title=f"Quy trình số {index}",
            issued=True,
            applies_to=[org.sgd],
        )
        parent.iso_clauses.set(IsoClause.objects.filter(number="4.2.3"))
        parent.save()


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_pages_ask_the_database_a_bounded_number_of_times(
    client, users, org, library, make_document, django_assert_max_num_queries
):
    login(client, users.staff_kimboi)
    ktl = library["ktl"]
    pages = [
        ("/", None),
        (reverse("site:library"), None),
        (reverse("site:my_unit"), None),
        (reverse("site:recent"), None),
        (reverse("site:units"), None),
        (reverse("site:clause", args=["4.2"]), None),
        (reverse("site:as_of"), {"ngay": "15/09/2012"}),
        (reverse("site:document", args=[ktl.pk]), None),
    ]
    _grow(make_document, org, 5, 100)
    for url, params in pages:
        _count(client, url, params)  # warm Wagtail's site cache
    small = {url: _count(client, url, params) for url, params in pages}
    _grow(make_document, org, 25, 200)
    for index in range(200, 225):  # the procedure gets many forms too
        ControlledDocument.objects.filter(code=f"QT-SGD-{index:03d}").update(parent=ktl)
    for url, params in pages:
        with django_assert_max_num_queries(small[url]):
            response = client.get(url, params or {})
        assert response.status_code == 200
    body = client.get(reverse("site:document", args=[ktl.pk])).content.decode()
    assert "QT-SGD-224" in body
    assert max(small.values()) <= 15
