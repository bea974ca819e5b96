"""Composition root: ``create_app`` (standalone) and ``CRMPlugin`` (mounted in a host app).

This is the one module of ``crm`` that imports the other packages, to register their
blueprints and let them announce themselves in the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Config, Flask, current_app, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import NotFound

from crm import audit, config, permissions, roles
from crm.extensions import login_manager, migrate, sqla
from crm.registry import Registry
from crm.sqlite import configure_sqlite_engine

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")
ERROR_CODES = (400, 403, 404, 405, 413, 422, 429, 500)


@dataclass
class CRMState:
    """Per-app state of the plugin, kept in ``app.extensions["crm"]``."""

    db: Any
    registry: Registry
    role_for: Callable[[Any], str | None]
    standalone: bool
    url_prefix: str
    blueprint_names: set[str] = field(default_factory=set)


def _standalone_role(user) -> str | None:
    return user.role if getattr(user, "active", False) else None


class CRMPlugin:
    """The gezinsaanpak CRM as a Flask extension.

    ``CRMPlugin().init_app(app, url_prefix="/gezinsaanpak", role_for=fn)`` mounts the
    whole product in a host app that has its own users and Flask-Login; ``role_for``
    maps a host user to ``admin``, ``specialist``, ``frontoffice`` or None. Pass the
    host's Flask-SQLAlchemy instance as ``db`` to share its engine and session.
    Without ``role_for`` the plugin runs standalone with its own users and login.
    """

    def __init__(self, app: Flask | None = None, **options):
        if app is not None:
            self.init_app(app, **options)

    def init_app(
        self,
        app: Flask,
        url_prefix: str = "/gezinsaanpak",
        role_for: Callable[[Any], str | None] | None = None,
        db=None,
    ) -> None:
        standalone = role_for is None
        configure_defaults(app)
        database = configure_database(app, db, standalone)
        registry = Registry()
        state = CRMState(
            db=database,
            registry=registry,
            role_for=role_for or _standalone_role,
            standalone=standalone,
            url_prefix=url_prefix.rstrip("/"),
        )
        app.extensions["crm"] = state
        if standalone:
            configure_login(app)
        elif not hasattr(app, "login_manager"):
            raise RuntimeError("De host-app heeft Flask-Login nodig voor de plugin.")
        register_packages(app, state)
        configure_templates(app)
        configure_security(app, state)
        configure_errors(app, state)
        register_cli(app)


def configure_defaults(app: Flask) -> None:
    for key in dir(config.DefaultConfig):
        if key.isupper():
            app.config.setdefault(key, getattr(config.DefaultConfig, key))
    if not app.config.get("CRM_DATABASE_URL"):
        app.config["CRM_DATABASE_URL"] = app.config.get(
            "SQLALCHEMY_DATABASE_URI"
        ) or config.default_database_url(app.instance_path)


def configure_database(app: Flask, host_db=None, standalone: bool = True):
    """Use the host's Flask-SQLAlchemy instance when given or present; else our own."""
    database = host_db or app.extensions.get("sqlalchemy")
    if database is None:
        app.config.setdefault("SQLALCHEMY_DATABASE_URI", app.config["CRM_DATABASE_URL"])
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        if url.startswith("sqlite"):
            options.setdefault("connect_args", {"timeout": 10})
        else:
            options.setdefault("pool_pre_ping", True)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
        sqla.init_app(app)
        database = sqla
    if url_is_sqlite(app):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    with app.app_context():
        configure_sqlite_engine(database.engine)
    audit.install_listener()
    if standalone:
        # ``flask db upgrade``; a host keeps its own Flask-Migrate and runs ``flask crm upgrade``.
        migrate.init_app(app, database, directory=MIGRATIONS_DIR)
    return database


def url_is_sqlite(app: Flask) -> bool:
    return str(app.config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite")


def configure_login(app: Flask) -> None:
    from crm.auth.services import load_user

    login_manager.init_app(app)
    login_manager.login_view = "crm.login"
    login_manager.login_message = "Log in om deze pagina te zien."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)


def register_packages(app: Flask, state: CRMState) -> None:
    """Import every package, let it register in the registry, mount its blueprint."""
    import_models()
    for package in _packages():
        package.register(state.registry)
        blueprint = package.make_blueprint()
        prepare_blueprint(blueprint)
        prefix = state.url_prefix + getattr(package, "URL_PREFIX", "")
        app.register_blueprint(blueprint, url_prefix=prefix or None)
        state.blueprint_names.add(blueprint.name)


def configure_templates(app: Flask) -> None:
    from crm import web

    @app.context_processor
    def _crm_context():
        state = current_app.extensions["crm"]
        # Standalone, every page is the plugin's: also the 404 of an unknown address, which
        # belongs to no blueprint, keeps the menu and the way back.
        if request.blueprint not in state.blueprint_names and not state.standalone \
                and not _under_prefix(state):
            return {}
        role = permissions.current_role()
        return {
            "crm_role": role,
            "crm_role_label": roles.ROLE_LABELS.get(role, ""),
            "crm_menu": state.registry.menu_for(role),
            "crm_standalone": state.standalone,
        }

    app.jinja_env.globals.setdefault("csrf_token", generate_csrf)
    app.add_template_filter(web.nl_date, "nl_date")
    app.add_template_filter(web.nl_datetime, "nl_datetime")
    app.add_template_filter(web.nl_time, "nl_time")
    app.add_template_filter(web.nl_count, "nl_count")


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors {frame_ancestors}"
)


def configure_security(app: Flask, state: CRMState) -> None:
    @app.before_request
    def _bind_actor():
        if request.blueprint in state.blueprint_names:
            from crm.auth.services import current_account

            # Per request, also when a test keeps one app context open across requests.
            for key in ("crm_account", "crm_role", "crm_actor_id", "crm_actor_label"):
                g.pop(key, None)
            account = current_account()
            if account is not None:
                g.crm_actor_id, g.crm_actor_label = account.id, account.name
            elif not state.standalone and current_user and current_user.is_authenticated:
                # A host user without a role here: a refusal is still logged under their name.
                from crm.auth.services import host_identity

                g.crm_actor_label = host_identity(current_user).name

    @app.after_request
    def _security_headers(response):
        if not state.standalone and request.blueprint not in state.blueprint_names \
                and not _under_prefix(state):  # the plugin's own 404 under its prefix counts too
            return response
        headers = response.headers
        headers.setdefault(
            "Content-Security-Policy",
            CSP.format(frame_ancestors=app.config["CRM_FRAME_ANCESTORS"]),
        )
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure and app.config["CRM_HSTS_SECONDS"]:
            headers.setdefault("Strict-Transport-Security", f"max-age={app.config['CRM_HSTS_SECONDS']}")
        # Pages of the plugin show names and notes: never keep them in a cache.
        if not request.path.startswith(f"{state.url_prefix}/assets/"):
            headers["Cache-Control"] = "no-store"
        return response


def render_error(error):
    """Dutch error page for every HTTP error of the plugin; a 500 rolls back first."""
    code = getattr(error, "code", 500) or 500
    if isinstance(error, CSRFError):
        code = 400
    if code == 500:
        current_app.extensions["crm"].db.session.rollback()
    return render_template("crm/error.html", code=code, csrf=isinstance(error, CSRFError)), code


def _install_error_handlers(target) -> None:
    for code in ERROR_CODES:
        target.register_error_handler(code, render_error)
    target.register_error_handler(CSRFError, render_error)


def prepare_blueprint(blueprint) -> None:
    """Policy check and Dutch error pages on a plugin blueprint, once per blueprint object
    (blueprints are module singletons and outlive an app, e.g. in tests)."""
    permissions.protect_blueprint(blueprint)
    if not getattr(blueprint, "_crm_error_handlers", False):
        _install_error_handlers(blueprint)
        blueprint._crm_error_handlers = True


def _under_prefix(state: CRMState) -> bool:
    """Whether this request's address is under the plugin's prefix (in a host app)."""
    prefix = state.url_prefix
    return bool(prefix) and (request.path == prefix or request.path.startswith(prefix + "/"))


def configure_errors(app: Flask, state: CRMState) -> None:
    """Standalone, the whole app gets the Dutch error pages (also for unknown URLs);
    in a host only the plugin's blueprints have them (see ``prepare_blueprint``), and an
    unknown address under the plugin's prefix gets the Dutch 404 as well."""
    if state.standalone:
        _install_error_handlers(app)
    elif state.url_prefix:
        # An unknown address under the plugin's prefix gets the Dutch page. A catch-all rule
        # (matched only when no other rule does) instead of an app-wide 404 handler, so the
        # host's own error handling stays exactly as it was.
        def unknown_address(rest: str):
            return render_error(NotFound())

        app.add_url_rule(f"{state.url_prefix}/<path:rest>", "crm_unknown_address", unknown_address)


def register_cli(app: Flask) -> None:
    from crm.cli import crm_cli

    if "crm" not in app.cli.commands:
        app.cli.add_command(crm_cli)


def create_app(test_config: dict | object | None = None, instance_path: str | None = None) -> Flask:
    """The standalone app: its own users and login, SQLite by default. ``instance_path`` is
    where ``crm.cfg``, ``secret_key`` and the SQLite file live (default: ``instance/``)."""
    app = Flask("crm", instance_path=instance_path, instance_relative_config=True, static_folder=None)
    app.config.from_object(config.DefaultConfig)
    from_file = Config(app.instance_path)  # kept apart: its keys count as set explicitly
    from_file.from_pyfile("crm.cfg", silent=True)
    app.config.update(from_file)
    config.load_environment(app.config)
    if test_config is not None:
        if isinstance(test_config, dict):
            app.config.update(test_config)
        else:
            app.config.from_object(test_config)
    if app.config.get("CRM_ENV") == "production":
        explicit = set(from_file) | config.environment_keys() | set(
            test_config if isinstance(test_config, dict) else ())
        config.production_defaults(app.config, explicit)
        config.read_secret_key(app.config, app.instance_path)
        config.check_production(app.config)  # before a key is generated: production brings its own
    config.ensure_secret_key(app.config, app.instance_path)
    if app.config.get("CRM_PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = int(app.config["CRM_PROXY_COUNT"])  # the real client address for the login throttle
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    CRMPlugin().init_app(app, url_prefix=app.config["CRM_URL_PREFIX"])
    return app



def _packages():
    import collaboration
    import content
    import lobby
    from crm import core

    return (core, content, collaboration, lobby)


def import_models() -> None:
    """Import every package's models so ``Base.metadata`` knows all tables (for Alembic)."""
    import importlib

    for package in _packages():
        for name in getattr(package, "MODEL_MODULES", ()):
            importlib.import_module(name)
