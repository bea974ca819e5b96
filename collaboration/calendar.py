"""The aanhaakkalender: moments, the default calendar, the year and age views, the
start-page panel and the iCalendar subscription with its secret per-user token."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import func, or_, select

from collaboration import calendar_defaults
from collaboration.models import (
    LIFE_STAGE,
    MAX_AGE_MONTHS,
    MIN_AGE_MONTHS,
    YEAR_MOMENT,
    CalendarFeedToken,
    HookMoment,
    age_label,
)
from collaboration.services import CollaborationError, partners_by_ids
from crm.auth.models import User
from crm.charts import new_figure, to_svg
from crm.db import db, utcnow
from crm.errors import refuse_twin
from crm.network.models import Partner
from crm.web import MONTHS_NL, local_today


@dataclass
class MomentInput:
    kind: str
    title: str
    age_months: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    description: str | None = None
    message: str | None = None
    action: str | None = None
    action_date: date | None = None
    owner_id: int | None = None
    partner_kinds: list[str] = field(default_factory=list)
    partner_ids: list[int] = field(default_factory=list)
    materials: str | None = None
    phase: str | None = None


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def validate_moment(data: MomentInput) -> None:
    if data.kind == LIFE_STAGE:
        if data.age_months is None:
            raise CollaborationError("Vul de leeftijd van het kind in maanden in.", "age_months")
        if not MIN_AGE_MONTHS <= data.age_months <= MAX_AGE_MONTHS:
            raise CollaborationError(
                "Kies een leeftijd van −9 maanden (begin zwangerschap) tot 96 maanden (8 jaar).",
                "age_months")
    elif data.kind == YEAR_MOMENT:
        if data.start_date is None:
            raise CollaborationError("Vul de begindatum in.", "start_date")
        if data.end_date is not None and data.end_date < data.start_date:
            raise CollaborationError("Kies een einddatum op of na de begindatum.", "end_date")
    else:
        raise CollaborationError("Kies het soort moment.", "kind")
    if not (data.title or "").strip():
        raise CollaborationError("Vul de titel in.", "title")


def save_moment(moment: HookMoment | None, data: MomentInput) -> HookMoment:
    validate_moment(data)
    partners = partners_by_ids(data.partner_ids)
    if data.owner_id and db.session.get(User, data.owner_id) is None:
        raise CollaborationError("Deze medewerker bestaat niet meer.", "owner_id")
    if moment is None:
        # A moment does not record who made it: the same moment twice within seconds is a
        # double click, whoever sent it.
        refuse_twin(HookMoment, None, {
            "kind": data.kind, "title": data.title.strip(),
            "age_months": data.age_months if data.kind == LIFE_STAGE else None,
            "start_date": data.start_date if data.kind == YEAR_MOMENT else None})
        moment = HookMoment()
        db.session.add(moment)
    moment.kind = data.kind
    moment.title = data.title.strip()
    if data.kind == LIFE_STAGE:
        moment.age_months, moment.start_date, moment.end_date = data.age_months, None, None
    else:
        moment.age_months = None
        moment.start_date = data.start_date
        moment.end_date = data.end_date or data.start_date
    for name in ("description", "message", "action", "materials"):
        setattr(moment, name, _text(getattr(data, name)))
    moment.action_date = data.action_date
    moment.owner_id = data.owner_id or None
    moment.partner_kinds = list(dict.fromkeys(data.partner_kinds or []))
    moment.partners = partners
    if data.phase:
        moment.phase = data.phase
    db.session.flush()
    return moment


def delete_moment(moment: HookMoment) -> None:
    db.session.delete(moment)
    db.session.flush()


def is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(HookMoment))


def _next_occurrence(start: tuple[int, int], end: tuple[int, int], today: date) -> tuple[date, date]:
    year = today.year
    if date(year, *end) < today:
        year += 1
    return date(year, *start), date(year, *end)


def load_default_calendar(today: date | None = None) -> int:
    """Fill an empty calendar with the default moments; link the partners of those kinds.

    Returns the number of moments added; refuses when the calendar already has moments.
    """
    if not is_empty():
        raise CollaborationError("De aanhaakkalender is niet leeg; de standaardkalender is niet geladen.")
    today = today or local_today()
    partners = list(db.session.scalars(select(Partner).where(Partner.status != "beeindigd")))

    def linked(kinds):
        return [p for p in partners if p.kind in kinds]

    count = 0
    for spec in calendar_defaults.LIFE_STAGE_MOMENTS:
        moment = HookMoment(kind=LIFE_STAGE, partners=linked(spec["partner_kinds"]),
                            **spec)
        db.session.add(moment)
        count += 1
    for spec in calendar_defaults.YEAR_MOMENTS:
        values = dict(spec)
        start, end = _next_occurrence(values.pop("start"), values.pop("end"), today)
        db.session.add(HookMoment(kind=YEAR_MOMENT, start_date=start, end_date=end,
                                  partners=linked(spec["partner_kinds"]), **values))
        count += 1
    db.session.flush()
    return count


# -- reading ---------------------------------------------------------------------------------
def _filtered(stmt, partner_id: int | None):
    if partner_id:
        stmt = stmt.where(HookMoment.partners.any(Partner.id == partner_id))
    return stmt


def life_stage_moments(partner_id: int | None = None) -> list[HookMoment]:
    stmt = select(HookMoment).where(HookMoment.kind == LIFE_STAGE)
    return list(db.session.scalars(_filtered(stmt, partner_id).order_by(HookMoment.age_months,
                                                                        HookMoment.title)))


def year_moments(partner_id: int | None = None) -> list[HookMoment]:
    stmt = select(HookMoment).where(HookMoment.kind == YEAR_MOMENT)
    return list(db.session.scalars(_filtered(stmt, partner_id).order_by(HookMoment.start_date)))


@dataclass(frozen=True)
class CalendarItem:
    moment: HookMoment
    start: date
    end: date
    is_action: bool = False


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def items_between(first: date, last: date, partner_id: int | None = None) -> list[CalendarItem]:
    """Year moments overlapping [first, last] and dated actions inside it."""
    stmt = select(HookMoment).where(or_(
        (HookMoment.kind == YEAR_MOMENT) & (HookMoment.start_date <= last)
        & (func.coalesce(HookMoment.end_date, HookMoment.start_date) >= first),
        HookMoment.action_date.between(first, last),
    ))
    items = []
    for moment in db.session.scalars(_filtered(stmt, partner_id)):
        if moment.kind == YEAR_MOMENT and moment.start_date <= last and (
                (moment.end_date or moment.start_date) >= first):
            items.append(CalendarItem(moment, moment.start_date, moment.end_date or moment.start_date))
        if moment.action_date and first <= moment.action_date <= last:
            items.append(CalendarItem(moment, moment.action_date, moment.action_date, is_action=True))
    return sorted(items, key=lambda i: (i.start, i.is_action, i.moment.title))


def months_view(first_month: date, count: int = 12, partner_id: int | None = None) -> list[dict]:
    """The year view: ``count`` months from ``first_month``, each with its items."""
    months = []
    year, month = first_month.year, first_month.month
    for _ in range(count):
        first, last = _month_bounds(year, month)
        months.append({"year": year, "month": month, "label": f"{MONTHS_NL[month - 1]} {year}",
                       "anchor": f"m{year}-{month:02d}",
                       "items": items_between(first, last, partner_id)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def this_and_next_month(today: date) -> list[CalendarItem]:
    first, _ = _month_bounds(today.year, today.month)
    nxt = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    _, last = _month_bounds(nxt.year, nxt.month)
    return items_between(first, last)


# -- timeline chart --------------------------------------------------------------------------------
def timeline_svg(moments: list[HookMoment]) -> bytes:
    """A horizontal timeline from −9 months to 8 years with one marker per moment."""
    return _timeline_svg(tuple((m.age_months, m.title) for m in moments))


@lru_cache(maxsize=32)
def _timeline_svg(points: tuple[tuple[int, str], ...]) -> bytes:
    """Cached by its data: the same moments give the same picture."""
    fig, ax = new_figure(9, 1.6 + 0.32 * max(len(points), 1))
    ax.axvspan(MIN_AGE_MONTHS, 0, color="#f3e6f5", zorder=0)
    ax.text(-4.5, len(points) + 0.2, "zwangerschap", ha="center", fontsize=8, color="#5a2a63")
    for row, (age, title) in enumerate(reversed(points)):
        ax.plot([age], [row], marker="o", color="#1f5f8b", markersize=6)
        ax.text(age + 1.5, row, title, va="center", fontsize=8, color="#1b1b1b")
    ax.set_xlim(MIN_AGE_MONTHS - 1, MAX_AGE_MONTHS + 40)
    ax.set_ylim(-1, len(points) + 0.8)
    ax.set_yticks([])
    ticks = [0, 12, 24, 36, 48, 60, 72, 84, 96]
    ax.set_xticks(ticks, ["geboorte", "1 jr", "2 jr", "3 jr", "4 jr", "5 jr", "6 jr",
                          "7 jr", "8 jr"], fontsize=8)
    ax.set_xlabel("Leeftijd van het kind", fontsize=9)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    fig.tight_layout()
    return to_svg(fig, tight=False)


# -- iCalendar feed ------------------------------------------------------------------------------------
def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(user: User) -> CalendarFeedToken | None:
    return db.session.scalar(select(CalendarFeedToken).where(
        CalendarFeedToken.user_id == user.id, CalendarFeedToken.revoked_at.is_(None)))


def revoke_feed(user: User) -> bool:
    changed = False
    for row in db.session.scalars(select(CalendarFeedToken).where(
            CalendarFeedToken.user_id == user.id, CalendarFeedToken.revoked_at.is_(None))):
        row.revoked_at = utcnow()
        changed = True
    db.session.flush()
    return changed


def create_feed(user: User) -> str:
    """A new secret (256 bits) for the user's feed; any old one stops working. Only the hash is kept."""
    revoke_feed(user)
    token = secrets.token_urlsafe(32)
    db.session.add(CalendarFeedToken(user_id=user.id, token_hash=_hash(token)))
    db.session.flush()
    return token


def user_for_feed(token: str) -> User | None:
    """The active user behind a feed secret, or None for a wrong, revoked or disabled one."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(CalendarFeedToken).where(
        CalendarFeedToken.token_hash == _hash(token), CalendarFeedToken.revoked_at.is_(None)))
    if row is None or not row.user.active:
        return None
    return row.user


def feed_events() -> list[dict]:
    """The events of the feed: every year moment and every dated action."""
    events = []
    moments = db.session.scalars(select(HookMoment).where(
        or_(HookMoment.kind == YEAR_MOMENT, HookMoment.action_date.is_not(None))).order_by(HookMoment.id))
    for m in moments:
        if m.kind == YEAR_MOMENT and m.start_date:
            events.append({"uid": f"aanhaakmoment-{m.id}@gezinsaanpak", "summary": m.title,
                           "start": m.start_date, "end": (m.end_date or m.start_date) + timedelta(days=1),
                           "description": _describe(m, m.message)})
        if m.action_date:
            extra = f"Wie: {m.owner.name}" if m.owner else None
            events.append({"uid": f"aanhaakactie-{m.id}@gezinsaanpak", "summary": f"Actie: {m.title}",
                           "start": m.action_date, "end": m.action_date + timedelta(days=1),
                           "description": _describe(m, m.action, extra)})
    return events


def _describe(moment: HookMoment, main: str | None, extra: str | None = None) -> str:
    parts = [p for p in (main, moment.description, extra) if p]
    if moment.partners:
        parts.append("Partners: " + ", ".join(p.name for p in moment.partners))
    if moment.is_life_stage:
        parts.append(f"Leeftijd van het kind: {age_label(moment.age_months)}")
    return "\n\n".join(parts)


def build_ical(now: datetime | None = None) -> bytes:
    from icalendar import Calendar, Event

    now = now or utcnow()
    cal = Calendar()
    cal.add("prodid", "-//Gezinsaanpak bibliotheek//Aanhaakkalender//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Aanhaakkalender gezinsaanpak")
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    for item in feed_events():
        event = Event()
        event.add("uid", item["uid"])
        event.add("dtstamp", now)
        event.add("dtstart", item["start"])
        event.add("dtend", item["end"])
        event.add("summary", item["summary"])
        if item["description"]:
            event.add("description", item["description"])
        cal.add_component(event)
    return cal.to_ical()
