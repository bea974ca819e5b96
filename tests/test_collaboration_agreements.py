"""Krachtenanalyse, samenwerkingsafspraken, the partner page, phase records and demo data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from collaboration.models import Agreement, Assessment, HookMoment, StrengthAnalysis
from crm.guide import Phase, Theme
from crm.network.models import Partner
from crm.registry import current_registry
from tests.collaboration_support import fresh_client

XSS = "<script>alert(1)</script>"


@pytest.fixture
def client(app):
    return fresh_client(app)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def make_partner(db, name="Consultatiebureau Rivierstad (JGZ)", kind="consultatiebureau") -> Partner:
    partner = Partner(name=name, kind=kind, status="actief")
    db.session.add(partner)
    db.session.commit()
    return partner


def agreement_data(ids, **overrides) -> dict:
    data = {"title": "Netwerk BoekStart", "partner_ids": [str(i) for i in ids],
            "ambition": "Elk kind groeit op met boeken.", "who_decides": "De stuurgroep",
            "meeting_frequency": "Eens per zes weken", "document_kind": "intentieverklaring",
            "document_date": "2026-09-01", "reflection_on": "2027-03-01", "phase": "creation"}
    data.update(overrides)
    return data


# -- krachtenanalyse --------------------------------------------------------------------------------
def test_analysis_is_stored_and_shown_on_the_partner_page(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    response = client.post("/samenwerken/krachtenanalyse/nieuw", data={
        "partner_id": str(partner.id), "made_on": "2026-11-01", "interests": "Gezonde ontwikkeling",
        "added_value": "Ziet elk gezin", "library_needs": "Uitnodigingen uitdelen", "phase": "creation"})
    assert response.status_code == 302
    analysis = db.session.scalar(select(StrengthAnalysis))
    assert (analysis.theme, analysis.phase) == ("samenwerken", "creation")
    page = client.get(f"/samenwerken/partners/{partner.id}").get_data(as_text=True)
    assert "Ziet elk gezin" in page and "Uitnodigingen uitdelen" in page


def test_empty_analysis_is_refused(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    response = client.post("/samenwerken/krachtenanalyse/nieuw",
                           data={"partner_id": str(partner.id), "made_on": "2026-11-01", "phase": "creation"})
    assert response.status_code == 422
    assert "Vul ten minste één onderdeel van de krachtenanalyse in." in response.get_data(as_text=True)
    assert count(db, StrengthAnalysis) == 0


def test_analysis_version_check(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    analysis = StrengthAnalysis(partner=partner, made_on=date(2026, 1, 1), interests="Oud")
    db.session.add(analysis)
    db.session.commit()
    old = analysis.version
    analysis.interests = "Collega"
    db.session.commit()
    response = client.post(f"/samenwerken/krachtenanalyse/{analysis.id}/bewerken", data={
        "partner_id": str(partner.id), "made_on": "2026-01-01", "interests": "Ik",
        "phase": "creation", "version": str(old)})
    assert response.status_code == 422
    assert "Iemand anders heeft dit intussen gewijzigd" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(StrengthAnalysis, analysis.id).interests == "Collega"


# -- samenwerkingsafspraken ---------------------------------------------------------------------------
def test_agreement_for_a_network_of_partners(client, login_as, db):
    login_as("specialist")
    jgz = make_partner(db)
    opvang = make_partner(db, "Kinderopvang De Ukkepuk", "kinderopvang")
    response = client.post("/samenwerken/afspraken/nieuw", data=agreement_data([jgz.id, opvang.id]))
    assert response.status_code == 302
    agreement = db.session.scalar(select(Agreement))
    assert {p.name for p in agreement.partners} == {jgz.name, opvang.name}
    assert agreement.document_date == date(2026, 9, 1) and agreement.reflection_on == date(2027, 3, 1)
    assert (agreement.theme, agreement.phase) == ("samenwerken", "creation")
    page = client.get(f"/samenwerken/afspraken/{agreement.id}").get_data(as_text=True)
    assert "Intentieverklaring, getekend op 1 september 2026" in page and "De stuurgroep" in page
    for partner in (jgz, opvang):
        assert "Netwerk BoekStart" in client.get(f"/samenwerken/partners/{partner.id}").get_data(as_text=True)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"partner_ids": []}, "Kies ten minste één partner."),
    ({"ambition": ""}, "Vul de gezamenlijke ambitie in."),
    ({"title": ""}, "Vul de naam in."),
    ({"document_date": ""}, "Vul de datum van het document in."),
    ({"reflection_on": "1-13-2027"}, "Vul een geldige datum in"),
    ({"reflection_on": "2026-01-01"}, "Kies een datum voor het terugkijken op of na de datum van het document."),
    ({"partner_ids": ["99999"]}, "Kies alleen uit de lijst."),
])
def test_bad_agreement_is_refused(client, login_as, db, overrides, message):
    login_as("specialist")
    partner = make_partner(db)
    response = client.post("/samenwerken/afspraken/nieuw", data=agreement_data([partner.id], **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(db, Agreement) == 0


def test_agreement_version_check(client, login_as, db):
    login_as("admin")
    partner = make_partner(db)
    agreement = Agreement(title="A", ambition="Oud", partners=[partner])
    db.session.add(agreement)
    db.session.commit()
    old = agreement.version
    agreement.ambition = "Collega"
    db.session.commit()
    response = client.post(f"/samenwerken/afspraken/{agreement.id}/bewerken",
                           data=agreement_data([partner.id], version=str(old)))
    assert response.status_code == 422
    assert "Iemand anders heeft dit intussen gewijzigd" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Agreement, agreement.id).ambition == "Collega"


def test_reflection_due_shows_on_start_page(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    db.session.add_all([
        Agreement(title="Bijna tijd", ambition="x", partners=[partner],
                  reflection_on=date.today() + timedelta(days=5)),
        Agreement(title="Nog lang niet", ambition="x", partners=[partner],
                  reflection_on=date.today() + timedelta(days=200)),
    ])
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Reflecteren op de samenwerking" in page
    assert "Bijna tijd" in page and "Nog lang niet" not in page


def test_no_reflection_panel_when_nothing_due(client, login_as):
    login_as("specialist")
    assert "Reflecteren op de samenwerking" not in client.get("/").get_data(as_text=True)


def test_frontoffice_and_unknown_records(client, login_as, db):
    login_as("frontoffice")
    partner = make_partner(db)
    assert client.get(f"/samenwerken/partners/{partner.id}").status_code == 403
    assert client.get("/samenwerken/afspraken").status_code == 403
    assert client.post("/samenwerken/afspraken/nieuw", data=agreement_data([partner.id])).status_code == 403
    assert count(db, Agreement) == 0
    client.post("/uitloggen")
    login_as("specialist")
    assert client.get("/samenwerken/partners/999").status_code == 404
    assert client.get("/samenwerken/afspraken/999").status_code == 404
    assert client.get("/samenwerken/krachtenanalyse/999").status_code == 404


def test_xss_in_agreement_and_analysis_is_escaped(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db, name=XSS)
    client.post("/samenwerken/afspraken/nieuw", data=agreement_data([partner.id], title=XSS, ambition=XSS))
    client.post("/samenwerken/krachtenanalyse/nieuw", data={
        "partner_id": str(partner.id), "made_on": "2026-11-01", "strengths": XSS, "phase": "creation"})
    agreement, analysis = db.session.scalar(select(Agreement)), db.session.scalar(select(StrengthAnalysis))
    for url in ("/samenwerken/afspraken", f"/samenwerken/afspraken/{agreement.id}",
                f"/samenwerken/krachtenanalyse/{analysis.id}", "/samenwerken/krachtenanalyse",
                f"/samenwerken/partners/{partner.id}", f"/samenwerken/afspraken/{agreement.id}/bewerken"):
        page = client.get(url).get_data(as_text=True)
        assert XSS not in page and "&lt;script&gt;" in page, url


# -- registry and demo ----------------------------------------------------------------------------------
def test_instruments_and_phase_records_are_registered(app, db):
    from crm.demo import seed_demo

    seed_demo()
    db.session.commit()
    registry = current_registry()
    keys = {i.key for i in registry.instruments_of(Theme.COLLABORATION, Phase.ORIENTATION)}
    assert {"aanhaakkalender", "afwegingstabel"} <= keys
    keys = {i.key for i in registry.instruments_of(Theme.COLLABORATION, Phase.CREATION)}
    assert {"krachtenanalyse", "samenwerkingsafspraken"} <= keys
    with app.test_request_context():
        orientation = {r.kind for r in registry.records_of(Theme.COLLABORATION, Phase.ORIENTATION)}
        creation = list(registry.records_of(Theme.COLLABORATION, Phase.CREATION))
    assert {"Aanhaakkalender", "Afwegingstabel"} <= orientation
    assert {r.label for r in creation} >= {"Netwerk BoekStart Rivierstad",
                                           "Consultatiebureau Rivierstad (JGZ)"}


def test_demo_data(app, db, client, login_as):
    from collaboration.demo import seed_demo

    login_as("specialist")
    seed_demo(date(2026, 11, 25))
    db.session.commit()
    assert count(db, HookMoment) > 10
    assert db.session.scalar(select(func.count()).select_from(HookMoment)
                             .where(HookMoment.action_date.is_not(None))) >= 3
    decisions = {a.partner.name: a.decision for a in db.session.scalars(select(Assessment))}
    assert decisions == {"Kinderopvang De Ukkepuk": "aangaan", "Voedselbank Rivierstad": "later"}
    statuses = {p.name: p.status for p in db.session.scalars(select(Partner))}
    assert statuses["Kinderopvang De Ukkepuk"] == "actief"
    assert statuses["Voedselbank Rivierstad"] == "verkennend"
    assert count(db, StrengthAnalysis) == 1 and count(db, Agreement) == 1
    ukkepuk = db.session.scalar(select(Partner).where(Partner.name == "Kinderopvang De Ukkepuk"))
    page = client.get(f"/samenwerken/partners/{ukkepuk.id}").get_data(as_text=True)
    assert "Aangaan" in page and "Netwerk BoekStart Rivierstad" in page and "Kinderboekenweek" in page


def test_nul_characters_are_dropped(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    response = client.post("/samenwerken/afspraken/nieuw",
                           data=agreement_data([partner.id], title="Net\x00werk", ambition="Sa\x00men"))
    assert response.status_code == 302
    agreement = db.session.scalar(select(Agreement))
    assert (agreement.title, agreement.ambition) == ("Netwerk", "Samen")
