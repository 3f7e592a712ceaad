"""Shared steps of the distribution tests: documents issued through ``documents.lifecycle``."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.lifecycle import issue_revision


def issue(document, approver, effective_from: datetime.date | None = None, summary: str = ""):
    """Publish ``document`` and record its next issued revision (in force today by default)."""
    now = timezone.now()
    document.live = True
    document.first_published_at = document.first_published_at or now
    document.last_published_at = now
    if summary:
        document.change_summary = summary
    document.save()
    return issue_revision(document=document, approved_by=approver, effective_from=effective_from)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)
