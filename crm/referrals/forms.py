"""Forms of the referral log: register, correct, and the statistics filters (validate only)."""

from __future__ import annotations

from wtforms import HiddenField, MonthField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, ValidationError

from crm.forms import BaseForm, chosen, max_length, optional
from crm.permissions import MAX_ID
from crm.referrals.models import AUDIENCES, DIRECTIONS, LANGUAGES, NOTE_MAX, OUTGOING
from crm.referrals.privacy import personal_data_message

#: The extra choice of the optional radio groups: a value set by mistake can be taken away again.
NOT_FILLED = ("", "Niet ingevuld")

NOTE_WARNING = ("Schrijf geen naam, adres, geboortedatum, BSN, telefoonnummer of e-mailadres van "
                "de bezoeker op. De verwijzing blijft anoniem.")


def _int_or_none(value):
    """The posted id of a select; None for "none chosen", -1 for anything that is no id."""
    if value in (None, "", "0", 0):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return -1  # not an id: the service answers "Kies een partner uit de lijst."
    # Larger numbers cannot be an id, and the database refuses them as a parameter (OverflowError).
    return number if 0 < number <= MAX_ID else -1


class _ReferralFields(BaseForm):
    direction = RadioField("Richting", choices=DIRECTIONS, default=OUTGOING,
                           validators=[chosen("de richting")], validate_choice=False)
    partner_id = SelectField("Partner", coerce=_int_or_none, validate_choice=False,
                             validators=[InputRequired(message="Kies een partner.")])
    purpose = RadioField("Doel", validators=[chosen("een doel")], validate_choice=False)
    method = RadioField("Hoe", validators=[chosen("hoe je hebt verwezen")], validate_choice=False)
    audience = RadioField("Voor wie (niet verplicht)", choices=[*AUDIENCES, NOT_FILLED],
                           validators=[optional()], validate_choice=False)
    language = RadioField("Taalachtergrond (niet verplicht)", choices=[*LANGUAGES, NOT_FILLED],
                          validators=[optional()], validate_choice=False)
    branch_id = SelectField("Vestiging", coerce=_int_or_none, validate_choice=False)
    note = TextAreaField(
        "Korte notitie (niet verplicht)", validators=[optional(), max_length(NOTE_MAX)],
        description=f"Hoogstens {NOTE_MAX} tekens, bijvoorbeeld wat de vraag was.",
        render_kw={"maxlength": NOTE_MAX, "rows": 2},
    )

    def validate_note(self, field) -> None:
        message = personal_data_message(field.data)
        if message:
            raise ValidationError(message)


class ReferralForm(_ReferralFields):
    #: One-time token of this form: posting it twice stores one referral.
    nonce = HiddenField(validators=[InputRequired(
        message="Het formulier is niet compleet. Laad de pagina opnieuw en probeer het nog eens."
    ), max_length(64)])


class ReferralEditForm(_ReferralFields):
    version = HiddenField()


class StatsFilterForm(BaseForm):
    """The filters above the statistics (a GET form)."""

    start = MonthField("Van maand", validators=[optional()], description="Bijvoorbeeld januari 2026.")
    end = MonthField("Tot en met maand", validators=[optional()], description="Bijvoorbeeld december 2026.")
    branch = SelectField("Vestiging", coerce=_int_or_none, validate_choice=False)
    kind = SelectField("Soort partner", validate_choice=False)
