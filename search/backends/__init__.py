"""The two search backends behind one small interface, chosen by ``QMS_SEARCH_BACKEND``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from qms.access import DocumentReadScope
from search.query import ParsedQuery


class SearchUnavailable(Exception):
    """The index cannot answer right now (being rebuilt by another process, disk error)."""


@dataclass(frozen=True)
class Filters:
    """Narrowing chosen by the user; unit ids already expanded to the unit's subtree."""

    unit_ids: frozenset[int] | None = None
    kind: str | None = None
    clause: str | None = None
    statuses: tuple[str, ...] = ()


@dataclass
class Drift:
    """Differences between the database and the index."""

    missing: list[int] = field(default_factory=list)  # revision ids not in the index
    stale: list[int] = field(default_factory=list)  # indexed with other content
    orphans: list[int] = field(default_factory=list)  # in the index, no longer in the database

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.orphans)


class Backend:
    """What each backend implements. Revision ids come back ranked, best first."""

    name = ""

    def search(
        self,
        parsed: ParsedQuery,
        scope: DocumentReadScope,
        filters: Filters,
        *,
        limit: int,
    ) -> tuple[list[int], int]:
        raise NotImplementedError

    def index_documents(self, document_ids: list[int]) -> int:
        raise NotImplementedError

    def rebuild(self) -> int:
        raise NotImplementedError

    def verify(self) -> Drift:
        raise NotImplementedError

    def update(self) -> Drift:
        raise NotImplementedError


def get_backend(name: str | None = None) -> Backend:
    name = name or getattr(settings, "QMS_SEARCH_BACKEND", "whoosh")
    if name == "whoosh":
        from search.backends.whoosh_backend import WhooshBackend

        return WhooshBackend()
    if name == "postgres":
        from search.backends.postgres_backend import PostgresBackend

        return PostgresBackend()
    raise ImproperlyConfigured(f"QMS_SEARCH_BACKEND must be 'whoosh' or 'postgres', not {name!r}.")
