"""Races on PostgreSQL: simultaneous approvals, and two drafts claiming the same code.

Each thread has its own database connection; a barrier releases them together. SQLite serialises
every write to the whole file, so these races cannot happen there and the tests are skipped.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from documents.models import ControlledDocument, IssuedRevision
from documents.workflow import (
    ApprovalSignature,
    WorkflowConflict,
    act_on_document,
    submit_document,
)
from qms.models import Membership, Role
from tests.conftest import PASSWORD
from tests.workflow_helpers import draft, issue, new_draft_revision, review

pytestmark = [
    pytest.mark.postgres,
    # serialized_rollback restores the workflow created by the data migration after the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Race conditions need PostgreSQL row locks; SQLite serialises all writes.")


def run_together(*calls):
    """Run the calls in threads released at the same moment; return what each returned/raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def at_approval(document, users):
    submit_document(document, users["author.luongson"])
    review(document, users["reviewer.luongson"])


def approve_call(document_id, user):
    def call():
        document = ControlledDocument.objects.get(pk=document_id)
        return act_on_document(document, user, "approve", password=PASSWORD)

    return call


def test_two_simultaneous_approvals_issue_exactly_one_revision(make_document, org, users):
    second_approver = type(users["admin"]).objects.create_user(
        username="approver2.luongson", password=PASSWORD
    )
    Membership.objects.create(user=second_approver, unit=org.luongson, role=Role.APPROVER)
    document = draft(make_document, org, users["author.luongson"])
    at_approval(document, users)

    outcomes = run_together(
        approve_call(document.pk, users["approver.luongson"]),
        approve_call(document.pk, second_approver),
    )

    conflicts = [o for o in outcomes if isinstance(o, WorkflowConflict)]
    assert len(conflicts) == 1, outcomes
    assert [o for o in outcomes if isinstance(o, Exception)] == conflicts
    assert IssuedRevision.objects.filter(document=document).count() == 1
    assert IssuedRevision.objects.filter(document=document, status="current").count() == 1
    assert ApprovalSignature.objects.filter(document=document).count() == 1


def test_two_drafts_with_the_same_code_cannot_both_be_issued(make_document, org, users):
    documents = []
    for code in ("QT-LS-01", "QT-LS-02"):
        document = issue(draft(make_document, org, users["author.luongson"], code=code), users)
        revised = document.get_latest_revision_as_object()
        revised.code = "QT-LS-09"
        revised.save_revision(user=users["author.luongson"])
        new_draft_revision(document, users["author.luongson"], summary="Đổi mã")
        at_approval(document, users)
        documents.append(document)

    outcomes = run_together(
        *(approve_call(document.pk, users["approver.luongson"]) for document in documents)
    )

    conflicts = [o for o in outcomes if isinstance(o, WorkflowConflict)]
    assert len(conflicts) == 1, outcomes
    assert "QT-LS-09" in str(conflicts[0]) or "mã" in str(conflicts[0])
    assert ControlledDocument.objects.filter(code="QT-LS-09").count() == 1
    assert IssuedRevision.objects.filter(code="QT-LS-09").count() == 1
    assert IssuedRevision.objects.filter(status="current").count() == 2
