"""The referral log: registering at the desk, privacy of the note, own referrals of today."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, inspect, select

from crm.admin.models import Branch
from crm.audit import AuditEntry
from crm.db import db as db_proxy
from crm.network.models import Partner
from crm.referrals import privacy, services
from crm.referrals.models import Referral
from tests.fixtures.users import login, make_user


def _nonce(html: str) -> str:
    match = re.search(r'name="nonce"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="nonce"', html)
    assert match, "form has no nonce"
    return match.group(1)


@pytest.fixture
def partner(app):
    with app.app_context():
        p = Partner(name="Taalhuis Rivierstad", kind="taalhuis", status="actief", place="Rivierstad")
        db_proxy.session.add(p)
        db_proxy.session.commit()
        return p.id


def _count(app) -> int:
    with app.app_context():
        return db_proxy.session.scalar(select(func.count()).select_from(Referral))


def _post(client, partner, nonce="n-1", **extra):
    data = {"direction": "uit", "partner_id": partner, "purpose": "taal-lezen",
            "method": "warme-overdracht", "nonce": nonce}
    data.update(extra)
    return client.post("/verwijzingen/nieuw", data=data)


# -- the table holds no personal data ----------------------------------------------------
def test_referral_table_has_no_personal_data_columns(app):
    columns = {c.name for c in Referral.__table__.columns}
    forbidden = ("name", "naam", "address", "adres", "birth", "geboort", "bsn", "email", "mail",
                 "phone", "telefoon", "postcode", "zip", "contact", "visitor")
    assert not [c for c in columns if any(f in c for f in forbidden)], columns
    with app.app_context():
        engine = db_proxy.engine
        stored = {c["name"] for c in inspect(engine).get_columns("crm_referral")}
    assert stored == columns
    assert Referral.default_theme.value == "leren" and Referral.default_phase.value == "implementation"


# -- privacy of the note -------------------------------------------------------------------
@pytest.mark.parametrize("text,kind", [
    ("bsn 111222333", "bsn"),
    ("nummer 1234.56.782", "bsn"),
    ("mail: jan.jansen@example.nl", "email"),
    ("bel 06-12345678", "phone"),
    ("+31 6 1234 5678", "phone"),
    ("010 123 45 67", "phone"),
    ("woont in 3511 AB", "postcode"),
    ("postcode 3511ab", "postcode"),
    ("woont in 1234 ab", "postcode"),
    ("1234 ab", "postcode"),
    ("Woont op 1234 Ab", "postcode"),
    ("1234aB", "postcode"),
    ("woont op 2511ca", "postcode"),
    ("woont op 1234\u00a0AB", "postcode"),  # a no-break space
    ("bel 06\u200b12345678", "phone"),  # a zero-width space
    ("mobiel 31612345678", "phone"),
    ("mail jan(at)example.nl", "email"),
    ("jan [at] example [punt] nl", "email"),
    ("geboren 12-03-2019", "birthdate"),
    ("kind geb. 3 maart 2019", "birthdate"),
    ("Geboortedatum: 12/3/19", "birthdate"),
])
def test_personal_data_is_recognised(text, kind):
    assert privacy.personal_data_kind(text) == kind


@pytest.mark.parametrize("text", [
    "", None, "Vraag over voorlezen, 2 kinderen", "afspraak op 12-03-2026 om 10:00",
    "123456789", "in 2024 en 2025 al eerder geweest", "3 folders meegegeven",
    "haalt om 1200 af", "sinds 2019 de cursus gevolgd", "1500 km gereden", "2025 op de wachtlijst",
    "jaar 2024 En verder", "code 2000 SS",
    "de geboorte van de baby op 3 maart", "kind geboren in 2019", "met (a) en (b) geholpen",
])
def test_ordinary_notes_pass(text):
    assert privacy.personal_data_kind(text) is None


def test_elfproef():
    assert privacy.passes_elfproef("111222333")
    assert privacy.passes_elfproef("123456782")
    assert not privacy.passes_elfproef("123456789")
    assert not privacy.passes_elfproef("000000000")


# -- registering ---------------------------------------------------------------------------
def test_start_page_shows_the_form_with_warning(client, login_as, partner):
    login_as("frontoffice")
    html = client.get("/").get_data(as_text=True)
    assert "Verwijzing registreren" in html
    assert "Taalhuis Rivierstad" in html
    assert "Warme overdracht" in html and "Taal en lezen" in html
    assert "schrijf geen naam" in html.lower()
    assert 'name="nonce"' in html
    assert "referrals.js" in html
    # No field asks for the visitor.
    assert not re.search(r'name="(naam|name|email|telefoon|bsn|adres)"', html)


def test_register_in_one_post_with_defaults(app, client, partner):
    with app.app_context():
        branch = Branch(name="Vestiging Noord")
        db_proxy.session.add(branch)
        db_proxy.session.flush()
        user = make_user("frontoffice")
        user.branch_id = branch.id
        db_proxy.session.commit()
        email, user_id, branch_id = user.email, user.id, branch.id
    login(client, email)
    form = client.get("/verwijzingen/nieuw").get_data(as_text=True)
    assert f'<option selected value="{branch_id}">' in form or f'value="{branch_id}" selected' in form
    response = _post(client, partner, nonce=_nonce(form), branch_id=branch_id, next="/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    page = client.get("/").get_data(as_text=True)
    assert "Verwijzing opgeslagen: Taalhuis Rivierstad · Taal en lezen · Warme overdracht" in page
    assert "Vandaag al 1 geregistreerd" in page
    with app.app_context():
        referral = db_proxy.session.scalar(select(Referral))
        assert referral.staff_id == user_id and referral.branch_id == branch_id
        assert referral.direction == "uit" and referral.note is None
        assert referral.month == int(datetime.now(UTC).strftime("%Y%m")) or referral.month > 202000
        audit = db_proxy.session.scalar(select(AuditEntry).where(AuditEntry.record_type == "crm_referral"))
        assert audit.action == "create" and audit.actor_id == user_id


def test_incoming_referral(app, client, login_as, partner):
    login_as("frontoffice")
    assert _post(client, partner, direction="in", audience="gezin", language="nt2").status_code == 302
    with app.app_context():
        r = db_proxy.session.scalar(select(Referral))
        assert (r.direction, r.audience, r.language) == ("in", "gezin", "nt2")


def test_double_submit_stores_one_row(app, client, login_as, partner):
    login_as("frontoffice")
    assert _post(client, partner, nonce="same-form").status_code == 302
    second = _post(client, partner, nonce="same-form")
    assert second.status_code == 302
    assert "al opgeslagen" in client.get(second.headers["Location"]).get_data(as_text=True)
    assert _count(app) == 1


def test_same_nonce_twice_stores_one_row_and_one_audit_line(app, partner):
    """A second insert with the form's nonce (a double submit or two racing requests) is
    skipped by the database itself: the first row is returned, nothing is added."""
    data = services.ReferralData("uit", partner, "taal-lezen", "folder")
    with app.test_request_context(method="POST"):
        first = services.create_referral(data, None, "race")
        db_proxy.session.commit()
        assert first.created and "Taal en lezen" in first.summary
        again = services.create_referral(data, None, "race")
        db_proxy.session.commit()
        assert not again.created and again.id == first.id
    assert _count(app) == 1
    with app.app_context():
        lines = db_proxy.session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "crm_referral")).all()
        assert [(a.action, a.record_id) for a in lines] == [("create", first.id)]
        assert {"partner_id", "purpose", "method", "nonce"} <= set(lines[0].fields)
        assert "taal-lezen" not in str(lines[0].fields)  # names of fields, never their values


def test_partner_removed_between_check_and_insert(app, partner, monkeypatch):
    """The check passed, but the partner is gone when the row is written: a clear message."""
    data = services.ReferralData("uit", partner, "taal-lezen", "folder")
    with app.test_request_context(method="POST"):
        monkeypatch.setattr(services, "_validate", lambda _data: "Verdwenen partner")
        gone = services.ReferralData("uit", 987654, "taal-lezen", "folder")
        with pytest.raises(services.ReferralError, match="bestaat niet meer"):
            services.create_referral(gone, None, "gone")
        db_proxy.session.rollback()
        assert services.create_referral(data, None, "ok").created
        db_proxy.session.commit()
    assert _count(app) == 1


@pytest.mark.parametrize("changes,field,message", [
    ({"partner_id": "999999"}, "partner_id", "Kies een partner uit de lijst."),
    ({"partner_id": "abc"}, "partner_id", "Kies een partner uit de lijst."),
    ({"partner_id": ""}, "partner_id", "Kies een partner."),
    ({"partner_id": "99999999999999999999"}, "partner_id", "Kies een partner uit de lijst."),
    ({"partner_id": str(2**31)}, "partner_id", "Kies een partner uit de lijst."),
    ({"partner_id": "-3"}, "partner_id", "Kies een partner uit de lijst."),
    ({"branch_id": "99999999999999999999"}, "branch_id", "Kies een vestiging uit de lijst."),
    ({"branch_id": "-3"}, "branch_id", "Kies een vestiging uit de lijst."),
    ({"purpose": "hacken"}, "purpose", "Kies een doel uit de lijst."),
    ({"purpose": ""}, "purpose", "Kies een doel."),
    ({"method": "duif"}, "method", "Kies hoe je hebt verwezen."),
    ({"note": "x" * 201}, "note", "Gebruik hoogstens 200 tekens."),
    ({"note": "moeder heeft bsn 111222333"}, "note", "burgerservicenummer"),
    ({"note": "mail naar a@b.nl"}, "note", "e-mailadres"),
    ({"note": "bel 0612345678"}, "note", "telefoonnummer"),
    ({"note": "woont 1234 AB"}, "note", "postcode"),
    ({"nonce": ""}, "nonce", "Laad de pagina opnieuw"),
])
def test_bad_input_is_refused_in_dutch(app, client, login_as, partner, changes, field, message):
    login_as("frontoffice")
    response = _post(client, partner, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert "Controleer wat je hebt ingevuld" in html
    assert _count(app) == 0


def test_inactive_purpose_is_refused_and_renamed_label_shown(app, client, login_as, partner):
    from crm.admin.services import add_choice, toggle_choice

    with app.app_context():
        toggle_choice("referral_purposes", "anders")
        add_choice("referral_purposes", "Vakantieactiviteiten")
        db_proxy.session.commit()
    login_as("frontoffice")
    html = client.get("/verwijzingen/nieuw").get_data(as_text=True)
    assert "Vakantieactiviteiten" in html and 'value="anders"' not in html
    assert _post(client, partner, purpose="anders").status_code == 422
    assert _post(client, partner, purpose="vakantieactiviteiten").status_code == 302


def test_partner_name_is_escaped(app, client, login_as):
    with app.app_context():
        db_proxy.session.add(Partner(name="<script>alert(1)</script>", kind="welzijn", status="actief"))
        db_proxy.session.commit()
    login_as("frontoffice")
    html = client.get("/verwijzingen/nieuw").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_partner_search_json(app, client, login_as, partner):
    with app.app_context():
        db_proxy.session.add(Partner(name="Welzijn Rivierstad", kind="welzijn", place="Rivierstad",
                                     status="actief"))
        db_proxy.session.add(Partner(name="Voedselbank", kind="voedselbank", place="Beekdorp",
                                     status="actief"))
        db_proxy.session.commit()
    login_as("frontoffice")
    for i in range(3):
        _post(client, partner, nonce=f"top-{i}")
    results = client.get("/verwijzingen/partners?q=rivier").get_json()["results"]
    assert [r["name"] for r in results] == ["Taalhuis Rivierstad", "Welzijn Rivierstad"]
    assert results[0]["top"] and results[0]["kind"] == "Taalhuis"
    everyone = client.get("/verwijzingen/partners").get_json()["results"]
    assert everyone[0]["name"] == "Taalhuis Rivierstad"  # most used first
    assert client.get("/verwijzingen/partners?q=%25").get_json()["results"] == []


def test_specialist_may_not_register(client, login_as, partner):
    login_as("specialist")
    assert _post(client, partner).status_code == 403
    assert client.get("/verwijzingen/partners").status_code == 403


# -- own referrals of today ----------------------------------------------------------------
def _referral(app, staff_id, partner_id, created_at=None, **kw) -> int:
    """A stored referral; to a partner that is no longer active it was made while it still was."""
    with app.app_context():
        partner = db_proxy.session.get(Partner, partner_id)
        status, partner.status = partner.status, "actief"
        db_proxy.session.commit()
        data = services.ReferralData("uit", partner_id, kw.get("purpose", "taal-lezen"), "folder")
        stored = services.create_referral(data, staff_id, kw.get("nonce", f"n{staff_id}{created_at}"),
                                          now=created_at)
        db_proxy.session.get(Partner, partner_id).status = status
        db_proxy.session.commit()
        return stored.id


def test_today_list_shows_only_own_of_today(app, client, login_as, partner):
    me = login_as("frontoffice")
    with app.app_context():
        other = make_user("frontoffice").id
    mine = _referral(app, me, partner)
    _referral(app, me, partner, created_at=datetime.now(UTC) - timedelta(days=2), purpose="geldzaken")
    _referral(app, other, partner, purpose="gezondheid")
    html = client.get("/verwijzingen/vandaag").get_data(as_text=True)
    assert f"/verwijzingen/{mine}" in html
    assert "Taal en lezen" in html and "Geldzaken" not in html and "Gezondheid" not in html


def test_today_list_empty_state(client, login_as):
    login_as("frontoffice")
    assert "nog niemand verwezen" in client.get("/verwijzingen/vandaag").get_data(as_text=True)


def test_correct_own_referral_of_today(app, client, login_as, partner):
    me = login_as("frontoffice")
    rid = _referral(app, me, partner)
    page = client.get(f"/verwijzingen/{rid}")
    assert page.status_code == 200 and 'name="version"' in page.get_data(as_text=True)
    response = client.post(f"/verwijzingen/{rid}", data={
        "direction": "uit", "partner_id": partner, "purpose": "geldzaken", "method": "afspraak",
        "version": "1"})
    assert response.status_code == 302
    with app.app_context():
        r = db_proxy.session.get(Referral, rid)
        assert (r.purpose, r.method, r.version) == ("geldzaken", "afspraak", 2)


def test_correction_with_old_version_is_refused(app, client, login_as, partner):
    me = login_as("frontoffice")
    rid = _referral(app, me, partner)
    data = {"direction": "uit", "partner_id": partner, "purpose": "geldzaken", "method": "afspraak"}
    assert client.post(f"/verwijzingen/{rid}", data={**data, "version": "1"}).status_code == 302
    stale = client.post(f"/verwijzingen/{rid}", data={**data, "purpose": "opvoeden", "version": "1"})
    assert stale.status_code == 422
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.get_data(as_text=True)
    with app.app_context():
        assert db_proxy.session.get(Referral, rid).purpose == "geldzaken"


def test_correction_refuses_personal_data(app, client, login_as, partner):
    me = login_as("frontoffice")
    rid = _referral(app, me, partner)
    response = client.post(f"/verwijzingen/{rid}", data={
        "direction": "uit", "partner_id": partner, "purpose": "geldzaken", "method": "afspraak",
        "version": "1", "note": "jan@example.org"})
    assert response.status_code == 422
    with app.app_context():
        assert db_proxy.session.get(Referral, rid).note is None


def test_delete_own_referral_of_today(app, client, login_as, partner):
    me = login_as("frontoffice")
    rid = _referral(app, me, partner)
    assert client.post(f"/verwijzingen/{rid}/verwijderen").status_code == 302
    assert _count(app) == 0


def test_others_or_older_referrals_are_forbidden(app, client, login_as, partner):
    me = login_as("frontoffice")
    with app.app_context():
        other = make_user("frontoffice").id
    theirs = _referral(app, other, partner)
    old = _referral(app, me, partner, created_at=datetime.now(UTC) - timedelta(days=1, hours=1))
    for rid in (theirs, old):
        assert client.get(f"/verwijzingen/{rid}").status_code == 403
        changed = client.post(f"/verwijzingen/{rid}", data={"purpose": "anders", "version": "1"})
        assert changed.status_code == 403
        assert client.post(f"/verwijzingen/{rid}/verwijderen").status_code == 403
    assert _count(app) == 2
    assert client.get("/verwijzingen/999999").status_code == 404


def test_admin_may_correct_any_referral(app, client, login_as, partner):
    with app.app_context():
        other = make_user("frontoffice").id
    old = _referral(app, other, partner, created_at=datetime.now(UTC) - timedelta(days=30))
    login_as("admin")
    assert client.get(f"/verwijzingen/{old}").status_code == 200
    assert client.post(f"/verwijzingen/{old}/verwijderen").status_code == 302


def test_today_uses_the_local_day(app):
    with app.app_context():
        # 23:30 UTC on 31 March is already 1 April in Amsterdam (summer time, +2).
        start, end = services.local_day_bounds(datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
        assert start == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)
        assert end == datetime(2026, 4, 1, 22, 0, tzinfo=UTC)
        assert services.month_key(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == 202604


# -- review fixes --------------------------------------------------------------------------
@pytest.mark.parametrize("field,message", [
    ("partner_id", "Kies een partner uit de lijst."),
    ("branch_id", "Kies een vestiging uit de lijst."),
])
def test_correction_with_too_large_id_is_refused_in_dutch(app, client, login_as, partner, field,
                                                          message):
    """A number beyond any id gave a 500 (OverflowError on SQLite, out of range on PostgreSQL)."""
    me = login_as("frontoffice")
    rid = _referral(app, me, partner)
    data = {"direction": "uit", "partner_id": partner, "purpose": "geldzaken", "method": "afspraak",
            "version": "1", field: "99999999999999999999"}
    response = client.post(f"/verwijzingen/{rid}", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db_proxy.session.get(Referral, rid).purpose == "taal-lezen"


def test_failed_save_from_the_start_page_keeps_where_it_came_from(client, login_as, partner):
    login_as("frontoffice")
    failed = _post(client, partner, purpose="", next="/")
    html = failed.get_data(as_text=True)
    assert failed.status_code == 422
    assert re.search(r'<input type="hidden" name="next" value="/">', html)
    assert "referral-page" in html  # the script puts focus in the partner box after the save
    fixed = _post(client, partner, nonce="n-2", next="/")
    assert fixed.status_code == 302 and fixed.headers["Location"].endswith("/")
    assert not fixed.headers["Location"].endswith("/verwijzingen/nieuw")


@pytest.mark.parametrize("target", ["https://elders.example/", "//elders.example/", "/\\elders"])
def test_failed_save_drops_a_next_that_leaves_the_site(client, login_as, partner, target):
    login_as("frontoffice")
    html = _post(client, partner, purpose="", next=target).get_data(as_text=True)
    assert 'name="next"' not in html and "elders" not in html


@pytest.fixture
def partners_by_status(app, partner):
    """One partner of every status besides the active ``partner``; name → id."""
    with app.app_context():
        made = {}
        for status in ("prospect", "verkennend", "gepauzeerd", "beeindigd"):
            p = Partner(name=f"Taal {status}", kind="welzijn", status=status, place="Rivierstad")
            db_proxy.session.add(p)
            db_proxy.session.flush()
            made[p.name] = p.id
        db_proxy.session.commit()
    return made


def test_desk_is_offered_only_active_partners(app, client, login_as, partner, partners_by_status):
    """The sociale kaart of the frontoffice shows only active partners; so does the picker."""
    me = login_as("frontoffice")
    ended = partners_by_status["Taal beeindigd"]
    for i in range(3):  # the ended partner was the most used one
        _referral(app, me, ended, nonce=f"old-{i}")
    html = client.get("/verwijzingen/nieuw").get_data(as_text=True)
    assert "Taalhuis Rivierstad" in html
    assert not [name for name in partners_by_status if name in html]
    assert "Meest gebruikt" not in html  # its only most-used partner is no longer active
    for query in ("", "taal", "rivier"):
        found = client.get(f"/verwijzingen/partners?q={query}").get_json()["results"]
        assert [r["name"] for r in found] == ["Taalhuis Rivierstad"], query
    with app.app_context():
        top, everyone = services.partner_choices()
        assert top == [] and everyone == [(partner, "Taalhuis Rivierstad")]
        assert services.most_used_partner_ids() == []


def test_correction_keeps_the_partner_that_is_no_longer_active(app, client, login_as, partner,
                                                                partners_by_status):
    me = login_as("frontoffice")
    paused = partners_by_status["Taal gepauzeerd"]
    rid = _referral(app, me, paused)
    html = client.get(f"/verwijzingen/{rid}").get_data(as_text=True)
    assert re.search(rf'<option value="{paused}" selected>Taal gepauzeerd</option>', html)
    assert "Taal prospect" not in html and "Taal beeindigd" not in html
    response = client.post(f"/verwijzingen/{rid}", data={
        "direction": "uit", "partner_id": paused, "purpose": "geldzaken", "method": "afspraak",
        "version": "1"})
    assert response.status_code == 302
    with app.app_context():
        assert db_proxy.session.get(Referral, rid).partner_id == paused
    # ...but neither a correction nor a new referral can move to another inactive partner.
    ended = partners_by_status["Taal beeindigd"]
    response = client.post(f"/verwijzingen/{rid}", data={
        "direction": "uit", "partner_id": ended, "purpose": "geldzaken", "method": "afspraak",
        "version": "2"})
    assert response.status_code == 422
    assert "Taal beeindigd staat niet (meer) op actief" in response.get_data(as_text=True)
    before = _count(app)
    response = _post(client, ended)
    assert response.status_code == 422 and _count(app) == before


def test_statistics_refuse_a_period_of_more_than_ten_years(client, login_as):
    login_as("specialist")
    response = client.get("/verwijzingen/statistiek?start=1000-01&end=2026-01")
    assert response.status_code == 422
    assert "Kies een periode van hoogstens 10 jaar." in response.get_data(as_text=True)


def _checked(html: str, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*checked[^>]*name="{name}"[^>]*value="([^"]*)"', html) + re.findall(
        rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"[^>]*checked', html)


def test_audience_and_language_can_be_cleared(app, client, login_as, partner):
    login_as("frontoffice")
    new_form = client.get("/verwijzingen/nieuw").get_data(as_text=True)
    assert "Niet ingevuld" in new_form
    assert _checked(new_form, "audience") == [] and _checked(new_form, "language") == []
    assert _post(client, partner, audience="kind", language="nt2").status_code == 302
    with app.app_context():
        rid = db_proxy.session.scalar(select(Referral.id))
    page = client.get(f"/verwijzingen/{rid}").get_data(as_text=True)
    assert _checked(page, "audience") == ["kind"] and _checked(page, "language") == ["nt2"]
    response = client.post(f"/verwijzingen/{rid}", data={
        "direction": "uit", "partner_id": partner, "purpose": "taal-lezen",
        "method": "warme-overdracht", "audience": "", "language": "", "version": "1"})
    assert response.status_code == 302
    with app.app_context():
        r = db_proxy.session.get(Referral, rid)
        assert (r.audience, r.language) == (None, None)
    page = client.get(f"/verwijzingen/{rid}").get_data(as_text=True)
    assert _checked(page, "audience") == [""] and _checked(page, "language") == [""]


def test_today_list_shows_the_local_time_only(app, client, login_as, partner):
    me = login_as("frontoffice")
    moment = datetime.now(UTC).replace(second=0, microsecond=0)
    with app.app_context():
        if not services.is_today(Referral(created_at=moment)):
            pytest.skip("just past midnight")
    _referral(app, me, partner, created_at=moment)
    html = client.get("/verwijzingen/vandaag").get_data(as_text=True)
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert f'<td data-label="Tijd">{local:%H:%M}</td>' in html
    assert f"{local.year}," not in html  # no "26 november 2026, 00:49" on every row
