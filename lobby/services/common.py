"""The lobby's error, the version check and small text helpers shared by the lobby services."""

from __future__ import annotations

from crm.errors import RuleError, check_version

__all__ = ["LobbyError", "check_version", "clean"]


class LobbyError(RuleError):
    """A rule of the lobby was broken (see ``crm.errors.RuleError``)."""


def clean(value: str | None) -> str | None:
    """Strip text and drop NUL characters (PostgreSQL refuses them); empty becomes None."""
    if value is None:
        return None
    value = value.replace("\x00", "").strip()
    return value or None
