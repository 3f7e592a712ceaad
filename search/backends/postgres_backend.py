"""The PostgreSQL backend: full-text search with ``unaccent``, for several app servers.

Entries live in ``qms_search_searchentry`` (one per issued revision). Text goes in once in its
exact form (NFC, lowercase, one tone placement); PostgreSQL folds it through the ``qms_vi``
configuration (unaccent, then simple), so matching is accent- and đ-insensitive, and a second
``simple`` vector keeps the diacritics to rank exact matches first. Queries are built from our
own parsed terms (word characters only), never from raw user input.

Read permissions, status and the filters are joined from the live tables at query time. Writers
serialise on a transaction-level advisory lock; ``rebuild`` replaces every entry in one
transaction, so searches see the old entries until the new ones are committed.
"""

from __future__ import annotations

import logging

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q

from documents.models import ControlledDocument
from qms.access import DocumentReadScope
from search.analysis import WORD_RE, exact, fold
from search.backends import Backend, Drift, Filters
from search.query import Code, ParsedQuery, Phrase, Word
from search.records import IndexRecord, expected_fingerprints, iter_records

logger = logging.getLogger(__name__)

CONFIG = "qms_vi"
LOCK_KEY = 0x51_4D_53_53  # "QMSS": one writer at a time, across app servers


def _lexeme(word: str) -> str:
    # Terms are \w+ runs from our parser; quoting keeps tsquery syntax out regardless.
    return "'" + word.replace("'", "").replace("\\", "") + "'"


def _words_tsquery(words, prefix: bool = False) -> str:
    parts = [_lexeme(word) for word in words]
    if prefix:
        parts[-1] += ":*"
    return " <-> ".join(parts) if len(parts) > 1 else parts[0]


def _clause_q(clause) -> Q:
    if isinstance(clause, Word):
        raw = _words_tsquery([clause.folded], prefix=clause.prefix)
        return Q(vector=SearchQuery(raw, search_type="raw", config=CONFIG))
    if isinstance(clause, Phrase):
        raw = _words_tsquery(clause.folded)
        return Q(vector=SearchQuery(raw, search_type="raw", config=CONFIG))
    assert isinstance(clause, Code)
    found = Q(code__startswith=clause.folded)
    if clause.parts:
        raw = _words_tsquery(clause.parts)
        if not clause.specific:
            # A code family ("QT-VP") is looked for in codes and titles only (weight A).
            raw = " <-> ".join(f"{_lexeme(part)}:A" for part in clause.parts)
        found |= Q(vector=SearchQuery(raw, search_type="raw", config=CONFIG))
    return found


def _rank_query(parsed: ParsedQuery) -> SearchQuery | None:
    words = []
    for clause in parsed.positive:
        if isinstance(clause, Word):
            words.append(clause.folded)
        elif isinstance(clause, Phrase):
            words.extend(clause.folded)
        else:
            words.extend(clause.parts)
    if not words:
        return None
    raw = " | ".join(_lexeme(word) for word in dict.fromkeys(words))
    return SearchQuery(raw, search_type="raw", config=CONFIG)


def scope_q(scope: DocumentReadScope) -> Q | None:
    """``qms.access.visible_documents`` on the entry's document (None: no restriction)."""
    if scope.everything:
        return None
    issued = Q(document__first_published_at__isnull=False)
    allowed = issued & Q(document__visibility="public")
    if scope.work_units:
        allowed |= Q(document__unit_id__in=scope.work_units)
    if scope.role_units:
        allowed |= issued & Q(document__unit_id__in=scope.role_units)
    if scope.internal_roots:
        allowed |= issued & Q(
            document__visibility="internal", document__qms_root_id__in=scope.internal_roots
        )
    if scope.applies_units:
        through = ControlledDocument.applies_to.through
        allowed |= issued & Exists(
            through.objects.filter(
                controlleddocument_id=OuterRef("document_id"),
                orgunit_id__in=scope.applies_units,
            )
        )
    return allowed


class PostgresBackend(Backend):
    name = "postgres"

    def search(self, parsed, scope, filters: Filters, *, limit):
        from search.models import SearchEntry

        entries = SearchEntry.objects.all()
        for clause in parsed.positive:
            entries = entries.filter(_clause_q(clause))
        for clause in parsed.clauses:
            if clause.negate:
                entries = entries.exclude(_clause_q(clause))
        if (allowed := scope_q(scope)) is not None:
            entries = entries.filter(allowed)
        if filters.statuses:
            entries = entries.filter(revision__status__in=filters.statuses)
        if filters.unit_ids is not None:
            entries = entries.filter(document__unit_id__in=filters.unit_ids)
        if filters.kind:
            entries = entries.filter(document__kind=filters.kind)
        if filters.clause:
            through = ControlledDocument.iso_clauses.through
            entries = entries.filter(
                Exists(
                    through.objects.filter(
                        controlleddocument_id=OuterRef("document_id"),
                        isoclause__number=filters.clause,
                    )
                )
            )
        total = entries.count()
        ordering = []
        if parsed.exact_words:
            exact_raw = " | ".join(_lexeme(word) for word in parsed.exact_words)
            entries = entries.annotate(
                exact_rank=SearchRank(
                    F("exact_vector"), SearchQuery(exact_raw, search_type="raw", config="simple")
                )
            )
            ordering.append("-exact_rank")
        rank_query = _rank_query(parsed)
        if rank_query is not None:
            entries = entries.annotate(rank=SearchRank(F("vector"), rank_query))
            ordering.append("-rank")
        ordering.append("revision_id")
        ids = list(entries.order_by(*ordering).values_list("revision_id", flat=True)[:limit])
        return ids, total

    # --- writing ----------------------------------------------------------------------------

    def _lock(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])

    def _insert(self, records) -> int:
        from search.models import SearchEntry

        table = SearchEntry._meta.db_table
        sql = (
            f"INSERT INTO {table} "  # noqa: S608 (table name from the model, values bound)
            "(revision_id, document_id, code, fingerprint, vector, exact_vector) VALUES "
            "(%s, %s, %s, %s, setweight(to_tsvector('qms_vi', %s), 'A') || "
            "to_tsvector('qms_vi', %s), to_tsvector('simple', %s))"
        )
        rows = []
        for record in records:
            # Our own word split, joined by spaces: PostgreSQL's parser would otherwise read
            # "<script>" as a tag and "30/2020/nđ-cp" as a file path, and skip or keep them whole.
            title = " ".join(WORD_RE.findall(exact(f"{record.code} {record.title}")))
            body = " ".join(WORD_RE.findall(exact(record.text)))
            rows.append(
                (
                    record.revision_id,
                    record.document_id,
                    fold(record.code)[:64],
                    record.fingerprint,
                    title,
                    body,
                    f"{title} {body}",
                )
            )
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
        return len(rows)

    def index_documents(self, document_ids: list[int]) -> int:
        from search.models import SearchEntry

        ids = sorted({int(pk) for pk in document_ids})
        with transaction.atomic():
            self._lock()
            SearchEntry.objects.filter(document_id__in=ids).delete()
            return self._insert(iter_records(ids))

    def rebuild(self) -> int:
        from search.models import SearchEntry

        with transaction.atomic():
            self._lock()
            SearchEntry.objects.all().delete()
            count = self._insert(iter_records())
        logger.info("PostgreSQL search entries rebuilt: %s revisions", count)
        return count

    def verify(self) -> Drift:
        from search.models import SearchEntry

        indexed = dict(SearchEntry.objects.values_list("revision_id", "fingerprint"))
        expected = expected_fingerprints()
        drift = Drift(orphans=sorted(set(indexed) - set(expected)))
        for rev_id, fingerprint in sorted(expected.items()):
            if rev_id not in indexed:
                drift.missing.append(rev_id)
            elif indexed[rev_id] != fingerprint:
                drift.stale.append(rev_id)
        return drift

    def update(self) -> Drift:
        from documents.models import IssuedRevision
        from search.models import SearchEntry

        with transaction.atomic():
            self._lock()
            drift = self.verify()
            if drift.clean:
                return drift
            SearchEntry.objects.filter(revision_id__in=drift.orphans).delete()
            doc_ids = set(
                IssuedRevision.objects.filter(pk__in=drift.missing + drift.stale).values_list(
                    "document_id", flat=True
                )
            )
            SearchEntry.objects.filter(document_id__in=doc_ids).delete()
            self._insert(iter_records(doc_ids))
        return drift


__all__ = ["IndexRecord", "PostgresBackend"]
