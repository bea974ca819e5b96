"""Registering, correcting and deleting referrals; the partner picker. Services only flush."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from flask import g, has_request_context
from sqlalchemy import bindparam, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from crm.admin.models import Branch, Choice
from crm.admin.services import choices
from crm.audit import record_event
from crm.db import as_utc, db, insert_skipping_duplicates, utcnow
from crm.errors import RuleError, check_version
from crm.network.models import Partner
from crm.referrals.models import AUDIENCES, DIRECTIONS, LANGUAGES, NOTE_MAX, Referral, ReferralMonthCache
from crm.referrals.privacy import personal_data_message
from crm.registry import current_registry
from crm.roles import ADMIN
from crm.sqlite import write_phase
from crm.web import local_tz

PURPOSES_KEY = "referral_purposes"
METHODS_KEY = "referral_methods"
MOST_USED_MONTHS = 3
#: The desk refers only to active partners: the same ones its sociale kaart shows
#: (``crm.network.moments.directory_query``); prospects and ended partners stay out of sight.
REFERABLE_STATUS = "actief"


class ReferralError(RuleError):
    """A rule about referrals was broken (see ``crm.errors.RuleError``)."""


@dataclass(frozen=True)
class ReferralData:
    """What the form says about a referral, as plain values."""

    direction: str
    partner_id: int | None
    purpose: str
    method: str
    audience: str | None = None
    language: str | None = None
    branch_id: int | None = None
    note: str | None = None


# The statements of the desk's busiest request (registering), built once: SQLAlchemy then
# reuses their compiled form, and plain table columns skip the ORM's per-query work.
_choice, _partner, _referral = Choice.__table__.c, Partner.__table__.c, Referral.__table__.c
_LISTS = (
    select(_choice.list_key, _choice.code, _choice.label, _choice.active)
    .where(_choice.list_key.in_((PURPOSES_KEY, METHODS_KEY))).order_by(_choice.position, _choice.id)
)
_PARTNER = select(_partner.name, _partner.status).where(_partner.id == bindparam("id"))
_ID_OF_NONCE = select(_referral.id).where(_referral.nonce == bindparam("nonce"))


# -- the two editable lists, read in one query per request ----------------------------------
def _lists() -> dict[str, list[tuple[str, str, bool]]]:
    """(code, label, active) of the purposes and methods lists; the defaults until edited."""
    if has_request_context() and "crm_referral_lists" in g:
        return g.crm_referral_lists
    keys = (PURPOSES_KEY, METHODS_KEY)
    stored: dict[str, list[tuple[str, str, bool]]] = {key: [] for key in keys}
    for row in db.session.connection().execute(_LISTS):
        stored[row.list_key].append((row.code, row.label, bool(row.active)))
    registry = current_registry()
    lists = {
        key: stored[key] or [(code, label, True) for code, label in registry.lists[key].defaults]
        for key in keys
    }
    if has_request_context():
        g.crm_referral_lists = lists
    return lists


def options(key: str) -> list[tuple[str, str]]:
    """The active (code, label) pairs of the purposes or methods list, in order."""
    return [(code, label) for code, label, active in _lists()[key] if active]


def label_map(key: str) -> dict[str, str]:
    """Code → label of every option, also switched-off ones (old referrals keep their label)."""
    return {code: label for code, label, _active in _lists()[key]}


# -- time ----------------------------------------------------------------------------
def month_key(moment: datetime) -> int:
    """The local month of a moment as YYYYMM (202611)."""
    local = moment.astimezone(local_tz())
    return local.year * 100 + local.month


def local_day_bounds(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Start and end of the local day of ``now``, in UTC."""
    now = now or utcnow()
    start = now.astimezone(local_tz()).replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)  # wall-clock arithmetic: right across DST changes
    return start.astimezone(UTC), end.astimezone(UTC)


# -- checks -------------------------------------------------------------------------
def _validate(data: ReferralData, kept_partner_id: int | None = None) -> str:
    """Check the values; returns the partner's name (for the confirmation).

    Only active partners can be chosen; a correction may keep the partner it had
    (``kept_partner_id``) even when that one is no longer active.
    """
    if data.direction not in dict(DIRECTIONS):
        raise ReferralError("Kies of je naar een partner verwijst of dat een partner naar de "
                            "bibliotheek verwees.", "direction")
    partner = None
    if data.partner_id is not None:
        partner = db.session.connection().execute(_PARTNER, {"id": data.partner_id}).first()
    if partner is None:
        raise ReferralError("Kies een partner uit de lijst.", "partner_id")
    name, status = partner
    if status != REFERABLE_STATUS and data.partner_id != kept_partner_id:
        raise ReferralError(f"{name} staat niet (meer) op actief. Kies een andere partner.",
                            "partner_id")
    if data.purpose not in dict(options(PURPOSES_KEY)):
        raise ReferralError("Kies een doel uit de lijst.", "purpose")
    if data.method not in dict(options(METHODS_KEY)):
        raise ReferralError("Kies hoe je hebt verwezen.", "method")
    if data.audience and data.audience not in dict(AUDIENCES):
        raise ReferralError("Kies ouder, kind of gezin.", "audience")
    if data.language and data.language not in dict(LANGUAGES):
        raise ReferralError("Kies NT1, NT2 of onbekend.", "language")
    if data.branch_id is not None and db.session.get(Branch, data.branch_id) is None:
        raise ReferralError("Kies een vestiging uit de lijst.", "branch_id")
    if data.note and len(data.note) > NOTE_MAX:
        raise ReferralError(f"Gebruik hoogstens {NOTE_MAX} tekens.", "note")
    message = personal_data_message(data.note)
    if message:
        raise ReferralError(message, "note")
    return name


def _values(data: ReferralData) -> dict:
    """The stored columns of the form's values."""
    return {
        "direction": data.direction,
        "partner_id": data.partner_id,
        "purpose": data.purpose,
        "method": data.method,
        "audience": data.audience or None,
        "language": data.language or None,
        "branch_id": data.branch_id,
        "note": (data.note or "").strip() or None,
    }


def summary(data: ReferralData, partner_name: str) -> str:
    """'Taalhuis Rivierstad · Taal en lezen · Warme overdracht' for the confirmation."""
    return " · ".join((partner_name, label_map(PURPOSES_KEY).get(data.purpose, data.purpose),
                       label_map(METHODS_KEY).get(data.method, data.method)))


def drop_cached_month(month: int) -> None:
    """A referral of a closed month changed: its cached counts no longer hold.

    Referrals of the current month are never cached, so the desk's own-of-today changes
    skip this; only admins correcting older referrals (and back-dated inserts) reach it.
    """
    if month < month_key(utcnow()):
        db.session.execute(delete(ReferralMonthCache).where(ReferralMonthCache.month == month))


# -- writing ------------------------------------------------------------------------
@dataclass(frozen=True)
class Stored:
    id: int
    created: bool  # False: this form had been stored already (a double submit)
    summary: str


@cache
def _insert_statement(dialect: str):
    table = Referral.__table__
    return insert_skipping_duplicates(table, dialect, "nonce").returning(table.c.id)


def create_referral(
    data: ReferralData, staff_id: int | None, nonce: str, now: datetime | None = None
) -> Stored:
    """Store a referral; a form posted twice (or by two racing requests) stores one row.

    This is the desk's busiest write, so it is lean: the checks only read, then one
    ``INSERT … ON CONFLICT (nonce) DO NOTHING`` and its audit row are written in a short
    write phase (``crm.sqlite.write_phase``). A partner or branch removed between the
    check and the insert fails the foreign key: the desk is asked to choose again.
    """
    partner_name = _validate(data)
    now = (now or utcnow()).astimezone(UTC)
    row = {**_values(data), "staff_id": staff_id, "nonce": nonce, "created_at": now,
           "updated_at": now, "month": month_key(now), "version": 1,
           "theme": Referral.default_theme.value, "phase": Referral.default_phase.value}
    table = Referral.__table__
    with write_phase(db.session):
        drop_cached_month(row["month"])
        connection = db.session.connection()
        try:
            new_id = connection.execute(_insert_statement(connection.dialect.name), row).scalar()
        except IntegrityError as exc:  # a double submit is no error: only a vanished partner or branch
            raise ReferralError("Deze partner of vestiging bestaat niet meer. Kies opnieuw.",
                                "partner_id") from exc
        if new_id is None:
            return Stored(connection.execute(_ID_OF_NONCE, {"nonce": nonce}).scalar(), False, "")
        # Written without the ORM, so the audit row is written here (same shape as the listener's).
        record_event("create", table.name, new_id,
                     fields=sorted(["id", *(k for k, v in row.items() if v is not None)]))
    return Stored(new_id, True, summary(data, partner_name))


def update_referral(referral: Referral, data: ReferralData, version) -> str:
    """Correct a referral; returns the summary for the confirmation."""
    check_version(referral, version)
    partner_name = _validate(data, kept_partner_id=referral.partner_id)
    for key, value in _values(data).items():
        setattr(referral, key, value)
    drop_cached_month(referral.month)
    db.session.flush()
    return summary(data, partner_name)


def delete_referral(referral: Referral) -> None:
    drop_cached_month(referral.month)
    db.session.delete(referral)
    db.session.flush()


# -- reading ------------------------------------------------------------------------
def is_today(referral: Referral, now: datetime | None = None) -> bool:
    start, end = local_day_bounds(now)
    return start <= as_utc(referral.created_at) < end


def may_change(referral: Referral, account, role: str | None, now: datetime | None = None) -> bool:
    """Admins may correct any referral; others only their own of today."""
    if role == ADMIN:
        return True
    return account is not None and referral.staff_id == account.id and is_today(referral, now)


def todays_referrals(staff_id: int, now: datetime | None = None) -> list[Referral]:
    start, end = local_day_bounds(now)
    return list(db.session.scalars(
        select(Referral)
        .where(Referral.staff_id == staff_id, Referral.created_at >= start, Referral.created_at < end)
        .order_by(Referral.created_at.desc(), Referral.id.desc())
    ))


#: Referrals shown at most on one day of the admin's overview.
DAY_MAX = 500


def referrals_of_day(day: date) -> list[Referral]:
    """Everyone's referrals of one local day, newest first (the admin corrects older ones)."""
    start = datetime.combine(day, time.min, tzinfo=local_tz())
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=local_tz())
    return list(db.session.scalars(
        select(Referral).options(joinedload(Referral.partner), joinedload(Referral.staff))
        .where(Referral.created_at >= start.astimezone(UTC), Referral.created_at < end.astimezone(UTC))
        .order_by(Referral.created_at.desc(), Referral.id.desc()).limit(DAY_MAX)
    ))


def last_method(staff_id: int) -> str | None:
    """How this staff member referred last time, if that is still on the list."""
    method = db.session.scalar(
        select(Referral.method).where(Referral.staff_id == staff_id)
        .order_by(Referral.created_at.desc(), Referral.id.desc()).limit(1)
    )
    return method if method in dict(options(METHODS_KEY)) else None


def most_used_partner_ids(limit: int = 6, now: datetime | None = None) -> list[int]:
    """The active partners referred to most in the last months."""
    now = now or utcnow()
    since = month_key(now - timedelta(days=31 * MOST_USED_MONTHS))
    referable = select(Partner.id).where(Partner.status == REFERABLE_STATUS)
    rows = db.session.execute(
        select(Referral.partner_id, func.count().label("n"))
        .where(Referral.month >= since, Referral.partner_id.in_(referable))
        .group_by(Referral.partner_id)
        .order_by(func.count().desc(), Referral.partner_id)
        .limit(limit)
    )
    return [r.partner_id for r in rows]


def partner_choices(
    now: datetime | None = None, keep: int | None = None,
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(most used, all) active partners as (id, name), for the select without JavaScript.

    ``keep``: the partner a referral being corrected already has; it stays selectable
    even when it is no longer active.
    """
    wanted = Partner.status == REFERABLE_STATUS
    if keep is not None:
        wanted = or_(wanted, Partner.id == keep)
    everyone = [(p.id, p.name) for p in db.session.execute(
        select(Partner.id, Partner.name).where(wanted).order_by(Partner.name)
    )]
    names = dict(everyone)
    top = [(pid, names[pid]) for pid in most_used_partner_ids(now=now) if pid in names]
    return top, everyone


def search_partners(query: str, limit: int = 10, now: datetime | None = None) -> list[dict]:
    """Active partners whose name or place contains ``query``; the most used ones first."""
    query = (query or "").strip().lower()[:80]
    stmt = select(Partner.id, Partner.name, Partner.kind, Partner.place).where(
        Partner.status == REFERABLE_STATUS)
    if query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        stmt = stmt.where(or_(func.lower(Partner.name).like(pattern, escape="\\"),
                              func.lower(func.coalesce(Partner.place, "")).like(pattern, escape="\\")))
    rows = list(db.session.execute(stmt.order_by(Partner.name).limit(200)))
    rank = {pid: i for i, pid in enumerate(most_used_partner_ids(now=now))}
    rows.sort(key=lambda r: (rank.get(r.id, len(rank)), r.name.lower()))
    kinds = dict(choices("partner_kinds", include_inactive=True))
    return [
        {"id": r.id, "name": r.name, "kind": kinds.get(r.kind, r.kind), "place": r.place or "",
         "top": r.id in rank}
        for r in rows[:limit]
    ]


def labels() -> dict[str, dict[str, str]]:
    """Code → label for every coded field, for lists and tables."""
    return {
        "purpose": label_map(PURPOSES_KEY),
        "method": label_map(METHODS_KEY),
        "direction": dict(DIRECTIONS),
        "audience": dict(AUDIENCES),
        "language": dict(LANGUAGES),
    }
