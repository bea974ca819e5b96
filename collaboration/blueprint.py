"""The ``collaboration`` blueprint and small helpers its view modules share."""

from __future__ import annotations

from flask import Blueprint, abort

from crm.auth.services import current_account
from crm.blueprint import TEMPLATES_DIR
from crm.db import db

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
