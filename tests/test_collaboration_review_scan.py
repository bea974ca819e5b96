"""Review 3 on the samenwerkingsscan: deleting a round (finding 3), "Alle partijen samen" from
exact scores (4), what a closed round says and how it closes early (5-7), and "u" on the
partner's pages (8)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from collaboration.scan import answers, invitations, services
from collaboration.scan.models import (
    STATEMENT,
    ScanAnswer,
    ScanInvitation,
    ScanItem,
    ScanParty,
    ScanResponse,
    ScanRound,
)
from crm.audit import AuditEntry
from crm.web import local_today
from tests.test_scan import full_answers, invite, make_round, partner_client, store


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _close(app, round_id, days_ago=1):
    """Move the closing date into the past, as the edit form can do (with confirmation)."""
    with store(app) as db:
        round_ = db.session.get(ScanRound, round_id)
        round_.opens_on = local_today() - timedelta(days=10)
        round_.closes_on = local_today() - timedelta(days=days_ago)


def _draft(app, info, party_index, name):
    _, token = invite(app, info, party_index, name)
    partner = partner_client(app, token)
    data = {**full_answers(info), "action": "draft"}
    data.pop(f"s{info.statements[0]}")
    assert partner.post("/samenwerken/scan/deelnemen", data=data).status_code == 302
    return partner


def _submit(app, info, party_index, name, score="4"):
    _, token = invite(app, info, party_index, name)
    partner = partner_client(app, token)
    assert partner.post("/samenwerken/scan/deelnemen", data=full_answers(info, score=score)).status_code == 302
    return partner


# -- finding 3: deleting a round ---------------------------------------------------------------------
def test_a_round_without_answers_is_deleted_after_confirmation(app, client, login_as):
    info = make_round(app, title="Per ongeluk")
    invite(app, info, 1, "Piet Partner")
    login_as("specialist")
    assert "Per ongeluk" in client.get("/").get_data(as_text=True)
    assert "Per ongeluk" in client.get("/wegwijzer/samenwerken/evaluation").get_data(as_text=True)
    round_page = client.get(f"/samenwerken/scan/{info.id}").get_data(as_text=True)
    url = f"/samenwerken/scan/{info.id}/verwijderen"
    assert f'href="{url}"' in round_page
    page = client.get(url).get_data(as_text=True)
    assert "Ronde ‘Per ongeluk’ verwijderen?" in page and "Dit kun je niet ongedaan maken." in page
    assert "de links van 1 persoon werken dan niet meer" in page
    assert "with_answers" not in page  # nothing answered: no extra tick
    response = client.post(url, data={"confirm": "ja"}, follow_redirects=True)
    assert response.request.path == "/samenwerken/scan/"
    assert "De ronde ‘Per ongeluk’ is verwijderd." in response.get_data(as_text=True)
    with store(app) as db:
        assert count(db, ScanRound) == count(db, ScanParty) == count(db, ScanInvitation) == 0
        deleted = {(e.record_type, e.record_id) for e in
                   db.session.scalars(select(AuditEntry).where(AuditEntry.action == "delete"))}
        assert ("crm_scan_round", info.id) in deleted
    assert "Per ongeluk" not in client.get("/").get_data(as_text=True)
    assert "Per ongeluk" not in client.get("/wegwijzer/samenwerken/evaluation").get_data(as_text=True)


def test_a_round_with_answers_says_who_answered_and_needs_a_tick(app, client, login_as):
    info = make_round(app, title="Scan met antwoorden")
    partner = _submit(app, info, 1, "Kim Opvang")
    _submit(app, info, 2, "Wim Welzijn")
    _draft(app, info, 0, "Bea Bieb")
    login_as("specialist")
    url = f"/samenwerken/scan/{info.id}/verwijderen"
    page = client.get(url).get_data(as_text=True)
    assert ("2 personen van 2 partijen hebben de scan ingestuurd en 1 persoon heeft een concept bewaard"
            in page)
    assert "Dit kun je niet ongedaan maken." in page and "Ja, verwijder ook alle antwoorden" in page
    refused = client.post(url, data={"confirm": "ja"})
    assert refused.status_code == 422
    assert "Vink aan dat de antwoorden ook weg mogen. Er is niets verwijderd." in refused.get_data(as_text=True)
    with store(app) as db:
        assert count(db, ScanRound) == 1 and count(db, ScanResponse) == 3
    assert client.post(url, data={"confirm": "ja", "with_answers": "y"}).status_code == 302
    with store(app) as db:
        assert count(db, ScanRound) == count(db, ScanResponse) == count(db, ScanAnswer) == 0
    # The partner's session belonged to the round: it no longer opens anything.
    assert "Deze link werkt niet (meer)" in partner.get("/samenwerken/scan/deelnemen").get_data(as_text=True)


def test_a_revealed_round_warns_that_the_shared_results_go_too(app, client, login_as):
    info = make_round(app)
    _submit(app, info, 1, "Kim Opvang")
    with store(app) as db:
        services.reveal(db.session.get(ScanRound, info.id), None, True)
    login_as("admin")
    page = client.get(f"/samenwerken/scan/{info.id}/verwijderen").get_data(as_text=True)
    assert "De uitkomsten zijn al gedeeld" in page and "1 persoon van 1 partij heeft de scan ingestuurd" in page


def test_frontoffice_cannot_delete_a_round(app, client, login_as):
    info = make_round(app)
    login_as("frontoffice")
    assert client.get(f"/samenwerken/scan/{info.id}/verwijderen").status_code == 403
    assert client.post(f"/samenwerken/scan/{info.id}/verwijderen", data={"confirm": "ja"}).status_code == 403
    with store(app) as db:
        assert count(db, ScanRound) == 1


# -- finding 4: "Alle partijen samen" from exact scores -------------------------------------------------
def test_all_parties_together_is_the_mean_of_the_exact_party_means(app, client, login_as):
    from collaboration.scan.results import compute

    info = make_round(app, partners=("Taalhuis", "Welzijn"))
    with store(app) as db:
        round_ = db.session.get(ScanRound, info.id)
        items = {key: [i.id for i in round_.questionnaire.statements if i.aspect == key]
                 for key in ("ambitie", "belangen", "relaties", "organisatie", "proces")}
        scores = {"ambitie": [1, 2, 3, 5, 1, 2], "organisatie": [2, 3, 3, 2, 3, 3]}  # 2.333 and 2.667
        taalhuis, welzijn = round_.parties[1], round_.parties[2]
        for party, own in ((taalhuis, {}), (welzijn, scores)):
            invitation, _ = invitations.invite(party, f"Iemand van {party.name}", None, None)
            values = {}
            for key, ids in items.items():
                for n, item_id in enumerate(ids):
                    values[item_id] = answers.AnswerValue(score=own[key][n] if key in own else 5)
            answers.save_answers(invitation, values, submit=True)
        services.reveal(round_, None, True)
    with store(app) as db:
        result = compute(db.session.get(ScanRound, info.id))
        assert result.overall["ambitie"] == pytest.approx((5 + 14 / 6) / 2)  # 3.667, not 3.65
        assert result.overall["organisatie"] == pytest.approx((5 + 16 / 6) / 2)  # 3.833
    login_as("specialist")
    html = client.get(f"/samenwerken/scan/{info.id}/uitkomsten").get_data(as_text=True)
    row = html.split('<th scope="row">Alle partijen samen</th>')[1].split("</tr>")[0]
    assert ">3,7<" in row and ">3,8<" in row and "3,6" not in row and "3,9" not in row
    export = client.get(f"/samenwerken/scan/{info.id}/export.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.data))["Per aspect"]
    header = [c.value for c in sheet[1]]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "Alle partijen samen"
    assert last[header.index("Ambitie")] == 3.7 and last[header.index("Organisatie")] == 3.8


# -- findings 5-7: a closed round -----------------------------------------------------------------------
def test_a_closed_round_without_answers_gives_advice_that_works(app, client, login_as):
    info = make_round(app, partners=("Taalhuis", "Welzijn"))
    partner = _draft(app, info, 1, "Tom Taalhuis")
    _close(app, info.id)
    login_as("specialist")
    page = client.get(f"/samenwerken/scan/{info.id}").get_data(as_text=True)
    assert "Alleen een concept" in page and "(telt niet mee: de ronde is gesloten)" in page
    assert "Zet dan bij ‘Bewerken’ de sluitingsdatum later." in page
    assert "Niemand van De bibliotheek was uitgenodigd." in page
    assert "Nog niemand uitgenodigd" not in page
    reveal_page = client.get(f"/samenwerken/scan/{info.id}/delen").get_data(as_text=True)
    assert "1 persoon heeft wel een concept bewaard, maar niet ingestuurd." in reveal_page
    assert "De ronde is gesloten." in reveal_page and "stuur de partijen een herinnering" not in reveal_page
    response = client.post(f"/samenwerken/scan/{info.id}/delen", data={})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "Zet dan bij ‘Bewerken’ de sluitingsdatum later." in text
    # The partner's page no longer says until when one can fill it in.
    partner_page = partner.get("/samenwerken/scan/deelnemen").get_data(as_text=True)
    assert "De scan is gesloten." in partner_page and "Invullen kan tot en met" not in partner_page


def test_an_open_round_without_answers_still_says_wait(app, client, login_as):
    info = make_round(app)
    login_as("specialist")
    text = client.get(f"/samenwerken/scan/{info.id}/delen").get_data(as_text=True)
    assert "Wacht op de antwoorden of stuur de partijen een herinnering." in text


def _edit_data(today, closes_on, version, **extra):
    return {"title": "Scan najaar", "opens_on": (today - timedelta(days=5)).isoformat(),
            "closes_on": closes_on.isoformat(), "partners_may_see_results": "y", "version": str(version),
            "agreement_id": "", **extra}


def test_closing_early_asks_for_confirmation_and_says_who_has_only_a_draft(app, client, login_as):
    info = make_round(app)
    _draft(app, info, 1, "Tom Taalhuis")
    invite(app, info, 2, "Nog Niets")
    with store(app) as db:
        version = db.session.get(ScanRound, info.id).version
        today = local_today()
    login_as("specialist")
    yesterday = today - timedelta(days=1)
    url = f"/samenwerken/scan/{info.id}/bewerken"
    response = client.post(url, data=_edit_data(today, yesterday, version))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Met deze sluitingsdatum is de ronde meteen gesloten." in text
    assert "1 persoon heeft alleen een concept bewaard; dat telt dan niet mee." in text
    assert "1 persoon heeft nog niets bewaard." in text
    assert 'name="confirm_close"' in text
    with store(app) as db:
        assert db.session.get(ScanRound, info.id).closes_on == info.closes_on
    response = client.post(url, data=_edit_data(today, yesterday, version, confirm_close="y"))
    assert response.status_code == 302
    with store(app) as db:
        round_ = db.session.get(ScanRound, info.id)
        assert round_.closes_on == yesterday and services.round_state(round_) == "closed"


def test_closing_today_or_later_needs_no_confirmation(app, client, login_as):
    info = make_round(app)
    with store(app) as db:
        version = db.session.get(ScanRound, info.id).version
        today = local_today()
    login_as("specialist")
    response = client.post(f"/samenwerken/scan/{info.id}/bewerken", data=_edit_data(today, today, version))
    assert response.status_code == 302
    page = client.get(f"/samenwerken/scan/{info.id}/bewerken").get_data(as_text=True)
    assert 'name="confirm_close"' not in page


def test_partner_results_page_before_the_reveal_says_not_yet(app):
    info = make_round(app, may_see=True)
    partner = _submit(app, info, 1, "Kim Opvang")
    page = partner.get("/samenwerken/scan/deelnemen").get_data(as_text=True)
    assert "Invullen kan tot en met" in page
    response = partner.get("/samenwerken/scan/deelnemen/uitkomsten")
    assert response.status_code == 404 and "De uitkomsten zijn nog niet gedeeld" in response.get_data(as_text=True)
    hidden = make_round(app, may_see=False, title="Verborgen", partners=("Ander",))
    other = _submit(app, hidden, 1, "Ada Ander")
    text = other.get("/samenwerken/scan/deelnemen/uitkomsten").get_data(as_text=True)
    assert "De uitkomsten zijn hier niet te zien" in text and "nog niet gedeeld" not in text


def test_a_revealed_round_link_page_does_not_offer_filling_in(app):
    info = make_round(app)
    _, token = invite(app, info, 1, "Laat Komer")
    with store(app) as db:
        invitation, _ = invitations.invite(db.session.get(ScanParty, info.parties[2]), "Wim", None, None)
        answers.save_answers(invitation, {i: answers.AnswerValue(score=4) for i in info.statements}, True)
        services.reveal(db.session.get(ScanRound, info.id), None, True)
    page = app.test_client().get(f"/samenwerken/scan/uitnodiging/{token}").get_data(as_text=True)
    assert "De scan is gesloten. Invullen kan niet meer." in page and "Invullen kan tot en met" not in page


# -- finding 8: "u" on the partner's pages ---------------------------------------------------------------
def test_the_partners_error_summary_says_u_and_reads_as_sentences(app):
    info = make_round(app)
    _, token = invite(app, info, 1)
    partner = partner_client(app, token)
    with store(app) as db:
        item_id = db.session.scalar(select(ScanItem.id).where(
            ScanItem.kind == STATEMENT, ScanItem.text.like("We hebben een gezamenlijk doel%")))
    data = full_answers(info)
    data.pop(f"s{item_id}")
    response = partner.post("/samenwerken/scan/deelnemen", data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Controleer wat u hebt ingevuld" in text and "Controleer wat je" not in text
    assert "belangrijk vinden. Kies een antwoord bij deze stelling." in text
    assert ".:" not in text
    with store(app) as db:
        assert db.session.scalar(select(func.count()).select_from(ScanAnswer)) == 0

