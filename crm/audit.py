"""The audit log: every change to a plugin record, and every export, view of personal
data, failed login and refused request.

Changes are written automatically: an ``after_flush`` listener on SQLAlchemy sessions
adds one row per created, changed or deleted record, with the names of the changed
fields — never their values, so personal data is not copied into the log. Events that
are not a change (a view, an export, a failed login) go through ``record_event``, which
writes at once in its own short transaction so the trace stays even when the request
fails afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import JSON, ForeignKey, Integer, Select, String, event, func, insert, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from crm.db import Base, db, utcnow
from crm.sqlite import immediate_writes

ACTION_LABELS = {
    "create": "aangemaakt",
    "update": "gewijzigd",
    "delete": "verwijderd",
    "view": "bekeken",
    "export": "geëxporteerd",
    "erase": "gewist",
    "login": "ingelogd",
    "logout": "uitgelogd",
    "login_failed": "inloggen mislukt",
    "login_throttled": "inloggen geblokkeerd (te vaak mislukt)",
    "forbidden": "geweigerd (geen toegang)",
}

#: Actions whose ``fields`` are names of columns (and, for "erase", ``table.column`` and
#: table names). Other events (a view, an export) carry free words such as "json" or
#: "124 rijen" that are shown as they are.
CHANGE_ACTIONS = frozenset({"create", "update", "delete", "erase"})

#: Dutch names of columns that mean the same in every table, short and lower case as in a
#: list ("vestiging, doel, notitie"). A model names its own columns, and corrects one of
#: these where it means something else there, in its class attribute ``field_labels_nl``.
#: A label never holds a comma: the log shows the labels as one comma-separated list.
FIELD_LABELS = {
    "id": "nummer",
    "created_at": "aangemaakt op",
    "updated_at": "gewijzigd op",
    "version": "versie",
    "name": "naam",
    "title": "titel",
    "notes": "notities",
    "note": "notitie",
    "description": "beschrijving",
    "status": "status",
    "kind": "soort",
    "theme": "thema",
    "phase": "fase",
    "label": "naam",
    "position": "volgorde",
    "active": "in gebruik",
    "place": "plaats",
    "address": "adres",
    "email": "e-mailadres",
    "phone": "telefoon",
    "website": "website",
    "text": "tekst",
    "source": "bron",
    "year": "jaar",
    "month": "maand",
    "count": "aantal",
    "score": "score",
    "answer": "antwoord",
    "outcome": "uitkomst",
    "key_message": "kernboodschap",
    "goals": "doelen",
    "expectations": "verwachtingen",
    "interests": "belangen",
    "occurred_on": "datum",
    "start_date": "begindatum",
    "end_date": "einddatum",
    "due_on": "klaar op",
    "library_people": "wie van de bibliotheek",
    "library_role": "rol van de bibliotheek",
    "partner_id": "partner",
    "branch_id": "vestiging",
    "municipality_id": "gemeente",
    "contact_id": "persoon",
    "user_id": "gebruiker",
    "round_id": "ronde",
    "questionnaire_id": "vragenlijst",
    "agreement_id": "samenwerkingsafspraak",
    "owner_id": "eigenaar",
    "created_by_id": "aangemaakt door",
    "submitted_at": "ingestuurd op",
    "revoked_at": "ingetrokken op",
    "expires_at": "verloopt op",
    "password_hash": "wachtwoord",
    "token_hash": "sleutel",
}


class AuditEntry(Base):
    __tablename__ = "crm_audit_entry"
    __audit__ = False
    label_nl = "logregel"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_user.id", ondelete="SET NULL"), index=True
    )
    actor_label: Mapped[str] = mapped_column(String(120), default="systeem")
    action: Mapped[str] = mapped_column(String(32), index=True)
    record_type: Mapped[str | None] = mapped_column(String(120), index=True)
    record_id: Mapped[int | None] = mapped_column(Integer, index=True)
    fields: Mapped[list | None] = mapped_column(JSON)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def record_label(self) -> str:
        """The Dutch name of the kind of record ('verwijzing'), not its table name; a refused
        request names the page it asked for."""
        if self.action == "forbidden":
            return "een pagina zonder toegang"
        return record_labels().get(self.record_type, self.record_type or "")

    @property
    def field_labels_text(self) -> str:
        """The changed fields as Dutch words for the log ("vestiging, doel, notitie"), never
        the column names; the free words of other events (a view, an export) as they are."""
        return ", ".join(self.field_label_list)

    @property
    def field_label_list(self) -> list[str]:
        """``field_labels_text`` as a list (for the AVG report of a person)."""
        fields = [str(f) for f in self.fields or []]
        if self.action not in CHANGE_ACTIONS:
            return fields
        return sorted((_change_label(self.record_type, f) for f in fields), key=str.lower)


@cache
def record_labels() -> dict[str, str]:
    """Table name → the Dutch ``label_nl`` of its model, for every model of every package
    (all imported when the app is made; read per row of the audit log, so built once)."""
    return {m.local_table.name: getattr(m.class_, "label_nl", m.local_table.name)
            for m in Base.registry.mappers}


def own_field_labels(cls) -> dict[str, str]:
    """The ``field_labels_nl`` a model class and its bases set (the class's own win)."""
    labels: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        labels.update(vars(klass).get("field_labels_nl") or {})
    return labels


@cache
def field_labels() -> dict[str, dict[str, str]]:
    """Table name → {column → its Dutch label}, for every column of every model that has a
    label: the model's own ``field_labels_nl`` first, then ``FIELD_LABELS``. A column
    without either is left out (``tests/test_audit_labels.py`` keeps that from happening
    for audited models). Keyed by attribute name, as the log stores it."""
    result = {}
    for mapper in Base.registry.mappers:
        own = own_field_labels(mapper.class_)
        labels = {}
        for attr in mapper.column_attrs:
            label = own.get(attr.key) or FIELD_LABELS.get(attr.key)
            if label:
                labels[attr.key] = label
        result[mapper.local_table.name] = labels
    return result


def field_label(record_type: str | None, column: str) -> str:
    """The Dutch label of one column of a table ("branch_id" → "vestiging"); a column
    nobody named yet keeps its own name, so the log never hides what changed."""
    return field_labels().get(record_type or "", {}).get(column) or FIELD_LABELS.get(column, column)


def _table_label(table_name: str) -> str:
    """A table as Dutch words: its model's label, or for a link table (no model) the
    labels of the two records it links ("koppeling contactmoment – persoon")."""
    labels = record_labels()
    if table_name in labels:
        return labels[table_name]
    table = Base.metadata.tables.get(table_name)
    if table is None:
        return table_name
    linked = [labels.get(fk.column.table.name, fk.column.table.name)
              for column in table.columns for fk in column.foreign_keys]
    return "koppeling " + " – ".join(linked) if linked else table_name


def _change_label(record_type: str | None, field: str) -> str:
    """One entry of ``fields`` of a change: a column of the record, or (written when a
    person is erased) ``table.column`` of another record or a whole (link) table."""
    table_name, dot, column = field.partition(".")
    if dot and table_name in Base.metadata.tables:
        return f"{_table_label(table_name)}: {field_label(table_name, column)}"
    if field not in field_labels().get(record_type or "", {}) and field in Base.metadata.tables:
        return _table_label(field)
    return field_label(record_type, field)


_INSERT = insert(AuditEntry.__table__)  # built once: written on every change


def current_actor() -> tuple[int | None, str]:
    """Who acts now: (user id, label). Set per request by the auth layer."""
    if has_request_context() or has_app_context():
        return g.get("crm_actor_id"), g.get("crm_actor_label", "systeem")
    return None, "systeem"


def _audited(obj) -> bool:
    return isinstance(obj, Base) and getattr(obj, "__audit__", True)


def _row(obj, action: str, fields: list[str] | None) -> dict:
    actor_id, actor_label = current_actor()
    return {
        "created_at": utcnow(),
        "actor_id": actor_id,
        "actor_label": actor_label[:120],
        "action": action,
        "record_type": obj.__tablename__,
        "record_id": getattr(obj, "id", None),
        "fields": fields,
    }


def _changed_fields(obj) -> list[str]:
    state = inspect(obj)
    changed = []
    skip = {"updated_at", "version", *getattr(obj, "__audit_skip__", ())}
    for attr in state.mapper.column_attrs:
        if attr.key in skip:
            continue
        if state.attrs[attr.key].history.has_changes():
            changed.append(attr.key)
    return changed


def _after_flush(session: Session, _context) -> None:
    rows = []
    for obj in session.new:
        if _audited(obj):
            fields = [a.key for a in inspect(obj).mapper.column_attrs if getattr(obj, a.key) is not None]
            rows.append(_row(obj, "create", sorted(fields)))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            fields = _changed_fields(obj)
            if fields:
                rows.append(_row(obj, "update", fields))
    for obj in session.deleted:
        if _audited(obj):
            rows.append(_row(obj, "delete", None))
    if rows:
        session.connection().execute(_INSERT, rows)


def install_listener() -> None:
    """Listen on every SQLAlchemy session (the plugin's and a host's alike), once."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def record_event(
    action: str,
    record_type: str | None = None,
    record_id: int | None = None,
    fields: list[str] | None = None,
    *,
    commit: bool = False,
    actor_id: int | None = None,
    actor_label: str | None = None,
) -> None:
    """Write one audit row in the current transaction.

    ``commit=True`` is for events outside any change (a view, an export, a refused or
    failed login): the row is committed at once so it stays even when the request ends
    in an error. Only use it where nothing else is pending in the session.
    """
    cur_id, cur_label = current_actor()
    row = {
        "created_at": utcnow(),
        "actor_id": actor_id if actor_id is not None else cur_id,
        "actor_label": (actor_label or cur_label)[:120],
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "fields": fields,
    }
    session = current_app.extensions["crm"].db.session
    if commit:
        session.rollback()  # nothing may be pending here; start a fresh write transaction
        with immediate_writes():
            session.connection().execute(_INSERT, [row])
            session.commit()
    else:
        session.connection().execute(_INSERT, [row])


# -- reading the log (the admin's logboek) ---------------------------------------------------
#: What ``LogFilter.actor_id`` holds for rows nobody logged in wrote (a failed login, the CLI).
NO_ACTOR = 0


@dataclass(frozen=True)
class LogFilter:
    """Which rows of the log to show; a field left None does not filter."""

    action: str | None = None
    actor_id: int | None = None  # a user, or ``NO_ACTOR``
    record_type: str | None = None
    record_id: int | None = None  # only together with ``record_type``
    since: datetime | None = None  # from this moment on (UTC) ...
    before: datetime | None = None  # ... up to, not including, this one

    @property
    def active(self) -> bool:
        return any(v is not None for v in vars(self).values())


def log_query(flt: LogFilter) -> Select:
    """The rows of the log that ``flt`` lets through, newest first (every condition is on
    an indexed column)."""
    stmt = select(AuditEntry)
    if flt.action is not None:
        stmt = stmt.where(AuditEntry.action == flt.action)
    if flt.actor_id == NO_ACTOR:
        stmt = stmt.where(AuditEntry.actor_id.is_(None))
    elif flt.actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == flt.actor_id)
    if flt.record_type is not None:
        stmt = stmt.where(AuditEntry.record_type == flt.record_type)
        if flt.record_id is not None:
            stmt = stmt.where(AuditEntry.record_id == flt.record_id)
    if flt.since is not None:
        stmt = stmt.where(AuditEntry.created_at >= flt.since)
    if flt.before is not None:
        stmt = stmt.where(AuditEntry.created_at < flt.before)
    return stmt.order_by(AuditEntry.id.desc())


def audited_record_types() -> list[tuple[str, str]]:
    """(table, Dutch label) of every kind of record whose changes are logged, by label: the
    choices of the log's filter."""
    kinds = {m.local_table.name: label for m in Base.registry.mappers
             if (getattr(m.class_, "__audit__", True) or getattr(m.class_, "__audit_own__", False))
             and (label := getattr(m.class_, "label_nl", None))}
    return sorted(kinds.items(), key=lambda kind: kind[1].lower())


def last_deletions(records: set[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """(table, id) → the id of the newest log row that deleted that record, for the records
    that were ever deleted (one query). SQLite may give a new record the number of a deleted
    one: log rows up to that deletion are about the old record, not the one with that number now."""
    if not records:
        return {}
    rows = db.session.execute(
        select(AuditEntry.record_type, AuditEntry.record_id, func.max(AuditEntry.id))
        .where(AuditEntry.action == "delete",
               AuditEntry.record_type.in_({kind for kind, _ in records}),
               AuditEntry.record_id.in_({record_id for _, record_id in records}))
        .group_by(AuditEntry.record_type, AuditEntry.record_id)
    )
    return {(kind, record_id): entry_id for kind, record_id, entry_id in rows
            if (kind, record_id) in records}
