"""Forms of the Samenwerken instruments (validation only; services store)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from collaboration.models import (
    CRITERION_GROUPS,
    DECISIONS,
    DOCUMENT_KINDS,
    MAX_AGE_MONTHS,
    MIN_AGE_MONTHS,
    MOMENT_KINDS,
)
from crm.forms import DATE_FORMATS, BaseForm, ConfirmForm, VersionedForm, chosen, max_length, required
from crm.guide import PHASE_CHOICES

DATE_MESSAGE = "Vul een geldige datum in, zoals 25-11-2026."


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice (rendered as a fieldset by the field macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        values = self.data or []
        allowed = {str(c[0]) for c in self.iter_choices()} if self.choices else set()
        allowed |= {c for c, *_ in (self.choices or [])}
        if any(v not in allowed and str(v) not in allowed for v in values):
            raise ValidationError("Kies alleen uit de lijst.")


def date_field(label: str, *validators, description: str = ""):
    # Shown with the short_field macro (templates/collaboration/_fields.html).
    return DateField(label, validators=list(validators) or [Optional()], description=description,
                     format=list(DATE_FORMATS))


class WholeNumberField(IntegerField):
    """A whole number with its own message for text that is not one. The minus sign of the
    hints (−, as in −9) counts as a minus, so copying the hint works."""

    def __init__(self, label=None, validators=None, not_a_number="Vul een heel getal in.", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.not_a_number = not_a_number

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].replace("\u2212", "-").strip(), *valuelist[1:]]
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(self.not_a_number) from exc


SCORE_MESSAGE = "Vul een cijfer van 1 tot en met 5 in."


def _drop_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class DateMessages:
    """Shared by the forms: NUL characters are dropped from text (PostgreSQL refuses them)
    and WTForms' own date error is replaced by a Dutch one."""

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        filters = {name: [_drop_nul] for name in self._fields}
        for name, extra in (extra_filters or {}).items():
            filters[name] = [*filters.get(name, []), *extra]
        super().process(formdata, obj, data=data, extra_filters=filters, **kwargs)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for f in self:
            if isinstance(f, DateField) and f.errors and f.raw_data and f.raw_data[0] and f.data is None:
                f.errors = [DATE_MESSAGE]
        return ok


class EmptyForm(BaseForm):
    """A form with only the CSRF token (one-button posts)."""


class MomentForm(DateMessages, VersionedForm):
    kind = RadioField("Soort moment", choices=MOMENT_KINDS, validators=[chosen("het soort moment")])
    title = StringField("Titel", validators=[required("de titel"), max_length(200)])
    age_months = WholeNumberField(
        "Leeftijd van het kind in maanden",
        not_a_number="Vul de leeftijd in als aantal maanden, zoals 45, of −9 voor het begin van de "
                     "zwangerschap.",
        description="Alleen bij een moment in het leven van het kind: −9 (begin zwangerschap) "
                    "tot 96 (8 jaar). Bijvoorbeeld 0 voor de geboorte, 45 voor 3 jaar en 9 maanden.",
        validators=[Optional(), NumberRange(MIN_AGE_MONTHS, MAX_AGE_MONTHS,
                                            message="Kies een leeftijd van −9 tot en met 96 maanden.")],
    )
    start_date = date_field("Begindatum", description="Alleen bij een moment in het jaar.")
    end_date = date_field("Einddatum", description="Leeg laten als het moment één dag duurt.")
    description = TextAreaField("Beschrijving", validators=[max_length(4000)])
    message = TextAreaField("Boodschap over (voor)lezen", validators=[max_length(4000)],
                            description="Wat willen we ouders op dit moment vertellen?")
    action = TextAreaField("Actie", validators=[max_length(4000)],
                           description="Wat doet de bibliotheek (met de partner)?")
    action_date = date_field("Datum van de actie",
                             description="Komt in de jaarweergave en in de agenda-koppeling.")
    owner_id = SelectField("Wie in de bibliotheek is eigenaar?", coerce=int, choices=[])
    partner_kinds = MultiCheckboxField("Soorten partners", choices=[])
    partner_ids = MultiCheckboxField("Partners", coerce=int, choices=[])
    materials = TextAreaField("Materialen", validators=[max_length(2000)],
                              description="Bijvoorbeeld het BoekStart-koffertje of een folder.")
    phase = SelectField("Fase in de Wegwijzer", choices=PHASE_CHOICES)
    submit = SubmitField("Opslaan")

    def validate_age_months(self, field):
        if self.kind.data == "levensfase" and field.data is None and not field.errors:
            raise ValidationError("Vul de leeftijd van het kind in maanden in.")

    def validate_start_date(self, field):
        if self.kind.data == "jaarmoment" and field.data is None and not field.errors:
            raise ValidationError("Vul de begindatum in.")

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("De einddatum moet op of na de begindatum liggen.")


class CriterionForm(DateMessages, BaseForm):
    group = SelectField("Groep", choices=CRITERION_GROUPS, validators=[chosen("een groep")])
    label = StringField("Criterium", validators=[required("het criterium"), max_length(300)])
    active = BooleanField("In gebruik", default=True)
    submit = SubmitField("Opslaan")


class AssessmentBaseForm(DateMessages, VersionedForm):
    partner_id = SelectField("Partner", coerce=int, choices=[], validators=[chosen("een partner")])
    decision = RadioField("Besluit", choices=DECISIONS, validators=[chosen("een besluit")])
    rationale = TextAreaField("Onderbouwing", validators=[required("de onderbouwing"), max_length(4000)],
                              description="Waarom gaan jullie de samenwerking wel, niet of later aan?")
    decided_on = date_field("Datum van het besluit", required("de datum van het besluit"))
    decided_by = StringField("Wie besliste?", validators=[
        DataRequired(message="Vul in wie het besluit nam."), max_length(200)])
    review_on = date_field("Opnieuw bekijken op", description="Bijvoorbeeld bij ‘later heroverwegen’.")
    apply_status = BooleanField("Zet de status van de partner volgens het besluit")
    phase = SelectField("Fase in de Wegwijzer", choices=PHASE_CHOICES)
    submit = SubmitField("Opslaan")

    def validate_partner_id(self, field):
        if not field.data:
            raise ValidationError("Kies een partner.")

    def validate_review_on(self, field):
        if field.data and self.decided_on.data and field.data < self.decided_on.data:
            raise ValidationError("Kies een datum op of na de datum van het besluit.")


def assessment_form_class(lines):
    """An assessment form with a score (1–5) and a note field for every criterion line."""

    class AssessmentForm(AssessmentBaseForm):
        pass

    for line in lines:
        setattr(AssessmentForm, f"score_{line.key}", WholeNumberField(
            f"Score: {line.label}", not_a_number=SCORE_MESSAGE,
            validators=[Optional(), NumberRange(1, 5, message=SCORE_MESSAGE)],
            render_kw={"min": 1, "max": 5, "inputmode": "numeric"},
        ))
        setattr(AssessmentForm, f"note_{line.key}", StringField(
            f"Toelichting: {line.label}", validators=[max_length(1000)]))
    return AssessmentForm


class AnalysisForm(DateMessages, VersionedForm):
    partner_id = SelectField("Partner", coerce=int, choices=[], validators=[chosen("een partner")])
    made_on = date_field("Datum", required("de datum"))
    interests = TextAreaField("Belangen van de partner", validators=[max_length(4000)])
    added_value = TextAreaField("Toegevoegde waarde voor de gezinsaanpak", validators=[max_length(4000)])
    strengths = TextAreaField("Krachten van de partner", validators=[max_length(4000)])
    needs_from_library = TextAreaField("Wat heeft de partner nodig van de bibliotheek?",
                                       validators=[max_length(4000)])
    library_needs = TextAreaField("Wat heeft de bibliotheek nodig van de partner?",
                                  validators=[max_length(4000)])
    phase = SelectField("Fase in de Wegwijzer", choices=PHASE_CHOICES)
    submit = SubmitField("Opslaan")

    def validate_partner_id(self, field):
        if not field.data:
            raise ValidationError("Kies een partner.")


class AgreementForm(DateMessages, VersionedForm):
    title = StringField("Naam van de samenwerking", validators=[required("de naam"), max_length(200)],
                        description="Bijvoorbeeld ‘Netwerk BoekStart Rivierstad’.")
    partner_ids = MultiCheckboxField("Partners", coerce=int, choices=[],
                                     description="Eén partner, of alle partners van een netwerk.")
    ambition = TextAreaField("Gezamenlijke ambitie", validators=[required("de gezamenlijke ambitie"),
                                                                  max_length(4000)],
                             description="De stip op de horizon waarin alle partijen zich herkennen.")
    who_decides = TextAreaField("Wie bepaalt wat?", validators=[max_length(4000)])
    who_does_what = TextAreaField("Wie doet wat?", validators=[max_length(4000)])
    who_takes_part = TextAreaField("Wie doet er mee?", validators=[max_length(4000)])
    expectations = TextAreaField("Wat zijn ieders verwachtingen?", validators=[max_length(4000)])
    meeting_frequency = StringField("Hoe vaak overleggen we?", validators=[max_length(200)])
    meeting_attendees = TextAreaField("Wie zijn er bij het overleg?", validators=[max_length(4000)])
    process_moments = TextAreaField("Wanneer bespreken we naast de inhoud ook het proces?",
                                    validators=[max_length(4000)])
    referral_agreements = TextAreaField("Afspraken over doorverwijzen",
                                        description="Wie verwijst naar wie, en hoe?",
                                        validators=[max_length(4000)])
    goals = TextAreaField("Doelen waarmee we het resultaat toetsen", validators=[max_length(4000)])
    document_kind = SelectField("Vastgelegd in", choices=DOCUMENT_KINDS)
    document_date = date_field("Datum van ondertekening")
    reflection_on = date_field("Datum om samen te reflecteren",
                               description="Op de startpagina verschijnt een herinnering.")
    phase = SelectField("Fase in de Wegwijzer", choices=PHASE_CHOICES)
    submit = SubmitField("Opslaan")

    def validate_partner_ids(self, field):
        if not field.data:
            raise ValidationError("Kies ten minste één partner.")

    def validate_document_date(self, field):
        if self.document_kind.data and field.data is None and not field.errors:
            raise ValidationError("Vul de datum van het document in.")


class DeleteForm(ConfirmForm):
    """The confirmation step of a delete ("Ja, verwijderen")."""


class RoundDeleteForm(DeleteForm):
    with_answers = BooleanField("Ja, verwijder ook alle antwoorden van deze ronde")
