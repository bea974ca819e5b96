"""Forms of the lobby pages: they only validate; services get plain values."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from crm.forms import DATE_FORMATS, BaseForm, ConfirmForm, VersionedForm, max_length, optional, required
from crm.guide import PHASE_CHOICES
from lobby.models.evidence import EVIDENCE_KINDS, MATERIAL_KINDS
from lobby.models.municipality import FUNDAMENT_ITEMS, LIBRARY_ROLES, LOBBYPLAN_ITEMS
from lobby.models.plans import MEETING_GOALS, PLAN_ITEMS
from lobby.services.meetings import ANSWER_WITHOUT_QUESTION, MAX_EVIDENCE, TOO_MUCH_EVIDENCE

ROLE_CHOICES = [("", "Nog niet gekozen"), *LIBRARY_ROLES]
DATE_HINT = "Bijvoorbeeld 3-12-2026."


def required_date(what: str):
    """Required date: InputRequired keeps the 'not a date' message of a wrong entry."""
    return InputRequired(message=f"Vul {what} in.")


class NlDateField(DateField):
    """A date field with a plain Dutch message for input that is not a date; 2026-12-03 or 3-12-2026."""

    def __init__(self, label=None, validators=None, format=DATE_FORMATS, **kwargs):  # noqa: A002
        super().__init__(label, validators, format=list(format), **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een geldige datum in, zoals 3-12-2026.") from None


class NlTimeField(TimeField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een geldige tijd in, zoals 14:30.") from None


class NlSelectField(SelectField):
    """A select with a Dutch message; an empty answer is fine when the list offers an empty option."""

    def pre_validate(self, form):
        values = [value for value, _label in self.iter_choices_values()]
        if self.data in (None, "", 0) and any(v in ("", 0) for v in values):
            return
        if self.data not in values:
            raise ValidationError("Kies een optie uit de lijst.")

    def iter_choices_values(self):
        for choice in self.choices or []:
            yield (choice[0], choice[1]) if isinstance(choice, tuple | list) else (choice, choice)


class PhaseField(NlSelectField):
    """"Fase in de Wegwijzer", as on the Samenwerken forms. The view puts the record's phase (or
    its type's default) in it; a post without it keeps the phase the record has."""

    def __init__(self, label="Fase in de Wegwijzer", **kwargs):
        kwargs.setdefault("choices", PHASE_CHOICES)
        kwargs.setdefault(
            "description", "In welke fase van de Wegwijzer hoort dit? De voorgestelde fase past meestal."
        )
        super().__init__(label, **kwargs)

    def pre_validate(self, form):
        if self.data in (None, ""):
            return
        super().pre_validate(form)


class NlIntegerField(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een heel getal in, zoals 2024.") from None


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice; rendered by the fieldset branch of the field macro."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Kies alleen uit de lijst.") from None

    def pre_validate(self, form):
        values = dict(self.choices or [])
        for item in self.data or []:
            if item not in values:
                raise ValidationError("Kies alleen uit de lijst.")


# -- municipality ---------------------------------------------------------------------


class _ProfileFields:
    cbs_code = StringField(
        "CBS-gemeentecode", description="Bijvoorbeeld GM0599.",
        validators=[optional(), Regexp(r"^(?i:GM)?[0-9]{4}$",
                                       message="Vul de code in als GM en vier cijfers, zoals GM0599.")]
    )
    college = TextAreaField(
        "College en portefeuilles",
        description="Wie zit er in het college, met welke portefeuilles?",
        validators=[max_length(5000)],
    )
    coalition_goals = TextAreaField(
        "Doelen uit coalitieakkoord of collegeprogramma",
        description="Aan welke doelen draagt de gezinsaanpak bij? Welke pijnpunten helpt hij oplossen?",
        validators=[max_length(5000)],
    )
    lea = TextAreaField("Lokale Educatieve Agenda", validators=[max_length(5000)])
    regional_plan = TextAreaField(
        "Regionaal plan aanpak laaggeletterdheid",
        description="Wat is de rol van de gemeente erin, bij welke punten kun je aansluiten?",
        validators=[max_length(5000)],
    )
    contact_municipality = StringField("Contactgemeente in de regio", validators=[max_length(120)])
    library_role = NlSelectField("Rol van de bibliotheek", choices=ROLE_CHOICES)
    expectations = TextAreaField("Verwachtingen en afspraken met de gemeente", validators=[max_length(5000)])
    key_message = TextAreaField(
        "Kernboodschap",
        description="Wat wil je dat de gemeente onthoudt? Eén of twee zinnen.",
        validators=[max_length(2000)],
    )


class MunicipalityForm(_ProfileFields, VersionedForm):
    phase = PhaseField()
    submit = SubmitField("Profiel opslaan")


class NewMunicipalityForm(_ProfileFields, BaseForm):
    phase = PhaseField()
    partner_id = NlSelectField("Gemeente uit het netwerk", coerce=int, choices=[])
    new_name = StringField(
        "Of: naam van een nieuwe gemeente",
        description="Bijvoorbeeld Gemeente Rivierstad.",
        validators=[max_length(200)],
    )
    submit = SubmitField("Gemeente toevoegen")


class FigureForm(BaseForm):
    label = StringField(
        "Wat is het cijfer",
        description="Bijvoorbeeld: laaggeletterden (16-65 jaar).",
        validators=[DataRequired(message="Vul in wat het cijfer is."), max_length(200)],
    )
    value = StringField("Waarde", validators=[required("de waarde"), max_length(40)])
    unit = StringField("Eenheid", description="Bijvoorbeeld % of kinderen.", validators=[max_length(40)])
    source = StringField(
        "Bron", description="Waar komt het cijfer vandaan?", validators=[required("de bron"), max_length(300)]
    )
    year = NlIntegerField(
        "Jaar", validators=[optional(), NumberRange(1900, 2100, "Vul een jaartal in, zoals 2024.")]
    )
    submit = SubmitField("Cijfer toevoegen")


class _FundamentItem(Form):
    done = BooleanField("In orde")
    done_on = NlDateField("Datum", validators=[optional()])
    note = StringField("Link of notitie", validators=[max_length(500)])


def _fundament_form():
    attrs = {key: FormField(_FundamentItem, label) for key, label in FUNDAMENT_ITEMS}
    attrs["submit"] = SubmitField("Checklist opslaan")
    return type("FundamentForm", (VersionedForm,), attrs)


FundamentForm = _fundament_form()


class _PlanItem(Form):
    text = TextAreaField("Uitwerking", validators=[max_length(5000)])
    done = BooleanField("Klaar")


def _lobbyplan_form():
    attrs = {key: FormField(_PlanItem, label) for key, label in LOBBYPLAN_ITEMS}
    attrs["phase"] = PhaseField()
    attrs["submit"] = SubmitField("Lobbyplan opslaan")
    return type("LobbyPlanForm", (VersionedForm,), attrs)


LobbyPlanForm = _lobbyplan_form()


# -- meetings ------------------------------------------------------------------------
class QuestionForm(Form):
    question = TextAreaField("Vraag", validators=[max_length(500)])
    answer = TextAreaField("Ons antwoord", validators=[max_length(3000)])


class MeetingForm(VersionedForm):
    title = StringField("Onderwerp", validators=[required("een onderwerp"), max_length(200)])
    held_on = NlDateField(
        "Datum", description=DATE_HINT, validators=[required_date("de datum van het gesprek")]
    )
    starts_at = NlTimeField("Tijd", validators=[optional()])
    place = StringField("Plaats", validators=[max_length(200)])
    contact_ids = MultiCheckboxField("Met wie van de gemeente", coerce=int, choices=[])
    library_people = StringField(
        "Wie gaat er namens de bibliotheek",
        description=(
            "Het gouden duo, een MT-lid, de directeur? Kijk ook naar wie er vanuit de gemeente aanhaakt."
        ),
        validators=[max_length(300)],
    )
    goals = MultiCheckboxField("Doelen van dit gesprek", choices=list(MEETING_GOALS))
    goals_note = TextAreaField("Toelichting op de doelen", validators=[max_length(3000)])
    library_role = NlSelectField("Rol die de bibliotheek neemt", choices=ROLE_CHOICES)
    questions = FieldList(FormField(QuestionForm), label="Vragen", min_entries=1)
    evidence_ids = MultiCheckboxField(
        "Bewijs voor de briefing",
        coerce=int,
        choices=[],
        description=(
            "Kies hoogstens drie: meer past niet op de briefing. Kies je niets, dan staan de drie "
            "nieuwste op de briefing. Alle bewijs staat hieronder, het nieuwste eerst."
        ),
    )
    key_message = TextAreaField(
        "Kernboodschap voor dit gesprek",
        description="Leeg: de kernboodschap uit het gemeenteprofiel.",
        validators=[max_length(2000)],
    )
    phase = PhaseField()
    submit = SubmitField("Gesprek opslaan")

    def validate_evidence_ids(self, field):
        picked = list(dict.fromkeys(field.data or []))
        if len(picked) > MAX_EVIDENCE:
            raise ValidationError(TOO_MUCH_EVIDENCE.format(n=len(picked)))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        # An answer without its question: the message goes next to that row's question field.
        for entry in self.questions.entries:
            question, answer = entry.form.question, entry.form.answer
            if (answer.data or "").strip() and not (question.data or "").strip() and not question.errors:
                question.errors = [*question.errors, ANSWER_WITHOUT_QUESTION]
                ok = False
        if not ok:
            # One plain line per row for the error summary (which links to the list of questions).
            self.questions.errors = [
                f"Vraag {number}: {message}"
                for number, entry in enumerate(self.questions.entries, start=1)
                for sub in (entry.form.question, entry.form.answer)
                for message in sub.errors[:1]
            ]
        return ok


class OutcomeForm(VersionedForm):
    outcome = TextAreaField("Uitkomst van het gesprek", validators=[max_length(5000)])
    key_message = TextAreaField("Kernboodschap voor de mail", validators=[max_length(2000)])
    log_contact = BooleanField(
        "Leg ook vast als contactmoment",
        description=(
            "Dan staat het gesprek bij de contactmomenten van de mensen aan tafel en van de gemeente, "
            "en telt het mee als laatste contact op de volgende briefing. Sla je later opnieuw op, dan "
            "wordt hetzelfde contactmoment bijgewerkt."
        ),
    )
    submit = SubmitField("Uitkomst opslaan")


class AgreementForm(VersionedForm):  # the version counts when an afspraak is corrected
    description = TextAreaField("Afspraak", validators=[required("de afspraak"), max_length(1000)])
    owner_id = NlSelectField("Wie pakt het op", coerce=int, choices=[])
    owner_name = StringField("Of: naam buiten de bibliotheek", validators=[max_length(120)])
    due_on = NlDateField("Klaar op", description=DATE_HINT, validators=[required_date("de datum")])
    submit = SubmitField("Afspraak toevoegen")


class DeleteForm(ConfirmForm):
    """The confirmation step of a delete; a record with parts that go along asks for a tick."""
    with_actions = BooleanField("Ja, verwijder ook de acties van dit plan")
    with_contact_moment = BooleanField("Verwijder ook het contactmoment van dit gesprek")


# -- pitch, materials, evidence --------------------------------------------------------
class PitchForm(BaseForm):
    title = StringField("Naam van deze versie", validators=[max_length(200)])
    text = TextAreaField(
        "Tekst van de pitch",
        description="Ongeveer één minuut spreken: zo'n 130 woorden.",
        validators=[required("de tekst van de pitch"), max_length(50000)],
    )
    municipality_id = NlSelectField(
        "Voor welke gemeente",
        coerce=int,
        choices=[],
        description=(
            "Noemt de pitch cijfers of plannen van één gemeente? Kies die gemeente. Een algemene pitch "
            "staat op de briefing van elke gemeente zonder eigen pitch."
        ),
    )
    make_current = BooleanField("Maak dit de huidige pitch (voor deze gemeente of algemeen)", default=True)
    phase = PhaseField()
    submit = SubmitField("Versie opslaan")


class MaterialForm(BaseForm):
    kind = NlSelectField("Soort middel", choices=list(MATERIAL_KINDS))
    title = StringField("Naam", validators=[required("de naam"), max_length(200)])
    url = StringField("Link", description="Begint met https://", validators=[max_length(500)])
    file = FileField("Of: bestand")
    note = TextAreaField("Toelichting", validators=[max_length(2000)])
    submit = SubmitField("Middel toevoegen")


class EvidenceForm(VersionedForm):
    kind = NlSelectField("Soort bewijs", choices=list(EVIDENCE_KINDS))
    title = StringField("Titel", validators=[required("een titel"), max_length(200)])
    text = TextAreaField("Cijfer, quote of verhaal", validators=[max_length(5000)])
    occurred_on = NlDateField("Datum", description=DATE_HINT, validators=[required_date("de datum")])
    source = StringField(
        "Bron", description="Van wie of waar komt dit?", validators=[required("de bron"), max_length(300)]
    )
    permission = BooleanField("Toestemming om dit te gebruiken")
    permission_note = StringField("Toestemming: van wie en hoe vastgelegd", validators=[max_length(300)])
    image = FileField("Foto")
    remove_image = BooleanField("Foto verwijderen")
    phase = PhaseField()
    submit = SubmitField("Bewijs opslaan")


# -- plan van aanpak and evaluation ---------------------------------------------------
def _action_plan_form():
    attrs = {"title": StringField("Naam van het plan", validators=[required("de naam"), max_length(200)])}
    for key, question in PLAN_ITEMS:
        attrs[key] = TextAreaField(question, validators=[max_length(5000)])
    attrs["phase"] = PhaseField()
    attrs["submit"] = SubmitField("Plan opslaan")
    return type("ActionPlanForm", (VersionedForm,), attrs)


ActionPlanForm = _action_plan_form()


class ActionForm(VersionedForm):  # the version counts when an action is corrected
    description = StringField("Actie", validators=[required("de actie"), max_length(500)])
    owner = StringField(
        "Wie", validators=[DataRequired(message="Vul in wie de actie oppakt."), max_length(120)]
    )
    due_on = NlDateField("Wanneer", description=DATE_HINT, validators=[required_date("de datum")])
    submit = SubmitField("Actie toevoegen")


class EvaluationForm(VersionedForm):
    evaluated_on = NlDateField(
        "Datum van de evaluatie", description=DATE_HINT, validators=[required_date("de datum")]
    )
    plan_review = TextAreaField(
        "Stap 1: plan van aanpak en verhaal",
        description="Neem het plan en de pitch door: wat vul je aan, wat stel je bij?",
        validators=[max_length(5000)],
    )
    contacts_review = TextAreaField(
        "Stap 2: contacten",
        description=(
            "Welke contacten zijn waardevol gebleken en waarom? Wie ontbreekt nog, en via wie benader je die?"
        ),
        validators=[max_length(5000)],
    )
    friction = TextAreaField(
        "Stap 3: stroeve samenwerkingen",
        description="Wat verloopt stroef, hoe kan dat en is er een andere weg naar het doel?",
        validators=[max_length(5000)],
    )
    materials_review = TextAreaField(
        "Stap 4: middelen en succesverhalen",
        description="Voldoen de middelen nog? Welke nieuwe verhalen, cijfers, foto's en uitspraken zijn er?",
        validators=[max_length(5000)],
    )
    focus = TextAreaField("Focus voor de komende periode", validators=[max_length(3000)])
    phase = PhaseField()
    submit = SubmitField("Evaluatie opslaan")


class EmptyForm(BaseForm):
    """A form with only the CSRF token, for buttons that post."""
