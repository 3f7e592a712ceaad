"""The name ``WAGTAIL_FINISH_WORKFLOW_ACTION`` points at.

Wagtail resolves that setting while ``wagtail.models`` is being imported, which happens while
``documents.models`` itself is loading; importing ``documents.lifecycle`` at that moment would be
circular. This module has no import at load time and hands over at call time.
"""

from __future__ import annotations


def finish_workflow(workflow_state, user=None):
    """Finish an approved workflow: see ``documents.lifecycle.finish_workflow_approval``."""
    from documents.lifecycle import finish_workflow_approval

    return finish_workflow_approval(workflow_state, user=user)
