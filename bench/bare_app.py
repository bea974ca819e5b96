"""The baseline for bench_referrals.py: a bare Flask route that does one INSERT.

No login, no CSRF, no validation, no audit, no ORM: what the referral POST costs at least.
``BARE_DB_URL`` is ``sqlite:///path`` or ``postgresql://…`` (psycopg).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import UTC, datetime

from flask import Flask, request

URL = os.environ["BARE_DB_URL"]
SQLITE = URL.startswith("sqlite")
DDL = (
    "CREATE TABLE IF NOT EXISTS bench_bare_referral (id {pk}, partner_id INTEGER, purpose VARCHAR(60), "
    "method VARCHAR(60), note VARCHAR(200), created_at {ts})"
)
_local = threading.local()


def _connect():
    if SQLITE:
        conn = sqlite3.connect(URL.split("sqlite:///", 1)[1], timeout=10, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn
    import psycopg

    return psycopg.connect(URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def connection():
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = _connect()
    return conn


def create_table() -> None:
    conn = _connect()
    try:
        if SQLITE:
            conn.execute(DDL.format(pk="INTEGER PRIMARY KEY", ts="TEXT"))
        else:
            conn.execute(DDL.format(pk="SERIAL PRIMARY KEY", ts="TIMESTAMPTZ"))
    except Exception:  # noqa: BLE001,S110 - another worker created it at the same moment
        pass
    finally:
        conn.close()


app = Flask(__name__)


@app.post("/insert")
def insert():
    form = request.form
    params = (int(form["partner_id"]), form["purpose"], form["method"], form.get("note"),
              datetime.now(UTC).isoformat(" ") if SQLITE else datetime.now(UTC))
    sql = ("INSERT INTO bench_bare_referral (partner_id, purpose, method, note, created_at) "
           "VALUES (?, ?, ?, ?, ?)")
    if not SQLITE:
        sql = sql.replace("?", "%s")
    connection().execute(sql, params)
    return "ok", 201


@app.get("/inloggen")
def ready():
    return "ok"


create_table()
