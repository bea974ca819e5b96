"""Benchmark of the referral log: statistics at scale and POST throughput through gunicorn.

    .venv/bin/python bench/bench_referrals.py                   # small: 20,000 rows, SQLite
    .venv/bin/python bench/bench_referrals.py --rows 1000000    # the issue's size
    .venv/bin/python bench/bench_referrals.py --pg              # also on PostgreSQL

Seeds N referrals across 3 years, 8 branches and 60 partners into a temporary SQLite
file (and a PostgreSQL database with --pg), then measures:
  1. the statistics page (server time in-process, cold and warm; peak RSS of a fresh
     process that only serves it) — targets < 300 ms and < 250 MB at 1M rows;
  2. referral POSTs through gunicorn (4 workers; login, CSRF, validation, audit) against
     three baselines under the same load in the same run: a bare Flask route doing one
     INSERT (bench/bare_app.py); the app itself with the POST doing no work after login,
     CSRF and role check (bench/floor_app.py); and the app with the POST writing the
     referral and its audit row with two raw SQL statements, no form and no ORM
     (bench/write_floor_app.py) — target: app >= 50% of bare;
  3. with --kill-worker, SIGKILLs a worker during the app load and checks that every
     acknowledged referral is stored.
Prints the figures and the ratios; asserts nothing.

Measured 26 November 2026 (fourth session), 1,000,000 rows, 2 shared CPUs, quiet machine:
                                     SQLite            PostgreSQL
  statistics, 12 months, no cache      197 ms warm       259 ms warm
  statistics, 12 months, cached         68 ms warm        63 ms warm   (cache filled in 0.7 s / 1.1 s)
  statistics, 36 months, cached        203 ms warm       133 ms warm
  peak RSS of the statistics process   134 MB            140 MB
  POST per second: app / floor / write floor / bare
                                       727 / 1474 / 1141 / 2502   634 / 1172 / 964 / 2145
  ratio app/bare (target 50%)          29%               30%
  ratio floor/bare                     59%               55%
  ratio write floor/bare               46%               45%
  worker SIGKILLed mid-load (--kill-worker, 20,000 rows): 0 acknowledged referrals lost on
  either database
The write floor is the ceiling of any way to store a referral that keeps the login, the
CSRF check, the role check and the audit row, in a table with the indexes the statistics
need: even written as raw SQL it stays under 50% of the bare route (at 20,000 rows on
SQLite it reaches about 58%; the indexes of a million-row table cost the rest). The app
itself adds the form, the checks, the ORM's transaction and the confirmation in the
session cookie; bench/profile_referral_post.py shows those parts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.load_support import gunicorn, login, request  # noqa: E402

PURPOSES = ("taal-lezen", "voorlezen-boekstart", "digitale-vaardigheden", "opvoeden", "geldzaken",
            "werk-inkomen", "gezondheid", "inburgering-nt2", "anders")
METHODS = ("warme-overdracht", "telefonisch", "afspraak", "folder", "website")
KINDS = ("consultatiebureau", "kinderopvang", "peuteropvang", "basisschool", "welzijn",
         "verloskundige", "voedselbank", "taalhuis")
PASSWORD = "bench-wachtwoord-lang-genoeg-42"
SECRET = "bench-secret-key-0123456789abcdef0123456789"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test_referrals_bench"


def log(message: str) -> None:
    print(message, flush=True)


# -- seeding ------------------------------------------------------------------------------
def make_app(url: str, **overrides):
    from crm import create_app

    config = {"CRM_DATABASE_URL": url, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET,
              "TESTING": False, "CRM_CSRF_ENABLED": False}
    config.update(overrides)
    return create_app(config)


def prepare_database(url: str) -> dict:
    """Fresh schema with 8 branches, 60 partners and two accounts; returns their ids."""
    from sqlalchemy import text

    from crm.admin.models import Branch
    from crm.auth.services import create_user
    from crm.db import Base, db
    from crm.network.models import Partner

    if url.startswith("postgresql"):
        import psycopg

        admin_url = url.rsplit("/", 1)[0].replace("postgresql+psycopg://", "postgresql://") + "/postgres"
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    app = make_app(url)
    with app.app_context():
        engine = db.engine
        Base.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(text("SELECT 1"))
        branches = [Branch(name=f"Vestiging {i + 1}") for i in range(8)]
        partners = [Partner(name=f"Partner {i + 1:02d}", kind=KINDS[i % len(KINDS)], status="actief")
                    for i in range(60)]
        db.session.add_all(branches + partners)
        db.session.flush()
        desk, _ = create_user("balie@bench.example", "Balie", "frontoffice", PASSWORD,
                              branch_id=branches[0].id)
        create_user("specialist@bench.example", "Specialist", "specialist", PASSWORD)
        db.session.commit()
        ids = {"branches": [b.id for b in branches], "partners": [p.id for p in partners],
               "staff": desk.id}
        db.session.remove()
        engine.dispose()
    return ids


def _rows(n: int, ids: dict, now: datetime):
    rng = random.Random(42)
    span = 3 * 365 * 24 * 3600
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Europe/Amsterdam")
    partners, branches = ids["partners"], ids["branches"]
    # A few partners get most referrals (1/rank), as in a real library.
    cum_weights = list(itertools.accumulate(1 / (i + 1) for i in range(len(partners))))
    for _ in range(n):
        moment = now - timedelta(seconds=rng.randrange(span))
        local = moment.astimezone(tz)
        yield (
            "in" if rng.random() < 0.2 else "uit",
            rng.choices(partners, cum_weights=cum_weights)[0],
            rng.choice(PURPOSES), rng.choice(METHODS),
            rng.choice((None, "ouder", "kind", "gezin")), rng.choice((None, "nt1", "nt2", "onbekend")),
            rng.choice(branches), ids["staff"], local.year * 100 + local.month, moment,
        )


COLUMNS = ("direction", "partner_id", "purpose", "method", "audience", "language", "branch_id",
           "staff_id", "month", "created_at", "updated_at", "theme", "phase", "version")


def seed(url: str, n: int, ids: dict) -> float:
    """Bulk-load n referrals straight into the table (the app's own code path is not the point)."""
    start = time.perf_counter()
    now = datetime.now(UTC)
    batch = 50_000
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.split("sqlite:///", 1)[1])
        conn.execute("PRAGMA journal_mode=WAL")
        sql = (f"INSERT INTO crm_referral ({', '.join(COLUMNS)}) "
               f"VALUES ({', '.join('?' * len(COLUMNS))})")
        rows = []
        for row in _rows(n, ids, now):
            stamp = row[-1].strftime("%Y-%m-%d %H:%M:%S.%f")
            rows.append((*row[:-1], stamp, stamp, "leren", "implementation", 1))
            if len(rows) >= batch:
                conn.executemany(sql, rows)
                rows.clear()
        conn.executemany(sql, rows)
        conn.commit()
        conn.execute("ANALYZE")
        conn.close()
    else:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            with conn.cursor() as cur, cur.copy(
                f"COPY crm_referral ({', '.join(COLUMNS)}) FROM STDIN"
            ) as copy:
                for row in _rows(n, ids, now):
                    copy.write_row((*row, row[-1], "leren", "implementation", 1))
            conn.execute("ANALYZE crm_referral")
    return time.perf_counter() - start


# -- statistics -------------------------------------------------------------------------------
def stats_child(url: str, rounds: int, cache: bool) -> None:
    """Runs in a fresh process: time the statistics page and report peak RSS as JSON.

    With ``cache`` it first fills the cache of closed months, as the nightly
    ``flask crm purge`` does, and reports how long that took.
    """
    import resource

    app = make_app(url)
    refresh_ms = None
    if cache:
        from crm.db import db, utcnow
        from crm.referrals.stats import refresh_month_cache

        with app.app_context():
            start = time.perf_counter()
            refresh_month_cache(utcnow())
            db.session.commit()
            refresh_ms = (time.perf_counter() - start) * 1000
    client = app.test_client()
    response = client.post("/inloggen", data={"email": "specialist@bench.example", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results = {}
    three_years = datetime.now(UTC) - timedelta(days=3 * 365)
    for label, query in (("12 maanden", ""), ("36 maanden", f"?start={three_years:%Y-%m}"),
                         ("12 mnd, 1 vestiging + soort", "?branch=2&kind=taalhuis")):
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            response = client.get(f"/verwijzingen/statistiek{query}")
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        results[label] = {"cold_ms": times[0], "warm_ms": statistics.median(times[1:] or times)}
    start = time.perf_counter()
    assert client.get("/verwijzingen/statistiek/grafiek/maand.svg").status_code == 200
    results["grafiek per maand (svg)"] = {"cold_ms": (time.perf_counter() - start) * 1000, "warm_ms": 0}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"results": results, "base_rss_mb": base_rss, "peak_rss_mb": peak,
                      "refresh_ms": refresh_ms}))


def measure_stats(url: str, rounds: int, cache: bool) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--stats-child", url, "--rounds", str(rounds),
         *(["--cache"] if cache else [])],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# -- POST throughput ------------------------------------------------------------------------------
def fire(port: int, path: str, forms, concurrency: int, cookie: str | None = None):
    statuses = []

    def one(form):
        try:
            return request(port, "POST", path, form=form, cookie=cookie)[0]
        except OSError as exc:
            return f"{type(exc).__name__}"

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        statuses = list(pool.map(one, forms))
    return time.perf_counter() - start, statuses


def count_rows(url: str, table: str) -> int:
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.split("sqlite:///", 1)[1])
        try:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def _referral_forms(token: str, partner: int):
    def forms(n):
        for i in range(n):
            yield {"csrf_token": token, "nonce": uuid.uuid4().hex, "direction": "uit",
                   "partner_id": partner, "purpose": PURPOSES[i % 9], "method": METHODS[i % 5],
                   "note": f"bench {i}"}
    return forms


def _load(port: int, path: str, forms, posts: int, concurrency: int, cookie: str | None, ok_status: int):
    fire(port, path, forms(min(40, posts)), concurrency, cookie)  # warm up every worker
    seconds, statuses = fire(port, path, forms(posts), concurrency, cookie)
    ok = sum(1 for s in statuses if s == ok_status)
    return {"seconds": seconds, "per_second": posts / seconds, "ok": ok, "errors": posts - ok}


def measure_posts(url: str, ids: dict, posts: int, concurrency: int, workers: int, kill_worker: bool,
                  workdir: Path) -> dict:
    """The same load against three servers, one after the other, in this run:
    the app's referral POST, the app doing no work (floor_app.py), a bare INSERT (bare_app.py)."""
    partner = ids["partners"][0]
    env = {"DATABASE_URL": url, "SECRET_KEY": SECRET}
    result = {}
    before = count_rows(url, "crm_referral")
    app_log = workdir / "app.log"
    with gunicorn("wsgi:app", env, workers=workers, log_path=app_log, preload=False) as (port, proc):
        cookie, token = login(port, "balie@bench.example", PASSWORD)
        forms = _referral_forms(token, partner)
        warm = count_rows(url, "crm_referral") + min(40, posts)
        result["app"] = _load(port, "/verwijzingen/nieuw", forms, posts, concurrency, cookie, 302)
        result["app"]["stored"] = count_rows(url, "crm_referral") - warm
        if kill_worker:
            result["kill"] = kill_during_load(url, port, proc, forms, posts, concurrency, cookie)
    result["app"]["locked"] = app_log.read_text(errors="replace").count("database is locked")
    result["app"]["total_new_rows"] = count_rows(url, "crm_referral") - before

    baselines = (("floor", "bench.floor_app:create()"), ("write_floor", "bench.write_floor_app:create()"))
    for name, spec in baselines:
        with gunicorn(spec, env, workers=workers, log_path=workdir / f"{name}.log",
                      preload=False) as (port, _p):
            cookie, token = login(port, "balie@bench.example", PASSWORD)
            result[name] = _load(port, "/verwijzingen/nieuw", _referral_forms(token, partner), posts,
                                 concurrency, cookie, 302)

    def bare_forms(n):
        for i in range(n):
            yield {"partner_id": partner, "purpose": PURPOSES[i % 9], "method": METHODS[i % 5],
                   "note": f"bench {i}"}

    with gunicorn("bench.bare_app:app", {"BARE_DB_URL": url}, workers=workers,
                  log_path=workdir / "bare.log", preload=False) as (port, _proc):
        result["bare"] = _load(port, "/insert", bare_forms, posts, concurrency, None, 201)
    result["ratio"] = result["app"]["per_second"] / result["bare"]["per_second"]
    result["floor_ratio"] = result["floor"]["per_second"] / result["bare"]["per_second"]
    result["write_floor_ratio"] = result["write_floor"]["per_second"] / result["bare"]["per_second"]
    result["app_of_floor"] = result["app"]["per_second"] / result["floor"]["per_second"]
    return result


def kill_during_load(url, port, proc, forms, posts, concurrency, cookie) -> dict:
    """SIGKILL one worker while POSTs run; every acknowledged (302) referral must be stored."""
    import threading

    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    before = count_rows(url, "crm_referral")
    victim = int(children[0]) if children else None

    def killer():
        time.sleep(0.3)
        if victim:
            os.kill(victim, signal.SIGKILL)

    thread = threading.Thread(target=killer)
    thread.start()
    _seconds, statuses = fire(port, "/verwijzingen/nieuw", forms(posts), concurrency, cookie)
    thread.join()
    acknowledged = sum(1 for s in statuses if s == 302)
    stored = count_rows(url, "crm_referral") - before
    return {"killed_pid": victim, "acknowledged": acknowledged, "stored": stored,
            "failed_requests": posts - acknowledged, "lost": max(0, acknowledged - stored)}


# -- main ----------------------------------------------------------------------------------------
def run(url: str, label: str, args, workdir: Path) -> None:
    log(f"\n== {label}: {url.split('@')[-1]}")
    ids = prepare_database(url)
    seconds = seed(url, args.rows, ids)
    log(f"seeded {args.rows:,} referrals in {seconds:.1f} s")
    for cache in (False, True):
        stats = measure_stats(url, args.rounds, cache)
        if cache:
            log(f"statistics page WITH the cache of closed months (filled in {stats['refresh_ms']:.0f} ms, "
                "as by the nightly `flask crm purge`):")
        else:
            log("statistics page WITHOUT the month cache (every row of the period read through the index):")
        for name, r in stats["results"].items():
            log(f"  {name:<32} cold {r['cold_ms']:8.1f} ms   warm {r['warm_ms']:8.1f} ms")
        log(f"  RSS: {stats['base_rss_mb']:.0f} MB after start, peak {stats['peak_rss_mb']:.0f} MB "
            f"(target < 250 MB)")
        warm = stats["results"]["12 maanden"]["warm_ms"]
        log(f"  target < 300 ms for the default page: {'met' if warm < 300 else 'NOT met'} ({warm:.0f} ms)")
    posts = measure_posts(url, ids, args.posts, args.concurrency, args.workers, args.kill_worker, workdir)
    app, floor, bare = posts["app"], posts["floor"], posts["bare"]
    log(f"POST throughput, {args.posts} posts, {args.concurrency} concurrent, "
        f"gunicorn {args.workers} workers:")
    log(f"  app   (login+CSRF+validation+audit): {app['per_second']:7.1f}/s  ok {app['ok']}  "
        f"errors {app['errors']}  stored {app['stored']}  'database is locked' {app['locked']}")
    log(f"  floor (login+CSRF, then no work):    {floor['per_second']:7.1f}/s  ok {floor['ok']}  "
        f"errors {floor['errors']}")
    write = posts["write_floor"]
    log(f"  write floor (floor + raw INSERT+audit): {write['per_second']:5.1f}/s  ok {write['ok']}  "
        f"errors {write['errors']}")
    log(f"  bare  (Flask + one INSERT):          {bare['per_second']:7.1f}/s  ok {bare['ok']}  "
        f"errors {bare['errors']}")
    log(f"  ratio app/bare: {posts['ratio']:.0%} (target >= 50%); floor/bare {posts['floor_ratio']:.0%}; "
        f"write floor/bare {posts['write_floor_ratio']:.0%}; app/floor {posts['app_of_floor']:.0%}")
    if "kill" in posts:
        k = posts["kill"]
        log(f"  worker {k['killed_pid']} killed mid-load: acknowledged {k['acknowledged']}, stored "
            f"{k['stored']}, failed requests {k['failed_requests']}, acknowledged but lost {k['lost']}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000, help="referrals to seed (1000000 for the target)")
    parser.add_argument("--posts", type=int, default=400, help="POSTs per throughput run")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5, help="statistics page requests per variant")
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG),
                        help="a database this script may drop and create")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--kill-worker", action="store_true", help="SIGKILL a worker during the load")
    parser.add_argument("--stats-child", help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=("sqlite", "pg"), help=argparse.SUPPRESS)
    parser.add_argument("--cache", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stats_child:
        stats_child(args.stats_child, args.rounds, args.cache)
        return
    if args.only:
        with tempfile.TemporaryDirectory(prefix="bench-referrals-") as tmp:
            workdir = Path(tmp)
            if args.only == "sqlite":
                run("sqlite:///" + str(workdir / "bench.sqlite"), "SQLite", args, workdir)
            else:
                run(args.pg_url, "PostgreSQL", args, workdir)
        return
    log(f"bench_referrals: {args.rows:,} rows; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    # Each database in its own process: the app factory runs once per process.
    targets = ([] if args.no_sqlite else ["sqlite"]) + (["pg"] if args.pg else [])
    for target in targets:
        subprocess.run([sys.executable, __file__, *sys.argv[1:], "--only", target], cwd=ROOT, check=False)

if __name__ == "__main__":
    main()
