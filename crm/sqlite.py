"""SQLite connection settings: WAL, busy timeout, foreign keys, and BEGIN IMMEDIATE for writes.

Follows SQLAlchemy's documented pysqlite recipe ("Serializable isolation / Savepoints /
Transactional DDL"): the driver's own transaction handling is switched off and the
``begin`` event emits the BEGIN itself. Requests that may write (POST and friends, CLI
commands) begin with ``BEGIN IMMEDIATE`` so a read-then-write never fails with
"database is locked"; GET requests begin a deferred (read) transaction.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 10_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
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


def _wants_write() -> bool:
    if _force_immediate.get():
        return True
    if has_request_context():
        return request.method not in SAFE_METHODS
    return True  # CLI commands, scripts


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
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write() else "BEGIN")
