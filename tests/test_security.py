"""Security contracts: headers, CSRF, no change on GET, escaping, error pages, production
config (QUALITY.md 4, 10, 13, 14)."""

from __future__ import annotations

import re

import pytest
from flask import url_for
from sqlalchemy import select

from crm.config import ProductionConfig, check_production
from crm.db import Base, db
from crm.permissions import PUBLIC, policy_table
from tests.fixtures.users import PASSWORD, make_user
from tests.fixtures.world import build_world

XSS = '<script>alert("x")</script>"onmouseover="alert(1)'
SKIP_COUNT = {"crm_audit_entry", "crm_login_attempt", "crm_login_session", "crm_user"}


def _urls(app, world, methods=("GET",)):
    table = policy_table(app)
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint not in table or rule.endpoint == "crm.static":
                continue
            if not set(methods) & rule.methods:
                continue
            if any(a not in world for a in rule.arguments if a not in (rule.defaults or {})):
                continue
            yield rule, url_for(rule.endpoint, **{a: world[a] for a in rule.arguments if a in world})


def _row_counts():
    """Row count and a digest of the content of every table (so an UPDATE shows too)."""
    import hashlib

    counts = {}
    for table in Base.metadata.sorted_tables:
        if table.name in SKIP_COUNT:
            continue
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
        counts[table.name] = (len(rows), digest)
    return counts


def test_security_headers_on_every_page(app, client, login_as):
    login_as("admin")
    for path in ("/", "/inloggen", "/beheer/gebruikers", "/bestaat-niet"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        for part in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'self'"):
            assert part in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]
        assert headers["Cache-Control"] == "no-store"


def test_no_inline_script_in_pages(app, client, login_as, world):
    login_as("admin")
    for rule, url in _urls(app, world):
        if PUBLIC in policy_table(app)[rule.endpoint] and "uitnodiging" in url:
            continue
        response = client.get(url)
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html, f"inline style attribute on {url}"
        assert " onclick=" not in html and " onload=" not in html, url


def test_every_chart_is_an_svg_that_can_run_nothing(app, client, login_as, world):
    """Every chart of every package goes out through crm.charts.svg_response."""
    from crm.charts import SVG_CSP

    login_as("admin")
    table = policy_table(app)
    charts = [(rule, url) for rule, url in _urls(app, world)
              if rule.rule.endswith(".svg") and "admin" in table[rule.endpoint]]
    assert len(charts) >= 8, [u for _r, u in charts]
    for _rule, url in charts:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "image/svg+xml", url
        assert response.headers["Content-Security-Policy"] == SVG_CSP, url
        assert response.get_data(as_text=True).lstrip().startswith("<?xml"), url


@pytest.mark.parametrize("role", ["admin", "specialist", "frontoffice"])
def test_get_never_changes_the_database(app, client, login_as, world, role):
    login_as(role)
    with app.app_context():
        before = _row_counts()
    for rule, url in _urls(app, world):
        client.get(url)
    with app.app_context():
        assert _row_counts() == before


def test_csrf_is_required_on_every_post(csrf_app, world):
    client = csrf_app.test_client()
    with csrf_app.app_context():
        email = make_user("admin").email
    page = client.get("/inloggen").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    # Without the token even the login form is refused.
    assert client.post("/inloggen", data={"email": email, "password": PASSWORD}).status_code == 400
    response = client.post("/inloggen", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    with csrf_app.app_context():
        before = _row_counts()
    checked = 0
    for _rule, url in _urls(csrf_app, world, methods=("POST",)):
        response = client.post(url, data={"name": "x"})
        assert response.status_code == 400, url
        assert "Het formulier was verlopen" in response.get_data(as_text=True)
        checked += 1
    assert checked >= 5
    with csrf_app.app_context():
        assert _row_counts() == before


def test_a_form_left_open_for_days_can_still_be_saved(app, csrf_app, monkeypatch):
    """The token lives as long as the session: a partner over the scan for days, a desk all day."""
    import itsdangerous.timed

    client = csrf_app.test_client()
    with csrf_app.app_context():
        email = make_user("specialist").email
    page = client.get("/inloggen").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    later = itsdangerous.timed.time.time() + 3 * 24 * 3600
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    response = client.post("/inloggen", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    # a token of another session is still refused
    other = csrf_app.test_client()
    other.get("/inloggen")
    assert other.post("/inloggen", data={"email": email, "password": PASSWORD,
                                         "csrf_token": token}).status_code == 400


@pytest.mark.parametrize("role", ["admin", "specialist", "frontoffice"])
def test_every_post_form_on_every_page_carries_the_csrf_token(csrf_app, world, role):
    """A form without the token can never be saved (the policy check refuses it with 400),
    so every POST form of every page a role can open must carry it."""
    client = csrf_app.test_client()
    with csrf_app.app_context():
        email = make_user(role).email
    page = client.get("/inloggen").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/inloggen", data={"email": email, "password": PASSWORD, "csrf_token": token})
    forms_seen = 0
    for rule, url in _urls(csrf_app, world):
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        for form in re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S | re.I):
            if not re.search(r'method="post"', form, flags=re.I):
                continue
            forms_seen += 1
            assert re.search(r'name="csrf_token"[^>]*value="[^"]+"', form), (url, form[:300])
    assert forms_seen >= (20 if role != "frontoffice" else 3)


def test_stored_markup_is_escaped_everywhere(app, client, login_as):
    with app.app_context():
        xss_world = build_world(XSS)
    login_as("admin")
    for _rule, url in _urls(app, xss_world):
        response = client.get(url)
        if response.mimetype == "text/html":
            assert '<script>alert("x")' not in response.get_data(as_text=True), url
            assert '"onmouseover="alert(1)' not in response.get_data(as_text=True), url


def test_error_pages_are_dutch(app, client, login_as):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404 and "Pagina niet gevonden" in response.get_data(as_text=True)
    login_as("frontoffice")
    response = client.get("/beheer/gebruikers")
    assert response.status_code == 403 and "Geen toegang" in response.get_data(as_text=True)
    # An unknown address belongs to no page of the plugin, yet keeps the menu and a way back.
    page = client.get("/bestaat-niet").get_data(as_text=True)
    assert "Naar de startpagina" in page and "Uitloggen" in page and "Verwijzingen" in page


def test_forbidden_requests_are_audited(app, client, login_as):
    from crm.audit import AuditEntry

    login_as("frontoffice")
    client.get("/beheer/logboek")
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "forbidden")).one()
        assert entry.record_type == "crm.admin_audit"


def test_production_config_refuses_development_key(tmp_path):
    from crm import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"CRM_ENV": "production", "SECRET_KEY": "dev",
                    "CRM_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"})
    with pytest.raises(RuntimeError, match="DEBUG"):
        check_production({"SECRET_KEY": "x" * 40, "DEBUG": True})
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.DEBUG is False
    check_production({"SECRET_KEY": "a-real-production-secret-of-good-length", "DEBUG": False})


def test_over_https_production_tells_browsers_to_stay_on_https(app, db_url):
    from tests.fixtures.app import dispose, make_app

    plain = app.test_client().get("/inloggen", base_url="https://bieb.example")
    assert "Strict-Transport-Security" not in plain.headers  # not by default (development)
    production = make_app(db_url, CRM_HSTS_SECONDS=ProductionConfig.CRM_HSTS_SECONDS)
    client = production.test_client()
    assert client.get("/inloggen", base_url="https://bieb.example").headers[
        "Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/inloggen").headers  # plain http: never
    dispose(production)


def test_secret_key_is_generated_into_the_instance_folder(tmp_path, monkeypatch):
    from crm.config import ensure_secret_key

    monkeypatch.delenv("SECRET_KEY", raising=False)
    config: dict = {"SECRET_KEY": None}
    ensure_secret_key(config, str(tmp_path))
    stored = (tmp_path / "secret_key").read_text()
    assert config["SECRET_KEY"] == stored and len(stored) == 64
    again: dict = {}
    ensure_secret_key(again, str(tmp_path))
    assert again["SECRET_KEY"] == stored


def test_environment_overrides_config(tmp_path, monkeypatch):
    from crm import create_app

    monkeypatch.setenv("CRM_PER_PAGE", "50")
    monkeypatch.setenv("CRM_TIMEZONE", "Europe/Amsterdam")
    app = create_app({"TESTING": True, "CRM_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite",
                      "SECRET_KEY": "k" * 32})
    assert app.config["CRM_PER_PAGE"] == 50


def test_production_settings_are_applied_and_a_missing_key_is_refused(tmp_path, monkeypatch):
    from crm import create_app

    url = f"sqlite:///{tmp_path}/x.sqlite"
    instance = tmp_path / "instance"
    instance.mkdir()
    key = "a-real-production-secret-of-good-length"
    monkeypatch.setenv("CRM_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"CRM_DATABASE_URL": url}, instance_path=str(instance))  # never made up
    assert not (instance / "secret_key").exists()
    app = create_app({"CRM_DATABASE_URL": url, "SECRET_KEY": key}, instance_path=str(instance))
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["PREFERRED_URL_SCHEME"] == "https"
    with app.app_context():
        Base.metadata.create_all(db.engine)
    assert "Secure" in app.test_client().get("/inloggen").headers["Set-Cookie"]
    # An installation that began with a generated key keeps starting with it.
    (instance / "secret_key").write_text(key)
    assert create_app({"CRM_DATABASE_URL": url}, instance_path=str(instance)).config["SECRET_KEY"] == key
    # An explicit setting in instance/crm.cfg wins: production over plain http on your machine.
    (instance / "crm.cfg").write_text("import os\nSESSION_COOKIE_SECURE = False\nHERE = os.path.dirname(__file__)\n")
    assert create_app({"CRM_DATABASE_URL": url}, instance_path=str(instance)).config["SESSION_COOKIE_SECURE"] is False
    # Debug switched on through the environment is still refused in production.
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="DEBUG"):
        create_app({"CRM_DATABASE_URL": url}, instance_path=str(instance))


def test_a_faked_forwarded_address_is_ignored_without_a_proxy(app, db_url):
    from tests.fixtures.app import dispose, make_app

    app = make_app(db_url, CRM_LOGIN_IP_MAX_FAILURES=3)  # CRM_PROXY_COUNT stays 0
    client = app.test_client()
    with app.app_context():
        email = make_user("frontoffice").email
    for i in range(4):  # each guess claims another address; without a proxy they all count
        client.post("/inloggen", data={"email": f"raden{i}@bieb.example", "password": "fout-fout-fout"},
                    headers={"X-Forwarded-For": f"203.0.113.{i}"})
    response = client.post("/inloggen", data={"email": email, "password": PASSWORD},
                           headers={"X-Forwarded-For": "198.51.100.7"})
    assert response.status_code == 429
    dispose(app)


def test_behind_a_proxy_the_login_throttle_counts_the_real_client(app, db_url):
    from tests.fixtures.app import dispose, make_app

    app = make_app(db_url, CRM_PROXY_COUNT=1, CRM_LOGIN_IP_MAX_FAILURES=3)
    client = app.test_client()
    with app.app_context():
        email = make_user("frontoffice").email
    for i in range(4):  # somebody at 203.0.113.5 guesses, with other e-mail addresses
        client.post("/inloggen", data={"email": f"raden{i}@bieb.example", "password": "fout-fout-fout"},
                    headers={"X-Forwarded-For": "203.0.113.5"})
    response = client.post("/inloggen", data={"email": email, "password": PASSWORD},
                           headers={"X-Forwarded-For": "198.51.100.7"})
    assert response.status_code == 302  # the colleague behind the same proxy can still log in
    response = client.post("/inloggen", data={"email": email, "password": PASSWORD},
                           headers={"X-Forwarded-For": "203.0.113.5"})
    assert response.status_code == 429
    dispose(app)
