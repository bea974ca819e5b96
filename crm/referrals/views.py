"""Pages of the referral log: register, today's own list, correct/delete, statistics, exports."""

from __future__ import annotations

import secrets

from flask import abort, flash, jsonify, redirect, render_template, request, url_for

from crm import roles
from crm.admin.services import branch_choices, choices, get_setting
from crm.audit import record_event
from crm.auth.services import current_account
from crm.blueprint import bp
from crm.charts import svg_response
from crm.db import db
from crm.permissions import admin_only, allow, current_role, require, staff_only
from crm.referrals import services
from crm.referrals.forms import ReferralEditForm, ReferralForm, StatsFilterForm
from crm.referrals.models import Referral
from crm.referrals.stats import (
    CHARTS,
    RETENTION_KEY,
    StatsFilter,
    add_months,
    change_percent,
    chart_parts,
    compute,
    is_purged,
    parse_month,
)
from crm.sqlite import reads_first
from crm.web import is_local_path, local_today, parse_date, redirect_next, render_form, save_form

registrars = allow(roles.ADMIN, roles.FRONTOFFICE)
FILTER_KEYS = ("start", "end", "branch", "kind")
MAX_PERIOD_MONTHS = 120  # ten years: longer is a typing error and would build a huge table


def filter_args(source) -> dict:
    return {k: source.get(k) for k in FILTER_KEYS if source.get(k)}


# -- the form -----------------------------------------------------------------------
def prepare_form(form, account=None) -> None:
    """Fill the choices of a referral form; on a fresh form the defaults and a new nonce."""
    form.purpose.choices = services.options(services.PURPOSES_KEY)
    form.method.choices = services.options(services.METHODS_KEY)
    form.branch_id.choices = branch_choices("Geen vestiging")
    if request.method == "GET" and hasattr(form, "nonce") and not form.nonce.data:
        form.nonce.data = secrets.token_urlsafe(24)
        if account is not None and form.branch_id.data is None:
            form.branch_id.data = account.branch_id or 0
        if account is not None and not form.method.data:
            # How you referred last time is how you usually refer: partner, purpose, save.
            form.method.data = services.last_method(account.id)


def picker(keep: int | None = None) -> dict:
    """The partners of the select (most used, everyone); only needed when the form is shown.

    ``keep``: the partner of the referral being corrected, selectable even if no longer active.
    """
    top, everyone = services.partner_choices(keep=keep)
    return {"top": top, "everyone": everyone}


def next_path() -> str | None:
    """Where the form was sent from (the start page's panel), if that is a local path."""
    target = request.values.get("next")
    return target if is_local_path(target) else None


def form_data(form) -> services.ReferralData:
    return services.ReferralData(
        direction=form.direction.data,
        partner_id=form.partner_id.data,
        purpose=form.purpose.data,
        method=form.method.data,
        audience=form.audience.data or None,
        language=form.language.data or None,
        branch_id=form.branch_id.data,
        note=form.note.data,
    )


@bp.route("/verwijzingen/nieuw", methods=["GET", "POST"])
@reads_first  # the desk's busiest write: on SQLite the lock is held only for the INSERT
@registrars
def referral_new():
    account = current_account()
    form = ReferralForm()
    if form.validate_on_submit():
        stored, ok = save_form(form, lambda: services.create_referral(
            form_data(form), account.id if account else None, form.nonce.data
        ))
        if ok:
            if stored.created:
                # Its own category: the form then gets ready for the next one (referrals.js).
                flash(f"Verwijzing opgeslagen: {stored.summary}. Je kunt de volgende invullen.",
                      "referral-saved")
            else:
                flash("Deze verwijzing was al opgeslagen; er is niets dubbel bewaard.", "info")
            return redirect_next("crm.referral_new")
    # Choices are only needed to show the form: the services check the posted codes.
    prepare_form(form, account)
    return render_form("crm/referrals/new.html", form, next_url=next_path(), **picker())


@bp.route("/verwijzingen/partners")
@registrars
def referral_partner_search():
    """JSON for the search-as-you-type partner picker (the page works without it)."""
    return jsonify({"results": services.search_partners(request.args.get("q", ""))})


# -- own referrals of today -------------------------------------------------------------
@bp.route("/verwijzingen/vandaag")
@registrars
def referral_today():
    account = current_account()
    referrals = services.todays_referrals(account.id) if account else []
    return render_template("crm/referrals/today.html", referrals=referrals, labels=services.labels())


@bp.route("/verwijzingen/per-dag")
@admin_only
def referral_day():
    """Everyone's referrals of one day, so the admin can correct older ones."""
    today = local_today()
    day = parse_date(request.args.get("dag")) or today
    error = None
    if request.args.get("dag") and parse_date(request.args.get("dag")) is None:
        error = "Vul een datum in, zoals 3-12-2026."
    elif day > today:
        error, day = "Die dag moet nog komen. Kies vandaag of een eerdere dag.", today
    referrals = services.referrals_of_day(day)
    month = day.year * 100 + day.month
    purged = not referrals and is_purged(month)
    return render_template("crm/referrals/today.html", referrals=referrals, labels=services.labels(),
                           day=day, today=today, day_error=error, day_max=services.DAY_MAX,
                           purged=purged, retention=get_setting(RETENTION_KEY) if purged else None,
                           back=request.full_path.rstrip("?")), (422 if error else 200)


def _changeable(referral_id: int) -> Referral:
    referral = db.session.get(Referral, referral_id)
    if referral is None:
        abort(404)
    require(services.may_change(referral, current_account(), current_role()))
    return referral


@bp.route("/verwijzingen/<int:referral_id>", methods=["GET", "POST"])
@registrars
def referral_edit(referral_id: int):
    referral = _changeable(referral_id)
    form = ReferralEditForm(obj=referral if request.method == "GET" else None)
    prepare_form(form)
    if request.method == "GET":
        form.branch_id.data = referral.branch_id or 0
        # "Niet ingevuld" is checked when nothing was filled in, so it reads as a choice.
        form.audience.data = referral.audience or ""
        form.language.data = referral.language or ""
    if form.validate_on_submit():
        summary, ok = save_form(form, lambda: services.update_referral(
            referral, form_data(form), form.version.data,
        ))
        if ok:
            flash(f"De verwijzing is verbeterd: {summary}.", "success")
            return redirect_next("crm.referral_today")
    return render_form("crm/referrals/edit.html", form, referral=referral, next_url=next_path(),
                       **picker(keep=referral.partner_id))


@bp.route("/verwijzingen/<int:referral_id>/verwijderen", methods=["POST"])
@registrars
def referral_delete(referral_id: int):
    referral = _changeable(referral_id)
    services.delete_referral(referral)
    db.session.commit()
    flash("De verwijzing is verwijderd.", "success")
    return redirect_next("crm.referral_today")


# -- statistics ----------------------------------------------------------------------
def stats_filter(args) -> tuple[StatsFilterForm, StatsFilter]:
    form = StatsFilterForm(args)
    form.branch.choices = branch_choices("Alle vestigingen")
    form.kind.choices = [("", "Alle soorten")] + choices("partner_kinds")
    default = StatsFilter.default()
    start = parse_month(args.get("start")) or default.start
    end = parse_month(args.get("end")) or default.end
    if args.get("start") and parse_month(args.get("start")) is None:
        form.start.errors = ["Vul een maand in, bijvoorbeeld januari 2026 of 1-2026."]
    if args.get("end") and parse_month(args.get("end")) is None:
        form.end.errors = ["Vul een maand in, bijvoorbeeld december 2026 of 12-2026."]
    if start > end:
        form.end.errors = ["De laatste maand ligt vóór de eerste. Kies een latere maand."]
        start, end = default.start, default.end
    elif add_months(start, MAX_PERIOD_MONTHS) <= end:
        form.start.errors = [f"Kies een periode van hoogstens {MAX_PERIOD_MONTHS // 12} jaar."]
        start, end = default.start, default.end
    branch = form.branch.data if form.branch.data and form.branch.data > 0 else None
    kind = args.get("kind") or None
    if kind and kind not in dict(choices("partner_kinds", include_inactive=True)):
        kind = None
    return form, StatsFilter(start, end, branch, kind)


@bp.route("/verwijzingen/statistiek")
@staff_only
def referral_stats():
    form, flt = stats_filter(request.args)
    stats = compute(flt)
    invalid = any(f.errors for f in (form.start, form.end))
    return render_template(
        "crm/referrals/stats.html", form=form, stats=stats, flt=flt, charts=CHARTS,
        query=filter_args(request.args), change=change_percent,
    ), (422 if invalid else 200)


@bp.route("/verwijzingen/statistiek/grafiek/<chart>.svg")
@staff_only
def referral_chart(chart: str):
    if chart not in CHARTS:
        abort(404)
    from crm.referrals.charts import chart_svg  # matplotlib loads on first use, not at boot

    _form, flt = stats_filter(request.args)
    return svg_response(chart_svg(chart, compute(flt, chart_parts(chart))))


@bp.route("/verwijzingen/export/<what>.<fmt>", methods=["POST"])
@staff_only
def referral_export(what: str, fmt: str):
    if what not in ("cijfers", "rijen") or fmt not in ("csv", "xlsx"):
        abort(404)
    from crm.exports import send_frame  # pandas loads on first use, not at boot
    from crm.referrals import exports

    _form, flt = stats_filter(request.form)
    if what == "cijfers":
        frame = exports.figures_frame(compute(flt))
    else:
        frame = exports.rows_frame(flt)
        if frame is None:
            flash(f"Dat zijn meer dan {exports.MAX_ROWS:,} verwijzingen. Kies een kortere periode."
                  .replace(",", "."), "error")
            return redirect(url_for("crm.referral_stats", **filter_args(request.form)))
    record_event("export", "crm_referral", fields=[what, fmt], commit=True)
    return send_frame(frame, f"verwijzingen-{what}", fmt)
