"""User accounts, server-side login sessions and failed-login records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, TimestampMixin, utcnow
from crm.roles import ROLE_LABELS


class User(TimestampMixin, Base):
    """A person who logs in. In a host app these rows shadow the host's users
    (``external_id``), so follow-ups and the audit log can point at them."""

    __tablename__ = "crm_user"
    label_nl = "gebruiker"
    field_labels_nl = {
        "role": "rol", "active": "actief", "external_id": "account in het platform",
        "last_login_at": "laatst ingelogd", "password_must_change": "eigen wachtwoord nog kiezen",
    }
    # The login itself is logged ("ingelogd"); the time stamp it sets is no change to log.
    __audit_skip__ = ("last_login_at",)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    branch_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_branch.id", ondelete="SET NULL")
    )
    last_login_at: Mapped[datetime | None]
    #: The password was set by an admin (who therefore knows it): the user chooses their own
    #: at the next login before anything else, so the log's "who" is really them.
    password_must_change: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    branch = relationship("Branch")

    # Flask-Login protocol. get_id returns the login session token, not the user id,
    # so that logging out (deleting that session) makes an old cookie worthless.
    session_token = None  # set per request by the user loader; not a column

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginSession(Base):
    """One login on one browser; only the hash of its token is stored."""

    __tablename__ = "crm_login_session"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("crm_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    user = relationship("User")


class LoginAttempt(Base):
    """A failed login, kept for the throttle. The key is a hash, not the e-mail itself."""

    __tablename__ = "crm_login_attempt"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64), index=True)
    ip_key: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
