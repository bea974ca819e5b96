"""Login and password forms."""

from wtforms import EmailField, PasswordField, SubmitField

from crm.forms import BaseForm, email_address, max_length, required


class LoginForm(BaseForm):
    email = EmailField("E-mailadres", validators=[required("je e-mailadres"), max_length(254)])
    password = PasswordField("Wachtwoord", validators=[required("je wachtwoord"), max_length(200)])
    submit = SubmitField("Inloggen")

    def validate_email(self, field):
        email_address()(self, field)
