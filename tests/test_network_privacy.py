"""AVG: a person's data can be exported and erased everywhere (QUALITY 17, 18)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select

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
    # fields by their Dutch names, as the forms call them
    assert {k for m in data["genoemd in"] for k in m["tekst"]} == {"notities"}
    created = next(e for e in data["logboek"] if e["wat"] == "aangemaakt")
    assert {"naam", "e-mailadres", "telefoon"} <= set(created["velden"]) and "name" not in created["velden"]
    html = client.get(f"/personen/{cid}/avg/afdruk").get_data(as_text=True)
    assert "Houdt van voetbal" in html and "data-print" in html
    assert "2 contactmomenten waarin" in client.get(f"/personen/{cid}/avg").get_data(as_text=True)
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
    assert r.status_code == 200 and "De persoon is gewist" in r.get_data(as_text=True)
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


def _changed_by_erase(app, since_id: int, cid: int) -> set[tuple[str, int]]:
    """The other records the erasure changed, read from the audit log (field names only)."""
    with app.app_context():
        rows = db_proxy.session.scalars(select(AuditEntry).where(
            AuditEntry.id > since_id, AuditEntry.action == "update")).all()
        return {(e.record_type, e.record_id) for e in rows if (e.record_type, e.record_id) != ("crm_contact", cid)}


def test_inzage_lists_exactly_what_erase_changes(app, client, login_as):
    from crm.network import privacy

    login_as("specialist")
    cid = setup_person(app)
    with app.app_context():
        # an organisation whose e-mail and phone are the person's own
        own = Partner(name="Raadsfractie", kind="gemeente", status="actief",
                      email="P.vanDijk@raad.example", phone="0612345678")
        other = Partner(name="Welzijn", kind="welzijn", status="actief", email="info@welzijn.example",
                        phone="010 123 45 67")
        db_proxy.session.add_all([own, other])
        db_proxy.session.commit()
        own_id, other_id = own.id, other.id
    data = json.loads(client.get(f"/personen/{cid}/avg.json").data)
    listed = {(m["soort"], m["titel"]) for m in data["genoemd in"]}
    assert listed == {("partner", "Gemeente Rivierstad"), ("partner", "Raadsfractie"),
                      ("persoon", "Marieke Jansen")}
    assert {m["soort"] for m in data["contactmomenten"]} == {"Telefoon", "Bijeenkomst"}
    with app.app_context():
        found = privacy.find_mentions(db_proxy.session.get(Contact, cid))
        expected = {(type(m.record).__tablename__, m.record.id) for m in found.others}
        moments = {m.id for m in found.moments}
        assert len(expected) == len(data["genoemd in"]) and len(moments) == len(data["contactmomenten"])
        since = db_proxy.session.scalar(select(func.max(AuditEntry.id)))
    r = client.post(f"/personen/{cid}/wissen", data={"confirm_name": "Peter van Dijk"})
    assert r.status_code == 200
    changed = _changed_by_erase(app, since, cid)
    assert {c for c in changed if c[0] != "crm_interaction"} == expected
    assert {i for t, i in changed if t == "crm_interaction"} == moments
    page = r.get_data(as_text=True)
    assert f"In {len(expected) + len(moments)} andere gegevens" in page
    assert "het e-mailadres bij partner ‘Raadsfractie’" in page
    # never in a flash: the session cookie is signed, not encrypted
    assert "Raadsfractie" not in client.get("/personen").get_data(as_text=True)
    with app.app_context():
        own, other = db_proxy.session.get(Partner, own_id), db_proxy.session.get(Partner, other_id)
        assert own.email is None and own.phone is None
        assert other.email == "info@welzijn.example" and other.phone == "010 123 45 67"
        erase = db_proxy.session.scalar(select(AuditEntry).where(AuditEntry.action == "erase"))
        assert "crm_partner.email" in erase.fields and "crm_partner.notes" in erase.fields
        assert not any("@" in f or "Peter" in f for f in erase.fields)


def test_full_name_any_case_and_spacing_partial_names_only_listed(app, client, login_as):
    login_as("specialist")
    with app.app_context():
        person = Contact(name="Zwaantje Kwakernaak", email="z.kwakernaak@gemeente.example")
        spaced = Interaction(kind="telefoon", occurred_on=date.today(),
                             summary="Gebeld met ZWAANTJE\n  kwakernaak over de VVE")
        surname = Interaction(kind="telefoon", occurred_on=date.today(), summary="Mevrouw Kwakernaak was er")
        first = Interaction(kind="e-mail", occurred_on=date.today(), summary="Zwaantje bellen")
        longer = Interaction(kind="e-mail", occurred_on=date.today(), summary="Kwakernaakstraat 4 gebeld")
        partner = Partner(name="Bieb", kind="welzijn", status="actief", notes="Vraag Kwakernaak om advies")
        db_proxy.session.add_all([person, spaced, surname, first, longer, partner])
        db_proxy.session.commit()
        cid, ids = person.id, (spaced.id, surname.id, first.id, longer.id)
    data = json.loads(client.get(f"/personen/{cid}/avg.json").data)
    assert [m["samenvatting"] for m in data["contactmomenten"]] == ["Gebeld met ZWAANTJE\n  kwakernaak over de VVE"]
    possible = data["mogelijk over deze persoon"]
    assert {m["soort"] for m in possible} == {"contactmoment", "partner"} and len(possible) == 3
    page = client.get(f"/personen/{cid}/avg").get_data(as_text=True)
    assert "Mogelijk over deze persoon" in page and "Die tekst blijft staan" in page
    assert f'href="/contactmomenten/{ids[1]}"' in page and f'href="/contactmomenten/{ids[2]}"' in page
    assert f'href="/contactmomenten/{ids[3]}"' not in page  # "Kwakernaakstraat" is another word
    r = client.post(f"/personen/{cid}/wissen", data={"confirm_name": "zwaantje  kwakernaak"})
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "In 3 gegevens staat alleen de voornaam of de achternaam" in page
    assert f'href="/contactmomenten/{ids[1]}"' in page and f'href="/contactmomenten/{ids[2]}"' in page
    with app.app_context():
        texts = [db_proxy.session.get(Interaction, i).summary for i in ids]
        assert texts == ["Gebeld met [verwijderd] over de VVE", "Mevrouw Kwakernaak was er", "Zwaantje bellen",
                         "Kwakernaakstraat 4 gebeld"]


def test_names_with_capital_non_ascii_letters_are_found_and_erased(app, client, login_as):
    """SQLite's lower() and LIKE fold only ASCII; JSON writes Ö as \\u00d6 and ö as \\u00f6."""
    from content.models import YearSnapshot

    login_as("specialist")
    names = ["Özlem Çelik", "Şükrü Öztürk", "Ümit Özdemir"]
    with app.app_context():
        people = [Contact(name=n) for n in names]
        moments = [Interaction(kind="telefoon", occurred_on=date.today(), summary=f"Gebeld met {n.upper()}")
                   for n in names]
        notes = [Partner(name=f"Partner {i}", kind="welzijn", status="actief", notes=f"Vraag {n} om raad")
                 for i, n in enumerate(names)]
        snapshots = [YearSnapshot(year=2010 + i, data={"notes": [f"Met {n} besproken"]})
                     for i, n in enumerate(names)]
        db_proxy.session.add_all(people + moments + notes + snapshots)
        db_proxy.session.commit()
        ids = [(p.id, m.id, n.id, s.id) for p, m, n, s in zip(people, moments, notes, snapshots, strict=True)]
    for cid, mid, pid, sid in ids:
        report = json.loads(client.get(f"/personen/{cid}/avg.json").data)
        assert len(report["contactmomenten"]) == 1
        assert sorted(m["soort"] for m in report["genoemd in"]) == ["jaarevaluatie", "partner"]
        name = report["persoon"]["naam"]
        assert client.post(f"/personen/{cid}/wissen", data={"confirm_name": name}).status_code == 200
        with app.app_context():
            assert db_proxy.session.get(Interaction, mid).summary == "Gebeld met [verwijderd]"
            assert db_proxy.session.get(Partner, pid).notes == "Vraag [verwijderd] om raad"
            assert db_proxy.session.get(YearSnapshot, sid).data == {"notes": ["Met [verwijderd] besproken"]}


def test_an_ascii_spelling_finds_the_turkish_one(app, client, login_as):
    """The case-blind regex matches "Ismail Yilmaz" in "İsmail Yılmaz": the SQL narrowing must
    let such rows through (i, k and s have non-ASCII look-alikes)."""
    login_as("specialist")
    with app.app_context():
        person = Contact(name="Ismail Yilmaz")
        partner = Partner(name="Moskee", kind="welzijn", status="actief", notes="Gesprek met İsmail Yılmaz.")
        db_proxy.session.add_all([person, partner])
        db_proxy.session.commit()
        cid, pid = person.id, partner.id
    report = json.loads(client.get(f"/personen/{cid}/avg.json").data)
    assert [m["soort"] for m in report["genoemd in"]] == ["partner"]
    assert client.post(f"/personen/{cid}/wissen", data={"confirm_name": "Ismail Yilmaz"}).status_code == 200
    with app.app_context():
        assert db_proxy.session.get(Partner, pid).notes == "Gesprek met [verwijderd]."


def test_a_name_of_one_word_is_never_changed_elsewhere(app, client, login_as):
    login_as("specialist")
    with app.app_context():
        alone = Contact(name="Wethouder", email="wethouder@gemeente.example")
        anna = Contact(name="Anna")
        surname = Contact(name="de Vries")
        moment = Interaction(kind="telefoon", occurred_on=date.today(),
                             summary="De wethouder en Anna de Vries; mail naar wethouder@gemeente.example")
        db_proxy.session.add_all([alone, anna, surname, moment])
        db_proxy.session.commit()
        ids, mid = (alone.id, anna.id, surname.id), moment.id
    for cid, typed in zip(ids, ("Wethouder", "Anna", "de Vries"), strict=True):
        report = json.loads(client.get(f"/personen/{cid}/avg.json").data)
        assert [m["soort"] for m in report["mogelijk over deze persoon"]] == ["contactmoment"]
        r = client.post(f"/personen/{cid}/wissen", data={"confirm_name": typed})
        assert r.status_code == 200 and f'href="/contactmomenten/{mid}"' in r.get_data(as_text=True)
    with app.app_context():
        # only the e-mail address was the person for sure
        assert db_proxy.session.get(Interaction, mid).summary == "De wethouder en Anna de Vries; mail naar [verwijderd]"


def test_a_moment_with_the_person_loses_their_first_name_or_surname_too(app, client, login_as):
    """Linked to the moment, "Anna" or "mevrouw Kwakernaak" there can only be the person."""
    login_as("specialist")
    with app.app_context():
        anna, other = Contact(name="Anna"), Contact(name="Zwaantje Kwakernaak")
        with_anna = Interaction(kind="telefoon", occurred_on=date.today(), summary="Anna belt terug",
                                contacts=[anna])
        with_other = Interaction(kind="telefoon", occurred_on=date.today(),
                                 summary="Mevrouw Kwakernaak en Anna bespraken de LEA", contacts=[other])
        db_proxy.session.add_all([anna, other, with_anna, with_other])
        db_proxy.session.commit()
        ids = anna.id, other.id, with_anna.id, with_other.id
    assert client.post(f"/personen/{ids[0]}/wissen", data={"confirm_name": "Anna"}).status_code == 200
    assert client.post(f"/personen/{ids[1]}/wissen",
                       data={"confirm_name": "Zwaantje Kwakernaak"}).status_code == 200
    with app.app_context():
        assert db_proxy.session.get(Interaction, ids[2]).summary == "[verwijderd] belt terug"
        # Anna is not linked to the second moment: her name stays there (only listed)
        assert db_proxy.session.get(Interaction, ids[3]).summary == "Mevrouw [verwijderd] en Anna bespraken de LEA"


def test_the_search_loads_only_real_mentions_and_bounds_the_possible_ones(app, client, login_as, monkeypatch):
    from sqlalchemy import event

    from crm.network import privacy

    login_as("specialist")
    with app.app_context():
        person = Contact(name="Jan de Vries", phone="06 1234 5678")
        january = [Interaction(kind="telefoon", occurred_on=date(2024, 1, 1 + i),
                               summary=f"Overleg op {1 + i} januari in zaal 0, rij 6, stoel 1 2 3 4 5 6 7 8")
                   for i in range(30)]
        exact = Interaction(kind="telefoon", occurred_on=date(2023, 1, 1), summary="Gebeld met JAN DE VRIES")
        phone = Interaction(kind="telefoon", occurred_on=date(2023, 1, 2), summary="Nummer: 06-12 34 56 78.")
        first = Interaction(kind="telefoon", occurred_on=date(2023, 1, 3), summary="Jan belt terug")
        db_proxy.session.add_all([person, *january, exact, phone, first])
        db_proxy.session.commit()
        cid, wanted = person.id, {exact.id, phone.id, first.id}
    loaded = []

    def on_load(target, _context):
        loaded.append(target.id)

    event.listen(Interaction, "load", on_load)
    try:
        with app.test_request_context(), app.app_context():
            found = privacy.find_mentions(db_proxy.session.get(Contact, cid))
            assert set(loaded) == wanted  # not one of the "januari" moments became an object
            assert {m.id for m in found.moments} == {exact.id, phone.id}
            assert [m.record.id for m in found.possible] == [first.id] and not found.possible_cut
            db_proxy.session.remove()
    finally:
        event.remove(Interaction, "load", on_load)
    # the "mogelijk" list reads at most POSSIBLE_SCAN rows (the newest), and says so
    monkeypatch.setattr(privacy, "POSSIBLE_SCAN", 10)
    page = client.get(f"/personen/{cid}/avg").get_data(as_text=True)
    assert "Er zijn meer gegevens met de voornaam of achternaam dan hier staan" in page
    monkeypatch.setattr(privacy, "POSSIBLE_SCAN", 500)
    monkeypatch.setattr(privacy, "POSSIBLE_MAX", 1)
    with app.app_context():
        db_proxy.session.add(Interaction(kind="telefoon", occurred_on=date(2023, 1, 4), summary="Jan komt"))
        db_proxy.session.commit()
    report = json.loads(client.get(f"/personen/{cid}/avg.json").data)
    assert [m["titel"] for m in report["mogelijk over deze persoon"]] == ["04-01-2023: Jan komt"]
    assert report["mogelijk: lijst ingekort"] is True


def test_a_phone_number_is_the_same_in_every_notation(app, client, login_as):
    """"+31 6 …", "0031 6 …", "+31 (0)6-…" and "06 …" are one number; another number is not."""
    login_as("specialist")
    with app.app_context():
        person = Contact(name="Ria Bakker", phone="+31 6 1234 5678")
        own = Partner(name="Eenmanszaak Bakker", kind="anders", status="actief", phone="06-12345678")
        notes = [Interaction(kind="telefoon", occurred_on=date(2024, 3, 1), summary=text) for text in (
            "Belt terug op 06 12 34 56 78.", "Nummer 0031 6 1234 5678 werkt niet.",
            "Mobiel: +31 (0)6-1234 5678", "Vaste lijn +31 10 123 4567 en 061234567890 zijn iemand anders")]
        db_proxy.session.add_all([person, own, *notes])
        db_proxy.session.commit()
        cid, own_id, ids = person.id, own.id, [n.id for n in notes]
    data = json.loads(client.get(f"/personen/{cid}/avg.json").data)
    assert ("partner", "Eenmanszaak Bakker") in {(m["soort"], m["titel"]) for m in data["genoemd in"]}
    assert len(data["contactmomenten"]) == 3
    assert client.post(f"/personen/{cid}/wissen", data={"confirm_name": "Ria Bakker"}).status_code == 200
    with app.app_context():
        assert db_proxy.session.get(Partner, own_id).phone is None
        summaries = [db_proxy.session.get(Interaction, i).summary for i in ids]
    assert summaries[:3] == ["Belt terug op [verwijderd].", "Nummer [verwijderd] werkt niet.",
                             "Mobiel: [verwijderd]"]
    assert summaries[3] == "Vaste lijn +31 10 123 4567 en 061234567890 zijn iemand anders"
