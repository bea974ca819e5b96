"""The ``collaboration`` blueprint and small helpers its view modules share: record look-ups,
a create form sent twice, warnings about unlikely dates and the confirmation step of a delete."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, url_for

from crm import web
from crm.auth.services import current_account
from crm.blueprint import TEMPLATES_DIR
from crm.db import db
from crm.errors import AlreadySaved
from crm.web import local_today, nl_date

bp = Blueprint("collaboration", __name__, template_folder=TEMPLATES_DIR)


def current_user_id() -> int | None:
    account = current_account()
    return account.id if account is not None else None


MAX_ID = 2**31 - 1  # PostgreSQL INTEGER; a larger id in a URL would fail in the database


def get_or_404(model, record_id: int):
    """The record with this id, or a 404 (also for ids no INTEGER column can hold)."""
    record = db.session.get(model, record_id) if 0 < record_id <= MAX_ID else None
    if record is None:
        abort(404)
    return record


def partner_filter(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


# -- a create form sent twice ---------------------------------------------------------------------
#: Where a record of each kind is shown, for ``AlreadySaved``.
RECORD_PAGES = {
    "Assessment": lambda r: url_for("collaboration.assessment_detail", assessment_id=r.id),
    "AssessmentCriterion": lambda r: url_for("collaboration.criteria"),
    "StrengthAnalysis": lambda r: url_for("collaboration.analysis_detail", analysis_id=r.id),
    "Agreement": lambda r: url_for("collaboration.agreement_detail", agreement_id=r.id),
    "HookMoment": lambda r: url_for("collaboration.moment_detail", moment_id=r.id),
    "ScanRound": lambda r: url_for("collaboration.scan_round", round_id=r.id),
}


bp.register_error_handler(AlreadySaved, web.already_saved_handler(RECORD_PAGES))


# -- dates that are probably a typing error --------------------------------------------------------
PAST, FUTURE = "past", "future"


def warn_unlikely_dates(*checks: tuple[date | None, date | None, str, str, str]) -> None:
    """After a save: a warning (not a refusal) for a date that is probably a typing error.

    Each check is (date saved, date before the save or None, ``PAST`` or ``FUTURE``: the side
    that is unlikely, what the date is, what follows from it). A date that did not change is
    not warned about again: a reflection date that has passed is a reminder, not a mistake.
    """
    today = local_today()
    for value, before, side, what, effect in checks:
        if value is None or value == before:
            continue
        if (side == PAST and value < today) or (side == FUTURE and value > today):
            where = "in het verleden" if side == PAST else "in de toekomst"
            flash(f"Let op: {what} ({nl_date(value)}) ligt {where}.{' ' + effect if effect else ''} "
                  "Klopt de datum niet? Pas hem aan met ‘Bewerken’.", "warning")


# -- the confirmation step of a delete ----------------------------------------------------------
def confirm_page(form, **context):
    """``crm.web.confirm_page`` in Samenwerken's frame (its sub-navigation)."""
    return web.confirm_page("collaboration/confirm_delete.html", form, **context)
