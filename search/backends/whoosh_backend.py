"""The embedded backend: a Whoosh index in ``QMS_INDEX_DIR``.

Layout of ``QMS_INDEX_DIR``::

    CURRENT           name of the live generation (replaced atomically with os.replace)
    gen-<stamp>/      one complete Whoosh index + SCHEMA_VERSION
    write.lock        our cross-process writer lock (fcntl), taken before Whoosh's own lock

``rebuild`` fills a new generation beside the live one without blocking searches or writers,
then takes the writer lock, replays whatever changed in the database meanwhile, and swaps the
pointer. A missing pointer, a missing or corrupted generation or an old schema version is detected
on the next search or write and repaired by a rebuild (the database is the truth).

Matching uses one folded positional field per text (title, body); the exact words with diacritics
are stored per document (not indexed) and used to re-rank the best candidates, which keeps phrase
queries on a single positional field (a second, unfolded positional field made them 3-5× slower).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.query import And, AndNot, Or, Phrase, Prefix, Term

from qms.access import DocumentReadScope
from search.analysis import FoldingTokenizer, exact_words, fold, nfc
from search.backends import Backend, Drift, Filters, SearchUnavailable
from search.query import Code, ParsedQuery, Word
from search.query import Phrase as PhraseClause
from search.records import SCHEMA_VERSION, IndexRecord, iter_records

logger = logging.getLogger(__name__)

POINTER = "CURRENT"
VERSION_FILE = "SCHEMA_VERSION"
LOCK_FILE = "write.lock"
# Candidates re-ranked by exact (diacritic) match when the user typed marks.
RERANK_CANDIDATES = 100


class IndexBroken(Exception):
    """The live index is missing, from an older schema, or unreadable."""


def schema() -> Schema:
    folding = FoldingTokenizer()
    return Schema(
        rev=ID(stored=True, unique=True),
        doc=ID(stored=True),
        fp=STORED,
        xw=STORED,
        code=ID,
        title=TEXT(analyzer=folding, field_boost=3.0),
        body=TEXT(analyzer=folding),
        unit=ID,
        root=ID,
        vis=ID,
        kind=ID,
        status=ID,
        issued=ID,
        applies=KEYWORD,
        clauses=KEYWORD,
    )


def record_fields(record: IndexRecord) -> dict:
    """The Whoosh document of one issued revision."""
    title = nfc(f"{record.code} {record.title}")
    body = nfc(record.text)
    return {
        "rev": str(record.revision_id),
        "doc": str(record.document_id),
        "fp": record.fingerprint,
        "xw": " ".join(sorted(exact_words(title) | exact_words(body))),
        "code": fold(record.code),
        "title": title,
        "body": body,
        "unit": str(record.unit_id),
        "root": str(record.qms_root_id),
        "vis": record.visibility,
        "kind": record.kind,
        "status": record.status,
        "issued": "1" if record.issued else "0",
        "applies": " ".join(map(str, record.applies_to)),
        "clauses": " ".join(record.clauses),
    }


def _text_query(words: tuple[str, ...]):
    if len(words) == 1:
        return Or([Term("title", words[0]), Term("body", words[0])])
    return Or([Phrase("title", list(words)), Phrase("body", list(words))])


def clause_query(clause):
    if isinstance(clause, Word):
        if clause.prefix:
            return Or([Prefix("title", clause.folded), Prefix("body", clause.folded)])
        return _text_query((clause.folded,))
    if isinstance(clause, PhraseClause):
        return _text_query(clause.folded)
    assert isinstance(clause, Code)
    parts = [Prefix("code", clause.folded)]
    if clause.parts and clause.specific:
        parts.append(_text_query(clause.parts))
    elif clause.parts:
        words = list(clause.parts)
        parts.append(Phrase("title", words) if len(words) > 1 else Term("title", words[0]))
    return Or(parts)


def build_query(parsed: ParsedQuery):
    positive = And([clause_query(clause) for clause in parsed.positive])
    negative = [clause_query(clause) for clause in parsed.clauses if clause.negate]
    return AndNot(positive, Or(negative)) if negative else positive


FILTER_CACHE_SIZE = 256


def _docs(searcher, field: str, values) -> set[int]:
    found: set[int] = set()
    for value in values:
        found.update(searcher.docs_for_query(Term(field, str(value))))
    return found


def allowed_docs(searcher, scope: DocumentReadScope, filters: Filters) -> set[int] | None:
    """Document numbers the user may see that pass the filters (None: no restriction).

    ``qms.access.visible_documents`` rule for rule, computed with set operations on posting
    lists (far cheaper than a tree of Whoosh query matchers) and cached on the searcher: a
    searcher sees one fixed version of the index, so the answer cannot go stale with it.
    """
    cache = searcher.__dict__.setdefault("_qms_filters", {})
    key = (scope, filters)
    if key in cache:
        return cache[key]
    parts: list[set[int]] = []
    if filters.statuses:
        parts.append(_docs(searcher, "status", filters.statuses))
    if not scope.everything:
        issued = _docs(searcher, "issued", ["1"])
        allowed = issued & _docs(searcher, "vis", ["public"])
        allowed |= _docs(searcher, "unit", scope.work_units)
        allowed |= issued & _docs(searcher, "unit", scope.role_units)
        if scope.internal_roots:
            allowed |= (
                issued
                & _docs(searcher, "vis", ["internal"])
                & _docs(searcher, "root", scope.internal_roots)
            )
        allowed |= issued & _docs(searcher, "applies", scope.applies_units)
        parts.append(allowed)
    if filters.unit_ids is not None:
        parts.append(_docs(searcher, "unit", filters.unit_ids))
    if filters.kind:
        parts.append(_docs(searcher, "kind", [filters.kind]))
    if filters.clause:
        parts.append(_docs(searcher, "clauses", [filters.clause]))
    result = set.intersection(*parts) if parts else None
    if len(cache) >= FILTER_CACHE_SIZE:
        cache.clear()
    cache[key] = result
    return result


_local = threading.local()


class WhooshBackend(Backend):
    name = "whoosh"

    def __init__(self, root: Path | str | None = None):
        self.root = Path(root or settings.QMS_INDEX_DIR)
        self.lock_timeout = float(getattr(settings, "QMS_INDEX_LOCK_TIMEOUT", 60))
        self.writer_limitmb = int(getattr(settings, "QMS_INDEX_WRITER_MB", 256))
        # Full rebuilds may use several processes (Whoosh's multiprocessing writer).
        self.rebuild_procs = int(getattr(settings, "QMS_INDEX_REBUILD_PROCS", 1))

    # --- generations and locking ------------------------------------------------------------

    def live_dir(self) -> Path:
        """The live generation, checked; raises IndexBroken when it cannot be used."""
        try:
            name = (self.root / POINTER).read_text().strip()
        except FileNotFoundError as exc:
            raise IndexBroken("no index yet") from exc
        path = self.root / name
        try:
            version = (path / VERSION_FILE).read_text().strip()
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise IndexBroken(f"index generation {name} is missing") from exc
        if version != str(SCHEMA_VERSION):
            raise IndexBroken(f"index schema {version} != {SCHEMA_VERSION}")
        return path

    def open_live(self):
        path = self.live_dir()
        try:
            return whoosh_index.open_dir(str(path))
        except Exception as exc:  # Whoosh raises many kinds on damaged files.
            raise IndexBroken(f"index {path.name} is unreadable: {exc!r}") from exc

    @contextlib.contextmanager
    def write_lock(self, timeout: float | None = None):
        """The one-writer-at-a-time lock, waited for with exponential backoff."""
        self.root.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + (self.lock_timeout if timeout is None else timeout)
        delay = 0.02
        with open(self.root / LOCK_FILE, "a+") as handle:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise SearchUnavailable(
                            "search index is locked by another writer"
                        ) from None
                    time.sleep(delay)
                    delay = min(delay * 2, 1.0)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        path.mkdir()
        whoosh_index.create_in(str(path), schema())
        return path

    def _swap(self, path: Path) -> None:
        (path / VERSION_FILE).write_text(str(SCHEMA_VERSION))
        tmp = self.root / f".{POINTER}.{uuid.uuid4().hex[:8]}"
        tmp.write_text(path.name)
        os.replace(tmp, self.root / POINTER)
        # Keep the previous generation: a search that read the old pointer a moment ago may
        # still be opening it. Older ones go; so do unfinished ones (no version file) left by a
        # crash more than a day ago, while a rebuild still running elsewhere keeps its own.
        finished, day_ago = [], time.time() - 86400
        for other in self.root.glob("gen-*"):
            if other == path:
                continue
            if (other / VERSION_FILE).exists():
                finished.append(other)
            elif other.stat().st_mtime < day_ago:
                shutil.rmtree(other, ignore_errors=True)
        for old in sorted(finished, key=lambda p: p.stat().st_mtime)[:-1]:
            shutil.rmtree(old, ignore_errors=True)

    def _fill(self, ix, records) -> int:
        count = 0
        options = {"limitmb": self.writer_limitmb, "timeout": self.lock_timeout}
        if self.rebuild_procs > 1:
            options.update(procs=self.rebuild_procs, multisegment=True)
        writer = ix.writer(**options)
        try:
            for record in records:
                writer.add_document(**record_fields(record))
                count += 1
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        return count

    def _rebuild_locked(self) -> int:
        path = self._new_generation()
        count = self._fill(whoosh_index.open_dir(str(path)), iter_records())
        self._swap(path)
        logger.warning("search index rebuilt: %s revisions in %s", count, path.name)
        return count

    def _ensure_locked(self):
        try:
            return self.open_live()
        except IndexBroken as exc:
            logger.warning("search index needs a rebuild: %s", exc)
            self._rebuild_locked()
            return self.open_live()

    def ensure(self):
        """Open the live index, rebuilding it first when it is missing, old or damaged."""
        try:
            return self.open_live()
        except IndexBroken:
            with self.write_lock():
                return self._ensure_locked()

    # --- writing ----------------------------------------------------------------------------

    def index_documents(self, document_ids: list[int]) -> int:
        """Replace the entries of these documents by their issued revisions in the database."""
        ids = sorted({int(pk) for pk in document_ids})
        if not ids:
            return 0
        with self.write_lock():
            ix = self._ensure_locked()
            writer = ix.writer(limitmb=self.writer_limitmb, timeout=self.lock_timeout)
            count = 0
            try:
                for pk in ids:
                    writer.delete_by_term("doc", str(pk))
                for record in iter_records(ids):
                    writer.add_document(**record_fields(record))
                    count += 1
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
        return count

    def rebuild(self) -> int:
        """Build a fresh generation beside the live one, catch up, then swap it in."""
        path = self._new_generation()
        try:
            count = self._fill(whoosh_index.open_dir(str(path)), iter_records())
            with self.write_lock():
                # Writes that went to the old generation while we were building.
                self._sync(whoosh_index.open_dir(str(path)))
                self._swap(path)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        logger.info("search index rebuilt: %s revisions in %s", count, path.name)
        return count

    def _indexed(self, ix) -> dict[int, str]:
        with ix.searcher() as searcher:
            return {int(fields["rev"]): fields["fp"] for fields in searcher.all_stored_fields()}

    def _drift(self, ix) -> Drift:
        from search.records import expected_fingerprints

        indexed = self._indexed(ix)
        expected = expected_fingerprints()
        drift = Drift()
        for rev_id, fingerprint in expected.items():
            if rev_id not in indexed:
                drift.missing.append(rev_id)
            elif indexed[rev_id] != fingerprint:
                drift.stale.append(rev_id)
        drift.orphans = sorted(set(indexed) - set(expected))
        return drift

    def _sync(self, ix) -> Drift:
        drift = self._drift(ix)
        if drift.clean:
            return drift
        from documents.models import IssuedRevision

        changed = drift.missing + drift.stale
        doc_ids = set(
            IssuedRevision.objects.filter(pk__in=changed).values_list("document_id", flat=True)
        )
        writer = ix.writer(limitmb=self.writer_limitmb, timeout=self.lock_timeout)
        try:
            for rev_id in drift.orphans:
                writer.delete_by_term("rev", str(rev_id))
            for pk in doc_ids:
                writer.delete_by_term("doc", str(pk))
            for record in iter_records(doc_ids):
                writer.add_document(**record_fields(record))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        return drift

    def verify(self) -> Drift:
        """Compare the index with the database (a missing or broken index: everything missing)."""
        try:
            return self._drift(self.open_live())
        except IndexBroken:
            from search.records import expected_fingerprints

            return Drift(missing=sorted(expected_fingerprints()))

    def update(self) -> Drift:
        """Bring the index in line with the database; returns what was out of line."""
        with self.write_lock():
            try:
                ix = self.open_live()
            except IndexBroken:
                drift = self.verify()
                self._rebuild_locked()
                return drift
            return self._sync(ix)

    # --- searching --------------------------------------------------------------------------

    def _searcher(self):
        """A cached searcher of the live generation, refreshed when the index changed."""
        ix_path = self.live_dir()
        cache = getattr(_local, "searchers", None)
        if cache is None:
            cache = _local.searchers = {}
        key = str(self.root)
        cached = cache.get(key)
        if cached is not None and cached[0] == ix_path:
            searcher = cached[1]
            if not searcher.up_to_date():
                searcher = searcher.refresh()
                cache[key] = (ix_path, searcher)
            return searcher
        if cached is not None:
            with contextlib.suppress(Exception):
                cached[1].close()
        try:
            searcher = whoosh_index.open_dir(str(ix_path)).searcher()
        except Exception as exc:
            raise IndexBroken(repr(exc)) from exc
        cache[key] = (ix_path, searcher)
        return searcher

    def _forget_searcher(self) -> None:
        cache = getattr(_local, "searchers", {})
        cached = cache.pop(str(self.root), None)
        if cached is not None:
            with contextlib.suppress(Exception):
                cached[1].close()

    def search(self, parsed, scope, filters, *, limit):
        try:
            return self._search(parsed, scope, filters, limit=limit)
        except SearchUnavailable:
            raise
        except Exception as exc:
            # A damaged or vanished index: rebuild from the database once, then answer.
            logger.warning("search index unusable (%r); rebuilding", exc)
            self._forget_searcher()
            self.ensure_rebuilt_if_broken()
            return self._search(parsed, scope, filters, limit=limit)

    def ensure_rebuilt_if_broken(self) -> None:
        with self.write_lock():
            try:
                ix = self.open_live()
                with ix.searcher() as searcher:
                    # Touch every segment: a truncated file fails here rather than later.
                    searcher.doc_count_all()
                    list(searcher.lexicon("rev"))
            except Exception as exc:
                logger.warning("search index broken (%r); rebuilding", exc)
                self._rebuild_locked()

    def _search(self, parsed, scope, filters, *, limit):
        searcher = self._searcher()
        exact = parsed.exact_words
        wanted = max(limit, RERANK_CANDIDATES) if exact else limit
        allowed = allowed_docs(searcher, scope, filters)
        if allowed is not None and not allowed:
            return [], 0
        # optimize=False: the collector then counts every match while collecting, instead of
        # len() running the whole query a second time (phrases made that the costliest part).
        results = searcher.search(build_query(parsed), filter=allowed, limit=wanted, optimize=False)
        total = len(results)
        ranked = []
        for position, hit in enumerate(results):
            fields = hit.fields()
            bonus = 0
            if exact:
                present = set(fields.get("xw", "").split())
                bonus = sum(1 for word in exact if word in present)
            ranked.append((-bonus, position, int(fields["rev"])))
        ranked.sort()
        return [rev_id for _bonus, _position, rev_id in ranked[:limit]], total
