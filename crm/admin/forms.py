"""Forms of the administration pages."""

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import NumberRange, ValidationError

from crm.audit import ACTION_LABELS
from crm.auth.services import password_problem
from crm.forms import DATE_FORMATS, BaseForm, chosen, email_address, max_length, optional, required
from crm.permissions import MAX_ID
from crm.roles import ROLE_CHOICES


class UserForm(BaseForm):
    name = StringField("Naam", validators=[required("de naam"), max_length(120)])
    email = EmailField(
        "E-mailadres", validators=[required("het e-mailadres"), email_address(), max_length(254)]
    )
    role = SelectField("Rol", choices=ROLE_CHOICES, validators=[chosen("een rol")])
    branch_id = SelectField("Vestiging", coerce=int, choices=[])
    password = PasswordField(
        "Wachtwoord",
        description="Minstens 12 tekens. Laat leeg om een wachtwoord te laten maken; "
        "je ziet het daarna één keer.",
        validators=[max_length(200)],
    )
    submit = SubmitField("Opslaan")

    def validate_password(self, field):
        if field.data:
            problem = password_problem(field.data, self.email.data)
            if problem:
                raise ValidationError(problem)


class UserEditForm(BaseForm):
    name = StringField("Naam", validators=[required("de naam"), max_length(120)])
    role = SelectField("Rol", choices=ROLE_CHOICES, validators=[chosen("een rol")])
    branch_id = SelectField("Vestiging", coerce=int, choices=[])
    submit = SubmitField("Opslaan")


class PasswordResetForm(BaseForm):
    password = PasswordField(
        "Nieuw wachtwoord",
        description="Minstens 12 tekens. Laat leeg om een wachtwoord te laten maken.",
        validators=[max_length(200)],
    )
    submit = SubmitField("Wachtwoord instellen")

    def validate_password(self, field):
        if field.data:
            problem = password_problem(field.data)
            if problem:
                raise ValidationError(problem)


class BranchForm(BaseForm):
    name = StringField("Naam van de vestiging", validators=[required("de naam"), max_length(120)])
    place = StringField("Plaats", validators=[max_length(120)])
    active = BooleanField("In gebruik", default=True)
    submit = SubmitField("Opslaan")


class ChoiceForm(BaseForm):
    label = StringField("Naam", validators=[required("de naam"), max_length(120)])
    submit = SubmitField("Toevoegen")


class ChoiceRenameForm(BaseForm):
    label = StringField(
        "Nieuwe naam", validators=[required("de naam"), max_length(120)],
        description="Wat al met deze optie is vastgelegd, krijgt ook de nieuwe naam en telt "
        "gewoon mee in de cijfers.",
    )
    submit = SubmitField("Naam opslaan")


#: The two move buttons of a list option: the value of the button that was pressed.
MOVES = {"up": -1, "down": 1}


class ChoiceMoveForm(BaseForm):
    direction = RadioField("Verplaatsen", choices=[("up", "Omhoog"), ("down", "Omlaag")],
                           validators=[chosen("omhoog of omlaag")])


class EmptyForm(BaseForm):
    """For buttons that only post (enable, disable, delete): carries the CSRF token."""

    submit = SubmitField("Bevestigen")


class LogFilterForm(BaseForm):
    """The filters above the logboek (a GET form); the view fills the choices of ``wie``
    and ``gegeven``."""

    wie = SelectField("Wie", choices=[], default="")
    actie = SelectField("Wat", choices=[("", "Alles"), *ACTION_LABELS.items()], default="")
    gegeven = SelectField("Soort gegeven", choices=[], default="")
    nummer = IntegerField(
        "Nummer", validators=[optional(), NumberRange(1, MAX_ID, "Vul een nummer in, zoals 12.")],
        render_kw={"class": "input-short", "inputmode": "numeric"},
    )
    van = DateField("Van", format=DATE_FORMATS, validators=[optional()])
    tot = DateField("Tot en met", format=DATE_FORMATS, validators=[optional()])

    def validate_nummer(self, field):
        if field.data is not None and not self.gegeven.data:
            raise ValidationError("Kies bij een nummer ook de soort gegeven.")

    def validate_tot(self, field):
        if field.data and self.van.data and field.data < self.van.data:
            raise ValidationError("Deze datum ligt vóór de datum bij Van. Kies een latere datum.")
