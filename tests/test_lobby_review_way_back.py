"""Review 1, finding 4: a way back. Meetings, afspraken, plans, plan actions, evaluations and
pitch versions entered by mistake can be corrected or deleted, each after a confirmation page
(no JavaScript), logged in the audit log and confirmed with a message."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from crm.audit import AuditEntry
from crm.db import db as _db
from lobby.models import (
    ActionPlan,
    Evaluation,
    Meeting,
    MeetingAgreement,
    PitchVersion,
    PlanAction,
)
from tests.fixtures.users import text
from tests.fixtures.world import build_world


@pytest.fixture
def world(app):
    with app.app_context():
        return build_world("Rivier")


def exists(app, model, record_id) -> bool:
    with app.app_context():
        return _db.session.get(model, record_id) is not None


def deleted_in_audit_log(app, table: str, record_id: int) -> bool:
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "delete", AuditEntry.record_type == table,
            AuditEntry.record_id == record_id)) == 1


def test_meeting_delete_confirms_first_then_goes_with_its_agreements(app, client, specialist, world):
    meeting_id, agreement_id = world["meeting_id"], world["meeting_agreement_id"]
    page = text(client.get(f"/profilering/gesprekken/{meeting_id}"))
    assert f'href="/profilering/gesprekken/{meeting_id}/verwijderen"' in page
    confirm = client.get(f"/profilering/gesprekken/{meeting_id}/verwijderen")
    assert confirm.status_code == 200
    assert "Gesprek ‘Rivier’ verwijderen?" in text(confirm) and "1 afspraak uit dit gesprek" in text(confirm)
    assert 'name="confirm" value="ja"' in text(confirm) and "Nee, terug" in text(confirm)
    # A post without the button of the confirmation page deletes nothing.
    assert client.post(f"/profilering/gesprekken/{meeting_id}/verwijderen").status_code == 200
    assert exists(app, Meeting, meeting_id)
    r = client.post(f"/profilering/gesprekken/{meeting_id}/verwijderen", data={"confirm": "ja"},
                    follow_redirects=True)
    assert r.status_code == 200 and "Het gesprek ‘Rivier’ is verwijderd." in text(r)
    assert not exists(app, Meeting, meeting_id) and not exists(app, MeetingAgreement, agreement_id)
    assert deleted_in_audit_log(app, "crm_lobby_meeting", meeting_id)
    assert deleted_in_audit_log(app, "crm_lobby_agreement", agreement_id)
    assert client.get(f"/profilering/gesprekken/{meeting_id}/verwijderen").status_code == 404


def test_meeting_delete_keeps_its_contact_moment_unless_ticked(app, client, specialist, world):
    from crm.network.models import Interaction

    meeting_id = world["meeting_id"]
    with app.app_context():
        meeting = _db.session.get(Meeting, meeting_id)
        meeting.held_on = date.today() - timedelta(days=2)
        _db.session.commit()
        version = meeting.version
    client.post(f"/profilering/gesprekken/{meeting_id}/uitkomst",
                data={"version": version, "outcome": "Goed", "log_contact": "y"})
    with app.app_context():
        moment_id = _db.session.get(Meeting, meeting_id).interaction_id
    assert moment_id is not None
    page = text(client.get(f"/profilering/gesprekken/{meeting_id}/verwijderen"))
    assert "Verwijder ook het contactmoment van dit gesprek" in page
    client.post(f"/profilering/gesprekken/{meeting_id}/verwijderen", data={"confirm": "ja"})
    assert not exists(app, Meeting, meeting_id) and exists(app, Interaction, moment_id)


def test_agreement_can_be_corrected(app, client, specialist, world):
    agreement_id = world["meeting_agreement_id"]
    page = text(client.get(f"/profilering/gesprekken/{world['meeting_id']}"))
    assert f"/profilering/afspraken/{agreement_id}/bewerken" in page
    form = text(client.get(f"/profilering/afspraken/{agreement_id}/bewerken"))
    assert "Afspraak aanpassen" in form and "Rivier</textarea>" in form
    r = client.post(f"/profilering/afspraken/{agreement_id}/bewerken", data={"description": ""})
    assert r.status_code == 422 and "Vul de afspraak in." in text(r)
    due = date.today() + timedelta(days=10)
    corrected = {"description": "Cijfers sturen naar Ahmed", "owner_id": "0", "owner_name": "Ahmed",
                 "due_on": due.isoformat(), "version": _version(form)}
    r = client.post(f"/profilering/afspraken/{agreement_id}/bewerken", data=corrected, follow_redirects=True)
    assert r.status_code == 200 and "De afspraak is aangepast." in text(r)
    with app.app_context():
        agreement = _db.session.get(MeetingAgreement, agreement_id)
        assert (agreement.description, agreement.owner_name, agreement.due_on) == (
            "Cijfers sturen naar Ahmed", "Ahmed", due)
    # A colleague's form, opened before that save, does not overwrite it.
    r = client.post(f"/profilering/afspraken/{agreement_id}/bewerken",
                    data={**corrected, "description": "Iets anders"})
    assert r.status_code == 422 and "Iemand anders heeft dit intussen gewijzigd" in text(r)
    with app.app_context():
        assert _db.session.get(MeetingAgreement, agreement_id).description == "Cijfers sturen naar Ahmed"


def _version(page: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def test_agreement_delete_after_confirmation(app, client, specialist, world):
    agreement_id = world["meeting_agreement_id"]
    page = text(client.get(f"/profilering/afspraken/{agreement_id}/verwijderen"))
    assert "Afspraak verwijderen?" in page and "Liever aanpassen" in page
    r = client.post(f"/profilering/afspraken/{agreement_id}/verwijderen", data={"confirm": "ja"},
                    follow_redirects=True)
    assert "De afspraak is verwijderd." in text(r)
    assert not exists(app, MeetingAgreement, agreement_id)
    mail = text(client.get(f"/profilering/gesprekken/{world['meeting_id']}/mail.eml"))
    assert "Dit hebben we afgesproken" not in mail
    assert deleted_in_audit_log(app, "crm_lobby_agreement", agreement_id)


def test_plan_action_can_be_corrected_and_deleted(app, client, specialist, world):
    action_id, plan_id = world["plan_action_id"], world["action_plan_id"]
    page = text(client.get(f"/profilering/plan-van-aanpak/{plan_id}"))
    assert f"/profilering/acties/{action_id}/bewerken" in page
    assert f"/profilering/acties/{action_id}/verwijderen" in page
    due = date.today() + timedelta(days=30)
    version = _version(text(client.get(f"/profilering/acties/{action_id}/bewerken")))
    corrected = {"description": "Folder drukken", "owner": "Marketing", "due_on": due.isoformat(),
                 "version": version}
    r = client.post(f"/profilering/acties/{action_id}/bewerken", data=corrected)
    assert r.status_code == 302
    r = client.post(f"/profilering/acties/{action_id}/bewerken", data={**corrected, "owner": "Iemand"})
    assert r.status_code == 422 and "Iemand anders heeft dit intussen gewijzigd" in text(r)
    with app.app_context():
        action = _db.session.get(PlanAction, action_id)
        assert (action.description, action.owner, action.due_on) == ("Folder drukken", "Marketing", due)
    r = client.post(f"/profilering/acties/{action_id}/bewerken", data={"description": "x", "owner": ""})
    assert r.status_code == 422 and "Vul in wie de actie oppakt." in text(r)
    assert "Actie verwijderen?" in text(client.get(f"/profilering/acties/{action_id}/verwijderen"))
    r = client.post(f"/profilering/acties/{action_id}/verwijderen", data={"confirm": "ja"},
                    follow_redirects=True)
    assert "De actie is verwijderd." in text(r) and not exists(app, PlanAction, action_id)
    assert exists(app, ActionPlan, plan_id)


def test_plan_with_actions_goes_only_with_a_clear_tick(app, client, specialist, world):
    plan_id, action_id = world["action_plan_id"], world["plan_action_id"]
    page = text(client.get(f"/profilering/plan-van-aanpak/{plan_id}/verwijderen"))
    assert "Ja, verwijder ook de actie van dit plan" in page
    r = client.post(f"/profilering/plan-van-aanpak/{plan_id}/verwijderen", data={"confirm": "ja"})
    assert r.status_code == 422
    assert 'id="with_actions-error"' in text(r) and "Vink aan dat die ook weg mogen" in text(r)
    assert exists(app, ActionPlan, plan_id) and exists(app, PlanAction, action_id)
    r = client.post(f"/profilering/plan-van-aanpak/{plan_id}/verwijderen",
                    data={"confirm": "ja", "with_actions": "y"}, follow_redirects=True)
    assert "Het plan van aanpak ‘Rivier’ is verwijderd." in text(r)
    assert not exists(app, ActionPlan, plan_id) and not exists(app, PlanAction, action_id)
    assert deleted_in_audit_log(app, "crm_lobby_action_plan", plan_id)


def test_plan_without_actions_goes_after_the_confirmation(app, client, specialist, world):
    r = client.post(f"/profilering/gemeenten/{world['municipality_id']}/plan-van-aanpak/nieuw",
                    data={"title": "Dubbel plan"})
    plan_id = int(r.headers["Location"].rsplit("/", 1)[1])
    page = text(client.get(f"/profilering/plan-van-aanpak/{plan_id}/verwijderen"))
    assert "with_actions" not in page
    client.post(f"/profilering/plan-van-aanpak/{plan_id}/verwijderen", data={"confirm": "ja"})
    assert not exists(app, ActionPlan, plan_id)


def test_evaluation_with_only_a_date_is_refused_next_to_the_first_field(app, client, specialist, world):
    mid = world["municipality_id"]
    with app.app_context():
        before = _db.session.scalar(select(func.count()).select_from(Evaluation))
    r = client.post(f"/profilering/gemeenten/{mid}/evaluatie", data={"evaluated_on": date.today().isoformat()})
    assert r.status_code == 422
    page = text(r)
    assert 'id="plan_review-error"' in page and "Vul minstens één stap van de evaluatie in." in page
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(Evaluation)) == before


def test_evaluation_delete_after_confirmation(app, client, specialist, world):
    evaluation_id = world["evaluation_id"]
    page = text(client.get(f"/profilering/evaluaties/{evaluation_id}"))
    assert f"/profilering/evaluaties/{evaluation_id}/verwijderen" in page
    assert "verwijderen?" in text(client.get(f"/profilering/evaluaties/{evaluation_id}/verwijderen"))
    r = client.post(f"/profilering/evaluaties/{evaluation_id}/verwijderen", data={"confirm": "ja"},
                    follow_redirects=True)
    assert "is verwijderd." in text(r) and not exists(app, Evaluation, evaluation_id)
    assert deleted_in_audit_log(app, "crm_lobby_evaluation", evaluation_id)


def test_only_a_pitch_version_that_is_not_current_can_be_deleted(app, client, specialist, world):
    current_id = world["pitch_id"]
    client.post("/profilering/pitch", data={"title": "Per ongeluk", "text": "Een tekst"})
    with app.app_context():
        old_id = _db.session.scalar(select(PitchVersion.id).where(PitchVersion.title == "Per ongeluk"))
        assert not _db.session.get(PitchVersion, old_id).current
    # with another version beside it, the current one stays until another is made current
    page = text(client.get(f"/profilering/pitch/{current_id}/verwijderen"))
    assert "Dit is de huidige pitch" in page and 'value="ja"' not in page
    r = client.post(f"/profilering/pitch/{current_id}/verwijderen", data={"confirm": "ja"})
    assert r.status_code == 422 and exists(app, PitchVersion, current_id)
    assert "Deze versie verwijderen" in text(client.get(f"/profilering/pitch/{old_id}"))
    r = client.post(f"/profilering/pitch/{old_id}/verwijderen", data={"confirm": "ja"}, follow_redirects=True)
    assert "De versie ‘Per ongeluk’ is verwijderd." in text(r)
    assert not exists(app, PitchVersion, old_id) and exists(app, PitchVersion, current_id)


def test_the_only_pitch_of_a_municipality_can_go_and_its_briefs_take_the_general_one(
        app, client, specialist, world):
    with app.app_context():
        general = _db.session.get(PitchVersion, world["pitch_id"])
        own = PitchVersion(title="Per ongeluk voor de gemeente", text="Verkeerde tekst", current=True,
                           municipality_id=world["municipality_id"])
        _db.session.add(own)
        _db.session.commit()
        own_id, general_text = own.id, general.text
    page = text(client.get(f"/profilering/pitch/{own_id}/verwijderen"))
    assert "Dit is de enige pitch voor" in page and "de algemene pitch" in page and 'value="ja"' in page
    r = client.post(f"/profilering/pitch/{own_id}/verwijderen", data={"confirm": "ja"}, follow_redirects=True)
    assert "is verwijderd" in text(r) and not exists(app, PitchVersion, own_id)
    brief = text(client.get(f"/profilering/gesprekken/{world['meeting_id']}/briefing"))
    assert "Verkeerde tekst" not in brief and general_text[:30] in brief


@pytest.mark.parametrize("path", [
    "/profilering/gesprekken/{meeting_id}/verwijderen",
    "/profilering/afspraken/{meeting_agreement_id}/bewerken",
    "/profilering/afspraken/{meeting_agreement_id}/verwijderen",
    "/profilering/acties/{plan_action_id}/bewerken",
    "/profilering/acties/{plan_action_id}/verwijderen",
    "/profilering/plan-van-aanpak/{action_plan_id}/verwijderen",
    "/profilering/evaluaties/{evaluation_id}/verwijderen",
    "/profilering/pitch/{pitch_id}/verwijderen",
])
def test_frontoffice_cannot_correct_or_delete(app, client, login_as, world, path):
    login_as("frontoffice")
    url = path.format(**world)
    assert client.get(url).status_code == 403
    assert client.post(url, data={"confirm": "ja", "with_actions": "y"}).status_code == 403
