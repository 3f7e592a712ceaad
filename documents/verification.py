"""Short verification codes printed on stamped copies, and the public page ``/v/<code>``.

Whoever holds a printed copy (ISO 9001:2008 4.2.3 g: stop the unintended use of obsolete
documents) types the code or scans the address and learns whether that revision is still in force
and, if not, which one is.

The code is self-contained, so no table of downloads is needed: it carries the issued revision's
id, the day of the download and, for a registered controlled copy (bản kiểm soát), the copy's id,
sealed with HMAC keys derived from ``SECRET_KEY``:

* ``tag`` = the first 30 bits of HMAC(k_tag, layout ‖ payload) — the chance of guessing a valid
  code is 1 in 2^30 per try;
* the payload is XOR-ed with a keystream HMAC(k_mask, tag) (a deterministic, SIV-like
  construction), so the code shows neither the revision id nor the date;
* Crockford base32 (no I, L, O, U; case-insensitive; O/I/L read as 0/1/1), grouped by four:
  ``7K3M-Q9XD-2PAB-C4`` (14 characters; 16 for revision ids above 2^24; 18 or 23 when the
  code also names a controlled copy, so a recalled copy can be recognised).

Rotating ``SECRET_KEY`` keeps old printed codes valid as long as the old key stays in
``SECRET_KEY_FALLBACKS``.
"""

from __future__ import annotations

import datetime
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
_DECODE = {char: value for value, char in enumerate(ALPHABET)}
_DECODE.update({"O": 0, "I": 1, "L": 1})
EPOCH = datetime.date(2020, 1, 1)
DAY_BITS = 16  # days since 2020-01-01: enough until the year 2199
TAG_BITS = 30
# Layout (one byte, bound into the tag) → (bits for the revision id, bits for the controlled
# copy id, 0 for an uncontrolled copy). Every total is a multiple of 5 and every length distinct,
# so the length of a code tells its layout. Layouts 1 and 2 are the codes printed before copies
# were numbered in codes: they must keep decoding.
LAYOUTS = {1: (24, 0), 2: (34, 0), 3: (24, 20), 4: (34, 35)}
_LENGTHS = {
    (id_bits + copy_bits + DAY_BITS + TAG_BITS) // 5: layout
    for layout, (id_bits, copy_bits) in LAYOUTS.items()
}
_SALT = "qms.documents.verification"


@dataclass(frozen=True)
class VerifiedCode:
    """What a valid code says: which issued revision, downloaded on which day, and for a
    registered controlled copy which one (``copy_id``, None for an uncontrolled copy)."""

    revision_id: int
    downloaded_on: datetime.date
    copy_id: int | None = None


def _secrets() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _digest(purpose: str, message: bytes, secret: str) -> int:
    return int.from_bytes(
        salted_hmac(f"{_SALT}.{purpose}", message, secret=secret, algorithm="sha256").digest(),
        "big",
    )


def _tag(layout: int, payload: int, payload_bits: int, secret: str) -> int:
    message = bytes([layout]) + payload.to_bytes((payload_bits + 7) // 8, "big")
    return _digest("tag", message, secret) >> (256 - TAG_BITS)


def _mask(tag: int, payload_bits: int, secret: str) -> int:
    return _digest("mask", tag.to_bytes(4, "big"), secret) >> (256 - payload_bits)


def _to_base32(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def group(code: str) -> str:
    """``7K3MQ9XD2PABC4`` → ``7K3M-Q9XD-2PAB-C4`` (easier to read aloud and to type)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _layout_for(revision_id: int, copy_id: int | None) -> int:
    for layout, (id_bits, copy_bits) in LAYOUTS.items():
        if (copy_id is None) != (copy_bits == 0):
            continue
        if revision_id < (1 << id_bits) and (copy_id is None or copy_id < (1 << copy_bits)):
            return layout
    raise ValueError("revision_id or copy_id too large for a verification code")


def make_code(revision_id: int, downloaded_on: datetime.date, copy_id: int | None = None) -> str:
    """The grouped verification code of one download of issued revision ``revision_id``
    (of registered controlled copy ``copy_id`` when given)."""
    if revision_id < 0 or (copy_id is not None and copy_id < 0):
        raise ValueError("revision_id and copy_id must not be negative")
    day = min(max((downloaded_on - EPOCH).days, 0), (1 << DAY_BITS) - 1)
    layout = _layout_for(revision_id, copy_id)
    id_bits, copy_bits = LAYOUTS[layout]
    payload_bits = id_bits + copy_bits + DAY_BITS
    payload = (((revision_id << copy_bits) | (copy_id or 0)) << DAY_BITS) | day
    secret = settings.SECRET_KEY
    tag = _tag(layout, payload, payload_bits, secret)
    sealed = ((payload ^ _mask(tag, payload_bits, secret)) << TAG_BITS) | tag
    return group(_to_base32(sealed, (payload_bits + TAG_BITS) // 5))


def normalise(code: str) -> str:
    """Upper-case, without separators: what people type from paper (case and dashes vary)."""
    return re.sub(r"[\s\-_.]", "", (code or "")).upper()[:40]


def read_code(code: str) -> VerifiedCode | None:
    """Decode and check a code; ``None`` when it is malformed, tampered with or unknown."""
    text = normalise(code)
    layout = _LENGTHS.get(len(text))
    if layout is None or any(char not in _DECODE for char in text):
        return None
    value = 0
    for char in text:
        value = (value << 5) | _DECODE[char]
    tag, sealed = value & ((1 << TAG_BITS) - 1), value >> TAG_BITS
    id_bits, copy_bits = LAYOUTS[layout]
    payload_bits = id_bits + copy_bits + DAY_BITS
    for secret in _secrets():
        payload = sealed ^ _mask(tag, payload_bits, secret)
        expected = _tag(layout, payload, payload_bits, secret)
        if hmac.compare_digest(expected.to_bytes(4, "big"), tag.to_bytes(4, "big")):
            ids = payload >> DAY_BITS
            return VerifiedCode(
                revision_id=ids >> copy_bits,
                downloaded_on=EPOCH + datetime.timedelta(days=payload & ((1 << DAY_BITS) - 1)),
                copy_id=(ids & ((1 << copy_bits) - 1)) if copy_bits else None,
            )
    return None


def verification_path(code: str) -> str:
    return reverse("verify_copy", kwargs={"code": code})


def verification_url(code: str, request=None) -> str:
    """The absolute address printed on the stamp (the host the user came through, else the
    configured base URL)."""
    path = verification_path(code)
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


# --- The public page ----------------------------------------------------------------------


def _revision_facts(revision) -> dict:
    """Only what the paper copy already shows: code, title, number, dates, status in words."""
    return {
        "code": revision.code,
        "title": revision.title,
        "number": revision.number_label,
        "effective_from": revision.effective_from,
        "effective_to": revision.effective_to,
        "status": revision.status,
        "status_label": revision.get_status_display(),
    }


def verify_copy(request, code: str | None = None):
    """``/v/<code>``: is the printed revision still in force, and if not, which one is?

    Open to everyone without login (the holder of the paper may be a citizen or an auditor). For a
    document that is not public it reveals only what is printed on the copy itself plus the
    number, date and status of the revision now in force — never the file or its text.
    """
    from documents.models import ControlledDocument, IssuedRevision

    if code is None:
        typed = request.GET.get("ma", "")
        if typed.strip():
            return HttpResponseRedirect(verification_path(group(normalise(typed)) or "-"))
        return _render(request, {"ask": True}, status=200)

    verified = read_code(code)
    revision = None
    if verified is not None:
        revision = (
            IssuedRevision.objects.select_related("document", "document__unit")
            .filter(pk=verified.revision_id)
            .first()
        )
    if revision is None:
        return _render(request, {"invalid": True, "typed": code[:40]}, status=404)

    document = revision.document
    others = {
        other.status: other
        for other in IssuedRevision.objects.filter(
            document=document,
            status__in=[IssuedRevision.Status.CURRENT, IssuedRevision.Status.UPCOMING],
        )
    }
    current = others.get(IssuedRevision.Status.CURRENT)
    upcoming = others.get(IssuedRevision.Status.UPCOMING)
    is_public = document.visibility == ControlledDocument.Visibility.PUBLIC and document.live
    controlled = _controlled_copy_facts(verified, revision)
    # A recalled controlled copy must not be used even while its revision is still in force
    # (e.g. a damaged copy replaced by a new number).
    withdrawn_copy = controlled is not None and (controlled["recalled"] or controlled["unknown"])
    context = {
        "code": group(normalise(code)),
        "copy": _revision_facts(revision),
        "controlled": controlled,
        "withdrawn_copy": withdrawn_copy,
        "in_force": revision.status == IssuedRevision.Status.CURRENT and not withdrawn_copy,
        "not_yet": revision.status == IssuedRevision.Status.UPCOMING,
        "current": _revision_facts(current) if current and current.pk != revision.pk else None,
        "upcoming": _revision_facts(upcoming) if upcoming and upcoming.pk != revision.pk else None,
        "unit_name": document.unit.name,
        "downloaded_on": verified.downloaded_on,
        "download_url": reverse("documents_download", kwargs={"pk": document.pk})
        if is_public and current
        else "",
    }
    return _render(request, context, status=200)


def _controlled_copy_facts(verified: VerifiedCode, revision) -> dict | None:
    """For a code printed on a registered controlled copy: its number, the unit holding it and
    whether it has been recalled (what the stamp itself shows, nothing more)."""
    if verified.copy_id is None:
        return None
    from documents.models_distribution import ControlledCopy

    copy = (
        ControlledCopy.objects.select_related("unit")
        .filter(pk=verified.copy_id, issued_revision_id=revision.pk)
        .first()
    )
    if copy is None:
        # Sealed by us, so it was registered once; the register no longer knows it.
        return {"unknown": True, "recalled": False, "number": "", "unit_name": ""}
    return {
        "unknown": False,
        "recalled": copy.recalled_at is not None,
        "recalled_on": copy.recalled_at,
        "number": copy.number_label,
        "unit_name": copy.unit.name,
    }


def _render(request, context: dict, status: int):
    response = render(request, "documents/verification.html", context, status=status)
    # The answer changes when a new revision is issued: never serve it from a cache.
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
