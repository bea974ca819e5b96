"""The figures and the anonymous rows of the referral log as tables (pandas) for CSV/XLSX."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select

from crm.admin.models import Branch
from crm.admin.services import choices
from crm.db import as_utc, db
from crm.exports import NAME_PART, NOTE
from crm.network.models import Partner
from crm.referrals.models import Referral
from crm.referrals.services import labels
from crm.referrals.stats import (
    Stats,
    StatsFilter,
    _where,
    change_number,
    month_label,
    rolled_up,
)
from crm.web import local_tz

MAX_ROWS = 500_000
FIGURE_COLUMNS = ["Onderdeel", "Wat", "Periode", "Aantal", "Verandering (%)", "Opmerking"]
ROW_COLUMNS = ["Datum", "Maand", "Richting", "Partner", "Soort partner", "Doel", "Manier", "Voor wie",
               "Taalachtergrond", "Vestiging"]


def _local_date(moment: datetime) -> date:
    return as_utc(moment).astimezone(local_tz()).date()


def figures_frame(stats: Stats) -> pd.DataFrame:
    """Every figure of the statistics page in one long table: part, what, month, count.

    The comparison with a year earlier also has its change as a number ("Verandering (%)",
    empty when there was nothing a year earlier: then "Opmerking" says "nieuw").
    """
    period = stats.filter.label
    rows: list[tuple] = []
    for month, counts, total in stats.month_rows():
        for (_code, label), n in zip(stats.purposes, counts, strict=True):
            rows.append(("Per maand en doel", label, month, n))
        rows.append(("Per maand en doel", "Totaal", month, total))
    for month, out, inc in stats.direction_rows():
        rows.append(("Per maand: naar een partner", "Naar een partner", month, out))
        rows.append(("Per maand: naar de bibliotheek", "Naar de bibliotheek", month, inc))
    for title, items in (("Per doel", stats.by_purpose), ("Per manier", stats.by_method),
                         ("Per vestiging", stats.by_branch), ("Per richting", stats.by_direction)):
        rows.extend((title, label, period, n) for label, n in items)
    for name, out, inc in stats.by_partner:
        rows.append(("Per partner: naar de partner", name, period, out))
        rows.append(("Per partner: naar de bibliotheek", name, period, inc))
    last_year = stats.filter.last_year().label
    both = f"{period} vergeleken met {last_year}"
    changes: list[int | None] = [None] * len(rows)
    notes = [""] * len(rows)
    # As the page says: before the log began, "a year earlier" is not complete.
    incomplete = (f"een jaar eerder is niet compleet: de verwijzingen worden bijgehouden sinds "
                  f"{stats.first_month_label}") if stats.first_month else ""
    for label, now, before in [*stats.comparison, ("Totaal", stats.total, stats.total_last_year)]:
        rows.append(("Vergelijking: deze periode", label, period, now))
        rows.append(("Vergelijking: een jaar eerder", label, last_year, before))
        rows.append(("Vergelijking: verschil", label, both, now - before))
        changes += [None, None, change_number(now, before)]
        new = "nieuw" if before == 0 and now else ""
        notes += ["", incomplete, "; ".join(n for n in (new, incomplete) if n)]
    frame = pd.DataFrame(rows, columns=FIGURE_COLUMNS[:4])
    frame[FIGURE_COLUMNS[4]] = pd.array(changes, dtype="Int64")  # whole numbers; empty stays empty
    frame[FIGURE_COLUMNS[5]] = notes
    return frame


def rows_frame(flt: StatsFilter) -> pd.DataFrame | None:
    """One row per referral in the period, without staff member, note or exact time.

    None when there are more than ``MAX_ROWS`` (a shorter period is needed). When the
    retention purge left part of the period only as monthly totals, the frame carries a
    note for its reader (``rows_note``) and the file name says from when it has rows.
    """
    count = db.session.scalar(select(func.count()).select_from(Referral).where(*_where(Referral, flt)))
    if count > MAX_ROWS:
        return None
    names = labels()
    kinds = dict(choices("partner_kinds", include_inactive=True))
    stmt = (
        select(Referral.created_at, Referral.month, Referral.direction, Partner.name, Partner.kind,
               Referral.purpose, Referral.method, Referral.audience, Referral.language, Branch.name)
        .outerjoin(Partner, Partner.id == Referral.partner_id)
        .outerjoin(Branch, Branch.id == Referral.branch_id)
        .where(*_where(Referral, flt))
        .order_by(Referral.created_at)
    )
    rows = [
        (_local_date(r[0]), month_label(r[1]), names["direction"].get(r[2], r[2]), r[3] or "",
         kinds.get(r[4], r[4] or ""), names["purpose"].get(r[5], r[5]), names["method"].get(r[6], r[6]),
         names["audience"].get(r[7], "") if r[7] else "", names["language"].get(r[8], "") if r[8] else "",
         r[9] or "")
        for r in db.session.execute(stmt)
    ]
    frame = pd.DataFrame(rows, columns=ROW_COLUMNS)
    gone = rolled_up(flt)
    if gone is not None:
        frame.attrs[NOTE] = rows_note(flt, gone, len(rows))
        frame.attrs[NAME_PART] = f"vanaf-{gone.rows_from // 100}-{gone.rows_from % 100:02d}"
    return frame


def rows_note(flt: StatsFilter, gone, count: int) -> list[str]:
    """The explanation on the "Toelichting" sheet: why this file has fewer referrals."""
    return [
        f"Dit bestand: de losse verwijzingen van {flt.label}. Het zijn er {count}.",
        f"Maar in deze periode zijn {count + gone.count} verwijzingen geregistreerd. "
        f"Er ontbreken er hier {gone.count}, van {gone.months_label}.",
        f"De reden: losse verwijzingen worden maar een tijd bewaard (de bewaartermijn, nu "
        f"{gone.retention} maanden; de beheerder stelt die in). Van oudere verwijzingen blijven "
        f"alleen de aantallen per maand bewaard.",
        f"Losse verwijzingen zijn er vanaf {gone.rows_from_label}.",
        "De aantallen per maand tellen wel mee in 'De cijfers' en op de pagina Statistiek "
        "verwijzingen. Gebruik die voor de totalen.",
    ]
