"""Load (QUALITY 19–20): concurrent referral POSTs through several gunicorn workers store
exactly N rows with 0 errors, on the suite's database (a SQLite file, or PostgreSQL when
CRM_TEST_DATABASE_URL points there). The large version lives in bench/bench_referrals.py."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from crm.db import db as db_proxy
from crm.network.models import Partner
from crm.referrals.models import Referral
from tests.fixtures.users import PASSWORD, make_user
from tests.load_support import gunicorn, login, request

pytestmark = pytest.mark.slow
N = 60


def test_concurrent_posts_store_exactly_n_rows(app, db_url, tmp_path):
    with app.app_context():
        user = make_user("frontoffice")
        partner = Partner(name="Taalhuis Rivierstad", kind="taalhuis", status="actief")
        db_proxy.session.add(partner)
        db_proxy.session.commit()
        email, partner_id = user.email, partner.id
    env = {
        "DATABASE_URL": db_url,
        "SECRET_KEY": "load-test-secret-key-0123456789abcdef",
        "CRM_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "CRM_LOGIN_IP_MAX_FAILURES": "1000",
    }
    log = tmp_path / "gunicorn.log"
    with gunicorn("wsgi:app", env, workers=3, log_path=log) as (port, _process):
        cookie, token = login(port, email, PASSWORD)

        def post(i: int):
            return request(port, "POST", "/verwijzingen/nieuw", cookie=cookie, form={
                "csrf_token": token, "nonce": uuid.uuid4().hex, "direction": "uit",
                "partner_id": partner_id, "purpose": "taal-lezen", "method": "warme-overdracht",
                "note": f"bezoek {i}",
            })[0]

        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(post, range(N)))
    errors = [s for s in statuses if s != 302]
    output = log.read_text(errors="replace")
    assert not errors, f"{len(errors)} errors: {sorted(set(errors))}\n{output[-2000:]}"
    assert "database is locked" not in output
    # A client that hung up early (BrokenPipe at shutdown) is not an application error.
    tracebacks = [t for t in output.split("Traceback")[1:]
                  if "BrokenPipeError" not in t and "ConnectionResetError" not in t]
    assert not tracebacks, output[-2000:]
    with app.app_context():
        db_proxy.session.remove()
        rows = db_proxy.session.scalar(select(func.count()).select_from(Referral))
        notes = set(db_proxy.session.scalars(select(Referral.note)))
    assert rows == N
    assert notes == {f"bezoek {i}" for i in range(N)}
