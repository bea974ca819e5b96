"""The frontoffice registers a referral with the keyboard only, in a few keystrokes
(issue: "under 10 seconds and 3 interactions"), and the start page is accessible."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from crm.network.models import Partner
from crm.referrals.models import Referral
from tests.browser.helpers import browser_login, serious_violations
from tests.fixtures.users import make_user


def test_keyboard_only_referral_from_the_start_page(app, live_server, page, artifacts):
    with app.app_context():
        db = app.extensions["crm"].db
        email = make_user("frontoffice").email
        db.session.add_all([Partner(name="Taalhuis Rivierstad", kind="taalhuis", status="actief"),
                            Partner(name="Voedselbank Rivierstad", kind="voedselbank", status="actief")])
        db.session.commit()
    browser_login(page, live_server, email)
    assert serious_violations(page) == []
    combobox = page.get_by_role("combobox")
    combobox.focus()
    # Type and press Enter at once: the first match is chosen, even before the list shows.
    page.keyboard.type("taal")
    page.keyboard.press("Enter")
    expect(page.locator(".partner-picker [role=status]")).to_contain_text("Taalhuis Rivierstad gekozen")
    page.get_by_role("radio", name="Taal en lezen").check()
    page.get_by_role("radio", name="Warme overdracht").check()
    page.get_by_role("button", name="Verwijzing opslaan").press("Enter")
    page.wait_for_load_state("domcontentloaded")
    page.screenshot(path=str(artifacts / "referral-saved.png"), full_page=True)
    assert "opgeslagen" in page.locator(".flashes").inner_text().lower()
    assert page.get_by_role("combobox").input_value() == ""  # ready for the next one
    with app.app_context():
        db = app.extensions["crm"].db
        referral = db.session.scalars(select(Referral)).one()
        assert referral.purpose == "taal-lezen" and referral.method == "warme-overdracht"
        assert db.session.get(Partner, referral.partner_id).name == "Taalhuis Rivierstad"
