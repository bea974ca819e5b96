"""Declarative base, shared column mixins and the proxy to the active database session."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from flask import current_app
from sqlalchemy import DateTime, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from werkzeug.local import LocalProxy

from crm.guide import Phase, Theme

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Timezone-aware now; every timestamp is stored in UTC and shown in Europe/Amsterdam."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC time: SQLite hands back naive datetimes, and they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Base of every plugin model; its metadata holds only ``crm_`` tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}

    #: Dutch name of the record type, used in the audit log and the guide tracker.
    label_nl: ClassVar[str] = "record"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self, 'id', '?')}>"


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic locking: a second save based on an old version raises StaleDataError.

    Forms carry the version they were rendered with (``crm.forms.VersionedForm``);
    services compare it first with ``is_stale`` so the user gets a clear message to
    reload instead of a lost update (QUALITY.md 21).
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805
        return {"version_id_col": cls.version}


class PhaseMixin:
    """Ties a record to a theme and phase of the guide.

    Each model sets ``default_theme`` / ``default_phase``; the tracker in ``content``
    lists the records of a phase through the registry.
    """

    default_theme: ClassVar[Theme] = Theme.GENERAL
    default_phase: ClassVar[Phase] = Phase.ORIENTATION

    @declared_attr
    def theme(cls) -> Mapped[str]:  # noqa: N805
        return mapped_column(String(32), nullable=False, default=cls.default_theme.value, index=True)

    @declared_attr
    def phase(cls) -> Mapped[str]:  # noqa: N805
        return mapped_column(String(32), nullable=False, default=cls.default_phase.value, index=True)


def is_stale(record, submitted) -> bool:
    """True when a form's hidden ``version`` (a string from the form) is not the version
    stored for ``record``: someone else saved in between. Missing or garbled counts as stale."""
    try:
        return int(submitted) != record.version
    except (TypeError, ValueError):
        return True


def insert_skipping_duplicates(table, dialect: str, *unique_columns: str):
    """INSERT for the ``dialect`` (a name) that stores nothing when a row with the same
    unique value exists (``ON CONFLICT (…) DO NOTHING`` on SQLite and PostgreSQL): one
    statement, no savepoint. With ``.returning(...)`` the result is empty when skipped."""
    from sqlalchemy import insert
    from sqlalchemy.dialects import postgresql, sqlite

    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=list(unique_columns))
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(unique_columns))
    return insert(table)  # other databases: the unique constraint raises IntegrityError


def _active_db():
    return current_app.extensions["crm"].db


#: The Flask-SQLAlchemy instance the plugin uses in this app: its own, or the host's.
db = LocalProxy(_active_db)
