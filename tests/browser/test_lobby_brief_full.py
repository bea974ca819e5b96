"""The one-page brief with realistic, full content (review 1, finding 6): four people at the
table, all five goals with a note, a long kernboodschap, the guide's five questions plus two
own ones with answers of two lines. Chromium prints it on one A4 page; the questions left out
are named. Content that does not fit gets a warning on screen, and a second printed page
repeats the title and date at its top."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from crm.demo import seed_demo
from crm.network.models import Contact
from lobby.models import Meeting, Municipality
from lobby.models.plans import DEFAULT_QUESTIONS, MEETING_GOALS
from tests.browser.helpers import browser_login, serious_violations

PEOPLE = ("Marieke Jansen", "Ahmed Yilmaz", "Ingrid de Boer", "Peter van Dijk")
# An answer of two lines in the form (the reviewer's case), about 150 characters.
ANSWER = ("We sluiten aan bij BoekStart, de VoorleesExpress en het Taalhuis, en maken met JGZ en "
          "kinderopvang vaste afspraken over verwijzen.")
# Two paragraphs, about 450 characters: the brief cuts it like the other texts.
KEY_MESSAGE = (
    "Samen doorbreken we de cirkel van laaggeletterdheid in Rivierstad. Eén op de zeven volwassenen "
    "heeft moeite met lezen en schrijven, en hun kinderen lopen een grote kans op een taalachterstand. "
    "De bibliotheek is er op de plekken waar jonge gezinnen al komen.\n\n"
    "Wij vragen de gemeente om de gezinsaanpak een vaste plek te geven in de nieuwe Lokale Educatieve "
    "Agenda, met de bibliotheek als verbinder tussen JGZ, kinderopvang, school en welzijn."
)


def _full_meeting(app) -> tuple[int, str]:
    with app.app_context():
        db = app.extensions["crm"].db
        logins = {role: (email, password) for role, email, password in seed_demo()}
        db.session.commit()
        municipality = db.session.scalar(select(Municipality))
        demo = db.session.scalars(select(Meeting).where(Meeting.municipality_id == municipality.id)).first()
        demo_upcoming = db.session.scalars(
            select(Meeting).where(Meeting.held_on >= date.today()).order_by(Meeting.held_on)).first()
        meeting = db.session.scalar(select(Meeting).where(Meeting.title == "Volle briefing"))
        if meeting is None:
            # Later than the demo's upcoming meeting, which the other brief test prints.
            meeting = Meeting(municipality_id=municipality.id, title="Volle briefing",
                              held_on=date.today() + timedelta(days=40))
            db.session.add(meeting)
        meeting.starts_at, meeting.place = demo.starts_at, "Stadhuis Rivierstad, kamer 2.14"
        meeting.library_people = demo_upcoming.library_people
        meeting.goals = [code for code, _label in MEETING_GOALS]
        meeting.goals_note = ("Een vaste plek voor de gezinsaanpak in de LEA, met de bibliotheek als verbinder, "
                              "en afspraken over wie wat doet in het eerste jaar.")  # two lines
        meeting.library_role = "verbinder"
        meeting.key_message = KEY_MESSAGE
        questions = [*DEFAULT_QUESTIONS, "Wat kost het de gemeente, en wat levert het op?",
                     "Hoe meten we of het werkt?"]
        meeting.questions = [{"question": q, "answer": ANSWER} for q in questions]
        meeting.contacts = list(db.session.scalars(select(Contact).where(Contact.name.in_(PEOPLE))))
        meeting.evidence = list(demo_upcoming.evidence)
        db.session.commit()
        assert len(meeting.contacts) == 4
        return meeting.id, logins["specialist"]


def test_full_brief_prints_on_one_page_with_questions_left_out_named(app, live_server, page, artifacts):
    meeting_id, (email, password) = _full_meeting(app)
    browser_login(page, live_server, email, password)
    page.goto(f"{live_server}/profilering/gesprekken/{meeting_id}/briefing")
    assert serious_violations(page) == []
    main = page.locator("main").inner_text()
    assert "2 vragen staan niet op de briefing; de hele lijst staat bij het gesprek." in main
    assert "Hoe meten we of het werkt?" not in main
    assert KEY_MESSAGE[:200] in main and KEY_MESSAGE[:300] not in main  # cut like the other texts
    assert "past waarschijnlijk niet op één A4" not in main
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "brief-full-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=False)
    (artifacts / "brief-full.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the full brief prints on {pages} pages, not on one"


def test_overfull_brief_warns_on_screen_and_repeats_its_title_on_each_page(app, live_server, page, artifacts):
    meeting_id, (email, password) = _full_meeting(app)
    with app.app_context():
        db = app.extensions["crm"].db
        meeting = db.session.get(Meeting, meeting_id)
        saved = {c.id: (c.knowledge, c.interests, c.hook) for c in meeting.contacts}
        # Overfull: long texts everywhere, and answers and a pitch cut only at their limits.
        long_text = "Een lange toelichting die doorloopt over meerdere regels op de briefing. " * 8
        for contact in meeting.contacts:
            contact.knowledge = contact.interests = contact.hook = long_text
        meeting.questions = [{"question": q["question"], "answer": long_text} for q in meeting.questions]
        meeting.goals_note = long_text
        db.session.commit()
    try:
        browser_login(page, live_server, email, password)
        page.goto(f"{live_server}/profilering/gesprekken/{meeting_id}/briefing")
        warning = page.locator("p.warning", has_text="past waarschijnlijk niet op één A4")
        assert warning.is_visible()
        assert serious_violations(page) == []
        page.emulate_media(media="print")
        assert not warning.is_visible()  # the paper has no screen warnings
        pdf = page.pdf(format="A4", print_background=False)
        (artifacts / "brief-overfull.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert pages >= 2
        # The pages after the first carry the title, date and page number in their top margin.
        css = page.request.get(f"{live_server}/profilering/gesprekken/{meeting_id}/briefing.css").text()
        assert '@top-left { content: "Briefing: Volle briefing · Gemeente Rivierstad · ' in css
        assert "@page :first" in css and "counter(pages)" in css
    finally:
        with app.app_context():
            db = app.extensions["crm"].db
            for contact in db.session.get(Meeting, meeting_id).contacts:  # the demo's texts again
                contact.knowledge, contact.interests, contact.hook = saved[contact.id]
            db.session.commit()
