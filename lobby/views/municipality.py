"""Municipality profile, key figures, fundament checklist and lobbyplan."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from crm.audit import record_event
from crm.db import db
from crm.guide import Theme
from crm.permissions import staff_only
from crm.registry import current_registry
from crm.web import render_form, save_form
from lobby.forms import FigureForm, FundamentForm, LobbyPlanForm, MunicipalityForm, NewMunicipalityForm
from lobby.models import KeyFigure, LobbyPlan, Municipality
from lobby.models.municipality import FUNDAMENT_ITEMS, LOBBYPLAN_ITEMS
from lobby.services import meetings as meeting_services
from lobby.services import municipality as services
from lobby.services import plans as plan_services
from lobby.services.evidence import current_pitches
from lobby.views.blueprint import bp, get_or_404, version_of

PROFILE_FIELDS = services.PROFILE_FIELDS


@bp.route("/")
@staff_only
def index():
    instruments = [i for i in current_registry().instruments if i.theme == Theme.PROFILING]
    return render_template(
        "lobby/index.html",
        municipalities=services.municipalities(),
        instruments=instruments,
        pitches=current_pitches(),
    )


def _single_or_choose(endpoint: str, title: str):
    """Arg-less entry of an instrument: straight to the only municipality, else a choice."""
    items = services.municipalities()
    if len(items) == 1:
        return redirect(url_for(endpoint, municipality_id=items[0].id))
    return render_template("lobby/choose.html", municipalities=items, endpoint=endpoint, title=title)


@bp.route("/fundament")
@staff_only
def fundament_home():
    return _single_or_choose("lobby.fundament", "Fundament checklist")


@bp.route("/lobbyplan")
@staff_only
def lobbyplan_home():
    return _single_or_choose("lobby.lobbyplan", "Lobbyplan")


@bp.route("/evaluatie")
@staff_only
def evaluation_home():
    return _single_or_choose("lobby.evaluation", "Evaluatie")


@bp.route("/gemeenten/nieuw", methods=["GET", "POST"])
@staff_only
def municipality_new():
    form = NewMunicipalityForm()
    form.partner_id.choices = [(0, "Kies een gemeente")] + [
        (p.id, p.name) for p in services.free_municipal_partners()
    ]
    if request.method == "GET":
        form.phase.data = Municipality.default_phase.value
    existing = None
    if form.validate_on_submit():
        municipality, ok = save_form(form, lambda: services.create_municipality(
            form.partner_id.data,
            form.new_name.data,
            phase=form.phase.data,
            **{name: getattr(form, name).data for name in PROFILE_FIELDS},
        ))
        if ok:
            flash(f"{municipality.name} is toegevoegd.", "success")
            return redirect(url_for("lobby.municipality", municipality_id=municipality.id))
        existing = services.profile_named(form.new_name.data)  # a link to it beside the message
    return render_form("lobby/municipality_form.html", form, municipality=None, existing=existing)


@bp.route("/gemeenten/<int:municipality_id>")
@staff_only
def municipality(municipality_id: int):
    municipality = get_or_404(Municipality, municipality_id)
    record_event("view", Municipality.__tablename__, municipality.id, commit=True)  # shows its people
    upcoming, past = meeting_services.upcoming_and_past(meeting_services.meetings(municipality))
    return render_template(
        "lobby/municipality.html",
        municipality=municipality,
        people=services.people(municipality),
        upcoming=upcoming,
        past=past,
        plans=plan_services.plans(municipality),
        fundament=services.fundament_rows(municipality),
    )


@bp.route("/gemeenten/<int:municipality_id>/bewerken", methods=["GET", "POST"])
@staff_only
def municipality_edit(municipality_id: int):
    municipality = get_or_404(Municipality, municipality_id)
    form = MunicipalityForm(obj=municipality if request.method == "GET" else None)
    if request.method == "GET":
        version_of(form, municipality)
        form.library_role.data = municipality.library_role or ""
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.update_municipality(
            municipality,
            form.version.data,
            phase=form.phase.data,
            **{name: getattr(form, name).data for name in PROFILE_FIELDS},
        ))
        if ok:
            flash("Het profiel is opgeslagen.", "success")
            return redirect(url_for("lobby.municipality", municipality_id=municipality.id))
    return render_form("lobby/municipality_form.html", form, municipality=municipality)


@bp.route("/gemeenten/<int:municipality_id>/cijfers", methods=["GET", "POST"])
@staff_only
def municipality_figures(municipality_id: int):
    municipality = get_or_404(Municipality, municipality_id)
    form = FigureForm()
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.add_figure(
            municipality,
            form.label.data,
            form.value.data,
            form.unit.data,
            form.source.data,
            form.year.data,
        ))
        if ok:
            flash("Het cijfer is toegevoegd.", "success")
            return redirect(url_for("lobby.municipality_figures", municipality_id=municipality.id))
    return render_form("lobby/figures.html", form, municipality=municipality)


@bp.route("/cijfers/<int:figure_id>/verwijderen", methods=["POST"])
@staff_only
def figure_delete(figure_id: int):
    figure = get_or_404(KeyFigure, figure_id)
    municipality_id = figure.municipality_id
    services.delete_figure(figure)
    db.session.commit()
    flash("Het cijfer is verwijderd.", "success")
    return redirect(url_for("lobby.municipality_figures", municipality_id=municipality_id))


@bp.route("/gemeenten/<int:municipality_id>/fundament", methods=["GET", "POST"])
@staff_only
def fundament(municipality_id: int):
    municipality = get_or_404(Municipality, municipality_id)
    form = FundamentForm()
    if request.method == "GET":
        version_of(form, municipality)
        for row in services.fundament_rows(municipality):
            sub = getattr(form, row.key).form
            sub.done.data, sub.done_on.data, sub.note.data = row.done_on is not None, row.done_on, row.note
    if form.validate_on_submit():
        items = {}
        for key, _label in FUNDAMENT_ITEMS:
            sub = getattr(form, key).form
            items[key] = (sub.done.data, sub.done_on.data, sub.note.data)
        _, ok = save_form(form, lambda: services.save_fundament(municipality, form.version.data, items))
        if ok:
            flash("De fundament checklist is opgeslagen.", "success")
            return redirect(url_for("lobby.municipality", municipality_id=municipality.id))
    return render_form("lobby/fundament.html", form, municipality=municipality, items=FUNDAMENT_ITEMS)


@bp.route("/gemeenten/<int:municipality_id>/lobbyplan", methods=["GET", "POST"])
@staff_only
def lobbyplan(municipality_id: int):
    municipality = get_or_404(Municipality, municipality_id)
    plan = services.lobbyplan_for(municipality)
    form = LobbyPlanForm()
    if request.method == "GET":
        form.version.data = str(plan.version or 0)
        form.phase.data = plan.phase or LobbyPlan.default_phase.value
        for key, _label, text, done in services.lobbyplan_rows(plan):
            sub = getattr(form, key).form
            sub.text.data, sub.done.data = text, done
    if form.validate_on_submit():
        items = {
            key: (getattr(form, key).form.text.data, getattr(form, key).form.done.data)
            for key, _ in LOBBYPLAN_ITEMS
        }
        _, ok = save_form(form, lambda: services.save_lobbyplan(
            plan, form.version.data, items, form.phase.data
        ))
        if ok:
            flash("Het lobbyplan is opgeslagen.", "success")
            return redirect(url_for("lobby.lobbyplan", municipality_id=municipality.id))
    return render_form(
        "lobby/lobbyplan.html",
        form,
        municipality=municipality,
        plan=plan,
        items=LOBBYPLAN_ITEMS,
        grid=services.power_grid(services.people(municipality)),
    )
