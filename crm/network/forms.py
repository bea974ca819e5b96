"""Forms for partners, people, affiliations, contact moments, import and erasure (validation only)."""

from __future__ import annotations

from flask_wtf.file import FileField
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, Select, html_params

from crm.forms import (
    DATE_FORMATS,
    BaseForm,
    VersionedForm,
    chosen,
    email_address,
    max_length,
    optional,
    phone_number,
    required,
)
from crm.guide import PHASE_CHOICES, THEME_CHOICES
from crm.network.models import PARTNER_STATUSES, WARMTH
from crm.network.services import MAX_ID

SCORE_CHOICES = [("", "Nog niet ingeschat")] + [(str(i), str(i)) for i in range(1, 6)]


#: How to choose more than one in a list, with the mouse and with the keyboard.
MORE_THAN_ONE = ("Meer dan één kiezen: houd Ctrl (Mac: Cmd) ingedrukt en klik. Met het toetsenbord: "
                 "ga met de pijltjes naar een naam en druk op Ctrl + spatie.")


class FastSelect(Select):
    """A <select> that renders thousands of options quickly (one string join, no per-option Markup)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        if "required" not in kwargs and "required" in getattr(field, "flags", []):
            kwargs["required"] = True
        data = field.data if self.multiple else [field.data]
        selected = {str(v) for v in (data or []) if v is not None}
        parts = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for value, label in field.choices:
            mark = " selected" if str(value) in selected else ""
            parts.append(f'<option value="{escape(value)}"{mark}>{escape(label)}</option>')
        parts.append("</select>")
        return Markup("".join(parts))  # noqa: S704 - every value and label is escaped above


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _int_or_none(value):
    """Coerce for id and score selects: anything that is not a usable number becomes None."""
    if value in (None, "", "None"):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= MAX_ID else None


def _record_id(value) -> int:
    """Coerce for multi-selects of records: a ValueError becomes a message at the field."""
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError(value)
    return number


def _date_message(field_label: str) -> str:
    return f"Vul bij ‘{field_label}’ een geldige datum in, zoals 25-11-2026."


class PhaseFields:
    theme = SelectField("Thema uit de Wegwijzer", choices=THEME_CHOICES)
    phase = SelectField("Fase", choices=PHASE_CHOICES)


class PartnerForm(VersionedForm):
    name = StringField("Naam", validators=[required("de naam"), max_length(200)])
    kind = SelectField("Soort organisatie", validators=[chosen("de soort")])
    internal = BooleanField("Intern (een team of afdeling van de bibliotheek zelf)")
    status = SelectField("Status", choices=PARTNER_STATUSES)
    offer = TextAreaField("Wat bieden zij gezinnen?", validators=[optional(), max_length(4000)])
    how_to_refer = TextAreaField("Zo verwijs je een gezin door", validators=[optional(), max_length(4000)],
                                 description="Dit ziet de frontoffice op de sociale kaart.")
    address = StringField("Adres", validators=[optional(), max_length(200)])
    place = StringField("Plaats", validators=[optional(), max_length(120)])
    website = StringField("Website", validators=[
        optional(), max_length(300),
        URL(message="Vul een volledig webadres in, zoals https://www.voorbeeld.nl."),
    ])
    phone = StringField("Telefoon", validators=[optional(), phone_number, max_length(40)])
    email = StringField("E-mailadres", validators=[optional(), email_address(), max_length(254)])
    tags = StringField("Labels", validators=[optional(), max_length(400)],
                       description="Losse woorden, gescheiden door komma's, zoals: vve, nieuwkomers.")
    notes = TextAreaField("Notities (alleen voor specialisten)", validators=[optional(), max_length(8000)])
    theme = PhaseFields.theme
    phase = PhaseFields.phase
    submit = SubmitField("Opslaan")

    def validate_website(self, field):
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError("Vul een volledig webadres in, zoals https://www.voorbeeld.nl.")


class ContactForm(VersionedForm):
    name = StringField("Naam", validators=[required("de naam"), max_length(200)])
    email = StringField("E-mailadres", validators=[optional(), email_address(), max_length(254)])
    phone = StringField("Telefoon", validators=[optional(), phone_number, max_length(40)])
    position = SelectField("Positie", validators=[optional()],
                           description="Vooral voor mensen van de gemeente: wethouder, raadslid, ...")
    domains = MultiCheckboxField("Beleidsdomeinen (Gemeentelijke Gezinsaanpak Geletterdheid)",
                                 validators=[optional()])
    influence = SelectField("Invloed (1 = weinig, 5 = veel)", choices=SCORE_CHOICES, coerce=_int_or_none,
                            validate_choice=False)
    interest = SelectField("Belang bij de gezinsaanpak (1 = weinig, 5 = veel)", choices=SCORE_CHOICES,
                           coerce=_int_or_none, validate_choice=False)
    warmth = SelectField("Relatie", choices=[("", "Nog niet bekend"), *WARMTH], validators=[optional()])
    knowledge = TextAreaField("Wat weten ze al van de gezinsaanpak?", validators=[optional(),
                                                                                  max_length(4000)])
    interests = TextAreaField("Belangen", validators=[optional(), max_length(4000)])
    hook = TextAreaField("Het haakje", validators=[optional(), max_length(4000)],
                         description="Waar sluit de gezinsaanpak aan bij wat zij willen bereiken?")
    known_by = StringField("Wie in de bibliotheek kent hen?", validators=[optional(), max_length(200)])
    valuable = RadioField("Was dit contact waardevol?", choices=[("", "Nog niet bekend"), ("ja", "Ja"),
                                                                  ("nee", "Nee")], default="",
                          validate_choice=False)
    evaluation = TextAreaField("Waarom (evaluatie)?", validators=[optional(), max_length(4000)])
    notes = TextAreaField("Notities", validators=[optional(), max_length(8000)])
    partner_id = SelectField("Organisatie", coerce=_int_or_none, validate_choice=False, widget=FastSelect(),
                             description="Je kunt later meer organisaties koppelen.")
    function = StringField("Functie bij deze organisatie", validators=[optional(), max_length(120)])
    theme = PhaseFields.theme
    phase = PhaseFields.phase
    submit = SubmitField("Opslaan")

    def validate_influence(self, field):
        if field.raw_data and field.raw_data[0] not in ("", *[str(i) for i in range(1, 6)]):
            raise ValidationError("Kies een getal van 1 tot en met 5.")

    validate_interest = validate_influence

    def validate_valuable(self, field):
        if field.data not in ("", "ja", "nee", None):
            raise ValidationError("Kies ja, nee of nog niet bekend.")


class AffiliationForm(BaseForm):
    partner_id = SelectField("Organisatie", coerce=_int_or_none, validate_choice=False, widget=FastSelect(),
                             validators=[chosen("de organisatie")])
    function = StringField("Functie", validators=[optional(), max_length(120)])
    department = StringField("Afdeling", validators=[optional(), max_length(120)])
    start_date = DateField("Vanaf", validators=[optional()], format=DATE_FORMATS)
    end_date = DateField("Tot en met", validators=[optional()], format=DATE_FORMATS)
    submit = SubmitField("Koppelen")

    def validate_partner_id(self, field):
        if not field.data:
            raise ValidationError("Kies de organisatie.")


class InteractionForm(VersionedForm):
    kind = SelectField("Soort contact", validators=[chosen("de soort contact")])
    occurred_on = DateField("Datum", format=DATE_FORMATS,
                            validators=[required("de datum")])
    contact_ids = SelectMultipleField("Met wie (personen)", coerce=_record_id, validate_choice=False,
                                      widget=FastSelect(multiple=True),
                                      description=MORE_THAN_ONE)
    partner_ids = SelectMultipleField("Met welke organisaties", coerce=_record_id, validate_choice=False,
                                      widget=FastSelect(multiple=True), description=MORE_THAN_ONE)
    library_people = StringField("Wie van de bibliotheek", validators=[optional(), max_length(200)])
    summary = TextAreaField("Waar ging het over?", validators=[required("waar het over ging"),
                                                               max_length(8000)])
    outcome = TextAreaField("Uitkomst en afspraken", validators=[optional(), max_length(8000)])
    key_message = TextAreaField("Kernboodschap voor de opvolgmail", validators=[optional(), max_length(4000)])
    follow_up = TextAreaField("Opvolging: wat moet er nog gebeuren?", validators=[optional(),
                                                                                  max_length(4000)])
    follow_up_due = DateField("Opvolgen vóór", format=DATE_FORMATS, validators=[optional()])
    follow_up_owner_id = SelectField("Wie volgt op?", coerce=_int_or_none, validate_choice=False,
                                     widget=FastSelect())
    theme = PhaseFields.theme
    phase = PhaseFields.phase
    submit = SubmitField("Opslaan")


class ImportForm(BaseForm):
    kind = RadioField("Wat wil je importeren?", choices=[("organisaties", "Organisaties"),
                                                         ("personen", "Personen")],
                      default="organisaties", validators=[chosen("wat je wilt importeren")])
    file = FileField("Bestand (CSV of Excel, .xlsx)",
                     description="Gebruik het sjabloon; de kolommen worden op naam herkend.")
    submit = SubmitField("Bekijk wat er geïmporteerd wordt")


class ConfirmImportForm(BaseForm):
    token = HiddenField()
    kind = HiddenField()
    submit = SubmitField("Alles importeren")


class EraseForm(BaseForm):
    confirm_name = StringField("Typ de naam van de persoon om te bevestigen", validators=[
        required("de naam ter bevestiging")])
    submit = SubmitField("Definitief wissen")


class DeleteForm(BaseForm):
    confirm = BooleanField("Ja, ik weet het zeker")
    submit = SubmitField("Verwijderen")


def date_error_messages(form) -> None:
    """Name the field in the message for input that is not a date at all ("Vul tot en met in
    als datum, …"); other messages about a date (its order, its year) stay as they are."""
    for field in form:
        if field.type == "DateField" and field.errors and field.data is None \
                and field.raw_data and field.raw_data[0]:
            field.errors = [_date_message(str(field.label.text).lower())]
