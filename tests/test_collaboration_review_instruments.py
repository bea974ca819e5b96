"""Review 3 on the instruments: a create form sent twice stores one record (finding 2), an
afwegingstabel, krachtenanalyse or samenwerkingsafspraak can be deleted after a confirmation
(finding 3), unlikely dates are warned about and the messages and layout of the
afwegingstabel and the aanhaakkalender are plain (findings 9-11)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from collaboration.models import (
    Agreement,
    Assessment,
    AssessmentCriterion,
    AssessmentScore,
    HookMoment,
    StrengthAnalysis,
)
from collaboration.scan.models import ScanRound
from crm.audit import AuditEntry
from crm.db import utcnow
from crm.network.models import Partner
from crm.web import local_today
from tests.collaboration_support import fresh_client
from tests.fixtures.users import PASSWORD, make_user

ALREADY = "Dit was al opgeslagen"


@pytest.fixture
def client(app):
    return fresh_client(app)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def make_partner(db, name="Taalhuis Rivierstad", status="actief") -> Partner:
    partner = Partner(name=name, kind="welzijn", status=status)
    db.session.add(partner)
    db.session.commit()
    return partner


def assessment_data(pid, **overrides) -> dict:
    data = {"partner_id": str(pid), "decision": "aangaan", "rationale": "DBLTEST",
            "decided_on": local_today().isoformat(), "decided_by": "Sanne", "phase": "orientation",
            "score_d0": "4"}
    data.update(overrides)
    return data


def analysis_data(pid, **overrides) -> dict:
    data = {"partner_id": str(pid), "made_on": local_today().isoformat(), "interests": "Taal voor ouders",
            "phase": "creation"}
    data.update(overrides)
    return data


def agreement_data(pid, **overrides) -> dict:
    data = {"title": "Test afspraak", "partner_ids": [str(pid)], "ambition": "Elk kind leest.",
            "document_kind": "", "phase": "creation"}
    data.update(overrides)
    return data


def flashes(client) -> str:
    """The page after a redirect, with its flash messages."""
    return client.get("/samenwerken/").get_data(as_text=True)


# -- finding 2: the same create form twice ---------------------------------------------------------
CREATE_FORMS = [
    ("/samenwerken/afwegingstabel/nieuw", assessment_data, Assessment, "/samenwerken/afwegingstabel/"),
    ("/samenwerken/krachtenanalyse/nieuw", analysis_data, StrengthAnalysis, "/samenwerken/krachtenanalyse/"),
    ("/samenwerken/afspraken/nieuw", agreement_data, Agreement, "/samenwerken/afspraken/"),
]


@pytest.mark.parametrize(("url", "data", "model", "detail"), CREATE_FORMS)
def test_the_same_create_form_twice_stores_one_record(client, login_as, db, url, data, model, detail):
    login_as("specialist")
    partner = make_partner(db)
    first = client.post(url, data=data(partner.id))
    assert first.status_code == 302
    second = client.post(url, data=data(partner.id), follow_redirects=True)
    page = second.get_data(as_text=True)
    assert second.status_code == 200 and ALREADY in page and "niets dubbel bewaard" in page
    assert count(db, model) == 1
    record = db.session.scalar(select(model))
    assert second.request.path == f"{detail}{record.id}"  # the user sees the stored record
    assert first.headers["Location"].endswith(f"{detail}{record.id}")


def test_a_second_assessment_with_other_content_or_later_is_stored(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    assert client.post("/samenwerken/afwegingstabel/nieuw", data=assessment_data(partner.id)).status_code == 302
    other = client.post("/samenwerken/afwegingstabel/nieuw",
                        data=assessment_data(partner.id, rationale="Een andere onderbouwing"))
    assert other.status_code == 302 and count(db, Assessment) == 2
    # The same content again, but the first was stored more than half a minute ago: on purpose.
    db.session.execute(update(Assessment).values(created_at=utcnow() - timedelta(seconds=40)))
    db.session.commit()
    again = client.post("/samenwerken/afwegingstabel/nieuw", data=assessment_data(partner.id))
    assert again.status_code == 302 and count(db, Assessment) == 3
    assert count(db, AssessmentScore) == 3 * 10  # every stored assessment has its own scores


def test_the_same_form_from_a_colleague_is_their_own_record(app, client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    assert client.post("/samenwerken/krachtenanalyse/nieuw", data=analysis_data(partner.id)).status_code == 302
    colleague = fresh_client(app)
    login_as("specialist", colleague)
    assert colleague.post("/samenwerken/krachtenanalyse/nieuw",
                          data=analysis_data(partner.id)).status_code == 302
    assert count(db, StrengthAnalysis) == 2


def test_the_same_agreement_with_other_partners_is_stored(client, login_as, db):
    login_as("specialist")
    one, two = make_partner(db), make_partner(db, "Welzijn Rivierstad")
    assert client.post("/samenwerken/afspraken/nieuw", data=agreement_data(one.id)).status_code == 302
    assert client.post("/samenwerken/afspraken/nieuw", data=agreement_data(two.id)).status_code == 302
    assert count(db, Agreement) == 2


def test_the_same_calendar_moment_and_criterion_twice(client, login_as, db):
    login_as("admin")
    moment = {"kind": "levensfase", "title": "Consult 3 maanden", "age_months": "3", "owner_id": "0",
              "phase": "orientation"}
    assert client.post("/samenwerken/aanhaakkalender/nieuw", data=moment).status_code == 302
    page = client.post("/samenwerken/aanhaakkalender/nieuw", data=moment, follow_redirects=True)
    assert ALREADY in page.get_data(as_text=True) and "Consult 3 maanden" in page.get_data(as_text=True)
    assert count(db, HookMoment) == 1
    criterion = {"group": "passendheid", "label": "Deelt de partner onze doelen?"}
    assert client.post("/samenwerken/afwegingstabel/criteria", data=criterion).status_code == 302
    page = client.post("/samenwerken/afwegingstabel/criteria", data=criterion, follow_redirects=True)
    assert ALREADY in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AssessmentCriterion)
                             .where(AssessmentCriterion.label == criterion["label"])) == 1


def test_the_same_scan_round_twice(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    today = local_today()
    data = {"title": "Scan najaar", "partner_ids": [str(partner.id)], "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=14)).isoformat(), "partners_may_see_results": "y"}
    assert client.post("/samenwerken/scan/nieuw", data=data).status_code == 302
    page = client.post("/samenwerken/scan/nieuw", data=data, follow_redirects=True)
    assert ALREADY in page.get_data(as_text=True) and "Scan najaar" in page.get_data(as_text=True)
    assert count(db, ScanRound) == 1


# -- finding 3: deleting with a confirmation ----------------------------------------------------------
def test_deleting_an_assessment_asks_first_then_removes_it_with_its_scores(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db, status="prospect")
    client.post("/samenwerken/afwegingstabel/nieuw", data=assessment_data(partner.id, apply_status="y"))
    assessment_id = db.session.scalar(select(Assessment.id))
    detail = client.get(f"/samenwerken/afwegingstabel/{assessment_id}").get_data(as_text=True)
    assert f'href="/samenwerken/afwegingstabel/{assessment_id}/verwijderen"' in detail
    url = f"/samenwerken/afwegingstabel/{assessment_id}/verwijderen"
    assert "Taalhuis Rivierstad: aangaan" in client.get("/wegwijzer/samenwerken/orientation").get_data(as_text=True)
    confirm = client.get(url)
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Afwegingstabel van Taalhuis Rivierstad verwijderen?" in page
    assert "Dit kun je niet ongedaan maken." in page and "Nee, terug" in page
    assert "De status van Taalhuis Rivierstad blijft zoals hij nu is: actief." in page
    # A POST without the button's value (an old page, a script) deletes nothing.
    assert client.post(url).status_code == 200
    assert count(db, Assessment) == 1
    response = client.post(url, data={"confirm": "ja"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/samenwerken/afwegingstabel")
    assert count(db, Assessment) == 0 and count(db, AssessmentScore) == 0
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).status == "actief"
    page = client.get("/samenwerken/afwegingstabel").get_data(as_text=True)
    assert "De afwegingstabel van Taalhuis Rivierstad" in page and "is verwijderd." in page
    assert f"/samenwerken/afwegingstabel/{assessment_id}\"" not in page
    history = client.get(f"/samenwerken/partners/{partner.id}/afwegingen").get_data(as_text=True)
    assert "DBLTEST" not in history
    wegwijzer = client.get("/wegwijzer/samenwerken/orientation").get_data(as_text=True)
    assert "Taalhuis Rivierstad: aangaan" not in wegwijzer
    deleted = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "delete")).all()
    assert ("crm_assessment", assessment_id) in {(e.record_type, e.record_id) for e in deleted}


def test_deleting_an_analysis(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    client.post("/samenwerken/krachtenanalyse/nieuw", data=analysis_data(partner.id))
    analysis = db.session.scalar(select(StrengthAnalysis))
    url = f"/samenwerken/krachtenanalyse/{analysis.id}/verwijderen"
    assert f'href="{url}"' in client.get(f"/samenwerken/krachtenanalyse/{analysis.id}").get_data(as_text=True)
    assert "Krachtenanalyse van Taalhuis Rivierstad verwijderen?" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"confirm": "ja"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.request.path == "/samenwerken/krachtenanalyse" and "is verwijderd" in page
    assert count(db, StrengthAnalysis) == 0
    assert "Taal voor ouders" not in client.get(f"/samenwerken/partners/{partner.id}").get_data(as_text=True)


def test_deleting_agreements_unlinks_their_scan_rounds_and_ends_the_reminder(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    client.post("/samenwerken/afspraken/nieuw",
                data=agreement_data(partner.id, reflection_on="2020-01-01"))
    agreement = db.session.scalar(select(Agreement))
    round_ = ScanRound(title="Scan bij de afspraken", collaboration_key=str(partner.id),
                       opens_on=date(2026, 1, 1), closes_on=date(2026, 2, 1), agreement_id=agreement.id,
                       questionnaire_id=_questionnaire_id(db))
    db.session.add(round_)
    db.session.commit()
    assert "Test afspraak" in client.get("/").get_data(as_text=True)  # the reflection reminder
    assert "Test afspraak" in client.get("/wegwijzer/samenwerken/creation").get_data(as_text=True)
    url = f"/samenwerken/afspraken/{agreement.id}/verwijderen"
    page = client.get(url).get_data(as_text=True)
    assert "Samenwerkingsafspraken ‘Test afspraak’ verwijderen?" in page
    assert "de koppeling vervalt" in page and f"/samenwerken/scan/{round_.id}" in page
    response = client.post(url, data={"confirm": "ja"}, follow_redirects=True)
    assert response.request.path == "/samenwerken/afspraken"
    assert "De samenwerkingsafspraken ‘Test afspraak’ zijn verwijderd." in response.get_data(as_text=True)
    db.session.expire_all()
    assert count(db, Agreement) == 0
    assert db.session.get(ScanRound, round_.id).agreement_id is None
    assert db.session.get(Partner, partner.id) is not None
    assert "Test afspraak" not in client.get("/").get_data(as_text=True)
    assert "Test afspraak" not in client.get("/wegwijzer/samenwerken/creation").get_data(as_text=True)


def _questionnaire_id(db) -> int:
    from collaboration.scan.services import current_questionnaire

    questionnaire_id = current_questionnaire().id
    db.session.commit()
    return questionnaire_id


def test_frontoffice_cannot_delete_and_a_post_needs_the_csrf_token(app, client, csrf_app, login_as, db):
    partner = make_partner(db)
    analysis = StrengthAnalysis(partner=partner, made_on=date(2026, 1, 1), interests="x")
    db.session.add(analysis)
    db.session.commit()
    login_as("frontoffice")
    url = f"/samenwerken/krachtenanalyse/{analysis.id}/verwijderen"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"confirm": "ja"}).status_code == 403
    guarded = fresh_client(csrf_app)
    with csrf_app.app_context():
        email = make_user("specialist").email
    token = _token(guarded.get("/inloggen").get_data(as_text=True))
    guarded.post("/inloggen", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert guarded.post(url, data={"confirm": "ja"}).status_code == 400
    token = _token(guarded.get(url).get_data(as_text=True))
    assert guarded.post(url, data={"confirm": "ja", "csrf_token": token}).status_code == 302
    assert count(db, StrengthAnalysis) == 0


def _token(page: str) -> str:
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


# -- findings 9-11: dates, messages, layout -----------------------------------------------------------
def test_a_reflection_date_in_the_past_is_stored_with_a_warning_once(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    response = client.post("/samenwerken/afspraken/nieuw",
                           data=agreement_data(partner.id, reflection_on="2020-01-01"), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Let op: de datum om samen te reflecteren (1 januari 2020) ligt in het verleden." in page
    assert "herinnering op de startpagina" in page
    agreement = db.session.scalar(select(Agreement))
    edit = client.post(f"/samenwerken/afspraken/{agreement.id}/bewerken", follow_redirects=True,
                       data=agreement_data(partner.id, reflection_on="2020-01-01", version=str(agreement.version),
                                           ambition="Elk kind leest elke dag."))
    assert "De wijzigingen zijn opgeslagen." in edit.get_data(as_text=True)
    assert "ligt in het verleden" not in edit.get_data(as_text=True)  # an overdue reminder, not a typo
    future = (local_today() + timedelta(days=60)).isoformat()
    response = client.post("/samenwerken/afspraken/nieuw", follow_redirects=True,
                           data=agreement_data(partner.id, title="Ander netwerk", reflection_on=future))
    assert "Let op" not in response.get_data(as_text=True)


def test_a_decision_date_in_the_future_is_warned_about(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    later = local_today() + timedelta(days=400)
    response = client.post("/samenwerken/afwegingstabel/nieuw", follow_redirects=True,
                           data=assessment_data(partner.id, decided_on=later.isoformat()))
    assert "Let op: de datum van het besluit" in response.get_data(as_text=True)
    assert "ligt in de toekomst" in response.get_data(as_text=True)
    assert count(db, Assessment) == 1


def test_afwegingstabel_form_shows_1_to_5_at_every_score_and_keeps_labels_wide(client, login_as, db):
    login_as("specialist")
    make_partner(db)
    page = client.get("/samenwerken/afwegingstabel/nieuw").get_data(as_text=True)
    assert page.count("Score (1 tot en met 5)") == 10
    assert '<div class="input-short"><input id="score_d0" inputmode="numeric" max="5" min="1"' in page
    # The date input is short; its field (label, hint) is not squeezed to the input's width.
    assert "field input-short" not in page
    assert '<div class="input-short"><input aria-required="true" id="decided_on"' in page
    assert '<div class="input-short"><input aria-describedby="review_on-hint" id="review_on"' in page


@pytest.mark.parametrize(("raw", "stored", "message"), [
    ("−9", -9, None),  # the minus sign of the hint
    ("-9", -9, None),
    ("abc", None, "Vul de leeftijd in als aantal maanden, zoals 45, of −9 voor het begin van de zwangerschap."),
    ("97", None, "Kies een leeftijd van −9 tot en met 96 maanden."),
])
def test_age_in_months_as_the_hint_writes_it(client, login_as, db, raw, stored, message):
    login_as("specialist")
    response = client.post("/samenwerken/aanhaakkalender/nieuw", data={
        "kind": "levensfase", "title": "Begin zwangerschap", "age_months": raw, "owner_id": "0",
        "phase": "orientation"})
    if message:
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        assert "zoals 12" not in response.get_data(as_text=True)
        assert count(db, HookMoment) == 0
    else:
        assert response.status_code == 302
        assert db.session.scalar(select(HookMoment.age_months)) == stored
