"""Configuration in layers: defaults, then the instance file, then environment variables."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - the default the production config refuses


class DefaultConfig:
    SECRET_KEY = None  # generated into the instance folder on first run
    CRM_DATABASE_URL = None  # default: SQLite file in the instance folder
    CRM_URL_PREFIX = ""
    CRM_TIMEZONE = "Europe/Amsterdam"
    CRM_LIBRARY_NAME = "De bibliotheek"  # the library as a party in the samenwerkingsscan
    CRM_PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a password
    CRM_LOGIN_MAX_FAILURES = 5
    CRM_LOGIN_WINDOW_MINUTES = 15
    CRM_LOGIN_IP_MAX_FAILURES = 30
    #: Failures for one account from all addresses together (someone guessing from many places).
    CRM_LOGIN_ACCOUNT_MAX_FAILURES = 50
    CRM_SESSION_HOURS = 12
    CRM_MAX_UPLOAD_MB = 5
    CRM_PER_PAGE = 25
    CRM_FRAME_ANCESTORS = "'self'"
    CRM_PROXY_COUNT = 0  # proxies in front (nginx: 1); their X-Forwarded-* headers are trusted
    #: Strict-Transport-Security on answers over https: browsers then never use plain http
    #: for this site again (0: not sent). Production sends it for a year.
    CRM_HSTS_SECONDS = 0
    # The plugin's own CSRF check (crm.permissions) on every POST of its pages; a host's
    # WTF_CSRF_* settings stay the host's. A token lives as long as a login session.
    CRM_CSRF_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "crm_session"
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}


class ProductionConfig(DefaultConfig):
    """Applied on top of the defaults when ``CRM_ENV=production`` (see ``production_defaults``)."""

    CRM_ENV = "production"
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    CRM_HSTS_SECONDS = 365 * 24 * 3600
    DEBUG = False


def production_defaults(config: dict, explicit: set[str]) -> None:
    """The production settings, except those set explicitly in ``instance/crm.cfg``, the
    environment or by the caller (to try production over plain http on your own machine,
    put ``SESSION_COOKIE_SECURE = False`` in ``instance/crm.cfg``)."""
    for key, value in vars(ProductionConfig).items():
        if key.isupper() and key not in explicit:
            config[key] = value


def environment_keys() -> set[str]:
    """The settings ``load_environment`` (and Flask, for debug) takes from the environment."""
    keys = {name for name in os.environ if name.startswith("CRM_")}
    if os.environ.get("SECRET_KEY"):
        keys.add("SECRET_KEY")
    if os.environ.get("FLASK_DEBUG"):
        keys.add("DEBUG")  # so check_production still refuses debug in production
    return keys


def read_secret_key(config: dict, instance_path: str) -> None:
    """Use an existing ``instance/secret_key`` (an installation that began without one set),
    but never make one: production brings its own key."""
    path = Path(instance_path) / "secret_key"
    if not config.get("SECRET_KEY") and path.exists():
        config["SECRET_KEY"] = path.read_text().strip()


class TestConfig(DefaultConfig):
    TESTING = True
    SECRET_KEY = "test-secret-key-for-the-suite"  # noqa: S105
    CRM_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - fast hashing for tests
    CRM_CSRF_ENABLED = False  # tests post forms directly; csrf_app and the security tests switch it on


def load_environment(config: dict) -> None:
    """Apply ``CRM_*`` variables (JSON values where they parse), ``SECRET_KEY`` and ``DATABASE_URL``."""
    for name, raw in os.environ.items():
        if not name.startswith("CRM_"):
            continue
        try:
            config[name] = json.loads(raw)
        except ValueError:
            config[name] = raw
    if os.environ.get("SECRET_KEY"):
        config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        config["CRM_DATABASE_URL"] = os.environ["DATABASE_URL"]


def ensure_secret_key(config: dict, instance_path: str) -> None:
    """Read or create ``instance/secret_key`` when no key is configured."""
    if config.get("SECRET_KEY"):
        return
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    config["SECRET_KEY"] = path.read_text().strip()


def check_production(config: dict) -> None:
    """Refuse to run production with a missing or development secret key, or with debug on."""
    key = config.get("SECRET_KEY")
    if not key or key in (DEV_SECRET_KEY, "dev", TestConfig.SECRET_KEY) or len(key) < 24:
        raise RuntimeError(
            "Productie heeft een eigen SECRET_KEY nodig (minstens 24 tekens); "
            "zet SECRET_KEY in de omgeving of in instance/crm.cfg."
        )
    if config.get("DEBUG"):
        raise RuntimeError("Productie mag niet met DEBUG aan draaien.")


def default_database_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "crm.sqlite")
