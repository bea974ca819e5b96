"""The invitation link page: "Kopieer de link" copies the link and says so, the field is as
wide as its card, and without JavaScript there is no dead button."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import browser_login, serious_violations
from tests.fixtures.users import make_user
from tests.test_scan import make_round


@pytest.fixture
def open_link_page(app, live_server):
    """Makes a round and a specialist; opens that specialist's new invitation link page."""
    info = make_round(app)
    with app.app_context():
        email = make_user("specialist").email

    def open_page(page) -> None:
        browser_login(page, live_server, email)
        page.goto(f"{live_server}/samenwerken/scan/{info.id}/uitnodigen?partij={info.parties[1]}")
        page.get_by_label("Naam van de persoon").fill("Els Verbeek")
        page.get_by_role("button", name="Uitnodiging maken").click()
        page.wait_for_load_state("domcontentloaded")

    return open_page


def _page(browser, **options):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_copy_button_copies_the_link_and_says_so(browser, open_link_page):
    context, page = _page(browser, permissions=["clipboard-read", "clipboard-write"])
    try:
        open_link_page(page)
        field = page.get_by_label("Persoonlijke link van Els Verbeek", exact=False)
        link = field.input_value()
        assert "/samenwerken/scan/uitnodiging/" in link
        card = page.locator("main .card").first  # the field fills the content box of its card
        content_width = page.evaluate(
            "(el) => el.clientWidth - parseFloat(getComputedStyle(el).paddingLeft)"
            " - parseFloat(getComputedStyle(el).paddingRight)", card.element_handle())
        assert field.bounding_box()["width"] >= content_width - 1
        button = page.get_by_role("button", name="Kopieer de link")
        button.click()
        expect(page.get_by_role("status")).to_have_text("De link is gekopieerd.")
        assert page.evaluate("navigator.clipboard.readText()") == link
        expect(button).to_be_focused()  # the keyboard stays where it was
        assert serious_violations(page) == []
    finally:
        context.close()


def test_without_a_clipboard_the_link_is_selected(browser, open_link_page):
    context, page = _page(browser)
    try:
        # As on a page over plain http: no navigator.clipboard.
        page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined});")
        open_link_page(page)
        page.get_by_role("button", name="Kopieer de link").click()
        field = page.locator("#uitnodigingslink")
        expect(field).to_be_focused()
        selected = page.evaluate("() => { const f = document.getElementById('uitnodigingslink');"
                                 " return f.value.slice(f.selectionStart, f.selectionEnd); }")
        assert selected == field.input_value()
        # Chromium may still copy with the old copy command; then it says so.
        expect(page.get_by_role("status")).to_have_text(
            re.compile(r"^(De link is gekopieerd\.|De tekst is geselecteerd\. Kopieer hem met Ctrl\+C)"))
    finally:
        context.close()


def test_without_javascript_there_is_no_dead_button(browser, open_link_page):
    context, page = _page(browser, java_script_enabled=False)
    try:
        open_link_page(page)
        assert page.locator("#uitnodigingslink").is_visible()
        assert page.locator("[data-copy]").count() == 1
        assert not page.locator("[data-copy]").is_visible()
    finally:
        context.close()
