"""Shapes of the audit API (django-ninja schemas): what goes out and what comes in."""

from __future__ import annotations

import datetime

from django.utils import timezone
from ninja import Field, Schema


class UserRef(Schema):
    id: int
    username: str
    name: str

    @staticmethod
    def resolve_name(user) -> str:
        return user.get_full_name() or user.get_username()


class UnitRef(Schema):
    id: int
    name: str
    short_code: str


class RevisionRef(Schema):
    id: int
    code: str
    title: str
    number: int


class TeamMemberOut(Schema):
    auditor: UserRef
    role: str
    role_label: str = Field(..., alias="get_role_display")


class ChecklistItemOut(Schema):
    id: int
    unit_id: int | None
    clause: str | None
    revision: RevisionRef | None
    question: str
    result: str
    evidence: str
    checked_by: UserRef | None
    checked_at: datetime.datetime | None
    attachments: list[str]

    @staticmethod
    def resolve_clause(item) -> str | None:
        return item.clause.number if item.clause else None

    @staticmethod
    def resolve_attachments(item) -> list[str]:
        return [attachment.file_name for attachment in item.attachments.all()]


class AuditOut(Schema):
    id: int
    title: str
    qms_root: UnitRef
    programme_id: int | None
    units: list[UnitRef]
    start_date: datetime.date
    end_date: datetime.date
    opening_meeting_at: datetime.datetime | None
    closing_meeting_at: datetime.datetime | None
    status: str
    status_label: str = Field(..., alias="get_status_display")

    @staticmethod
    def resolve_units(audit):
        return list(audit.units.all())


class AuditDetailOut(AuditOut):
    clauses: list[str]
    revisions: list[RevisionRef]
    team: list[TeamMemberOut]
    checklist: list[ChecklistItemOut]
    conclusions: str

    @staticmethod
    def resolve_clauses(audit):
        return [clause.number for clause in audit.clauses.all()]

    @staticmethod
    def resolve_revisions(audit):
        return list(audit.revisions.order_by("code"))

    @staticmethod
    def resolve_team(audit):
        return list(audit.members.select_related("auditor"))

    @staticmethod
    def resolve_checklist(audit):
        return list(
            audit.checklist.select_related("clause", "revision", "checked_by").prefetch_related(
                "attachments"
            )
        )


class AuditIn(Schema):
    qms_root: int
    title: str
    units: list[int]
    start_date: datetime.date
    end_date: datetime.date
    lead_auditor: int
    programme: int | None = None
    clauses: list[str] = []
    documents: list[int] = []
    opening_meeting_at: datetime.datetime | None = None
    closing_meeting_at: datetime.datetime | None = None


class TeamIn(Schema):
    auditor: int


class CompleteIn(Schema):
    conclusions: str


class ChecklistResultIn(Schema):
    result: str
    evidence: str = ""


class FindingOut(Schema):
    id: int
    audit_id: int | None
    source: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    clause: str | None
    revision: RevisionRef | None
    unit: UnitRef
    description: str
    evidence: str
    reported_by: UserRef
    reported_at: datetime.datetime
    acknowledged_by: UserRef | None
    acknowledged_at: datetime.datetime | None
    acknowledgement_comment: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    closed_at: datetime.datetime | None

    @staticmethod
    def resolve_clause(finding) -> str | None:
        return finding.clause.number if finding.clause else None


class FindingIn(Schema):
    unit: int
    kind: str
    description: str
    audit: int | None = None
    source: str | None = None
    clause: str | None = None
    revision: int | None = None
    evidence: str = ""
    checklist_item: int | None = None


class CommentIn(Schema):
    comment: str = ""


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str


class ActionOut(Schema):
    id: int
    kind: str
    finding_id: int | None
    unit: UnitRef
    potential_problem: str
    correction: str
    why_chain: list[str]
    cause_category: str
    root_cause: str
    action_plan: str
    owner: UserRef
    due_date: datetime.date
    status: str
    status_label: str = Field(..., alias="get_status_display")
    overdue: bool
    implementation_evidence: str
    implemented_at: datetime.datetime | None
    verified_by: UserRef | None
    verified_at: datetime.datetime | None
    effectiveness_check_date: datetime.date | None
    effectiveness_comment: str

    @staticmethod
    def resolve_overdue(action) -> bool:
        return action.is_overdue(timezone.localdate())


class ActionIn(Schema):
    action_plan: str
    owner: int
    due_date: datetime.date
    finding: int | None = None
    unit: int | None = None
    potential_problem: str = ""
    correction: str = ""
    why_chain: list[str] = []
    cause_category: str = ""
    root_cause: str = ""


class ImplementIn(Schema):
    evidence: str


class VerifyIn(Schema):
    comment: str = ""
    effectiveness_check_date: datetime.date | None = None


class EffectivenessIn(Schema):
    effective: bool
    comment: str = ""
