"""Forms of the phase tracker (validation only)."""

from __future__ import annotations

from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import ValidationError

from content.guide import ANSWER_MAX
from content.models import STATUSES
from crm.forms import BaseForm, ConfirmForm, VersionedForm, chosen


def answer_length(_form, field) -> None:
    if field.data and len(field.data) > ANSWER_MAX:
        count = f"{len(field.data):,}".replace(",", ".")
        raise ValidationError(f"Het antwoord is te lang: gebruik hoogstens 5.000 tekens (nu {count}).")


def without_nul(value):
    """PostgreSQL text cannot hold NUL characters; they never belong in an answer."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class PhaseForm(VersionedForm):
    """The phase page: status and answer. The tick boxes of the steps are in the same form,
    one per step (``stap``), with the steps the page showed as ticked (``getoond``)."""

    status = RadioField(
        "Status van deze fase",
        choices=STATUSES,
        validators=[chosen("een status")],
        description="Afgerond: het team heeft de stappen gezet die bij jullie passen en de vraag beantwoord.",
    )
    answer = TextAreaField(
        "Antwoord van het team",
        validators=[answer_length],
        filters=[without_nul],
        description="Hoogstens 5.000 tekens. Schrijf op wat jullie samen vinden, niet wie wat zei.",
    )
    submit = SubmitField("Opslaan")


class SnapshotForm(BaseForm):
    submit = SubmitField("Jaarevaluatie vastleggen")


class ReplaceSnapshotForm(ConfirmForm):
    """The question before this year's evaluation is replaced ("Ja, vervangen")."""

    #: When the snapshot the page asks about was taken (a colleague may replace it meanwhile).
    replaces = HiddenField()
