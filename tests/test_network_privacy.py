"""AVG: a person's data can be exported and erased everywhere (QUALITY 17, 18)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from crm.audit import AuditEntry
from crm.db import db as db_proxy
from crm.network.models import Affiliation, Contact, Interaction, Partner


def setup_person(app):
    with app.app_context():
        partner = Partner(name="Gemeente Rivierstad", kind="gemeente", status="actief",
                          notes="Peter van Dijk is de voorzitter")
        person = Contact(name="Peter van Dijk", email="p.vandijk@raad.example", phone="06 1234 5678",
                         notes="Houdt van voetbal", hook="Opa van een peuter")
        person.affiliations.append(Affiliation(partner=partner, function="Raadslid"))
        other = Contact(name="Marieke Jansen", notes="Kent Peter van Dijk goed")
        linked = Interaction(kind="telefoon", occurred_on=date.today(), summary="Gebeld met Peter van Dijk",
                             outcome="Mail naar p.vandijk@raad.example", contacts=[person, other])
        mention = Interaction(kind="bijeenkomst", occurred_on=date.today(),
                              summary="Raadsvergadering; peter van dijk stelde vragen", contacts=[other])
        unrelated = Interaction(kind="telefoon", occurred_on=date.today(), summary="Niets over hem")
        db_proxy.session.add_all([partner, person, other, linked, mention, unrelated])
        db_proxy.session.commit()
        return person.id


def test_export_everything_about_a_person(app, client, login_as):
    login_as("specialist")
    cid = setup_person(app)
    r = client.get(f"/personen/{cid}/avg.json")
    assert r.mimetype == "application/json" and "attachment" in r.headers["Content-Disposition"]
    data = json.loads(r.data)
    assert data["persoon"]["naam"] == "Peter van Dijk"
    assert data["organisaties"][0]["functie"] == "Raadslid"
    summaries = {m["samenvatting"] for m in data["contactmomenten"]}
    assert summaries == {"Gebeld met Peter van Dijk", "Raadsvergadering; peter van dijk stelde vragen"}
    html = client.get(f"/personen/{cid}/avg/afdruk").get_data(as_text=True)
    assert "Houdt van voetbal" in html and "data-print" in html
    assert "2 contactmoment(en)" in client.get(f"/personen/{cid}/avg").get_data(as_text=True)
    with app.app_context():
        actions = [e.action for e in db_proxy.session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "crm_contact", AuditEntry.record_id == cid))]
        assert actions.count("export") == 2 and "view" in actions


def test_erase_needs_the_name_typed(app, client, login_as):
    login_as("specialist")
    cid = setup_person(app)
    r = client.post(f"/personen/{cid}/wissen", data={"confirm_name": "iemand anders"})
    assert r.status_code == 422 and "De naam klopt niet" in r.get_data(as_text=True)
    with app.app_context():
        assert db_proxy.session.get(Contact, cid).erased_at is None


def test_erase_removes_the_person_everywhere(app, client, login_as):
    login_as("specialist")
    cid = setup_person(app)
    r = client.post(f"/personen/{cid}/wissen", data={"confirm_name": "peter van dijk"})
    assert r.status_code == 302
    with app.app_context():
        person = db_proxy.session.get(Contact, cid)
        assert person.erased_at is not None and person.name == "Gewiste persoon"
        assert person.email is None and person.phone is None and person.notes is None
        assert not person.affiliations
        texts = []
        for i in db_proxy.session.scalars(select(Interaction)):
            texts += [i.summary or "", i.outcome or ""]
            assert cid not in [c.id for c in i.contacts]
        texts += [p.notes or "" for p in db_proxy.session.scalars(select(Partner))]
        texts += [c.notes or "" for c in db_proxy.session.scalars(select(Contact))]
        blob = " ".join(texts).lower()
        assert "peter van dijk" not in blob and "p.vandijk@raad.example" not in blob
        assert "[verwijderd]" in blob
        # the audit log never held values; the erasure itself is logged
        for entry in db_proxy.session.scalars(select(AuditEntry)):
            assert "Peter" not in json.dumps(entry.fields or [])
        assert db_proxy.session.scalar(select(AuditEntry).where(AuditEntry.action == "erase")) is not None
    assert "Peter van Dijk" not in client.get("/zoeken?q=peter").get_data(as_text=True)
    assert "Peter van Dijk" not in client.get("/personen").get_data(as_text=True)
    assert client.get(f"/personen/{cid}/bewerken").status_code == 302
