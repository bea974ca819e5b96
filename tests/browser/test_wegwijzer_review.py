"""Review 8 in Chromium: the one save of a phase page shows its message on screen (finding 9),
the refusal of "Afgerond" and the question before replacing the jaarevaluatie are accessible
and work with the keyboard (findings 8 and 10)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from content.models import PhaseProgress, StepCheck, YearSnapshot
from crm.web import local_tz
from tests.browser.helpers import browser_login, serious_violations
from tests.fixtures.users import make_user

PHASE = "/wegwijzer/doelgroepgericht/orientation"


def _login(app, live_server, page):
    with app.app_context():
        email = make_user("specialist").email
    browser_login(page, live_server, email)


def _in_view(page, selector: str) -> bool:
    return page.evaluate("""(selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
    }""", selector)


def test_one_save_keeps_ticks_and_answer_and_shows_the_message(app, live_server, page):
    _login(app, live_server, page)
    for step, width in ((1, 1280), (2, 390)):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server + PHASE)
        page.check(f"#stap-{step}-gedaan")
        page.fill("#answer", f"Antwoord bij {width} px.")
        page.focus("main button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_load_state("domcontentloaded")
        assert "is opgeslagen" in page.locator(".flashes").inner_text()
        assert _in_view(page, ".flashes"), f"the message is off screen at {width} px"
        assert page.evaluate("document.activeElement.id") == "inhoud"
        assert serious_violations(page) == []
    with app.app_context():
        db = app.extensions["crm"].db
        steps = sorted(db.session.scalars(select(StepCheck.step_number)))
        record = db.session.scalar(select(PhaseProgress))
        assert steps == [1, 2] and record.answer == "Antwoord bij 390 px."


def test_afgerond_without_work_is_refused_accessibly(app, live_server, page):
    _login(app, live_server, page)
    page.goto(live_server + PHASE)
    page.check("#status-2")
    page.click("main button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    assert page.evaluate("document.activeElement.id") == "foutmeldingen"
    assert "Kies Afgerond pas" in page.locator("#status-error").inner_text()
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_replacing_the_jaarevaluatie_is_asked_and_works_with_the_keyboard(app, live_server, page):
    with app.app_context():
        db = app.extensions["crm"].db
        year = datetime.now(local_tz()).year
        db.session.add(YearSnapshot(year=year, data={"oud": {}}, taken_at=datetime(2000, 1, 5, tzinfo=UTC)))
        db.session.commit()
    _login(app, live_server, page)
    page.goto(f"{live_server}/wegwijzer/jaarevaluatie")
    page.click("text=Jaarevaluatie vastleggen")
    page.wait_for_load_state("domcontentloaded")
    assert page.url.endswith("/wegwijzer/jaarevaluatie/vervangen")
    assert "vastgelegd op 5 januari 2000" in page.locator("main").inner_text()
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.focus("button[name=confirm]")
    page.keyboard.press("Enter")
    page.wait_for_load_state("domcontentloaded")
    assert "is vervangen door de stand van vandaag" in page.locator(".flashes").inner_text()
    with app.app_context():
        snapshot = app.extensions["crm"].db.session.scalar(select(YearSnapshot).where(YearSnapshot.year == year))
        assert len(snapshot.data) == 28
