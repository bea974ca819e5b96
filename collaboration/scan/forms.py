"""Forms of the samenwerkingsscan (validation only)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from collaboration.scan.models import ASPECTS, DONT_KNOW_LABEL, OPEN, SCORE_LABELS
from crm.forms import BaseForm, VersionedForm, email_address, max_length, required

DATE_MESSAGE = "Vul een datum in, zoals 25-11-2026."


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RoundForm(VersionedForm):
    title = StringField("Titel", validators=[required("een titel"), max_length(200)],
                        description="Bijvoorbeeld: Samenwerkingsscan netwerk 0–4 jaar, najaar 2026.")
    purpose = TextAreaField(
        "Waarom vragen we dit?", validators=[Optional(), max_length(2000)],
        description="Dit lezen de partners boven de vragenlijst. Zeg kort waarom hun mening telt.",
    )
    opens_on = DateField("Open vanaf", validators=[required("de openingsdatum")],
                         format=["%Y-%m-%d", "%d-%m-%Y"])
    closes_on = DateField("Sluit na", validators=[required("de sluitingsdatum")],
                          format=["%Y-%m-%d", "%d-%m-%Y"],
                          description="Tot en met deze dag kunnen partijen antwoorden. "
                                      "De links verlopen daarna.")
    partners_may_see_results = BooleanField("Partners mogen na het delen de gezamenlijke uitkomsten zien",
                                            default=True)
    submit = SubmitField("Opslaan")


class NewRoundForm(RoundForm):
    partner_ids = MultiCheckboxField(
        "Partners in deze samenwerking", coerce=int,
        description="De bibliotheek doet zelf altijd mee als partij.",
    )
    submit = SubmitField("Ronde aanmaken")

    def validate_partner_ids(self, field):
        if not field.data:
            from wtforms.validators import ValidationError

            raise ValidationError("Kies minstens één partner.")


class OutcomeForm(RoundForm):
    outcome = TextAreaField(
        "Uitkomst van het gesprek", validators=[Optional(), max_length(5000)],
        description="Welke verbeteringen spraken jullie af? Is er een nieuwe ambitie?",
    )
    agreement_id = IntegerField(
        "Nummer van de samenwerkingsafspraak",
        validators=[Optional(), NumberRange(min=1, max=2**31 - 1, message="Vul een geldig nummer in.")],
        description="Niet verplicht. Het nummer van de samenwerkingsafspraak waar deze uitkomst bij hoort.",
    )


class InviteForm(BaseForm):
    party_id = SelectField("Partij", coerce=int, validate_choice=False)
    person_name = StringField("Naam van de persoon", validators=[required("de naam"), max_length(200)])
    email = StringField("E-mailadres", validators=[Optional(), email_address(), max_length(254)],
                        description="Niet verplicht. Alleen nodig om een e-mail klaar te zetten.")
    submit = SubmitField("Uitnodiging maken")

    def validate_party_id(self, field):
        from wtforms.validators import ValidationError

        if field.data not in [value for value, _ in field.choices]:
            field.errors[:] = []
            raise ValidationError("Kies een partij.")


class RevealForm(BaseForm):
    confirm = BooleanField("Ja, ik wil de uitkomsten nu al delen, ook al is de ronde nog open")
    submit = SubmitField("Uitkomsten delen")


def questionnaire_form(questionnaire, formdata=None):
    """The editor: a text and a remove box per item, one empty line per aspect for a new statement."""

    class QuestionnaireForm(BaseForm):
        number = HiddenField()
        intro = TextAreaField("Uitleg boven de vragenlijst", validators=[Optional(), max_length(2000)])

    data = {"number": questionnaire.number, "intro": questionnaire.intro}
    for item in questionnaire.items:
        label = item.aspect_label if item.kind != OPEN else "Open vraag"
        setattr(QuestionnaireForm, f"t{item.id}", TextAreaField(
            f"{label}, {item.position + 1}", validators=[Optional(), max_length(500)]))
        setattr(QuestionnaireForm, f"r{item.id}", BooleanField(f"{label}, {item.position + 1}: weghalen"))
        data[f"t{item.id}"] = item.text
    for key, label, _ in ASPECTS:
        setattr(QuestionnaireForm, f"n_{key}", StringField(
            f"Nieuwe stelling bij {label}", validators=[Optional(), max_length(500)]))
    QuestionnaireForm.n_open = StringField("Nieuwe open vraag", validators=[Optional(), max_length(500)])
    return QuestionnaireForm(formdata=formdata, data=data)


SCORE_CHOICES = [(str(n), f"{n} – {label}") for n, label in SCORE_LABELS.items()] + [("0", DONT_KNOW_LABEL)]
SCORE_MESSAGE = "Kies een score van 1 tot en met 5, of 'weet ik niet'."


class AnswerFormBase(BaseForm):
    pass


def answer_form(questionnaire, formdata=None, data=None):
    """The scan form for one questionnaire version: a score (+ note) per statement, open questions."""

    class AnswerForm(AnswerFormBase):
        pass

    for item in questionnaire.items:
        if item.kind == OPEN:
            setattr(AnswerForm, f"o{item.id}",
                    TextAreaField(item.text, validators=[Optional(), max_length(3000)]))
        else:
            setattr(AnswerForm, f"s{item.id}", RadioField(
                item.text, choices=SCORE_CHOICES, validate_choice=False,
                validators=[Optional(), AnyOf([c for c, _ in SCORE_CHOICES], message=SCORE_MESSAGE)],
            ))
            setattr(AnswerForm, f"c{item.id}", StringField(
                "Toelichting (niet verplicht)", validators=[Optional(), max_length(500)]))
    return AnswerForm(formdata=formdata, data=data)


def aspect_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, label, _ in ASPECTS]
