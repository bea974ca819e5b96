"""Review 1, findings 1 and 5: the people at a meeting. An erased person (AVG) leaves the draft
mail and the preparation form; a held meeting can be logged as a contact moment, which the
brief then counts as the "laatste contact"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from crm.db import db as _db
from crm.network.models import Affiliation, Contact, Interaction
from lobby.models import Meeting
from tests.fixtures.users import text
from tests.fixtures.world import build_world


@pytest.fixture
def world(app):
    """The lobby world plus a second person at the table (Ahmed, with an e-mail address)."""
    with app.app_context():
        values = build_world("Rivier")
        meeting = _db.session.get(Meeting, values["meeting_id"])
        ahmed = Contact(name="Ahmed Yilmaz", email="a.yilmaz@gemeente.example")
        _db.session.add(ahmed)
        _db.session.flush()
        _db.session.add(Affiliation(contact_id=ahmed.id, partner_id=meeting.municipality.partner_id,
                                    function="Beleidsmedewerker"))
        meeting.contacts = [*meeting.contacts, ahmed]
        values["wethouder_id"] = next(c.id for c in meeting.contacts if c.name == "Rivier wethouder")
        values["ahmed_id"] = ahmed.id
        _db.session.commit()
        return values


def erase(app, contact_id: int) -> None:
    from crm.network.privacy import erase as erase_contact

    with app.test_request_context():  # the erasure names the records it changed by their URL
        erase_contact(_db.session.get(Contact, contact_id))
        _db.session.commit()


# -- finding 1: an erased person ------------------------------------------------------------
def test_an_erased_person_leaves_the_mail_draft_and_the_eml(app, client, specialist, world):
    erase(app, world["wethouder_id"])
    meeting_id = world["meeting_id"]
    page = text(client.get(f"/profilering/gesprekken/{meeting_id}"))
    draft = page.split('class="mail-draft"', 1)[1].split("</pre>", 1)[0]
    assert "Beste Ahmed," in draft and "Gewiste" not in draft
    assert "1 deelnemer is gewist (AVG)." in page
    eml = client.get(f"/profilering/gesprekken/{meeting_id}/mail.eml")
    body = eml.get_data(as_text=True)
    assert eml.status_code == 200
    assert "Beste Ahmed," in body and "Gewiste" not in body
    assert "To: a.yilmaz@gemeente.example" in body


def test_an_erased_person_is_no_choice_in_the_preparation_form_and_stays_linked(
        app, client, specialist, world):
    erase(app, world["wethouder_id"])
    meeting_id = world["meeting_id"]
    page = text(client.get(f"/profilering/gesprekken/{meeting_id}/voorbereiden"))
    assert "Gewiste persoon" not in page
    assert f'value="{world["wethouder_id"]}"' not in page.split('id="contact_ids"', 1)[1].split("</fieldset>")[0]
    assert "1 deelnemer is gewist (AVG)." in page
    with app.app_context():
        version = _db.session.get(Meeting, meeting_id).version
    r = client.post(f"/profilering/gesprekken/{meeting_id}/voorbereiden", data={
        "version": version, "title": "Nieuw onderwerp", "held_on": date.today().isoformat(),
        "contact_ids": [str(world["ahmed_id"])]})
    assert r.status_code == 302
    with app.app_context():
        meeting = _db.session.get(Meeting, meeting_id)
        # The link row is history: it stays, but nobody sees the erased person.
        assert {c.id for c in meeting.contacts} == {world["ahmed_id"], world["wethouder_id"]}
        assert [c.id for c in meeting.present_contacts] == [world["ahmed_id"]]


def test_brief_and_meeting_list_do_not_show_the_erased_person(app, client, specialist, world):
    erase(app, world["wethouder_id"])
    brief = text(client.get(f"/profilering/gesprekken/{world['meeting_id']}/briefing"))
    assert "Gewiste persoon" not in brief and "Ahmed Yilmaz" in brief
    assert "1 deelnemer is gewist (AVG)." in brief
    listing = text(client.get("/profilering/gesprekken"))
    assert "Gewiste persoon" not in listing and "Ahmed Yilmaz" in listing


# -- finding 5: the meeting as a contact moment ----------------------------------------------
def _held_yesterday(app, meeting_id: int) -> int:
    with app.app_context():
        meeting = _db.session.get(Meeting, meeting_id)
        meeting.held_on = date.today() - timedelta(days=1)
        _db.session.commit()
        return meeting.version


def test_a_held_meeting_offers_the_contact_moment_ticked(app, client, specialist, world):
    _held_yesterday(app, world["meeting_id"])
    page = text(client.get(f"/profilering/gesprekken/{world['meeting_id']}"))
    checkbox = page.split('id="log_contact"', 1)
    assert len(checkbox) == 2 and "Leg ook vast als contactmoment" in page
    tag = page[page.rfind("<input", 0, page.index('id="log_contact"')):].split(">", 1)[0]
    assert "checked" in tag


def test_outcome_logged_as_contact_moment_once_and_counted_on_the_brief(app, client, specialist, world):
    meeting_id = world["meeting_id"]
    version = _held_yesterday(app, meeting_id)
    r = client.post(f"/profilering/gesprekken/{meeting_id}/uitkomst", data={
        "version": version, "outcome": "Positief gesprek", "log_contact": "y"}, follow_redirects=True)
    assert r.status_code == 200 and "Het gesprek staat ook bij de contactmomenten." in text(r)
    with app.app_context():
        meeting = _db.session.get(Meeting, meeting_id)
        moment = meeting.interaction
        assert moment is not None
        assert (moment.kind, moment.occurred_on, moment.summary, moment.outcome) == (
            "face-to-face", meeting.held_on, meeting.title, "Positief gesprek")
        assert {c.id for c in moment.contacts} == {world["wethouder_id"], world["ahmed_id"]}
        assert [p.id for p in moment.partners] == [meeting.municipality.partner_id]
        assert moment.theme == "profilering"
        version, title, held_on, moment_id = meeting.version, meeting.title, meeting.held_on, moment.id
        before = _db.session.scalar(select(func.count()).select_from(Interaction))
    # Saving the outcome again updates the same contact moment.
    client.post(f"/profilering/gesprekken/{meeting_id}/uitkomst", data={
        "version": version, "outcome": "Nog positiever", "log_contact": "y"})
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(Interaction)) == before
        assert _db.session.get(Meeting, meeting_id).interaction_id == moment_id
        assert _db.session.get(Interaction, moment_id).outcome == "Nog positiever"
    # The person's page and the next brief's "Laatste contact" know it.
    person = text(client.get(f"/personen/{world['ahmed_id']}"))
    assert title in person
    from crm.web import nl_date

    brief = text(client.get(f"/profilering/gesprekken/{meeting_id}/briefing"))
    row = brief.split("Ahmed Yilmaz", 1)[1].split("</tr>", 1)[0]
    assert nl_date(held_on) in row and title in row


def test_outcome_without_the_tick_makes_no_contact_moment(app, client, specialist, world):
    version = _held_yesterday(app, world["meeting_id"])
    with app.app_context():
        before = _db.session.scalar(select(func.count()).select_from(Interaction))
    r = client.post(f"/profilering/gesprekken/{world['meeting_id']}/uitkomst",
                    data={"version": version, "outcome": "Alleen de uitkomst"})
    assert r.status_code == 302
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(Interaction)) == before
        assert _db.session.get(Meeting, world["meeting_id"]).interaction_id is None


def test_a_meeting_not_held_yet_is_no_contact_moment(app, client, specialist, world):
    meeting_id = world["meeting_id"]  # three days ahead in the world
    page = text(client.get(f"/profilering/gesprekken/{meeting_id}"))
    tag = page[page.rfind("<input", 0, page.index('id="log_contact"')):].split(">", 1)[0]
    assert "checked" not in tag
    with app.app_context():
        version = _db.session.get(Meeting, meeting_id).version
    r = client.post(f"/profilering/gesprekken/{meeting_id}/uitkomst",
                    data={"version": version, "outcome": "Te vroeg", "log_contact": "y"})
    assert r.status_code == 422
    assert 'id="log_contact-error"' in text(r) and "nog niet geweest" in text(r)
    with app.app_context():
        meeting = _db.session.get(Meeting, meeting_id)
        assert meeting.interaction_id is None and meeting.outcome != "Te vroeg"  # nothing half-stored
