"""Forms of the phase tracker (validation only)."""

from __future__ import annotations

from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import ValidationError

from content.guide import ANSWER_MAX
from content.models import STATUSES
from crm.forms import BaseForm, VersionedForm, chosen


def answer_length(_form, field) -> None:
    if field.data and len(field.data) > ANSWER_MAX:
        count = f"{len(field.data):,}".replace(",", ".")
        raise ValidationError(f"Het antwoord is te lang: gebruik hoogstens 5.000 tekens (nu {count}).")


def without_nul(value):
    """PostgreSQL text cannot hold NUL characters; they never belong in an answer."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class PhaseForm(VersionedForm):
    status = RadioField("Status van deze fase", choices=STATUSES, validators=[chosen("een status")])
    answer = TextAreaField(
        "Antwoord van het team",
        validators=[answer_length],
        filters=[without_nul],
        description="Hoogstens 5.000 tekens. Schrijf op wat jullie samen vinden, niet wie wat zei.",
    )
    submit = SubmitField("Opslaan")


class SnapshotForm(BaseForm):
    submit = SubmitField("Jaarevaluatie vastleggen")
