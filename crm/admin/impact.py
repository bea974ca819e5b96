"""What an admin's change means for others, shown before it is saved: the open work of a
colleague who is switched off, and the referrals a shorter retention lets the purge remove."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import current_app, url_for
from sqlalchemy import func, select

from crm.db import Base, db, utcnow
from crm.network.models import Interaction
from crm.network.moments import RETENTION_KEY as INTERACTION_RETENTION
from crm.network.moments import interaction_cutoff
from crm.permissions import may_open
from crm.referrals.models import Referral
from crm.referrals.stats import RETENTION_KEY as REFERRAL_RETENTION
from crm.referrals.stats import month_label, referral_cutoff
from crm.registry import current_registry
from crm.web import local_today, nl_date

#: How many open items of one kind the confirmation lists by name (the count says the rest).
ITEMS_SHOWN = 10


# -- a colleague's open work -------------------------------------------------------------------
@dataclass(frozen=True)
class WorkKind:
    """Open work that one user owns and that only their own start page shows. Read from the
    table, so the lobby is not needed (without it, its kind is skipped)."""

    table: str
    owner: str  # the column with the user's id
    done: str  # the column that stays empty while the work is open
    due: str  # the date it should be done by
    one: str  # "1 open opvolging"
    many: str  # "2 open opvolgingen"
    endpoint: str  # where the owner can be changed ...
    arg: str  # ... and the URL argument that takes the record's id
    what: Callable  # row → the item in words
    columns: tuple[str, ...]  # what ``what`` reads


OPEN_WORK = (
    WorkKind("crm_interaction", "follow_up_owner_id", "follow_up_done_at", "follow_up_due",
             "open opvolging", "open opvolgingen", "crm.interaction_edit", "interaction_id",
             lambda row: f"Opvolging van het contactmoment van {nl_date(row.occurred_on)}",
             ("occurred_on",)),
    WorkKind("crm_lobby_agreement", "owner_id", "done_at", "due_on",
             "open afspraak uit een gesprek met de gemeente",
             "open afspraken uit gesprekken met de gemeente", "lobby.agreement_edit",
             "meeting_agreement_id", lambda row: f"Afspraak ‘{_short(row.description)}’",
             ("description",)),
)


def _short(text: str, length: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class OpenItem:
    text: str
    due: date | None
    late: bool
    url: str | None  # where to hand it over, when the admin may open it


@dataclass(frozen=True)
class OpenWork:
    kind: WorkKind
    count: int
    items: list[OpenItem]  # the first ``ITEMS_SHOWN``, soonest first

    @property
    def words(self) -> str:
        return f"{self.count} {self.kind.one if self.count == 1 else self.kind.many}"


def open_work(user_id: int) -> list[OpenWork]:
    """The kinds of open work ``user_id`` owns (only those with any), two queries each."""
    today = local_today()
    found = []
    for kind in OPEN_WORK:
        table = Base.metadata.tables.get(kind.table)
        if table is None:
            continue
        where = (table.c[kind.owner] == user_id, table.c[kind.done].is_(None))
        count = db.session.scalar(select(func.count()).select_from(table).where(*where))
        if not count:
            continue
        due = table.c[kind.due]
        rows = db.session.execute(
            select(table.c.id, due.label("due"), *(table.c[c] for c in kind.columns)).where(*where)
            .order_by(due.is_(None), due, table.c.id).limit(ITEMS_SHOWN))
        linkable = kind.endpoint in current_app.view_functions and may_open(kind.endpoint)
        items = [OpenItem(kind.what(row), row.due, bool(row.due and row.due < today),
                          url_for(kind.endpoint, **{kind.arg: row.id}) if linkable else None)
                 for row in rows]
        found.append(OpenWork(kind, count, items))
    return found


# -- what a shorter retention removes -------------------------------------------------------------
@dataclass(frozen=True)
class Purge:
    """What a retention setting lets ``crm purge`` remove: ``months_of(retention)`` gives
    (YYYYMM, how many) of what would go, oldest first, by the purger's own cut-off."""

    months_of: Callable[[int], list[tuple[int, int]]]
    one: str  # "verwijzing"
    many: str  # "verwijzingen"
    kept: str  # what stays, or that nothing does


@dataclass(frozen=True)
class PurgePreview:
    """What the next ``crm purge`` removes once a retention setting is lowered."""

    label: str  # the setting, as the settings page names it
    old: int
    new: int
    purge: Purge
    months: list[tuple[int, int]]  # (YYYYMM, how many), oldest first

    @property
    def total(self) -> int:
        return sum(n for _, n in self.months)

    @property
    def words(self) -> str:
        return f"{self.total} {self.purge.one if self.total == 1 else self.purge.many}"

    @property
    def period(self) -> str:
        first, last = self.months[0][0], self.months[-1][0]
        if first == last:
            return month_label(first)
        return f"{month_label(first)} tot en met {month_label(last)}"

    @property
    def rows(self) -> list[tuple[str, int]]:
        return [(month_label(month), n) for month, n in self.months]


def referrals_to_purge(retention: int) -> list[tuple[int, int]]:
    """What ``purge_referrals`` rolls into monthly totals and deletes: the same cut-off (whole
    months), one GROUP BY on the month index."""
    cutoff = referral_cutoff(utcnow(), retention)
    rows = db.session.execute(select(Referral.month, func.count()).where(Referral.month < cutoff)
                              .group_by(Referral.month).order_by(Referral.month))
    return [(month, int(n)) for month, n in rows]


def interactions_to_purge(retention: int) -> list[tuple[int, int]]:
    """What ``purge_interactions`` deletes: contact moments before its cut-off day."""
    cutoff = interaction_cutoff(utcnow(), retention)
    day = Interaction.occurred_on
    year, month = func.extract("year", day), func.extract("month", day)
    rows = db.session.execute(select(year, month, func.count()).where(day < cutoff)
                              .group_by(year, month).order_by(year, month))
    return [(int(y) * 100 + int(m), int(n)) for y, m, n in rows]


PURGES = {
    REFERRAL_RETENTION: Purge(
        referrals_to_purge, "verwijzing", "verwijzingen",
        "Hun aantallen blijven bewaard als maandtotalen. De statistiek telt ze dus gewoon mee. "
        "Maar de losse verwijzingen zijn dan weg, ook als je de bewaartermijn later weer verhoogt."),
    INTERACTION_RETENTION: Purge(
        interactions_to_purge, "contactmoment", "contactmomenten",
        "Ze worden helemaal verwijderd, met hun verslag, opvolging en koppelingen. Dat kun je "
        "niet ongedaan maken, ook niet door de bewaartermijn later weer te verhogen."),
}


def purge_previews(old: dict, new: dict) -> list[PurgePreview]:
    """For each retention that goes down from ``old`` to ``new``, what the next purge removes
    (only when it removes anything)."""
    settings = current_registry().settings
    previews = []
    for key, purge in PURGES.items():
        before, after = old.get(key), new.get(key)
        if key in settings and isinstance(before, int) and isinstance(after, int) and after < before:
            months = purge.months_of(after)
            if months:
                previews.append(PurgePreview(settings[key].label, before, after, purge, months))
    return previews
