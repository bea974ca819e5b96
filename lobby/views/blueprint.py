"""The ``lobby`` blueprint and small helpers its view modules share."""

from datetime import date

from flask import Blueprint, abort, flash, request

from crm.blueprint import TEMPLATES_DIR
from crm.db import db
from crm.web import local_today, nl_date, render_form

bp = Blueprint("lobby", __name__, template_folder=TEMPLATES_DIR)

#: The value the "Ja, verwijderen" button of a confirmation page sends.
CONFIRM_VALUE = "ja"


def get_or_404(model, record_id: int):
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    return record


def version_of(form, record) -> None:
    """Put the record's version in a versioned form shown by GET."""
    form.version.data = str(record.version)


def confirmed(form) -> bool:
    """True for the POST of a confirmation page's "Ja, verwijderen" button. A POST without it
    (an old link, a script) deletes nothing and shows the confirmation page again."""
    return request.method == "POST" and form.validate_on_submit() and form.confirm.data == CONFIRM_VALUE


def confirm_page(form, *, title: str, intro: str, back: str, goes=(), links=(), links_intro: str = "",
                 extra_field=None, extra_hint: str | None = None, edit: str | None = None,
                 blocked: str | None = None, warning: str | None = None):
    """The confirmation step of a delete, without JavaScript: what goes, what else it touches
    (``links``: (label, url) of the records concerned), a tick for parts that go along
    (``extra_field``), and a way back. ``blocked``: why it cannot be deleted now (no button)."""
    return render_form(
        "lobby/confirm_delete.html",
        form,
        title=title,
        intro=intro,
        back=back,
        goes=list(goes),
        links=list(links),
        links_intro=links_intro,
        extra_field=extra_field,
        extra_hint=extra_hint,
        edit=edit,
        blocked=blocked,
        warning=warning,
        confirm_value=CONFIRM_VALUE,
    )


def past_date_warning(due_on: date | None, what: str) -> None:
    """Warn (not refuse) when something new is due before today: usually a typing error."""
    if due_on is not None and due_on < local_today():
        flash(
            f"Let op: {what} had al klaar moeten zijn op {nl_date(due_on)} en staat daarom als ‘te laat’. "
            "Klopt de datum niet? Pas hem aan met ‘Bewerken’.",
            "warning",
        )
