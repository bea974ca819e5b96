"""The one-page brief of the demo's upcoming meeting, printed to PDF by Chromium: the
expected headings are there and it fits on at most two A4 pages (issue: Profilering)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from crm.demo import seed_demo
from lobby.models.plans import Meeting
from tests.browser.helpers import browser_login, serious_violations

HEADINGS = ("Aan tafel", "Onze doelen en rol", "Elevator pitch", "Kerncijfers",
            "Verwachte vragen", "Bewijs", "Verwijzingen")


def test_brief_prints_to_one_page(app, live_server, page, artifacts):
    with app.app_context():
        db = app.extensions["crm"].db
        logins = {role: (email, password) for role, email, password in seed_demo()}
        db.session.commit()
        meeting = db.session.scalars(
            select(Meeting).where(Meeting.held_on >= date.today()).order_by(Meeting.held_on)).first()
        meeting_id = meeting.id
    email, password = logins["specialist"]
    browser_login(page, live_server, email, password)
    page.goto(f"{live_server}/profilering/gesprekken/{meeting_id}/briefing")
    assert serious_violations(page) == []
    headings = page.locator("main h2").all_inner_texts()
    for expected in HEADINGS:
        assert any(h.startswith(expected) for h in headings), (expected, headings)
    assert "Nog niet voorbereid" not in page.locator("main").inner_text()  # the demo is complete
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "brief-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=False)
    (artifacts / "brief.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the demo's brief prints on {pages} pages, not on one"
