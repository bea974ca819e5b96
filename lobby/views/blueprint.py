"""The ``lobby`` blueprint and small helpers its view modules share."""

from datetime import date

from flask import Blueprint, abort, flash

from crm import web
from crm.blueprint import TEMPLATES_DIR
from crm.db import db
from crm.errors import AlreadySaved
from crm.web import local_today, nl_date
from lobby import PERSONAL_TEXT_URLS

bp = Blueprint("lobby", __name__, template_folder=TEMPLATES_DIR)
#: A meeting or evidence sent twice goes to the one stored first (``crm.errors.refuse_twin``),
#: on the page the AVG page also links to.
bp.register_error_handler(AlreadySaved, web.already_saved_handler(PERSONAL_TEXT_URLS))

def get_or_404(model, record_id: int):
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    return record


def version_of(form, record) -> None:
    """Put the record's version in a versioned form shown by GET."""
    form.version.data = str(record.version)


def confirm_page(form, **context):
    """``crm.web.confirm_page`` in the lobby's frame (its navigation)."""
    return web.confirm_page("lobby/confirm_delete.html", form, **context)


def past_date_warning(due_on: date | None, what: str) -> None:
    """Warn (not refuse) when something new is due before today: usually a typing error."""
    if due_on is not None and due_on < local_today():
        flash(
            f"Let op: {what} had al klaar moeten zijn op {nl_date(due_on)} en staat daarom als ‘te laat’. "
            "Klopt de datum niet? Pas hem aan met ‘Bewerken’.",
            "warning",
        )
