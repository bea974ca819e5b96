"""Every user chooses their own password; after an admin set one, before anything else."""

from __future__ import annotations

import re

from sqlalchemy import select

from crm.auth.models import LoginSession, User
from crm.db import db
from tests.fixtures.users import PASSWORD, login, make_user

NEW = "een-zin-die-alleen-ik-ken"


def _change(client, current=PASSWORD, new=NEW, repeat=None):
    return client.post("/account/wachtwoord", data={"current": current, "new": new,
                                                    "repeat": new if repeat is None else repeat})


def test_a_user_changes_their_own_password_and_other_devices_log_out(app, client):
    with app.app_context():
        user = make_user("frontoffice")
        email, uid = user.email, user.id
    phone = app.test_client()
    assert login(phone, email).status_code == 302
    assert login(client, email).status_code == 302
    page = client.get("/account/wachtwoord")
    assert page.status_code == 200 and "Wachtwoord wijzigen" in page.get_data(as_text=True)
    response = _change(client)
    assert response.status_code == 302
    assert "Je wachtwoord is gewijzigd" in client.get("/").get_data(as_text=True)  # still logged in here
    assert phone.get("/").status_code == 302  # the other device is logged out
    with app.app_context():
        assert db.session.scalar(select(LoginSession.id).where(LoginSession.user_id == uid)) is not None
    client.post("/uitloggen")
    assert login(client, email).status_code == 422  # the old password no longer works
    assert login(client, email, NEW).status_code == 302


def test_bad_input_says_what_to_do_and_changes_nothing(app, client, login_as):
    login_as("specialist")
    cases = [
        ({"current": "niet-mijn-wachtwoord"}, "Dit is niet je huidige wachtwoord."),
        ({"new": "kort"}, "Kies een wachtwoord van minstens 12 tekens."),
        ({"repeat": "een-zin-die-anders-is"}, "De twee nieuwe wachtwoorden zijn niet gelijk."),
        ({"new": PASSWORD}, "Kies een ander wachtwoord dan je huidige."),
        ({"current": ""}, "Vul je huidige wachtwoord in."),
    ]
    for changes, message in cases:
        response = _change(client, **changes)
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and message in html, message
        assert NEW not in html  # a password is never written back into the page
    client.post("/uitloggen")
    with app.app_context():
        email = db.session.scalars(select(User.email)).one()
    assert login(client, email).status_code == 302  # the password did not change


def test_after_an_admin_set_the_password_the_user_chooses_their_own_first(app, client, login_as):
    login_as("admin")  # the admin makes an account with a password of their choosing
    response = client.post("/beheer/gebruikers/nieuw", data={
        "email": "nieuw@bieb.example", "name": "Nieuwe Collega", "role": "frontoffice",
        "password": "door-de-beheerder-gekozen", "branch_id": "0"})
    assert response.status_code == 302
    desk = app.test_client()
    assert login(desk, "nieuw@bieb.example", "door-de-beheerder-gekozen").status_code == 302
    start = desk.get("/")
    assert start.status_code == 302 and start.headers["Location"].endswith("/account/wachtwoord")
    assert desk.get("/verwijzingen/nieuw").status_code == 302
    page = desk.get("/account/wachtwoord").get_data(as_text=True)
    assert "Kies eerst een eigen wachtwoord" in page and "door de beheerder gekozen" in page
    assert _change(desk, current="door-de-beheerder-gekozen").status_code == 302
    assert desk.get("/verwijzingen/nieuw").status_code == 200
    with app.app_context():
        assert not db.session.scalars(select(User).where(User.email == "nieuw@bieb.example")).one(
        ).password_must_change


def test_the_change_is_in_the_log_without_the_password(app, client, login_as):
    from crm.audit import AuditEntry

    uid = login_as("specialist")
    assert _change(client).status_code == 302
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_type == "crm_user", AuditEntry.record_id == uid,
            AuditEntry.action == "update")).one()
        assert entry.actor_id == uid and "password_hash" in entry.fields
        assert not any(re.search(NEW, str(f)) for f in entry.fields)


def test_guessing_the_current_password_counts_as_failed_logins(app, client, login_as):
    from crm.audit import AuditEntry

    uid = login_as("specialist")
    for _ in range(5):
        r = _change(client, current="geraden-wachtwoord-1")
        assert r.status_code == 422 and "Dit is niet je huidige wachtwoord." in r.get_data(as_text=True)
    r = _change(client)  # even the right one, now
    assert r.status_code == 429 and "te vaak een verkeerd wachtwoord" in r.get_data(as_text=True)
    with app.app_context():
        failed = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "login_failed", AuditEntry.record_id == uid)).all()
        assert len(failed) == 5
    client.post("/uitloggen")
    with app.app_context():
        email = db.session.get(User, uid).email
    assert login(client, email).status_code == 429  # from this address the account waits too
