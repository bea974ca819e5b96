"""The registry through which packages plug into the core (STYLE.md #6)."""

from __future__ import annotations

import dataclasses

import pytest

from crm.guide import Phase, Theme
from crm.registry import Instrument, MenuItem, PhaseRecords, RecordRef, Registry, StartPanel


def test_entries_are_frozen():
    item = MenuItem("crm.home", "Start", frozenset({"admin"}))
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.label = "Anders"


def test_menu_and_panels_follow_the_role():
    registry = Registry()
    registry.add_menu_item(MenuItem("b", "Tweede", frozenset({"specialist"}), order=2))
    registry.add_menu_item(MenuItem("a", "Eerste", frozenset({"specialist", "frontoffice"}), order=1))
    registry.add_panel(StartPanel("p", "t.html", frozenset({"frontoffice"}), lambda user: {}))
    assert [m.label for m in registry.menu_for("specialist")] == ["Eerste", "Tweede"]
    assert [m.label for m in registry.menu_for("frontoffice")] == ["Eerste"]
    assert registry.menu_for(None) == []
    assert [p.key for p in registry.panels_for("frontoffice")] == ["p"]
    assert registry.panels_for("specialist") == []


def test_instruments_and_records_per_phase():
    registry = Registry()
    registry.add_instrument(Instrument("woordweb", "Woordweb", "x", Theme.COLLABORATION, Phase.ORIENTATION))
    registry.add_phase_records(PhaseRecords(
        "partner",
        lambda theme, phase: [RecordRef("partner", "Bieb", "/p/1")] if phase == Phase.ORIENTATION else [],
    ))
    assert [i.key for i in registry.instruments_of(Theme.COLLABORATION, Phase.ORIENTATION)] == ["woordweb"]
    assert registry.instruments_of(Theme.PROFILING, Phase.ORIENTATION) == []
    assert [r.label for r in registry.records_of(Theme.COLLABORATION, Phase.ORIENTATION)] == ["Bieb"]
    assert registry.records_of(Theme.COLLABORATION, Phase.CREATION) == []


def test_packages_announce_their_menu_items_in_the_app(app, client, login_as):
    login_as("specialist")
    html = client.get("/").get_data(as_text=True)
    for label in ("Wegwijzer", "Samenwerken", "Gemeente"):
        assert f">{label}</a>" in html
    assert ">Beheer</a>" not in html


def test_frontoffice_menu_hides_specialist_areas(app, client, login_as):
    login_as("frontoffice")
    html = client.get("/").get_data(as_text=True)
    assert ">Gemeente</a>" not in html and ">Beheer</a>" not in html
    assert ">Wegwijzer</a>" in html


def test_panel_provider_can_hide_a_panel(app, client, login_as):
    from crm.registry import current_registry

    with app.app_context():
        registry = current_registry()
        panel = StartPanel("leeg", "crm/panels/admin.html", frozenset({"admin"}), lambda user: None)
        registry.add_panel(panel)
    try:
        login_as("admin")
        html = client.get("/").get_data(as_text=True)
        assert "panel-leeg" not in html and "panel-admin" in html
    finally:
        registry.panels.remove(panel)


def test_personal_texts_find_long_text_opt_in_columns_and_declared_ones(app):
    from lobby.models import Meeting, MeetingAgreement, PlanAction

    column = MeetingAgreement.__table__.c.owner_name
    registry = Registry()
    registry.add_personal_texts_of("lobby")
    fields = {s.model: s.fields for s in registry.personal_texts}
    assert "owner_name" not in fields[MeetingAgreement]  # String(120): not free text by its type
    assert "description" in fields[MeetingAgreement]
    column.info["personal"] = True
    try:
        registry = Registry()
        registry.add_personal_texts_of("lobby", also={"PlanAction": ("owner",), "Meeting": ("questions",)})
        fields = {s.model: s.fields for s in registry.personal_texts}
        assert "owner_name" in fields[MeetingAgreement]
        assert "owner" in fields[PlanAction] and "questions" in fields[Meeting]
    finally:
        del column.info["personal"]
    with pytest.raises(ValueError, match="no column"):
        Registry().add_personal_texts_of("lobby", also={"PlanAction": ("eigenaar",)})
    with pytest.raises(ValueError, match="no models"):
        Registry().add_personal_texts_of("lobby", also={"Vergadering": ("owner",)})


def test_the_app_declares_short_name_fields_and_the_guide_answers(app):
    from content.models import PhaseProgress, YearSnapshot
    from crm.registry import current_registry
    from lobby.models import MeetingAgreement

    with app.app_context():
        fields = {s.model: s.fields for s in current_registry().personal_texts}
    assert "owner_name" in fields[MeetingAgreement]
    assert fields[PhaseProgress] == ("answer",) and fields[YearSnapshot] == ("data",)


def test_a_personal_text_title_is_short_and_never_a_bare_number(app):
    from types import SimpleNamespace

    from crm.registry import PersonalText, current_registry

    record = SimpleNamespace(id=7, description="Een heel lange afspraak " * 10, name="")
    assert PersonalText(object, ("description",), "afspraak").title_of(record) == "nr. 7"
    assert PersonalText(object, ("description",), "afspraak", "name").title_of(record) == "nr. 7"
    title = PersonalText(object, ("description",), "afspraak", "description").title_of(record)
    assert title == "Een heel lange afspraak Een heel lange afspraak Een heel lange afspraak Een …"
    with app.app_context():
        untitled = {s.model.__name__ for s in current_registry().personal_texts if s.title is None}
    assert not {"MeetingAgreement", "LobbyPlan", "PlanAction", "KeyFigure", "Evaluation"} & untitled
