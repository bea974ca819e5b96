"""Pages of the aanhaakkalender: year view, timeline by age, print, edit, iCalendar feed."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from collaboration import calendar as cal
from collaboration.blueprint import bp, get_or_404, partner_filter
from collaboration.forms import EmptyForm, MomentForm
from collaboration.models import HookMoment
from collaboration.services import CollaborationError, check_version, partner_choices
from crm.admin.services import choice_label, choices
from crm.auth.models import User
from crm.auth.services import current_account
from crm.charts import svg_response
from crm.db import db
from crm.network.models import Partner
from crm.permissions import all_staff, current_role, public, staff_only
from crm.roles import STAFF
from crm.web import local_today, render_form, save_form


def _moment(moment_id: int) -> HookMoment:
    return get_or_404(HookMoment, moment_id)


def _filter_context() -> dict:
    partner_id = partner_filter(request.args.get("partner"))
    partner = db.session.get(Partner, partner_id) if partner_id else None  # partner_filter bounds it
    return {"partner_id": partner.id if partner else None, "partner": partner,
            "partners": partner_choices(), "can_edit": current_role() in STAFF,
            "kind_label": lambda code: choice_label("partner_kinds", code)}


def _first_month() -> tuple[date, int | None]:
    try:
        year = int(request.args.get("jaar", ""))
    except ValueError:
        year = None
    if year is not None and 2000 <= year <= 2100:
        return date(year, 1, 1), year
    today = local_today()
    return date(today.year, today.month, 1), None


@bp.route("/aanhaakkalender")
@all_staff
def calendar_year():
    context = _filter_context()
    first, year = _first_month()
    months = cal.months_view(first, 12, context["partner_id"])
    return render_template("collaboration/calendar_year.html", months=months, year=year,
                           empty=cal.is_empty(), form=EmptyForm(), **context)


@bp.route("/aanhaakkalender/tijdlijn")
@all_staff
def calendar_timeline():
    context = _filter_context()
    moments = cal.life_stage_moments(context["partner_id"])
    return render_template("collaboration/calendar_timeline.html", moments=moments,
                           empty=cal.is_empty(), form=EmptyForm(), **context)


@bp.route("/aanhaakkalender/tijdlijn.svg")
@all_staff
def calendar_timeline_svg():
    moments = cal.life_stage_moments(partner_filter(request.args.get("partner")))
    return svg_response(cal.timeline_svg(moments))


@bp.route("/aanhaakkalender/afdrukken")
@all_staff
def calendar_print():
    context = _filter_context()
    return render_template("collaboration/calendar_print.html",
                           life_stage=cal.life_stage_moments(context["partner_id"]),
                           year_moments=cal.year_moments(context["partner_id"]), **context)


@bp.route("/aanhaakkalender/<int:moment_id>")
@all_staff
def moment_detail(moment_id: int):
    moment = _moment(moment_id)
    return render_template("collaboration/moment_detail.html", moment=moment,
                           can_edit=current_role() in STAFF,
                           kind_label=lambda code: choice_label("partner_kinds", code),
                           form=EmptyForm())


def _moment_form(moment: HookMoment | None) -> MomentForm:
    form = MomentForm(obj=moment if request.method == "GET" else None)
    staff = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
    form.owner_id.choices = [(0, "Nog niemand")] + [(u.id, u.name) for u in staff]
    kinds = choices("partner_kinds")
    if moment is not None:  # keep a kind that was switched off meanwhile
        known = {c for c, _ in kinds}
        kinds += [(c, choice_label("partner_kinds", c)) for c in moment.partner_kinds or [] if c not in known]
    form.partner_kinds.choices = kinds
    form.partner_ids.choices = partner_choices()
    if request.method == "GET":
        if moment is None:
            form.kind.data = request.args.get("soort") if request.args.get("soort") in (
                "levensfase", "jaarmoment") else "levensfase"
            form.phase.data = HookMoment.default_phase.value
        else:
            form.owner_id.data = moment.owner_id or 0
            form.partner_ids.data = [p.id for p in moment.partners]
            form.partner_kinds.data = list(moment.partner_kinds or [])
    return form


def _moment_input(form: MomentForm) -> cal.MomentInput:
    return cal.MomentInput(
        kind=form.kind.data, title=form.title.data, age_months=form.age_months.data,
        start_date=form.start_date.data, end_date=form.end_date.data,
        description=form.description.data, message=form.message.data, action=form.action.data,
        action_date=form.action_date.data, owner_id=form.owner_id.data or None,
        partner_kinds=form.partner_kinds.data or [], partner_ids=form.partner_ids.data or [],
        materials=form.materials.data, phase=form.phase.data,
    )


@bp.route("/aanhaakkalender/nieuw", methods=["GET", "POST"])
@staff_only
def moment_new():
    form = _moment_form(None)
    if form.validate_on_submit():
        moment, ok = save_form(form, lambda: cal.save_moment(None, _moment_input(form)))
        if ok:
            flash(f"‘{moment.title}’ staat in de aanhaakkalender.", "success")
            return redirect(url_for("collaboration.moment_detail", moment_id=moment.id))
    return render_form("collaboration/moment_form.html", form, moment=None)


@bp.route("/aanhaakkalender/<int:moment_id>/bewerken", methods=["GET", "POST"])
@staff_only
def moment_edit(moment_id: int):
    moment = _moment(moment_id)
    form = _moment_form(moment)
    if form.validate_on_submit():
        def save():
            check_version(moment, form.version.data)
            return cal.save_moment(moment, _moment_input(form))

        _, ok = save_form(form, save)
        if ok:
            flash("De wijzigingen zijn opgeslagen.", "success")
            return redirect(url_for("collaboration.moment_detail", moment_id=moment.id))
    return render_form("collaboration/moment_form.html", form, moment=moment)


@bp.route("/aanhaakkalender/standaard-laden", methods=["POST"])
@staff_only
def calendar_load_defaults():
    try:
        count = cal.load_default_calendar()
    except CollaborationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"De standaardkalender is geladen: {count} momenten. Pas ze aan aan jullie eigen "
              "situatie en verwijder wat niet past.", "success")
    return redirect(url_for("collaboration.calendar_year"))


# -- subscription ------------------------------------------------------------------------------
@bp.route("/aanhaakkalender/abonneren")
@all_staff
def calendar_subscription():
    return render_template("collaboration/calendar_subscription.html",
                           feed=cal.active_feed(current_account()), feed_url=None, form=EmptyForm())


@bp.route("/aanhaakkalender/abonneren/nieuw", methods=["POST"])
@all_staff
def calendar_feed_create():
    account = current_account()
    token = cal.create_feed(account)
    db.session.commit()
    feed_url = url_for("collaboration.calendar_feed", feed_token=token, _external=True)
    return render_template("collaboration/calendar_subscription.html", feed=cal.active_feed(account),
                           feed_url=feed_url, form=EmptyForm())


@bp.route("/aanhaakkalender/abonneren/intrekken", methods=["POST"])
@all_staff
def calendar_feed_revoke():
    if cal.revoke_feed(current_account()):
        db.session.commit()
        flash("Je agenda-koppeling is ingetrokken. De oude link werkt niet meer.", "success")
    return redirect(url_for("collaboration.calendar_subscription"))


@bp.route("/aanhaakkalender/feed/<feed_token>.ics")
@public
def calendar_feed(feed_token: str):
    """Public route for calendar apps; the secret in the URL is the only key (404 otherwise)."""
    if cal.user_for_feed(feed_token) is None:
        abort(404)
    response = Response(cal.build_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="aanhaakkalender.ics"'
    return response


# Registered last so that walking the routes in order deletes nothing still needed.
@bp.route("/aanhaakkalender/<int:moment_id>/verwijderen", methods=["POST"])
@staff_only
def moment_delete(moment_id: int):
    moment = _moment(moment_id)
    title = moment.title
    cal.delete_moment(moment)
    db.session.commit()
    flash(f"‘{title}’ is uit de aanhaakkalender verwijderd.", "success")
    return redirect(url_for("collaboration.calendar_year"))

