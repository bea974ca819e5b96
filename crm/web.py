"""Small helpers for views: saving a form, safe redirects, form errors, pagination, Dutch dates."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy.orm.exc import StaleDataError

from crm.db import as_utc, db
from crm.errors import STALE_MESSAGE, RuleError
from crm.forms import DATE_FORMATS

MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)
#: The usual Dutch abbreviations: maart is 'mrt', not 'maa'.
MONTHS_SHORT_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def is_local_path(target: str | None) -> bool:
    """Only same-site paths (``/x``), never ``//host`` or ``https://host``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def redirect_next(default_endpoint: str, **values):
    target = request.args.get("next") or request.form.get("next")
    if is_local_path(target):
        return redirect(target)
    return redirect(url_for(default_endpoint, **values))


def render_form(template: str, form, **context):
    """Render a page with a form; 422 when the form was posted and is invalid."""
    status = 422 if request.method == "POST" and form.errors else 200
    return render_template(template, form=form, **context), status


def already_saved_handler(record_pages: dict):
    """An error handler for ``crm.errors.AlreadySaved`` on a blueprint: nothing new is kept
    and the user sees the record the first request stored. ``record_pages``: model class
    name → function(record) → its URL."""

    def already_saved(error):
        from crm.errors import ALREADY_SAVED

        url = record_pages[type(error.record).__name__](error.record)
        db.session.rollback()
        flash(ALREADY_SAVED, "info")
        return redirect(url)

    return already_saved


# -- the confirmation step of a delete (every package) ------------------------------------
#: The value the "Ja, verwijderen" button of a confirmation page sends.
CONFIRM_VALUE = "ja"


def confirmed(form) -> bool:
    """True for the POST of a confirmation page's "Ja, verwijderen" button. A POST without it
    (an old page, a script) deletes nothing and shows the confirmation page again."""
    return request.method == "POST" and form.validate_on_submit() and form.confirm.data == CONFIRM_VALUE


def confirm_page(template: str, form, *, title: str, intro: str, back: str, goes=(), links=(),
                 links_intro: str = "", extra_field=None, extra_hint: str | None = None,
                 edit: str | None = None, blocked: str | None = None, warning: str | None = None):
    """The confirmation page of a delete, without JavaScript (``templates/crm/_confirm_delete.html``
    inside the package's ``template``): what goes, which other records are touched (``links``:
    (label, url)), a tick that must be set for what goes along (``extra_field``), a way back,
    and ``blocked``: why it cannot go now (then there is no button)."""
    return render_form(template, form, title=title, intro=intro, back=back, goes=list(goes),
                       links=list(links), links_intro=links_intro, extra_field=extra_field,
                       extra_hint=extra_hint, edit=edit, blocked=blocked, warning=warning,
                       confirm_value=CONFIRM_VALUE)


def add_form_error(form, field: str | None, message: str) -> None:
    """Attach a service's message to a field (or to the form as a whole)."""
    target = getattr(form, field, None) if field else None
    if target is not None:
        target.errors = [*target.errors, message]  # errors may be a tuple before validation
    else:
        form.form_errors.append(message)


def save_form(form, action):
    """Run ``action`` (a service call) and commit once; returns ``(result, True)``.

    When the service refuses (``crm.errors.RuleError``, also a stale version), or the
    database finds the record was saved by someone else meanwhile, nothing is kept: the
    session is rolled back, the Dutch message is put next to its form field, and the
    result is ``(None, False)`` so the view shows the form again.
    """
    try:
        result = action()
        db.session.commit()
    except RuleError as exc:
        db.session.rollback()
        add_form_error(form, exc.field, str(exc))
    except StaleDataError:
        db.session.rollback()
        add_form_error(form, None, STALE_MESSAGE)
    else:
        return result, True
    return None, False


def file_response(data: bytes, mimetype: str, filename: str, inline: bool = False) -> Response:
    """A stored file (upload) served safely: never sniffed, never run as a page, and a
    download unless ``inline``. ``filename`` must be made by the server, not by the user."""
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{filename}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    })


def local_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("CRM_TIMEZONE", "Europe/Amsterdam"))


def local_today() -> date:
    """Today in the library's time zone (the server's clock may run on UTC: at 00:30 in
    Amsterdam it is still yesterday there). Use it instead of ``date.today()``."""
    return datetime.now(local_tz()).date()


def nl_date(value: date | datetime | None) -> str:
    """``25 november 2026``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = as_utc(value).astimezone(local_tz())
    return f"{value.day} {MONTHS_NL[value.month - 1]} {value.year}"


def nl_datetime(value: datetime | None) -> str:
    """``25 november 2026, 14:05`` in Europe/Amsterdam."""
    if value is None:
        return ""
    local = as_utc(value).astimezone(local_tz())
    return f"{nl_date(local)}, {local:%H:%M}"


def nl_time(value: datetime | None) -> str:
    """``14:05`` in the library's time zone, for lists of one day."""
    if value is None:
        return ""
    return f"{as_utc(value).astimezone(local_tz()):%H:%M}"


def nl_count(n: int, one: str, many: str) -> str:
    """``{{ 2|nl_count('koppeling', 'koppelingen') }}`` → "2 koppelingen": no "koppeling(en)"."""
    return f"{n} {one if n == 1 else many}"


def nl_month(year: int, month: int) -> str:
    return f"{MONTHS_NL[month - 1]} {year}"


#: No list has this many pages; a longer number is a typing error (and too big for the database).
MAX_PAGE = 100_000


def page_number() -> int:
    try:
        return min(max(1, int(request.args.get("pagina", 1))), MAX_PAGE)
    except ValueError:
        return 1


def parse_date(text: str | None) -> date | None:
    """A date from an address: ``2026-12-03`` (what a date field sends) or ``3-12-2026``."""
    text = (text or "").strip()
    for pattern in DATE_FORMATS:
        try:
            value = datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
        return value if 1900 <= value.year <= 2100 else None
    return None
