"""Partners, people and contact moments through the pages and the services."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from crm.db import db as db_proxy
from crm.network import moments
from crm.network.models import Contact, Interaction, Partner

XSS = "<script>alert(1)</script>"


def count(app, model):
    with app.app_context():
        return db_proxy.session.scalar(select(func.count()).select_from(model))


def make_partner(app, **kw):
    with app.app_context():
        values = {"name": "Kinderopvang Test", "kind": "kinderopvang", "status": "actief",
                  "place": "Rivierstad"}
        values.update(kw)
        partner = Partner(**values)
        db_proxy.session.add(partner)
        db_proxy.session.commit()
        return partner.id


def make_contact(app, **kw):
    with app.app_context():
        values = {"name": "Marieke Jansen", "email": "m@rivierstad.example"}
        values.update(kw)
        contact = Contact(**values)
        db_proxy.session.add(contact)
        db_proxy.session.commit()
        return contact.id


# -- partners -------------------------------------------------------------------------------------------
def test_create_partner_records_status_date(app, client, login_as):
    login_as("specialist")
    r = client.post("/partners/nieuw", data={
        "name": "Welzijn Rivierstad", "kind": "welzijn", "status": "verkennend", "theme": "samenwerken",
        "phase": "orientation", "tags": "VVE, armoede, vve", "website": "https://welzijn.example",
        "email": "info@welzijn.example", "phone": "010 123 45 67",
    })
    assert r.status_code == 302
    with app.app_context():
        partner = db_proxy.session.scalar(select(Partner))
        assert partner.name == "Welzijn Rivierstad"
        assert partner.tags == ["vve", "armoede"]
        assert [c.status for c in partner.status_changes] == ["verkennend"]
        pid = partner.id
    page = client.get(f"/partners/{pid}").get_data(as_text=True)
    assert "Welzijn Rivierstad" in page and "Verkennend" in page


def test_partner_bad_input_is_refused_in_dutch(app, client, login_as):
    login_as("specialist")
    r = client.post("/partners/nieuw", data={"name": "", "kind": "welzijn", "status": "actief",
                                              "email": "geen-mail", "phone": "12",
                                              "website": "javascript:alert(1)",
                                              "theme": "samenwerken", "phase": "orientation"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Vul de naam in." in html
    assert "Vul een geldig e-mailadres in" in html
    assert "Vul een geldig telefoonnummer in" in html
    assert "volledig webadres" in html
    assert count(app, Partner) == 0


def test_partner_xss_is_escaped(app, client, login_as):
    login_as("specialist")
    pid = make_partner(app, name=XSS, notes=XSS, offer=XSS, tags=[XSS])
    for url in ("/partners", f"/partners/{pid}", "/woordweb", "/sociale-kaart", f"/sociale-kaart/{pid}",
                "/zoeken?q=script"):
        html = client.get(url).get_data(as_text=True)
        assert XSS not in html, url
    assert "&lt;script&gt;" in client.get(f"/partners/{pid}").get_data(as_text=True)


def test_partner_version_check_blocks_lost_update(app, client, login_as):
    login_as("specialist")
    pid = make_partner(app)
    base = {"kind": "kinderopvang", "status": "actief", "theme": "samenwerken", "phase": "orientation",
            "version": "1"}
    assert client.post(f"/partners/{pid}/bewerken", data={**base, "name": "Eerste"}).status_code == 302
    r = client.post(f"/partners/{pid}/bewerken", data={**base, "name": "Tweede"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Iemand anders heeft dit intussen gewijzigd" in html
    assert "Eerste" in html  # shows what is stored now
    with app.app_context():
        assert db_proxy.session.get(Partner, pid).name == "Eerste"


def test_partner_list_filters_sort_and_paginate(app, client, login_as):
    login_as("specialist")
    with app.app_context():
        for i in range(30):
            db_proxy.session.add(Partner(name=f"Partner {i:02d}", kind="welzijn" if i % 2 else "basisschool",
                                         status="actief", internal=i == 3, tags=["vve"] if i < 5 else []))
        db_proxy.session.commit()
    page1 = client.get("/partners").get_data(as_text=True)
    assert "Partner 00" in page1 and "Partner 29" not in page1 and "Pagina 1 van 2" in page1
    assert "Partner 29" in client.get("/partners?pagina=2").get_data(as_text=True)
    desc = client.get("/partners?sorteer=-naam").get_data(as_text=True)
    assert desc.index("Partner 29") < desc.index("Partner 28")
    welzijn = client.get("/partners?soort=welzijn").get_data(as_text=True)
    assert "Partner 01" in welzijn and "Partner 02" not in welzijn
    tagged = client.get("/partners?label=vve").get_data(as_text=True)
    assert "5 partners" in tagged
    assert "1 partner<" in client.get("/partners?intern=intern").get_data(as_text=True)


def test_delete_partner_needs_confirmation(app, client, login_as):
    login_as("specialist")
    pid = make_partner(app)
    client.post(f"/partners/{pid}/verwijderen")
    assert count(app, Partner) == 1
    client.post(f"/partners/{pid}/verwijderen", data={"confirm": "y"})
    assert count(app, Partner) == 0


def test_partner_that_other_records_refer_to_cannot_be_deleted(app, client, login_as, world):
    """Deleting would silently take the municipality profile, the afwegingstabel and the
    rest along (or cut their link); the page names them and points to 'beëindigd'."""
    login_as("specialist")
    pid = world["partner_id"]
    page = client.get(f"/partners/{pid}").get_data(as_text=True)
    assert "kan niet weg" in page and "contactmoment: 1" in page
    assert f"/partners/{pid}/verwijderen" not in page
    response = client.post(f"/partners/{pid}/verwijderen", data={"confirm": "y"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "kan niet weg" in text and "beëindigd" in text
    with app.app_context():
        assert db_proxy.session.get(Partner, pid) is not None
        assert db_proxy.session.scalar(select(func.count()).select_from(Interaction)) >= 1


# -- people ---------------------------------------------------------------------------------------------
def test_create_person_with_link_and_view_is_audited(app, client, login_as):
    login_as("specialist")
    pid = make_partner(app, name="Gemeente Rivierstad", kind="gemeente")
    r = client.post("/personen/nieuw", data={
        "name": "Ahmed Yilmaz", "email": "A.Yilmaz@Rivierstad.example", "position": "beleidsmedewerker",
        "domains": ["onderwijs", "vve"], "influence": "3", "interest": "5", "warmth": "warm",
        "partner_id": str(pid), "function": "Beleidsmedewerker VVE", "theme": "profilering",
        "phase": "orientation", "valuable": "ja",
    })
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    with app.app_context():
        contact = db_proxy.session.scalar(select(Contact))
        assert contact.email == "a.yilmaz@rivierstad.example"
        assert contact.domains == ["onderwijs", "vve"] and contact.valuable is True
        assert contact.affiliations[0].partner_id == pid
        cid = contact.id
    html = client.get(f"/personen/{cid}").get_data(as_text=True)
    assert "Beleidsmedewerker VVE" in html and "Nauw betrekken" in html
    from crm.audit import AuditEntry

    with app.app_context():
        views = db_proxy.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "view", AuditEntry.record_type == "crm_contact",
            AuditEntry.record_id == cid)).all()
        assert len(views) == 1
    filtered = client.get("/personen?domein=vve&gemeente=1").get_data(as_text=True)
    assert "Ahmed Yilmaz" in filtered
    assert "Ahmed Yilmaz" not in client.get("/personen?domein=armoede").get_data(as_text=True)


def test_person_bad_scores_and_email(app, client, login_as):
    login_as("specialist")
    r = client.post("/personen/nieuw", data={"name": "X", "email": "x@", "influence": "9",
                                              "theme": "profilering", "phase": "orientation"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Kies een getal van 1 tot en met 5." in html and "geldig e-mailadres" in html
    assert count(app, Contact) == 0


def test_affiliation_form_errors(app, client, login_as):
    login_as("specialist")
    cid = make_contact(app)
    r = client.post(f"/personen/{cid}/koppelingen", data={"partner_id": "0"})
    assert r.status_code == 422 and "Kies de organisatie." in r.get_data(as_text=True)


def test_person_version_check(app, client, login_as):
    login_as("specialist")
    cid = make_contact(app)
    base = {"theme": "profilering", "phase": "orientation", "version": "1"}
    assert client.post(f"/personen/{cid}/bewerken", data={**base, "name": "Nieuwe naam"}).status_code == 302
    r = client.post(f"/personen/{cid}/bewerken", data={**base, "name": "Andere naam"})
    assert r.status_code == 422 and "Iemand anders heeft dit intussen gewijzigd" in r.get_data(as_text=True)


# -- contact moments and follow-ups ------------------------------------------------------------------
def test_contact_moment_with_follow_up_shows_on_start_page_and_one_click_done(app, client, login_as):
    uid = login_as("specialist")
    cid = make_contact(app)
    r = client.post("/contactmomenten/nieuw", data={
        "kind": "telefoon", "occurred_on": (date.today() - timedelta(days=2)).isoformat(),
        "contact_ids": [str(cid)], "summary": "Gebeld over de LEA", "key_message": "Lezen begint thuis.",
        "follow_up": "Notitie sturen", "follow_up_due": (date.today() - timedelta(days=1)).isoformat(),
        "follow_up_owner_id": "0", "theme": "samenwerken", "phase": "implementation",
    })
    assert r.status_code == 302
    with app.app_context():
        moment = db_proxy.session.scalar(select(Interaction))
        assert moment.follow_up_owner_id == uid and moment.owner_id == uid
        mid = moment.id
    detail = client.get(f"/contactmomenten/{mid}").get_data(as_text=True)
    assert "mailto:m@rivierstad.example" in detail and "Lezen begint thuis." in detail
    home = client.get("/").get_data(as_text=True)
    assert "Notitie sturen" in home and "Te laat" in home
    r = client.post(f"/contactmomenten/{mid}/afgerond?next=/")
    assert r.status_code == 302 and r.headers["Location"].endswith("/")
    assert "Notitie sturen" not in client.get("/").get_data(as_text=True)
    eml = client.get(f"/contactmomenten/{mid}/opvolgmail.eml")
    assert eml.mimetype == "message/rfc822" and b"Lezen begint thuis." in eml.data
    assert b"m@rivierstad.example" in eml.data


def test_follow_ups_of_others_not_on_my_start_page(app, client, login_as):
    login_as("specialist")
    with app.app_context():
        from tests.fixtures.users import make_user

        other = make_user("specialist")
        db_proxy.session.add(Interaction(kind="telefoon", occurred_on=date.today(), summary="x",
                                         follow_up="Iets van een ander", follow_up_due=date.today(),
                                         follow_up_owner_id=other.id))
        db_proxy.session.commit()
    assert "Iets van een ander" not in client.get("/").get_data(as_text=True)


def test_contact_moment_needs_someone_and_a_summary(app, client, login_as):
    login_as("specialist")
    r = client.post("/contactmomenten/nieuw", data={"kind": "telefoon", "occurred_on": "gisteren",
                                                      "summary": "", "theme": "samenwerken",
                                                      "phase": "implementation"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Vul waar het over ging in." in html and "Vul bij ‘datum’ een geldige datum in" in html
    r = client.post("/contactmomenten/nieuw", data={"kind": "telefoon", "occurred_on": "2026-01-05",
                                                      "summary": "iets", "theme": "samenwerken",
                                                      "phase": "implementation"})
    assert r.status_code == 422 and "Kies met wie je contact had" in r.get_data(as_text=True)
    assert count(app, Interaction) == 0


def test_a_follow_up_before_the_moment_is_refused_and_a_future_moment_is_questioned(app, client, login_as):
    login_as("specialist")
    cid = make_contact(app)
    base = {"kind": "telefoon", "contact_ids": [str(cid)], "summary": "Gebeld", "follow_up": "Bellen",
            "follow_up_owner_id": "0", "theme": "samenwerken", "phase": "implementation"}
    today = date.today()
    r = client.post("/contactmomenten/nieuw", data={
        **base, "occurred_on": today.isoformat(), "follow_up_due": (today - timedelta(days=3)).isoformat()})
    assert r.status_code == 422 and "Opvolgen kan niet vóór het contactmoment zelf" in r.get_data(as_text=True)
    assert count(app, Interaction) == 0
    r = client.post("/contactmomenten/nieuw", data={
        **base, "occurred_on": (today + timedelta(days=400)).isoformat(),
        "follow_up_due": (today + timedelta(days=401)).isoformat()}, follow_redirects=True)
    assert "Let op: de datum" in r.get_data(as_text=True) and "ligt in de toekomst" in r.get_data(as_text=True)
    assert count(app, Interaction) == 1  # stored: a planned meeting may be meant


def test_a_date_may_be_typed_as_the_message_suggests(app, client, login_as):
    """Where the browser shows a text box, 25-11-2026 is a date too."""
    login_as("specialist")
    pid = make_partner(app)
    r = client.post("/contactmomenten/nieuw", data={
        "kind": "telefoon", "occurred_on": "5-3-2024", "summary": "Gebeld", "partner_ids": [str(pid)],
        "theme": "samenwerken", "phase": "implementation"})
    assert r.status_code == 302
    with app.app_context():
        assert db_proxy.session.scalar(select(Interaction.occurred_on)) == date(2024, 3, 5)


def test_the_follow_up_mail_without_a_person_greets_plainly(app, client, login_as):
    from crm.network import mail

    assert mail.body(Interaction(kind="telefoon", occurred_on=date(2026, 3, 1), summary="x"),
                     "Sanne").startswith("Goedendag,\n")


def test_impossible_dates_get_a_plain_message_at_the_field(app, client, login_as):
    login_as("specialist")
    pid = make_partner(app)
    r = client.post("/contactmomenten/nieuw", data={
        "kind": "telefoon", "occurred_on": "9999-12-31", "summary": "iets", "partner_ids": [str(pid)],
        "theme": "samenwerken", "phase": "implementation"})
    assert r.status_code == 422
    assert "Kies een datum tussen 1900 en 2100." in r.get_data(as_text=True)
    assert count(app, Interaction) == 0
    cid = make_contact(app, name="Ahmed Yilmaz")
    r = client.post(f"/personen/{cid}/koppelingen", data={
        "partner_id": str(pid), "start_date": "2026-05-01", "end_date": "2026-01-01"})
    text = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "De einddatum ligt vóór de begindatum." in text and "als datum" not in text


def test_search_across_everything(app, client, login_as):
    login_as("specialist")
    pid = make_partner(app, name="Taalhuis Rivierstad")
    cid = make_contact(app, name="Ingrid de Boer")
    with app.app_context():
        db_proxy.session.add(Interaction(kind="telefoon", occurred_on=date.today(), summary="Over taalcafé",
                                         partners=[db_proxy.session.get(Partner, pid)],
                                         contacts=[db_proxy.session.get(Contact, cid)]))
        db_proxy.session.commit()
    html = client.get("/zoeken?q=taal").get_data(as_text=True)
    assert "Taalhuis Rivierstad" in html and "Over taalcafé" in html
    assert "Ingrid de Boer" in client.get("/zoeken?q=ingrid").get_data(as_text=True)
    assert "Niets gevonden" in client.get("/zoeken?q=zzzz").get_data(as_text=True)
    assert client.get("/zoeken?q=%25").status_code == 200


# -- frontoffice directory -----------------------------------------------------------------------------
def test_frontoffice_directory_is_read_only_and_hides_notes(app, client, login_as):
    login_as("frontoffice")
    pid = make_partner(app, name="Voedselbank Rivierstad", offer="Voedselpakketten", notes="Geheime notitie",
                       how_to_refer="Via het loket")
    make_partner(app, name="Prospect BV", status="prospect")
    html = client.get("/sociale-kaart").get_data(as_text=True)
    assert "Voedselbank Rivierstad" in html and "Via het loket" in html
    assert "Geheime notitie" not in html and "Prospect BV" not in html
    entry = client.get(f"/sociale-kaart/{pid}").get_data(as_text=True)
    assert "Geheime notitie" not in entry
    assert "Sociale kaart" in client.get("/").get_data(as_text=True)
    assert client.get(f"/partners/{pid}").status_code == 403
    assert client.get("/personen").status_code == 403
    assert client.get("/partners/export").status_code == 403


# -- maps ---------------------------------------------------------------------------------------------
def test_partner_map_and_power_grid_render(app, client, login_as):
    login_as("specialist")
    pid = make_partner(app, name="Gemeente Rivierstad", kind="gemeente")
    make_partner(app, name="Team Jeugd", kind="intern-team", internal=True)
    with app.app_context():
        from crm.network.models import Affiliation

        contact = Contact(name="Marieke Jansen", influence=5, interest=4)
        contact.affiliations.append(Affiliation(partner_id=pid))
        db_proxy.session.add(contact)
        db_proxy.session.commit()
    page = client.get("/woordweb").get_data(as_text=True)
    assert "Gemeente Rivierstad" in page and "Team Jeugd" in page and 'alt="Woordweb' in page
    svg = client.get("/woordweb.svg")
    assert svg.mimetype == "image/svg+xml" and b"Gemeente Rivierstad" in svg.data
    grid = client.get("/krachtenveld").get_data(as_text=True)
    assert "Marieke Jansen" in grid and "Nauw betrekken" in grid
    assert client.get("/krachtenveld.svg?wie=iedereen").mimetype == "image/svg+xml"


def test_partner_map_with_many_partners_draws_kinds_only(app, client, login_as):
    login_as("specialist")
    with app.app_context():
        db_proxy.session.add_all([Partner(name=f"P{i}", kind="welzijn", status="actief") for i in range(120)])
        db_proxy.session.commit()
    assert "te veel partners" in client.get("/woordweb").get_data(as_text=True)
    assert client.get("/woordweb.svg").status_code == 200


# -- export --------------------------------------------------------------------------------------------
def test_export_neutralises_formulas(app, client, login_as):
    login_as("specialist")
    make_partner(app, name="=HYPERLINK(\"http://x\")", notes="+31 6 1234", offer="@SUM(A1)")
    csv_body = client.get("/partners/export?formaat=csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_body and "'+31 6 1234" in csv_body and "'@SUM" in csv_body
    xlsx = client.get("/partners/export?formaat=xlsx")
    assert xlsx.headers["Content-Disposition"].startswith("attachment")
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    # XLSX: the name as typed, stored as text with the quote prefix, never as a formula.
    assert sheet["A2"].value == "=HYPERLINK(\"http://x\")" and sheet["A2"].data_type == "s"
    assert sheet["A2"].quotePrefix
    for url in ("/personen/export?formaat=xlsx", "/contactmomenten/export?formaat=csv"):
        assert client.get(url).status_code == 200
    assert client.get("/partners/export?formaat=pdf").status_code == 404


def test_safe_cell():
    from crm.exports import safe_cell

    for bad in ("=1+1", "+1", "-1", "@x", "\tx", "\0x", "\rx"):
        assert safe_cell(bad).startswith("'")
    assert safe_cell("gewoon") == "gewoon" and safe_cell(5) == 5


# -- retention and registry -----------------------------------------------------------------------------
def test_purge_removes_old_contact_moments_only(app):
    with app.app_context():
        now = datetime(2026, 11, 25, 12, tzinfo=UTC)
        db_proxy.session.add_all([
            Interaction(kind="telefoon", occurred_on=date(2020, 1, 1), summary="oud"),
            Interaction(kind="telefoon", occurred_on=date(2026, 10, 1), summary="recent"),
        ])
        db_proxy.session.commit()
        assert moments.purge_interactions(now, months=60) == 1
        db_proxy.session.commit()
        assert [i.summary for i in db_proxy.session.scalars(select(Interaction))] == ["recent"]
        from crm.registry import current_registry

        lines = [p(now) for p in current_registry().purgers]
        assert any("Contactmomenten" in line for line in lines)


def test_phase_records_and_instruments(app):
    from crm.guide import Phase, Theme
    from crm.registry import current_registry

    make_partner(app, name="Fase partner")
    with app.test_request_context():
        refs = current_registry().records_of(Theme.COLLABORATION, Phase.ORIENTATION)
        assert any(r.label == "Fase partner" for r in refs)
        keys = {i.key for i in current_registry().instruments_of(Theme.COLLABORATION, Phase.ORIENTATION)}
        assert "woordweb" in keys
        keys = {i.key for i in current_registry().instruments_of(Theme.PROFILING, Phase.ORIENTATION)}
        assert "krachtenveld" in keys


def test_demo_seeder_is_lived_in(app):
    with app.app_context():
        from crm.demo import seed_demo

        seed_demo()
        db_proxy.session.commit()
        kinds = set(db_proxy.session.scalars(select(Partner.kind)))
        assert db_proxy.session.scalar(select(func.count(Partner.id))) >= 20 and len(kinds) >= 15
        names = set(db_proxy.session.scalars(select(Contact.name)))
        assert {"Marieke Jansen", "Ahmed Yilmaz", "Ingrid de Boer", "Peter van Dijk"} <= names
        from crm.auth.models import User

        me = db_proxy.session.scalar(select(User).where(User.email == "specialist@bibliotheek.example"))
        assert moments.follow_ups_for(me.id)


def test_every_network_page_escapes_xss(app, client, login_as):
    from tests.fixtures.world import build_world

    login_as("specialist")
    with app.app_context():
        ids = build_world(XSS)
    urls = ["/partners", "/personen", "/contactmomenten", f"/partners/{ids['partner_id']}",
            f"/partners/{ids['partner_id']}/bewerken", f"/personen/{ids['contact_id']}",
            f"/personen/{ids['contact_id']}/bewerken", f"/personen/{ids['contact_id']}/avg",
            f"/personen/{ids['contact_id']}/avg/afdruk", f"/personen/{ids['contact_id']}/koppelingen",
            f"/contactmomenten/{ids['interaction_id']}", f"/contactmomenten/{ids['interaction_id']}/bewerken",
            "/contactmomenten/nieuw", "/personen/nieuw", "/zoeken?q=script", "/sociale-kaart", "/woordweb",
            "/krachtenveld?wie=iedereen", "/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert XSS not in response.get_data(as_text=True), url


def test_directory_hides_partners_that_are_not_active(app, client, login_as):
    login_as("frontoffice")
    pid = make_partner(app, status="prospect")
    assert client.get(f"/sociale-kaart/{pid}").status_code == 404


def test_interaction_version_check(app, client, login_as):
    login_as("specialist")
    cid = make_contact(app)
    with app.app_context():
        moment = Interaction(kind="telefoon", occurred_on=date.today(), summary="eerst",
                             contacts=[db_proxy.session.get(Contact, cid)])
        db_proxy.session.add(moment)
        db_proxy.session.commit()
        mid = moment.id
    base = {"kind": "telefoon", "occurred_on": date.today().isoformat(), "contact_ids": [str(cid)],
            "theme": "samenwerken", "phase": "implementation", "version": "1"}
    assert client.post(f"/contactmomenten/{mid}/bewerken", data={**base, "summary": "A"}).status_code == 302
    r = client.post(f"/contactmomenten/{mid}/bewerken", data={**base, "summary": "B"})
    assert r.status_code == 422 and "Iemand anders heeft dit intussen gewijzigd" in r.get_data(as_text=True)
    with app.app_context():
        assert db_proxy.session.get(Interaction, mid).summary == "A"


NASTY = ["", " ", "0", "-1", "99999999999", "abc", "2026-13-45", "<script>alert(1)</script>", "' OR 1=1 --",
         "\u0000", "%", "_", "é" * 300, "javascript:alert(1)"]


def test_nasty_input_never_gives_a_server_error(app, client, login_as):
    login_as("specialist")
    pid = make_partner(app)
    cid = make_contact(app)
    posts = {
        "/partners/nieuw": ["name", "kind", "status", "website", "phone", "email", "tags", "theme", "phase"],
        f"/partners/{pid}/bewerken": ["name", "kind", "status", "version", "website"],
        "/personen/nieuw": ["name", "email", "influence", "interest", "valuable", "partner_id", "domains"],
        f"/personen/{cid}/bewerken": ["name", "version", "influence", "warmth"],
        f"/personen/{cid}/koppelingen": ["partner_id", "start_date", "end_date"],
        "/contactmomenten/nieuw": ["kind", "occurred_on", "contact_ids", "partner_ids", "follow_up_due",
                                   "follow_up_owner_id", "summary"],
        f"/personen/{cid}/wissen": ["confirm_name"],
        "/import/bevestigen": ["token", "kind"],
    }
    for url, fields in posts.items():
        for value in NASTY:
            r = client.post(url, data=dict.fromkeys(fields, value))
            assert r.status_code < 500, (url, value)
    for value in NASTY:
        for url in ("/partners?sorteer=", "/personen?organisatie=", "/contactmomenten?persoon=", "/zoeken?q=",
                    "/sociale-kaart?q=", "/partners?pagina="):
            assert client.get(url + value).status_code < 500, (url, value)


def test_impossible_ids_are_not_found(client, login_as):
    login_as("specialist")
    for url in ("/partners/99999999999", "/personen/99999999999", "/contactmomenten/99999999999",
                "/sociale-kaart/99999999999", "/personen/99999999999/avg"):
        assert client.get(url).status_code == 404, url


def test_krachtenveld_draws_each_person_on_their_own_values():
    from crm.network.maps import draw_grid

    fig = draw_grid([{"name": "Peter van Dijk", "interest": 2, "influence": 4}])
    (point,) = fig.axes[0].collections[0].get_offsets()
    assert tuple(point) == (2, 4)
    crowded = draw_grid([{"name": f"Persoon {i}", "interest": 5, "influence": 1} for i in range(3)])
    points = [tuple(c.get_offsets()[0]) for c in crowded.axes[0].collections]
    assert {x for x, _y in points} == {5}
    assert sorted(y for _x, y in points) == pytest.approx([0.87, 1.0, 1.13])


def test_a_follow_up_needs_a_date_or_it_would_never_show_again(app, client, login_as):
    login_as("specialist")
    cid = make_contact(app)
    r = client.post("/contactmomenten/nieuw", data={
        "kind": "telefoon", "occurred_on": date.today().isoformat(), "contact_ids": [str(cid)],
        "summary": "Gebeld", "follow_up": "Notitie sturen", "follow_up_due": "",
        "follow_up_owner_id": "0", "theme": "samenwerken", "phase": "implementation"})
    assert r.status_code == 422
    assert "Kies vóór wanneer het opgevolgd moet worden." in r.get_data(as_text=True)
    assert count(app, Interaction) == 0


def test_partner_page_links_to_the_collaboration_with_that_partner_and_back(app, client, login_as, world):
    login_as("specialist")
    pid = world["partner_id"]
    page = client.get(f"/partners/{pid}").get_data(as_text=True)
    assert f'href="/samenwerken/partners/{pid}"' in page
    overview = client.get(f"/samenwerken/partners/{pid}").get_data(as_text=True)
    assert f'href="/partners/{pid}"' in overview


def test_an_edit_page_is_titled_by_what_it_edits(app, client, login_as):
    """Two tabs (the partner, and editing it) must not carry the same title (WCAG 2.4.2)."""
    login_as("specialist")
    pid = make_partner(app)
    view = client.get(f"/partners/{pid}").get_data(as_text=True)
    edit = client.get(f"/partners/{pid}/bewerken").get_data(as_text=True)
    title = re.compile(r"<title>([^<]*)</title>")
    assert title.search(edit).group(1).startswith("Bewerken: ")
    assert title.search(view).group(1) != title.search(edit).group(1)


def test_a_contact_moment_sent_twice_is_stored_once(app, client, login_as):
    """A page sent again (no JavaScript, a slow line): the first one stands, the user sees it."""
    login_as("specialist")
    pid = make_partner(app)
    form = {"kind": "telefoon", "occurred_on": "2026-03-05", "summary": "Gebeld over de VVE",
            "partner_ids": [str(pid)], "theme": "samenwerken", "phase": "implementation"}
    first = client.post("/contactmomenten/nieuw", data=form)
    second = client.post("/contactmomenten/nieuw", data=form, follow_redirects=True)
    assert first.status_code == 302 and "Dit was al opgeslagen" in second.get_data(as_text=True)
    assert count(app, Interaction) == 1
    assert second.request.path == first.headers["Location"].split("?")[0]


def test_the_same_call_with_another_partner_is_another_moment(app, client, login_as):
    login_as("specialist")
    first, other = make_partner(app), make_partner(app, name="Welzijn Noord")
    form = {"kind": "telefoon", "occurred_on": "2026-03-05", "summary": "Nieuwsbrief besproken",
            "theme": "samenwerken", "phase": "implementation"}
    assert client.post("/contactmomenten/nieuw", data={**form, "partner_ids": [str(first)]}).status_code == 302
    assert client.post("/contactmomenten/nieuw", data={**form, "partner_ids": [str(other)]}).status_code == 302
    assert count(app, Interaction) == 2
