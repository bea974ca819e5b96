"""A third baseline for bench_referrals.py: the floor plus the cheapest possible referral write.

Like ``floor_app.py`` the POST passes everything every request of the plugin passes (the
login-session lookup, CSRF, the role check, headers, the session cookie). Then, instead
of the form, the checks and the ORM, it writes the referral and its audit row with two
raw SQL statements on the driver's connection and commits: what storing a referral costs
at the very least in this table (with its indexes for the statistics) and with an audit
row. Its throughput is the ceiling of any implementation that keeps login, CSRF, the role
check and the audit row; the bench compares it with the bare route's, as the target does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import update_wrapper

from flask import Flask, g, redirect, request

from bench.floor_app import ENDPOINT

COLUMNS = ("direction", "partner_id", "purpose", "method", "staff_id", "nonce", "created_at",
           "updated_at", "month", "version", "theme", "phase")
AUDIT = ("created_at", "actor_id", "actor_label", "action", "record_type", "record_id", "fields")


def write_floor_view(app: Flask):
    """The referral view of ``app`` with the POST reduced to two raw INSERTs and a commit."""
    from crm.db import db

    view = app.view_functions[ENDPOINT]

    def _write_floor():
        if request.method == "GET":
            return view()
        sqlite = db.engine.dialect.name == "sqlite"
        mark = "?" if sqlite else "%s"
        form, now = request.form, datetime.now(UTC)
        raw = db.session.connection().connection.dbapi_connection
        cursor = raw.cursor()
        if sqlite:  # end the read transaction of the login lookup, then take the write lock
            raw.commit()
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(
            f"INSERT INTO crm_referral ({', '.join(COLUMNS)}) VALUES ({', '.join([mark] * len(COLUMNS))}) "
            "ON CONFLICT (nonce) DO NOTHING RETURNING id",
            ("uit", int(form["partner_id"]), form["purpose"], form["method"], g.get("crm_actor_id"),
             form["nonce"], now, now, now.year * 100 + now.month, 1, "leren", "implementation"))
        referral_id = cursor.fetchone()[0]
        cursor.execute(
            f"INSERT INTO crm_audit_entry ({', '.join(AUDIT)}) VALUES ({', '.join([mark] * len(AUDIT))})",
            (now, g.get("crm_actor_id"), g.get("crm_actor_label", ""), "create", "crm_referral",
             referral_id, '["id"]'))
        raw.commit()
        return redirect(request.path)

    # Keep the view's policy attributes (allowed roles, reads-first): the same checks run.
    return update_wrapper(_write_floor, view)


def create() -> Flask:
    """For gunicorn: ``gunicorn 'bench.write_floor_app:create()'``."""
    from wsgi import app

    app.view_functions[ENDPOINT] = write_floor_view(app)
    return app
