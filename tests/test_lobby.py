"""Lobby pages through the test client: what a specialist sees and what gets stored."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from crm.db import db as _db
from crm.network.models import Partner
from crm.registry import Figures
from lobby.models import (
    ActionPlan,
    Evaluation,
    Evidence,
    KeyFigure,
    LobbyPlan,
    Meeting,
    MeetingAgreement,
    Municipality,
    PitchVersion,
    PlanAction,
)
from tests.fixtures.users import text
from tests.fixtures.world import build_world
from tests.fixtures.world_lobby import png_bytes

XSS = "<script>alert(1)</script>"


def count(app, model) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(model))


def get(app, model, record_id):
    with app.app_context():
        record = _db.session.get(model, record_id)
        _db.session.expunge_all()
        return record


@pytest.fixture
def lobby_world(app):
    with app.app_context():
        return build_world("Rivier")


# -- municipality -------------------------------------------------------------------------
def test_add_municipality_creates_partner_of_kind_gemeente(app, client, specialist):
    r = client.post(
        "/profilering/gemeenten/nieuw",
        data={
            "partner_id": "0",
            "new_name": "Gemeente Beekdorp",
            "library_role": "aanjager",
            "cbs_code": "GM0001",
        },
    )
    assert r.status_code == 302
    with app.app_context():
        municipality = _db.session.scalar(select(Municipality))
        assert municipality.partner.name == "Gemeente Beekdorp"
        assert municipality.partner.kind == "gemeente"
        assert municipality.library_role == "aanjager"
    page = text(client.get(r.headers["Location"]))
    assert "Gemeente Beekdorp" in page and "Aanjager" in page


def test_add_municipality_without_name_is_refused(app, client, specialist):
    r = client.post("/profilering/gemeenten/nieuw", data={"partner_id": "0", "new_name": ""})
    assert r.status_code == 422
    assert "Kies een gemeente of vul de naam" in text(r), text(r)[text(r).find("error-summary") :][:800]
    assert count(app, Municipality) == 0 and count(app, Partner) == 0


def test_profile_edit_with_old_version_is_refused(app, client, specialist, lobby_world):
    mid = lobby_world["municipality_id"]
    old = get(app, Municipality, mid).version
    assert (
        client.post(
            f"/profilering/gemeenten/{mid}/bewerken", data={"version": old, "college": "Nieuw college"}
        ).status_code
        == 302
    )
    r = client.post(
        f"/profilering/gemeenten/{mid}/bewerken", data={"version": old, "college": "Ander college"}
    )
    assert r.status_code == 422
    assert "Iemand anders heeft dit intussen gewijzigd" in text(r)
    assert get(app, Municipality, mid).college == "Nieuw college"


def test_figure_without_source_is_refused(app, client, specialist, lobby_world):
    mid = lobby_world["municipality_id"]
    before = count(app, KeyFigure)
    r = client.post(
        f"/profilering/gemeenten/{mid}/cijfers",
        data={"label": "Laaggeletterden", "value": "12", "unit": "%", "source": "", "year": "2024"},
    )
    assert r.status_code == 422
    assert "Vul de bron in." in text(r)
    assert count(app, KeyFigure) == before
    r = client.post(
        f"/profilering/gemeenten/{mid}/cijfers",
        data={"label": "Laaggeletterden", "value": "12", "unit": "%", "source": "SLS", "year": "2024"},
    )
    assert r.status_code == 302 and count(app, KeyFigure) == before + 1


def test_fundament_and_lobbyplan_are_saved(app, client, specialist, lobby_world):
    mid = lobby_world["municipality_id"]
    version = get(app, Municipality, mid).version
    r = client.post(
        f"/profilering/gemeenten/{mid}/fundament",
        data={
            "version": version,
            "quickscan-done": "y",
            "quickscan-note": "https://example.org/qs",
            "toc-done_on": "2026-01-05",
        },
    )
    assert r.status_code == 302
    fundament = get(app, Municipality, mid).fundament
    assert fundament["quickscan"]["done_on"] == date.today().isoformat()
    assert fundament["toc"]["done_on"] is None  # a date without the tick is not done
    plan = get(app, LobbyPlan, 1) or None
    with app.app_context():
        plan = _db.session.scalar(select(LobbyPlan).where(LobbyPlan.municipality_id == mid))
        version = plan.version
    r = client.post(
        f"/profilering/gemeenten/{mid}/lobbyplan",
        data={
            "version": version,
            "timing": "Voor de zomer",
            "timing-done": "y",
        }
        | {"timing-text": "Voor de zomer"},
    )
    assert r.status_code == 302
    with app.app_context():
        plan = _db.session.scalar(select(LobbyPlan).where(LobbyPlan.municipality_id == mid))
        assert plan.items["timing"] == {"text": "Voor de zomer", "done": True}
    r = client.post(f"/profilering/gemeenten/{mid}/lobbyplan", data={"version": version, "timing-text": "x"})
    assert r.status_code == 422 and "Iemand anders" in text(r)


def test_new_lobbyplan_page_then_first_save(app, client, specialist):
    client.post("/profilering/gemeenten/nieuw", data={"partner_id": "0", "new_name": "Gemeente Nieuw"})
    with app.app_context():
        mid = _db.session.scalar(select(Municipality.id))
    page = text(client.get(f"/profilering/gemeenten/{mid}/lobbyplan"))
    assert "Onderwerp afbakenen" in page and "Middelen, rolverdeling en haalbaarheid" in page
    r = client.post(f"/profilering/gemeenten/{mid}/lobbyplan", data={"version": "0", "doel-text": "LEA"})
    assert r.status_code == 302 and count(app, LobbyPlan) == 1


# -- meetings -----------------------------------------------------------------------------
def test_new_meeting_form_has_the_guides_five_questions(client, specialist, lobby_world):
    page = text(client.get(f"/profilering/gemeenten/{lobby_world['municipality_id']}/gesprekken/nieuw"))
    for question in (
        "tot andere activiteiten van de bibliotheek",
        "tot activiteiten van andere partners",
        "Hoe ziet de samenwerking met andere partners eruit",
        "Wat voegt het toe",
        "Waarom moeten we nú iets doen",
    ):
        assert question in page


def test_meeting_without_date_is_refused(app, client, specialist, lobby_world):
    mid = lobby_world["municipality_id"]
    before = count(app, Meeting)
    r = client.post(f"/profilering/gemeenten/{mid}/gesprekken/nieuw", data={"title": "Kennismaking"})
    assert r.status_code == 422
    assert "Vul de datum van het gesprek in." in text(r)
    r = client.post(
        f"/profilering/gemeenten/{mid}/gesprekken/nieuw",
        data={"title": "Kennismaking", "held_on": "31-31-2026"},
    )
    assert r.status_code == 422 and "Vul een geldige datum in" in text(r)
    assert count(app, Meeting) == before


def test_a_meeting_sent_twice_is_stored_once(app, client, specialist, lobby_world):
    mid = lobby_world["municipality_id"]
    before = count(app, Meeting)
    form = {"title": "Kennismaking", "held_on": (date.today() + timedelta(days=5)).isoformat()}
    first = client.post(f"/profilering/gemeenten/{mid}/gesprekken/nieuw", data=form)
    second = client.post(f"/profilering/gemeenten/{mid}/gesprekken/nieuw", data=form, follow_redirects=True)
    assert first.status_code == 302 and "Dit was al opgeslagen" in text(second)
    assert count(app, Meeting) == before + 1


def test_meeting_is_stored_with_people_goals_and_questions(app, client, specialist, lobby_world):
    mid = lobby_world["municipality_id"]
    with app.app_context():
        contact_id = _db.session.get(Meeting, lobby_world["meeting_id"]).contacts[0].id
    r = client.post(
        f"/profilering/gemeenten/{mid}/gesprekken/nieuw",
        data={
            "title": "Gesprek LEA",
            "held_on": (date.today() + timedelta(days=5)).isoformat(),
            "starts_at": "14:30",
            "contact_ids": [str(contact_id)],
            "goals": ["urgentie", "bijdrage"],
            "library_role": "expert",
            "questions-0-question": "Waarom nu?",
            "questions-0-answer": "Regierol sinds 2024",
            "questions-1-question": "",
            "questions-1-answer": "",
        },
    )
    assert r.status_code == 302
    with app.app_context():
        meeting = _db.session.scalar(select(Meeting).where(Meeting.title == "Gesprek LEA"))
        assert [c.id for c in meeting.contacts] == [contact_id]
        assert meeting.goals == ["urgentie", "bijdrage"]
        assert meeting.questions == [{"question": "Waarom nu?", "answer": "Regierol sinds 2024"}]
        assert meeting.theme == "profilering" and meeting.phase == "orientation"


def test_meeting_edit_version_check(app, client, specialist, lobby_world):
    meeting_id = lobby_world["meeting_id"]
    page = text(client.get(f"/profilering/gesprekken/{meeting_id}/voorbereiden"))
    assert 'name="version"' in page
    version = get(app, Meeting, meeting_id).version
    data = {"version": version, "title": "Nieuw", "held_on": date.today().isoformat()}
    assert client.post(f"/profilering/gesprekken/{meeting_id}/voorbereiden", data=data).status_code == 302
    r = client.post(f"/profilering/gesprekken/{meeting_id}/voorbereiden", data=data | {"title": "Later"})
    assert r.status_code == 422 and "Iemand anders heeft dit intussen gewijzigd" in text(r)
    assert get(app, Meeting, meeting_id).title == "Nieuw"


def test_outcome_agreement_start_panel_and_mail(app, client, login_as, lobby_world):
    user_id = login_as("specialist")
    meeting_id = lobby_world["meeting_id"]
    version = get(app, Meeting, meeting_id).version
    r = client.post(
        f"/profilering/gesprekken/{meeting_id}/uitkomst",
        data={"version": version, "outcome": "Positief", "key_message": "Samen tegen laaggeletterdheid"},
    )
    assert r.status_code == 302
    due = date.today() + timedelta(days=2)
    r = client.post(
        f"/profilering/gesprekken/{meeting_id}/afspraken",
        data={"description": "Cijfers sturen", "owner_id": str(user_id), "due_on": due.isoformat()},
    )
    assert r.status_code == 302
    home = text(client.get("/"))
    assert "Afspraken met de gemeente" in home and "Cijfers sturen" in home

    page = text(client.get(f"/profilering/gesprekken/{meeting_id}"))
    assert "mailto:wethouder@gemeente.example?subject=" in page
    eml = client.get(f"/profilering/gesprekken/{meeting_id}/mail.eml")
    assert eml.status_code == 200 and eml.mimetype == "message/rfc822"
    assert eml.headers["Content-Disposition"].startswith("attachment;")
    body = eml.get_data(as_text=True)
    assert "Samen tegen laaggeletterdheid" in body and "Cijfers sturen" in body

    with app.app_context():
        agreement_id = _db.session.scalar(
            select(MeetingAgreement.id).where(MeetingAgreement.description == "Cijfers sturen")
        )
    client.post(f"/profilering/afspraken/{agreement_id}/klaar", data={"next": "start"})
    assert "Cijfers sturen" not in text(client.get("/"))


def test_agreement_of_someone_else_not_on_my_start_page(app, client, login_as, lobby_world):
    other = login_as("specialist")
    meeting_id = lobby_world["meeting_id"]
    client.post(
        f"/profilering/gesprekken/{meeting_id}/afspraken",
        data={
            "description": "Alleen voor de ander",
            "owner_id": str(other),
            "due_on": date.today().isoformat(),
        },
    )
    from tests.fixtures.users import login as plain_login
    from tests.fixtures.users import make_user

    with app.app_context():
        me = make_user("specialist")
        email = me.email
    second = app.test_client()
    plain_login(second, email)
    assert "Alleen voor de ander" not in text(second.get("/"))


def test_agreement_without_owner_or_date_is_refused(app, client, specialist, lobby_world):
    meeting_id = lobby_world["meeting_id"]
    before = count(app, MeetingAgreement)
    r = client.post(
        f"/profilering/gesprekken/{meeting_id}/afspraken",
        data={"description": "Iets", "owner_id": "0", "due_on": date.today().isoformat()},
    )
    assert r.status_code == 422 and "Kies wie de afspraak oppakt" in text(r)
    r = client.post(
        f"/profilering/gesprekken/{meeting_id}/afspraken",
        data={"description": "Iets", "owner_id": "0", "owner_name": "Ahmed"},
    )
    assert r.status_code == 422 and "Vul de datum in." in text(r)
    assert count(app, MeetingAgreement) == before


# -- the brief --------------------------------------------------------------------------------
def test_brief_shows_everything_with_the_referral_log(client, specialist, lobby_world):
    page = text(client.get(f"/profilering/gesprekken/{lobby_world['meeting_id']}/briefing"))
    for heading in (
        "Aan tafel",
        "Onze doelen en rol",
        "Elevator pitch",
        "Kerncijfers",
        "Verwachte vragen",
        "Bewijs",
        "afgelopen 12 maanden",
    ):
        assert heading in page
    assert "Rivier wethouder" in page and "Verbinder" in page
    assert "In totaal 1 in 12 maanden" in page  # the world's one referral, through the registry
    assert "lobby.css" in page


def test_brief_without_a_referral_source(app, client, specialist, lobby_world):
    registry = app.extensions["crm"].registry
    source = registry.figures.pop("referrals", None)
    try:
        page = text(client.get(f"/profilering/gesprekken/{lobby_world['meeting_id']}/briefing"))
    finally:
        if source is not None:
            registry.add_figures(source)
    assert "Nog geen verwijzingen geregistreerd." in page and "verwijzingen.svg" not in page


def test_brief_shows_referral_figures_from_the_registry(app, client, specialist, lobby_world):
    registry = app.extensions["crm"].registry
    today = date.today()
    source = registry.figures.get("referrals")
    registry.add_figures(
        Figures("referrals", "Verwijzingen", lambda start, months: {(today.year, today.month): 7})
    )
    try:
        page = text(client.get(f"/profilering/gesprekken/{lobby_world['meeting_id']}/briefing"))
        assert "In totaal 7 in 12 maanden" in page
        assert "<img" in page and "verwijzingen.svg" in page
        svg = client.get("/profilering/verwijzingen.svg")
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    finally:
        registry.figures.pop("referrals")
        if source is not None:
            registry.add_figures(source)


def test_brief_of_the_demo_meeting_is_complete(app, client, specialist):
    with app.app_context():
        from crm.demo import seed_demo

        seed_demo()
        _db.session.commit()
        meeting_id = _db.session.scalar(select(Meeting.id).where(Meeting.held_on > date.today()))
    page = text(client.get(f"/profilering/gesprekken/{meeting_id}/briefing"))
    assert "Nog niet voorbereid" not in page
    assert "Marieke Jansen" in page and "Ahmed Yilmaz" in page
    assert "Waarom moeten we nú iets doen?" in page
    assert "Laaggeletterden (16-65 jaar)" in page
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(PitchVersion)) == 2
        assert _db.session.scalar(select(func.count()).select_from(Meeting)) == 2
        # seeding twice adds nothing
        seed_demo()
        _db.session.commit()
        assert _db.session.scalar(select(func.count()).select_from(Meeting)) == 2


# -- pitch ---------------------------------------------------------------------------------
def test_long_pitch_is_stored_with_a_warning(app, client, specialist):
    r = client.post(
        "/profilering/pitch",
        data={"title": "Lang", "text": "woord " * 2000, "make_current": "y"},
        follow_redirects=True,
    )
    assert r.status_code == 200
    page = text(r)
    assert "2000 woorden" in page and "ver boven de ene minuut" in page
    assert "923 seconden" in page  # 2000 words at 130 a minute


def test_pitch_versions_one_current(app, client, specialist):
    client.post("/profilering/pitch", data={"title": "Een", "text": "kort verhaal", "make_current": "y"})
    client.post("/profilering/pitch", data={"title": "Twee", "text": "nog een verhaal"})
    with app.app_context():
        current = _db.session.scalars(select(PitchVersion).where(PitchVersion.current.is_(True))).all()
        assert [p.title for p in current] == ["Een"]
        second = _db.session.scalar(select(PitchVersion.id).where(PitchVersion.title == "Twee"))
    client.post(f"/profilering/pitch/{second}/huidig")
    with app.app_context():
        current = _db.session.scalars(select(PitchVersion).where(PitchVersion.current.is_(True))).all()
        assert [p.title for p in current] == ["Twee"]
    r = client.post("/profilering/pitch", data={"title": "Leeg", "text": "  "})
    assert r.status_code == 422 and "Vul de tekst van de pitch in." in text(r)


# -- evidence ------------------------------------------------------------------------------
def _evidence_data(**extra):
    data = {
        "kind": "foto",
        "title": "Voorleesochtend",
        "occurred_on": date.today().isoformat(),
        "source": "Vestiging Noord",
        "permission": "y",
    }
    data.update(extra)
    return data


def test_photo_upload_checked_by_content_and_served_safely(app, client, specialist):
    r = client.post(
        "/profilering/bewijs/nieuw",
        content_type="multipart/form-data",
        data=_evidence_data(image=(io.BytesIO(png_bytes()), "foto.png", "image/png")),
    )
    assert r.status_code == 302
    with app.app_context():
        evidence_id = _db.session.scalar(select(Evidence.id))
    image = client.get(f"/profilering/bewijs/{evidence_id}/foto")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.headers["Content-Disposition"].startswith("inline;")
    assert (
        client.get(f"/profilering/bewijs/{evidence_id}/foto?download=1")
        .headers["Content-Disposition"]
        .startswith("attachment;")
    )


def test_upload_that_is_not_an_image_is_refused(app, client, specialist):
    fake = b"<html><script>alert(1)</script></html>"
    r = client.post(
        "/profilering/bewijs/nieuw",
        content_type="multipart/form-data",
        data=_evidence_data(image=(io.BytesIO(fake), "foto.png", "image/png")),
    )
    assert r.status_code == 422
    assert "Dit bestand is geen foto" in text(r)
    assert count(app, Evidence) == 0


def test_upload_too_large_is_refused(app, client, specialist):
    app.config["CRM_MAX_UPLOAD_MB"] = 0.001  # about 1 kB
    try:
        big = png_bytes((400, 400)) + b"\0" * 2048
        r = client.post(
            "/profilering/bewijs/nieuw",
            content_type="multipart/form-data",
            data=_evidence_data(image=(io.BytesIO(big), "foto.png", "image/png")),
        )
    finally:
        app.config["CRM_MAX_UPLOAD_MB"] = 5
    assert r.status_code == 422 and "De foto is groter dan" in text(r)
    assert count(app, Evidence) == 0


def test_evidence_without_source_and_search(app, client, specialist):
    r = client.post("/profilering/bewijs/nieuw", data=_evidence_data(kind="quote", source="", text="Mooi"))
    assert r.status_code == 422 and "Vul de bron in." in text(r)
    client.post(
        "/profilering/bewijs/nieuw", data=_evidence_data(kind="quote", title="Moeder", text="Mooi boek")
    )
    client.post(
        "/profilering/bewijs/nieuw",
        data=_evidence_data(kind="cijfer", title="Koffertjes", text="318", permission=""),
    )
    page = text(client.get("/profilering/bewijs?q=boek"))
    assert "Moeder" in page and "Koffertjes" not in page
    page = text(client.get("/profilering/bewijs?toestemming=1"))
    assert "Moeder" in page and "Koffertjes" not in page


def test_evidence_edit_version_check(app, client, specialist, lobby_world):
    evidence_id = lobby_world["evidence_id"]
    version = get(app, Evidence, evidence_id).version
    data = _evidence_data(version=version, title="Eerst")
    assert client.post(f"/profilering/bewijs/{evidence_id}", data=data).status_code == 302
    r = client.post(f"/profilering/bewijs/{evidence_id}", data=data | {"title": "Later"})
    assert r.status_code == 422 and "Iemand anders" in text(r)


# -- plan van aanpak and evaluation ---------------------------------------------------------
def test_plan_with_actions(app, client, specialist, lobby_world):
    mid = lobby_world["municipality_id"]
    r = client.post(
        f"/profilering/gemeenten/{mid}/plan-van-aanpak/nieuw",
        data={"title": "Plan 2027", "audience": "De wethouder", "planning": "Voor de zomer"},
    )
    assert r.status_code == 302
    with app.app_context():
        plan = _db.session.scalar(select(ActionPlan).where(ActionPlan.title == "Plan 2027"))
        plan_id = plan.id
        assert plan.phase == "implementation"
    page = text(client.get(f"/profilering/plan-van-aanpak/{plan_id}"))
    assert "Wie wil je bereiken?" in page and "De wethouder" in page and "Planning" in page
    r = client.post(
        f"/profilering/plan-van-aanpak/{plan_id}/acties", data={"description": "Folder", "owner": ""}
    )
    assert r.status_code == 422 and "Vul in wie de actie oppakt." in text(r)
    r = client.post(
        f"/profilering/plan-van-aanpak/{plan_id}/acties",
        data={"description": "Folder", "owner": "Marketing", "due_on": "2026-12-01"},
    )
    assert r.status_code == 302
    with app.app_context():
        assert (
            _db.session.scalar(select(PlanAction.owner).where(PlanAction.plan_id == plan_id)) == "Marketing"
        )


def test_evaluation_needs_a_date_and_shows_crm_evaluation(app, client, specialist, lobby_world):
    mid = lobby_world["municipality_id"]
    before = count(app, Evaluation)
    r = client.post(f"/profilering/gemeenten/{mid}/evaluatie", data={"evaluated_on": "", "focus": "LEA"})
    assert r.status_code == 422 and "Vul de datum in." in text(r)
    assert count(app, Evaluation) == before
    page = text(r)
    assert "Nog niet beoordeeld" in page and "Rivier wethouder" in page
    r = client.post(
        f"/profilering/gemeenten/{mid}/evaluatie",
        data={"evaluated_on": date.today().isoformat(), "focus": "LEA"},
    )
    assert r.status_code == 302 and count(app, Evaluation) == before + 1


# -- safety ----------------------------------------------------------------------------------
def test_every_lobby_page_escapes_stored_text(app, client, specialist):
    with app.app_context():
        world = build_world(XSS)
    failures = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("lobby.") or "GET" not in rule.methods:
            continue
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **{a: world[a] for a in rule.arguments})
        response = client.get(url, follow_redirects=True)
        if response.mimetype == "text/html" and XSS in text(response):
            failures.append(url)
    assert not failures


def test_frontoffice_cannot_open_the_brief(client, login_as, lobby_world):
    login_as("frontoffice")
    assert client.get(f"/profilering/gesprekken/{lobby_world['meeting_id']}/briefing").status_code == 403


def test_unknown_records_give_404(client, specialist):
    assert client.get("/profilering/gesprekken/999999/briefing").status_code == 404
    assert client.get("/profilering/bewijs/999999/foto").status_code == 404
    assert client.post("/profilering/afspraken/999999/klaar").status_code == 404


def test_material_with_a_file_checked_by_content(app, client, specialist):
    pdf = b"%PDF-1.4\n%fake but starts right\n"
    r = client.post(
        "/profilering/kernboodschap",
        content_type="multipart/form-data",
        data={"kind": "folder", "title": "Folder", "file": (io.BytesIO(pdf), "folder.pdf")},
    )
    assert r.status_code == 302
    with app.app_context():
        from lobby.models import Material

        material_id = _db.session.scalar(select(Material.id))
    download = client.get(f"/profilering/middelen/{material_id}/bestand")
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == f'attachment; filename="middel-{material_id}.pdf"'
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    r = client.post(
        "/profilering/kernboodschap",
        content_type="multipart/form-data",
        data={"kind": "folder", "title": "Script", "file": (io.BytesIO(b"<svg onload=x>"), "a.pdf")},
    )
    assert r.status_code == 422 and "Dit soort bestand kan niet" in text(r)
    r = client.post(
        "/profilering/kernboodschap", data={"kind": "folder", "title": "Link", "url": "javascript:x"}
    )
    assert r.status_code == 422 and "Een link begint met https://" in text(r)


def test_start_page_lists_coming_meetings_and_views_are_audited(app, client, specialist, lobby_world):
    home = text(client.get("/"))
    assert "Gesprekken met de gemeente" in home and "Briefing" in home
    client.get(f"/profilering/gesprekken/{lobby_world['meeting_id']}/briefing")
    from crm.audit import AuditEntry

    with app.app_context():
        views = _db.session.scalars(select(AuditEntry).where(AuditEntry.action == "view")).all()
        assert any(v.record_type == "crm_lobby_meeting" and v.actor_id == specialist for v in views)


def test_every_lobby_page_has_the_lobby_styles(app, client, specialist, lobby_world):
    """Checklists, the mail draft and kept line breaks are styled by lobby.css: every page
    of the lobby must load it (three pages once missed it and lost their layout)."""
    from flask import url_for

    with app.test_request_context():
        urls = [url_for(rule.endpoint, **{a: lobby_world[a] for a in rule.arguments})
                for rule in app.url_map.iter_rules()
                if rule.endpoint.startswith("lobby.") and "GET" in rule.methods
                and all(a in lobby_world for a in rule.arguments)]
    pages = 0
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            pages += 1
            assert "lobby.css" in text(response), url
    assert pages >= 15


def test_a_name_typed_for_an_agreement_wins_over_the_default_colleague(app, client, specialist,
                                                                      lobby_world):
    meeting_id = lobby_world["meeting_id"]
    due = date.today() + timedelta(days=7)
    r = client.post(f"/profilering/gesprekken/{meeting_id}/afspraken", data={
        "description": "Zaal regelen", "owner_id": str(specialist), "owner_name": "Jan Extern",
        "due_on": due.isoformat()})
    assert r.status_code == 302
    with app.app_context():
        agreement = _db.session.scalar(select(MeetingAgreement).where(
            MeetingAgreement.description == "Zaal regelen"))
        assert (agreement.owner_id, agreement.owner_name) == (None, "Jan Extern")


def test_cbs_code_must_look_like_one(app, client, specialist):
    r = client.post("/profilering/gemeenten/nieuw", data={"new_name": "Gemeente Nergens", "cbs_code": "abc"})
    assert r.status_code == 422 and "zoals GM0599" in text(r)
    assert count(app, Municipality) == 0
    r = client.post("/profilering/gemeenten/nieuw", data={"new_name": "Gemeente Ergens", "cbs_code": "gm0599"})
    assert r.status_code == 302


def test_an_answer_without_its_question_is_not_dropped_silently(app, client, specialist, lobby_world):
    mid = lobby_world["municipality_id"]
    before = count(app, Meeting)
    r = client.post(f"/profilering/gemeenten/{mid}/gesprekken/nieuw", data={
        "title": "Gesprek zonder vraag", "held_on": (date.today() + timedelta(days=5)).isoformat(),
        "questions-0-question": "", "questions-0-answer": "Ons antwoord staat hier"})
    assert r.status_code == 422 and "Er staat een antwoord zonder vraag" in text(r)
    assert "Ons antwoord staat hier" in text(r)  # what was typed is still there
    assert count(app, Meeting) == before


def test_a_date_in_a_row_of_the_fundament_checklist_must_be_plausible(app, client, specialist,
                                                                      lobby_world):
    mid = lobby_world["municipality_id"]
    version = get(app, Municipality, mid).version
    r = client.post(f"/profilering/gemeenten/{mid}/fundament", data={
        "version": version, "quickscan-done": "y", "quickscan-done_on": "0001-01-01"})
    assert r.status_code == 422 and "Kies een datum tussen 1900 en 2100." in text(r)
    assert get(app, Municipality, mid).version == version  # nothing stored
