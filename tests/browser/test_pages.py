"""Every page of the product in Chromium, for every role: it loads, has no serious or
critical axe-core violation (QUALITY.md 24), and forms in their error state are
accessible too (QUALITY.md 25). Screenshots go to tests/artifacts/."""

from __future__ import annotations

from flask import url_for
from playwright.sync_api import Error as PlaywrightError

from crm.permissions import PUBLIC, policy_table
from tests.browser.helpers import browser_login, serious_violations
from tests.fixtures.users import make_user
from tests.fixtures.world import build_world

ROLES = ("admin", "specialist", "frontoffice")
#: Pages whose content differs per role are visited with every role that may see them.
PER_ROLE = {"crm.home", "content.index"}
#: Endpoints that are not pages (files, feeds, JSON).
NOT_PAGES_SUFFIXES = (".svg", ".png", ".csv", ".xlsx", ".ics", ".eml", ".json", ".pdf")


def _pages(app, world):
    table = policy_table(app)
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
            allowed = table.get(rule.endpoint)
            if not allowed or rule.endpoint == "crm.static" or "GET" not in rule.methods:
                continue
            if PUBLIC in allowed:
                continue
            if any(a not in world for a in rule.arguments if a not in (rule.defaults or {})):
                continue
            url = url_for(rule.endpoint, **{a: world[a] for a in rule.arguments if a in world})
            if url.endswith(NOT_PAGES_SUFFIXES):
                continue
            yield rule.endpoint, allowed, url


def test_every_page_for_every_role_passes_axe(app, live_server, page, artifacts):
    with app.app_context():
        world = build_world()
        users = {role: make_user(role).email for role in ROLES}
    seen: set[str] = set()
    problems: list[str] = []
    visited = 0
    for role in ROLES:
        browser_login(page, live_server, users[role])
        page.screenshot(path=str(artifacts / f"start-{role}.png"), full_page=True)
        for endpoint, allowed, url in _pages(app, world):
            if role not in allowed or (endpoint in seen and endpoint not in PER_ROLE):
                continue
            seen.add(endpoint)
            try:
                response = page.goto(live_server + url)
            except PlaywrightError as exc:  # a file download (export) is not a page
                if "Download is starting" in str(exc):
                    continue
                raise
            if response is None or response.headers.get("content-type", "").split(";")[0] != "text/html":
                continue
            visited += 1
            if response.status != 200:
                problems.append(f"{role} {url}: HTTP {response.status}")
                continue
            assert page.locator("html").get_attribute("lang") == "nl"
            for line in serious_violations(page):
                problems.append(f"{role} {url}: {line}")
        page.context.clear_cookies()
    assert visited >= 10
    assert not problems, "\n".join(problems)


def test_login_page_and_its_error_state(app, live_server, page, artifacts):
    page.goto(f"{live_server}/inloggen")
    assert serious_violations(page) == []
    page.click("button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    summary = page.locator("#foutmeldingen")
    assert summary.is_visible()
    # Focus moves to the error summary, which links to each field.
    assert page.evaluate("document.activeElement.id") == "foutmeldingen"
    assert page.locator("#foutmeldingen a[href='#email']").count() == 1
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(artifacts / "login-error.png"))
    assert serious_violations(page) == []


def test_admin_form_error_state_and_keyboard(app, live_server, page):
    with app.app_context():
        email = make_user("admin").email
    browser_login(page, live_server, email)
    page.goto(f"{live_server}/beheer/gebruikers/nieuw")
    page.click("main button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    assert "Vul de naam in." in page.locator("#foutmeldingen").inner_text()
    assert serious_violations(page) == []
    # Keyboard only: the first Tab reaches the skip link, Enter moves to the content.
    page.goto(f"{live_server}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_every_page_fits_a_phone_screen(app, live_server, page):
    """At 320 px wide (WCAG reflow) no page scrolls sideways: wide tables scroll in their own box, which the
    keyboard can reach (axe: scrollable-region-focusable)."""
    with app.app_context():
        world = build_world()
        email = make_user("specialist").email
    page.set_viewport_size({"width": 320, "height": 640})
    browser_login(page, live_server, email)
    problems: list[str] = []
    visited = 0
    for _endpoint, allowed, url in _pages(app, world):
        if "specialist" not in allowed:
            continue
        try:
            response = page.goto(live_server + url)
        except PlaywrightError as exc:
            if "Download is starting" in str(exc):
                continue
            raise
        if response is None or response.status != 200 or \
                response.headers.get("content-type", "").split(";")[0] != "text/html":
            continue
        visited += 1
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if width[0] > width[1] + 1:
            problems.append(f"{url}: {width[0]} px wide on a {width[1]} px screen")
        for line in serious_violations(page):
            problems.append(f"{url}: {line}")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert visited >= 40
    assert not problems, "\n".join(problems)


def test_error_summary_link_to_a_group_of_choices_focuses_the_first_choice(app, live_server, page):
    with app.app_context():
        email = make_user("frontoffice").email
    browser_login(page, live_server, email)
    page.goto(f"{live_server}/verwijzingen/nieuw")
    page.get_by_role("button", name="Verwijzing opslaan").click()
    page.wait_for_load_state("domcontentloaded")
    link = page.locator("#foutmeldingen a[href='#purpose']")
    assert link.count() == 1
    link.click()
    assert page.evaluate("document.activeElement.id") == "purpose-0"

