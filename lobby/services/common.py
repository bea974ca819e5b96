"""The lobby's error, the version check and small text helpers shared by the lobby services."""

from __future__ import annotations

import re

from crm.errors import RuleError, check_version
from crm.guide import Phase

__all__ = ["LobbyError", "check_phase", "check_version", "clean", "clean_line"]

#: Control characters a person cannot type (PostgreSQL refuses NUL; a mail header refuses
#: line breaks). Tabs and line breaks stay in multi-line text.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Everything that breaks a line, for one-line text such as a title.
LINE_BREAK_RE = re.compile(r"[\s\x00-\x1f\x7f\u0085\u2028\u2029]+")


class LobbyError(RuleError):
    """A rule of the lobby was broken (see ``crm.errors.RuleError``)."""


def clean(value: str | None) -> str | None:
    """Strip text and drop control characters (PostgreSQL refuses NUL); empty becomes None."""
    if value is None:
        return None
    value = CONTROL_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return value or None


def clean_line(value: str | None) -> str | None:
    """One-line text (a title, a name): line breaks and control characters become one space.

    A browser cannot type a line break in a one-line field, but a script can, and a meeting's
    title also becomes the subject of its follow-up mail."""
    if value is None:
        return None
    value = LINE_BREAK_RE.sub(" ", value).strip()
    return value or None


def check_phase(phase: str | None) -> str | None:
    """The phase of the guide a record is placed in, or None to keep the record's default."""
    if not phase:
        return None
    if phase not in {p.value for p in Phase}:
        raise LobbyError("Kies een fase uit de lijst.", "phase")
    return phase
