"""Where the time of one referral POST goes, in process (no gunicorn, no HTTP client).

    .venv/bin/python bench/profile_referral_post.py          # SQLite
    .venv/bin/python bench/profile_referral_post.py --pg     # PostgreSQL (drops and creates
                                                             # the database test_referrals_bench)

Calls the WSGI apps directly with prebuilt requests, so the figures are each app's own
cost per request, without the web server and the load client:
  - the app's referral POST (login, CSRF, validation, INSERT, audit, confirmation);
  - the floor: the same app with the POST doing nothing after login, CSRF and the role
    check (bench/floor_app.py);
  - the bare route: Flask and one INSERT (bench/bare_app.py).
Then it splits the app's POST into phases by timing the functions that make it up.

Read it next to bench_referrals.py. Through gunicorn every request also pays the server
and the client: about the bare route's time per request (2 CPUs / its requests per
second) minus its cost here. With that fixed part F, the app reaches 50 % of the bare
route only when F + app <= 2 × (F + bare), that is when app <= F + 2 × bare.

Measured 26 November 2026 (third session), SQLite, 20,000 rows, 2 shared CPUs:
  in process, medians: app 2.7 ms, floor 0.70 ms, bare 0.13 ms. In parts (timed run,
  2.0 ms): login-session lookup 0.32, CSRF and form parsing 0.12, form 0.22, checks 0.20,
  INSERT, audit row and write phase 0.40, the two commits 0.30, session cookie 0.23 ms.
  Through gunicorn in the same hour (bench_referrals.py, 1,000 POSTs): bare 1,696/s,
  floor 1,067/s, app 473/s (28 % of bare). So F is about 1.05 ms, and 50 % would need the
  app's POST at about 1.3 ms in process: the floor plus 0.6 ms for everything the
  referral itself does, which now takes 2.0 ms.
Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_referrals import (  # noqa: E402
    DEFAULT_PG,
    METHODS,
    PASSWORD,
    PURPOSES,
    make_app,
    prepare_database,
    seed,
)

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def log(message: str) -> None:
    print(message, flush=True)


class Timers:
    """Wraps functions so every call adds its wall time to a named phase."""

    def __init__(self):
        self.total = defaultdict(float)

    def wrap(self, owner, name: str, label: str):
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.total[label] += time.perf_counter() - start

        setattr(owner, name, timed)
        return timed


def call(app, environ) -> str:
    status = []
    body = app(environ, lambda s, _h, _e=None: status.append(s))
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return status[0]


def per_request(app, environs) -> float:
    start = time.perf_counter()
    for environ in environs:
        call(app, environ)
    return (time.perf_counter() - start) / len(environs) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", action="store_true", help="run on PostgreSQL instead of SQLite")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--rows", type=int, default=20_000, help="referrals seeded first")
    parser.add_argument("--requests", type=int, default=500, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-profile-")
    url = args.pg_url if args.pg else "sqlite:///" + str(Path(tmp) / "bench.sqlite")
    ids = prepare_database(url)
    seed(url, args.rows, ids)
    os.environ["BARE_DB_URL"] = url
    from werkzeug.test import EnvironBuilder

    from bench import bare_app
    from bench.floor_app import ENDPOINT, floor_view

    app = make_app(url, CRM_CSRF_ENABLED=True)
    client = app.test_client()
    token = CSRF_RE.search(client.get("/inloggen").get_data(as_text=True)).group(1)
    response = client.post("/inloggen", data={"email": "balie@bench.example", "password": PASSWORD,
                                              "csrf_token": token})
    assert response.status_code == 302, response.status_code
    token = CSRF_RE.search(client.get("/verwijzingen/nieuw").get_data(as_text=True)).group(1)
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    cookie = f"{cookie_name}={client.get_cookie(cookie_name).value}"
    partner = ids["partners"][0]

    def environ(path: str, form: dict, with_cookie: bool) -> dict:
        headers = {"Cookie": cookie} if with_cookie else {}
        return EnvironBuilder(path=path, method="POST", data=urlencode(form), headers=headers,
                              content_type="application/x-www-form-urlencoded",
                              environ_base=client.environ_base).get_environ()

    def app_requests(n):
        return [environ("/verwijzingen/nieuw", {
            "csrf_token": token, "nonce": uuid.uuid4().hex, "direction": "uit", "partner_id": partner,
            "purpose": PURPOSES[i % 9], "method": METHODS[i % 5], "note": f"bench {i}"}, True)
            for i in range(n)]

    def bare_requests(n):
        return [environ("/insert", {"partner_id": partner, "purpose": PURPOSES[i % 9],
                                    "method": METHODS[i % 5], "note": f"bench {i}"}, False)
                for i in range(n)]

    real_view = app.view_functions[ENDPOINT]
    floor = floor_view(app)
    probe = call(app, app_requests(1)[0])
    if not probe.startswith("302"):
        raise SystemExit(f"the app's POST answered {probe}, not a redirect: check the login")

    log(f"profile_referral_post: {'PostgreSQL' if args.pg else 'SQLite'}, {args.rows:,} rows, "
        f"{args.rounds} rounds of {args.requests} requests; Python {sys.version.split()[0]}")
    times = {"app": [], "floor": [], "bare": []}
    for _ in range(args.rounds):  # interleaved, so a noisy moment hits all three alike
        app.view_functions[ENDPOINT] = real_view
        times["app"].append(per_request(app, app_requests(args.requests)))
        app.view_functions[ENDPOINT] = floor
        times["floor"].append(per_request(app, app_requests(args.requests)))
        times["bare"].append(per_request(bare_app.app, bare_requests(args.requests)))
    app.view_functions[ENDPOINT] = real_view
    median = {k: statistics.median(v) for k, v in times.items()}
    log("in process, per request (median of the rounds):")
    for name, label in (("app", "app   (the referral POST)"), ("floor", "floor (login, CSRF, role; no work)"),
                        ("bare", "bare  (Flask + one INSERT)")):
        log(f"  {label:<36} {median[name]:8.0f} µs")
    log(f"  the referral's own work (app - floor): {median['app'] - median['floor']:.0f} µs; "
        f"the platform's (floor - bare): {median['floor'] - median['bare']:.0f} µs")

    phases(app, app_requests, args.requests, median["app"])


def phases(app, app_requests, n: int, app_median: float) -> None:
    """Time the parts of the app's POST (nested parts are included in the part above them)."""
    import flask_sqlalchemy.session

    import crm.auth.services as auth
    import crm.permissions as permissions
    import crm.referrals.services as services
    import crm.referrals.views as views

    timers = Timers()
    parts = [
        (app.session_interface, "open_session", "session cookie: read"),
        (app, "preprocess_request", "before_request (login, CSRF, role)"),
        (auth, "load_user", "  login-session lookup"),
        (permissions, "_check_csrf", "  CSRF check (parses the form)"),
        (views.ReferralForm, "validate_on_submit", "  form: validate"),
        (views, "ReferralForm", "  form: build"),
        (services, "create_referral", "  create_referral"),
        (services, "_validate", "    checks: partner, lists, branch"),
        (services, "record_event", "    audit row"),
        (flask_sqlalchemy.session.Session, "commit", "  commits (read phase, write phase)"),
        (views, "flash", "  confirmation message"),
        (views, "redirect_next", "  redirect"),
        (app, "process_response", "after_request (headers, cookie)"),
        (app.session_interface, "save_session", "  session cookie: write"),
        (app, "do_teardown_appcontext", "teardown (session closed)"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _label in parts]
    callback = app.login_manager._user_callback
    try:
        for owner, name, label in parts:
            timed = timers.wrap(owner, name, label)
            if owner is auth and name == "load_user":
                app.login_manager._user_callback = timed
        view = views.referral_new  # the route holds the function object: time it around the view
        app.view_functions["crm.referral_new"] = timers.wrap(views, "referral_new", "view")
        per_request(app, app_requests(min(100, n)))  # warm up
        timers.total.clear()
        total = per_request(app, app_requests(n))
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
        views.referral_new = view
        app.view_functions["crm.referral_new"] = view
        app.login_manager._user_callback = callback
    log(f"the app's POST in parts ({total:.0f} µs per request in this run, with the timers; "
        f"median above {app_median:.0f} µs):")
    order = [label for *_x, label in parts]
    order.insert(order.index("  form: validate"), "view")
    for label in order:
        log(f"  {label:<40} {timers.total[label] / n * 1e6:7.0f} µs")


if __name__ == "__main__":
    main()
