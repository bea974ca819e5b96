"""The guide tracker: pages, ticking steps, answers, version check, yearly evaluation."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from content import services
from content.guide import get_guide
from content.models import DONE, IN_PROGRESS, NOT_STARTED, PhaseProgress, StepCheck, YearSnapshot
from crm.guide import Phase, Theme
from tests.fixtures.users import make_user

BASE = "/wegwijzer"
PHASE_URL = f"{BASE}/samenwerken/orientation"


# Web tests read the database in their own app context (``app``), never through the
# ``db`` fixture: a pushed app context would be shared with the client's requests.


def _session(app):
    return app.extensions["crm"].db.session


def _count(app, model) -> int:
    with app.app_context():
        return _session(app).scalar(select(func.count()).select_from(model))


def _progress(app, theme="samenwerken", phase="orientation"):
    with app.app_context():
        record = _session(app).scalar(select(PhaseProgress).where(PhaseProgress.theme == theme,
                                                                  PhaseProgress.phase == phase))
        if record is not None:
            _session(app).expunge(record)
        return record


# -- pages -----------------------------------------------------------------------------


def test_overview_shows_the_grid_as_a_table_with_links(client, login_as):
    login_as("frontoffice")
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Wegwijzer gezinsaanpak" in page
    for theme in Theme:
        assert theme.label in page
    for phase in Phase:
        assert f'<th scope="col">{phase.label}</th>' in page
    assert page.count(f'href="{BASE}/samenwerken/') == 4
    assert "<strong>0</strong> van de 28 fases afgerond" in page
    assert f'src="{BASE}/overzicht.svg"' in page and 'alt="Overzicht in kleur' in page


def test_heat_map_is_svg(client, login_as):
    login_as("frontoffice")
    response = client.get(f"{BASE}/overzicht.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data
    assert b"Samenwerken intern en extern" in response.data


def test_phase_page_shows_the_guide_text_from_the_data(client, login_as):
    login_as("specialist")
    page = client.get(PHASE_URL).get_data(as_text=True)
    data = get_guide().phase(Theme.COLLABORATION, Phase.ORIENTATION)
    assert data.question.replace("'", "&#39;") in page
    for step in data.steps:
        assert f"Stap {step.number}: {step.title}".replace("'", "&#39;") in page
    assert "Woordweb" in page and "Afwegingstabel samenwerking" in page
    assert 'name="stap"' in page  # tick boxes for specialists
    assert "Volgende stap:" in page and "Stap 1:" in page


def test_frontoffice_reads_but_gets_no_forms(client, login_as):
    login_as("frontoffice")
    page = client.get(PHASE_URL).get_data(as_text=True)
    assert "Samenvattende vraag" in page
    assert 'name="stap"' not in page
    assert "Status en antwoord bijwerken" not in page


def test_frontoffice_cannot_change(client, login_as, app):
    login_as("frontoffice")
    assert client.post(f"{PHASE_URL}/opslaan", data={"stap": "1", "status": "bezig"}).status_code == 403
    assert client.post(f"{PHASE_URL}/opslaan", data={"status": "bezig"}).status_code == 403
    assert client.post(f"{BASE}/jaarevaluatie").status_code == 403
    assert _count(app, StepCheck) == 0 and _count(app, PhaseProgress) == 0 and _count(app, YearSnapshot) == 0


def test_theme_page_lists_four_phases(client, login_as):
    login_as("frontoffice")
    page = client.get(f"{BASE}/profilering").get_data(as_text=True)
    assert "Profilering bij gemeentelijke gezinsaanpak" in page
    assert page.count("Naar de fase ") == 4
    assert "Het verhaal terugbrengen tot de kern: de elevator pitch" in page  # step titles


def test_unknown_theme_or_phase_is_404(client, login_as):
    login_as("specialist")
    assert client.get(f"{BASE}/bestaatniet").status_code == 404
    assert client.get(f"{BASE}/samenwerken/zomer").status_code == 404
    assert client.post(f"{BASE}/samenwerken/zomer/opslaan", data={"stap": "1"}).status_code == 404
    assert client.post(f"{BASE}/bestaatniet/orientation/opslaan", data={"status": "bezig"}).status_code == 404


# -- ticking steps ---------------------------------------------------------------------


def test_ticking_steps_stores_who_and_when(app, client, login_as):
    user_id = login_as("specialist")
    # The page sends the status it shows ("Niet begonnen") with the ticks: the phase starts.
    response = client.post(f"{PHASE_URL}/opslaan", data={"stap": ["1", "2"], "status": "niet_begonnen"})
    assert response.status_code == 302
    with app.app_context():
        checks = _session(app).scalars(select(StepCheck).order_by(StepCheck.step_number)).all()
        assert [c.step_number for c in checks] == [1, 2]
        assert all(c.checked_by_id == user_id and c.checked_at for c in checks)
    assert _progress(app).status == IN_PROGRESS  # the first tick starts the phase
    page = client.get(PHASE_URL).get_data(as_text=True)
    assert "Afgevinkt door" in page and "Stap 3:" in page.split("Volgende stap:")[1][:400]


def test_unticking_only_removes_what_the_user_changed(app, client, login_as):
    login_as("specialist")
    client.post(f"{PHASE_URL}/opslaan", data={"stap": ["1", "2"], "status": "niet_begonnen"})
    # Another user's page showed only step 1 ticked; they untick 1 and tick 3.
    client.post(f"{PHASE_URL}/opslaan", data={"getoond": ["1"], "stap": ["3"], "status": "niet_begonnen"})
    with app.app_context():
        numbers = sorted(_session(app).scalars(select(StepCheck.step_number)))
    assert numbers == [2, 3]


def test_ticking_a_step_that_does_not_exist_is_404_and_stores_nothing(app, client, login_as):
    login_as("specialist")
    status = {"status": "bezig"}
    assert client.post(f"{PHASE_URL}/opslaan", data={"stap": ["1", "99"], **status}).status_code == 404
    assert client.post(f"{PHASE_URL}/opslaan", data={"stap": "x", **status}).status_code == 404
    assert client.post(f"{PHASE_URL}/opslaan", data={"stap": "²", **status}).status_code == 404
    assert client.post(f"{PHASE_URL}/opslaan", data={"getoond": "9" * 50, **status}).status_code == 404
    assert client.post(f"{BASE}/impact/evaluation/opslaan", data={"stap": "3", **status}).status_code == 404
    assert _count(app, StepCheck) == 0
    assert _count(app, PhaseProgress) == 0


# -- status and answer -----------------------------------------------------------------


def test_saving_status_and_answer(app, client, login_as):
    user_id = login_as("admin")
    response = client.post(f"{PHASE_URL}/opslaan", data={
        "status": DONE, "answer": "Ja, met het consultatiebureau en de kinderopvang.", "version": ""})
    assert response.status_code == 302
    record = _progress(app)
    assert record.status == DONE and record.answered_by_id == user_id and record.answered_at
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is opgeslagen" in page
    assert "Ja, met het consultatiebureau en de kinderopvang." in page


def test_too_long_answer_is_refused_with_a_dutch_message(app, client, login_as):
    login_as("specialist")
    response = client.post(f"{PHASE_URL}/opslaan", data={"status": DONE, "answer": "a" * 20_000})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Het antwoord is te lang: gebruik hoogstens 5.000 tekens (nu 20.000)." in page
    assert _count(app, PhaseProgress) == 0


def test_missing_or_bad_status_is_422(app, client, login_as):
    login_as("specialist")
    assert client.post(f"{PHASE_URL}/opslaan", data={"answer": "x"}).status_code == 422
    assert client.post(f"{PHASE_URL}/opslaan", data={"status": "klaar"}).status_code == 422
    assert _count(app, PhaseProgress) == 0


def test_second_save_on_an_old_version_is_refused(app, client, login_as):
    login_as("specialist")
    client.post(f"{PHASE_URL}/opslaan", data={"status": IN_PROGRESS, "answer": "Eerste", "version": ""})
    version = _progress(app).version
    ok = client.post(f"{PHASE_URL}/opslaan", data={"status": IN_PROGRESS, "answer": "Tweede",
                                                   "version": str(version)})
    assert ok.status_code == 302
    stale = client.post(f"{PHASE_URL}/opslaan", data={"status": DONE, "answer": "Derde",
                                                      "version": str(version)})
    assert stale.status_code == 422
    assert "Iemand anders heeft dit intussen gewijzigd" in stale.get_data(as_text=True)
    record = _progress(app)
    assert record.answer == "Tweede" and record.status == IN_PROGRESS
    # a form for a record that did not exist yet, posted after someone created it
    late = client.post(f"{PHASE_URL}/opslaan", data={"status": DONE, "answer": "Vierde", "version": ""})
    assert late.status_code == 422


def test_answer_is_escaped(app, client, login_as):
    login_as("specialist")
    client.post(f"{PHASE_URL}/opslaan", data={"status": IN_PROGRESS, "answer": "<script>alert(1)</script>"})
    page = client.get(PHASE_URL).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_nul_characters_are_dropped_from_the_answer(app, client, login_as):
    login_as("specialist")
    response = client.post(f"{PHASE_URL}/opslaan", data={"status": IN_PROGRESS, "answer": "a\x00b"})
    assert response.status_code == 302
    assert _progress(app).answer == "ab"


def test_guide_text_blocks():
    from content.views import text_blocks

    assert text_blocks("Eerste\nregel\n\n- a\n- b\n\nSlot") == [
        ("p", "Eerste regel"), ("ul", ["a", "b"]), ("p", "Slot")]


# -- instruments and records through the registry --------------------------------------


def test_instruments_and_records_come_from_the_registry(app, client, login_as):
    from crm.registry import Instrument, PhaseRecords, RecordRef, current_registry

    login_as("specialist")
    with app.test_request_context():
        registry = current_registry()
    instrument = Instrument("woordweb", "Partnerkaart", "content.index", Theme.COLLABORATION,
                            Phase.ORIENTATION)
    source = PhaseRecords("Afwegingstabel", lambda t, p: [RecordRef("Afwegingstabel", "Welzijn Rivierstad",
                                                                   "/partners/1")] if (t, p) == (
        Theme.COLLABORATION, Phase.ORIENTATION) else [])
    registry.instruments.append(instrument)
    registry.phase_records.append(source)
    try:
        page = client.get(PHASE_URL).get_data(as_text=True)
        assert f'<a href="{BASE}/">Woordweb</a>' in page
        assert "Welzijn Rivierstad" in page and 'href="/partners/1"' in page
        other = client.get(f"{BASE}/samenwerken/creation").get_data(as_text=True)
        assert "Welzijn Rivierstad" not in other
        assert "nog niets vastgelegd" in other
        # The frontoffice may read the guide but not the partner records: no dead links.
        desk_client = app.test_client()
        login_as("frontoffice", desk_client)
        desk = desk_client.get(PHASE_URL).get_data(as_text=True)
        assert "Welzijn Rivierstad" not in desk and 'href="/partners' not in desk
        assert 'href="/woordweb"' not in desk
        # ... and is not told that nothing was recorded
        assert "nog niets vastgelegd" not in desk and "alleen zichtbaar voor de specialisten" in desk
    finally:
        registry.instruments.remove(instrument)
        registry.phase_records.remove(source)


# -- yearly evaluation -----------------------------------------------------------------


def test_snapshot_and_comparison_with_last_year(app, client, login_as):
    login_as("specialist")
    this_year = datetime.now(UTC).year
    with app.app_context():
        _session(app).add(YearSnapshot(year=this_year - 1, data={
            "samenwerken/orientation": {"status": IN_PROGRESS, "answer": "Vorig jaar: nog zoeken.",
                                        "steps_done": [1], "steps_total": 5}}))
        _session(app).commit()
    client.post(f"{PHASE_URL}/opslaan", data={"status": DONE, "answer": "Dit jaar: helder."})
    response = client.post(f"{BASE}/jaarevaluatie")
    assert response.status_code == 302
    with app.app_context():
        snapshot = _session(app).scalar(select(YearSnapshot).where(YearSnapshot.year == this_year))
        assert snapshot.data["samenwerken/orientation"]["status"] == DONE
        assert len(snapshot.data) == 28
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is vastgelegd" in page
    assert "Vorig jaar: nog zoeken." in page and "Dit jaar: helder." in page
    assert f"{this_year} naast {this_year - 1}" in page
    # taking it again asks first (review 8, finding 8); "Ja, vervangen" replaces this year's snapshot
    again = client.post(f"{BASE}/jaarevaluatie")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"{BASE}/jaarevaluatie/vervangen")
    question = client.get(f"{BASE}/jaarevaluatie/vervangen").get_data(as_text=True)
    replaces = re.search(r'name="replaces" type="hidden" value="([^"]+)"', question).group(1)
    client.post(f"{BASE}/jaarevaluatie/vervangen", data={"confirm": "ja", "replaces": replaces})
    assert _count(app, YearSnapshot) == 2


def test_evaluation_without_snapshots_says_what_to_do(client, login_as):
    login_as("frontoffice")
    page = client.get(f"{BASE}/jaarevaluatie?jaar=abc").get_data(as_text=True)
    assert "nog niet vastgelegd" in page
    assert "Jaarevaluatie vastleggen" not in page
    assert client.get(f"{BASE}/jaarevaluatie?jaar=2003").status_code == 404


# -- start page ------------------------------------------------------------------------


def test_start_panel_for_specialists_not_frontoffice(client, login_as):
    login_as("specialist")
    client.post(f"{PHASE_URL}/opslaan", data={"stap": "1", "status": "niet_begonnen"})
    page = client.get("/").get_data(as_text=True)
    assert "Wegwijzer: waar staan we?" in page
    assert "Samenwerken intern en extern · Oriëntatie" in page
    assert "Volgende stap:" in page
    client.post("/uitloggen")
    login_as("frontoffice")
    assert "Wegwijzer: waar staan we?" not in client.get("/").get_data(as_text=True)


# -- services --------------------------------------------------------------------------


def test_next_hint_order(db):
    user = make_user("specialist")
    assert services.next_hint().theme == Theme.GENERAL  # nothing started: the first phase
    services.save_phase(Theme.PROFILING, Phase.ORIENTATION, DONE, "ok", "", user)
    db.session.flush()
    hint = services.next_hint()
    assert (hint.theme, hint.phase) == (Theme.PROFILING, Phase.CREATION)
    services.save_phase(Theme.COLLABORATION, Phase.CREATION, NOT_STARTED, None, "", user, ticked={1})
    hint = services.next_hint()
    assert (hint.theme, hint.phase, hint.step) == (Theme.COLLABORATION, Phase.CREATION, 2)


def test_phase_hint_after_all_steps(db):
    guide_phase = get_guide().phase(Theme.IMPACT, Phase.EVALUATION)
    user = make_user("specialist")
    services.save_phase(Theme.IMPACT, Phase.EVALUATION, NOT_STARTED, None, "", user, ticked={1, 2})
    record = services.progress_of(Theme.IMPACT, Phase.EVALUATION)
    assert "samenvattende vraag" in services.phase_hint(guide_phase, record, {1, 2}).text
    services.save_phase(Theme.IMPACT, Phase.EVALUATION, IN_PROGRESS, "Antwoord", str(record.version), user)
    assert "rond de fase af" in services.phase_hint(guide_phase, record, {1, 2}).text
    record.status = DONE
    assert services.phase_hint(guide_phase, record, {1, 2}) is None  # last phase of the theme


def test_check_version():
    import pytest

    class Record:
        id, version = 3, 2

    services.check_version(None, "")
    services.check_version(Record(), "2")
    with pytest.raises(services.StaleRecord):
        services.check_version(Record(), "1")
    with pytest.raises(services.StaleRecord):
        services.check_version(None, "4")


def test_demo_seeder(db):
    from content import demo
    from crm.demo import seed_demo

    seed_demo()
    db.session.commit()
    demo.seed()  # idempotent
    grid = services.overview()
    statuses = {(c.theme, c.phase): c.status for row in grid for c in row}
    assert statuses[(Theme.COLLABORATION, Phase.ORIENTATION)] == DONE
    assert statuses[(Theme.PROFILING, Phase.CREATION)] == IN_PROGRESS
    assert statuses[(Theme.PROGRAMMING, Phase.ORIENTATION)] == "niet_begonnen"
    assert db.session.scalar(select(func.count()).select_from(YearSnapshot)) == 1
    assert services.progress_of(Theme.COLLABORATION, Phase.ORIENTATION).answer


def test_records_of_a_phase_are_dated_by_their_own_date(app, client, login_as):
    """A contact moment of 5 March 2024 typed in today reads "(5 maart 2024)", not today."""
    from datetime import date

    from crm.network.models import Interaction, Partner

    login_as("specialist")
    with app.app_context():
        db = app.extensions["crm"].db
        partner = Partner(name="Welzijn Rivierstad", kind="welzijn", status="actief")
        db.session.add(Interaction(kind="telefoon", occurred_on=date(2024, 3, 5), summary="Eerste gesprek",
                                   partners=[partner], theme="samenwerken", phase="implementation"))
        db.session.commit()
    page = client.get(f"{BASE}/samenwerken/implementation").get_data(as_text=True)
    assert "(5 maart 2024)" in page and "05-03-2024" not in page  # once, in Dutch
