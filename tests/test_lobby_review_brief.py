"""Review 1, finding 6: the brief stays on one A4 page. Long texts are cut (the kernboodschap
too), at most five questions are shown with a note on the rest, a brief that may not fit gets
a warning on screen, and a second printed page repeats the title and date (its print css).
Chromium's print itself is checked in tests/browser/test_lobby_brief*.py."""

from __future__ import annotations

import pytest

from crm.db import db as _db
from crm.web import nl_date
from lobby.models import Meeting
from tests.fixtures.users import text
from tests.fixtures.world import build_world

WARNING = "Deze briefing past waarschijnlijk niet op één A4."


@pytest.fixture
def world(app):
    with app.app_context():
        return build_world("Rivier")


def brief(client, world) -> str:
    return text(client.get(f"/profilering/gesprekken/{world['meeting_id']}/briefing"))


def test_a_short_brief_has_no_warning(client, specialist, world):
    page = brief(client, world)
    assert WARNING not in page and "vragen staan niet op de briefing" not in page


def test_kernboodschap_is_cut_like_the_other_texts(app, client, specialist, world):
    with app.app_context():
        _db.session.get(Meeting, world["meeting_id"]).key_message = "Samen lezen. " * 160  # ~2000 characters
        _db.session.commit()
    page = brief(client, world)
    shown = page.split("<strong>Kernboodschap:</strong>", 1)[1].split("</p>", 1)[0]
    assert len(shown.strip()) <= 225 and shown.strip().endswith("...")
    # The meeting page keeps the whole text.
    assert ("Samen lezen. " * 150).strip() in text(client.get(f"/profilering/gesprekken/{world['meeting_id']}"))


def test_at_most_five_questions_with_a_note_on_the_rest(app, client, specialist, world):
    with app.app_context():
        _db.session.get(Meeting, world["meeting_id"]).questions = [
            {"question": f"Vraag nummer {i}?", "answer": "Een antwoord."} for i in range(1, 8)
        ]
        _db.session.commit()
    page = brief(client, world)
    assert "Vraag nummer 5?" in page and "Vraag nummer 6?" not in page
    assert "2 vragen staan niet op de briefing; de hele lijst staat bij het gesprek." in page
    assert "Vraag nummer 7?" in text(client.get(f"/profilering/gesprekken/{world['meeting_id']}"))


def test_a_brief_that_may_not_fit_warns_on_screen_only(app, client, specialist, world):
    long_text = "Een lange toelichting die doorloopt over meerdere regels op de briefing. " * 8
    with app.app_context():
        meeting = _db.session.get(Meeting, world["meeting_id"])
        meeting.goals = ["urgentie", "expertise", "trekker", "bijdrage", "verwachtingen"]
        meeting.goals_note = long_text
        meeting.questions = [{"question": f"Vraag {i}?", "answer": long_text} for i in range(5)]
        from crm.network.models import Contact
        from lobby.models import KeyFigure

        meeting.contacts = [*meeting.contacts, *(Contact(name=f"Ambtenaar {i}") for i in range(3))]
        for contact in meeting.contacts:
            contact.knowledge = contact.interests = contact.hook = long_text
        from lobby.models import PitchVersion

        for i in range(5):
            _db.session.add(KeyFigure(municipality_id=meeting.municipality_id, label=f"Cijfer {i}", value="1",
                                      source="CBS", year=2025))
        _db.session.get(PitchVersion, world["pitch_id"]).text = long_text * 2  # about one minute
        _db.session.commit()
    page = brief(client, world)
    warning = page.split(WARNING, 1)[0].rsplit("<p", 1)[1]
    assert 'class="warning no-print"' in warning


def test_print_css_repeats_title_and_date_from_the_second_page(app, client, specialist, world):
    with app.app_context():
        meeting = _db.session.get(Meeting, world["meeting_id"])
        meeting.title = 'Gesprek "LEA" \\ wethouder'
        _db.session.commit()
        held_on, name = meeting.held_on, meeting.municipality.name
    page = brief(client, world)
    assert f'href="/profilering/gesprekken/{world["meeting_id"]}/briefing.css" media="print"' in page
    r = client.get(f"/profilering/gesprekken/{world['meeting_id']}/briefing.css")
    assert r.status_code == 200 and r.mimetype == "text/css"
    css = text(r)
    # The title stays inside its CSS string: quotes and backslashes are escaped.
    assert f'content: "Briefing: Gesprek \\"LEA\\" \\\\ wethouder · {name} · {nl_date(held_on)}"' in css
    assert "@page :first { margin-top: 9mm; @top-left { content: none; }" in css
    assert 'counter(page) " van " counter(pages)' in css


def test_frontoffice_cannot_get_the_print_css(client, login_as, world):
    login_as("frontoffice")
    assert client.get(f"/profilering/gesprekken/{world['meeting_id']}/briefing.css").status_code == 403


def test_goals_are_short_on_the_brief_and_in_full_on_the_meeting_page(app, client, specialist, world):
    page = brief(client, world)
    assert "<strong>Doelen:</strong> urgentie onder de aandacht." in page
    meeting_page = text(client.get(f"/profilering/gesprekken/{world['meeting_id']}"))
    assert "Belang en urgentie van de gezinsaanpak onder de aandacht brengen" in meeting_page
