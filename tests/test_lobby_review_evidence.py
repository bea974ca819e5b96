"""Review 1, findings 2, 3, 8 and 9: evidence on the briefs (where it is used, all of it can be
picked, at most three) and the pitch per municipality."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from crm.db import db as _db
from crm.web import nl_date
from lobby.models import Evidence, Meeting, Municipality, PitchVersion
from lobby.services import municipality as municipality_services
from tests.fixtures.users import text
from tests.fixtures.world import build_world


@pytest.fixture
def world(app):
    with app.app_context():
        return build_world("Rivier")


def add_evidence(n: int, permission: bool = True) -> list[int]:
    ids = []
    for i in range(n):
        item = Evidence(kind="cijfer", title=f"Bewijs {i:02d}", text="Een cijfer", source="Jaarcijfers",
                        occurred_on=date.today() - timedelta(days=400 - i), permission=permission)
        _db.session.add(item)
        _db.session.flush()
        ids.append(item.id)
    return ids


# -- finding 3: where the evidence is used ---------------------------------------------------------
def test_evidence_page_and_delete_confirmation_say_which_briefs_use_it(app, client, specialist, world):
    evidence_id, meeting_id = world["evidence_id"], world["meeting_id"]
    with app.app_context():
        meeting = _db.session.get(Meeting, meeting_id)
        label = f"{meeting.title} ({nl_date(meeting.held_on)})"
    page = text(client.get(f"/profilering/bewijs/{evidence_id}"))
    assert "Staat op de briefing van 1 gesprek" in page
    assert f'href="/profilering/gesprekken/{meeting_id}/briefing"' in page and label in page
    confirm = text(client.get(f"/profilering/bewijs/{evidence_id}/verwijderen"))
    assert "Dit bewijs staat op de briefing van 1 gesprek:" in confirm
    assert f'<a href="/profilering/gesprekken/{meeting_id}/briefing">{label}</a>' in confirm
    assert "toont die de drie nieuwste" in confirm
    # A post without the confirmation button deletes nothing.
    client.post(f"/profilering/bewijs/{evidence_id}/verwijderen")
    with app.app_context():
        assert _db.session.get(Evidence, evidence_id) is not None
    r = client.post(f"/profilering/bewijs/{evidence_id}/verwijderen", data={"confirm": "ja"},
                    follow_redirects=True)
    assert "Het bewijs ‘Rivier’ is verwijderd." in text(r)
    with app.app_context():
        assert _db.session.get(Evidence, evidence_id) is None
        assert _db.session.get(Meeting, meeting_id).evidence == []


def test_evidence_not_used_says_so(app, client, specialist, world):
    with app.app_context():
        [evidence_id] = add_evidence(1)
        _db.session.commit()
    assert "nog voor geen enkele briefing gekozen" in text(client.get(f"/profilering/bewijs/{evidence_id}"))
    confirm = text(client.get(f"/profilering/bewijs/{evidence_id}/verwijderen"))
    assert "staat op de briefing" not in confirm and "Ja, verwijderen" in confirm


# -- findings 8 and 9: picking evidence for the brief ------------------------------------------------
def test_all_evidence_can_be_picked_not_only_the_newest_thirty(app, client, specialist, world):
    with app.app_context():
        ids = add_evidence(35)
        _db.session.commit()
    page = text(client.get(f"/profilering/gesprekken/{world['meeting_id']}/voorbereiden"))
    assert "Bewijs 00" in page and f'value="{ids[0]}"' in page  # the oldest of 36
    assert "Kies hoogstens drie" in page


def test_more_than_three_pieces_of_evidence_are_refused_next_to_the_field(app, client, specialist, world):
    meeting_id = world["meeting_id"]
    with app.app_context():
        ids = add_evidence(4)
        _db.session.commit()
        version = _db.session.get(Meeting, meeting_id).version
    data = {"version": version, "title": "Met bewijs", "held_on": date.today().isoformat(),
            "evidence_ids": [str(i) for i in ids]}
    r = client.post(f"/profilering/gesprekken/{meeting_id}/voorbereiden", data=data)
    assert r.status_code == 422
    page = text(r)
    error = page.split('id="evidence_ids-error"', 1)[1].split("</p>", 1)[0]
    assert "Kies hoogstens drie stukken bewijs" in error and "Je koos er nu 4." in error
    with app.app_context():
        assert _db.session.get(Meeting, meeting_id).title != "Met bewijs"
    r = client.post(f"/profilering/gesprekken/{meeting_id}/voorbereiden",
                    data=data | {"evidence_ids": [str(i) for i in ids[:3]]})
    assert r.status_code == 302
    brief = text(client.get(f"/profilering/gesprekken/{meeting_id}/briefing"))
    for i in range(3):
        assert f"Bewijs {i:02d}" in brief


# -- finding 2: a pitch per municipality -------------------------------------------------------------
def _second_municipality(app) -> tuple[int, int]:
    """Gemeente Beekdal with one meeting; returns (municipality id, meeting id)."""
    with app.app_context():
        beekdal = municipality_services.create_municipality(None, "Gemeente Beekdal")
        meeting = Meeting(municipality_id=beekdal.id, title="Kennismaking Beekdal",
                          held_on=date.today() + timedelta(days=4), questions=[])
        _db.session.add(meeting)
        _db.session.commit()
        return beekdal.id, meeting.id


def test_brief_takes_the_pitch_of_its_municipality_then_the_general_one(app, client, specialist, world):
    beekdal_id, beekdal_meeting = _second_municipality(app)
    rivier_id = world["municipality_id"]
    # The world's pitch is general; a Rivierstad pitch is added for that municipality.
    r = client.post("/profilering/pitch", data={
        "title": "Rivier-versie", "text": "Wist je dat in Rivierstad één op de zeven...",
        "municipality_id": str(rivier_id), "make_current": "y"})
    assert r.status_code == 302
    with app.app_context():
        pitch = _db.session.scalar(select(PitchVersion).where(PitchVersion.title == "Rivier-versie"))
        assert pitch.municipality_id == rivier_id and pitch.current
        general = _db.session.get(PitchVersion, world["pitch_id"])
        assert general.current and general.municipality_id is None  # each scope its own current one
    rivier_brief = text(client.get(f"/profilering/gesprekken/{world['meeting_id']}/briefing"))
    assert "Wist je dat in Rivierstad" in rivier_brief
    beekdal_brief = text(client.get(f"/profilering/gesprekken/{beekdal_meeting}/briefing"))
    assert "Rivierstad" not in beekdal_brief
    assert "algemene pitch" in beekdal_brief and "Gemeente Beekdal heeft nog geen eigen pitch" in beekdal_brief


def test_never_another_municipalitys_pitch(app, client, specialist, world):
    beekdal_id, beekdal_meeting = _second_municipality(app)
    with app.app_context():
        _db.session.get(PitchVersion, world["pitch_id"]).municipality_id = world["municipality_id"]
        _db.session.commit()
    brief = text(client.get(f"/profilering/gesprekken/{beekdal_meeting}/briefing"))
    assert "Nog geen pitch." in brief and "een elevator pitch" in brief  # named as missing
    r = client.post("/profilering/pitch", data={
        "title": "Beekdal", "text": "In Beekdal...", "municipality_id": str(beekdal_id)})
    assert r.status_code == 302
    brief = text(client.get(f"/profilering/gesprekken/{beekdal_meeting}/briefing"))
    assert "In Beekdal..." in brief and "algemene pitch" not in brief
    with app.app_context():
        assert _db.session.get(PitchVersion, world["pitch_id"]).current  # Rivier's stays current


def test_pitch_page_offers_the_municipalities_and_shows_each_current_pitch(app, client, specialist, world):
    page = text(client.get("/profilering/pitch"))
    assert "Voor welke gemeente" in page and "Algemeen: voor alle gemeenten" in page
    with app.app_context():
        name = _db.session.get(Municipality, world["municipality_id"]).name
    assert f">{name}</option>" in page
    assert "Huidige pitch (algemeen)" in page
    # "Schrijf een pitch voor …" on a brief opens the form with that municipality chosen.
    page = text(client.get(f"/profilering/pitch?gemeente={world['municipality_id']}"))
    assert f'<option selected value="{world["municipality_id"]}">' in page


def test_referral_figures_on_the_brief_say_they_are_for_the_whole_library(client, specialist, world):
    brief = text(client.get(f"/profilering/gesprekken/{world['meeting_id']}/briefing"))
    assert "Hele bibliotheek, alle vestigingen samen." in brief
    assert "alle vestigingen" in brief.split('class="brief-chart"', 1)[1].split(">", 1)[0]
