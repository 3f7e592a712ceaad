"""Background work of the search app (django-tasks).

In the embedded configuration the ImmediateBackend runs a task inside ``enqueue`` and swallows its
exceptions; production runs them in ``manage.py db_worker``. Either way a failed write is retried
here with backoff and then logged as an error (never dropped silently); ``search_index verify``
finds whatever drift remains and ``search_index update`` repairs it.
"""

from __future__ import annotations

import logging
import time

from django_tasks import task

from search.backends import get_backend

logger = logging.getLogger(__name__)

ATTEMPTS = 3


@task()
def refresh_documents(document_ids: list[int]) -> int:
    """Re-index every issued revision of these documents; returns the number indexed."""
    delay = 0.5
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return get_backend().index_documents(list(document_ids))
        except Exception:
            if attempt == ATTEMPTS:
                logger.exception(
                    "search index update failed for documents %s after %s attempts; "
                    "run `manage.py search_index update`",
                    document_ids,
                    ATTEMPTS,
                )
                raise
            logger.warning(
                "search index update failed for documents %s (attempt %s), retrying",
                document_ids,
                attempt,
                exc_info=True,
            )
            time.sleep(delay)
            delay *= 2
    return 0
