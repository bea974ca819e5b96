"""SQLite connection settings, read back at run time (QUALITY.md 19)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from tests.fixtures.app import is_postgres

pytestmark = pytest.mark.skipif(is_postgres(), reason="SQLite-only settings")


def test_every_connection_has_wal_busy_timeout_and_foreign_keys(app):
    with app.app_context():
        engine = app.extensions["crm"].db.engine
        for _ in range(3):
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_writes_begin_immediate(app):
    """Outside a GET request every transaction takes the write lock at BEGIN."""
    from sqlalchemy import event

    engine_of = app.extensions["crm"].db

    def begins(request_method=None):
        statements = []

        def capture(conn, cursor, statement, *args):
            statements.append(statement)

        with app.app_context():
            engine = engine_of.engine
            event.listen(engine, "before_cursor_execute", capture)
            try:
                if request_method:
                    with app.test_request_context("/", method=request_method), engine.begin() as conn:
                        conn.exec_driver_sql("SELECT 1")
                else:
                    with engine.begin() as conn:
                        conn.exec_driver_sql("SELECT 1")
            finally:
                event.remove(engine, "before_cursor_execute", capture)
        return [s for s in statements if s.startswith("BEGIN")]

    assert begins() == ["BEGIN IMMEDIATE"]  # CLI, scripts
    assert begins("POST") == ["BEGIN IMMEDIATE"]
    assert begins("GET") == ["BEGIN"]  # reads do not take the write lock


def test_concurrent_read_then_write_does_not_lock(app):
    """Eight threads each read a count and then insert: no "database is locked"."""
    from crm.admin.models import Branch

    errors = []

    def worker(n):
        try:
            with app.app_context():
                db = app.extensions["crm"].db
                for i in range(5):
                    db.session.scalar(select(func.count()).select_from(Branch))
                    db.session.add(Branch(name=f"t{n}-{i}"))
                    db.session.commit()
                db.session.remove()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        db = app.extensions["crm"].db
        assert db.session.scalar(select(func.count()).select_from(Branch)) == 40


def _begins_during(app, action) -> list[str]:
    from sqlalchemy import event

    statements = []

    def capture(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            statements.append(statement)

    with app.app_context():
        engine = app.extensions["crm"].db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return statements


def test_referral_post_takes_the_write_lock_only_for_its_insert(app, client, login_as):
    """The desk's POST reads (login, partner, lists) without the write lock and then writes in
    one short BEGIN IMMEDIATE transaction; other POSTs hold the lock from their first query."""
    from crm.db import db
    from crm.network.models import Partner
    from crm.referrals.models import Referral

    login_as("frontoffice")
    with app.app_context():
        partner = Partner(name="Taalhuis", kind="taalhuis", status="actief")
        db.session.add(partner)
        db.session.commit()
        partner_id = partner.id
    form = {"direction": "uit", "partner_id": partner_id, "purpose": "taal-lezen",
            "method": "folder", "nonce": "one"}
    begins = _begins_during(app, lambda: client.post("/verwijzingen/nieuw", data=form))
    assert begins == ["BEGIN", "BEGIN IMMEDIATE"]
    refused = {**form, "purpose": "hacken", "nonce": "two"}  # fails the check: never takes the lock
    assert "BEGIN IMMEDIATE" not in _begins_during(
        app, lambda: client.post("/verwijzingen/nieuw", data=refused))
    with app.app_context():
        referral_id = db.session.scalar(select(Referral.id))
    delete = _begins_during(app, lambda: client.post(f"/verwijzingen/{referral_id}/verwijderen"))
    assert delete == ["BEGIN IMMEDIATE"]  # an ordinary POST: one transaction, locked from the start
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Referral)) == 0


def test_write_phase_refuses_changes_made_before_it(app):
    """A reads-first view must not change anything before its write phase (it would be lost)."""
    from crm.admin.models import Branch
    from crm.db import db
    from crm.sqlite import write_phase

    with app.test_request_context("/verwijzingen/nieuw", method="POST"):
        db.session.scalar(select(func.count()).select_from(Branch))
        db.session.add(Branch(name="Te vroeg"))
        with pytest.raises(RuntimeError, match="before it began"), write_phase(db.session):
            pass
        db.session.rollback()
