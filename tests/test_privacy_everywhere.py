"""Erasure and the AVG export reach the free text of every package (QUALITY.md 17), through
the registry's PersonalText declarations, not only the network's own records."""

from __future__ import annotations

import json
import re
from datetime import date

from collaboration.models import Agreement
from crm.db import db as db_proxy
from crm.network.models import Contact
from lobby.models.evidence import Evidence


def test_export_and_erase_reach_lobby_and_collaboration_text(app, client, login_as):
    login_as("specialist")
    with app.app_context():
        person = Contact(name="Peter van Dijk", email="p.vandijk@raad.example")
        quote = Evidence(kind="quote", title="Raadsvergadering", occurred_on=date.today(),
                         source="Verslag", text="Peter van Dijk noemde de bieb 'onmisbaar'.")
        agreement = Agreement(title="Netwerk", ambition="Samen met Peter van Dijk het netwerk versterken")
        db_proxy.session.add_all([person, quote, agreement])
        db_proxy.session.commit()
        cid, quote_id, agreement_id = person.id, quote.id, agreement.id
    report = json.loads(client.get(f"/personen/{cid}/avg.json").data)
    kinds = {m["soort"] for m in report["genoemd in"]}
    assert {"bewijslast", "samenwerkingsafspraken"} <= kinds
    assert client.post(f"/personen/{cid}/wissen", data={"confirm_name": "Peter van Dijk"}).status_code == 200
    with app.app_context():
        quote = db_proxy.session.get(Evidence, quote_id)
        agreement = db_proxy.session.get(Agreement, agreement_id)
        assert "Peter van Dijk" not in quote.text and "[verwijderd]" in quote.text
        assert "Peter van Dijk" not in agreement.ambition


def test_export_and_erase_reach_the_guide_answers_the_snapshot_and_short_name_fields(app, client, login_as):
    from content.models import PhaseProgress, YearSnapshot
    from lobby.models import MeetingAgreement
    from tests.fixtures import world_lobby

    login_as("specialist")
    with app.app_context():
        ids = world_lobby.build("Rivier", {})
        person = Contact(name="Peter van Dijk", email="p.vandijk@raad.example")
        answer = "We spraken Peter  van Dijk (p.vandijk@raad.example); Zoë helpt"
        progress = PhaseProgress(theme="samenwerken", phase="creation", answer=answer)
        snapshot = YearSnapshot(year=2001, data={
            "samenwerken/creation": {"status": "bezig", "answer": answer, "steps_done": [1], "steps_total": 5},
            "notes": ["Bel PETER VAN DIJK", 3, None],
        })
        agreement = db_proxy.session.get(MeetingAgreement, ids["meeting_agreement_id"])
        agreement.owner_name = "Peter van Dijk"
        db_proxy.session.add_all([person, progress, snapshot])
        db_proxy.session.commit()
        cid, progress_id, snapshot_id = person.id, progress.id, snapshot.id
    report = json.loads(client.get(f"/personen/{cid}/avg.json").data)
    kinds = {m["soort"] for m in report["genoemd in"]}
    assert {"voortgang fase", "jaarevaluatie", "afspraak uit gesprek"} <= kinds
    page = client.get(f"/personen/{cid}/avg").get_data(as_text=True)
    assert re.search(r"jaarevaluatie: <a href=\"[^\"]+\">Jaarevaluatie 2001</a>", page)
    assert client.post(f"/personen/{cid}/wissen", data={"confirm_name": "Peter van Dijk"}).status_code == 200
    with app.app_context():
        progress = db_proxy.session.get(PhaseProgress, progress_id)
        assert progress.answer == "We spraken [verwijderd] ([verwijderd]); Zoë helpt"
        data = db_proxy.session.get(YearSnapshot, snapshot_id).data  # still a JSON object of the same shape
        assert data["samenwerken/creation"]["answer"] == progress.answer
        assert data["samenwerken/creation"]["steps_done"] == [1] and data["notes"] == ["Bel [verwijderd]", 3, None]
        assert db_proxy.session.get(MeetingAgreement, ids["meeting_agreement_id"]).owner_name == "[verwijderd]"


def test_a_name_with_an_accent_is_found_in_json(app, client, login_as):
    from content.models import YearSnapshot

    login_as("specialist")
    with app.app_context():
        person = Contact(name="Zoë Çelik")
        snapshot = YearSnapshot(year=2002, data={"algemeen/orientation": {"answer": "Met Zoë Çelik besproken"}})
        db_proxy.session.add_all([person, snapshot])
        db_proxy.session.commit()
        cid, snapshot_id = person.id, snapshot.id
    report = json.loads(client.get(f"/personen/{cid}/avg.json").data)
    assert [m["soort"] for m in report["genoemd in"]] == ["jaarevaluatie"]
    client.post(f"/personen/{cid}/wissen", data={"confirm_name": "Zoë Çelik"})
    with app.app_context():
        data = db_proxy.session.get(YearSnapshot, snapshot_id).data
        assert data == {"algemeen/orientation": {"answer": "Met [verwijderd] besproken"}}


def test_every_record_on_the_avg_page_has_a_real_title_and_a_link(app, client, login_as):
    """Not "afspraak uit gesprek: 3" or "lobbyplan: 1": a title a specialist recognises."""
    from tests.fixtures import world_lobby

    login_as("specialist")
    text = "Afgesproken met Peter van Dijk: hij stuurt de cijfers over voorlezen op het consultatiebureau"
    with app.app_context():
        ids = world_lobby.build(text, {})
        person = Contact(name="Peter van Dijk")
        db_proxy.session.add(person)
        db_proxy.session.commit()
        cid = person.id
    report = json.loads(client.get(f"/personen/{cid}/avg.json").data)
    titles = {m["soort"]: m["titel"] for m in report["genoemd in"]}
    assert not [t for t in titles.values() if re.fullmatch(r"(nr\. )?\d+", t)]
    assert titles["afspraak uit gesprek"] == "Afgesproken met Peter van Dijk: hij stuurt de cijfers over voorlezen op het …"
    assert titles["lobbyplan"].startswith("Lobbyplan Afgesproken met Peter van Dijk")
    assert titles["evaluatie profilering"].startswith("Evaluatie ")
    page = client.get(f"/personen/{cid}/avg").get_data(as_text=True)
    assert f'afspraak uit gesprek: <a href="/profilering/gesprekken/{ids["meeting_id"]}">' in page


def test_collaboration_records_on_the_avg_page_have_a_title_and_a_link(app):
    from sqlalchemy import select

    from collaboration import PERSONAL_TEXT_TITLES, PERSONAL_TEXT_URLS
    from collaboration.models import Agreement, Assessment, HookMoment, StrengthAnalysis
    from collaboration.scan.models import ScanInvitation, ScanResponse
    from crm.db import db
    from tests.fixtures.world import build_world

    models = {m.__name__: m for m in (Assessment, StrengthAnalysis, Agreement, HookMoment,
                                       ScanInvitation, ScanResponse)}
    with app.test_request_context():
        build_world("Avg")
        for name, url_of in PERSONAL_TEXT_URLS.items():
            record = db.session.scalars(select(models[name])).first()
            assert record is not None, name
            assert url_of(record).startswith("/samenwerken/"), name
            if name in PERSONAL_TEXT_TITLES:
                title = PERSONAL_TEXT_TITLES[name](record)
                assert title and not title.isdigit(), name
