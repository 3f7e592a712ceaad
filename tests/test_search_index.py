"""Keeping the search index in step: lifecycle, after-commit tasks, rebuild, verify, repair."""

from __future__ import annotations

import datetime
import logging
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from documents.lifecycle import issue_revision, withdraw_document
from documents.models import ControlledDocument, IssuedRevision
from search import indexing
from search.backends import get_backend
from search.backends.whoosh_backend import POINTER, WhooshBackend
from search.records import SCHEMA_VERSION
from search.service import search
from tests.test_search import backend, keys, make_corpus  # noqa: F401 (fixture)


@pytest.fixture
def corpus(backend, org, users):  # noqa: F811
    documents = make_corpus(org)
    get_backend().rebuild()
    return documents


def test_issuing_revision_two_hides_revision_one_until_history_is_asked_for(
    corpus, users, django_capture_on_commit_callbacks
):
    document = corpus["kstl"]
    document.text = "Phiên bản mới: kiểm soát tài liệu điện tử."
    with django_capture_on_commit_callbacks(execute=True):
        issue_revision(
            document=document,
            effective_from=datetime.date(2013, 1, 1),
            approved_by_name="Trần Văn Phê",
        )
    hits = search("kiem soat tai lieu", users.qm_sgd).hits
    assert [(h.code, h.number) for h in hits if h.document_id == document.pk] == [("QT-VP-01", 2)]
    assert search("tai lieu dien tu", users.qm_sgd).hits[0].number == 2
    history = [
        h
        for h in search("kiem soat tai lieu", users.qm_sgd, include_history=True).hits
        if h.document_id == document.pk
    ]
    assert sorted((h.number, h.is_history, h.status_label) for h in history) == [
        (1, True, "Đã bị thay thế"),
        (2, False, "Đang có hiệu lực"),
    ]


def test_withdrawing_removes_the_document_and_history_shows_it_obsolete(
    corpus, users, django_capture_on_commit_callbacks
):
    document = corpus["kshs"]
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_document(document=document, user=users.controller_sgd, reason="Hợp nhất quy trình")
    assert keys(search("kiem soat ho so", users.qm_sgd), corpus) == []
    hits = search("kiem soat ho so", users.qm_sgd, include_history=True).hits
    assert [(h.document_id, h.status_label) for h in hits] == [
        (document.pk, "Hết hiệu lực (đã thu hồi)")
    ]


def test_an_upcoming_revision_is_found_by_default(backend, org, users):  # noqa: F811
    documents = make_corpus(org, statuses={"dgnb": IssuedRevision.Status.UPCOMING})
    get_backend().rebuild()
    hits = search("danh gia noi bo", users.qm_sgd).hits
    assert [(h.document_id, h.status_label) for h in hits] == [
        (documents["dgnb"].pk, "Đã phê duyệt, chưa có hiệu lực")
    ]


def test_changing_visibility_reindexes_after_commit(
    corpus, users, django_capture_on_commit_callbacks
):
    document = corpus["kb"]
    document.visibility = "public"
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    assert keys(search("van ban den", None), corpus) == ["kb"]
    assert get_backend().verify().clean


def test_nothing_is_indexed_when_the_transaction_rolls_back(corpus, users):
    document = corpus["kb"]
    document.visibility = "public"
    document.save()  # the test transaction never commits: no on_commit callback runs
    assert get_backend().verify().stale == [document.issued_revisions.get().pk]


def test_verify_detects_a_document_changed_behind_the_index(corpus):
    assert get_backend().verify().clean
    revision = corpus["kstl"].issued_revisions.get()
    IssuedRevision.objects.filter(pk=revision.pk).update(text="Nội dung đã bị sửa lén")
    drift = get_backend().verify()
    assert drift.stale == [revision.pk]
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("search_index", "verify", stdout=out)
    assert failure.value.returncode == 1
    assert "1 lần ban hành đã cũ" in out.getvalue()
    call_command("search_index", "update", stdout=StringIO())
    assert get_backend().verify().clean
    call_command("search_index", "verify", stdout=StringIO())


def test_verify_reports_revisions_missing_from_the_index(corpus, org):
    document = ControlledDocument.objects.create(unit=org.vp, code="QT-VP-77", title="Mới")
    revision = IssuedRevision.objects.create(
        document=document,
        number=1,
        status="current",
        code="QT-VP-77",
        title="Mới",
        approved_by_name="A",
        approved_at=document.created_at,
        effective_from=datetime.date(2012, 8, 1),
    )
    assert get_backend().verify().missing == [revision.pk]


def test_a_failed_index_write_is_retried_and_logged(
    corpus, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    calls = []

    def broken(self, ids):
        calls.append(ids)
        raise OSError("disk full")

    backend_class = type(get_backend())
    monkeypatch.setattr(backend_class, "index_documents", broken)
    monkeypatch.setattr("search.tasks.time.sleep", lambda seconds: None)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        indexing.schedule_document(corpus["kstl"].pk)
    assert len(calls) == 3
    assert "after 3 attempts" in caplog.text
    assert "search_index update" in caplog.text


def test_a_rolled_back_savepoint_schedules_nothing(
    corpus, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import transaction

    batches = []
    backend_class = type(get_backend())
    monkeypatch.setattr(backend_class, "index_documents", lambda self, ids: batches.append(ids))
    with django_capture_on_commit_callbacks(execute=True):
        indexing.schedule_documents([corpus["kstl"].pk, corpus["kshs"].pk])
        with pytest.raises(RuntimeError), transaction.atomic():
            indexing.schedule_document(corpus["kb"].pk)
            raise RuntimeError("rolled back")
    assert batches == [sorted([corpus["kstl"].pk, corpus["kshs"].pk])]


# --- Whoosh-specific: generations, locks, damage --------------------------------------------


@pytest.fixture
def whoosh_corpus(settings, org, users):
    settings.QMS_SEARCH_BACKEND = "whoosh"
    documents = make_corpus(org)
    WhooshBackend().rebuild()
    return documents


def test_rebuild_swaps_in_a_new_generation(whoosh_corpus, settings):
    engine = WhooshBackend()
    before = engine.live_dir()
    engine.rebuild()
    after = engine.live_dir()
    assert before != after and after.exists()
    assert (settings.QMS_INDEX_DIR / POINTER).read_text() == after.name


def test_a_deleted_index_directory_is_detected_and_rebuilt(whoosh_corpus, users, settings):
    shutil.rmtree(settings.QMS_INDEX_DIR)
    assert keys(search("kiem soat tai lieu", users.qm_sgd), whoosh_corpus)[0] == "kstl"
    assert WhooshBackend().verify().clean


def test_a_corrupted_index_is_detected_and_rebuilt(whoosh_corpus, users):
    live = WhooshBackend().live_dir()
    search("kiem soat", users.qm_sgd)  # a cached searcher exists too
    for path in live.iterdir():
        if path.suffix in {".toc", ".seg", ".trm", ".pst", ".fdt"}:
            # Replaced, not overwritten in place: Whoosh maps its files into memory.
            path.unlink()
            path.write_bytes(b"\x00garbage" * 3)
    assert keys(search("kiem soat tai lieu", users.qm_sgd), whoosh_corpus)[0] == "kstl"


def test_an_old_schema_version_triggers_a_rebuild(whoosh_corpus, users):
    engine = WhooshBackend()
    old = engine.live_dir()
    (old / "SCHEMA_VERSION").write_text(str(SCHEMA_VERSION - 1))
    assert keys(search("kiem soat tai lieu", users.qm_sgd), whoosh_corpus)[0] == "kstl"
    assert engine.live_dir() != old


def test_a_writer_waits_for_the_lock_and_then_gives_up_clearly(whoosh_corpus, settings):
    from search.backends import SearchUnavailable

    settings.QMS_INDEX_LOCK_TIMEOUT = 0.2
    holder, waiter = WhooshBackend(), WhooshBackend()
    with holder.write_lock(), pytest.raises(SearchUnavailable):
        waiter.index_documents([whoosh_corpus["kstl"].pk])
    assert waiter.index_documents([whoosh_corpus["kstl"].pk]) == 1


def test_searching_keeps_working_while_a_rebuild_is_underway(whoosh_corpus, users, monkeypatch):
    from search.backends import whoosh_backend

    seen = []
    original = whoosh_backend.WhooshBackend._fill

    def fill_and_search(self, ix, records):
        seen.append(keys(search("kiem soat tai lieu", users.qm_sgd), whoosh_corpus))
        return original(self, ix, records)

    monkeypatch.setattr(whoosh_backend.WhooshBackend, "_fill", fill_and_search)
    WhooshBackend().rebuild()
    assert seen and seen[0][0] == "kstl"


def test_the_rebuild_command_reports_the_count(whoosh_corpus):
    out = StringIO()
    call_command("search_index", "rebuild", stdout=out)
    assert f"{len(whoosh_corpus)} lần ban hành" in out.getvalue()
