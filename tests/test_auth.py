"""Login, sessions and the throttle (QUALITY.md 5, 7, 8)."""

from __future__ import annotations

from sqlalchemy import func, select

from crm.auth.models import LoginAttempt, LoginSession
from crm.db import db
from tests.fixtures.app import make_app
from tests.fixtures.users import PASSWORD, login, make_user


def _user(app, role="specialist", **kw):
    with app.app_context():
        user = make_user(role, **kw)
        return user.id, user.email


def test_login_lands_on_start_page(app, client):
    _, email = _user(app)
    response = login(client, email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Goedendag" in page and "Uitloggen" in page


def test_wrong_password_and_unknown_user_get_the_same_dutch_message(app, client):
    _, email = _user(app)
    for address, password in ((email, "verkeerd-wachtwoord-123"), ("niemand@bieb.example", PASSWORD)):
        response = login(client, address, password)
        assert response.status_code == 422
        assert "Het e-mailadres of het wachtwoord klopt niet." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_missing_fields_are_reported_at_the_field(client):
    response = client.post("/inloggen", data={"email": "", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul je e-mailadres in." in page and "Vul je wachtwoord in." in page
    assert 'href="#email"' in page  # the error summary links to the field


def test_session_token_changes_at_login_and_dies_at_logout(app, client):
    _, email = _user(app)
    login(client, email)
    first = client.get_cookie("crm_session").value
    client.post("/uitloggen")
    assert client.get("/").status_code == 302
    login(client, email)
    second = client.get_cookie("crm_session").value
    assert first != second
    # Replaying the cookie of the first (logged out) session does not work.
    client.set_cookie("crm_session", first)
    assert client.get("/").status_code == 302


def test_replaying_a_cookie_after_logout_fails(app, client):
    _, email = _user(app)
    login(client, email)
    cookie = client.get_cookie("crm_session").value
    client.post("/uitloggen")
    other = app.test_client()
    other.set_cookie("crm_session", cookie)
    assert other.get("/").status_code == 302


def test_disabled_account_loses_its_session(app, client, login_as):
    user_id, email = _user(app)
    login(client, email)
    assert client.get("/").status_code == 200
    admin = app.test_client()
    login_as("admin", admin)
    admin.post(f"/beheer/gebruikers/{user_id}/actief")
    assert client.get("/").status_code == 302
    assert login(client, email).status_code == 422


def test_next_only_goes_to_a_local_path(app, client):
    _, email = _user(app)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(f"/inloggen?next={target}", data={"email": email, "password": PASSWORD})
        assert response.headers["Location"] == "/", target
        client.post("/uitloggen")
    response = client.post("/inloggen?next=/beheer/logboek", data={"email": email, "password": PASSWORD})
    assert response.headers["Location"] == "/beheer/logboek"


def test_failed_logins_are_throttled_across_workers(app, db_url, client):
    _, email = _user(app)
    for _ in range(5):
        assert login(client, email, "nog-steeds-fout-123").status_code == 422
    # A second app instance on the same database stands for another gunicorn worker.
    other_worker = make_app(db_url)
    response = login(other_worker.test_client(), email)  # even the right password
    assert response.status_code == 429
    assert "te vaak een verkeerd wachtwoord" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 5


def test_no_password_or_email_in_the_attempt_table(app, client):
    _, email = _user(app)
    login(client, email, "geheim-fout-wachtwoord")
    with app.app_context():
        attempt = db.session.scalars(select(LoginAttempt)).one()
        assert email not in attempt.account_key and len(attempt.account_key) == 64


def test_cookie_flags(app, client):
    _, email = _user(app)
    response = login(client, email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_session_is_stored_as_hash(app, client):
    _, email = _user(app)
    login(client, email)
    with app.app_context():
        row = db.session.scalars(select(LoginSession)).one()
        assert len(row.token_hash) == 64


def test_guesses_from_one_address_do_not_lock_the_owner_out_elsewhere(app, db_url, client):
    """Five wrong passwords for a colleague's e-mail close that account for the guesser's
    address only; many failures from many addresses close it for everyone."""
    from tests.fixtures.app import dispose, make_app

    _, email = _user(app)
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for _ in range(5):
        assert login(guesser, email, "nog-steeds-fout-123").status_code == 422
    assert login(guesser, email).status_code == 429
    client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert login(client, email).status_code == 302  # the owner, at the library
    client.post("/uitloggen")
    strict = make_app(db_url, CRM_LOGIN_ACCOUNT_MAX_FAILURES=6)
    spread = strict.test_client()
    spread.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    assert login(spread, email, "weer-een-fout-123").status_code == 422  # the sixth failure
    owner = strict.test_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert login(owner, email).status_code == 429
    dispose(strict)


def test_an_unknown_address_costs_a_password_check_too(app, client, monkeypatch):
    """The time of a failed login must not tell whether the e-mail has an account."""
    import crm.auth.services as auth

    checked = []
    real = auth.check_password_hash
    monkeypatch.setattr(auth, "check_password_hash", lambda h, p: checked.append(h) or real(h, p))
    _, email = _user(app)
    login(client, email, "fout-fout-fout-1")
    login(client, "niemand@bieb.example", "fout-fout-fout-1")
    assert len(checked) == 2 and checked[0].split("$")[0] == checked[1].split("$")[0]  # same method
