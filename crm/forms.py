"""Form base class and small validators with plain Dutch messages."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from wtforms import DateField, FieldList, FormField, HiddenField, StringField, TextAreaField
from wtforms.i18n import get_translations
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError


def clean_text(value):
    """Remove NUL and other control characters (not tabs/newlines) and outer white space.

    A line break is one "\n": browsers send it as "\r\n" but count it as one character
    in ``maxlength``, so the server must count it as one too."""
    if isinstance(value, str):
        value = CONTROL_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return value


def single_line(value):
    """A one-line field (a name, a title) never holds a line break: a browser cannot type
    one, but a script can, and a title also becomes a mail subject."""
    if isinstance(value, str) and "\n" in value:
        value = LINE_BREAK_RE.sub(" ", value)
    return value


CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAK_RE = re.compile(r"\s*\n\s*")


#: WTForms' Dutch messages that are too terse for a visitor at the desk, said plainly.
PLAIN_MESSAGES = {
    "Not a valid choice.": "Kies een optie uit de lijst.",
    "Invalid Choice: could not coerce.": "Kies een optie uit de lijst.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Kies opties uit de lijst.",
    "Not a valid date value.": "Vul een geldige datum in, zoals 3-12-2026.",
    "Not a valid time value.": "Vul een geldige tijd in, zoals 14:30.",
    "Not a valid integer value.": "Vul een heel getal in, zoals 12.",
    "Not a valid decimal value.": "Vul een getal in, zoals 12,5.",
    "Not a valid float value.": "Vul een getal in, zoals 12,5.",
}
#: What a date field takes: what a date picker sends (2026-11-25), or typed as 25-11-2026 where
#: the browser shows a plain text box.
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]  # a list: WTForms takes one format or a list
#: Dates outside these years are typing errors (0001, 9999), never a real moment.
FIRST_YEAR, LAST_YEAR = 1900, 2100


class _PlainDutch:
    """WTForms' own Dutch translations, with ``PLAIN_MESSAGES`` instead of the terse ones."""

    def __init__(self, translations):
        self._translations = translations

    def gettext(self, string):
        return PLAIN_MESSAGES.get(string) or self._translations.gettext(string)

    def ngettext(self, singular, plural, n):
        if singular.endswith("is not a valid choice for this field."):
            return "Kies een optie uit de lijst."
        return self._translations.ngettext(singular, plural, n)


@cache
def dutch_translations():
    """The form messages, looked up on disk once per process, not once per form."""
    return _PlainDutch(get_translations(BaseForm.Meta.locales))


def _date_fields(form):
    """Every date field of a form, also those in its lists of rows (FieldList, FormField)."""
    for field in form:
        if isinstance(field, DateField):
            yield field
        elif isinstance(field, FieldList):
            yield from _date_fields(field.entries)  # rows: FormFields, or plain fields
        elif isinstance(field, FormField):
            yield from _date_fields(field.form)


class BaseForm(FlaskForm):
    """Every form of the plugin: Dutch messages from WTForms' own translations, and text
    cleaned of control characters (PostgreSQL refuses NUL) and outer spaces.

    The CSRF token is checked once per POST, for every route of the plugin, by the policy
    check in ``crm.permissions``; the form does not check it again, but ``hidden_tag()``
    still writes it into the page.
    """

    class Meta:
        csrf = False
        locales = ["nl_NL", "nl"]

        def get_translations(self, form):
            # Flask-WTF only translates through Flask-Babel; use WTForms' own Dutch messages.
            return dutch_translations()

        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, FieldList | FormField):
                return unbound_field.bind(form=form, **options)  # these take no filters
            filters = list(unbound_field.kwargs.get("filters", []))
            if clean_text not in filters:
                filters.append(clean_text)
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, TextAreaField) \
                    and single_line not in filters:
                filters.append(single_line)
            return unbound_field.bind(form=form, filters=filters, **options)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for field in _date_fields(self):
            if isinstance(field.data, date) and not field.errors \
                    and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
                field.errors = [*field.errors, f"Deze datum klopt niet. Kies een datum tussen "
                                f"{FIRST_YEAR} en {LAST_YEAR}."]
                ok = False
        return ok

    def hidden_tag(self, *fields):
        token = Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="{}">')
        return super().hidden_tag(*fields) + token.format(generate_csrf())


class ConfirmForm(BaseForm):
    """The second step of a change that needs a "yes" first, or of a delete: the button sends
    ``confirm`` (``crm.web.confirmed``). A package adds the ticks for what goes along."""

    confirm = StringField()  # sent by the button; not rendered as a field


class VersionedForm(BaseForm):
    """A form for a record with optimistic locking: it carries the version it was shown with."""

    version = HiddenField()


def required(what: str):
    """A required field: 'Vul de naam in.'"""
    return DataRequired(message=f"Vul {what} in.")


def chosen(what: str):
    return InputRequired(message=f"Kies {what}.")


def max_length(n: int):
    return Length(max=n, message=f"Gebruik hoogstens {n} tekens.")


def email_address():
    return Email(message="Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.",
                 check_deliverability=False)


PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{8,20}$")


def phone_number(_form, field) -> None:
    """A Dutch or international phone number: digits, spaces, dashes, brackets, optional +."""
    if field.data and (not PHONE_RE.match(field.data) or sum(c.isdigit() for c in field.data) < 8):
        raise ValidationError("Vul een geldig telefoonnummer in, zoals 010 123 45 67.")


optional = Optional
