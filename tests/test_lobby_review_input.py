"""Review 1, findings 7, 12, 13 and 14: the phase of lobby records in the Wegwijzer with their
own date, implausible dates, line breaks in one-line fields, and small texts and messages."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from crm.db import db as _db
from crm.web import nl_date
from lobby.models import ActionPlan, Evaluation, Evidence, Meeting, PitchVersion
from tests.fixtures.users import text
from tests.fixtures.world import build_world


@pytest.fixture
def world(app):
    with app.app_context():
        return build_world("Rivier")


def selected_phase(page: str) -> str:
    select_html = page.split('id="phase"', 1)[1].split("</select>", 1)[0]
    return re.search(r'<option selected value="([a-z]+)"|<option value="([a-z]+)" selected', select_html).group(0)


# -- finding 7: "Fase in de Wegwijzer" and the record's own date -----------------------------------
@pytest.mark.parametrize(("path", "default"), [
    ("/profilering/gemeenten/{municipality_id}/gesprekken/nieuw", "orientation"),
    ("/profilering/gemeenten/{municipality_id}/plan-van-aanpak/nieuw", "implementation"),
    ("/profilering/bewijs/nieuw", "implementation"),
    ("/profilering/gemeenten/{municipality_id}/evaluatie", "evaluation"),
    ("/profilering/pitch", "creation"),
    ("/profilering/gemeenten/nieuw", "orientation"),
    ("/profilering/gemeenten/{municipality_id}/lobbyplan", "orientation"),
])
def test_lobby_forms_have_the_phase_field_with_a_sensible_default(client, specialist, world, path, default):
    page = text(client.get(path.format(**world)))
    assert "Fase in de Wegwijzer" in page
    assert default in selected_phase(page)


def test_a_meeting_can_be_placed_in_another_phase_and_is_listed_by_its_own_date(
        app, client, specialist, world):
    held_on = date.today() - timedelta(days=30)
    r = client.post(f"/profilering/gemeenten/{world['municipality_id']}/gesprekken/nieuw", data={
        "title": "Netwerkbijeenkomst", "held_on": held_on.isoformat(), "phase": "implementation"})
    assert r.status_code == 302
    with app.app_context():
        meeting = _db.session.scalar(select(Meeting).where(Meeting.title == "Netwerkbijeenkomst"))
        assert meeting.phase == "implementation"
        meeting_id = meeting.id
    # The edit form shows the stored phase.
    assert "implementation" in selected_phase(text(client.get(f"/profilering/gesprekken/{meeting_id}/voorbereiden")))
    page = text(client.get("/wegwijzer/profilering/implementation"))
    assert f"Netwerkbijeenkomst</a> <span class=\"muted\">({nl_date(held_on)})" in page
    assert "Netwerkbijeenkomst" not in text(client.get("/wegwijzer/profilering/orientation"))


def test_evidence_and_evaluation_are_listed_by_their_own_date(app, client, specialist, world):
    occurred = date.today() - timedelta(days=200)
    with app.app_context():
        evidence = _db.session.get(Evidence, world["evidence_id"])
        evidence.occurred_on = occurred
        evaluation = _db.session.get(Evaluation, world["evaluation_id"])
        evaluation.evaluated_on = occurred - timedelta(days=1)
        _db.session.commit()
    page = text(client.get("/wegwijzer/profilering/implementation"))
    assert f'<span class="muted">({nl_date(occurred)})</span>' in page
    page = text(client.get("/wegwijzer/profilering/evaluation"))
    assert f'<span class="muted">({nl_date(occurred - timedelta(days=1))})</span>' in page


def test_plan_evidence_evaluation_and_pitch_store_the_chosen_phase(app, client, specialist, world):
    mid = world["municipality_id"]
    client.post(f"/profilering/gemeenten/{mid}/plan-van-aanpak/nieuw",
                data={"title": "Plan in evaluatie", "phase": "evaluation"})
    client.post("/profilering/bewijs/nieuw", data={
        "kind": "cijfer", "title": "Cijfer in creatie", "occurred_on": date.today().isoformat(),
        "source": "Jaarcijfers", "phase": "creation"})
    client.post(f"/profilering/gemeenten/{mid}/evaluatie", data={
        "evaluated_on": date.today().isoformat(), "focus": "LEA", "phase": "implementation"})
    client.post("/profilering/pitch", data={"title": "Pitch in oriëntatie", "text": "Kort", "phase": "orientation"})
    with app.app_context():
        assert _db.session.scalar(select(ActionPlan.phase).where(ActionPlan.title == "Plan in evaluatie")) \
            == "evaluation"
        assert _db.session.scalar(select(Evidence.phase).where(Evidence.title == "Cijfer in creatie")) == "creation"
        assert _db.session.scalar(select(Evaluation.phase).where(Evaluation.focus == "LEA")) == "implementation"
        assert _db.session.scalar(select(PitchVersion.phase).where(PitchVersion.title == "Pitch in oriëntatie")) \
            == "orientation"
    r = client.post(f"/profilering/gemeenten/{mid}/plan-van-aanpak/nieuw", data={"title": "X", "phase": "later"})
    assert r.status_code == 422 and "Kies een optie uit de lijst." in text(r)


# -- finding 12: implausible dates -----------------------------------------------------------------
def test_an_action_or_agreement_already_overdue_is_kept_with_a_warning(app, client, specialist, world):
    r = client.post(f"/profilering/plan-van-aanpak/{world['action_plan_id']}/acties", data={
        "description": "Oude actie", "owner": "Marketing", "due_on": "2019-01-01"}, follow_redirects=True)
    assert r.status_code == 200
    assert "had al klaar moeten zijn op 1 januari 2019" in text(r)
    r = client.post(f"/profilering/gesprekken/{world['meeting_id']}/afspraken", data={
        "description": "Oude afspraak", "owner_id": "0", "owner_name": "Ahmed", "due_on": "2020-01-01"},
        follow_redirects=True)
    assert r.status_code == 200 and "had al klaar moeten zijn op 1 januari 2020" in text(r)
    r = client.post(f"/profilering/plan-van-aanpak/{world['action_plan_id']}/acties", data={
        "description": "Nieuwe actie", "owner": "Marketing",
        "due_on": (date.today() + timedelta(days=3)).isoformat()}, follow_redirects=True)
    assert "had al klaar moeten zijn" not in text(r)


def test_evidence_and_evaluation_in_the_future_are_refused(app, client, specialist, world):
    future = (date.today() + timedelta(days=400)).isoformat()
    r = client.post("/profilering/bewijs/nieuw", data={
        "kind": "quote", "title": "Toekomst", "occurred_on": future, "source": "Ouder"})
    assert r.status_code == 422
    assert "Deze datum ligt in de toekomst" in text(r).split('id="occurred_on-error"', 1)[1][:300]
    r = client.post(f"/profilering/gemeenten/{world['municipality_id']}/evaluatie",
                    data={"evaluated_on": future, "focus": "LEA"})
    assert r.status_code == 422
    assert "Deze datum ligt in de toekomst" in text(r).split('id="evaluated_on-error"', 1)[1][:300]


def test_a_meeting_far_from_today_gets_a_warning(app, client, specialist, world):
    r = client.post(f"/profilering/gemeenten/{world['municipality_id']}/gesprekken/nieuw",
                    data={"title": "Oud", "held_on": "1900-01-01"}, follow_redirects=True)
    assert r.status_code == 200 and "meer dan een jaar van vandaag" in text(r)


# -- finding 13: line breaks in one-line fields ------------------------------------------------------
def test_a_title_with_a_line_break_is_stored_on_one_line(app, client, specialist, world):
    r = client.post(f"/profilering/gemeenten/{world['municipality_id']}/gesprekken/nieuw", data={
        "title": "Overleg\r\nBcc: evil@example.com", "held_on": date.today().isoformat()})
    assert r.status_code == 302
    with app.app_context():
        meeting = _db.session.scalar(select(Meeting).where(Meeting.title.like("Overleg%")))
        assert meeting.title == "Overleg Bcc: evil@example.com"


def test_the_eml_never_breaks_on_a_stored_line_break(app, client, specialist, world):
    meeting_id = world["meeting_id"]
    with app.app_context():  # stored before titles were cleaned, or by an import
        _db.session.get(Meeting, meeting_id).title = "Overleg\r\nBcc: evil@example.com\x0b"
        _db.session.commit()
    r = client.get(f"/profilering/gesprekken/{meeting_id}/mail.eml")
    assert r.status_code == 200
    from email import message_from_bytes, policy

    message = message_from_bytes(r.data, policy=policy.default)
    assert message["Bcc"] is None
    assert message["Subject"].endswith(": Overleg Bcc: evil@example.com")


# -- finding 14: texts and messages ------------------------------------------------------------------
def test_mail_thanks_for_the_meeting_without_the_title_in_the_sentence(app, client, specialist, world):
    with app.app_context():
        meeting = _db.session.get(Meeting, world["meeting_id"])
        meeting.title = "Gesprek met wethouder Jansen over de LEA"
        _db.session.commit()
        held_on = meeting.held_on
    from email import message_from_bytes, policy

    message = message_from_bytes(client.get(f"/profilering/gesprekken/{world['meeting_id']}/mail.eml").data,
                                 policy=policy.default)
    body = message.get_content()
    assert f"Dank voor ons gesprek van {nl_date(held_on)}." in body
    assert "over Gesprek met" not in body
    assert message["Subject"] == f"Ons gesprek van {nl_date(held_on)}: Gesprek met wethouder Jansen over de LEA"


def test_answer_without_question_is_shown_next_to_its_row(app, client, specialist, world):
    r = client.post(f"/profilering/gemeenten/{world['municipality_id']}/gesprekken/nieuw", data={
        "title": "Vragen", "held_on": date.today().isoformat(),
        "questions-0-question": "Waarom nu?", "questions-0-answer": "Daarom",
        "questions-1-question": "", "questions-1-answer": "Een antwoord zonder vraag"})
    assert r.status_code == 422
    page = text(r)
    error = page.split('id="questions-1-question-error"', 1)[1].split("</p>", 1)[0]
    assert "Er staat een antwoord zonder vraag" in error
    assert 'id="questions-0-question-error"' not in page
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#questions"' in summary and "Vraag 2: Er staat een antwoord zonder vraag" in summary
    assert 'id="questions"' in page


def test_a_municipality_that_has_a_profile_is_named_with_a_link(app, client, specialist, world):
    from lobby.models import Municipality

    with app.app_context():
        municipality = _db.session.get(Municipality, world["municipality_id"])
        name, mid = municipality.name, municipality.id
    r = client.post("/profilering/gemeenten/nieuw", data={"partner_id": "0", "new_name": name.upper()})
    assert r.status_code == 422
    page = text(r)
    assert f"{name} heeft al een profiel." in page.split('id="new_name-error"', 1)[1][:300]
    assert f'href="/profilering/gemeenten/{mid}">Open het profiel van {name}</a>' in page
