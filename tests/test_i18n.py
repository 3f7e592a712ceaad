"""Languages: Vietnamese by default, English on request, and catalogues that stay complete.

The staff site follows the language switch (a cookie set by Django's set_language view), never the
browser's Accept-Language; the Wagtail admin follows each user's profile preference. Our msgids are
Vietnamese (English in qms/locale/en), Wagtail's are English (Vietnamese in qms/locale/vi).
"""

from __future__ import annotations

import datetime
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import django
import pytest
import wagtail
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, translation
from wagtail.users.models import UserProfile

from documents.models import DocumentKind
from qms.locale.build_en import parse_po

LOCALE = Path(settings.BASE_DIR) / "qms" / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
VI_PO = {
    domain: LOCALE / "vi" / "LC_MESSAGES" / f"{domain}.po" for domain in ("django", "djangojs")
}
BROWSER_IN_ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def entries(path: Path):
    """The catalogue's messages without the header entry."""
    return [entry for entry in parse_po(path.read_text(encoding="utf-8")) if entry.msgid]


@pytest.fixture
def procedure(org, make_document):
    return make_document(
        unit=org.vp, code="QT-VP-01", title="Quy trình tiếp nhận văn bản đến", issued=True
    )


def choose_language(client, language: str, next_url: str = "/"):
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response.url == next_url
    return client


# --- Staff site -----------------------------------------------------------------------------


def test_the_home_page_is_vietnamese_even_for_an_english_browser(client, db):
    response = client.get("/", **BROWSER_IN_ENGLISH)
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in body
    assert ">Trang chủ</a>" in body
    assert ">Tra cứu</a>" in body
    assert ">Home</a>" not in body


def test_every_staff_page_offers_the_language_switch(client, db):
    body = client.get("/").content.decode()
    assert f'action="{reverse("set_language")}"' in body
    assert '<strong lang="vi" aria-current="true">Tiếng Việt</strong>' in body
    assert 'name="language" value="en" lang="en" class="link-button">English</button>' in body
    choose_language(client, "en")
    body = client.get("/").content.decode()
    assert 'name="language" value="vi" lang="vi" class="link-button">Tiếng Việt</button>' in body
    assert '<strong lang="en" aria-current="true">English</strong>' in body


def test_the_document_page_is_vietnamese_even_for_an_english_browser(client, users, procedure):
    client.force_login(users.author_vp)
    url = reverse("site:document", args=[procedure.pk])
    body = client.get(url, **BROWSER_IN_ENGLISH).content.decode()
    assert ">Quy trình<" in body  # the document kind
    assert ">Đăng xuất</button>" in body
    assert ">Procedure<" not in body


def test_choosing_english_shows_the_same_page_with_english_labels(client, users, procedure):
    client.force_login(users.author_vp)
    url = reverse("site:document", args=[procedure.pk])
    choose_language(client, "en", url)
    response = client.get(url)
    body = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in body
    assert ">Procedure<" in body
    assert ">Home</a>" in body
    assert ">Browse</a>" in body
    assert ">Log out</button>" in body
    assert ">Tra cứu</a>" not in body
    assert "Quy trình tiếp nhận văn bản đến" in body  # content is never translated


def test_choosing_vietnamese_again_switches_back(client, users, procedure):
    client.force_login(users.author_vp)
    choose_language(client, "en")
    choose_language(client, "vi")
    body = client.get("/", **BROWSER_IN_ENGLISH).content.decode()
    assert ">Trang chủ</a>" in body


def test_a_language_we_do_not_offer_leaves_the_site_in_vietnamese(client, db):
    # Django knows French, so set_language stores it; the site only speaks vi and en.
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    response = client.get("/")
    assert response["Content-Language"] == "vi"
    assert ">Trang chủ</a>" in response.content.decode()


def test_the_switch_never_redirects_to_another_site(client, db):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response.url


# --- Wagtail admin --------------------------------------------------------------------------


def test_the_admin_is_vietnamese_for_a_user_without_a_preference(client, users, procedure):
    client.force_login(users.author_vp)
    body = client.get(reverse("wagtailadmin_home"), **BROWSER_IN_ENGLISH).content.decode()
    assert '<html lang="vi"' in body
    assert "Bỏ qua, đến nội dung chính" in body
    assert "Skip to main content" not in body
    listing = client.get(
        reverse("wagtailsnippets_documents_controlleddocument:list"), **BROWSER_IN_ENGLISH
    ).content.decode()
    assert "Mã hiệu" in listing
    assert "Loại tài liệu" in listing
    assert "Document type" not in listing


def test_the_admin_is_english_for_a_user_who_prefers_english(client, users, procedure):
    profile = UserProfile.get_for_user(users.author_vp)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(users.author_vp)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '<html lang="en"' in body
    assert "Skip to main content" in body
    assert "Search all pages…" in body
    listing = client.get(
        reverse("wagtailsnippets_documents_controlleddocument:list")
    ).content.decode()
    assert "Document type" in listing
    assert "Loại tài liệu" not in listing
    # The staff site keeps its own switch: still Vietnamese for this user.
    assert ">Trang chủ</a>" in client.get("/").content.decode()


# --- Dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_are_day_month_year_in_both_languages(language):
    day = datetime.date(2012, 8, 1)
    moment = datetime.datetime(2012, 8, 1, 14, 5)
    with translation.override(language):
        assert formats.date_format(day) == "01/08/2012"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "01/08/2012"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "01/08/2012 14:05"
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_document_page_shows_dates_as_day_month_year(client, users, procedure, language):
    client.force_login(users.author_vp)
    choose_language(client, language)
    body = client.get(reverse("site:document", args=[procedure.pk])).content.decode()
    assert "01/08/2012" in body


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_admin_edit_form_shows_dates_as_day_month_year(
    client, users, org, make_document, language
):
    external = make_document(unit=org.vp, code="04/2012/QĐ-UBND", kind=DocumentKind.EXTERNAL)
    external.official_number = "04/2012/QĐ-UBND"
    external.issued_on = datetime.date(2012, 7, 16)
    external.save()
    profile = UserProfile.get_for_user(users.author_vp)
    profile.preferred_language = language
    profile.save()
    client.force_login(users.author_vp)
    url = reverse("wagtailsnippets_documents_controlleddocument:edit", args=[external.pk])
    body = client.get(url).content.decode()
    assert 'value="16/07/2012"' in body


# --- Catalogues -----------------------------------------------------------------------------


def test_every_english_message_is_translated():
    messages = entries(EN_PO)
    assert len(messages) > 250  # the parser really read the catalogue
    untranslated = [
        e.msgid
        for e in messages
        if e.fuzzy or not all(e.msgstr.get(i) for i in range(2 if e.msgid_plural else 1))
    ]
    assert untranslated == [], "add the English to qms/locale/en_messages.py, run make messages"


def test_every_source_string_is_in_the_english_catalogue(settings, tmp_path):
    """Run makemessages into a scratch folder: a string added since the last `make messages`
    would show up in English as Vietnamese."""
    # Ignoring every "locale" folder matters: makemessages would otherwise adopt qms/locale as the
    # catalogue for the files beside it and rewrite the committed English catalogue.
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.skip("GNU gettext (xgettext) is not installed")
    settings.LOCALE_PATHS = [tmp_path]
    call_command(
        "makemessages",
        locale=["en"],
        ignore_patterns=[".venv", "var", "tests", "bench/*", "locale"],
        no_obsolete=True,
        verbosity=0,
    )
    in_source = {e.msgid for e in entries(tmp_path / "en" / "LC_MESSAGES" / "django.po")}
    in_catalogue = {e.msgid for e in entries(EN_PO)}
    assert sorted(in_source - in_catalogue) == [], "run `make messages` and translate"


@pytest.mark.parametrize(
    ("language", "domain"), [("en", "django"), ("vi", "django"), ("vi", "djangojs")]
)
def test_the_committed_mo_files_match_the_po_files(language, domain):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / f"{domain}.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in entries(folder / f"{domain}.po"):
        if entry.msgid_plural is not None:
            got = compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
        else:
            got = compiled.gettext(entry.msgid)
        assert got == entry.msgstr[0], f"{entry.msgid!r}: run make messages"


def test_our_vietnamese_strings_are_shown_as_written_in_vietnamese():
    # Nothing in Django's, Wagtail's or our Vietnamese catalogues may "translate" our msgids.
    with translation.override("vi"):
        changed = [e.msgid for e in entries(EN_PO) if translation.gettext(e.msgid) != e.msgid]
    assert changed == []


def test_wagtails_english_is_untouched_by_our_english_catalogue():
    # Our English catalogue holds Vietnamese msgids only, so Wagtail's strings stay Wagtail's.
    with translation.override("en"):
        changed = [
            e.msgid
            for e in entries(VI_PO["django"])
            if e.msgid_plural is None and translation.gettext(e.msgid) != e.msgid
        ]
    assert changed == []


def test_the_vietnamese_catalogue_only_holds_strings_wagtail_or_django_use():
    # A misspelt msgid would never match anything and leave the English on screen.
    for domain, po in VI_PO.items():
        known = set()
        for package in (django, wagtail):
            for catalogue in Path(package.__file__).parent.glob(
                f"**/locale/en/LC_MESSAGES/{domain}.po"
            ):
                known |= {e.msgid for e in entries(catalogue)}
        assert len(known) > 100
        assert sorted(e.msgid for e in entries(po) if e.msgid not in known) == []


def test_admin_chooser_labels_do_not_freeze_in_the_first_visitors_language(tmp_path):
    """Wagtail formats its chooser labels once, when the URLconf is imported; the middleware
    imports it in Vietnamese. Needs a fresh interpreter: this one has imported the URLconf."""
    script = """
import django
from django.urls import resolve
from django.utils import translation
django.setup()
translation.activate("en")  # as if the first request of the process carried the English cookie
from qms.middleware import PreferredLanguageMiddleware
PreferredLanguageMiddleware(lambda request: None)
view = resolve("/admin/snippets/documents/controlleddocument/add/").func
print(view.view_initkwargs["form_class"].base_fields["parent"].widget.choose_one_text)
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qms.settings", "QMS_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Chọn tài liệu"
