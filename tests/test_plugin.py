"""The plugin in a minimal host app with its own users, login and Flask-SQLAlchemy."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest
from flask import Flask, redirect, request
from flask_login import LoginManager, UserMixin, login_user
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import inspect, text
from sqlalchemy.orm import Mapped, mapped_column

from crm import CRMPlugin
from crm.db import Base


def build_host(db_uri: str, hand_over_db: bool = True, plugin_csrf: bool = False, json_errors: bool = False):
    """A host platform: its own user table, its own login, its own db instance. The host
    switched Flask-WTF's CSRF off for its own reasons; the plugin's check is off in these
    tests unless ``plugin_csrf``."""
    host_db = SQLAlchemy()

    class HostUser(UserMixin, host_db.Model):
        __tablename__ = "host_user"
        id: Mapped[int] = mapped_column(primary_key=True)
        username: Mapped[str]
        email: Mapped[str]
        group: Mapped[str]

    app = Flask("host")
    app.config.update(SECRET_KEY="host-secret-key-for-tests-only", SQLALCHEMY_DATABASE_URI=db_uri,
                      TESTING=True, WTF_CSRF_ENABLED=False)
    if not plugin_csrf:
        app.config["CRM_CSRF_ENABLED"] = False
    host_db.init_app(app)
    login_manager = LoginManager(app)
    login_manager.login_view = "host_login"

    @login_manager.user_loader
    def load(user_id):
        return host_db.session.get(HostUser, int(user_id))

    @app.route("/login")
    def host_login():
        user = host_db.session.get(HostUser, int(request.args["id"]))
        login_user(user)
        return redirect(request.args.get("next", "/"))

    @app.route("/")
    def host_home():
        return "host home"

    if json_errors:  # a host with its own error handling for every HTTP error
        from werkzeug.exceptions import HTTPException

        @app.errorhandler(HTTPException)
        def host_errors(error):
            return {"error": error.code}, error.code

    groups = {"library": "specialist", "desk": "frontoffice", "boss": "admin"}
    CRMPlugin().init_app(
        app, url_prefix="/gezinsaanpak", role_for=lambda user: groups.get(user.group),
        db=host_db if hand_over_db else None,
    )
    with app.app_context():
        host_db.create_all()
        Base.metadata.create_all(app.extensions["crm"].db.engine)
        host_db.session.add_all([
            HostUser(username="lotte", email="lotte@host.example", group="library"),
            HostUser(username="gast", email="gast@host.example", group="guests"),
        ])
        host_db.session.commit()
    return app, host_db


@pytest.fixture(params=[True, False], ids=["host-db", "own-db"])
def host(tmp_path, request):
    app, host_db = build_host(f"sqlite:///{tmp_path}/host.sqlite", hand_over_db=request.param)
    yield app
    with app.app_context():
        host_db.engine.dispose()
        app.extensions["crm"].db.engine.dispose()


def test_mapped_host_user_reaches_the_plugin(host):
    client = host.test_client()
    assert client.get("/gezinsaanpak/").headers["Location"].startswith("/login")
    client.get("/login?id=1")
    response = client.get("/gezinsaanpak/")
    assert response.status_code == 200
    assert "Goedendag, lotte" in response.get_data(as_text=True)
    assert client.get("/gezinsaanpak/samenwerken/").status_code == 200
    assert client.get("/gezinsaanpak/beheer/gebruikers").status_code == 403
    assert client.get("/").get_data(as_text=True) == "host home"


def test_unmapped_host_user_gets_403(host):
    client = host.test_client()
    client.get("/login?id=2")
    response = client.get("/gezinsaanpak/")
    assert response.status_code == 403
    assert "Geen toegang" in response.get_data(as_text=True)


def test_plugin_writes_audit_with_the_host_user(host):
    from crm.audit import AuditEntry

    client = host.test_client()
    client.get("/login?id=1")
    client.get("/gezinsaanpak/")
    with host.app_context():
        from crm.auth.models import User

        db = host.extensions["crm"].db
        shadow = db.session.query(User).filter_by(external_id="1").one()
        assert shadow.role == "specialist" and shadow.password_hash is None
        assert db.session.query(AuditEntry).filter_by(record_type="crm_user").count() == 1


def test_plugin_keeps_its_own_migration_history(tmp_path):
    app, host_db = build_host(f"sqlite:///{tmp_path}/fresh.sqlite")
    with app.app_context():
        engine = app.extensions["crm"].db.engine
        Base.metadata.drop_all(engine)
    result = app.test_cli_runner().invoke(args=["crm", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(inspect(engine).get_table_names())
        assert "crm_alembic_version" in tables and "alembic_version" not in tables
        assert "host_user" in tables and "crm_partner" in tables
        with engine.connect() as conn:
            assert conn.execute(text("select count(*) from host_user")).scalar() == 2
        host_db.engine.dispose()


def test_entry_point_announces_the_plugin():
    found = {ep.name: ep for ep in entry_points(group="gezinsaanpak.plugins")}
    assert found["crm"].load() is CRMPlugin


def test_host_user_whose_email_a_plugin_account_has_gets_in_without_taking_it_over(host):
    from crm.auth.models import User
    from crm.auth.services import create_user

    with host.app_context():
        db = host.extensions["crm"].db
        create_user("lotte@host.example", "Lotte (oud account)", "admin", "een-lang-genoeg-wachtwoord")
        db.session.commit()
    client = host.test_client()
    client.get("/login?id=1")
    assert client.get("/gezinsaanpak/").status_code == 200
    with host.app_context():
        db = host.extensions["crm"].db
        shadow = db.session.query(User).filter_by(external_id="1").one()
        assert shadow.email == "host-1@host.invalid" and shadow.role == "specialist"
        old = db.session.query(User).filter_by(email="lotte@host.example").one()
        assert old.external_id is None and old.role == "admin"


def test_in_a_host_the_platform_manages_the_accounts(host):
    client = host.test_client()
    with host.app_context():
        host_db = host.extensions["sqlalchemy"]  # the host's own users
        host_db.session.execute(text("UPDATE host_user SET \"group\" = 'boss' WHERE id = 1"))
        host_db.session.commit()
    client.get("/login?id=1")
    page = client.get("/gezinsaanpak/beheer/gebruikers").get_data(as_text=True)
    assert "beheert het platform zelf de accounts" in page and "Nieuwe gebruiker" not in page
    response = client.post("/gezinsaanpak/beheer/gebruikers/1/actief", follow_redirects=True)
    assert "beheert het platform zelf de accounts" in response.get_data(as_text=True)


def test_the_plugin_checks_csrf_whatever_the_host_set_for_its_own_forms(tmp_path):
    app, host_db = build_host(f"sqlite:///{tmp_path}/host.sqlite", plugin_csrf=True)
    assert "WTF_CSRF_TIME_LIMIT" not in app.config  # the host's own tokens keep their default
    client = app.test_client()
    client.get("/login?id=1")
    response = client.post("/gezinsaanpak/contactmomenten/nieuw", data={"summary": "zonder token"})
    assert response.status_code == 400 and "Het formulier was verlopen" in response.get_data(as_text=True)
    with app.app_context():
        host_db.engine.dispose()
        app.extensions["crm"].db.engine.dispose()


def test_unknown_address_under_the_prefix_gets_the_dutch_page_and_the_host_keeps_its_own(host):
    client = host.test_client()
    client.get("/login?id=1")
    response = client.get("/gezinsaanpak/bestaat-niet")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "Pagina niet gevonden" in page and "Naar de startpagina" in page
    assert "<title>Pagina niet gevonden" in page  # the tab says what happened, too
    # the plugin's page, with the plugin's headers (it shows the user's name and menu)
    assert "Content-Security-Policy" in response.headers and response.headers["Cache-Control"] == "no-store"
    response = client.get("/bestaat-niet")
    assert response.status_code == 404 and "Pagina niet gevonden" not in response.get_data(as_text=True)


def test_the_hosts_own_error_handling_stays_its_own(tmp_path):
    app, host_db = build_host(f"sqlite:///{tmp_path}/host.sqlite", json_errors=True)
    client = app.test_client()
    response = client.get("/api/bestaat-niet")
    assert response.status_code == 404 and response.get_json() == {"error": 404}
    client.get("/login?id=1")
    response = client.get("/gezinsaanpak/bestaat-niet")
    assert response.status_code == 404 and "Pagina niet gevonden" in response.get_data(as_text=True)
    with app.app_context():
        host_db.engine.dispose()
        app.extensions["crm"].db.engine.dispose()
