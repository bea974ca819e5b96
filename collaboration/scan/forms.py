"""Forms of the samenwerkingsscan (validation only)."""

from __future__ import annotations

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
from wtforms.validators import AnyOf, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from collaboration.forms import DateMessages
from collaboration.scan.invitations import FORM_INCOMPLETE, new_nonce, valid_nonce
from collaboration.scan.models import ASPECTS, DONT_KNOW_LABEL, OPEN, SCORE_LABELS
from crm.forms import DATE_FORMATS, BaseForm, VersionedForm, email_address, max_length, required


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RoundForm(DateMessages, VersionedForm):
    # WTForms lists fields in the order they were made, and the error summary follows that
    # list; so they are made in page order. A new round's partner list sits between the
    # purpose and the dates, so it is made here; the "_" keeps it out of this form, and
    # NewRoundForm takes it as its field.
    title = StringField("Titel", validators=[required("een titel"), max_length(200)],
                        description="Bijvoorbeeld: Samenwerkingsscan netwerk 0–4 jaar, najaar 2026.")
    purpose = TextAreaField(
        "Waarom vragen we dit?", validators=[Optional(), max_length(2000)],
        description="Dit lezen de partners boven de vragenlijst. Zeg kort waarom hun mening telt.",
    )
    _partner_ids = MultiCheckboxField(
        "Partners in deze samenwerking", coerce=int,
        description="De bibliotheek doet zelf altijd mee als partij.",
    )
    opens_on = DateField("Open vanaf", validators=[required("de openingsdatum")],
                         format=list(DATE_FORMATS))
    closes_on = DateField("Sluit na", validators=[required("de sluitingsdatum")],
                          format=list(DATE_FORMATS),
                          description="Tot en met deze dag kunnen partijen antwoorden. "
                                      "De links verlopen daarna.")
    partners_may_see_results = BooleanField("Partners mogen na het delen de gezamenlijke uitkomsten zien",
                                            default=True)
    submit = SubmitField("Opslaan")


class NewRoundForm(RoundForm):
    partner_ids = RoundForm._partner_ids
    submit = SubmitField("Ronde aanmaken")

    def validate_partner_ids(self, field):
        if not field.data:
            raise ValidationError("Kies minstens één partner.")


def _optional_id(value) -> int | None:
    """A chosen id, or None for "no choice" (and for anything that is not a number)."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not in the choices: refused with a Dutch message


class OutcomeForm(RoundForm):
    outcome = TextAreaField(
        "Uitkomst van het gesprek", validators=[Optional(), max_length(5000)],
        description="Welke verbeteringen spraken jullie af? Is er een nieuwe ambitie?",
    )
    agreement_id = SelectField(
        "Samenwerkingsafspraak", coerce=_optional_id, validate_choice=False,
        description="Niet verplicht. De samenwerkingsafspraak waar deze uitkomst bij hoort.",
    )

    confirm_close = BooleanField("Ja, sluit de ronde nu")

    def validate_agreement_id(self, field):
        if field.data is not None and field.data not in [value for value, _ in field.choices]:
            raise ValidationError("Kies een samenwerkingsafspraak uit de lijst.")


class NonceMixin:
    """One-time value of a form that makes or renews a link: posting it twice (a reload)
    shows the same link instead of making another one (``services.token_from_nonce``)."""

    nonce = HiddenField()

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if valid_nonce(self.nonce.data):
            return ok
        # An old page or a hand-made post: say so above the form (a hidden field has no
        # place to show its error) and give the form a new value for the next try.
        self.form_errors.append(FORM_INCOMPLETE)
        self.nonce.raw_data, self.nonce.data = None, new_nonce()
        return False


class InviteForm(NonceMixin, BaseForm):
    party_id = SelectField("Partij", coerce=int, validate_choice=False)
    person_name = StringField("Naam van de persoon", validators=[required("de naam"), max_length(200)])
    email = StringField("E-mailadres", validators=[Optional(), email_address(), max_length(254)],
                        description="Niet verplicht. Alleen nodig om een e-mail klaar te zetten.")
    submit = SubmitField("Uitnodiging maken")

    def validate_party_id(self, field):
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
    """The scan form for one questionnaire version: a score (+ note) per statement, open questions.

    Fields are made in page order (aspect by aspect, then the open questions), so the error
    summary lists them in that order; statements are numbered so a note's error names its
    statement."""

    class AnswerForm(AnswerFormBase):
        pass

    number = 0
    for item in questionnaire.items_in_page_order:
        if item.kind == OPEN:
            setattr(AnswerForm, f"o{item.id}",
                    TextAreaField(item.text, validators=[Optional(), max_length(3000)]))
        else:
            number += 1
            setattr(AnswerForm, f"s{item.id}", RadioField(
                f"{number}. {item.text}", choices=SCORE_CHOICES, validate_choice=False,
                validators=[Optional(), AnyOf([c for c, _ in SCORE_CHOICES], message=SCORE_MESSAGE)],
            ))
            setattr(AnswerForm, f"c{item.id}", StringField(
                f"Toelichting bij stelling {number} (niet verplicht)",
                validators=[Optional(), max_length(500)]))
    return AnswerForm(formdata=formdata, data=data)


def aspect_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, label, _ in ASPECTS]
