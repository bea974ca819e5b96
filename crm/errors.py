"""The errors a service raises when the user can put something right, for every package.

A service raises ``RuleError`` (or its package's subclass) with a plain Dutch message and
the name of the form field it belongs to; the view rolls back and shows the message next
to that field (``crm.web.save_form`` does both). ``check_version`` is the lost-update
check of every versioned form (QUALITY.md 21).
"""

from __future__ import annotations

from crm.db import is_stale

STALE_MESSAGE = (
    "Iemand anders heeft dit intussen gewijzigd (of jij, in een ander venster). Je wijziging "
    "is niet opgeslagen. Laad de pagina opnieuw en voer je wijziging daarna nog eens in."
)


class RuleError(ValueError):
    """A rule was broken; ``field`` names the form field the message belongs to (None: the
    form as a whole)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class StaleRecord(RuleError):
    """The record changed since the form was shown (optimistic locking)."""

    def __init__(self, message: str = STALE_MESSAGE):
        super().__init__(message)


def check_version(record, submitted) -> None:
    """Raise ``StaleRecord`` when the form's hidden version is not the stored one."""
    if is_stale(record, submitted):
        raise StaleRecord()
