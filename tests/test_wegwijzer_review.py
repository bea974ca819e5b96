"""Review 8 on the Wegwijzer tracker: the guide's instruments link to the product's pages, once
(finding 1); one save for steps, status and answer (2, 9); no "Afgerond" for a phase in which
nothing was done (10); replacing this year's jaarevaluatie is asked first (8); the records of a
phase are sorted, their titles cut at a word, and the empty state promises nothing (11)."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from content import services
from content.guide import get_guide
from content.models import DONE, IN_PROGRESS, NOT_STARTED, PhaseProgress, StepCheck, YearSnapshot
from crm.guide import Phase, Theme
from crm.registry import PhaseRecords, RecordRef, current_registry
from crm.web import local_tz
from tests.test_content_tracker import _count, _progress, _session  # the same helpers

BASE = "/wegwijzer"
PHASE_URL = f"{BASE}/samenwerken/orientation"

#: Pages of the product that packages register for a phase but that the guide does not name
#: as an instrument: the overview of a theme and the evaluation of the profilering. They are
#: listed under "Ook in deze tool". Any other key must be a key of the guide data.
PRODUCT_PAGES = {"profilering", "samenwerken", "evaluatie"}


def _ticked(app, theme="samenwerken", phase="orientation") -> list[int]:
    with app.app_context():
        return sorted(_session(app).scalars(select(StepCheck.step_number).where(
            StepCheck.theme == theme, StepCheck.phase == phase)))


def _section(page: str, name: str) -> str:
    start = page.index(f'<section aria-labelledby="{name}">')
    return page[start:page.index("</section>", start)]


def _step(page: str, number: int) -> str:
    start = page.index(f'id="stap-{number}"')
    return page[start:page.index('<div class="step-check">', start)]


def _items(section: str) -> list[str]:
    """The text of each list item, without tags."""
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
            for item in re.findall(r"<li>(.*?)</li>", section, re.S)]


def _checked(page: str) -> list[int]:
    return sorted(int(n) for n in re.findall(r'name="stap" value="(\d+)" checked', page))


# -- finding 1: the guide's instruments and the product's pages --------------------------------


def test_every_instrument_key_a_package_registers_is_a_key_of_the_guide(app):
    guide_keys = set(get_guide().instruments)
    registered = {i.key for i in app.extensions["crm"].registry.instruments}
    assert registered - guide_keys <= PRODUCT_PAGES, (
        f"registered under a key the guide data does not have: {sorted(registered - guide_keys - PRODUCT_PAGES)}"
        " (use the key of content/guide.yaml, or add a product page here with a reason)")
    assert not PRODUCT_PAGES & guide_keys


def test_the_products_tools_are_registered_under_the_guides_keys(app):
    """The tools the review found unlinked, each under the key the guide uses."""
    registered = {i.key: i.endpoint for i in app.extensions["crm"].registry.instruments}
    assert {key: registered.get(key) for key in (
        "elevator-pitch", "plan-van-aanpak", "gesprek-voorbereiden", "fundament",
        "registratiesysteem-verwijzingen", "stakeholdersanalyse", "sociale-kaart", "contactmomenten",
        "kerncijfers",
    )} == {
        "elevator-pitch": "lobby.pitches", "plan-van-aanpak": "lobby.plans",
        "gesprek-voorbereiden": "lobby.meetings", "fundament": "lobby.fundament_home",
        "registratiesysteem-verwijzingen": "crm.referral_stats", "stakeholdersanalyse": "crm.partner_map",
        "sociale-kaart": "crm.directory", "contactmomenten": "crm.interactions",
        "kerncijfers": "lobby.materials",
    }


#: (theme, phase, step, guide label, endpoint): where the review found plain text.
STEP_LINKS = [
    ("profilering", "creation", 1, "Elevator pitch", "lobby.pitches"),
    ("profilering", "orientation", 1, "Fundament checklist", "lobby.fundament_home"),
    *[("profilering", "orientation", n, "Gesprek met de gemeente voorbereiden", "lobby.meetings")
      for n in (4, 5, 6, 7)],
    ("profilering", "implementation", 1, "Plan van aanpak", "lobby.plans"),
    ("profilering", "evaluation", 1, "Plan van aanpak", "lobby.plans"),
    ("profilering", "evaluation", 1, "Elevator pitch", "lobby.pitches"),
    ("leren", "implementation", 5, "Registratie van verwijzingen", "crm.referral_stats"),
    ("samenwerken", "orientation", 5, "Stakeholdersanalyse", "crm.partner_map"),
    ("profilering", "orientation", 3, "Stakeholdersanalyse", "crm.partner_map"),
    ("profilering", "implementation", 3, "Sociale kaart", "crm.directory"),
    ("profilering", "implementation", 4, "Contactmomenten en netwerken", "crm.interactions"),
    ("profilering", "implementation", 6, "Contactmomenten en netwerken", "crm.interactions"),
    ("profilering", "evaluation", 2, "Contactmomenten en netwerken", "crm.interactions"),
    ("profilering", "creation", 5, "Relevante cijfers", "lobby.materials"),
]


def test_the_steps_link_the_tools_of_the_product(app, client, specialist):
    with app.test_request_context():
        urls = {endpoint: url_for(endpoint) for *_, endpoint in STEP_LINKS}
    pages: dict[str, str] = {}
    for theme, phase, number, label, endpoint in STEP_LINKS:
        path = f"{BASE}/{theme}/{phase}"
        page = pages.setdefault(path, client.get(path).get_data(as_text=True))
        assert f'<a href="{urls[endpoint]}">{label}</a>' in _step(page, number), (path, number, label)


@pytest.mark.parametrize("theme", list(Theme))
def test_no_instrument_is_listed_twice_on_a_phase_page(client, specialist, theme):
    guide = get_guide()
    for phase in Phase:
        page = client.get(f"{BASE}/{theme.value}/{phase.value}").get_data(as_text=True)
        section = _section(page, "instrumenten")
        items = _items(section)
        twice = [text for text, n in Counter(items).items() if n > 1]
        assert not twice, (theme, phase, twice)
        names = [guide.instruments[k] for k in guide.phase(theme, phase).instrument_keys]
        for name in names:  # each instrument of the guide once: by its name, or as the start of the tool's
            assert sum(item.startswith(name) for item in items) == 1, (theme, phase, name, items)
        # what a step links, the list links too
        for href in set(re.findall(r'href="([^"]+)"', _section(page, "stappen"))):
            if not href.startswith(f"{BASE}/{theme.value}"):
                assert f'href="{href}"' in section, (theme, phase, href)


def test_a_tool_named_by_the_guide_shows_the_products_name_once(client, specialist):
    page = client.get(f"{BASE}/profilering/creation").get_data(as_text=True)
    items = _items(_section(page, "instrumenten"))
    assert "Relevante cijfers (Kernboodschap, middelen en cijfers)" in items
    assert "Elevator pitch" in items
    assert sum("pitch" in item.lower() for item in items) == 1
    page = client.get(f"{BASE}/profilering/orientation").get_data(as_text=True)
    section = _section(page, "instrumenten")
    assert "Fundament checklist (Quickscan, Theory of Change, expertise)" in _items(section)
    assert "<h3>Ook in deze tool</h3>" in section and "Overzicht Profilering" in section
    assert "niet in deze tool" in section  # why Theory of Change has no link


def test_frontoffice_sees_the_tools_without_links_and_is_told_why(client, login_as):
    login_as("frontoffice")
    page = client.get(f"{BASE}/profilering/creation").get_data(as_text=True)
    section = _section(page, "instrumenten")
    assert "Elevator pitch" in section and 'href="/profilering' not in section
    assert "alleen de specialisten kunnen ze openen" in section


# -- finding 2 and 9: one form, one save -------------------------------------------------------


def test_the_phase_page_has_one_form_with_one_save(client, specialist):
    page = client.get(PHASE_URL).get_data(as_text=True)
    main = page[page.index("<main"):page.index("</main>")]
    assert main.count("<form") == 1 and main.count('type="submit"') == 1
    form = main[main.index("<form"):main.index("</form>")]
    assert f'action="{PHASE_URL}/opslaan"' in form
    assert 'name="stap"' in form and 'name="status"' in form and 'name="answer"' in form
    assert 'name="version"' in form
    assert "Stappen opslaan" not in page


def test_ticking_a_step_and_writing_the_answer_are_saved_together(app, client, specialist):
    response = client.post(f"{PHASE_URL}/opslaan", data={
        "stap": "1", "status": NOT_STARTED, "answer": "Het woordweb is af.", "version": ""})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{PHASE_URL}#inhoud")  # the message is on screen
    assert _ticked(app) == [1]
    record = _progress(app)
    assert record.answer == "Het woordweb is af." and record.status == IN_PROGRESS
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # "Niet begonnen" was chosen: the status said once, with why it is Bezig
    assert ("De fase Oriëntatie van Samenwerken intern en extern is opgeslagen: 1 stap afgevinkt, "
            "status Bezig (er is al een stap afgevinkt of een antwoord), antwoord bijgewerkt.") in page
    assert "De status is Bezig, omdat" not in page  # not a second time
    # review step B: tick step 2 and change the answer in one go
    response = client.post(f"{PHASE_URL}/opslaan", data={
        "getoond": "1", "stap": ["1", "2"], "status": IN_PROGRESS, "answer": "Ook de aanhaakkalender.",
        "version": str(record.version)})
    assert response.status_code == 302
    assert _ticked(app) == [1, 2] and _progress(app).answer == "Ook de aanhaakkalender."


def test_nothing_changed_says_so(app, client, specialist):
    client.post(f"{PHASE_URL}/opslaan", data={"stap": "1", "status": IN_PROGRESS, "version": ""})
    version = _progress(app).version
    response = client.post(f"{PHASE_URL}/opslaan", data={
        "getoond": "1", "stap": "1", "status": IN_PROGRESS, "version": str(version)}, follow_redirects=True)
    assert "Er is niets veranderd aan deze fase." in response.get_data(as_text=True)
    assert _progress(app).version == version


def test_a_refused_answer_keeps_the_ticks_on_the_page_and_stores_nothing(app, client, specialist):
    response = client.post(f"{PHASE_URL}/opslaan", data={
        "stap": ["1", "3"], "status": IN_PROGRESS, "answer": "a" * 5001, "version": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Er is niets opgeslagen" in page and "Het antwoord is te lang" in page
    assert _checked(page) == [1, 3]
    assert 'name="getoond"' not in page  # nothing is stored, so the page showed nothing ticked
    assert _count(app, StepCheck) == 0 and _count(app, PhaseProgress) == 0


def test_a_stale_answer_refuses_the_whole_save_and_keeps_what_the_user_did(app, client, specialist):
    client.post(f"{PHASE_URL}/opslaan", data={"stap": "1", "status": IN_PROGRESS, "answer": "Eerste",
                                              "version": ""})
    old = _progress(app).version
    client.post(f"{PHASE_URL}/opslaan", data={"getoond": "1", "stap": "1", "status": IN_PROGRESS,
                                              "answer": "Van een collega", "version": str(old)})
    # The other tab still shows the old version: it unticks 1, ticks 2 and changes the answer.
    response = client.post(f"{PHASE_URL}/opslaan", data={
        "getoond": "1", "stap": "2", "status": IN_PROGRESS, "answer": "Mijn tekst", "version": str(old)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert "Mijn tekst" in page and "Van een collega" in page
    assert _checked(page) == [2]  # the user's own changes, on top of what is stored now
    assert re.findall(r'name="getoond" value="(\d+)"', page) == ["1"]
    assert _ticked(app) == [1] and _progress(app).answer == "Van een collega"


def test_ticking_on_a_page_shown_before_a_colleagues_answer_keeps_both(app, client, specialist):
    """A colleague saved a new answer while my page was open; I only tick a step."""
    from content.services import shown_state

    client.post(f"{PHASE_URL}/opslaan", data={"stap": "1", "status": IN_PROGRESS, "answer": "Eerste",
                                              "version": ""})
    old = _progress(app).version
    mine = shown_state(IN_PROGRESS, "Eerste")  # what my page showed
    page = client.get(PHASE_URL).get_data(as_text=True)
    assert f'name="getoond-staat" value="{mine}"' in page
    client.post(f"{PHASE_URL}/opslaan", data={"getoond": "1", "stap": "1", "status": IN_PROGRESS,
                                              "answer": "Van een collega", "version": str(old)})
    response = client.post(f"{PHASE_URL}/opslaan", data={
        "getoond": "1", "stap": ["1", "2"], "status": IN_PROGRESS, "answer": "Eerste", "version": str(old),
        "getoond-staat": mine})
    assert response.status_code == 302
    assert _ticked(app) == [1, 2] and _progress(app).answer == "Van een collega"


def test_ticking_on_a_page_shown_before_a_colleagues_tick_is_no_conflict(app, client, specialist):
    client.post(f"{PHASE_URL}/opslaan", data={"stap": "1", "status": NOT_STARTED, "version": ""})
    # A second page, shown before that save: no version, status "Niet begonnen", no answer.
    response = client.post(f"{PHASE_URL}/opslaan", data={"stap": "2", "status": NOT_STARTED, "version": ""})
    assert response.status_code == 302
    assert _ticked(app) == [1, 2] and _progress(app).status == IN_PROGRESS


def test_an_answer_with_status_niet_begonnen_is_stored_as_bezig(app, client, specialist):
    client.post(f"{PHASE_URL}/opslaan", data={"status": NOT_STARTED, "answer": "Eerste gedachten.",
                                              "version": ""})
    assert _progress(app).status == IN_PROGRESS


# -- finding 10: "Afgerond" for a phase in which nothing was done ------------------------------


def test_afgerond_without_steps_or_answer_is_refused_at_the_status(app, client, specialist):
    response = client.post(f"{PHASE_URL}/opslaan", data={"status": DONE, "answer": "  ", "version": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'<p class="error-message" id="status-error">(.*?)</p>', page, re.S).group(1)
    assert "Kies Afgerond pas als het team iets in deze fase heeft gedaan" in error
    assert '<a href="#status">' in page  # the summary leads to the status
    assert _count(app, PhaseProgress) == 0


@pytest.mark.parametrize("data", [{"stap": "2"}, {"answer": "We hebben dit buiten de tool gedaan."}])
def test_afgerond_with_a_step_or_an_answer_is_stored(app, client, specialist, data):
    response = client.post(f"{PHASE_URL}/opslaan", data={"status": DONE, "version": "", **data})
    assert response.status_code == 302
    assert _progress(app).status == DONE


def test_unticking_every_step_of_a_finished_phase_without_an_answer_is_refused(app, client, specialist):
    client.post(f"{PHASE_URL}/opslaan", data={"stap": "1", "status": DONE, "version": ""})
    version = _progress(app).version
    response = client.post(f"{PHASE_URL}/opslaan", data={"getoond": "1", "status": DONE,
                                                          "version": str(version)})
    assert response.status_code == 422
    assert _ticked(app) == [1]


# -- finding 8: replacing this year's jaarevaluatie ---------------------------------------------


def _this_year(app) -> int:
    with app.app_context():
        return datetime.now(local_tz()).year


def _old_snapshot(app, taken_at=datetime(2000, 1, 5, 9, 30, tzinfo=UTC)) -> None:
    with app.app_context():
        _session(app).add(YearSnapshot(year=_this_year(app), data={"oud": {}}, taken_at=taken_at))
        _session(app).commit()


def _snapshot(app) -> YearSnapshot:
    with app.app_context():
        snapshot = _session(app).scalar(select(YearSnapshot).where(YearSnapshot.year == _this_year(app)))
        _session(app).expunge(snapshot)
        return snapshot


def test_the_first_jaarevaluatie_of_the_year_is_taken_at_once(app, client, specialist):
    response = client.post(f"{BASE}/jaarevaluatie")
    assert response.status_code == 302 and "jaar=" in response.headers["Location"]
    assert len(_snapshot(app).data) == 28


def test_taking_it_again_asks_first_and_says_which_one_it_replaces(app, client, specialist):
    _old_snapshot(app)
    response = client.post(f"{BASE}/jaarevaluatie")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{BASE}/jaarevaluatie/vervangen")
    assert _snapshot(app).data == {"oud": {}}  # nothing replaced without asking
    page = client.get(f"{BASE}/jaarevaluatie/vervangen").get_data(as_text=True)
    year = _this_year(app)
    assert f"Jaarevaluatie {year} vervangen?" in page
    assert f"Er is al een jaarevaluatie {year}. Die is vastgelegd op 5 januari 2000, 10:30." in page
    assert "De stand van 5 januari 2000 is daarna niet meer te zien." in page
    assert ">Ja, vervangen</button>" in page and "Nee, terug" in page
    # The evaluation page says it too, before the button is pressed.
    assert "Er is al een jaarevaluatie" in client.get(f"{BASE}/jaarevaluatie").get_data(as_text=True)


def test_ja_vervangen_replaces_it(app, client, specialist):
    _old_snapshot(app)
    page = client.get(f"{BASE}/jaarevaluatie/vervangen").get_data(as_text=True)
    replaces = re.search(r'name="replaces" type="hidden" value="([^"]+)"', page).group(1)
    # A form without the "Ja" button replaces nothing.
    assert client.post(f"{BASE}/jaarevaluatie/vervangen", data={"replaces": replaces}).status_code == 200
    assert _snapshot(app).data == {"oud": {}}
    response = client.post(f"{BASE}/jaarevaluatie/vervangen", data={"confirm": "ja", "replaces": replaces})
    assert response.status_code == 302
    assert len(_snapshot(app).data) == 28
    assert "is vervangen door de stand van vandaag" in client.get(response.headers["Location"]).get_data(
        as_text=True)


def test_a_colleague_replacing_it_first_means_you_are_asked_again(app, client, specialist):
    _old_snapshot(app)
    response = client.post(f"{BASE}/jaarevaluatie/vervangen", data={
        "confirm": "ja", "replaces": "1999-01-01T00:00:00"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Er is niets vervangen" in page and "intussen opnieuw vastgelegd" in page
    assert _snapshot(app).data == {"oud": {}}


def test_nothing_to_replace_goes_back_to_the_evaluation(client, specialist):
    response = client.get(f"{BASE}/jaarevaluatie/vervangen")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{BASE}/jaarevaluatie")


def test_frontoffice_may_not_replace(app, client, login_as):
    _old_snapshot(app)
    login_as("frontoffice")
    assert client.get(f"{BASE}/jaarevaluatie/vervangen").status_code == 403
    assert client.post(f"{BASE}/jaarevaluatie/vervangen", data={"confirm": "ja"}).status_code == 403
    assert _snapshot(app).data == {"oud": {}}


# -- finding 11: "Vastgelegd in deze fase" -------------------------------------------------------


@pytest.fixture
def records_of_a_phase(app):
    """A source of records for Doelgroepgericht werken · Oriëntatie, in a muddled order."""
    today = date(2026, 11, 26)
    refs = [
        RecordRef("contactmoment", "Werkgroep ouderbetrokkenheid: voorleesochtenden in de ouderk",
                  "/contactmomenten/1", today - timedelta(days=50)),
        RecordRef("contactmoment", "Nieuwste", "/contactmomenten/2",
                  datetime(2026, 11, 23, 9, 0, tzinfo=UTC)),
        RecordRef("contactmoment", "Zonder datum", "/contactmomenten/3", None),
        RecordRef("contactmoment", "Middelste", "/contactmomenten/4", today - timedelta(days=20)),
        RecordRef("Aanhaakkalender", "Nationale Voorleesdagen", "/samenwerken/aanhaakkalender/1", today),
    ]
    source = PhaseRecords("test", lambda t, p: refs if (t, p) == (Theme.TARGET_GROUPS, Phase.ORIENTATION)
                          else [])
    with app.test_request_context():
        registry = current_registry()
    registry.phase_records.append(source)
    yield
    registry.phase_records.remove(source)


def test_records_are_sorted_newest_first_with_titles_cut_at_a_word(client, specialist, records_of_a_phase):
    page = client.get(f"{BASE}/doelgroepgericht/orientation").get_data(as_text=True)
    section = _section(page, "vastgelegd")
    assert re.findall(r"<h3>(.*?)</h3>", section) == ["Aanhaakkalender", "Contactmoment"]
    contact = section[section.index("<h3>Contactmoment</h3>"):]
    labels = re.findall(r'<a href="[^"]+">(.*?)</a>', contact)
    assert labels == ["Nieuwste", "Middelste", "Werkgroep ouderbetrokkenheid: voorleesochtenden in de …",
                      "Zonder datum"]
    assert "ouderk" not in section


def test_contact_moment_summaries_are_cut_at_a_word(app, client, specialist):
    """The real source: a contact moment's summary longer than its 60-character title."""
    from tests.fixtures.world import build_world

    with app.app_context():
        build_world()
        from crm.network.models import Interaction

        interaction = _session(app).scalars(select(Interaction)).first()
        interaction.summary = "Werkgroep ouderbetrokkenheid: voorleesochtenden in de ouderkamer van de school"
        interaction.theme, interaction.phase = "doelgroepgericht", "creation"
        _session(app).commit()
    section = _section(client.get(f"{BASE}/doelgroepgericht/creation").get_data(as_text=True), "vastgelegd")
    assert "<h3>Contactmoment</h3>" in section
    assert "Werkgroep ouderbetrokkenheid: voorleesochtenden in de …</a>" in section


def test_the_empty_state_promises_records_only_where_the_product_has_a_tool(client, specialist):
    without_tools = client.get(f"{BASE}/doelgroepgericht/orientation").get_data(as_text=True)
    empty = _section(without_tools, "vastgelegd")
    assert "nog niets vastgelegd" in empty and "zitten niet in deze tool" in empty
    assert "verschijnt hier" not in empty and "antwoord op de samenvattende vraag" in empty
    with_tools = _section(client.get(f"{BASE}/samenwerken/creation").get_data(as_text=True), "vastgelegd")
    assert "nog niets vastgelegd" in with_tools and "verschijnt hier vanzelf" in with_tools


def test_a_phase_without_any_instrument_asks_for_the_answer(client, specialist, app):
    guide = get_guide()
    with app.test_request_context():
        registry = current_registry()
        bare = next(p for p in guide if not p.instrument_keys and not registry.instruments_of(p.theme, p.phase))
    section = _section(client.get(f"{BASE}/{bare.theme.value}/{bare.phase.value}").get_data(as_text=True),
                       "vastgelegd")
    assert "nog niets vastgelegd" in section and "in het antwoord op de samenvattende vraag" in section
    assert "instrumenten" not in section.split("</h2>")[1]


# -- services --------------------------------------------------------------------------------


def test_save_phase_refuses_afgerond_without_work(db):
    from crm.errors import RuleError
    from tests.fixtures.users import make_user

    user = make_user("specialist")
    with pytest.raises(RuleError) as refused:
        services.save_phase(Theme.IMPACT, Phase.CREATION, DONE, "", "", user)
    assert refused.value.field == "status"
    change = services.save_phase(Theme.IMPACT, Phase.CREATION, NOT_STARTED, None, "", user, ticked={2})
    assert (change.added, change.status, change.kept_in_progress) == (1, IN_PROGRESS, True)
    assert services.ticks_to_show(Theme.IMPACT, Phase.CREATION, ticked={3}, shown={2}) == {3}
