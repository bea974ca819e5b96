"""SQLite connection settings: WAL, busy timeout, foreign keys, and BEGIN IMMEDIATE for writes.

Follows SQLAlchemy's documented pysqlite recipe ("Serializable isolation / Savepoints /
Transactional DDL"): the driver's own transaction handling is switched off and the
``begin`` event emits the BEGIN itself. Requests that may write (POST and friends, CLI
commands) begin with ``BEGIN IMMEDIATE`` so a read-then-write never fails with
"database is locked"; GET requests begin a deferred (read) transaction.

A busy POST that reads a lot before one small write (the referral desk) can opt out with
``@reads_first``: its reads run in a deferred transaction and ``write_phase`` takes the
write lock only for the write itself. SQLite's busy handler sleeps 1, 2, 5, 10 ms and
more between tries, so a lock held for a whole request makes other workers wait far
longer than the write takes; a lock held for two INSERTs seldom makes anyone wait.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 10_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READS_FIRST_ATTR = "_crm_reads_first"
_force_immediate: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "crm_force_immediate", default=False
)


@contextmanager
def immediate_writes():
    """Make transactions begun inside this block take the write lock at once."""
    token = _force_immediate.set(True)
    try:
        yield
    finally:
        _force_immediate.reset(token)


def reads_first(view):
    """Mark a view whose POST reads first and writes inside ``write_phase`` (see above)."""
    setattr(view, READS_FIRST_ATTR, True)
    return view


def _reads_first_request() -> bool:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, READS_FIRST_ATTR, False)


def _wants_write() -> bool:
    if _force_immediate.get():
        return True
    if has_request_context():
        return request.method not in SAFE_METHODS and not _reads_first_request()
    return True  # CLI commands, scripts


@contextmanager
def write_phase(session):
    """Write inside this block; on SQLite in a ``@reads_first`` request, with the lock.

    A read transaction that is open (nothing written yet) is ended first, so the statements
    inside begin a new transaction with BEGIN IMMEDIATE. Where the transaction already
    holds the lock (every other POST, the CLI) and on PostgreSQL it changes nothing. The
    caller commits afterwards, as always.
    """
    session = session() if hasattr(session, "registry") else session  # a scoped_session
    if (session.get_bind().dialect.name == "sqlite" and session.in_transaction()
            and not session.connection().info.get("crm_write_lock")):
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("write_phase: changes were made before it began")
        session.commit()  # only reads so far: this just ends the read snapshot
    with immediate_writes():
        yield


def configure_sqlite_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite" or getattr(engine, "_crm_configured", False):
        return
    engine._crm_configured = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        write = _wants_write()
        connection.info["crm_write_lock"] = write
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
