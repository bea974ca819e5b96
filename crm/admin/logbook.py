"""The logboek's filters and the records its rows are about: their current name and page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app, url_for
from sqlalchemy import select

from crm.audit import ACTION_LABELS, NO_ACTOR, AuditEntry, LogFilter, last_deletions, record_labels
from crm.auth.models import User
from crm.db import Base, db
from crm.permissions import may_open
from crm.web import local_tz


@dataclass(frozen=True)
class RecordPage:
    """Where a kind of record is shown: ``args`` maps each URL argument of ``endpoint`` to
    the column that fills it; ``name`` is a column with a name that is no personal data
    (a person's name is not shown in the log; their page is one click away)."""

    endpoint: str
    args: dict[str, str] = field(default_factory=dict)
    name: str | None = None


#: Table → its page. Kinds without a page of their own (a tick, a score) are left out; a
#: package that is not installed simply has no endpoint, and its records get no link.
RECORD_PAGES = {
    "crm_partner": RecordPage("crm.partner_detail", {"partner_id": "id"}, "name"),
    "crm_contact": RecordPage("crm.contact_detail", {"contact_id": "id"}),
    "crm_interaction": RecordPage("crm.interaction_detail", {"interaction_id": "id"}),
    "crm_referral": RecordPage("crm.referral_edit", {"referral_id": "id"}),
    "crm_branch": RecordPage("crm.admin_branch_edit", {"branch_id": "id"}, "name"),
    "crm_user": RecordPage("crm.admin_user_edit", {"user_id": "id"}, "name"),
    "crm_choice": RecordPage("crm.admin_list", {"key": "list_key"}, "label"),
    "crm_lobby_municipality": RecordPage("lobby.municipality", {"municipality_id": "id"}),
    "crm_lobby_meeting": RecordPage("lobby.meeting", {"meeting_id": "id"}, "title"),
    "crm_lobby_agreement": RecordPage("lobby.meeting", {"meeting_id": "meeting_id"}),
    "crm_lobby_action_plan": RecordPage("lobby.plan", {"action_plan_id": "id"}, "title"),
    "crm_lobby_pitch": RecordPage("lobby.pitch", {"pitch_id": "id"}, "title"),
    "crm_agreement": RecordPage("collaboration.agreement_detail", {"agreement_id": "id"}, "title"),
    "crm_strength_analysis": RecordPage("collaboration.analysis_detail", {"analysis_id": "id"}),
    "crm_assessment": RecordPage("collaboration.assessment_detail", {"assessment_id": "id"}),
    "crm_hook_moment": RecordPage("collaboration.moment_detail", {"moment_id": "id"}, "title"),
    "crm_scan_round": RecordPage("collaboration.scan_round", {"round_id": "id"}, "title"),
}


@dataclass(frozen=True)
class RecordRef:
    """What a log row says about its record."""

    label: str  # "partner #8"
    name: str | None = None  # its name now, when it has one that may be shown
    url: str | None = None  # its page, when it still exists and may be opened
    gone: bool = False  # this record is no longer there (its number may be in use again)


def _page(record_type: str) -> RecordPage | None:
    page = RECORD_PAGES.get(record_type)
    if page is None or page.endpoint not in current_app.view_functions or not may_open(page.endpoint):
        return None
    if page.endpoint == "crm.admin_user_edit" and not current_app.extensions["crm"].standalone:
        return None  # in a host app the host manages its users
    return page


def _current(record_type: str, ids: set[int]) -> dict[int, dict] | None:
    """id → the columns its page needs, for the records of one kind that still exist (one
    query); None when this kind has no page to go to here."""
    page, table = _page(record_type), Base.metadata.tables.get(record_type)
    if page is None or table is None or "id" not in table.c:
        return None
    columns = {"id", *page.args.values(), *([page.name] if page.name else [])}
    rows = db.session.execute(select(*(table.c[c] for c in columns)).where(table.c.id.in_(ids)))
    return {row.id: row._asdict() for row in rows}


def describe(entries: list[AuditEntry]) -> dict[int, RecordRef]:
    """Log row id → its record: one query per kind of record on the page, one for deletions."""
    return _resolve([(e.id, e.record_type, e.record_id, _label(e.record_label, e.record_id))
                     for e in entries])


def subject(flt: LogFilter) -> tuple[RecordRef, bool] | None:
    """The one record a filtered log is about, as it is now, and whether its number was
    used before by a record that was deleted since."""
    if flt.record_type is None or flt.record_id is None:
        return None
    now = 2**62  # later than every log row: the record with this number today
    label = _label(record_labels().get(flt.record_type, flt.record_type), flt.record_id)
    ref = _resolve([(now, flt.record_type, flt.record_id, label)])[now]
    reused = (flt.record_type, flt.record_id) in last_deletions({(flt.record_type, flt.record_id)})
    return ref, reused and not ref.gone


def _resolve(rows: list[tuple[int, str | None, int | None, str]]) -> dict[int, RecordRef]:
    """(log row id, table, record id, label) → the record as that log row knew it."""
    wanted: dict[str, set[int]] = {}
    for _entry_id, kind, record_id, _text in rows:
        if record_id is not None and kind in RECORD_PAGES:
            wanted.setdefault(kind, set()).add(record_id)
    existing = {kind: _current(kind, ids) for kind, ids in wanted.items()}
    deleted = last_deletions({(kind, i) for kind, ids in wanted.items() if existing[kind] is not None
                              for i in ids})
    refs = {}
    for entry_id, kind, record_id, label in rows:
        found = existing.get(kind)
        if found is None or record_id is None:
            refs[entry_id] = RecordRef(label)
            continue
        row = found.get(record_id)
        if row is None or entry_id <= deleted.get((kind, record_id), 0):
            refs[entry_id] = RecordRef(label, gone=True)  # never the name or page of a newer record
            continue
        page = RECORD_PAGES[kind]
        url = url_for(page.endpoint, **{arg: row[column] for arg, column in page.args.items()})
        refs[entry_id] = RecordRef(label, row.get(page.name) if page.name else None, url)
    return refs


def _label(kind_label: str, record_id: int | None) -> str:
    return f"{kind_label} #{record_id}" if record_id is not None else kind_label


# -- the filter form ---------------------------------------------------------------------------
SYSTEM = "systeem"


def actor_choices() -> list[tuple[str, str]]:
    """Everybody with an account (also switched off: their rows stay), and "nobody logged in"."""
    users = db.session.execute(select(User.id, User.name, User.active).order_by(User.name))
    return ([("", "Iedereen")]
            + [(str(u.id), u.name if u.active else f"{u.name} (uitgeschakeld)") for u in users]
            + [(SYSTEM, "Niet ingelogd of het systeem")])


def _day_start(day: date) -> datetime:
    """The start of a day in the library's time zone, as UTC (how the log stores times)."""
    return datetime.combine(day, time(), tzinfo=local_tz()).astimezone(UTC)


def log_filter(form) -> LogFilter:
    """The filter of a validated ``LogFilterForm``; a field with an error does not filter."""
    def ok(f):
        return f.data not in (None, "") and not f.errors

    actor = None
    if ok(form.wie):
        actor = NO_ACTOR if form.wie.data == SYSTEM else int(form.wie.data)
    kind = form.gegeven.data if ok(form.gegeven) else None
    since = _day_start(form.van.data) if ok(form.van) else None
    before = _day_start(form.tot.data + timedelta(days=1)) if ok(form.tot) else None
    return LogFilter(
        action=form.actie.data if ok(form.actie) and form.actie.data in ACTION_LABELS else None,
        actor_id=actor, record_type=kind,
        record_id=form.nummer.data if kind and ok(form.nummer) else None,
        since=since, before=before,
    )
