"""The errors a service raises when the user can put something right, for every package.

A service raises ``RuleError`` (or its package's subclass) with a plain Dutch message and
the name of the form field it belongs to; the view rolls back and shows the message next
to that field (``crm.web.save_form`` does both). ``check_version`` is the lost-update
check of every versioned form (QUALITY.md 21).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from crm.db import db, is_stale, utcnow

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


# -- the same create form sent twice ------------------------------------------------------------
#: A create form sent again with the same content within this many seconds is a double click,
#: a slow connection or a resent page; not a second record.
TWIN_SECONDS = 30
ALREADY_SAVED = "Dit was al opgeslagen. Er is niets dubbel bewaard: hieronder zie je wat er is opgeslagen."


class AlreadySaved(Exception):  # noqa: N818 - reads as what happened, like StaleRecord
    """What a create form would store was stored just before (``refuse_twin``).

    Not a ``RuleError``: the form is fine, so instead of showing it again with a message the
    blueprint sends the user to the stored record (``crm.web.already_saved_handler``)."""

    def __init__(self, record):
        super().__init__(ALREADY_SAVED)
        self.record = record


def refuse_twin(model, user_id: int | None, values: dict, same=None, owner: str = "created_by_id") -> None:
    """Raise ``AlreadySaved`` when a record of ``model`` with these column ``values`` was
    created in the last ``TWIN_SECONDS``, by the same user where the model records who made it
    (its ``owner`` column). ``same(record)`` checks what no column holds (linked partners).

    Runs in the request's write transaction (on SQLite a POST begins IMMEDIATE), so a second
    request waits for the first to commit and then finds its record."""
    since = utcnow() - timedelta(seconds=TWIN_SECONDS)
    stmt = select(model).where(model.created_at >= since,
                               *(getattr(model, name) == value for name, value in values.items()))
    if hasattr(model, owner):
        stmt = stmt.where(getattr(model, owner) == user_id)
    for record in db.session.scalars(stmt.order_by(model.id.desc())):
        if same is None or same(record):
            raise AlreadySaved(record)
