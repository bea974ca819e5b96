"""Login and password forms."""

from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import EqualTo

from crm.auth.services import MIN_PASSWORD_LENGTH
from crm.forms import BaseForm, email_address, max_length, required


class LoginForm(BaseForm):
    email = EmailField("E-mailadres", validators=[required("je e-mailadres"), max_length(254)])
    password = PasswordField("Wachtwoord", validators=[required("je wachtwoord"), max_length(200)])
    submit = SubmitField("Inloggen")

    def validate_email(self, field):
        email_address()(self, field)


class PasswordChangeForm(BaseForm):
    current = PasswordField("Je huidige wachtwoord", validators=[required("je huidige wachtwoord"),
                                                                 max_length(200)])
    new = PasswordField("Nieuw wachtwoord", validators=[required("een nieuw wachtwoord"), max_length(200)],
                        description=f"Minstens {MIN_PASSWORD_LENGTH} tekens. Een zin van een paar woorden "
                                    "is goed te onthouden.")
    repeat = PasswordField("Nieuw wachtwoord nog een keer", validators=[
        required("het nieuwe wachtwoord nog een keer"),
        EqualTo("new", message="De twee nieuwe wachtwoorden zijn niet gelijk. Typ ze opnieuw.")])
    submit = SubmitField("Wachtwoord wijzigen")
