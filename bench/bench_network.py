"""Benchmark of the network pages at library-network scale.

Seeds (at --scale 1) 10,000 organisations, 50,000 people and 200,000 contact moments
into a fresh database, then measures the list pages, search and the start page through
the WSGI app (Flask test client: routing, auth, templates, the whole stack) and a bare
Flask route that runs one SELECT on the same database, in the same run. Prints p50/p95
per page and the ratio to the bare route; also times an import of 10,000 rows.

    python bench/bench_network.py --scale 0.05          # quick (seconds)
    python bench/bench_network.py                       # full size (a few minutes)
    python bench/bench_network.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Target (issue 3): every page p95 < 100 ms at full size; import of 10,000 rows < 5 s.
The PostgreSQL database given is emptied first: never point it at real data.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402

KINDS = ("consultatiebureau", "kinderopvang", "peuteropvang", "basisschool", "welzijn", "cjg",
         "verloskundige", "voedselbank", "schuldhulp", "buurthuis", "taalhuis", "roc-nt2", "gemeente",
         "intern-team")
STATUSES = ("prospect", "verkennend", "actief", "gepauzeerd", "beeindigd")
PLACES = ("Rivierstad", "Beekdorp", "Heuvelrug", "Zandvoorde", "Molenwaard")
WORDS = ("voorlezen", "taal", "ouders", "peuters", "school", "armoede", "gezin", "boekstart", "vve",
         "welzijn")
PASSWORD = "Zeven-kraaien-op-een-hek-1987"  # noqa: S105


def build_app(url: str):
    from crm import create_app
    from crm.config import TestConfig

    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(CRM_DATABASE_URL=url, SQLALCHEMY_DATABASE_URI=url, TESTING=False)
    app = create_app(config)

    @app.route("/_bench/select")
    def bare_select():
        db = app.extensions["crm"].db
        rows = db.session.execute(text("SELECT id, name FROM crm_partner ORDER BY name LIMIT 25")).all()
        return {"rows": len(rows)}

    return app


def reset(app) -> None:
    from crm.db import Base

    with app.app_context():
        engine = app.extensions["crm"].db.engine
        Base.metadata.drop_all(engine)
        Base.metadata.create_all(engine)


def seed(app, n_partners: int, n_people: int, n_moments: int) -> int:
    from crm.auth.services import create_user
    from crm.network.models import (
        Affiliation,
        Contact,
        Interaction,
        Partner,
        interaction_contacts,
        interaction_partners,
    )

    rnd = random.Random(42)
    now = datetime.now(UTC)
    today = date.today()
    with app.app_context():
        db = app.extensions["crm"].db
        user, _ = create_user("bench@bibliotheek.example", "Bench Specialist", "specialist", PASSWORD)
        db.session.commit()
        uid = user.id
        conn = db.session.connection()

        def chunks(rows_fn, total, table, size=5000):
            for start in range(0, total, size):
                conn.execute(insert(table), [rows_fn(i) for i in range(start, min(total, start + size))])

        chunks(lambda i: {"id": i + 1, "name": f"{rnd.choice(WORDS).title()} {rnd.choice(PLACES)} {i}",
                          "kind": KINDS[i % len(KINDS)], "internal": i % 25 == 0, "status": STATUSES[i % 5],
                          "offer": f"Aanbod {rnd.choice(WORDS)} voor gezinnen", "place": rnd.choice(PLACES),
                          "tags": [rnd.choice(WORDS)], "version": 1, "theme": "samenwerken",
                          "phase": "orientation", "created_at": now, "updated_at": now},
               n_partners, Partner.__table__)
        chunks(lambda i: {"id": i + 1, "name": f"Persoon {i} {rnd.choice(WORDS)}",
                          "email": f"p{i}@bench.example",
                          "domains": [rnd.choice(("onderwijs", "vve", "armoede"))],
                          "influence": rnd.randint(1, 5), "interest": rnd.randint(1, 5), "warmth": "lauw",
                          "version": 1, "theme": "profilering", "phase": "orientation",
                          "created_at": now, "updated_at": now},
               n_people, Contact.__table__)
        chunks(lambda i: {"contact_id": i + 1, "partner_id": (i % n_partners) + 1, "function": "medewerker",
                          "created_at": now, "updated_at": now},
               n_people, Affiliation.__table__)
        chunks(lambda i: {"id": i + 1, "kind": "telefoon", "occurred_on": today - timedelta(days=i % 1500),
                          "summary": f"Gesprek over {rnd.choice(WORDS)} en {rnd.choice(WORDS)} {i}",
                          "follow_up": "terugbellen" if i % 50 == 0 else None,
                          "follow_up_due": today + timedelta(days=(i % 20) - 10) if i % 50 == 0 else None,
                          "follow_up_owner_id": uid if i % 50 == 0 else None, "owner_id": uid,
                          "version": 1, "theme": "samenwerken", "phase": "implementation",
                          "created_at": now, "updated_at": now},
               n_moments, Interaction.__table__)
        chunks(lambda i: {"interaction_id": i + 1, "contact_id": (i % n_people) + 1},
               n_moments, interaction_contacts)
        chunks(lambda i: {"interaction_id": i + 1, "partner_id": (i % n_partners) + 1},
               n_moments, interaction_partners)
        if db.engine.dialect.name == "postgresql":  # explicit ids above: move the sequences on
            for table in ("crm_partner", "crm_contact", "crm_interaction", "crm_affiliation"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as c:
                c.exec_driver_sql("ANALYZE")
        else:
            with db.engine.connect() as c:
                c.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    return uid


def measure(client, url: str, repeats: int) -> list[float]:
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return times


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def time_import(app, n_rows: int) -> float:
    from crm.admin.services import choices
    from crm.network import import_files, transfer

    lines = ["naam;soort;status;plaats;e-mail;telefoon;labels"]
    lines += [f"Import organisatie {i};welzijn;actief;Importstad;info{i}@import.example;010 123 45 67;vve"
              for i in range(n_rows)]
    body = ("\n".join(lines) + "\n").encode()
    with app.test_request_context():
        db = app.extensions["crm"].db
        lists = {k: choices(k) for k in ("partner_kinds", "contact_positions", "policy_domains")}
        start = time.perf_counter()
        table = import_files.read_table(body, "import.csv", 50 * 1024 * 1024)
        preview = transfer.check("organisaties", table, lists)
        assert preview.ok, [r.errors for r in preview.rows if r.errors][:3]
        transfer.apply(preview, {}, None)
        db.session.commit()
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 10k/50k/200k rows")
    parser.add_argument("--repeats", type=int, default=30, help="timed requests per page")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()

    url = args.database_url
    if url is None:
        url = "sqlite:///" + str(Path(tempfile.mkdtemp(prefix="crm-bench-")) / "bench.sqlite")
    n_partners = max(30, int(10_000 * args.scale))
    n_people = max(60, int(50_000 * args.scale))
    n_moments = max(100, int(200_000 * args.scale))

    app = build_app(url)
    reset(app)
    start = time.perf_counter()
    seed(app, n_partners, n_people, n_moments)
    print(f"Database: {url.split('@')[-1]}")
    print(f"Seeded {n_partners} organisations, {n_people} people, {n_moments} contact moments "
          f"in {time.perf_counter() - start:.1f} s")

    client = app.test_client()
    r = client.post("/inloggen", data={"email": "bench@bibliotheek.example", "password": PASSWORD})
    assert r.status_code == 302, "login failed"
    pages = {
        "bare SELECT route": "/_bench/select",
        "start page": "/",
        "partners": "/partners",
        "partners, filter+sort": "/partners?soort=welzijn&status=actief&sorteer=-gewijzigd",
        "partners, page 40": "/partners?pagina=40",
        "partners, tag": "/partners?label=vve",
        "people": "/personen",
        "people, domain": "/personen?domein=vve&sorteer=-invloed",
        "contact moments": "/contactmomenten",
        "contact moments, open": "/contactmomenten?open=1&van=mij",
        "search": "/zoeken?q=voorlezen",
        "search, rare word": "/zoeken?q=zzzqqq",
        "sociale kaart": "/sociale-kaart?q=taal",
        "partner detail": "/partners/1",
        "person detail": "/personen/1",
    }
    results = {}
    for label, page in pages.items():
        results[label] = measure(client, page, args.repeats)
    base = pct(results["bare SELECT route"], 95) or 0.001
    print(f"\n{'page':<26}{'p50 ms':>9}{'p95 ms':>9}{'× bare p95':>12}  target p95 < 100 ms")
    for label, times in results.items():
        p95 = pct(times, 95)
        flag = "" if p95 < 100 else "  OVER"
        print(f"{label:<26}{statistics.median(times):>9.1f}{p95:>9.1f}{p95 / base:>12.1f}{flag}")

    n_import = max(100, int(10_000 * args.scale))
    seconds = time_import(app, n_import)
    print(f"\nImport of {n_import} organisations (read, check, store): {seconds:.2f} s "
          "(target < 5 s at 10,000)")


if __name__ == "__main__":
    main()
