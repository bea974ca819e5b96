"""Editable lists after review 2: the last visible option stays (F6); options can be renamed
and moved (F7), keeping their code so the statistics keep counting them as one option."""

from __future__ import annotations

import html
import re
import secrets
from datetime import UTC, datetime

from sqlalchemy import select

from crm.admin.models import Choice
from crm.admin.services import LAST_VISIBLE, choices
from crm.audit import AuditEntry
from crm.db import db
from crm.network.models import Partner
from crm.referrals.models import Referral
from crm.referrals.services import month_key
from crm.referrals.stats import StatsFilter, compute
from tests.fixtures.users import PASSWORD, make_user

METHODS = "/beheer/lijsten/referral_methods"
PURPOSES = "/beheer/lijsten/referral_purposes"


def _text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _stored(app, key: str) -> list[tuple[str, str, int, bool]]:
    with app.app_context():
        return [(c.code, c.label, c.position, c.active) for c in db.session.scalars(
            select(Choice).where(Choice.list_key == key).order_by(Choice.position, Choice.id))]


def _codes(app, key: str) -> list[str]:
    with app.app_context():
        return [code for code, _ in choices(key)]


# -- F6: the last visible option ---------------------------------------------------------
def test_the_last_visible_option_cannot_be_hidden(app, client, login_as):
    login_as("admin")
    codes = _codes(app, "referral_methods")
    for code in codes[:-1]:
        response = client.post(f"{METHODS}/{code}/actief", follow_redirects=True)
        assert "is verborgen." in _text(response)
    before = _stored(app, "referral_methods")
    last = codes[-1]

    response = client.post(f"{METHODS}/{last}/actief", follow_redirects=True)
    page = _text(response)
    assert LAST_VISIBLE in page
    assert LAST_VISIBLE == "Er moet minstens één optie zichtbaar blijven, anders kan niemand meer kiezen."
    assert 'class="flash flash-error"' in response.get_data(as_text=True)
    assert _stored(app, "referral_methods") == before  # nothing stored
    assert _codes(app, "referral_methods") == [last]  # the desk still has one method
    # The page says so instead of offering a button that cannot work.
    row = re.search(rf'<tr id="optie-{last}".*?</tr>', response.get_data(as_text=True), re.S).group(0)
    assert "Laatste zichtbare optie" in row and "Verbergen" not in row
    # A hidden option can be shown again, and then the other may be hidden.
    client.post(f"{METHODS}/{codes[0]}/actief")
    assert client.post(f"{METHODS}/{last}/actief").status_code == 302
    assert _codes(app, "referral_methods") == [codes[0]]


def test_a_list_never_edited_refuses_too_and_stores_nothing(app, client, login_as):
    """The defaults are stored on the first change; a refused change leaves no rows at all."""
    login_as("admin")
    with app.app_context():
        from crm.admin.services import toggle_choice
        from crm.errors import RuleError

        codes = [code for code, _ in choices("referral_purposes")]
        for code in codes[:-1]:
            toggle_choice("referral_purposes", code)
        try:
            toggle_choice("referral_purposes", codes[-1])
        except RuleError as exc:
            assert str(exc) == LAST_VISIBLE
        else:
            raise AssertionError("the last purpose was hidden")
        db.session.rollback()
    assert _stored(app, "referral_purposes") == []


# -- F7: rename -------------------------------------------------------------------------------
def _referral(app, purpose: str) -> None:
    with app.app_context():
        partner = Partner(name="Taalhuis", kind="taalhuis")
        db.session.add(partner)
        db.session.flush()
        moment = datetime.now(UTC)
        db.session.add(Referral(direction="uit", partner_id=partner.id, purpose=purpose, method="folder",
                                created_at=moment, month=month_key(moment), nonce=secrets.token_urlsafe(12)))
        db.session.commit()


def test_rename_keeps_the_code_and_the_figures(app, client, login_as):
    _referral(app, "taal-lezen")
    login_as("admin")
    page = client.get(PURPOSES).get_data(as_text=True)
    assert f'href="{PURPOSES}/taal-lezen/naam"' in page
    form = client.get(f"{PURPOSES}/taal-lezen/naam")
    assert form.status_code == 200
    form_html = form.get_data(as_text=True)
    assert "Naam wijzigen: Taal en lezen" in form_html and 'value="Taal en lezen"' in form_html

    response = client.post(f"{PURPOSES}/taal-lezen/naam", data={"label": "  Taal, lezen en schrijven "})
    assert response.status_code == 302 and response.headers["Location"].endswith("#optie-taal-lezen")
    page = _text(client.get(response.headers["Location"]))
    assert "'Taal en lezen' heet nu 'Taal, lezen en schrijven'" in page
    stored = {code: label for code, label, _, _ in _stored(app, "referral_purposes")}
    assert stored["taal-lezen"] == "Taal, lezen en schrijven"
    assert "taal-lezen-schrijven" not in stored and len(stored) == len(set(stored))
    with app.app_context():
        figures = compute(StatsFilter.default())
        assert dict(figures.by_purpose) == {"Taal, lezen en schrijven": 1}  # still one purpose
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "crm_choice")
                                   .order_by(AuditEntry.id.desc())).first()
        assert entry is not None and "label" in entry.fields
    # The desk form offers the new name with the same code.
    login_as("frontoffice")
    desk = client.get("/verwijzingen/nieuw").get_data(as_text=True)
    assert re.search(r'value="taal-lezen"[^>]*>\s*<label[^>]*>Taal, lezen en schrijven<', desk)


def test_rename_refuses_an_empty_or_taken_name(app, client, login_as):
    login_as("admin")
    empty = client.post(f"{PURPOSES}/taal-lezen/naam", data={"label": "  "})
    assert empty.status_code == 422 and "Vul de naam in" in _text(empty)
    taken = client.post(f"{PURPOSES}/taal-lezen/naam", data={"label": "opvoeden"})
    assert taken.status_code == 422
    assert "Er is al een optie met deze naam." in _text(taken)
    assert 'aria-invalid="true"' in taken.get_data(as_text=True)
    assert _stored(app, "referral_purposes") == []  # nothing stored, not even the defaults
    # Only a change of capitals is fine: it is the option's own name.
    assert client.post(f"{PURPOSES}/opvoeden/naam", data={"label": "OPVOEDEN"}).status_code == 302
    assert client.get(f"{PURPOSES}/bestaat-niet/naam").status_code == 404
    assert client.get("/beheer/lijsten/geen-lijst/opvoeden/naam").status_code == 404


# -- F7: move -------------------------------------------------------------------------------------
def test_move_up_and_down_changes_the_order_of_form_and_charts(app, client, login_as):
    login_as("admin")
    codes = _codes(app, "referral_methods")
    second = codes[1]
    response = client.post(f"{METHODS}/{second}/verplaatsen", data={"direction": "up"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#optie-{second}")
    page = _text(client.get(response.headers["Location"]))
    assert f"staat nu op plaats 1 van {len(codes)}" in page
    assert _codes(app, "referral_methods") == [second, codes[0], *codes[2:]]
    assert [p for _, _, p, _ in _stored(app, "referral_methods")] == list(range(len(codes)))

    client.post(f"{METHODS}/{second}/verplaatsen", data={"direction": "down"})
    client.post(f"{METHODS}/{second}/verplaatsen", data={"direction": "down"})
    assert _codes(app, "referral_methods") == [codes[0], codes[2], second, *codes[3:]]
    # At the top nothing moves; a wrong direction stores nothing.
    client.post(f"{METHODS}/{codes[0]}/verplaatsen", data={"direction": "up"})
    before = _stored(app, "referral_methods")
    bad = client.post(f"{METHODS}/{codes[0]}/verplaatsen", data={"direction": "zijwaarts"},
                      follow_redirects=True)
    assert "Kies omhoog of omlaag." in _text(bad)
    assert _stored(app, "referral_methods") == before
    assert client.post(f"{METHODS}/bestaat-niet/verplaatsen", data={"direction": "up"}).status_code == 404
    # The desk form shows the new order.
    login_as("frontoffice")
    desk = client.get("/verwijzingen/nieuw").get_data(as_text=True)
    on_form = re.findall(r'name="method"[^>]*value="([^"]+)"', desk)
    assert on_form == [codes[0], codes[2], second, *codes[3:]]


def test_list_page_buttons_are_real_buttons_with_names(app, client, login_as):
    """Keyboard: every action is a link or a button (Tab, Enter), named with its option."""
    login_as("admin")
    page = client.get(METHODS).get_data(as_text=True)
    codes = _codes(app, "referral_methods")
    rows = re.findall(r'<tr id="optie-([^"]+)".*?</tr>', page, re.S)
    assert rows == codes
    first = re.search(rf'<tr id="optie-{codes[0]}".*?</tr>', page, re.S).group(0)
    last = re.search(rf'<tr id="optie-{codes[-1]}".*?</tr>', page, re.S).group(0)
    assert 'value="up"' not in first and 'value="down"' in first
    assert 'value="down"' not in last and 'value="up"' in last
    assert re.search(r'<button type="submit" name="direction" value="down"[^>]*>Omlaag'
                     r'<span class="visually-hidden">: [^<]+</span></button>', first)


def test_list_actions_need_the_admin_role_and_csrf(app, csrf_app, client, login_as):
    for role in ("specialist", "frontoffice"):
        login_as(role)
        assert client.get(f"{PURPOSES}/opvoeden/naam").status_code == 403
        assert client.post(f"{PURPOSES}/opvoeden/naam", data={"label": "X"}).status_code == 403
        assert client.post(f"{PURPOSES}/opvoeden/verplaatsen", data={"direction": "up"}).status_code == 403
    assert _stored(app, "referral_purposes") == []
    # With CSRF on: a post without the token changes nothing, every form on the page has one.
    other = csrf_app.test_client()
    with csrf_app.app_context():
        email = make_user("admin").email
    login_page = other.get("/inloggen").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    other.post("/inloggen", data={"email": email, "password": PASSWORD, "csrf_token": token})
    for url in (PURPOSES, f"{PURPOSES}/opvoeden/naam"):
        page = other.get(url).get_data(as_text=True)
        forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", page, re.S)
        assert forms and all(re.search(r'name="csrf_token"[^>]*value="[^"]+"', f) for f in forms), url
    assert other.post(f"{PURPOSES}/opvoeden/verplaatsen", data={"direction": "up"}).status_code == 400
    assert other.post(f"{PURPOSES}/opvoeden/naam", data={"label": "X"}).status_code == 400
