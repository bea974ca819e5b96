"""Errors, the version check and small text helpers shared by the lobby services."""

from __future__ import annotations

from crm.db import is_stale

STALE_MESSAGE = (
    "Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw en voer je "
    "wijziging daarna nog eens in."
)


class LobbyError(ValueError):
    """A rule was broken; ``field`` names the form field the Dutch message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class StaleEdit(LobbyError):
    """The record changed since the form was shown (optimistic locking, QUALITY 21)."""

    def __init__(self):
        super().__init__(STALE_MESSAGE)


def check_version(record, submitted) -> None:
    """Refuse a save based on an older version of ``record``."""
    if is_stale(record, submitted):
        raise StaleEdit()


def clean(value: str | None) -> str | None:
    """Strip text and drop NUL characters (PostgreSQL refuses them); empty becomes None."""
    if value is None:
        return None
    value = value.replace("\x00", "").strip()
    return value or None
