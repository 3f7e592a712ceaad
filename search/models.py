"""Tables of the PostgreSQL search backend (unused, but created, on SQLite)."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from documents.models import ControlledDocument, IssuedRevision


class SearchEntry(models.Model):
    """One issued revision as the PostgreSQL backend searches it.

    ``vector`` holds the revision's words through the ``qms_vi`` text search configuration
    (``unaccent`` then ``simple``: no diacritics, đ→d); ``exact_vector`` the same words with their
    diacritics (``simple``), used to rank exact matches first. Who may read a hit and its status
    are joined from the live tables at query time, so they are never stale.
    """

    revision = models.OneToOneField(
        IssuedRevision, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    document = models.ForeignKey(ControlledDocument, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=64, db_index=True)  # folded, lowercase: prefix search
    fingerprint = models.CharField(max_length=40)
    vector = SearchVectorField(null=True)
    exact_vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = "mục chỉ mục tìm kiếm"
        verbose_name_plural = "chỉ mục tìm kiếm (PostgreSQL)"

    def __str__(self) -> str:
        return f"{self.code} (lần ban hành #{self.revision_id})"
