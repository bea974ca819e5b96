"""The ``lobby`` blueprint and small helpers its view modules share."""

from flask import Blueprint, abort

from crm.blueprint import TEMPLATES_DIR
from crm.db import db

bp = Blueprint("lobby", __name__, template_folder=TEMPLATES_DIR)


def get_or_404(model, record_id: int):
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    return record


def version_of(form, record) -> None:
    """Put the record's version in a versioned form shown by GET."""
    form.version.data = str(record.version)
