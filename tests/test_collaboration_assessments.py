"""Afwegingstabel samenwerking: criteria, scores, decision, partner status and history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from collaboration import assessments as svc
from collaboration.models import Assessment, AssessmentCriterion, AssessmentScore
from crm.network.models import Partner, PartnerStatusChange
from tests.collaboration_support import fresh_client

XSS = "<script>alert(1)</script>"


@pytest.fixture
def client(app):
    return fresh_client(app)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def make_partner(db, name="Voedselbank Rivierstad", status="prospect") -> Partner:
    partner = Partner(name=name, kind="voedselbank", status=status)
    db.session.add(partner)
    db.session.commit()
    return partner


def form_data(pid, **overrides) -> dict:
    data = {"partner_id": str(pid), "decision": "aangaan", "rationale": "Bereikt veel gezinnen.",
            "decided_on": "2026-11-20", "decided_by": "Sanne en Karim", "phase": "orientation",
            "score_d0": "5", "note_d0": "Precies onze focusgroep", "score_d6": "2"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_new_assessment_stores_default_criteria_scores_and_follows_decision(client, login_as, db):
    user_id = login_as("specialist")
    partner = make_partner(db)
    form = client.get(f"/samenwerken/afwegingstabel/nieuw?partner={partner.id}").get_data(as_text=True)
    assert "Passendheid" in form and "Realiseerbaarheid" in form
    assert count(db, AssessmentCriterion) == 0  # GET writes nothing
    response = client.post("/samenwerken/afwegingstabel/nieuw",
                           data=form_data(partner.id, apply_status="y"), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "De status van Voedselbank Rivierstad is nu: actief." in page
    assert count(db, AssessmentCriterion) == len(svc.DEFAULT_CRITERIA)
    assessment = db.session.scalar(select(Assessment))
    assert assessment.theme == "samenwerken" and assessment.phase == "orientation"
    scored = {s.label: (s.score, s.note) for s in assessment.scores if s.score is not None}
    assert scored == {svc.DEFAULT_CRITERIA[0][1]: (5, "Precies onze focusgroep"),
                      svc.DEFAULT_CRITERIA[6][1]: (2, None)}
    assert len(assessment.scores) == len(svc.DEFAULT_CRITERIA)
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).status == "actief"
    change = db.session.scalar(select(PartnerStatusChange))
    assert (change.status, change.changed_by_id) == ("actief", user_id)


def test_status_stays_without_confirmation(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    assert client.post("/samenwerken/afwegingstabel/nieuw",
                       data=form_data(partner.id, decision="niet_aangaan")).status_code == 302
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).status == "prospect"
    assert count(db, PartnerStatusChange) == 0


@pytest.mark.parametrize(("decision", "before", "after"), [
    ("aangaan", "verkennend", "actief"),
    ("niet_aangaan", "actief", "beeindigd"),
    ("later", "prospect", "verkennend"),
    ("later", "actief", "actief"),
])
def test_status_follows_decision(db, decision, before, after):
    partner = make_partner(db, status=before)
    svc.follow_decision(partner, decision, None)
    assert partner.status == after
    assert count(db, PartnerStatusChange) == (0 if before == after else 1)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"rationale": ""}, "Vul de onderbouwing in."),
    ({"rationale": "   "}, "Vul de onderbouwing in."),
    ({"score_d0": "7"}, "Vul een cijfer van 1 tot en met 5 in."),
    ({"score_d0": "0"}, "Vul een cijfer van 1 tot en met 5 in."),
    ({"score_d0": "abc"}, "Vul een cijfer van 1 tot en met 5 in."),
    ({"decided_by": ""}, "Vul in wie het besluit nam."),
    ({"decision": ""}, "Kies een besluit."),
    ({"decided_on": "gisteren"}, "Vul een geldige datum in"),
    ({"review_on": "2026-01-01"}, "Kies een datum op of na de datum van het besluit."),
    ({"partner_id": "0"}, "Kies een partner."),
])
def test_bad_input_is_refused_and_nothing_stored(client, login_as, db, overrides, message):
    login_as("specialist")
    partner = make_partner(db)
    response = client.post("/samenwerken/afwegingstabel/nieuw",
                           data=form_data(partner.id, apply_status="y", **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(db, Assessment) == count(db, AssessmentScore) == count(db, AssessmentCriterion) == 0
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).status == "prospect"


def test_service_refuses_score_out_of_range_and_missing_rationale(db):
    partner = make_partner(db)
    data = svc.AssessmentInput(partner_id=partner.id, decision="later", rationale="x",
                               decided_on=date(2026, 1, 1), decided_by="Sanne",
                               scores=[svc.ScoreInput("d0", 6, None)])
    with pytest.raises(svc.CollaborationError, match="1 tot en met 5"):
        svc.save_assessment(None, data, None)
    data.scores, data.rationale = [], ""
    with pytest.raises(svc.CollaborationError, match="waarom"):
        svc.save_assessment(None, data, None)


def test_history_shows_assessments_side_by_side(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    client.post("/samenwerken/afwegingstabel/nieuw",
                data=form_data(partner.id, decision="later", decided_on="2025-03-01", score_d0="2"))
    first = db.session.scalar(select(AssessmentCriterion).order_by(AssessmentCriterion.position))
    client.post("/samenwerken/afwegingstabel/nieuw",  # criteria are stored now: keyed by id
                data=form_data(partner.id, decision="aangaan", decided_on="2026-11-01", score_d0=None,
                               **{f"score_c{first.id}": "4"}))
    page = client.get(f"/samenwerken/partners/{partner.id}/afwegingen").get_data(as_text=True)
    assert page.index("1 maart 2025") < page.index("1 november 2026")
    assert "Later heroverwegen" in page and "Aangaan" in page
    row = page[page.index(svc.DEFAULT_CRITERIA[0][1]):]
    row = row[:row.index("</tr>")]
    assert row.index("<td>2") < row.index("<td>4")


def test_edit_with_stale_version_is_refused(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    client.post("/samenwerken/afwegingstabel/nieuw", data=form_data(partner.id))
    assessment = db.session.scalar(select(Assessment))
    old = assessment.version
    form = client.get(f"/samenwerken/afwegingstabel/{assessment.id}/bewerken").get_data(as_text=True)
    assert 'value="5"' in form and "Precies onze focusgroep" in form
    assessment = db.session.scalar(select(Assessment))
    assessment.rationale = "Een collega was eerder"
    db.session.commit()
    response = client.post(f"/samenwerken/afwegingstabel/{assessment.id}/bewerken",
                           data=form_data(partner.id, rationale="Mijn versie", version=str(old)))
    assert response.status_code == 422
    assert "Iemand anders heeft dit intussen gewijzigd" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Assessment)).rationale == "Een collega was eerder"
    fresh = db.session.scalar(select(Assessment))
    response = client.post(f"/samenwerken/afwegingstabel/{fresh.id}/bewerken",
                           data=form_data(partner.id, rationale="Mijn versie", version=str(fresh.version)))
    assert response.status_code == 302


def test_admin_edits_criteria_and_old_assessments_keep_their_text(client, login_as, db):
    login_as("admin")
    partner = make_partner(db)
    client.post("/samenwerken/afwegingstabel/nieuw", data=form_data(partner.id))
    first = db.session.scalar(select(AssessmentCriterion).order_by(AssessmentCriterion.position))
    response = client.post(f"/samenwerken/afwegingstabel/criteria/{first.id}",
                           data={"group": "passendheid", "label": "Nieuwe tekst"})  # active unticked
    assert response.status_code == 302
    response = client.post("/samenwerken/afwegingstabel/criteria",
                           data={"group": "realiseerbaarheid", "label": "Past het in de planning?"})
    assert response.status_code == 302
    form = client.get("/samenwerken/afwegingstabel/nieuw").get_data(as_text=True)
    assert "Past het in de planning?" in form and "Nieuwe tekst" not in form
    assert svc.DEFAULT_CRITERIA[0][1] not in form
    detail = client.get(f"/samenwerken/afwegingstabel/{db.session.scalar(select(Assessment)).id}")
    assert svc.DEFAULT_CRITERIA[0][1] in detail.get_data(as_text=True)
    old = db.session.scalar(select(Assessment))
    edit = client.get(f"/samenwerken/afwegingstabel/{old.id}/bewerken").get_data(as_text=True)
    assert svc.DEFAULT_CRITERIA[0][1] in edit and "Past het in de planning?" in edit
    own = next(row for row in old.scores if row.criterion_id == first.id)
    response = client.post(f"/samenwerken/afwegingstabel/{old.id}/bewerken", data=form_data(
        partner.id, version=str(old.version), **{f"score_s{own.id}": "1"}))
    assert response.status_code == 302
    db.session.expire_all()
    own = db.session.get(AssessmentScore, own.id)
    assert (own.label, own.score) == (svc.DEFAULT_CRITERIA[0][1], 1)  # its own text, new score
    assert len(db.session.scalar(select(Assessment)).scores) == len(svc.DEFAULT_CRITERIA) + 1
    bad = client.post("/samenwerken/afwegingstabel/criteria", data={"group": "onzin", "label": ""})
    assert bad.status_code == 422 and "Vul het criterium in." in bad.get_data(as_text=True)


def test_specialist_may_not_edit_criteria(client, login_as, db):
    login_as("specialist")
    assert client.get("/samenwerken/afwegingstabel/criteria").status_code == 403
    assert client.post("/samenwerken/afwegingstabel/criteria",
                       data={"group": "passendheid", "label": "x"}).status_code == 403
    assert count(db, AssessmentCriterion) == 0


def test_frontoffice_cannot_open_assessments(client, login_as, db):
    login_as("frontoffice")
    partner = make_partner(db)
    assert client.get("/samenwerken/afwegingstabel").status_code == 403
    assert client.post("/samenwerken/afwegingstabel/nieuw", data=form_data(partner.id)).status_code == 403
    assert client.get(f"/samenwerken/partners/{partner.id}/afwegingen").status_code == 403
    assert count(db, Assessment) == 0


def test_unknown_records_give_404(client, login_as):
    login_as("specialist")
    assert client.get("/samenwerken/afwegingstabel/999").status_code == 404
    assert client.post("/samenwerken/afwegingstabel/999/bewerken", data={}).status_code == 404
    assert client.get("/samenwerken/partners/999/afwegingen").status_code == 404


def test_xss_in_rationale_and_partner_name_is_escaped(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db, name=XSS)
    client.post("/samenwerken/afwegingstabel/nieuw", data=form_data(partner.id, rationale=XSS, note_d0=XSS))
    assessment = db.session.scalar(select(Assessment))
    for url in ("/samenwerken/afwegingstabel", f"/samenwerken/afwegingstabel/{assessment.id}",
                f"/samenwerken/partners/{partner.id}/afwegingen", f"/samenwerken/partners/{partner.id}"):
        page = client.get(url).get_data(as_text=True)
        assert XSS not in page and "&lt;script&gt;" in page, url
