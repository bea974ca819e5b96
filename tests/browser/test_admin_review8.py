"""The admin pages of review 8 in Chromium: the users table on a phone (F14), the logboek's
filters by keyboard (F3), and every new confirmation page with axe, at 320 px too."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from crm.db import db, utcnow
from crm.network.models import Interaction, Partner
from crm.referrals.models import Referral
from crm.referrals.services import month_key
from crm.referrals.stats import add_months
from tests.browser.helpers import browser_login, serious_violations
from tests.fixtures.users import make_user


def _world(app) -> dict:
    with app.app_context():
        admin = make_user("admin", name="Beheer Een")
        make_user("admin", name="Beheer Twee")
        karim = make_user("specialist", name="Karim El Amrani met een lange naam",
                          email="karim.el.amrani.langenaam@bibliotheek-rivierstad.example")
        partner = Partner(name="Voedselbank Rivierstad", kind="voedselbank", status="actief")
        db.session.add(partner)
        db.session.flush()
        today = date.today()
        db.session.add(Interaction(kind="telefoon", occurred_on=today, summary="x", follow_up="bellen",
                                   follow_up_due=today - timedelta(days=2), follow_up_owner_id=karim.id,
                                   partners=[partner]))
        now = month_key(utcnow())
        db.session.add_all([Referral(direction="uit", partner_id=partner.id, purpose="taal-lezen",
                                     method="folder", month=add_months(now, -ago), nonce=secrets.token_urlsafe(8))
                            for ago in (3, 4, 4)])
        db.session.commit()
        return {"admin": admin.email, "admin_id": admin.id, "karim_id": karim.id, "partner_id": partner.id}


def _fits(page) -> bool:
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return width[0] <= width[1] + 1


def test_switching_off_is_in_view_on_a_phone(app, live_server, page):
    world = _world(app)
    page.set_viewport_size({"width": 390, "height": 800})
    browser_login(page, live_server, world["admin"])
    page.goto(f"{live_server}/beheer/gebruikers")
    assert _fits(page)
    link = page.locator(f'a[href$="/beheer/gebruikers/{world["karim_id"]}/uitschakelen"]')
    assert "Karim El Amrani" in link.inner_text()  # the hidden part names the row for a screen reader
    box = link.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    link.click()
    page.wait_for_load_state("domcontentloaded")
    assert "1 open opvolging" in page.locator("main").inner_text()
    assert serious_violations(page) == []


def test_logboek_filters_by_keyboard(app, live_server, page):
    world = _world(app)
    browser_login(page, live_server, world["admin"])
    with app.app_context():
        partner = db.session.get(Partner, world["partner_id"])
        partner.notes = "bijgewerkt"
        db.session.commit()
    page.goto(f"{live_server}/beheer/logboek")
    page.focus("#gegeven")
    page.keyboard.type("partner")  # a select picks the option by typing
    page.focus("#van")
    page.keyboard.type(date.today().strftime("%d%m%Y"))  # the date field takes day, month, year
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "gegeven=crm_partner" in page.url and "van=" in page.url
    assert serious_violations(page) == []
    with page.expect_navigation():
        page.locator(f'a[href$="gegeven=crm_partner&nummer={world["partner_id"]}"]').first.click()
    assert page.get_by_role("link", name="Voedselbank Rivierstad").first.is_visible()
    assert serious_violations(page) == []


def test_new_admin_pages_pass_axe_and_fit_320_px(app, live_server, page):
    world = _world(app)
    page.set_viewport_size({"width": 320, "height": 640})
    browser_login(page, live_server, world["admin"])
    problems = []
    urls = [
        "/beheer/gebruikers",
        f"/beheer/gebruikers/{world['karim_id']}/uitschakelen",
        f"/beheer/gebruikers/{world['admin_id']}/uitschakelen",
        f"/beheer/gebruikers/{world['admin_id']}",
        f"/beheer/logboek?gegeven=crm_partner&nummer={world['partner_id']}",
        "/beheer/logboek?van=31-02-2026&nummer=4",  # the error state
        "/beheer/logboek?pagina=999",
    ]
    for url in urls:
        page.goto(live_server + url)
        if not _fits(page):
            problems.append(f"{url}: wider than the screen")
        problems += [f"{url}: {line}" for line in serious_violations(page)]
    # The confirmation pages that follow a POST.
    page.goto(f"{live_server}/beheer/instellingen")
    page.fill("#setting-referral_retention_months", "1")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Bewaartermijn verlagen?" in page.locator("h1").inner_text()
    problems += [f"retention: {line}" for line in serious_violations(page)]
    if not _fits(page):
        problems.append("retention: wider than the screen")
    page.goto(f"{live_server}/beheer/gebruikers/{world['admin_id']}")
    page.select_option("#role", "specialist")
    page.locator("main form.card button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Je eigen beheerdersrol weghalen?" in page.locator("h1").inner_text()
    problems += [f"demotion: {line}" for line in serious_violations(page)]
    if not _fits(page):
        problems.append("demotion: wider than the screen")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not problems, "\n".join(problems)
