"""The one place that answers "may this user do X to this object?".

Rules (ARCHITECTURE §3):

* A role held in a unit applies to that unit and its descendants *inside the same QMS*. A
  descendant that runs its own QMS (a district office) is a boundary: roles from above stop there.
* The department's quality manager and auditors keep read-only oversight of every QMS below
  their own (rollout dashboards, audits of the district offices).
* Documents are read by: anyone when public; holders of any role in the owning unit's scope;
  every member of the same QMS when the document is internal; the members of every unit a
  document applies to (and of the units below it — a province-wide document applies to the
  department root and so reaches every district office).
* Separation of duties: nobody reviews or approves a revision they prepared (documents.workflow),
  an auditor never audits a unit they belong to (audits).

Views, the API, search filtering and the Wagtail permission policies all call this module; none of
them decides on its own. Decisions are computed from one small cached picture of the unit tree and
the user's memberships (``UserAccess``), so a page asks the database a bounded number of times.
"""

from __future__ import annotations

from qms.access.audits import (
    UNIT_HEAD_ROLES,
    audit_reach,
    can_answer_finding,
    can_approve_programme,
    can_close_finding,
    can_implement_action,
    can_join_audit_team,
    can_log_finding,
    can_manage_audit,
    can_plan_audit,
    can_record_checklist,
    can_verify_action,
    can_view_action,
    can_view_audit,
    can_view_finding,
    independence_refusal,
    is_lead_auditor,
    is_on_audit_team,
    plannable_qms_roots,
    revision_refusal,
    visible_actions,
    visible_audits,
    visible_findings,
)
from qms.access.backend import (
    RoleBackend,
)
from qms.access.core import (
    ADMIN_ROLES,
    DOCUMENT_WORK_ROLES,
    EDITOR_ROLES,
    OVERSIGHT_ROLES,
    UnitTree,
    UserAccess,
    for_user,
    forget,
)
from qms.access.distribution import (
    COVERAGE_ROLES,
    acknowledgement_audience,
    can_acknowledge,
    can_answer_change_request,
    can_register_copies,
    can_request_change,
    can_review_periodically,
    controlled_units,
    coverage_units,
    distribution_record_units,
)
from qms.access.documents import (
    DocumentReadScope,
    can_approve_document,
    can_create_document,
    can_download_original,
    can_edit_document,
    can_review_document,
    can_view_document,
    can_withdraw_document,
    can_work_on_document,
    creatable_units,
    document_read_scope,
    users_with_role_at,
    visible_documents,
)
from qms.access.organisation import (
    can_access_admin,
    can_manage_memberships,
    can_manage_unit,
    manageable_memberships,
    manageable_units,
    visible_units,
)

__all__ = [
    "ADMIN_ROLES",
    "COVERAGE_ROLES",
    "DOCUMENT_WORK_ROLES",
    "EDITOR_ROLES",
    "OVERSIGHT_ROLES",
    "UNIT_HEAD_ROLES",
    "DocumentReadScope",
    "RoleBackend",
    "UnitTree",
    "UserAccess",
    "acknowledgement_audience",
    "audit_reach",
    "can_access_admin",
    "can_acknowledge",
    "can_answer_change_request",
    "can_answer_finding",
    "can_approve_document",
    "can_approve_programme",
    "can_close_finding",
    "can_create_document",
    "can_download_original",
    "can_edit_document",
    "can_implement_action",
    "can_join_audit_team",
    "can_log_finding",
    "can_manage_audit",
    "can_manage_memberships",
    "can_manage_unit",
    "can_plan_audit",
    "can_record_checklist",
    "can_register_copies",
    "can_request_change",
    "can_review_document",
    "can_review_periodically",
    "can_verify_action",
    "can_view_action",
    "can_view_audit",
    "can_view_document",
    "can_view_finding",
    "can_withdraw_document",
    "can_work_on_document",
    "controlled_units",
    "coverage_units",
    "creatable_units",
    "distribution_record_units",
    "document_read_scope",
    "for_user",
    "forget",
    "independence_refusal",
    "is_lead_auditor",
    "is_on_audit_team",
    "manageable_memberships",
    "manageable_units",
    "plannable_qms_roots",
    "revision_refusal",
    "users_with_role_at",
    "visible_actions",
    "visible_audits",
    "visible_documents",
    "visible_findings",
    "visible_units",
]
