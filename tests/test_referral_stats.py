"""Referral statistics, charts, exports and the retention purge (with a frozen clock)."""

from __future__ import annotations

import io
import re
import secrets
from datetime import UTC, datetime

import openpyxl
import pytest
from sqlalchemy import event, func, inspect, select, text

from crm.admin.models import Branch
from crm.admin.services import set_setting
from crm.audit import AuditEntry
from crm.db import db as db_proxy
from crm.network.models import Partner
from crm.referrals import stats as stats_module
from crm.referrals.models import Referral, ReferralMonthCache, ReferralMonthly
from crm.referrals.services import month_key
from crm.referrals.stats import StatsFilter, add_months, compute, purge_referrals
from tests.fixtures.app import is_postgres

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _add(partner, moment, purpose="taal-lezen", method="folder", direction="uit", branch=None, n=1):
    for _ in range(n):
        db_proxy.session.add(Referral(
            direction=direction, partner_id=partner.id, purpose=purpose, method=method,
            branch_id=branch.id if branch else None, created_at=moment, month=month_key(moment),
            nonce=secrets.token_urlsafe(12),
        ))


@pytest.fixture
def data(app):
    """A small log: this year and last year, two partners of two kinds, two branches."""
    with app.app_context():
        north, south = Branch(name="Noord"), Branch(name="Zuid")
        taalhuis = Partner(name="Taalhuis", kind="taalhuis")
        cb = Partner(name="Consultatiebureau", kind="consultatiebureau")
        db_proxy.session.add_all([north, south, taalhuis, cb])
        db_proxy.session.flush()
        _add(taalhuis, datetime(2026, 10, 3, 9, tzinfo=UTC), n=3, branch=north)
        _add(taalhuis, datetime(2026, 11, 2, 9, tzinfo=UTC), method="warme-overdracht", branch=south)
        _add(cb, datetime(2026, 11, 4, 9, tzinfo=UTC), purpose="voorlezen-boekstart", direction="in",
             branch=north, n=2)
        _add(taalhuis, datetime(2025, 11, 4, 9, tzinfo=UTC), n=4, branch=north)  # a year earlier
        _add(cb, datetime(2023, 1, 10, 9, tzinfo=UTC), purpose="opvoeden", n=2)  # very old
        db_proxy.session.commit()
        return {"north": north.id, "south": south.id, "taalhuis": taalhuis.id, "cb": cb.id}


def test_months_as_keys():
    assert add_months(202611, 1) == 202612
    assert add_months(202612, 1) == 202701
    assert add_months(202601, -1) == 202512
    assert add_months(202611, -24) == 202411
    assert stats_module.parse_month("2026-02") == 202602
    assert stats_module.parse_month("2026-13") is None
    assert stats_module.parse_month("nonsense") is None


def test_figures(app, data):
    with app.app_context():
        s = compute(StatsFilter.default(NOW))
        assert s.total == 6 and s.total_last_year == 4
        assert dict(s.by_purpose) == {"Taal en lezen": 4, "Voorlezen en BoekStart": 2}
        assert dict(s.by_method) == {"Folder of informatie meegegeven": 5, "Warme overdracht": 1}
        assert dict(s.by_branch) == {"Noord": 5, "Zuid": 1}
        assert dict(s.by_direction) == {"Verwezen naar een partner": 4, "Verwezen naar de bibliotheek": 2}
        assert s.by_partner == [("Taalhuis", 4, 0), ("Consultatiebureau", 0, 2)]
        assert s.by_month_purpose[202610] == {"taal-lezen": 3}
        assert s.by_month_purpose[202611] == {"taal-lezen": 1, "voorlezen-boekstart": 2}
        assert ("Taal en lezen", 4, 4) in s.comparison
        assert len(s.months) == 12 and s.months[-1] == 202611
        assert stats_module.change_percent(6, 4) == "+50%"
        assert stats_module.change_percent(3, 0) == "nieuw"


def test_filters(app, data):
    with app.app_context():
        assert compute(StatsFilter(202601, 202612, branch_id=data["south"])).total == 1
        assert compute(StatsFilter(202601, 202612, kind="consultatiebureau")).total == 2
        assert compute(StatsFilter(202611, 202611)).total == 3


def test_aggregations_run_in_sql(app, data):
    """Every statement over the referral tables groups in SQL; no single rows are loaded."""
    with app.app_context():
        engine = db_proxy.engine
        seen = []

        def capture(_conn, _cursor, statement, *_args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", capture)
        try:
            compute(StatsFilter.default(NOW))
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        touching = [s for s in seen if re.search(r"FROM crm_referral\b(?!_)", s)]
        # Every read of the log is an aggregate in SQL: GROUP BYs, and the first month (MIN).
        assert touching and all("GROUP BY" in s or s.startswith("SELECT min(") for s in touching), touching
        indexes = {i["name"] for i in inspect(db_proxy.session.connection()).get_indexes("crm_referral")}
        assert "ix_crm_referral_stats" in indexes
        if engine.dialect.name == "sqlite":
            plan = " ".join(str(r[-1]) for r in db_proxy.session.execute(text(
                "EXPLAIN QUERY PLAN SELECT month, purpose, count(*) FROM crm_referral "
                "WHERE month >= 202601 AND month <= 202612 GROUP BY month, purpose"
            )))
            assert "COVERING INDEX ix_crm_referral_stats" in plan, plan


# -- pages ----------------------------------------------------------------------------------
def test_stats_page_for_specialist(client, login_as, data):
    login_as("specialist")
    html = client.get("/verwijzingen/statistiek?start=2026-01&end=2026-12").get_data(as_text=True)
    assert "Statistiek verwijzingen" in html
    assert "januari 2026 t/m december 2026" in html
    assert '<th scope="row">Taalhuis</th>' in html
    assert "/verwijzingen/statistiek/grafiek/maand.svg?start=2026-01&amp;end=2026-12" in html
    assert 'alt="Grafiek: Verwijzingen per maand' in html
    assert "+50%" in html  # 6 against 4 a year earlier


def test_stats_filters_and_bad_period(client, login_as, data):
    login_as("admin")
    html = client.get(f"/verwijzingen/statistiek?start=2026-01&end=2026-12&branch={data['south']}")
    assert "<strong>1</strong> verwijzingen" in html.get_data(as_text=True)
    bad = client.get("/verwijzingen/statistiek?start=2026-12&end=2026-01")
    assert bad.status_code == 422
    assert "De laatste maand ligt vóór de eerste" in bad.get_data(as_text=True)
    assert client.get("/verwijzingen/statistiek?start=maart").status_code == 422


TOO_LARGE = "99999999999999999999"  # no id or year: the database cannot even take it as a parameter


def test_stats_ignore_a_too_large_branch(client, login_as, data):
    login_as("specialist")
    period = "start=2026-01&end=2026-12"
    response = client.get(f"/verwijzingen/statistiek?{period}&branch={TOO_LARGE}")
    assert response.status_code == 200
    assert "<strong>6</strong> verwijzingen" in response.get_data(as_text=True)  # all branches
    assert client.get(f"/verwijzingen/statistiek?branch={2**31}").status_code == 200
    chart = client.get(f"/verwijzingen/statistiek/grafiek/maand.svg?{period}&branch={TOO_LARGE}")
    assert chart.status_code == 200
    for what in ("rijen", "cijfers"):
        export = client.post(f"/verwijzingen/export/{what}.csv",
                             data={"start": "2026-01", "end": "2026-12", "branch": TOO_LARGE})
        assert export.status_code == 200 and export.mimetype == "text/csv"


@pytest.mark.parametrize("query", [f"start={TOO_LARGE}-01", f"end={TOO_LARGE}-01", "end=10000-01",
                                   "start=0-01"])
def test_stats_refuse_a_month_beyond_four_digit_years(client, login_as, query):
    login_as("specialist")
    response = client.get(f"/verwijzingen/statistiek?{query}")
    assert response.status_code == 422
    assert "Vul een maand in, bijvoorbeeld" in response.get_data(as_text=True)
    assert client.get(f"/verwijzingen/statistiek/grafiek/maand.svg?{query}").status_code == 200


@pytest.mark.parametrize("typed", ["januari 2026", "jan 2026", "1-2026", "01/2026", "2026-01"])
def test_a_month_may_be_typed_as_people_write_it(client, login_as, typed):
    """Where the browser shows a text box instead of a month picker (Firefox, Safari)."""
    login_as("specialist")
    response = client.get("/verwijzingen/statistiek", query_string={"start": typed, "end": "maart 2026"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "januari 2026" in html and "maart 2026" in html
    assert "april 2026" not in html  # the period asked for, not the default year
    assert 'value="2026-01"' in html and 'value="2026-03"' in html  # as a month field shows it


def test_wide_tables_can_be_scrolled_with_the_keyboard(client, login_as, data):
    """A table wider than its column scrolls sideways: its wrapper is a named, focusable region."""
    login_as("specialist")
    html = client.get("/verwijzingen/statistiek?start=2026-01&end=2026-12").get_data(as_text=True)
    wraps = re.findall(r'<div class="table-wrap"[^>]*>', html)
    assert wraps and all('tabindex="0"' in w and 'role="region"' in w for w in wraps)
    assert '<div class="table-wrap" tabindex="0" role="region" aria-label="Tabel: Verwijzingen per maand' in html


def test_stats_empty_state(client, login_as):
    login_as("specialist")
    html = client.get("/verwijzingen/statistiek").get_data(as_text=True)
    assert "Er zijn geen verwijzingen in deze periode" in html


def test_frontoffice_has_no_statistics(client, login_as):
    login_as("frontoffice")
    assert client.get("/verwijzingen/statistiek").status_code == 403
    assert client.get("/verwijzingen/statistiek/grafiek/maand.svg").status_code == 403
    assert client.post("/verwijzingen/export/rijen.csv").status_code == 403


@pytest.mark.parametrize("chart", ["maand", "richting", "partner", "doel", "manier", "vestiging",
                                   "vergelijking"])
def test_charts_are_svg(client, login_as, data, chart):
    login_as("specialist")
    response = client.get(f"/verwijzingen/statistiek/grafiek/{chart}.svg?start=2026-01&end=2026-12")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data.lstrip().startswith(b"<?xml") and b"<svg" in response.data


@pytest.mark.parametrize("chart", sorted(stats_module.CHARTS))
def test_each_chart_computes_only_its_part_and_draws_the_same(app, data, chart):
    """A chart image runs only the GROUP BYs it draws, yet shows what the full figures show."""
    from crm.referrals.charts import chart_svg

    with app.app_context():
        flt = StatsFilter.default(NOW)
        part = compute(flt, stats_module.chart_parts(chart))
        assert chart_svg(chart, part) == chart_svg(chart, compute(flt))
        assert len(stats_module.chart_parts(chart)) < len(stats_module.ALL_PARTS)


def test_unknown_chart_is_404(client, login_as):
    login_as("specialist")
    assert client.get("/verwijzingen/statistiek/grafiek/geheim.svg").status_code == 404


def test_empty_chart_still_draws(client, login_as):
    login_as("specialist")
    response = client.get("/verwijzingen/statistiek/grafiek/maand.svg")
    assert response.status_code == 200 and b"Geen verwijzingen" in response.data


# -- exports ----------------------------------------------------------------------------------
def test_export_figures_csv_neutralises_formulas(app, client, login_as, data):
    with app.app_context():
        evil = Partner(name="=HYPERLINK(\"http://x\")", kind="welzijn")
        db_proxy.session.add(evil)
        db_proxy.session.flush()
        _add(evil, datetime(2026, 11, 5, tzinfo=UTC))
        db_proxy.session.commit()
    user_id = login_as("specialist")
    response = client.post("/verwijzingen/export/cijfers.csv", data={"start": "2026-01", "end": "2026-12"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ";=HYPERLINK" not in text
    assert "Per doel;Taal en lezen" in text
    with app.app_context():
        entry = db_proxy.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
        assert entry.actor_id == user_id and entry.record_type == "crm_referral"


def test_export_rows_xlsx_is_anonymous(app, client, login_as, data):
    with app.app_context():
        cb = db_proxy.session.get(Partner, data["cb"])
        cb.name = "@SUM(1+1)"
        r = db_proxy.session.scalar(select(Referral).where(Referral.partner_id == data["cb"]).limit(1))
        r.note = "geheime notitie"
        db_proxy.session.commit()
    login_as("admin")
    response = client.post("/verwijzingen/export/rijen.xlsx", data={"start": "2026-01", "end": "2026-12"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Datum", "Maand", "Richting", "Partner", "Soort partner", "Doel", "Manier",
                       "Voor wie", "Taalachtergrond", "Vestiging")
    assert len(rows) == 1 + 6
    # XLSX keeps the name as it is, stored as text (no apostrophe: F5 of review 2).
    assert "@SUM(1+1)" in {row[3] for row in rows}
    cell = next(c for c in sheet["D"] if c.value == "@SUM(1+1)")
    assert cell.data_type == "s" and cell.quotePrefix
    flat = " ".join(str(v) for row in rows for v in row)
    assert "geheime notitie" not in flat


def test_export_unknown_format_is_404(client, login_as):
    login_as("specialist")
    assert client.post("/verwijzingen/export/rijen.pdf").status_code == 404


# -- retention ---------------------------------------------------------------------------------
def _counts(app):
    with app.app_context():
        live = db_proxy.session.scalar(select(func.count()).select_from(Referral))
        rolled = db_proxy.session.scalar(select(func.coalesce(func.sum(ReferralMonthly.count), 0)))
        return live, rolled


def test_purge_rolls_up_then_deletes_and_is_idempotent(app, data):
    with app.app_context():
        before = compute(StatsFilter(202201, 202611))
        line = purge_referrals(NOW)  # 24 months: everything before November 2024 goes
        db_proxy.session.commit()
        assert "2 van vóór november 2024 verwijderd" in line
    assert _counts(app) == (10, 2)
    with app.app_context():
        again = purge_referrals(NOW)
        db_proxy.session.commit()
        assert "niets ouder dan 24 maanden" in again
        after = compute(StatsFilter(202201, 202611))
        assert after.total == before.total == 12
        assert dict(after.by_purpose) == dict(before.by_purpose)
        assert after.by_month_purpose[202301] == {"opvoeden": 2}
    assert _counts(app) == (10, 2)


def test_purge_follows_the_setting(app, data):
    with app.app_context():
        set_setting("referral_retention_months", 6)
        db_proxy.session.commit()
        purge_referrals(NOW)
        db_proxy.session.commit()
        remaining = db_proxy.session.scalars(select(Referral.month)).all()
        assert remaining and min(remaining) >= 202605
        assert compute(StatsFilter(202501, 202512)).total == 4  # last year's now from the totals
    assert _counts(app) == (6, 6)


def test_purge_adds_to_existing_totals(app, data):
    """A month rolled up in parts (e.g. a late correction) adds up instead of clashing."""
    with app.app_context():
        purge_referrals(NOW)
        db_proxy.session.commit()
        cb = db_proxy.session.get(Partner, data["cb"])
        _add(cb, datetime(2023, 1, 11, 9, tzinfo=UTC), purpose="opvoeden")
        db_proxy.session.commit()
        purge_referrals(NOW)
        db_proxy.session.commit()
        rows = db_proxy.session.scalars(select(ReferralMonthly)).all()
        assert [(r.month, r.count) for r in rows] == [(202301, 3)]


def test_purge_command(app, data):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["crm", "purge"])
    assert result.exit_code == 0, result.output
    assert "Verwijzingen:" in result.output
    assert _counts(app)[1] >= 2  # at least the 2023 referrals (depends on today)


def test_retention_setting_on_admin_page(client, login_as):
    login_as("admin")
    html = client.get("/beheer/instellingen").get_data(as_text=True)
    assert "Bewaartermijn verwijzingen (maanden)" in html and 'value="24"' in html


def test_database_in_use_is_known():
    # Documents which database this run used (the suite also runs on PostgreSQL).
    assert is_postgres() in (True, False)


def test_stats_escape_partner_names(app, client, login_as):
    with app.app_context():
        evil = Partner(name="<script>alert(1)</script>", kind="welzijn")
        db_proxy.session.add(evil)
        db_proxy.session.flush()
        _add(evil, datetime.now(UTC))
        db_proxy.session.commit()
    login_as("specialist")
    html = client.get("/verwijzingen/statistiek").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_start_page_panel_for_specialist(app, client, login_as):
    with app.app_context():
        partner = Partner(name="Taalhuis", kind="taalhuis")
        db_proxy.session.add(partner)
        db_proxy.session.flush()
        _add(partner, datetime.now(UTC), n=2)
        db_proxy.session.commit()
    login_as("specialist")
    html = client.get("/").get_data(as_text=True)
    assert "Verwijzingen deze maand" in html and "<strong>2</strong> verwijzingen" in html
    assert "Verwijzing registreren" not in html  # specialists do not register at the desk


def test_demo_seeder(app):
    from crm.demo import seed_demo

    with app.app_context():
        seed_demo()
        db_proxy.session.commit()
        assert db_proxy.session.scalar(select(func.count()).select_from(Referral)) == 420
        names = set(db_proxy.session.scalars(select(Partner.name)))
        assert "Taalhuis Rivierstad" in names and "Voedselbank Rivierstad" in names
        assert compute(StatsFilter.default()).total > 300


# -- the cache of closed months ----------------------------------------------------------------
def _snapshot(s):
    return (s.total, s.total_last_year, s.by_purpose, s.by_method, s.by_branch, s.by_partner,
            s.by_direction, s.comparison, s.by_month_purpose, s.by_month_direction)


def test_month_cache_gives_the_same_figures(app, data):
    with app.app_context():
        filters = [StatsFilter(202201, 202611), StatsFilter.default(NOW),
                   StatsFilter(202510, 202611, branch_id=data["north"]),
                   StatsFilter(202510, 202611, kind="taalhuis")]
        before = [_snapshot(compute(f)) for f in filters]
        assert stats_module.refresh_month_cache(NOW) == 3  # 2023-01, 2025-11, 2026-10; not 2026-11
        db_proxy.session.commit()
        assert stats_module.refresh_month_cache(NOW) == 0  # idempotent
        assert [_snapshot(compute(f)) for f in filters] == before
        engine, seen = db_proxy.engine, []

        def capture(_conn, _cursor, statement, *_args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", capture)
        try:
            compute(StatsFilter(202610, 202611))
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        live = [s for s in seen if re.search(r"FROM crm_referral\b(?!_)", s) and not s.startswith("SELECT min(")]
        assert live and all("IN (" in s for s in live), live  # only the uncached month is read


def test_correcting_a_cached_month_drops_it(app, data):
    from crm.referrals import services

    with app.app_context():
        stats_module.refresh_month_cache(NOW)
        db_proxy.session.commit()
        old = db_proxy.session.scalar(select(Referral).where(Referral.month == 202610).limit(1))
        services.update_referral(old, services.ReferralData("uit", data["taalhuis"], "geldzaken", "folder"),
                                 old.version)
        db_proxy.session.commit()
        months = set(db_proxy.session.scalars(select(ReferralMonthCache.month)))
        assert 202610 not in months and 202511 in months
        s = compute(StatsFilter(202610, 202610))
        assert dict(s.by_purpose) == {"Taal en lezen": 2, "Geldzaken": 1}
        services.delete_referral(old)
        db_proxy.session.commit()
        assert compute(StatsFilter(202610, 202610)).total == 2


def test_purge_after_cache_counts_once(app, data):
    with app.app_context():
        stats_module.refresh_month_cache(NOW)
        db_proxy.session.commit()
        set_setting("referral_retention_months", 6)
        purge_referrals(NOW)
        db_proxy.session.commit()
        assert compute(StatsFilter(202201, 202611)).total == 12
        assert not db_proxy.session.scalars(
            select(ReferralMonthCache).where(ReferralMonthCache.month < 202605)).all()


def test_tracker_sees_the_referral_log(app, data):
    from crm.guide import Phase, Theme
    from crm.registry import current_registry

    with app.test_request_context():
        _add(db_proxy.session.get(Partner, data["cb"]), datetime.now(UTC))
        db_proxy.session.commit()
        registry = current_registry()
        instruments = registry.instruments_of(Theme.LEARNING, Phase.IMPLEMENTATION)
        assert [i.endpoint for i in instruments] == ["crm.referral_stats"]
        refs = [r for r in registry.records_of(Theme.LEARNING, Phase.IMPLEMENTATION)
                if r.kind == "verwijzingen"]
        assert len(refs) == 1 and refs[0].label.startswith("Verwijzingen: ")
        others = registry.records_of(Theme.PROFILING, Phase.CREATION)
        assert not [r for r in others if r.kind == "verwijzingen"]


def test_comparison_with_a_year_earlier_says_when_the_log_began_later(app, client, login_as):
    from crm.referrals.stats import StatsFilter, compute

    login_as("specialist")
    with app.app_context():
        flt = StatsFilter.default()
        assert compute(flt).first_month is None  # nothing at all: no warning either
    with app.app_context():
        partner = Partner(name="Taalhuis", kind="taalhuis")
        db_proxy.session.add(partner)
        db_proxy.session.flush()
        _add(partner, datetime.now(UTC))  # the log begins this month
        db_proxy.session.commit()
    with app.app_context():
        stats = compute(flt)
        assert stats.first_month == flt.end
    page = client.get("/verwijzingen/statistiek").get_data(as_text=True)
    assert "De periode een jaar eerder is dus niet compleet" in page
    # ... and so does the export that goes to the municipality
    frame = _figures_csv(client)
    differences = frame[frame["Onderdeel"] == "Vergelijking: verschil"]
    assert differences["Opmerking"].str.contains("een jaar eerder is niet compleet").all()
    assert differences["Opmerking"].str.contains("nieuw").any()


def _figures_csv(client):
    import io

    import pandas as pd

    response = client.post("/verwijzingen/export/cijfers.csv")
    return pd.read_csv(io.BytesIO(response.data), sep=";", encoding="utf-8-sig", dtype=str).fillna("")
