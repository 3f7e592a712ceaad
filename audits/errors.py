"""The two kinds of refusal the audit domain raises; both are ValidationErrors so forms show them.

The API maps ``Refused`` to 403 and ``WrongState`` to 409; any other ValidationError is bad input
(400). Messages are Vietnamese and say why.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A rule forbids this person from doing this (independence, not on the team, own action)."""


class WrongState(ValidationError):
    """The object is not in a state where this transition is allowed."""


def message_of(error: ValidationError) -> str:
    """One readable line from any ValidationError (field errors included)."""
    if hasattr(error, "message_dict"):
        return " ".join(str(m) for messages in error.message_dict.values() for m in messages)
    return " ".join(str(m) for m in error.messages)
