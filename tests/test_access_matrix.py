"""The access matrix: every role, in its own unit, a child unit and an unrelated district office.

For each person of the cast the table below says, by hand, which documents they may see and which
they may change. One test per person then asks every door the system has — the Wagtail admin
listing, the admin edit view, the API list, the API detail and the file download — and checks
they all give the same answer. The expectations are written out, not computed with qms.access, so
a change to the rules shows up here as a diff of the table.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from documents.models import ControlledDocument, IssuedRevision
from qms.models import OrgUnit

PUBLIC = ControlledDocument.Visibility.PUBLIC
UNIT_ONLY = ControlledDocument.Visibility.UNIT

# code: (unit attribute, issued, visibility, applies_to unit attributes)
DOCUMENTS = {
    "QT-SGD-01": ("sgd", True, "internal", []),
    "HD-SGD-01": ("sgd", True, UNIT_ONLY, ["sgd"]),  # province-wide: applies to the department
    "QT-VP-01": ("vp", True, "internal", []),  # a child unit of the department, same QMS
    "QT-VP-02": ("vp", False, "internal", []),  # a draft
    "QT-VP-03": ("vp", True, UNIT_ONLY, []),
    "QT-VP-04": ("vp", True, "internal", []),  # withdrawn below: its revision is obsolete
    "QT-LS-01": ("luongson", True, "internal", []),  # a district office with its own QMS
    "QT-LS-02": ("luongson", False, "internal", []),  # a district draft
    "QT-THCS-01": ("school", True, UNIT_ONLY, []),  # a child unit of the district office
    "TTHC-LS-01": ("luongson", True, PUBLIC, []),  # public administrative procedure
    "QT-KB-01": ("kimboi", True, "internal", []),  # another, unrelated district office
}
ALL = frozenset(DOCUMENTS)
SGD_QMS = frozenset({"QT-SGD-01", "HD-SGD-01", "QT-VP-01", "QT-VP-02", "QT-VP-03", "QT-VP-04"})
LS_QMS = frozenset({"QT-LS-01", "QT-LS-02", "QT-THCS-01", "TTHC-LS-01"})


WITHDRAWN = "QT-VP-04"
NOT_IN_FORCE = frozenset({"QT-VP-02", "QT-LS-02", WITHDRAWN})
VP_NOT_IN_FORCE = frozenset({"QT-VP-02", WITHDRAWN})


@dataclass(frozen=True)
class Expect:
    admin: bool  # may enter the Wagtail admin at all
    sees: frozenset[str]
    edits: frozenset[str] = frozenset()  # may save changes in the editor
    # Drafts and withdrawn documents whose working file they may download: only the people who
    # work on the document (a document-control role in its unit). Others, overseers included,
    # read such a document's details but get no file: nothing of it is in force (4.2.3 g).
    draft_files: frozenset[str] = frozenset()
    # Every document-control role may open the editor of a document it can see, to read the
    # draft (documents.admin_views); auditors may not. Saving is checked separately.
    opens_editor: bool = True


# Written by hand from ARCHITECTURE §3. Reading: work roles see their QMS's drafts; issued
# internal documents reach every member of the same QMS; unit-only ones the unit's own people and
# the units they apply to; the department's quality manager and auditors oversee every QMS below;
# public issued documents reach everyone. Only authors and ISO secretaries change documents.
EXPECTED = {
    "admin": Expect(True, ALL, ALL, NOT_IN_FORCE),
    "qm.sgd": Expect(True, ALL, draft_files=VP_NOT_IN_FORCE),
    "auditor.sgd": Expect(True, ALL, opens_editor=False),
    "controller.sgd": Expect(True, SGD_QMS | {"TTHC-LS-01"}, SGD_QMS, VP_NOT_IN_FORCE),
    "approver.sgd": Expect(True, SGD_QMS | {"TTHC-LS-01"}, draft_files=VP_NOT_IN_FORCE),
    "author.vp": Expect(
        True,
        SGD_QMS | {"TTHC-LS-01"},
        {"QT-VP-01", "QT-VP-02", "QT-VP-03", "QT-VP-04"},
        VP_NOT_IN_FORCE,
    ),
    "reviewer.vp": Expect(True, SGD_QMS | {"TTHC-LS-01"}, draft_files=VP_NOT_IN_FORCE),
    "staff.vp": Expect(
        False, {"QT-SGD-01", "HD-SGD-01", "QT-VP-01", "QT-VP-03", "QT-VP-04", "TTHC-LS-01"}
    ),
    "author.luongson": Expect(True, LS_QMS | {"HD-SGD-01"}, LS_QMS, {"QT-LS-02"}),
    "reviewer.luongson": Expect(True, LS_QMS | {"HD-SGD-01"}, draft_files={"QT-LS-02"}),
    "approver.luongson": Expect(True, LS_QMS | {"HD-SGD-01"}, draft_files={"QT-LS-02"}),
    "controller.luongson": Expect(True, LS_QMS | {"HD-SGD-01"}, LS_QMS, {"QT-LS-02"}),
    "staff.luongson": Expect(False, {"QT-LS-01", "QT-THCS-01", "TTHC-LS-01", "HD-SGD-01"}),
    "auditor.kimboi": Expect(True, {"QT-KB-01", "HD-SGD-01", "TTHC-LS-01"}, opens_editor=False),
    "staff.kimboi": Expect(False, {"QT-KB-01", "HD-SGD-01", "TTHC-LS-01"}),
    "outsider": Expect(False, {"TTHC-LS-01"}),
    "anonymous": Expect(False, {"TTHC-LS-01"}),
}


@pytest.fixture
def documents(org, make_document) -> dict[str, ControlledDocument]:
    units = {
        "sgd": org.sgd,
        "vp": org.vp,
        "luongson": org.luongson,
        "kimboi": org.kimboi,
        "school": OrgUnit.objects.create(
            name="Trường THCS thị trấn Lương Sơn",
            short_code="THCS-LUONGSON",
            kind=OrgUnit.Kind.OTHER,
            parent=org.luongson,
        ),
    }
    documents = {
        code: make_document(
            unit=units[unit],
            code=code,
            issued=issued,
            visibility=visibility,
            applies_to=[units[name] for name in applies_to],
        )
        for code, (unit, issued, visibility, applies_to) in DOCUMENTS.items()
    }
    withdrawn = documents[WITHDRAWN]
    withdrawn.live = False
    withdrawn.save()
    IssuedRevision.objects.filter(document=withdrawn).update(
        status=IssuedRevision.Status.OBSOLETE, effective_to=datetime.date(2013, 1, 1)
    )
    return documents


def _admin_outcome(response, ok: str) -> str:
    if response.status_code == 200 or (
        response.status_code == 400 and response.json().get("error_code") == "validation_error"
    ):
        return ok
    if response.status_code == 404:
        return "hidden"
    if response.status_code == 302 and response["Location"].startswith(
        reverse("wagtailadmin_login")
    ):
        return "login"
    if response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"):
        return "refused"  # Wagtail's "you do not have permission" redirect
    return f"HTTP {response.status_code} {response.get('Location', '')}"


def _file_outcome(response) -> str:
    if response.status_code == 302 and "/tai-ve/" in response["Location"]:
        # Readers who do not work on the document are sent to the stamped copy: follow it.
        return _file_outcome(response.client.get(response["Location"]))
    if response.status_code == 200:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return "file" if body.startswith(b"%PDF") else "empty"
    if response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    ):
        return "login"
    return "hidden" if response.status_code == 404 else f"HTTP {response.status_code}"


def _expected_row(expect: Expect, code: str, anonymous: bool) -> dict:
    sees = code in expect.sees
    if not expect.admin:
        editor = save = "login"
    elif not sees:
        editor = save = "hidden"
    else:
        editor = "open" if expect.opens_editor else "refused"
        save = "allowed" if code in expect.edits else "refused"
    file_ok = sees and (code not in NOT_IN_FORCE or code in expect.draft_files)
    return {
        "api detail": 200 if sees else (401 if anonymous else 404),
        "editor": editor,
        "save": save,
        "file": "file" if file_ok else ("login" if anonymous else "hidden"),
    }


@pytest.mark.parametrize("who", list(EXPECTED))
def test_every_door_gives_the_same_answer(client, users, documents, who):
    expect = EXPECTED[who]
    anonymous = who == "anonymous"
    if not anonymous:
        client.force_login(users[who])

    listing = client.get(reverse(ControlledDocument.snippet_viewset.get_url_name("list")))
    if expect.admin:
        assert listing.status_code == 200
        page = listing.content.decode()
        shown = {code for code in DOCUMENTS if f">{code}<" in page or f"{code}</" in page}
        assert shown == expect.sees, "admin listing"
    else:
        # Staff and outsiders have no admin at all: sent to the login page, never a listing.
        assert _admin_outcome(listing, "listing") == "login"

    api_list = client.get("/api/v1/documents", {"page_size": 100})
    assert api_list.status_code == 200
    assert {item["code"] for item in api_list.json()["items"]} == expect.sees, "API list"

    observed, wanted = {}, {}
    for code, document in documents.items():
        edit_url = reverse(
            ControlledDocument.snippet_viewset.get_url_name("edit"), args=[document.pk]
        )
        # An empty form: an editor gets its errors back (as JSON, which spares rendering the
        # editor; nothing is saved), anyone else is refused before the form is read.
        save = _admin_outcome(client.post(edit_url, {}, HTTP_ACCEPT="application/json"), "allowed")
        observed[code] = {
            "api detail": client.get(f"/api/v1/documents/{document.pk}").status_code,
            "editor": _admin_outcome(client.get(edit_url), "open"),
            "save": save,
            "file": _file_outcome(client.get(reverse("documents:file", args=[document.pk]))),
        }
        wanted[code] = _expected_row(expect, code, anonymous)
    assert observed == wanted
    # The refused and the invalid saves changed nothing.
    for code, document in documents.items():
        refreshed = ControlledDocument.objects.get(pk=document.pk)
        assert (refreshed.code, refreshed.title, refreshed.latest_revision_id) == (
            code,
            document.title,
            document.latest_revision_id,
        )


def test_the_table_covers_every_member_of_the_cast(users):
    assert set(EXPECTED) - {"anonymous"} == set(users)
