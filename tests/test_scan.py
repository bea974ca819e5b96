"""The samenwerkingsscan: rounds, invitations and tokens, answering, reveal and results."""

from __future__ import annotations

import hashlib
import io
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from collaboration.scan import answers, invitations, services
from collaboration.scan.models import (
    OPEN,
    STATEMENT,
    ScanAnswer,
    ScanInvitation,
    ScanParty,
    ScanQuestionnaire,
    ScanResponse,
    ScanRound,
)
from crm.audit import AuditEntry
from crm.db import utcnow
from crm.errors import StaleRecord
from crm.network.models import Partner
from crm.web import local_today, nl_date

INVALID_TEXT = "Deze link werkt niet (meer)"


# -- helpers ---------------------------------------------------------------------------
# Requests of the test client reuse an app context that is already pushed (and its ``g`` and
# session), so tests that make requests do their own database work in short, separate
# contexts (``store``) instead of the ``db`` fixture.
@contextmanager
def store(app):
    with app.app_context():
        database = app.extensions["crm"].db
        try:
            yield database
            database.session.commit()
        finally:
            database.session.remove()


@dataclass
class RoundInfo:
    id: int
    parties: list[int]
    partner_ids: list[int]
    statements: list[int]
    opens: list[int]
    closes_on: date | None = None


def make_round(app, partners=("Welzijn Rivierstad", "Kinderopvang De Ukkepuk"), may_see=True,
               days=7, title="Scan najaar"):
    with store(app) as db:
        return _make_round(db, partners, may_see, days, title)


def _make_round(db, partners, may_see, days, title):
    ids = []
    for name in partners:
        partner = Partner(name=name, kind="welzijn", status="actief")
        db.session.add(partner)
        db.session.flush()
        ids.append(partner.id)
    today = local_today()
    round_ = services.create_round(title, "Waarom: we willen leren.", ids, today,
                                   today + timedelta(days=days), may_see, None)
    info = RoundInfo(round_.id, [p.id for p in round_.parties], ids,
                     [i.id for i in round_.questionnaire.statements],
                     [i.id for i in round_.questionnaire.open_questions], round_.closes_on)
    db.session.commit()
    return info


def invite(app, info, party_index, name="Piet Partner"):
    with store(app) as db:
        party = db.session.get(ScanParty, info.parties[party_index])
        invitation, token = invitations.invite(party, name, None, None)
        invitation_id = invitation.id
    return invitation_id, token


def full_answers(info, score="4", note=None, open_text=None):
    data = {"action": "submit"}
    for item_id in info.statements:
        data[f"s{item_id}"] = score
        if note:
            data[f"c{item_id}"] = note
    for item_id in info.opens:
        if open_text:
            data[f"o{item_id}"] = open_text
    return data


def reveal(app, round_id):
    with store(app) as db:
        services.reveal(db.session.get(ScanRound, round_id), None, True)


def partner_client(app, token):
    """A browser that opens the link (a page with a button) and presses the button."""
    client = app.test_client()
    landing = client.get(f"/samenwerken/scan/uitnodiging/{token}")
    assert landing.status_code == 200 and "Begin met de scan" in landing.get_data(as_text=True)
    response = client.post(f"/samenwerken/scan/uitnodiging/{token}")
    assert response.status_code == 302, response.data[:300]
    return client


# -- questionnaire ------------------------------------------------------------------------
def test_default_questionnaire_has_five_aspects_and_open_questions(db):
    questionnaire = services.current_questionnaire()
    assert questionnaire.number == 1
    assert len(questionnaire.statements) == 30
    assert [len(items) for _, _, items in questionnaire.statements_by_aspect()] == [6] * 5
    assert [q.text for q in questionnaire.open_questions][0] == "Wat gaat goed in onze samenwerking?"
    db.session.rollback()


def test_editing_the_questionnaire_makes_a_new_version_and_rounds_keep_theirs(db):
    info = _make_round(db, ("Welzijn Rivierstad",), True, 7, "Scan")
    first = services.current_questionnaire()
    edits = [services.ItemEdit(i.id, i.kind, i.aspect, i.text, remove=(n == 0))
             for n, i in enumerate(first.items)]
    edits.append(services.ItemEdit(None, STATEMENT, "proces", "We evalueren elk jaar."))
    new = services.save_questionnaire(first.number, None, edits, None)
    assert new.number == 2
    assert len(new.statements) == 30  # one removed, one added
    assert "We evalueren elk jaar." in [i.text for i in new.statements]
    assert db.session.get(ScanRound, info.id).questionnaire.number == 1
    with pytest.raises(StaleRecord, match="intussen gewijzigd"):
        services.save_questionnaire(1, None, edits, None)
    db.session.rollback()


def test_questionnaire_editor_page_for_admin(app, client, login_as):
    login_as("admin")
    page = client.get("/samenwerken/scan/vragenlijst")
    assert page.status_code == 200
    assert "We weten samen waarom we samenwerken." in page.get_data(as_text=True)
    with store(app):
        questionnaire = services.current_questionnaire()
        data = {f"t{i.id}": i.text for i in questionnaire.items}
        ambitie = [i.id for i in questionnaire.statements if i.aspect == "ambitie"]
    data["number"] = "1"
    response = client.post("/samenwerken/scan/vragenlijst",
                           data={**data, **{f"r{item_id}": "y" for item_id in ambitie}})
    assert response.status_code == 422
    assert "Houd bij elk aspect minstens één stelling." in response.get_data(as_text=True)
    data["n_proces"] = "We vieren ook kleine successen."
    assert client.post("/samenwerken/scan/vragenlijst", data=data).status_code == 302
    response = client.post("/samenwerken/scan/vragenlijst", data=data)  # based on version 1 again
    assert response.status_code == 422 and "intussen gewijzigd" in response.get_data(as_text=True)
    with store(app) as db:
        assert db.session.scalar(select(func.count()).select_from(ScanQuestionnaire)) == 2


# -- rounds ---------------------------------------------------------------------------
def _partner_id(app, name):
    with store(app) as db:
        partner = Partner(name=name, kind="basisschool", status="actief")
        db.session.add(partner)
        db.session.flush()
        return partner.id


def test_create_round_adds_library_and_partners(app, client, login_as):
    partner_id = _partner_id(app, "Basisschool De Regenboog")
    login_as("specialist")
    with store(app):
        today = local_today()
    response = client.post("/samenwerken/scan/nieuw", data={
        "title": "Scan school", "partner_ids": [str(partner_id)], "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=10)).isoformat(), "partners_may_see_results": "y",
    })
    assert response.status_code == 302
    with store(app) as db:
        round_ = db.session.scalar(select(ScanRound))
        assert [p.name for p in round_.parties] == ["De bibliotheek", "Basisschool De Regenboog"]
        assert round_.theme == "samenwerken" and round_.phase == "evaluation"
        assert round_.questionnaire.number == 1


@pytest.mark.parametrize("data, message", [
    ({"partner_ids": []}, "Kies minstens één partner."),
    ({"closes_on": "2020-01-01", "opens_on": "2019-12-01"}, "De sluitingsdatum ligt in het verleden."),
    ({"opens_on": "2030-02-01", "closes_on": "2030-01-01"}, "Kies een sluitingsdatum op of na de openingsdatum."),
    ({"title": ""}, "Vul een titel in."),
    ({"closes_on": "morgen"}, "datum"),
])
def test_create_round_bad_input(app, client, login_as, data, message):
    partner_id = _partner_id(app, "Welzijn")
    login_as("specialist")
    with store(app):
        today = local_today()
    form = {"title": "Scan", "partner_ids": [str(partner_id)], "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=3)).isoformat()}
    form.update(data)
    response = client.post("/samenwerken/scan/nieuw", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with store(app) as db:
        assert db.session.scalar(select(func.count()).select_from(ScanRound)) == 0


def _agreement(app, title="Netwerk BoekStart", partner="Consultatiebureau") -> int:
    from collaboration.models import Agreement

    with store(app) as db:
        agreement = Agreement(title=title, ambition="Elk kind leest.",
                              partners=[Partner(name=partner, kind="welzijn", status="actief")])
        db.session.add(agreement)
        db.session.flush()
        return agreement.id


def test_round_edit_version_check(app, client, login_as):
    info = make_round(app)
    agreement_id = _agreement(app)
    with store(app) as db:
        round_ = db.session.get(ScanRound, info.id)
        form = {"title": "Nieuwe titel", "opens_on": round_.opens_on.isoformat(),
                "closes_on": round_.closes_on.isoformat(), "version": str(round_.version),
                "outcome": "Elke maand terugkoppelen.", "agreement_id": str(agreement_id)}
    login_as("specialist")
    assert client.get(f"/samenwerken/scan/{info.id}/bewerken").status_code == 200
    assert client.post(f"/samenwerken/scan/{info.id}/bewerken", data=form).status_code == 302
    form["title"] = "Oude versie"
    response = client.post(f"/samenwerken/scan/{info.id}/bewerken", data=form)
    assert response.status_code == 422
    assert "Iemand anders heeft dit intussen gewijzigd" in response.get_data(as_text=True)
    with store(app) as db:
        round_ = db.session.get(ScanRound, info.id)
        assert (round_.title, round_.outcome, round_.agreement_id) == (
            "Nieuwe titel", "Elke maand terugkoppelen.", agreement_id)


def test_round_links_an_existing_agreement_by_title(app, client, login_as):
    info = make_round(app)
    agreement_id = _agreement(app, "Netwerk Voorlezen", "Bibliotheekpartner Noord")
    login_as("specialist")
    page = client.get(f"/samenwerken/scan/{info.id}/bewerken").get_data(as_text=True)
    assert re.search(r"<select[^>]*id=\"agreement_id\"", page), page.split("agreement_id")[1][:300]
    assert "Netwerk Voorlezen (Bibliotheekpartner Noord)" in page and "Nummer van de" not in page
    with store(app) as db:
        round_ = db.session.get(ScanRound, info.id)
        form = {"title": round_.title, "opens_on": round_.opens_on.isoformat(),
                "closes_on": round_.closes_on.isoformat(), "version": str(round_.version)}
    for bad in ("999999", "abc", str(2**40)):
        response = client.post(f"/samenwerken/scan/{info.id}/bewerken", data={**form, "agreement_id": bad})
        assert response.status_code == 422, bad
        assert "Kies een samenwerkingsafspraak uit de lijst." in response.get_data(as_text=True)
    with store(app) as db:
        assert db.session.get(ScanRound, info.id).agreement_id is None
        with pytest.raises(services.ScanError, match="uit de lijst"):
            round_ = db.session.get(ScanRound, info.id)
            services.update_round(round_, round_.version, title="x", purpose=None,
                                  opens_on=round_.opens_on, closes_on=round_.closes_on,
                                  partners_may_see_results=True, outcome=None, agreement_id=999999)
        db.session.rollback()
    response = client.post(f"/samenwerken/scan/{info.id}/bewerken",
                           data={**form, "agreement_id": str(agreement_id)})
    assert response.status_code == 302
    page = client.get(f"/samenwerken/scan/{info.id}").get_data(as_text=True)
    assert f'href="/samenwerken/afspraken/{agreement_id}"' in page and "Netwerk Voorlezen" in page
    assert "Nummer" not in page
    back = client.get(f"/samenwerken/afspraken/{agreement_id}").get_data(as_text=True)
    assert f'href="/samenwerken/scan/{info.id}"' in back and "Scan najaar" in back
    # No agreement: the empty choice.
    with store(app) as db:
        form["version"] = str(db.session.get(ScanRound, info.id).version)
    assert client.post(f"/samenwerken/scan/{info.id}/bewerken",
                       data={**form, "agreement_id": ""}).status_code == 302
    with store(app) as db:
        assert db.session.get(ScanRound, info.id).agreement_id is None


def test_round_form_says_when_a_date_does_not_exist(app, client, login_as):
    info = make_round(app)
    login_as("specialist")
    with store(app) as db:
        round_ = db.session.get(ScanRound, info.id)
        form = {"title": round_.title, "opens_on": "31-02-2026",
                "closes_on": round_.closes_on.isoformat(), "version": str(round_.version)}
    response = client.post(f"/samenwerken/scan/{info.id}/bewerken", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Vul een geldige datum in, zoals 25-11-2026." in html and "Vul de openingsdatum in." not in html


# -- invitations and tokens (QUALITY 9) -----------------------------------------------------
def _link(response) -> str:
    return response.get_data(as_text=True).split("/samenwerken/scan/uitnodiging/")[1].split('"')[0]


def _nonce(html: str) -> str:
    """The one-time value of the first form on the page that has one."""
    return re.search(r'<input[^>]*name="nonce"[^>]*value="([^"]+)"', html).group(1)


def test_invite_shows_link_once_and_stores_only_the_hash(app, client, login_as):
    info = make_round(app)
    login_as("specialist")
    form = client.get(f"/samenwerken/scan/{info.id}/uitnodigen?partij={info.parties[1]}")
    assert form.status_code == 200
    response = client.post(f"/samenwerken/scan/{info.id}/uitnodigen",
                           data={"party_id": str(info.parties[1]), "person_name": "Els Verbeek",
                                 "email": "els@jgz.example", "nonce": _nonce(form.get_data(as_text=True))})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Je ziet deze link maar één keer" not in html
    assert "De link wordt niet bewaard" in html and "Kopieer hem nu" in html
    assert "mailto:els%40jgz.example?subject=" in html
    assert "tot%20en%20met%20" + quote(nl_date(info.closes_on)) in html  # "3 december 2026"
    token = _link(response)
    assert len(token) >= 43  # 256 bits, URL-safe base64
    with store(app) as db:
        invitation = db.session.scalar(select(ScanInvitation))
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        for column in ScanInvitation.__table__.columns:
            assert getattr(invitation, column.key) != token
        assert invitation.expires_at is not None
    # The status page never shows the link again.
    page = client.get(f"/samenwerken/scan/{info.id}").get_data(as_text=True)
    assert token not in page and "Els Verbeek" in page


def test_invite_bad_input(app, client, login_as):
    info = make_round(app)
    login_as("specialist")
    response = client.post(f"/samenwerken/scan/{info.id}/uitnodigen",
                           data={"party_id": "999999", "person_name": "", "email": "geen-mail",
                                 "nonce": invitations.new_nonce()})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Kies een partij." in html and "Vul de naam in." in html and "geldig e-mailadres" in html
    # Without the form's one-time value (an old page): a message, and a new value to try again.
    response = client.post(f"/samenwerken/scan/{info.id}/uitnodigen",
                           data={"party_id": str(info.parties[1]), "person_name": "Els"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert invitations.FORM_INCOMPLETE in html and invitations.valid_nonce(_nonce(html))
    with store(app) as db:
        assert db.session.scalar(select(func.count()).select_from(ScanInvitation)) == 0


def test_the_invite_form_posted_twice_makes_one_invitation_with_one_link(app, client, login_as):
    info = make_round(app)
    login_as("specialist")
    nonce = _nonce(client.get(f"/samenwerken/scan/{info.id}/uitnodigen").get_data(as_text=True))
    data = {"party_id": str(info.parties[1]), "person_name": "Els Verbeek", "nonce": nonce}
    first = client.post(f"/samenwerken/scan/{info.id}/uitnodigen", data=data)
    again = client.post(f"/samenwerken/scan/{info.id}/uitnodigen", data=data)  # a reload
    assert first.status_code == again.status_code == 200
    assert _link(first) == _link(again)
    with store(app) as db:
        invitations = list(db.session.scalars(select(ScanInvitation)))
        assert len(invitations) == 1
        assert invitations[0].token_hash == hashlib.sha256(_link(first).encode()).hexdigest()
        created = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.record_type == "crm_scan_invitation", AuditEntry.action == "create"))
        assert created == 1
    # A new form is a new invitation.
    other = _nonce(client.get(f"/samenwerken/scan/{info.id}/uitnodigen").get_data(as_text=True))
    assert other != nonce
    third = client.post(f"/samenwerken/scan/{info.id}/uitnodigen", data={**data, "nonce": other})
    assert _link(third) != _link(first)
    partner_client(app, _link(first))  # the link shown twice works


def test_new_link_posted_twice_keeps_the_copied_link_working(app, client, login_as):
    info = make_round(app)
    invitation_id, token = invite(app, info, 1)
    login_as("specialist")
    page = client.get(f"/samenwerken/scan/{info.id}").get_data(as_text=True)
    resend_form = page.split(f"/uitnodigingen/{invitation_id}/opnieuw")[1]
    nonce = _nonce(resend_form)
    url = f"/samenwerken/scan/uitnodigingen/{invitation_id}/opnieuw"
    first = client.post(url, data={"nonce": nonce})
    again = client.post(url, data={"nonce": nonce})  # a reload of the link page
    assert first.status_code == again.status_code == 200
    assert _link(first) == _link(again) != token
    with store(app) as db:
        assert db.session.get(ScanInvitation, invitation_id).generation == 2
    partner_client(app, _link(again)).get("/samenwerken/scan/deelnemen")
    _bad_token_page(app, token)
    # Without the form's value nothing changes.
    response = client.post(url, data={})
    assert response.status_code == 302
    assert invitations.FORM_INCOMPLETE in client.get(response.headers["Location"]).get_data(as_text=True)
    with store(app) as db:
        assert db.session.get(ScanInvitation, invitation_id).generation == 2


def test_an_edited_invite_form_posted_again_invites_nobody_by_mistake(app, client, login_as):
    """A back-navigated copy of the form, edited for someone else, must not show the first
    person's link as if it were the second's."""
    info = make_round(app)
    login_as("specialist")
    url = f"/samenwerken/scan/{info.id}/uitnodigen"
    nonce = _nonce(client.get(url).get_data(as_text=True))
    data = {"party_id": str(info.parties[1]), "person_name": "Els Verbeek", "nonce": nonce}
    first = client.post(url, data=data)
    assert first.status_code == 200
    for changed in ({"person_name": "Bram Bos"}, {"party_id": str(info.parties[2])}):
        response = client.post(url, data={**data, **changed})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert invitations.FORM_REUSED in html and _link(first) not in html
        fresh = _nonce(html)
        assert invitations.valid_nonce(fresh) and fresh != nonce
    with store(app) as db:
        assert db.session.scalar(select(func.count()).select_from(ScanInvitation)) == 1
    # The form as shown again (with its new value) invites the second person.
    second = client.post(url, data={**data, "person_name": "Bram Bos", "nonce": fresh})
    assert second.status_code == 200 and "Bram Bos" in second.get_data(as_text=True)
    assert _link(second) != _link(first)
    with store(app) as db:
        names = set(db.session.scalars(select(ScanInvitation.person_name)))
        assert names == {"Els Verbeek", "Bram Bos"}


@pytest.mark.parametrize("used_by", ["partner", "revoke"])
def test_a_reposted_form_does_not_show_a_link_that_no_longer_works(app, client, login_as, used_by):
    info = make_round(app)
    login_as("specialist")

    def use(token, invitation_id):
        if used_by == "partner":
            partner_client(app, token)
        else:
            assert client.post(f"/samenwerken/scan/uitnodigingen/{invitation_id}/intrekken").status_code == 302

    url = f"/samenwerken/scan/{info.id}/uitnodigen"
    data = {"party_id": str(info.parties[1]), "person_name": "Els Verbeek",
            "nonce": _nonce(client.get(url).get_data(as_text=True))}
    token = _link(client.post(url, data=data))
    with store(app) as db:
        invitation_id = db.session.scalar(select(ScanInvitation.id))
    use(token, invitation_id)
    # A reload of the link page: the link is dead now, so it is not shown again.
    response = client.post(url, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert invitations.LINK_GONE in html and token not in html
    assert invitations.valid_nonce(_nonce(html)) and _nonce(html) != data["nonce"]
    # The same for the page of a new link.
    resend_url = f"/samenwerken/scan/uitnodigingen/{invitation_id}/opnieuw"
    resend_data = {"nonce": invitations.new_nonce()}
    new_token = _link(client.post(resend_url, data=resend_data))
    use(new_token, invitation_id)
    response = client.post(resend_url, data=resend_data)
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert invitations.LINK_GONE in html and new_token not in html
    with store(app) as db:
        assert db.session.scalar(select(func.count()).select_from(ScanInvitation)) == 1
        invitation = db.session.get(ScanInvitation, invitation_id)
        assert invitation.generation == 2
        assert invitation.token_hash == hashlib.sha256(new_token.encode()).hexdigest()


def test_opening_the_link_changes_nothing_until_the_button_is_pressed(app):
    """Mail scanners (Outlook Safe Links) open links first: a GET must not use the link up."""
    from tests.test_security import _row_counts

    info = make_round(app)
    invitation_id, token = invite(app, info, 1)
    with app.app_context():
        before = _row_counts()
    scanner = app.test_client()
    for _ in range(3):
        landing = scanner.get(f"/samenwerken/scan/uitnodiging/{token}")
        assert landing.status_code == 200
        html = landing.get_data(as_text=True)
        assert "Begin met de scan" in html and "Kinderopvang De Ukkepuk" in html
        assert 'method="post"' in html and 'name="csrf_token"' in html
    with app.app_context():
        assert _row_counts() == before
    with store(app) as db:
        invitation = db.session.get(ScanInvitation, invitation_id)
        assert invitation.exchanged_at is None and invitation.opened_at is None
    # The scanner has no session: the partner's pages stay closed to it.
    assert scanner.get("/samenwerken/scan/deelnemen").status_code == 404
    partner_client(app, token)  # the person still can


def test_token_is_swapped_for_a_session_and_dropped_from_the_url(app):
    info = make_round(app)
    invitation_id, token = invite(app, info, 1)
    client = app.test_client()
    assert client.get(f"/samenwerken/scan/uitnodiging/{token}").status_code == 200
    response = client.post(f"/samenwerken/scan/uitnodiging/{token}")
    assert response.status_code == 302
    assert token not in response.headers["Location"]
    assert response.headers["Location"].endswith("/samenwerken/scan/deelnemen")
    page = client.get("/samenwerken/scan/deelnemen")
    assert page.status_code == 200
    # Clicking the link again on the same device just continues; elsewhere it is used up.
    assert client.get(f"/samenwerken/scan/uitnodiging/{token}").status_code == 302
    assert client.get("/samenwerken/scan/deelnemen").status_code == 200
    _bad_token_page(app, token)
    elsewhere = app.test_client()
    response = elsewhere.post(f"/samenwerken/scan/uitnodiging/{token}")
    assert response.status_code == 404 and INVALID_TEXT in response.get_data(as_text=True)
    html = page.get_data(as_text=True)
    assert "Welkom, Piet Partner" in html and "Waarom: we willen leren." in html
    with store(app) as db:
        invitation = db.session.get(ScanInvitation, invitation_id)
        assert invitation.opened_at is not None and invitation.exchanged_at is not None
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.record_type == "crm_scan_invitation", AuditEntry.action == "update"))
        assert entry.actor_label == f"uitnodiging #{invitation_id}"


def test_only_the_browser_that_pressed_first_gets_in(app):
    """Two browsers opened the link's page (a forwarded link, say). Whoever presses first gets
    the session; the other is told the link no longer works, so a shared link shows up. A
    double click sends one request: the button switches itself off (data-submit-once)."""
    info = make_round(app)
    _invitation_id, token = invite(app, info, 1)
    url = f"/samenwerken/scan/uitnodiging/{token}"
    first, second = app.test_client(), app.test_client()
    page = first.get(url).get_data(as_text=True)
    assert "data-submit-once" in page
    assert second.get(url).status_code == 200
    assert first.post(url).status_code == 302
    response = second.post(url)
    assert response.status_code == 404 and INVALID_TEXT in response.get_data(as_text=True)
    assert second.get("/samenwerken/scan/deelnemen").status_code == 404
    assert first.get("/samenwerken/scan/deelnemen").status_code == 200


@pytest.mark.parametrize("ended_by", ["revoke", "sign_off"])
def test_a_late_second_click_does_not_undo_an_ended_session(app, ended_by):
    info = make_round(app)
    invitation_id, token = invite(app, info, 1)
    url = f"/samenwerken/scan/uitnodiging/{token}"
    browser = app.test_client()
    assert browser.get(url).status_code == 200
    before = browser.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert browser.post(url).status_code == 302
    if ended_by == "revoke":
        with store(app) as db:
            invitations.revoke(db.session.get(ScanInvitation, invitation_id))
    else:
        assert browser.post("/samenwerken/scan/deelnemen/afsluiten").status_code == 200
    browser.set_cookie(before.key, before.value, domain=before.domain)
    response = browser.post(url)
    assert response.status_code == 404 and INVALID_TEXT in response.get_data(as_text=True)
    assert browser.get("/samenwerken/scan/deelnemen").status_code == 404


def _bad_token_page(app, token, client=None):
    client = client or app.test_client()
    response = client.get(f"/samenwerken/scan/uitnodiging/{token}")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert INVALID_TEXT in html and "Vraag de medewerker van de bibliotheek" in html
    return html.split("<main")[1]


def test_every_bad_token_gets_the_same_kind_page(app):
    info = make_round(app)
    _, used = invite(app, info, 1, "Eerste")
    partner_client(app, used)
    revoked_id, revoked = invite(app, info, 1, "Tweede")
    expired_id, expired = invite(app, info, 2, "Derde")
    with store(app) as db:
        invitations.revoke(db.session.get(ScanInvitation, revoked_id))
        db.session.get(ScanInvitation, expired_id).expires_at = utcnow() - timedelta(minutes=1)
    pages = {
        name: _bad_token_page(app, token) for name, token in {
            "reused": used, "revoked": revoked, "expired": expired,
            "unknown": "A" * 43, "malformed": "kort", "odd": "%3Cscript%3E",
        }.items()
    }
    assert len(set(pages.values())) == 1, "the page must not hint whether the token existed"


def test_resend_makes_a_new_link_and_ends_the_old_session(app, client, login_as):
    info = make_round(app)
    invitation_id, token = invite(app, info, 1)
    partner = partner_client(app, token)
    assert partner.get("/samenwerken/scan/deelnemen").status_code == 200
    login_as("specialist")
    response = client.post(f"/samenwerken/scan/uitnodigingen/{invitation_id}/opnieuw",
                           data={"nonce": invitations.new_nonce()})
    assert response.status_code == 200
    new_token = _link(response)
    assert new_token != token
    old = partner.get("/samenwerken/scan/deelnemen")
    assert old.status_code == 404 and INVALID_TEXT in old.get_data(as_text=True)
    _bad_token_page(app, token)
    assert partner_client(app, new_token).get("/samenwerken/scan/deelnemen").status_code == 200


def test_revoke_ends_the_session(app, client, login_as):
    info = make_round(app)
    invitation_id, token = invite(app, info, 1)
    partner = partner_client(app, token)
    login_as("specialist")
    assert client.post(f"/samenwerken/scan/uitnodigingen/{invitation_id}/intrekken").status_code == 302
    assert partner.get("/samenwerken/scan/deelnemen").status_code == 404
    assert "Ingetrokken" in client.get(f"/samenwerken/scan/{info.id}").get_data(as_text=True)


def test_staff_opening_a_link_does_not_use_it(app, client, login_as):
    info = make_round(app)
    _, token = invite(app, info, 1)
    login_as("specialist")
    response = client.get(f"/samenwerken/scan/uitnodiging/{token}")
    assert response.status_code == 200 and "link voor een partner" in response.get_data(as_text=True)
    partner_client(app, token)  # still usable by the partner


def test_partner_can_leave_the_session(app):
    info = make_round(app)
    _, token = invite(app, info, 1)
    partner = partner_client(app, token)
    assert partner.post("/samenwerken/scan/deelnemen/afsluiten").status_code == 200
    page = partner.get("/samenwerken/scan/deelnemen")
    assert page.status_code == 404 and INVALID_TEXT in page.get_data(as_text=True)


def test_a_copied_session_cookie_stops_working_after_signing_off(app):
    info = make_round(app)
    invitation_id, token = invite(app, info, 1)
    partner = partner_client(app, token)
    cookie = partner.get_cookie(app.config["SESSION_COOKIE_NAME"])
    copy = app.test_client()
    copy.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    assert copy.get("/samenwerken/scan/deelnemen").status_code == 200
    assert partner.post("/samenwerken/scan/deelnemen/afsluiten").status_code == 200
    for url in ("/samenwerken/scan/deelnemen", "/samenwerken/scan/deelnemen/uitkomsten"):
        page = copy.get(url)
        assert page.status_code == 404 and INVALID_TEXT in page.get_data(as_text=True), url
    assert copy.post("/samenwerken/scan/deelnemen", data=full_answers(info)).status_code == 404
    with store(app) as db:
        assert db.session.scalar(select(func.count()).select_from(ScanResponse)) == 0
        assert db.session.get(ScanInvitation, invitation_id).generation == 2
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.record_type == "crm_scan_invitation", AuditEntry.action == "update")
            .order_by(AuditEntry.id.desc()))
        assert entry.actor_label == f"uitnodiging #{invitation_id}"


def test_a_bookmarked_partner_page_without_a_session_says_the_link_no_longer_works(app):
    anonymous = app.test_client()
    for url, method in (("/samenwerken/scan/deelnemen", "GET"),
                        ("/samenwerken/scan/deelnemen/uitkomsten", "GET"),
                        ("/samenwerken/scan/deelnemen/grafiek/radar.svg", "GET"),
                        ("/samenwerken/scan/deelnemen", "POST"),
                        ("/samenwerken/scan/deelnemen/afsluiten", "POST")):
        response = anonymous.open(url, method=method)
        assert response.status_code == 404, url
        html = response.get_data(as_text=True)
        assert INVALID_TEXT in html and "nieuwe link" in html and "/inloggen" not in response.headers.get(
            "Location", ""), url
    # Staff pages still send an anonymous visitor to the login page.
    response = anonymous.get("/samenwerken/scan/")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


# -- answering -----------------------------------------------------------------------
def test_draft_then_submit_then_change(app):
    info = make_round(app)
    invitation_id, token = invite(app, info, 1)
    first = info.statements[0]
    partner = partner_client(app, token)
    response = partner.post("/samenwerken/scan/deelnemen", data={f"s{first}": "2", "action": "draft"})
    assert response.status_code == 302
    page = partner.get("/samenwerken/scan/deelnemen").get_data(as_text=True)
    assert "bewaard als concept" in page
    with store(app) as db:
        invitation = db.session.get(ScanInvitation, invitation_id)
        assert invitation.draft_saved_at is not None and invitation.submitted_at is None
    data = full_answers(info, open_text="Het overleg is fijn.")
    assert partner.post("/samenwerken/scan/deelnemen", data=data).status_code == 302
    data[f"s{first}"] = "0"  # weet ik niet
    assert partner.post("/samenwerken/scan/deelnemen", data=data).status_code == 302  # submitted twice
    with store(app) as db:
        assert db.session.scalar(select(func.count()).select_from(ScanResponse)) == 1
        answer = db.session.scalar(select(ScanAnswer).where(ScanAnswer.item_id == first))
        assert answer.dont_know and answer.score is None
        assert db.session.get(ScanInvitation, invitation_id).submitted_at is not None


def test_incomplete_submit_and_score_out_of_range_are_refused(app):
    info = make_round(app)
    invitation_id, token = invite(app, info, 1)
    partner = partner_client(app, token)
    first = info.statements[0]
    response = partner.post("/samenwerken/scan/deelnemen", data={f"s{first}": "3", "action": "submit"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Geef bij elke stelling een antwoord" in html and "Kies een antwoord bij deze stelling." in html
    data = full_answers(info)
    data[f"s{first}"] = "7"
    response = partner.post("/samenwerken/scan/deelnemen", data=data)
    assert response.status_code == 422
    assert "Kies een score van 1 tot en met 5" in response.get_data(as_text=True)
    with store(app) as db:
        assert db.session.scalar(select(func.count()).select_from(ScanAnswer)) == 0
        with pytest.raises(services.ScanError):
            answers.save_answers(db.session.get(ScanInvitation, invitation_id),
                                  {first: answers.AnswerValue(score=9)}, submit=False)
        db.session.rollback()


def test_round_closed_meanwhile_keeps_the_draft(app):
    info = make_round(app)
    _, token = invite(app, info, 1)
    first = info.statements[0]
    partner = partner_client(app, token)
    partner.post("/samenwerken/scan/deelnemen", data={f"s{first}": "2", "action": "draft"})
    with store(app) as db:
        stored = db.session.get(ScanRound, info.id)
        stored.opens_on = local_today() - timedelta(days=5)
        stored.closes_on = local_today() - timedelta(days=1)
    response = partner.post("/samenwerken/scan/deelnemen", data=full_answers(info, score="5"))
    assert response.status_code == 409
    assert "De scan is gesloten" in response.get_data(as_text=True)
    with store(app) as db:
        stored = list(db.session.scalars(select(ScanAnswer)))
        assert [(a.item_id, a.score) for a in stored] == [(first, 2)]
        assert db.session.scalar(select(ScanResponse)).submitted_at is None
    page = partner.get("/samenwerken/scan/deelnemen")
    assert page.status_code == 200 and "Uw concept is bewaard" in page.get_data(as_text=True)


# -- reveal and results ------------------------------------------------------------------
def test_reveal_refused_without_responses_and_early_needs_confirmation(app, client, login_as):
    info = make_round(app)
    _, token = invite(app, info, 1)
    login_as("specialist")
    assert client.get(f"/samenwerken/scan/{info.id}/delen").status_code == 200
    response = client.post(f"/samenwerken/scan/{info.id}/delen", data={"confirm": "y"})
    assert response.status_code == 422
    assert "Nog niemand heeft de scan ingestuurd" in response.get_data(as_text=True)
    partner_client(app, token).post("/samenwerken/scan/deelnemen", data=full_answers(info))
    response = client.post(f"/samenwerken/scan/{info.id}/delen", data={})
    assert response.status_code == 422
    assert "Vink aan" in response.get_data(as_text=True)
    with store(app) as db:
        assert db.session.get(ScanRound, info.id).revealed_at is None
    assert client.post(f"/samenwerken/scan/{info.id}/delen", data={"confirm": "y"}).status_code == 302
    with store(app) as db:
        assert db.session.get(ScanRound, info.id).revealed_at is not None


def _answered_round(app, may_see=True, names=("Bea Bieb", "Kim Opvang", "Wim Welzijn")):
    """Library and two partners; each answers with its own marker text."""
    info = make_round(app, may_see=may_see)
    clients = {}
    for index, (name, score) in enumerate(zip(names, ("5", "2", "3"), strict=True)):
        _, token = invite(app, info, index, name)
        partner = partner_client(app, token)
        data = full_answers(info, score=score, note=f"toelichting-{index}",
                            open_text=f"geheim-antwoord-{index}")
        assert partner.post("/samenwerken/scan/deelnemen", data=data).status_code == 302
        clients[index] = partner
    return info, clients


def test_results_per_aspect_party_people_and_spread(app, client, login_as):
    from collaboration.scan.results import compute

    info, _ = _answered_round(app)
    login_as("specialist")
    status = client.get(f"/samenwerken/scan/{info.id}").get_data(as_text=True)
    assert "Ingestuurd" in status and "geheim-antwoord" not in status and "toelichting-" not in status
    before = client.get(f"/samenwerken/scan/{info.id}/uitkomsten")
    assert before.status_code == 200 and "nog niet gedeeld" in before.get_data(as_text=True)
    assert "geheim-antwoord" not in before.get_data(as_text=True)
    for path in ("grafiek/radar.svg", "grafiek/staven.svg", "export.xlsx", "gespreksblad"):
        assert client.get(f"/samenwerken/scan/{info.id}/{path}").status_code == 404
    client.post(f"/samenwerken/scan/{info.id}/delen", data={"confirm": "y"})
    html = client.get(f"/samenwerken/scan/{info.id}/uitkomsten").get_data(as_text=True)
    assert "Hier zien jullie het verschillend — bespreek dit eerst" in html
    for text in ("Bea Bieb", "Wim Welzijn", "Kim Opvang", "Welzijn Rivierstad", "geheim-antwoord-1"):
        assert text in html
    assert "5,0" in html and "2,0" in html and "3,0" in html
    with store(app) as db:
        result = compute(db.session.get(ScanRound, info.id))
        # library first, then the partners by name: Kinderopvang (2), Welzijn (3)
        assert [p.aspect_means["ambitie"] for p in result.parties] == [5.0, 2.0, 3.0]
        assert result.statements[0].spread == 3.0
        assert len(result.open_answers[0][1]) == 3
    radar = client.get(f"/samenwerken/scan/{info.id}/grafiek/radar.svg")
    assert radar.status_code == 200 and radar.mimetype == "image/svg+xml" and b"<svg" in radar.data
    assert client.get(f"/samenwerken/scan/{info.id}/grafiek/staven.svg").mimetype == "image/svg+xml"
    sheet = client.get(f"/samenwerken/scan/{info.id}/gespreksblad")
    assert sheet.status_code == 200 and "Wat spreken we af?" in sheet.get_data(as_text=True)


def test_partners_see_the_result_per_party_without_other_peoples_names(app, client, login_as):
    info, clients = _answered_round(app)
    _, token = invite(app, info, 1, "Karel Collega")  # a second person of Kim's party
    partner_client(app, token).post("/samenwerken/scan/deelnemen", data=full_answers(info, score="3"))
    reveal(app, info.id)
    html = clients[1].get("/samenwerken/scan/deelnemen/uitkomsten").get_data(as_text=True)
    assert "Per persoon" not in html
    for name in ("Bea Bieb", "Wim Welzijn", "Karel Collega"):
        assert name not in html, name
    # The open answers and the notes are there, signed with the party only.
    assert "geheim-antwoord-0 <span class=\"muted\">— De bibliotheek</span>" in html
    assert "toelichting-2 <span class=\"muted\">— Welzijn Rivierstad</span>" in html
    assert "Alle partijen samen" in html
    # Staff keep the view per person.
    login_as("specialist")
    staff = client.get(f"/samenwerken/scan/{info.id}/uitkomsten").get_data(as_text=True)
    assert "Per persoon" in staff and "Karel Collega" in staff and "— Bea Bieb, De bibliotheek" in staff


def test_partner_subnav_only_offers_the_partners_own_pages(app):
    info, clients = _answered_round(app)
    reveal(app, info.id)
    html = clients[1].get("/samenwerken/scan/deelnemen/uitkomsten").get_data(as_text=True)
    nav = html.split('<nav class="subnav"')[1].split("</nav>")[0]
    assert "Aanhaakkalender" not in nav and "Samenwerkingsscan" not in nav
    hrefs = re.findall(r'href="([^"]+)"', nav)
    assert hrefs == ["/samenwerken/scan/deelnemen", "/samenwerken/scan/deelnemen/uitkomsten"]
    for href in hrefs:
        assert clients[1].get(href).status_code == 200, href


def test_charts_leave_a_gap_for_an_aspect_without_score(app):
    from collaboration.scan.results import bars_svg, radar_svg

    data = (("Welzijn", (4.0, 3.5, None, 2.0, 5.0)), ("De bibliotheek", (4.0, 4.0, 4.0, 4.0, 4.0)))
    with app.app_context():
        radar = radar_svg(data).decode()
        bars = bars_svg(data).decode()
    assert "Welzijn (geen score: Relaties)" in radar and "Welzijn (geen score: Relaties)" in bars
    assert "De bibliotheek (geen" not in radar
    # The line of Welzijn breaks at Relaties: two pieces, so its path starts twice.
    line = re.findall(r'<path d="(M[^"]+)"[^>]*style="fill: none; stroke: #1f5f8b', radar)
    assert line and any(d.count("M") == 2 for d in line), line


def test_a_statement_all_dont_know_is_no_score_not_zero(app, client, login_as):
    from collaboration.scan.results import compute

    info = make_round(app)
    _, token = invite(app, info, 1)
    data = full_answers(info)
    with store(app) as db:
        relaties = [i.id for i in db.session.get(ScanRound, info.id).questionnaire.statements
                    if i.aspect == "relaties"]
    for item_id in relaties:
        data[f"s{item_id}"] = "0"
    partner_client(app, token).post("/samenwerken/scan/deelnemen", data=data)
    reveal(app, info.id)
    with store(app) as db:
        result = compute(db.session.get(ScanRound, info.id))
        assert result.parties[1].aspect_means["relaties"] is None
    login_as("specialist")
    radar = client.get(f"/samenwerken/scan/{info.id}/grafiek/radar.svg").get_data(as_text=True)
    assert "Kinderopvang De Ukkepuk (geen score: Relaties)" in radar


def test_revoking_a_sent_in_invitation_says_the_answers_still_count(app, client, login_as):
    info, _ = _answered_round(app)
    with store(app) as db:
        kim = db.session.scalar(select(ScanInvitation.id).where(ScanInvitation.person_name == "Kim Opvang"))
    login_as("specialist")
    page = client.get(f"/samenwerken/scan/{info.id}").get_data(as_text=True)
    assert "De antwoorden die al zijn ingestuurd, tellen wel mee." in page  # in the confirm text
    response = client.post(f"/samenwerken/scan/uitnodigingen/{kim}/intrekken")
    flashed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "De antwoorden die al waren ingestuurd, tellen wel mee." in flashed
    assert "Ingestuurd, daarna ingetrokken (de antwoorden tellen mee)" in flashed
    with store(app) as db:
        assert services.submitted_count(db.session.get(ScanRound, info.id)) == 3


@pytest.mark.parametrize("may_see", [True, False])
def test_after_the_reveal_only_actions_that_work_are_offered(app, client, login_as, may_see):
    info, _ = _answered_round(app, may_see=may_see)
    reveal(app, info.id)
    login_as("specialist")
    page = client.get(f"/samenwerken/scan/{info.id}").get_data(as_text=True)
    assert "/opnieuw" not in page and "Nieuwe link" not in page
    # Revoking still ends a partner's access to the results, so it is offered only then.
    assert ("/intrekken" in page) is may_see
    if may_see:
        assert "kan de uitkomsten dan niet meer bekijken" in page
    with store(app) as db:
        invitation_id = db.session.scalar(select(ScanInvitation.id).limit(1))
    response = client.post(f"/samenwerken/scan/uitnodigingen/{invitation_id}/opnieuw",
                           data={"nonce": invitations.new_nonce()})
    assert response.status_code == 302
    assert "Een nieuwe link kan niet meer" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_error_summary_in_page_order_and_notes_name_their_statement(app):
    info = make_round(app)
    _, token = invite(app, info, 1)
    partner = partner_client(app, token)
    with store(app) as db:
        questionnaire = db.session.get(ScanRound, info.id).questionnaire
        in_page_order = [i.id for _, _, items in questionnaire.statements_by_aspect() for i in items]
    data = {"action": "draft"}
    for item_id in in_page_order:
        data[f"c{item_id}"] = "x" * 501
    response = partner.post("/samenwerken/scan/deelnemen", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = html.split('id="foutmeldingen"')[1].split("</div>")[0]
    assert re.findall(r'href="#c(\d+)"', summary) == [str(i) for i in in_page_order]
    assert "Toelichting bij stelling 1 (niet verplicht): Gebruik hoogstens 500 tekens." in summary
    assert "Toelichting bij stelling 30 (niet verplicht)" in summary
    # The form itself asks in the same order.
    assert re.findall(r'name="s(\d+)" type="radio" value="1"', html) == [str(i) for i in in_page_order]


def test_read_only_answers_and_export_are_grouped_by_aspect(app, client, login_as):
    import openpyxl

    from collaboration.scan.models import ASPECTS

    info, clients = _answered_round(app)
    reveal(app, info.id)
    page = clients[1].get("/samenwerken/scan/deelnemen").get_data(as_text=True)
    headings = re.findall(r'<h3 id="antwoorden-([a-z]+)">', page)
    assert headings == [key for key, _, _ in ASPECTS] + ["open"]
    login_as("specialist")
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/samenwerken/scan/{info.id}/export.xlsx").data))
    rows = list(book["Alle antwoorden"].iter_rows(values_only=True))
    aspect_col = rows[0].index("Aspect")
    order = [label for _, label, _ in ASPECTS] + ["Open vraag"]
    seen = [r[aspect_col] for r in rows[1:]]
    assert seen == sorted(seen, key=order.index) and set(seen) == set(order)
    per_aspect = list(book["Per aspect"].iter_rows(values_only=True))
    assert per_aspect[-1][0] == "Alle partijen samen"
    assert per_aspect[-1][1] == 3 and per_aspect[-1][2] == pytest.approx(3.3)


def test_export_neutralises_formulas(app, client, login_as):
    import openpyxl

    info = make_round(app)
    _, token = invite(app, info, 1, "=HYPERLINK(\"x\")")
    data = full_answers(info, note="+1+1", open_text="@SUM(A1)")
    partner_client(app, token).post("/samenwerken/scan/deelnemen", data=data)
    reveal(app, info.id)
    login_as("specialist")
    response = client.get(f"/samenwerken/scan/{info.id}/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    values = [c.value for c in cells]
    # XLSX: the text as typed, stored as text (never a formula) with Excel's quote prefix.
    assert "=HYPERLINK(\"x\")" in values and "+1+1" in values and "@SUM(A1)" in values
    risky = [c for c in cells if c.value.startswith(("=", "+", "@"))]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)
    assert not any(c.data_type == "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)
    with store(app) as db:
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
        assert entry.record_id == info.id


def test_change_since_previous_round(app, client, login_as):
    from collaboration.scan.results import compute

    first, _ = _answered_round(app)
    reveal(app, first.id)
    with store(app):
        today = local_today()
        second = services.create_round("Tweede", None, first.partner_ids, today, today + timedelta(days=20),
                                       True, None)
        invitation, _ = invitations.invite(second.parties[1], "Wim", None, None)
        answers.save_answers(invitation, {
            i.id: answers.AnswerValue(score=4) for i in second.questionnaire.items if i.kind == STATEMENT
        }, submit=True)
        services.reveal(second, None, True)
        result = compute(second)
        assert result.previous.id == first.id
        # Exact means; rounded only where they are shown (3,3 on the page).
        assert result.changes[0].before == pytest.approx(10 / 3) and result.changes[0].now == 4.0
        assert result.changes[0].delta == pytest.approx(0.7)
        # Per party: only the party that answered in both rounds (Kinderopvang: 2 → 4).
        assert [(name, c[0].before, c[0].now) for name, c in result.party_changes] == [
            ("Kinderopvang De Ukkepuk", 2.0, 4.0)]
        second_id = second.id
    login_as("specialist")
    html = client.get(f"/samenwerken/scan/{second_id}/uitkomsten").get_data(as_text=True)
    assert "Per partij: score in de vorige ronde" in html and "+0,7 (hoger)" in html


# -- isolation (QUALITY 3) -----------------------------------------------------------------
def _scan_urls(app, round_id, invitation_id):
    with app.test_request_context():
        from flask import url_for

        urls = []
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("collaboration.scan") or rule.endpoint.endswith("leave"):
                continue
            values = {"round_id": round_id, "invitation_id": invitation_id}
            urls.append((url_for(rule.endpoint, **{k: values[k] for k in rule.arguments}),
                         "GET" if "GET" in rule.methods else "POST"))
        return urls


@pytest.mark.parametrize("may_see", [True, False])
def test_a_party_never_sees_another_partys_answers(app, may_see):
    info, clients = _answered_round(app, may_see=may_see)
    other, _ = _answered_round(app, may_see=True, names=("Olga Ander", "Otto Ander", "Olaf Ander"))
    spy = clients[1]  # Kim Opvang, of Kinderopvang De Ukkepuk
    with store(app) as db:
        own_id = db.session.scalar(
            select(ScanInvitation.id).where(ScanInvitation.person_name == "Kim Opvang"))
        others = [i for i in db.session.scalars(select(ScanInvitation.id)) if i != own_id]

    def sweep(revealed: bool):
        for round_id in (info.id, other.id):
            for invitation_id in others:
                for url, method in _scan_urls(app, round_id, invitation_id):
                    response = spy.open(url, method=method)
                    body = response.get_data(as_text=True)
                    own_page = url.startswith("/samenwerken/scan/deelnemen")
                    if not own_page:
                        assert response.status_code in (403, 404), f"{method} {url}: {response.status_code}"
                    if not (revealed and may_see and own_page):
                        for marker in ("geheim-antwoord-0", "geheim-antwoord-2", "toelichting-0", "Bea Bieb"):
                            assert marker not in body, f"{method} {url} shows {marker}"
                    assert "Olga Ander" not in body and "Otto Ander" not in body, url

    sweep(revealed=False)
    assert spy.get("/samenwerken/scan/deelnemen/uitkomsten").status_code == 404
    assert spy.get("/samenwerken/scan/deelnemen/grafiek/radar.svg").status_code == 404
    reveal(app, info.id)
    reveal(app, other.id)
    sweep(revealed=True)
    results = spy.get("/samenwerken/scan/deelnemen/uitkomsten")
    if may_see:
        assert results.status_code == 200 and "geheim-antwoord-0" in results.get_data(as_text=True)
        assert spy.get("/samenwerken/scan/deelnemen/grafiek/radar.svg").status_code == 200
    else:
        assert results.status_code == 404 and "geheim-antwoord-0" not in results.get_data(as_text=True)
        assert spy.get("/samenwerken/scan/deelnemen/grafiek/staven.svg").status_code == 404


def test_another_partys_token_after_exchange_shows_nothing(app):
    info = make_round(app)
    _, token_a = invite(app, info, 1, "Anna")
    partner_client(app, token_a)
    _, token_b = invite(app, info, 2, "Bert")
    spy = partner_client(app, token_b)
    html = _bad_token_page(app, token_a, client=spy)
    assert "Anna" not in html
    # The failed attempt also ended the spy's own session: nothing of anyone is shown.
    assert spy.get("/samenwerken/scan/deelnemen").status_code in (302, 404)


# -- XSS, panel, demo ------------------------------------------------------------------------
def test_names_render_escaped(app, client, login_as):
    evil = "<script>alert(1)</script>"
    info = make_round(app, partners=(evil,), title=evil)
    _, token = invite(app, info, 1, evil)
    partner = partner_client(app, token)
    page = partner.get("/samenwerken/scan/deelnemen").get_data(as_text=True)
    assert evil not in page and "&lt;script&gt;" in page
    login_as("specialist")
    for url in (f"/samenwerken/scan/{info.id}", "/samenwerken/scan/", "/"):
        html = client.get(url).get_data(as_text=True)
        assert evil not in html, url


def test_start_panel_and_tracker_records(app, client, login_as):
    from crm.guide import Phase, Theme
    from crm.registry import current_registry

    make_round(app, title="Scan voor het paneel")
    login_as("specialist")
    assert "Scan voor het paneel" in client.get("/").get_data(as_text=True)
    with app.test_request_context():
        refs = current_registry().records_of(Theme.COLLABORATION, Phase.EVALUATION)
        assert [r.label for r in refs] == ["Scan voor het paneel"]
        keys = [i.key for i in current_registry().instruments_of(Theme.COLLABORATION, Phase.EVALUATION)]
        assert keys == ["samenwerkingsscan"]
        app.extensions["crm"].db.session.remove()

def test_demo_seeder(app, db):
    from collaboration.scan.demo import seed_demo
    from collaboration.scan.results import compute

    seed_demo()
    db.session.commit()
    rounds = list(db.session.scalars(select(ScanRound).order_by(ScanRound.id)))
    assert len(rounds) == 2
    revealed, current = rounds
    assert revealed.revealed and not current.revealed and services.round_state(current) == "open"
    result = compute(revealed)
    assert len([p for p in result.parties if p.respondents]) == 3 and result.respondents == 5
    assert any(texts for _, texts in result.open_answers)
    seed_demo()  # idempotent
    assert db.session.scalar(select(func.count()).select_from(ScanRound)) == 2
    assert all(i.kind in (STATEMENT, OPEN) for i in revealed.questionnaire.items)
    db.session.commit()



def test_partner_posts_need_the_csrf_token(app, monkeypatch):
    info = make_round(app)
    _, token = invite(app, info, 1)
    monkeypatch.setitem(app.config, "CRM_CSRF_ENABLED", True)
    partner = app.test_client()
    landing = partner.get(f"/samenwerken/scan/uitnodiging/{token}").get_data(as_text=True)
    assert partner.post(f"/samenwerken/scan/uitnodiging/{token}").status_code == 400  # no token
    csrf = landing.split('name="csrf_token" value="')[1].split('"')[0]
    response = partner.post(f"/samenwerken/scan/uitnodiging/{token}", data={"csrf_token": csrf})
    assert response.status_code == 302
    page = partner.get("/samenwerken/scan/deelnemen").get_data(as_text=True)
    csrf = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    data = full_answers(info)
    assert partner.post("/samenwerken/scan/deelnemen", data=data).status_code == 400
    assert partner.post("/samenwerken/scan/deelnemen", data={**data, "csrf_token": csrf}).status_code == 302
    with store(app) as db:
        assert db.session.scalar(select(func.count()).select_from(ScanResponse)) == 1
