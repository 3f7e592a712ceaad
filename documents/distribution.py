"""Distribution of issued revisions: read acknowledgements and controlled copies (4.2.3 d, g).

* When a revision comes into force (``documents.lifecycle``), every member of the units it applies
  to is asked to confirm they have read it; ``acknowledge`` records the answer once.
* The ISO secretary registers numbered controlled copies of a revision for a unit; when a newer
  revision is in force, copies of older ones appear on the recall list until marked recalled.

Each public function runs in its own transaction and checks permission through ``qms.access``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from documents.models import (
    ControlledCopy,
    ControlledDocument,
    IssuedRevision,
    ReadAcknowledgement,
)
from qms import access
from qms.models import OrgUnit, nfc

# --- Read acknowledgements ----------------------------------------------------------------


def open_acknowledgements(revision: IssuedRevision) -> int:
    """Ask the staff of the units ``revision`` applies to to confirm they have read it.

    Called inside the transaction that makes the revision current. Idempotent: people already
    asked are skipped (unique per revision and person). Returns the number of new requests.
    """
    audience = access.acknowledgement_audience(revision.document)
    if not audience:
        return 0
    already = set(
        ReadAcknowledgement.objects.filter(issued_revision=revision).values_list(
            "user_id", flat=True
        )
    )
    rows = [
        ReadAcknowledgement(issued_revision=revision, user_id=user_id, unit_id=unit_id)
        for user_id, unit_id in audience.items()
        if user_id not in already
    ]
    # bulk_create skips save() and so simple-history: the opening is one system event recorded
    # by the revision's own history; each person's answer (acknowledge) is recorded individually.
    ReadAcknowledgement.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def acknowledge(*, user, revision: IssuedRevision) -> ReadAcknowledgement:
    """Record that ``user`` has read and understood ``revision`` ("Tôi đã đọc và hiểu").

    Pressing twice changes nothing (the first time stays the record). Refused when the person was
    not asked, or the revision is no longer in force.
    """
    with transaction.atomic():
        row = (
            ReadAcknowledgement.objects.select_for_update()
            .filter(issued_revision=revision, user=user)
            .first()
        )
        if row is None or not access.can_acknowledge(user, row):
            raise PermissionDenied("Bạn không thuộc danh sách cần xác nhận đã đọc tài liệu này.")
        if row.acknowledged_at is not None:
            return row
        # The stored status, not the caller's copy: a newer revision may have come in meanwhile.
        status = IssuedRevision.objects.filter(pk=revision.pk).values_list("status", flat=True)
        if status.first() != IssuedRevision.Status.CURRENT:
            raise ValidationError(
                "Lần ban hành này không còn hiệu lực; hãy đọc lần ban hành hiện hành."
            )
        row.acknowledged_at = timezone.now()
        row.save(update_fields=["acknowledged_at"])
    return row


def pending_acknowledgements(user):
    """The current revisions ``user`` still has to confirm reading, oldest request first."""
    return (
        ReadAcknowledgement.objects.filter(
            user=user,
            acknowledged_at__isnull=True,
            issued_revision__status=IssuedRevision.Status.CURRENT,
        )
        .select_related("issued_revision__document", "unit")
        .order_by("requested_at", "pk")
    )


def pending_for(user, revision: IssuedRevision | None) -> ReadAcknowledgement | None:
    """``user``'s open request for ``revision`` (for the button on the document page)."""
    if revision is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        ReadAcknowledgement.objects.filter(
            issued_revision=revision, user=user, acknowledged_at__isnull=True
        )
        .only("pk", "user_id", "issued_revision_id")
        .first()
    )


@dataclass(frozen=True)
class UnitCoverage:
    unit_id: int
    unit_name: str
    acknowledged: int
    asked: int

    @property
    def label(self) -> str:
        return f"{self.unit_name}: {self.acknowledged}/{self.asked}"

    @property
    def complete(self) -> bool:
        return self.acknowledged >= self.asked


def coverage(revision: IssuedRevision, units: set[int] | None = None) -> list[UnitCoverage]:
    """Per unit, how many of the people asked have confirmed reading ``revision`` (one query).

    ``units`` narrows the rows (see ``qms.access.coverage_units``); ``None`` means all units.
    """
    rows = ReadAcknowledgement.objects.filter(issued_revision=revision)
    if units is not None:
        rows = rows.filter(unit_id__in=units)
    counted = (
        rows.values("unit_id", "unit__name")
        .annotate(
            asked=Count("pk"),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        )
        .order_by("unit__name")
    )
    return [
        UnitCoverage(row["unit_id"], row["unit__name"], row["acknowledged"], row["asked"])
        for row in counted
    ]


def unit_readers(revision: IssuedRevision, unit_id: int):
    """Who in ``unit_id`` was asked to read ``revision``, with their answer."""
    return (
        ReadAcknowledgement.objects.filter(issued_revision=revision, unit_id=unit_id)
        .select_related("user")
        .order_by("acknowledged_at", "user__last_name", "user__username")
    )


# --- Controlled copies --------------------------------------------------------------------


def register_copy(
    *,
    user,
    revision: IssuedRevision,
    unit: OrgUnit,
    holder_name: str,
    holder_user=None,
    copy_number: int | None = None,
) -> ControlledCopy:
    """Register a numbered controlled copy (bản kiểm soát) of ``revision`` held by ``unit``.

    Only the ISO secretary of the owning unit registers copies, and only of the revision in force
    (a copy of an old revision would be on the recall list at once). Without ``copy_number`` the
    next free number of the revision is used.
    """
    holder_name = nfc((holder_name or "").strip())
    if not holder_name and holder_user is not None:
        holder_name = holder_user.get_full_name() or holder_user.get_username()
    if not holder_name:
        raise ValidationError("Cần ghi người (hoặc nơi) giữ bản kiểm soát.")
    with transaction.atomic():
        document = ControlledDocument.objects.select_for_update().get(pk=revision.document_id)
        if not access.can_register_copies(user, document):
            raise PermissionDenied(
                f"Chỉ thư ký ISO của “{document.unit.name}” được đăng ký bản kiểm soát."
            )
        revision = IssuedRevision.objects.get(pk=revision.pk)
        # The stored status, not the caller's copy: a newer revision may have come in meanwhile.
        status = IssuedRevision.objects.filter(pk=revision.pk).values_list("status", flat=True)
        if status.first() != IssuedRevision.Status.CURRENT:
            raise ValidationError("Chỉ đăng ký bản kiểm soát cho lần ban hành đang có hiệu lực.")
        if copy_number is None:
            top = revision.controlled_copies.aggregate(top=Max("copy_number"))["top"]
            copy_number = (top or 0) + 1
        if copy_number < 1:
            raise ValidationError("Số bản phải từ 1 trở lên.")
        if revision.controlled_copies.filter(copy_number=copy_number).exists():
            raise ValidationError(f"Bản số {copy_number:02d} của lần ban hành này đã được đăng ký.")
        try:
            with transaction.atomic():
                copy = ControlledCopy.objects.create(
                    document=document,
                    issued_revision=revision,
                    unit=unit,
                    copy_number=copy_number,
                    holder_name=holder_name,
                    holder_user=holder_user,
                    registered_by=user,
                )
        except IntegrityError as exc:
            raise ValidationError(
                f"Bản số {copy_number:02d} của lần ban hành này đã được đăng ký."
            ) from exc
    return copy


def recall_list(user):
    """Copies to recall for the documents ``user`` controls: their revision is no longer current
    and they have not been marked recalled. Oldest registration first."""
    return (
        ControlledCopy.objects.filter(
            recalled_at__isnull=True,
            document__unit_id__in=access.controlled_units(user),
        )
        .exclude(issued_revision__status=IssuedRevision.Status.CURRENT)
        .select_related("document", "issued_revision", "unit")
        .order_by("document__code", "issued_revision__number", "copy_number")
    )


def active_copies(document: ControlledDocument):
    """Registered copies of ``document`` not yet recalled, newest revision first."""
    return (
        ControlledCopy.objects.filter(document=document, recalled_at__isnull=True)
        .select_related("issued_revision", "unit")
        .order_by("-issued_revision__number", "copy_number")
    )


def recall_copy(*, user, copy: ControlledCopy, note: str = "") -> ControlledCopy:
    """Mark a controlled copy as recalled (thu hồi): it was taken back and destroyed or marked."""
    with transaction.atomic():
        locked = (
            ControlledCopy.objects.select_for_update()
            .select_related("document__unit")
            .get(pk=copy.pk)
        )
        if not access.can_register_copies(user, locked.document):
            raise PermissionDenied(
                f"Chỉ thư ký ISO của “{locked.document.unit.name}” được thu hồi bản kiểm soát."
            )
        if locked.recalled_at is not None:
            raise ValidationError("Bản kiểm soát này đã được thu hồi trước đó.")
        locked.recalled_at = timezone.now()
        locked.recalled_by = user
        locked.recall_note = nfc((note or "").strip())
        locked.save(update_fields=["recalled_at", "recalled_by", "recall_note"])
    return locked
