"""Profilering bij gemeentelijke gezinsaanpak: municipality, lobbyplan, meetings and the
one-page brief, pitch, plan van aanpak and evidence."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from crm import roles
from crm.guide import Phase, Theme
from crm.registry import Instrument, MenuItem, PhaseRecords, RecordRef, Registry, StartPanel
from crm.web import local_today

URL_PREFIX = "/profilering"
MODEL_MODULES = ("lobby.models.municipality", "lobby.models.plans", "lobby.models.evidence")

P = Theme.PROFILING
#: The Profilering pages of the guide's instruments. A key is the instrument's key in the guide data
#: (content/guide.yaml), so the guide's steps link here; the overview and the evaluation are
#: pages of this product that the guide does not name as an instrument.
INSTRUMENTS = (
    ("profilering", "Overzicht Profilering", "lobby.index", Phase.ORIENTATION),
    (
        "fundament",
        "Fundament checklist (Quickscan, Theory of Change, expertise)",
        "lobby.fundament_home",
        Phase.ORIENTATION,
    ),
    ("lobbyplan", "Lobbyplan", "lobby.lobbyplan_home", Phase.ORIENTATION),
    ("gesprek-voorbereiden", "Gesprek met de gemeente voorbereiden", "lobby.meetings", Phase.ORIENTATION),
    ("elevator-pitch", "Elevator pitch", "lobby.pitches", Phase.CREATION),
    ("kerncijfers", "Kernboodschap, middelen en cijfers", "lobby.materials", Phase.CREATION),
    ("plan-van-aanpak", "Plan van aanpak", "lobby.plans", Phase.IMPLEMENTATION),
    (
        "bewijslast",
        "Bewijslast: succesverhalen, cijfers, quotes en foto's",
        "lobby.evidence_list",
        Phase.IMPLEMENTATION,
    ),
    ("evaluatie", "Evaluatie van de profilering", "lobby.evaluation_home", Phase.EVALUATION),
)


#: Where a specialist checks a record that may name a person (the AVG page links to it).
PERSONAL_TEXT_URLS = {
    "Municipality": lambda r: url_for("lobby.municipality", municipality_id=r.id),
    "KeyFigure": lambda r: url_for("lobby.municipality_figures", municipality_id=r.municipality_id),
    "LobbyPlan": lambda r: url_for("lobby.lobbyplan", municipality_id=r.municipality_id),
    "Meeting": lambda r: url_for("lobby.meeting", meeting_id=r.id),
    "MeetingAgreement": lambda r: url_for("lobby.meeting", meeting_id=r.meeting_id),
    "PitchVersion": lambda r: url_for("lobby.pitch", pitch_id=r.id),
    "Material": lambda _r: url_for("lobby.materials"),
    "Evidence": lambda r: url_for("lobby.evidence_edit", evidence_id=r.id),
    "ActionPlan": lambda r: url_for("lobby.plan", action_plan_id=r.id),
    "PlanAction": lambda r: url_for("lobby.plan", action_plan_id=r.plan_id),
    "Evaluation": lambda r: url_for("lobby.evaluation_edit", evaluation_id=r.id),
}


#: How a record that may name a person is titled on the AVG page (instead of its number).
PERSONAL_TEXT_TITLES = {
    "MeetingAgreement": lambda r: r.description,
    "PlanAction": lambda r: r.description,
    "LobbyPlan": lambda r: f"Lobbyplan {r.municipality.name}",
    "KeyFigure": lambda r: f"{r.label} ({r.municipality.name})",
    "Evaluation": lambda r: f"Evaluatie {r.municipality.name} {r.evaluated_on:%d-%m-%Y}",
}


def make_blueprint():
    from lobby.views import bp

    return bp


def _agreements_panel(user):
    from lobby.services.meetings import open_agreements_for

    agreements = open_agreements_for(user)
    if not agreements:
        return None
    return {"agreements": agreements, "today": local_today()}


def _next_meetings_panel(_user):
    from lobby.services.meetings import coming_meetings

    items = coming_meetings()
    return {"meetings": items} if items else None


#: The record's own date, where it has one (a meeting's date, not the day it was typed in).
OWN_DATES = {"Meeting": "held_on", "Evidence": "occurred_on", "Evaluation": "evaluated_on"}


def _records(model_name: str, endpoint: str, url_args, label):
    def query(theme: Theme, phase: Phase):
        from crm.db import db
        from lobby import models

        model = getattr(models, model_name)
        own = OWN_DATES.get(model_name)
        order = (getattr(model, own), model.id) if own else (model.id,)
        rows = db.session.scalars(
            select(model).where(model.theme == theme.value, model.phase == phase.value).order_by(*order)
        )
        return [
            RecordRef(
                model.label_nl,
                label(row),
                url_for(endpoint, **url_args(row)),
                getattr(row, own) if own else row.created_at,
            )
            for row in rows
        ]

    return PhaseRecords(model_name, query)


def register(registry: Registry) -> None:
    registry.add_menu_item(MenuItem("lobby.index", "Gemeente", roles.STAFF, order=40, active_prefix="lobby."))
    # Short name columns and JSON notes are not found by their type alone.
    registry.add_personal_texts_of(
        "lobby",
        also={"MeetingAgreement": ("owner_name",), "PlanAction": ("owner",), "Meeting": ("questions",),
              "Municipality": ("fundament",), "LobbyPlan": ("items",)},
        titles=PERSONAL_TEXT_TITLES,
        urls=PERSONAL_TEXT_URLS,
    )
    for key, label, endpoint, phase in INSTRUMENTS:
        registry.add_instrument(Instrument(key, label, endpoint, P, phase))
    for source in (
        _records("Municipality", "lobby.municipality", lambda r: {"municipality_id": r.id}, lambda r: r.name),
        _records(
            "LobbyPlan",
            "lobby.lobbyplan",
            lambda r: {"municipality_id": r.municipality_id},
            lambda r: f"Lobbyplan {r.municipality.name}",
        ),
        _records("Meeting", "lobby.meeting", lambda r: {"meeting_id": r.id}, lambda r: r.title),
        _records("PitchVersion", "lobby.pitch", lambda r: {"pitch_id": r.id}, lambda r: r.title),
        _records("ActionPlan", "lobby.plan", lambda r: {"action_plan_id": r.id}, lambda r: r.title),
        _records("Evidence", "lobby.evidence_edit", lambda r: {"evidence_id": r.id}, lambda r: r.title),
        _records(
            "Evaluation",
            "lobby.evaluation_edit",
            lambda r: {"evaluation_id": r.id},
            lambda r: f"Evaluatie {r.municipality.name}",
        ),
    ):
        registry.add_phase_records(source)
    registry.add_panel(
        StartPanel(
            "lobby-agreements", "lobby/panels/agreements.html", roles.STAFF, _agreements_panel, order=20
        )
    )
    registry.add_panel(
        StartPanel(
            "lobby-meetings", "lobby/panels/meetings.html", roles.STAFF, _next_meetings_panel, order=21
        )
    )
    from lobby.demo import seed_demo

    registry.add_demo_seeder(seed_demo)
