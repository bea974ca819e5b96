"""The frontoffice registers a referral with the keyboard only, in a few keystrokes
(issue: "under 10 seconds and 3 interactions"), and the start page is accessible."""

from __future__ import annotations

import re

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
    combobox = page.get_by_role("combobox")
    assert combobox.input_value() == ""  # ready for the next one
    expect(combobox).to_be_focused()
    # A screen reader reads the confirmation with the box, and it is in view on a phone too.
    expect(combobox).to_have_accessible_description(re.compile(
        r"^Verwijzing opgeslagen: Taalhuis Rivierstad · Taal en lezen · Warme overdracht\."))
    expect(page.locator(".flash-referral-saved")).to_be_in_viewport()
    with app.app_context():
        db = app.extensions["crm"].db
        referral = db.session.scalars(select(Referral)).one()
        assert referral.purpose == "taal-lezen" and referral.method == "warme-overdracht"
        assert db.session.get(Partner, referral.partner_id).name == "Taalhuis Rivierstad"


# -- review fixes --------------------------------------------------------------------------
#: Holds the answer to the empty search (sent when the box gets focus) until Enter is pressed:
#: the stale list of "vaak gekozen" partners then arrives between Enter and the search for the
#: typed text, the moment a fast typist hit by chance.
HOLD_EMPTY_SEARCH_UNTIL_ENTER = """
(() => {
  const realFetch = window.fetch.bind(window);
  let release;
  const entered = new Promise((resolve) => { release = resolve; });
  document.addEventListener("keydown", (e) => { if (e.key === "Enter") setTimeout(release, 10); }, true);
  window.fetch = (url, options) => {
    const answer = realFetch(url, options);
    return String(url).endsWith("?q=") ? Promise.all([answer, entered]).then(([r]) => r) : answer;
  };
})();
"""


def _desk(app, *names_and_uses) -> tuple[str, dict[str, int]]:
    """A frontoffice account and active partners; ``uses`` earlier referrals make one "vaak gekozen"."""
    from crm.referrals import services

    with app.app_context():
        db = app.extensions["crm"].db
        email = make_user("frontoffice").email
        ids = {}
        for name, uses in names_and_uses:
            partner = Partner(name=name, kind="welzijn", status="actief", place="Rivierstad")
            db.session.add(partner)
            db.session.flush()
            ids[name] = partner.id
            for i in range(uses):
                services.create_referral(services.ReferralData("uit", partner.id, "geldzaken", "folder"),
                                         None, f"eerder-{partner.id}-{i}")
        db.session.commit()
    return email, ids


def _stored_partners(app, purpose="taal-lezen") -> list[int]:
    with app.app_context():
        db = app.extensions["crm"].db
        return list(db.session.scalars(select(Referral.partner_id).where(Referral.purpose == purpose)
                                       .order_by(Referral.id)))


def _finish_and_save(page) -> None:
    page.get_by_role("radio", name="Taal en lezen").check()
    page.get_by_role("radio", name="Warme overdracht").check()
    page.get_by_role("button", name="Verwijzing opslaan").press("Enter")
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator(".flash-referral-saved")).to_contain_text("opgeslagen")


def test_fast_enter_never_takes_a_stale_list(app, live_server, page):
    email, ids = _desk(app, ("Voedselbank Rivierstad", 5), ("Taalhuis Rivierstad", 0))
    page.add_init_script(HOLD_EMPTY_SEARCH_UNTIL_ENTER)
    browser_login(page, live_server, email)
    for _ in range(3):
        combobox = page.get_by_role("combobox")
        combobox.focus()  # after a save it has focus already; the empty search is on its way
        page.keyboard.type("taal")
        page.keyboard.press("Enter")
        expect(page.locator(".partner-picker [role=status]")).to_contain_text("Taalhuis Rivierstad gekozen")
        _finish_and_save(page)
        expect(page.get_by_role("combobox")).to_be_focused()
    assert _stored_partners(app) == [ids["Taalhuis Rivierstad"]] * 3


def test_tab_takes_the_partner_the_text_clearly_means(app, live_server, page):
    email, ids = _desk(app, ("Taalhuis Rivierstad", 0), ("Taalhuis Beekdorp", 0),
                       ("Voedselbank Rivierstad", 0))
    browser_login(page, live_server, email)
    combobox = page.get_by_role("combobox")
    status = page.locator(".partner-picker [role=status]")
    # The full name, Tab at once (before the list is there) and after the list shows it.
    for wait_for_list in (False, True):
        combobox.fill("")
        combobox.focus()
        page.keyboard.type("taalhuis beekdorp")
        if wait_for_list:
            expect(page.get_by_role("option", name="Taalhuis Beekdorp")).to_be_visible()
        page.keyboard.press("Tab")
        expect(status).to_contain_text("Taalhuis Beekdorp gekozen")
        # Focus moved on to the purposes, it is not held in the box.
        assert page.evaluate("document.activeElement.name") == "purpose"
        assert combobox.input_value() == "Taalhuis Beekdorp"
    _finish_and_save(page)
    # The only match left is taken too; two matches are not guessed.
    combobox = page.get_by_role("combobox")
    combobox.focus()
    page.keyboard.type("voedsel")
    expect(page.locator("#partner_id-lijst [role=option]")).to_have_count(1)
    page.keyboard.press("Tab")
    expect(status).to_contain_text("Voedselbank Rivierstad gekozen")
    _finish_and_save(page)
    combobox = page.get_by_role("combobox")
    combobox.focus()
    page.keyboard.type("taalhuis")
    expect(page.locator("#partner_id-lijst [role=option]")).to_have_count(2)
    page.keyboard.press("Tab")
    assert page.locator("#partner_id").input_value() == ""
    assert _stored_partners(app) == [ids["Taalhuis Beekdorp"], ids["Voedselbank Rivierstad"]]


def test_error_summary_link_leads_to_the_partner_search(app, live_server, page):
    email, _ids = _desk(app, ("Taalhuis Rivierstad", 0))
    browser_login(page, live_server, email)
    page.goto(f"{live_server}/verwijzingen/nieuw")
    page.get_by_role("button", name="Verwijzing opslaan").click()
    page.wait_for_load_state("domcontentloaded")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Partner: Kies een partner.").click()
    expect(page.get_by_role("combobox", name="Partner")).to_be_focused()
    page.get_by_role("link", name="Doel: Kies een doel.").focus()
    page.locator("label[for='partner_id-zoek']").click()
    expect(page.get_by_role("combobox", name="Partner")).to_be_focused()


def test_failed_save_from_the_start_page_returns_there(app, live_server, page):
    email, ids = _desk(app, ("Taalhuis Rivierstad", 0))
    browser_login(page, live_server, email)
    page.get_by_role("combobox").focus()
    page.keyboard.type("taal")
    page.keyboard.press("Enter")
    expect(page.locator(".partner-picker [role=status]")).to_contain_text("Taalhuis Rivierstad gekozen")
    page.get_by_role("button", name="Verwijzing opslaan").click()  # no purpose, no method
    page.wait_for_load_state("domcontentloaded")
    assert page.url.endswith("/verwijzingen/nieuw")
    _finish_and_save(page)
    assert page.url == f"{live_server}/"
    expect(page.get_by_role("combobox")).to_be_focused()
    assert _stored_partners(app) == [ids["Taalhuis Rivierstad"]]


def test_statistics_tables_are_reachable_by_keyboard(app, live_server, page):
    from crm.referrals import PURPOSES, services

    with app.app_context():
        email = make_user("specialist").email
        partner = Partner(name="Taalhuis Rivierstad", kind="taalhuis", status="actief")
        app.extensions["crm"].db.session.add(partner)
        app.extensions["crm"].db.session.flush()
        for code, _label in PURPOSES:  # a column per purpose: wider than its half of the page
            services.create_referral(services.ReferralData("uit", partner.id, code, "folder"),
                                     None, f"doel-{code}")
        app.extensions["crm"].db.session.commit()
    browser_login(page, live_server, email)
    page.goto(f"{live_server}/verwijzingen/statistiek")
    wrap = page.get_by_role("region", name="Tabel: Verwijzingen per maand, verdeeld naar doel")
    page.wait_for_function("el => el.scrollWidth > el.clientWidth", arg=wrap.element_handle())  # it scrolls
    assert serious_violations(page) == []
    wrap.focus()
    wrap.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=wrap.element_handle())


def test_back_after_saving_never_saves_a_partner_the_box_does_not_show(app, live_server, page):
    email, ids = _desk(app, ("Voedselbank Rivierstad", 0), ("Taalhuis Rivierstad", 0))
    browser_login(page, live_server, email)
    page.goto(f"{live_server}/verwijzingen/nieuw")
    combobox = page.get_by_role("combobox")
    combobox.focus()
    page.keyboard.type("voedsel")
    page.keyboard.press("Enter")
    expect(page.locator(".partner-picker [role=status]")).to_contain_text("Voedselbank Rivierstad gekozen")
    _finish_and_save(page)
    page.go_back()
    page.wait_for_load_state("load")
    shown = page.get_by_role("combobox").input_value()
    held = page.evaluate("(() => { const s = document.querySelector('select[name=partner_id]');"
                         " return s.selectedIndex > 0 ? s.options[s.selectedIndex].text : ''; })()")
    assert shown == held  # what will be saved is what the box shows
    page.get_by_role("button", name="Verwijzing opslaan").click()
    page.wait_for_load_state("domcontentloaded")
    stored = _stored_partners(app)
    assert stored in ([ids["Voedselbank Rivierstad"]], [ids["Voedselbank Rivierstad"]] * 2)
    if len(stored) == 1:  # the form came back empty: it asks for a partner
        expect(page.locator(".error-summary")).to_contain_text("Kies een partner")


def test_no_match_is_said_on_screen(app, live_server, page):
    email, _ids = _desk(app, ("Taalhuis Rivierstad", 0))
    browser_login(page, live_server, email)
    combobox = page.get_by_role("combobox")
    combobox.focus()
    page.keyboard.type("xyzq")
    expect(page.locator(".partner-none")).to_be_visible()
    expect(page.locator(".partner-none")).to_contain_text("Geen partner gevonden voor ‘xyzq’")
    page.keyboard.press("Backspace")
    expect(page.locator(".partner-none")).to_be_hidden()
