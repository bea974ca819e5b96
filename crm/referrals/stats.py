"""Referral statistics (SQL GROUP BY over live rows plus the monthly totals) and the purge.

Every figure is one of three GROUP BY queries on the covering index
``ix_crm_referral_stats`` (month, direction, purpose, method, branch, partner), run on the
live table and on ``crm_referral_monthly`` (the counts of purged rows) and added up in
Python. No query loads single rows, so the cost grows with the number of groups, not rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, insert, literal, select

from crm.admin.models import Branch
from crm.admin.services import choices, get_setting
from crm.audit import record_event
from crm.db import db, utcnow
from crm.network.models import Partner
from crm.referrals.models import (
    DIRECTIONS,
    INCOMING,
    OUTGOING,
    Referral,
    ReferralMonthCache,
    ReferralMonthly,
)
from crm.referrals.services import month_key
from crm.web import MONTHS_NL, MONTHS_SHORT_NL

RETENTION_KEY = "referral_retention_months"
#: The charts of the statistics page (drawn in ``crm.referrals.charts``): name → title.
CHARTS = {
    "maand": "Verwijzingen per maand, verdeeld naar doel",
    "richting": "Verwezen naar partners en naar de bibliotheek, per maand",
    "partner": "Verwijzingen per partner",
    "doel": "Verwijzingen per doel",
    "manier": "Hoe er verwezen is",
    "vestiging": "Verwijzingen per vestiging",
    "vergelijking": "Per doel: deze periode en dezelfde periode een jaar eerder",
}
UNKNOWN = "Onbekend"
#: The three GROUP BY parts of ``compute``; each chart image asks only for what it draws.
MAIN, PARTNERS, LAST_YEAR = "main", "partners", "last_year"
ALL_PARTS = frozenset({MAIN, PARTNERS, LAST_YEAR})
CHART_PARTS = {"partner": frozenset({PARTNERS}), "vergelijking": frozenset({MAIN, LAST_YEAR})}


def chart_parts(chart: str) -> frozenset[str]:
    return CHART_PARTS.get(chart, frozenset({MAIN}))


# -- months as YYYYMM ------------------------------------------------------------------
def add_months(key: int, n: int) -> int:
    index = (key // 100) * 12 + (key % 100 - 1) + n
    return (index // 12) * 100 + index % 12 + 1


def month_range(start: int, end: int) -> list[int]:
    months, key = [], start
    while key <= end and len(months) < 600:
        months.append(key)
        key = add_months(key, 1)
    return months


def month_label(key: int, short: bool = False) -> str:
    if short:
        return f"{MONTHS_SHORT_NL[key % 100 - 1]} {str(key // 100)[2:]}"
    return f"{MONTHS_NL[key % 100 - 1]} {key // 100}"


MONTH_WORDS = {name: i for i, name in enumerate(MONTHS_NL, start=1)} | {
    name[:3]: i for i, name in enumerate(MONTHS_NL, start=1)} | {"mrt": 3}


def parse_month(value) -> int | None:
    """A month as YYYYMM: a ``date`` (from a MonthField), '2026-01' (what a month field
    sends), or as people type it where the browser shows a text box: 'januari 2026',
    'jan 2026', '1-2026', '01/2026'."""
    if value is None or value == "":
        return None
    if hasattr(value, "year"):
        return value.year * 100 + value.month
    text = str(value).strip().lower()
    parts = [p for p in re.split(r"[\s\-/.]+", text) if p]
    if len(parts) != 2:
        return None
    if parts[0] in MONTH_WORDS:  # "januari 2026"
        month, year = MONTH_WORDS[parts[0]], parts[1]
    elif len(parts[0]) == 4:  # "2026-01"
        year, month = parts
    else:  # "1-2026"
        month, year = parts
    try:
        year, month = int(year), int(month)
    except ValueError:
        return None
    # Four-digit years only: a longer number is no month and overflows the database's integers.
    return year * 100 + month if 1000 <= year <= 9999 and 1 <= month <= 12 else None


# -- filters ------------------------------------------------------------------------
@dataclass(frozen=True)
class StatsFilter:
    start: int
    end: int
    branch_id: int | None = None
    kind: str | None = None

    @classmethod
    def default(cls, now: datetime | None = None, **kwargs) -> StatsFilter:
        end = month_key(now or utcnow())
        return cls(start=add_months(end, -11), end=end, **kwargs)

    def last_year(self) -> StatsFilter:
        return StatsFilter(add_months(self.start, -12), add_months(self.end, -12), self.branch_id, self.kind)

    @property
    def label(self) -> str:
        if self.start == self.end:
            return month_label(self.start)
        return f"{month_label(self.start)} t/m {month_label(self.end)}"


def _where(model, flt: StatsFilter) -> list:
    conditions = [model.month >= flt.start, model.month <= flt.end]
    if flt.branch_id:
        conditions.append(model.branch_id == flt.branch_id)
    if flt.kind:
        conditions.append(model.partner_id.in_(select(Partner.id).where(Partner.kind == flt.kind)))
    return conditions


GRAINS = {
    "a": frozenset({"month", "direction", "purpose", "method", "branch_id"}),
    "b": frozenset({"month", "direction", "partner_id", "branch_id"}),
}


def _grain(flt: StatsFilter, dims: tuple[str, ...]) -> str | None:
    """The cache grain that can answer a GROUP BY on ``dims`` under ``flt``, if any."""
    needed = set(dims) | ({"partner_id"} if flt.kind else set())
    for grain, columns in GRAINS.items():
        if needed <= columns:
            return grain
    return None


def _grouped(flt: StatsFilter, *dims: str) -> dict[tuple, int]:
    """Counts per combination of ``dims``: live rows of months not cached, the cached
    counts of closed months and the totals of purged months, added up."""
    grain = _grain(flt, dims)
    cached = set() if grain is None else set(db.session.scalars(
        select(ReferralMonthCache.month).distinct().where(
            ReferralMonthCache.grain == grain,
            ReferralMonthCache.month >= flt.start, ReferralMonthCache.month <= flt.end)
    ))
    live_months = [m for m in month_range(flt.start, flt.end) if m not in cached]
    sources = [(ReferralMonthly, func.sum(ReferralMonthly.count), [])]
    if cached:
        sources.append((ReferralMonthCache, func.sum(ReferralMonthCache.count),
                        [ReferralMonthCache.grain == grain]))
    if live_months:
        # Month by month (IN) rather than a range: the index is read only where needed.
        extra = [Referral.month.in_(live_months)] if cached else []
        sources.insert(0, (Referral, func.count(), extra))
    totals: dict[tuple, int] = defaultdict(int)
    for model, amount, extra in sources:
        columns = [getattr(model, d) for d in dims]
        stmt = select(*columns, amount).where(*_where(model, flt), *extra).group_by(*columns)
        for row in db.session.execute(stmt):
            totals[tuple(row[:-1])] += int(row[-1] or 0)
    return dict(totals)


# -- the statistics ------------------------------------------------------------------------
@dataclass
class Stats:
    """Every figure of the statistics page; charts and tables are drawn from these."""

    filter: StatsFilter
    months: list[int]
    purposes: list[tuple[str, str]]  # (code, label) in list order, only those that occur
    by_month_purpose: dict[int, dict[str, int]]
    by_month_direction: dict[int, dict[str, int]]
    by_purpose: list[tuple[str, int]]
    by_method: list[tuple[str, int]]
    by_branch: list[tuple[str, int]]
    by_partner: list[tuple[str, int, int]]  # (name, outgoing, incoming)
    by_direction: list[tuple[str, int]]
    comparison: list[tuple[str, int, int]]  # (label, this period, same period last year)
    total: int = 0
    total_last_year: int = 0
    first_month: int | None = None  # set when the period a year earlier is before the log began
    rolled_up: RolledUp | None = None  # set when some of the period is only in the monthly totals
    extra: dict = field(default_factory=dict)

    @property
    def first_month_label(self) -> str:
        return month_label(self.first_month) if self.first_month else ""

    def month_rows(self) -> list[tuple[str, list[int], int]]:
        rows = []
        for month in self.months:
            counts = [self.by_month_purpose.get(month, {}).get(code, 0) for code, _ in self.purposes]
            rows.append((month_label(month), counts, sum(counts)))
        return rows

    def direction_rows(self) -> list[tuple[str, int, int]]:
        return [
            (month_label(m), self.by_month_direction.get(m, {}).get(OUTGOING, 0),
             self.by_month_direction.get(m, {}).get(INCOMING, 0))
            for m in self.months
        ]


def _sorted(counts: dict[str, int], labels: dict) -> list[tuple[str, int]]:
    return sorted(((labels.get(k, k) if k is not None else UNKNOWN, n) for k, n in counts.items()),
                  key=lambda item: (-item[1], item[0]))


def change_number(now: int, before: int) -> int | None:
    """The change in whole percents; None when there was nothing to compare with."""
    if before == 0:
        return None
    return round((now - before) * 100 / before)


def change_percent(now: int, before: int) -> str:
    change = change_number(now, before)
    if change is None:
        return "nieuw" if now else "–"
    return f"{change:+d}%"


# -- what the retention left of the period ----------------------------------------------------
@dataclass(frozen=True)
class RolledUp:
    """Referrals of a period that the purge kept only as monthly totals (their rows are gone).

    The page and the figures count them; the export of single rows cannot have them.
    """

    count: int  # referrals of the period (and filters) that are only in the totals
    first: int  # first and last month of the period with such totals
    last: int
    rows_from: int  # the first month that still has single rows
    retention: int  # the retention setting now, in months

    @property
    def months_label(self) -> str:
        if self.first == self.last:
            return month_label(self.first)
        return f"{month_label(self.first)} t/m {month_label(self.last)}"

    @property
    def rows_from_label(self) -> str:
        return month_label(self.rows_from)


def rolled_up(flt: StatsFilter) -> RolledUp | None:
    """What of ``flt``'s period is only in the monthly totals; None when every referral of
    the period is still a single row (one small query on the totals table)."""
    count, first, last = db.session.execute(
        select(func.coalesce(func.sum(ReferralMonthly.count), 0), func.min(ReferralMonthly.month),
               func.max(ReferralMonthly.month)).where(*_where(ReferralMonthly, flt))
    ).one()
    if not count:
        return None
    newest_total = db.session.scalar(select(func.max(ReferralMonthly.month)))
    return RolledUp(count=int(count), first=first, last=last, rows_from=add_months(newest_total, 1),
                    retention=get_setting(RETENTION_KEY))


def compute(flt: StatsFilter, parts: frozenset[str] = ALL_PARTS) -> Stats:
    """The figures of the page; ``parts`` leaves out the GROUP BYs a chart does not draw
    (their fields stay empty)."""
    purpose_labels = dict(choices("referral_purposes", include_inactive=True))
    method_labels = dict(choices("referral_methods", include_inactive=True))
    branch_labels = {r[0]: r[1] for r in db.session.execute(select(Branch.id, Branch.name))}

    main = _grouped(flt, "month", "direction", "purpose", "method", "branch_id") if MAIN in parts else {}
    by_month_purpose: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_month_direction: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    purpose_n: dict[str, int] = defaultdict(int)
    method_n: dict[str, int] = defaultdict(int)
    branch_n: dict = defaultdict(int)
    direction_n: dict[str, int] = defaultdict(int)
    for (month, direction, purpose, method, branch_id), n in main.items():
        by_month_purpose[month][purpose] += n
        by_month_direction[month][direction] += n
        purpose_n[purpose] += n
        method_n[method] += n
        branch_n[branch_id] += n
        direction_n[direction] += n

    partners = _grouped(flt, "partner_id", "direction") if PARTNERS in parts else {}
    partner_ids = {pid for pid, _ in partners if pid is not None}
    names = {r[0]: r[1] for r in db.session.execute(
        select(Partner.id, Partner.name).where(Partner.id.in_(partner_ids))
    )} if partner_ids else {}
    per_partner: dict = defaultdict(lambda: [0, 0])
    for (pid, direction), n in partners.items():
        per_partner[names.get(pid, UNKNOWN)][0 if direction == OUTGOING else 1] += n
    by_partner = sorted(((name, out, inc) for name, (out, inc) in per_partner.items()),
                        key=lambda r: (-(r[1] + r[2]), r[0]))

    before = ({key[0]: n for key, n in _grouped(flt.last_year(), "purpose").items()}
              if LAST_YEAR in parts else {})
    order = list(purpose_labels)
    used = sorted(set(purpose_n) | set(before), key=lambda c: (order.index(c) if c in order else 999, c))
    comparison = [(purpose_labels.get(c, c), purpose_n.get(c, 0), before.get(c, 0)) for c in used]
    first = _first_month() if LAST_YEAR in parts else None

    return Stats(
        filter=flt,
        months=month_range(flt.start, flt.end),
        purposes=[(c, purpose_labels.get(c, c)) for c in used if purpose_n.get(c)],
        by_month_purpose={m: dict(v) for m, v in by_month_purpose.items()},
        by_month_direction={m: dict(v) for m, v in by_month_direction.items()},
        by_purpose=_sorted(purpose_n, purpose_labels),
        by_method=_sorted(method_n, method_labels),
        by_branch=_sorted(branch_n, branch_labels),
        by_partner=by_partner,
        by_direction=[(label, direction_n.get(code, 0)) for code, label in DIRECTIONS],
        comparison=comparison,
        total=sum(purpose_n.values()),
        total_last_year=sum(before.values()),
        first_month=first if first is not None and first > flt.last_year().start else None,
        rolled_up=rolled_up(flt) if parts == ALL_PARTS else None,  # the page only, not a chart
    )


def _first_month() -> int | None:
    """The first month with any referral, also in the rolled-up history (index on month)."""
    months = [db.session.scalar(select(func.min(model.month))) for model in (Referral, ReferralMonthly)]
    months = [m for m in months if m is not None]
    return min(months) if months else None


# -- retention --------------------------------------------------------------------------
ROLLUP_DIMS = ("month", "direction", "partner_id", "purpose", "method", "branch_id")


def is_purged(month: int) -> bool:
    """Whether the single referrals of this month (YYYYMM) were purged into monthly totals."""
    return db.session.scalar(select(ReferralMonthly.id).where(ReferralMonthly.month == month).limit(1)) \
        is not None


def referral_cutoff(now: datetime, months: int) -> int:
    """The first month (YYYYMM) whose referrals stay; older months are purged whole."""
    return add_months(month_key(now), -months)


def purge_referrals(now: datetime) -> str:
    """Roll referrals of months past the retention into monthly totals, then delete them;
    then cache the counts of closed months (see ``refresh_month_cache``).

    Whole months go at once: with retention N and now in month M, every referral of a
    month before M − N is counted into ``crm_referral_monthly`` and deleted, in the one
    transaction of the caller. Running it again finds nothing left to do (idempotent).
    """
    months = get_setting(RETENTION_KEY)
    cutoff = referral_cutoff(now, months)
    live = [getattr(Referral, d) for d in ROLLUP_DIMS]
    groups = list(db.session.execute(
        select(*live, func.count()).where(Referral.month < cutoff).group_by(*live)
    ))
    filled = refresh_month_cache(now, purge_before=cutoff)
    cache_line = f" Maandtellingen bijgewerkt voor {filled} {'maand' if filled == 1 else 'maanden'}." \
        if filled else ""
    if not groups:
        return f"Verwijzingen: niets ouder dan {months} maanden.{cache_line}"
    touched_months = {row[0] for row in groups}
    existing = {
        tuple(getattr(r, d) for d in ROLLUP_DIMS): r
        for r in db.session.scalars(select(ReferralMonthly).where(ReferralMonthly.month.in_(touched_months)))
    }
    removed = 0
    for row in groups:
        key, n = tuple(row[:-1]), int(row[-1])
        removed += n
        if key in existing:
            existing[key].count += n
        else:
            db.session.add(ReferralMonthly(**dict(zip(ROLLUP_DIMS, key, strict=True)), count=n))
    db.session.execute(delete(Referral).where(Referral.month < cutoff).execution_options(
        synchronize_session=False))
    db.session.flush()
    record_event("delete", "crm_referral", None, fields=[f"bewaartermijn {months} maanden"])
    return (f"Verwijzingen: {removed} van vóór {month_label(cutoff)} verwijderd; "
            f"de aantallen staan in de maandtotalen.{cache_line}")


def refresh_month_cache(now: datetime, purge_before: int | None = None) -> int:
    """Cache the counts of closed months that are not cached yet; returns how many.

    Months before ``purge_before`` are left out (their rows are being purged into the
    monthly totals) and their cached counts dropped, so nothing is counted twice.
    """
    if purge_before is not None:
        db.session.execute(delete(ReferralMonthCache).where(ReferralMonthCache.month < purge_before))
    current = month_key(now)
    cached = set(db.session.scalars(select(ReferralMonthCache.month).distinct()))
    live = set(db.session.scalars(select(Referral.month).distinct().where(Referral.month < current)))
    todo = sorted(m for m in live - cached if purge_before is None or m >= purge_before)
    if not todo:
        return 0
    for grain, dims in GRAINS.items():
        ordered = [d for d in ROLLUP_DIMS if d in dims]
        columns = [getattr(Referral, d) for d in ordered]
        db.session.execute(insert(ReferralMonthCache).from_select(
            ["grain", *ordered, "count"],
            select(literal(grain), *columns, func.count())
            .where(Referral.month.in_(todo)).group_by(*columns),
        ))
    db.session.flush()
    return len(todo)
