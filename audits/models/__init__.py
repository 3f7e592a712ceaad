"""Internal audits, nonconformities and actions (TCVN ISO 9001:2008 8.2.2, 8.3, 8.5.2, 8.5.3).

The rules (independence, who may answer or verify, which transitions are legal) live in
``audits.planning``, ``audits.workflow`` and ``qms.access``; the models hold the data, the
database constraints and the one guard that must never be bypassed: a closed finding is not
edited silently.
"""

from audits.models.audit import (
    Audit,
    AuditDocument,
    AuditProgramme,
    AuditStatus,
    AuditTeamMember,
    ChecklistAttachment,
    ChecklistItem,
    ChecklistResult,
    PlannedAudit,
    attachment_upload_to,
)
from audits.models.findings import (
    CONCLUDED_ACTION_STATUSES,
    NONCONFORMITY_KINDS,
    ActionKind,
    ActionQuerySet,
    ActionStatus,
    CauseCategory,
    CorrectiveAction,
    Finding,
    FindingKind,
    FindingQuerySet,
    FindingSource,
    FindingStatus,
)

__all__ = [
    "CONCLUDED_ACTION_STATUSES",
    "NONCONFORMITY_KINDS",
    "ActionKind",
    "ActionQuerySet",
    "ActionStatus",
    "Audit",
    "AuditDocument",
    "AuditProgramme",
    "AuditStatus",
    "AuditTeamMember",
    "CauseCategory",
    "ChecklistAttachment",
    "ChecklistItem",
    "ChecklistResult",
    "CorrectiveAction",
    "Finding",
    "FindingKind",
    "FindingQuerySet",
    "FindingSource",
    "FindingStatus",
    "PlannedAudit",
    "attachment_upload_to",
]
