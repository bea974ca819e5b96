"""Accounts: password rules, login with a database-backed throttle, login sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

from flask import current_app, g
from flask_login import current_user
from sqlalchemy import bindparam, delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from crm.audit import record_event
from crm.auth.models import LoginAttempt, LoginSession, User
from crm.db import as_utc, db, utcnow
from crm.errors import RuleError
from crm.roles import USER_ROLES
from crm.sqlite import immediate_writes

MIN_PASSWORD_LENGTH = 12


class AccountError(RuleError):
    """A rule about accounts was broken (see ``crm.errors.RuleError``)."""


class LoginThrottled(Exception):
    """Too many failed logins for this account or address."""


@cache
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
    return frozenset(line.strip().lower() for line in path.read_text().splitlines() if line.strip())


def password_problem(password: str, email: str | None = None) -> str | None:
    """The Dutch reason a password is too weak, or None when it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens."
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        return "Dit wachtwoord wordt veel gebruikt en is makkelijk te raden. Kies een ander."
    if email and email.split("@")[0].lower() in lowered and len(email.split("@")[0]) > 3:
        return "Gebruik je e-mailadres niet in je wachtwoord."
    return None


def generate_password() -> str:
    """A random password that passes the rules (about 96 bits)."""
    return secrets.token_urlsafe(12)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["CRM_PASSWORD_HASH_METHOD"])


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _key(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


# -- users ---------------------------------------------------------------------
def create_user(
    email: str, name: str, role: str, password: str | None = None, branch_id: int | None = None,
    must_change: bool = False,
) -> tuple[User, str | None]:
    """Create an account. Returns the user and the generated password, if one was made.
    ``must_change``: made by an admin for someone else, who chooses their own at first login."""
    email = normalise_email(email)
    if role not in USER_ROLES:
        raise AccountError("Kies een rol: beheerder, specialist of frontoffice.", "role")
    if find_user_by_email(email):
        raise AccountError("Er is al een account met dit e-mailadres.", "email")
    generated = None
    if password is None:
        password = generated = generate_password()
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem, "password")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        password_hash=hash_password(password),
        branch_id=branch_id,
        password_must_change=must_change,
    )
    db.session.add(user)
    db.session.flush()
    return user, generated


def role_change_problem(user: User, role: str) -> str | None:
    """Why this user may not get this role (a Dutch sentence), or None; changes nothing."""
    if role not in USER_ROLES:
        return "Kies een rol: beheerder, specialist of frontoffice."
    if user.role == "admin" and role != "admin" and _is_last_admin(user):
        return "Dit is de laatste actieve beheerder; die rol blijft nodig."
    return None


def update_user(user: User, name: str, role: str, branch_id: int | None) -> None:
    problem = role_change_problem(user, role)
    if problem:
        raise AccountError(problem, "role")
    user.name = name.strip()
    user.role = role
    user.branch_id = branch_id
    db.session.flush()


def _is_last_admin(user: User) -> bool:
    others = db.session.scalar(
        select(func.count()).select_from(User).where(
            User.role == "admin", User.active.is_(True), User.id != user.id
        )
    )
    return others == 0


def set_active(user: User, active: bool, actor_id: int | None = None) -> None:
    """Switch an account on or off; ``actor_id`` is whoever does it (nobody switches
    themselves off: it would log them out on the spot, without a way back)."""
    if not active and actor_id is not None and user.id == actor_id:
        raise AccountError("Je kunt je eigen account niet uitschakelen. Vraag dat aan een andere beheerder.")
    if not active and user.role == "admin" and _is_last_admin(user):
        raise AccountError("Dit is de laatste actieve beheerder; die kan niet uit.")
    user.active = active
    if not active:
        db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.flush()


def set_password(user: User, password: str | None = None, must_change: bool = False) -> str | None:
    """Set a new password (or generate one, returned) and end the user's sessions.
    ``must_change``: set by an admin, so the user chooses their own at the next login."""
    generated = None
    if password is None:
        password = generated = generate_password()
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = hash_password(password)
    user.password_must_change = must_change
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.flush()
    return generated


THROTTLED_MESSAGE = ("Er is te vaak een verkeerd wachtwoord ingevuld. Wacht een kwartier en probeer "
                     "het dan opnieuw.")


def wrong_current_password(user: User, current: str, ip: str) -> str | None:
    """Why the current password does not do (wrong, or guessed too often), or None.

    Guessing it counts as a failed login: the same throttle and the same line in the log, so
    someone at a desk left logged in cannot try passwords here instead. The caller commits
    (the failed attempt must stay, also when nothing else is saved)."""
    account_key, ip_key = _key(normalise_email(user.email)), _key(ip or "?")
    if _throttled(account_key, ip_key):
        record_event("login_throttled", "crm_user", user.id)
        return THROTTLED_MESSAGE
    if user.password_hash and check_password_hash(user.password_hash, current):
        return None
    db.session.add(LoginAttempt(account_key=account_key, ip_key=ip_key))
    record_event("login_failed", "crm_user", user.id)
    return "Dit is niet je huidige wachtwoord."


def change_own_password(user: User, current: str, new: str) -> None:
    """The user's own new password (``wrong_current_password`` checked the current one).
    Their other login sessions end (a stolen one, too); this one stays."""
    if current == new:
        raise AccountError("Kies een ander wachtwoord dan je huidige.", "new")
    problem = password_problem(new, user.email)
    if problem:
        raise AccountError(problem, "new")
    user.password_hash = hash_password(new)
    user.password_must_change = False
    keep = _key(user.session_token) if getattr(user, "session_token", None) else ""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id,
                                                  LoginSession.token_hash != keep))
    db.session.flush()


# -- login ---------------------------------------------------------------------
def _recent_failures(*conditions) -> int:
    window = timedelta(minutes=current_app.config["CRM_LOGIN_WINDOW_MINUTES"])
    return db.session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            *conditions, LoginAttempt.created_at >= utcnow() - window
        )
    )


def _throttled(account_key: str, ip_key: str) -> bool:
    """Whether a password for this account from this address may not be tried now: the
    account is closed for the address that guessed wrong (not for its owner elsewhere), an
    address for all accounts after more failures, and an account for everyone only after
    many failures from many addresses. Failures are in the database: one limit for all workers."""
    cfg = current_app.config
    account, address = LoginAttempt.account_key == account_key, LoginAttempt.ip_key == ip_key
    return (
        _recent_failures(account, address) >= cfg["CRM_LOGIN_MAX_FAILURES"]
        or _recent_failures(address) >= cfg["CRM_LOGIN_IP_MAX_FAILURES"]
        or _recent_failures(account) >= cfg["CRM_LOGIN_ACCOUNT_MAX_FAILURES"]
    )


@cache
def _dummy_hash(method: str) -> str:
    """A hash to check a password against when the e-mail is unknown, so that an unknown
    address takes as long as a known one (the time must not tell who has an account)."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def authenticate(email: str, password: str, ip: str) -> User | None:
    """Check the credentials. Throttled attempts (``_throttled``) raise ``LoginThrottled``."""
    account_key, ip_key = _key(normalise_email(email)), _key(ip or "?")
    cfg = current_app.config
    if _throttled(account_key, ip_key):
        record_event("login_throttled", "crm_user")
        raise LoginThrottled
    user = find_user_by_email(email)
    usable = bool(user and user.active and user.password_hash)
    stored = user.password_hash if usable else _dummy_hash(cfg["CRM_PASSWORD_HASH_METHOD"])
    ok = check_password_hash(stored, password) and usable
    if not ok:
        db.session.add(LoginAttempt(account_key=account_key, ip_key=ip_key))
        record_event("login_failed", "crm_user", user.id if user else None)
        return None
    # The owner's own slips are forgiven; guesses from elsewhere keep counting.
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.account_key == account_key,
                                                  LoginAttempt.ip_key == ip_key))
    user.last_login_at = utcnow()
    return user


def start_session(user: User) -> str:
    """Create a login session for the user and return its token (kept in the cookie)."""
    token = secrets.token_urlsafe(32)
    hours = current_app.config["CRM_SESSION_HOURS"]
    db.session.add(
        LoginSession(
            token_hash=_key(token), user_id=user.id, expires_at=utcnow() + timedelta(hours=hours)
        )
    )
    user.session_token = token
    record_event("login", "crm_user", user.id, actor_id=user.id, actor_label=user.name)
    db.session.flush()
    return token


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == _key(token)))


# Runs on every request: built once, so SQLAlchemy reuses its compiled form and cache key.
_USER_OF_SESSION = (
    select(User, LoginSession.expires_at)
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(LoginSession.token_hash == bindparam("token_hash"))
)


def load_user(token: str) -> User | None:
    """Flask-Login's user loader: the token must belong to a live session of an active user."""
    row = db.session.execute(_USER_OF_SESSION, {"token_hash": _key(token)}).first()
    if row is None:
        return None
    user, expires = row
    if not user.active or as_utc(expires) < utcnow():
        return None
    user.session_token = token
    return user


# -- the account behind the current request --------------------------------------
@dataclass(frozen=True)
class HostIdentity:
    external_id: str
    name: str
    email: str


def host_identity(host_user) -> HostIdentity:
    external_id = str(host_user.get_id())
    name = getattr(host_user, "name", None) or getattr(host_user, "username", None) or external_id
    email = getattr(host_user, "email", None) or f"host-{external_id}@host.invalid"
    return HostIdentity(external_id, str(name), str(email))


def current_account() -> User | None:
    """The plugin's ``User`` row of whoever is logged in (a shadow row in a host app)."""
    if "crm_account" in g:
        return g.crm_account
    account = None
    if current_user and current_user.is_authenticated:
        state = current_app.extensions["crm"]
        if state.standalone:
            account = current_user._get_current_object()
        else:
            account = _shadow_account(host_identity(current_user), state.role_for(current_user))
    g.crm_account = account
    return account


def _shadow_account(identity: HostIdentity, role: str | None) -> User | None:
    if role not in USER_ROLES:
        return None
    account = db.session.scalar(select(User).where(User.external_id == identity.external_id))
    if account is None or account.role != role or account.name != identity.name:
        db.session.rollback()
        with immediate_writes():
            account = db.session.scalar(
                select(User).where(User.external_id == identity.external_id)
            )
            if account is None:
                account = User(external_id=identity.external_id, email=_free_email(identity),
                               name=identity.name, role=role)
                db.session.add(account)
            account.role, account.name = role, identity.name
            db.session.commit()
    return account


def _free_email(identity: HostIdentity) -> str:
    """The host user's e-mail address for the shadow row, unless a plugin account already
    has it (say, from the time the plugin ran on its own): then a placeholder, so the
    host user is never refused and never takes over that account."""
    email = normalise_email(identity.email)
    if find_user_by_email(email) is None:
        return email
    return f"host-{identity.external_id}@host.invalid"
