"""Statistics and exports after review 2: why the raw rows have fewer referrals after a purge
(F2), the change as its own number and clean XLSX text (F5), the period in the filter
fields (F13) and chart text that is readable at the size the page shows it (F14)."""

from __future__ import annotations

import csv
import html
import io
import re
import secrets
from datetime import UTC, datetime

import openpyxl
import pandas as pd
import pytest

from crm.admin.models import Branch
from crm.admin.services import set_setting
from crm.db import db
from crm.network.models import Partner
from crm.referrals.models import Referral
from crm.referrals.services import month_key
from crm.referrals.stats import CHARTS, StatsFilter, purge_referrals

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PERIOD = {"start": "2025-09", "end": "2026-11"}


def _add(partner, moment, purpose="taal-lezen", n=1, branch=None):
    for _ in range(n):
        db.session.add(Referral(
            direction="uit", partner_id=partner.id, purpose=purpose, method="folder",
            branch_id=branch.id if branch else None, created_at=moment, month=month_key(moment),
            nonce=secrets.token_urlsafe(12),
        ))


@pytest.fixture
def log(app):
    """6 referrals in autumn 2026, 4 in November 2025 and 2 in January 2023."""
    with app.app_context():
        north = Branch(name="Noord")
        taalhuis = Partner(name="Taalhuis", kind="taalhuis")
        cb = Partner(name="Consultatiebureau", kind="consultatiebureau")
        db.session.add_all([north, taalhuis, cb])
        db.session.flush()
        _add(taalhuis, datetime(2026, 10, 3, 9, tzinfo=UTC), n=3, branch=north)
        _add(taalhuis, datetime(2026, 11, 2, 9, tzinfo=UTC))
        _add(cb, datetime(2026, 11, 4, 9, tzinfo=UTC), purpose="voorlezen-boekstart", n=2)
        _add(taalhuis, datetime(2025, 11, 4, 9, tzinfo=UTC), n=4, branch=north)
        _add(cb, datetime(2023, 1, 10, 9, tzinfo=UTC), purpose="opvoeden", n=2)
        db.session.commit()
        return {"north": north.id, "taalhuis": taalhuis.id}


@pytest.fixture
def purged(app, log):
    """Retention 6 months, purged on 25 November 2026: November 2025 and older are totals only."""
    with app.app_context():
        set_setting("referral_retention_months", 6)
        purge_referrals(NOW)
        db.session.commit()
    return log


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def _post(client, what, fmt, **extra):
    response = client.post(f"/verwijzingen/export/{what}.{fmt}", data={**PERIOD, **extra})
    assert response.status_code == 200, response.data[:300]
    return response


# -- F2: the raw rows after a purge -------------------------------------------------------
def test_page_says_why_the_raw_rows_have_fewer_referrals(client, login_as, purged):
    login_as("specialist")
    response = client.get("/verwijzingen/statistiek", query_string=PERIOD)
    text = _text(response)
    assert "10 verwijzingen in september 2025 t/m november 2026" in text
    assert ("Let op: in ‘De losse verwijzingen’ ontbreken 4 van de 10 verwijzingen, die van "
            "november 2025.") in text
    assert "nu 6 maanden (de bewaartermijn)" in text
    assert "Die tellen wel mee in ‘De cijfers’ en op deze pagina." in text
    assert "Losse verwijzingen zijn er vanaf december 2025." in text
    # The note sits with the raw-rows buttons, and a screen reader hears it with them.
    page = response.get_data(as_text=True)
    assert page.count('aria-describedby="rijen-toelichting"') == 2


def test_no_note_when_the_period_has_every_row(client, login_as, purged, log):
    login_as("specialist")
    recent = {"start": "2026-01", "end": "2026-11"}
    assert "ontbreken" not in _text(client.get("/verwijzingen/statistiek", query_string=recent))
    response = client.post("/verwijzingen/export/rijen.xlsx", data=recent)
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Export"]
    assert re.search(r'filename="verwijzingen-rijen-\d{4}-\d\d-\d\d\.xlsx"',
                     response.headers["Content-Disposition"])


def test_no_note_before_any_purge(client, login_as, log):
    login_as("specialist")
    assert "ontbreken" not in _text(client.get("/verwijzingen/statistiek", query_string=PERIOD))


def test_note_follows_the_filters(client, login_as, purged):
    """Only what the filters count: the 4 purged referrals of Noord, none of another branch."""
    login_as("specialist")
    with_branch = _text(client.get("/verwijzingen/statistiek",
                                   query_string={**PERIOD, "branch": purged["north"]}))
    assert "ontbreken 4 van de 7 verwijzingen" in with_branch
    kind = _text(client.get("/verwijzingen/statistiek", query_string={**PERIOD, "kind": "consultatiebureau"}))
    assert "ontbreken" not in kind


def test_rows_xlsx_explains_on_a_second_sheet(client, login_as, purged):
    login_as("specialist")
    response = _post(client, "rijen", "xlsx")
    assert 'filename="verwijzingen-rijen-vanaf-2025-12-' in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Export", "Toelichting"]
    assert book["Export"].max_row == 1 + 6  # the rows that still exist
    lines = [row[0] for row in book["Toelichting"].iter_rows(min_row=2, values_only=True)]
    note = " ".join(lines)
    assert "de losse verwijzingen van september 2025 t/m november 2026. Het zijn er 6." in note
    assert "in deze periode zijn 10 verwijzingen geregistreerd. Er ontbreken er hier 4, van november 2025." in note
    assert "de bewaartermijn, nu 6 maanden" in note
    assert "'De cijfers'" in note


def test_rows_csv_stays_a_plain_table(client, login_as, purged):
    login_as("specialist")
    response = _post(client, "rijen", "csv")
    assert 'filename="verwijzingen-rijen-vanaf-2025-12-' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Datum", "Maand", "Richting"]
    assert len(rows) == 1 + 6 and all(len(r) == len(rows[0]) for r in rows)


# -- F5: the change as a number, clean XLSX text -------------------------------------------
def _comparison(frame: pd.DataFrame) -> dict[str, tuple]:
    part = frame[frame["Onderdeel"] == "Vergelijking: verschil"]
    return {row["Wat"]: (row["Periode"], row["Aantal"], row["Verandering (%)"], row["Opmerking"])
            for _, row in part.iterrows()}


def test_figures_csv_has_the_change_in_its_own_numeric_column(client, login_as, log):
    login_as("specialist")
    response = client.post("/verwijzingen/export/cijfers.csv", data={"start": "2026-01", "end": "2026-12"})
    text = response.data.decode("utf-8-sig")
    assert text.splitlines()[0] == "Onderdeel;Wat;Periode;Aantal;Verandering (%);Opmerking"
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    changes = _comparison(frame)
    both = "januari 2026 t/m december 2026 vergeleken met januari 2025 t/m december 2025"
    assert changes["Taal en lezen"] == (both, "0", "0", "")  # 4 against 4
    assert changes["Voorlezen en BoekStart"] == (both, "2", "", "nieuw")  # nothing a year earlier
    assert changes["Totaal"] == (both, "2", "50", "")  # 6 against 4
    assert "'" not in text and "%" not in text.replace("Verandering (%)", "")
    # The periods stay periods: no change or difference hides in "Periode".
    assert set(frame["Periode"]) <= {"januari 2026 t/m december 2026", "januari 2025 t/m december 2025",
                                     both} | {f"{m} 2026" for m in ("januari", "februari", "maart", "april",
                                              "mei", "juni", "juli", "augustus", "september", "oktober",
                                              "november", "december")}


def test_figures_xlsx_has_numbers_and_text_without_apostrophes(app, client, login_as, log):
    with app.app_context():
        plus = Partner(name="+31 Welzijn", kind="welzijn")
        evil = Partner(name='=HYPERLINK("http://x")', kind="welzijn")
        db.session.add_all([plus, evil])
        db.session.flush()
        _add(plus, datetime(2026, 11, 5, tzinfo=UTC))
        _add(evil, datetime(2026, 11, 6, tzinfo=UTC))
        db.session.commit()
    login_as("specialist")
    response = client.post("/verwijzingen/export/cijfers.xlsx", data={"start": "2026-01", "end": "2026-12"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["Export"]
    header = [c.value for c in sheet[1]]
    assert header == ["Onderdeel", "Wat", "Periode", "Aantal", "Verandering (%)", "Opmerking"]
    rows = {(r[0].value, r[1].value): r for r in sheet.iter_rows(min_row=2)}
    total = rows[("Vergelijking: verschil", "Totaal")]
    assert total[4].value == 100 and total[4].data_type == "n"  # 8 against 4
    new = rows[("Vergelijking: verschil", "Voorlezen en BoekStart")]
    assert new[4].value is None and new[5].value == "nieuw"
    names = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row[1:2]}
    assert "+31 Welzijn" in names and '=HYPERLINK("http://x")' in names
    for name in ("+31 Welzijn", '=HYPERLINK("http://x")'):
        assert names[name].data_type == "s" and names[name].quotePrefix  # text, never a formula
    strings = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith("'") for v in strings)
    # The CSV of the same figures keeps its guard: there a cell has no type.
    text = client.post("/verwijzingen/export/cijfers.csv",
                       data={"start": "2026-01", "end": "2026-12"}).data.decode("utf-8-sig")
    assert "'+31 Welzijn" in text and "'=HYPERLINK" in text


def test_xlsx_export_keeps_text_as_text_for_every_package(app):
    """``crm.exports`` is shared: strings stay as they are, control characters cannot break it."""
    from crm.exports import to_xlsx

    frame = pd.DataFrame({"Naam": ["=1+1", "-5 graden", "@home", "bel\x01 mij", "gewoon"],
                          "Aantal": [1, 2, 3, 4, 5]})
    with app.test_request_context():
        sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame))).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == ["=1+1", "-5 graden", "@home", "bel mij", "gewoon"]
    assert all(c.data_type == "s" for c in cells)
    assert [c.quotePrefix for c in cells] == [True, True, True, False, False]
    assert [r[1].value for r in sheet.iter_rows(min_row=2)] == [1, 2, 3, 4, 5]


# -- F13: the filter shows the period in use --------------------------------------------------
def _value(page: str, field: str) -> str:
    return re.search(rf'<input[^>]*id="{field}"[^>]*>', page).group(0).split('value="')[1].split('"')[0]


def test_month_fields_show_the_default_period(app, client, login_as):
    login_as("specialist")
    with app.app_context():
        default = StatsFilter.default()
    expected = (f"{default.start // 100}-{default.start % 100:02d}", f"{default.end // 100}-{default.end % 100:02d}")
    for query in ("", "?start=&end="):
        page = client.get(f"/verwijzingen/statistiek{query}").get_data(as_text=True)
        assert (_value(page, "start"), _value(page, "end")) == expected, query
    page = client.get("/verwijzingen/statistiek?start=2026-03").get_data(as_text=True)
    assert (_value(page, "start"), _value(page, "end")) == ("2026-03", expected[1])


def test_month_fields_keep_what_was_typed_when_it_is_wrong(client, login_as):
    login_as("specialist")
    response = client.get("/verwijzingen/statistiek?start=maart&end=2026-05")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _value(page, "start") == "maart" and _value(page, "end") == "2026-05"
    field = re.search(r'<input[^>]*id="start"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="start-hint start-error"' in field
    assert 'id="start-error"' in page and '<label for="start">Van maand</label>' in page


# -- F14: readable chart text ------------------------------------------------------------------------
SHOWN_PX = 540  # the chart column of the statistics page on a laptop


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_chart_text_reads_at_12px_or_more(client, login_as, log, chart):
    login_as("specialist")
    page = client.get("/verwijzingen/statistiek?start=2026-01&end=2026-12").get_data(as_text=True)
    img = re.search(rf'<img src="[^"]*/grafiek/{chart}\.svg[^"]*"[^>]*>', page).group(0)
    assert f'width="{SHOWN_PX}"' in img
    svg = client.get(f"/verwijzingen/statistiek/grafiek/{chart}.svg?start=2026-01&end=2026-12").get_data(as_text=True)
    view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
    assert sizes, "the chart has labels"
    smallest = min(sizes) * SHOWN_PX / view_width  # the browser scales the SVG to the image width
    assert smallest >= 12, f"{chart}: smallest text {smallest:.1f}px"
    assert view_width <= SHOWN_PX  # drawn at (about) the size it is shown: never scaled down
