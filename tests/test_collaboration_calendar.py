"""Aanhaakkalender: moments, default calendar, views, start-page panel and iCalendar feed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import vobject
from icalendar import Calendar
from sqlalchemy import func, select

from collaboration import calendar as cal
from collaboration.models import LIFE_STAGE, YEAR_MOMENT, CalendarFeedToken, HookMoment
from crm.network.models import Partner
from tests.collaboration_support import fresh_client

XSS = "<script>alert(1)</script>"


@pytest.fixture
def client(app):
    return fresh_client(app)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def make_partner(db, name="Kinderopvang De Ukkepuk", kind="kinderopvang", status="actief") -> Partner:
    partner = Partner(name=name, kind=kind, status=status)
    db.session.add(partner)
    db.session.commit()
    return partner


def year_moment_form(**overrides) -> dict:
    data = {"kind": YEAR_MOMENT, "title": "Nationale Voorleesdagen", "start_date": "2027-01-21",
            "end_date": "2027-01-31", "message": "Lees voor!", "action": "Voorleesontbijt",
            "owner_id": "0", "phase": "orientation"}
    data.update(overrides)
    return data


# -- services --------------------------------------------------------------------------------------
def test_default_calendar_loads_once_and_links_partners_by_kind(db):
    ukkepuk = make_partner(db)
    make_partner(db, "Oude opvang", "kinderopvang", "beeindigd")
    added = cal.load_default_calendar(date(2026, 11, 25))
    db.session.commit()
    assert added == count(db, HookMoment) >= 14
    life = cal.life_stage_moments()
    assert life[0].age_months == -6 and all(-9 <= m.age_months <= 96 for m in life)
    voorlees = db.session.scalar(select(HookMoment).where(HookMoment.title == "Nationale Voorleesdagen"))
    assert voorlees.start_date == date(2027, 1, 21)  # the next occurrence after 25 november 2026
    kbw = db.session.scalar(select(HookMoment).where(HookMoment.title == "Kinderboekenweek"))
    assert [p.name for p in kbw.partners] == [ukkepuk.name]  # the ended partner is not linked
    with pytest.raises(cal.CollaborationError):
        cal.load_default_calendar()
    assert count(db, HookMoment) == added


@pytest.mark.parametrize("age", [-10, 97])
def test_service_refuses_age_outside_pregnancy_to_eight(db, age):
    with pytest.raises(cal.CollaborationError) as exc:
        cal.save_moment(None, cal.MomentInput(kind=LIFE_STAGE, title="Te vroeg", age_months=age))
    assert exc.value.field == "age_months"


def test_age_label():
    from collaboration.models import age_label

    assert age_label(45) == "3 jaar en 9 maanden"
    assert age_label(0) == "geboorte"
    assert age_label(1) == "1 maand"
    assert age_label(-9).startswith("zwangerschap")


def test_this_and_next_month_holds_overlapping_moments_and_dated_actions(db):
    today = date(2026, 11, 25)
    cal.save_moment(None, cal.MomentInput(kind=YEAR_MOMENT, title="Sinterklaas",
                                          start_date=date(2026, 11, 28), end_date=date(2026, 12, 5)))
    cal.save_moment(None, cal.MomentInput(kind=YEAR_MOMENT, title="Voorleesdagen",
                                          start_date=date(2027, 1, 21), end_date=date(2027, 1, 31)))
    cal.save_moment(None, cal.MomentInput(kind=LIFE_STAGE, title="BoekStart", age_months=3,
                                          action="Uitnodigingen", action_date=date(2026, 12, 10)))
    items = cal.this_and_next_month(today)
    assert [(i.moment.title, i.is_action) for i in items] == [("Sinterklaas", False), ("BoekStart", True)]


# -- pages -------------------------------------------------------------------------------------------
def test_specialist_adds_a_year_moment_with_partners(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db)
    response = client.post("/samenwerken/aanhaakkalender/nieuw",
                           data=year_moment_form(partner_ids=[str(partner.id)],
                                                 partner_kinds=["kinderopvang", "basisschool"]))
    assert response.status_code == 302
    moment = db.session.scalar(select(HookMoment))
    assert moment.end_date == date(2027, 1, 31)
    assert [p.id for p in moment.partners] == [partner.id]
    assert moment.partner_kinds == ["kinderopvang", "basisschool"]
    assert moment.theme == "samenwerken" and moment.phase == "orientation"
    page = client.get("/samenwerken/aanhaakkalender?jaar=2027").get_data(as_text=True)
    assert "Nationale Voorleesdagen" in page and "21 januari 2027" in page


def test_end_before_start_is_refused(client, login_as, db):
    login_as("specialist")
    response = client.post("/samenwerken/aanhaakkalender/nieuw",
                           data=year_moment_form(start_date="2027-01-31", end_date="2027-01-21"))
    assert response.status_code == 422
    assert "De einddatum moet op of na de begindatum liggen." in response.get_data(as_text=True)
    assert count(db, HookMoment) == 0


def test_service_says_what_to_do_when_the_end_is_before_the_start():
    data = cal.MomentInput(kind=YEAR_MOMENT, title="Voorleesdagen", start_date=date(2027, 1, 31),
                           end_date=date(2027, 1, 21))
    with pytest.raises(cal.CollaborationError, match="^Kies een einddatum op of na de begindatum.$"):
        cal.validate_moment(data)


@pytest.mark.parametrize("age", ["-10", "97", "120"])
def test_age_outside_range_is_refused(client, login_as, db, age):
    login_as("specialist")
    response = client.post("/samenwerken/aanhaakkalender/nieuw",
                           data={"kind": LIFE_STAGE, "title": "Moment", "age_months": age,
                                 "owner_id": "0", "phase": "orientation"})
    assert response.status_code == 422
    assert "Kies een leeftijd van −9 tot en met 96 maanden." in response.get_data(as_text=True)
    assert count(db, HookMoment) == 0


def test_bad_date_and_missing_age_get_dutch_messages(client, login_as, db):
    login_as("specialist")
    page = client.post("/samenwerken/aanhaakkalender/nieuw",
                       data=year_moment_form(start_date="31-31-2027"))
    assert page.status_code == 422 and "Vul een geldige datum in" in page.get_data(as_text=True)
    page = client.post("/samenwerken/aanhaakkalender/nieuw",
                       data={"kind": LIFE_STAGE, "title": "x", "owner_id": "0", "phase": "orientation"})
    assert page.status_code == 422
    assert "Vul de leeftijd van het kind in maanden in." in page.get_data(as_text=True)
    assert count(db, HookMoment) == 0


def test_timeline_page_has_chart_and_table_and_svg(client, login_as, db):
    login_as("frontoffice")
    cal.load_default_calendar(date(2026, 11, 25))
    db.session.commit()
    page = client.get("/samenwerken/aanhaakkalender/tijdlijn").get_data(as_text=True)
    assert '<img src="/samenwerken/aanhaakkalender/tijdlijn.svg' in page and 'alt="Tijdlijn' in page
    assert "3 jaar en 9 maanden" in page and '<th scope="col">Leeftijd</th>' in page
    # The table takes the full width below the chart (not half of the chart's grid).
    chart = page.split('<div class="chart">')[1].split("</div>")[0]
    assert "<img" in chart and "<table" not in chart
    svg = client.get("/samenwerken/aanhaakkalender/tijdlijn.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data
    assert "Moment toevoegen" not in page  # frontoffice reads only


def test_partner_filter_and_print_version(client, login_as, db):
    login_as("specialist")
    partner = make_partner(db, "Basisschool De Regenboog", "basisschool")
    cal.load_default_calendar(date(2026, 11, 25))
    db.session.commit()
    base = "/samenwerken/aanhaakkalender"
    filtered = client.get(f"{base}/tijdlijn?partner={partner.id}").get_data(as_text=True)
    assert "4 jaar: naar de basisschool" in filtered and "Geboorte: aangifte" not in filtered
    printed = client.get(f"{base}/afdrukken?partner={partner.id}").get_data(as_text=True)
    assert "Aanhaakkalender gezinsaanpak — met Basisschool De Regenboog" in printed
    assert "Kinderboekenweek" in printed and "Week van Lezen en Schrijven" not in printed
    assert client.get("/samenwerken/aanhaakkalender?partner=abc").status_code == 200


def test_load_default_button_only_when_empty(client, login_as, db):
    login_as("specialist")
    page = client.get("/samenwerken/aanhaakkalender").get_data(as_text=True)
    assert "Standaardkalender laden" in page
    assert client.post("/samenwerken/aanhaakkalender/standaard-laden").status_code == 302
    loaded = count(db, HookMoment)
    assert loaded > 10
    response = client.post("/samenwerken/aanhaakkalender/standaard-laden", follow_redirects=True)
    assert "niet leeg" in response.get_data(as_text=True)
    assert count(db, HookMoment) == loaded


def test_frontoffice_reads_but_cannot_change(client, login_as, db):
    login_as("frontoffice")
    moment = cal.save_moment(None, cal.MomentInput(kind=LIFE_STAGE, title="Geboorte", age_months=0))
    db.session.commit()
    assert client.get(f"/samenwerken/aanhaakkalender/{moment.id}").status_code == 200
    assert client.get("/samenwerken/aanhaakkalender/nieuw").status_code == 403
    assert client.post(f"/samenwerken/aanhaakkalender/{moment.id}/verwijderen").status_code == 403
    assert client.post("/samenwerken/aanhaakkalender/standaard-laden").status_code == 403
    assert count(db, HookMoment) == 1


def test_xss_in_moment_is_escaped(client, login_as, db):
    login_as("specialist")
    cal.save_moment(None, cal.MomentInput(kind=YEAR_MOMENT, title=XSS, start_date=date.today(),
                                          message=XSS, action=XSS, action_date=date.today()))
    db.session.commit()
    moment = db.session.scalar(select(HookMoment))
    for url in ("/samenwerken/aanhaakkalender", f"/samenwerken/aanhaakkalender/{moment.id}",
                "/samenwerken/aanhaakkalender/afdrukken", "/"):
        page = client.get(url).get_data(as_text=True)
        assert XSS not in page and "&lt;script&gt;" in page, url


def test_stale_version_is_not_saved(client, login_as, db):
    login_as("specialist")
    moment = cal.save_moment(None, cal.MomentInput(kind=LIFE_STAGE, title="Origineel", age_months=3))
    db.session.commit()
    old_version = moment.version
    moment.title = "Door een collega"
    db.session.commit()
    response = client.post(f"/samenwerken/aanhaakkalender/{moment.id}/bewerken",
                           data={"kind": LIFE_STAGE, "title": "Mijn versie", "age_months": "3",
                                 "owner_id": "0", "phase": "orientation", "version": str(old_version)})
    assert response.status_code == 422
    assert "Iemand anders heeft dit intussen gewijzigd" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(HookMoment, moment.id).title == "Door een collega"


def test_edit_and_delete(client, login_as, db):
    login_as("admin")
    moment = cal.save_moment(None, cal.MomentInput(kind=LIFE_STAGE, title="Oud", age_months=3))
    db.session.commit()
    form = client.get(f"/samenwerken/aanhaakkalender/{moment.id}/bewerken").get_data(as_text=True)
    assert 'value="Oud"' in form
    response = client.post(f"/samenwerken/aanhaakkalender/{moment.id}/bewerken",
                           data={"kind": LIFE_STAGE, "title": "Nieuw", "age_months": "14",
                                 "owner_id": "0", "phase": "creation", "version": str(moment.version)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(HookMoment, moment.id).age_months == 14
    assert client.post(f"/samenwerken/aanhaakkalender/{moment.id}/verwijderen").status_code == 302
    assert count(db, HookMoment) == 0


def test_start_page_panel_shows_this_and_next_month(client, login_as, db):
    login_as("specialist")
    cal.save_moment(None, cal.MomentInput(kind=LIFE_STAGE, title="Uitnodigingen BoekStart", age_months=3,
                                          action="Kaarten brengen", action_date=date.today()))
    cal.save_moment(None, cal.MomentInput(kind=YEAR_MOMENT, title="Ver weg",
                                          start_date=date.today() + timedelta(days=100)))
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "deze maand en volgende maand" in page
    assert "Uitnodigingen BoekStart" in page and "Ver weg" not in page


# -- iCalendar feed -------------------------------------------------------------------------------------
def _feed_url(page: str) -> str:
    marker = 'id="feed-url" type="text" readonly value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


def test_feed_round_trip_with_a_second_parser(client, login_as, db):
    login_as("frontoffice")
    cal.save_moment(None, cal.MomentInput(kind=YEAR_MOMENT, title="Kinderboekenweek",
                                          start_date=date(2027, 10, 1), end_date=date(2027, 10, 11),
                                          message="Kom naar de bibliotheek"))
    cal.save_moment(None, cal.MomentInput(kind=LIFE_STAGE, title="BoekStart, 3 maanden", age_months=3,
                                          action="Uitnodigingen naar het consultatiebureau",
                                          action_date=date(2027, 2, 3)))
    cal.save_moment(None, cal.MomentInput(kind=LIFE_STAGE, title="Zonder datum", age_months=14))
    db.session.commit()
    page = client.post("/samenwerken/aanhaakkalender/abonneren/nieuw").get_data(as_text=True)
    url = _feed_url(page)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43  # 256 bits, url-safe base64
    stored = db.session.scalar(select(CalendarFeedToken))
    assert stored.token_hash != token and token not in stored.token_hash

    client.post("/uitloggen")  # calendar apps have no session
    response = client.get(url.replace("http://localhost", ""))
    assert response.status_code == 200 and response.mimetype == "text/calendar"

    ours = Calendar.from_ical(response.data)
    first = sorted((str(e["uid"]), str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend"))
                   for e in ours.walk("VEVENT"))
    theirs = vobject.readOne(response.get_data(as_text=True))
    second = sorted((e.uid.value, e.summary.value, e.dtstart.value, e.dtend.value)
                    for e in theirs.vevent_list)
    assert first == second
    by_summary = {summary: (start, end) for _, summary, start, end in second}
    assert by_summary == {
        "Kinderboekenweek": (date(2027, 10, 1), date(2027, 10, 12)),  # DTEND is exclusive
        "Actie: BoekStart, 3 maanden": (date(2027, 2, 3), date(2027, 2, 4)),
    }


def test_wrong_revoked_and_replaced_tokens_give_404(client, login_as, db):
    login_as("specialist")
    cal.save_moment(None, cal.MomentInput(kind=YEAR_MOMENT, title="Geheim moment", start_date=date.today()))
    db.session.commit()
    wrong = client.get("/samenwerken/aanhaakkalender/feed/raadsel.ics")
    assert wrong.status_code == 404 and b"Geheim moment" not in wrong.data

    old = _feed_url(client.post("/samenwerken/aanhaakkalender/abonneren/nieuw").get_data(as_text=True))
    new = _feed_url(client.post("/samenwerken/aanhaakkalender/abonneren/nieuw").get_data(as_text=True))
    assert client.get(old).status_code == 404  # regenerating replaces the old secret
    assert client.get(new).status_code == 200
    assert client.post("/samenwerken/aanhaakkalender/abonneren/intrekken").status_code == 302
    revoked = client.get(new)
    assert revoked.status_code == 404 and b"Geheim moment" not in revoked.data
    page = client.get("/samenwerken/aanhaakkalender/abonneren").get_data(as_text=True)
    assert "Je hebt nog geen agenda-koppeling." in page


def test_feed_of_a_disabled_user_stops(client, login_as, db):
    from crm.auth.models import User

    user_id = login_as("specialist")
    url = _feed_url(client.post("/samenwerken/aanhaakkalender/abonneren/nieuw").get_data(as_text=True))
    db.session.get(User, user_id).active = False
    db.session.commit()
    assert client.get(url).status_code == 404


def test_the_desk_sees_this_and_next_month_of_the_calendar(client, login_as):
    login_as("frontoffice")
    page = client.get("/").get_data(as_text=True)
    assert "Aanhaakkalender: deze maand en volgende maand" in page


def test_the_admin_start_page_begins_with_beheer(client, login_as):
    login_as("admin")
    page = client.get("/").get_data(as_text=True)
    assert page.index('id="panel-admin"') < page.index('id="panel-referral"')
