"""The one-page brief for the evening before a meeting, and the referral figures on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from crm.registry import current_registry
from crm.web import local_today
from lobby.models import Evidence, KeyFigure, Meeting, PitchVersion
from lobby.services.evidence import current_pitch, recent_evidence
from lobby.services.municipality import Person, people

REFERRALS_KEY = "referrals"


@dataclass
class MonthCount:
    year: int
    month: int
    count: int


@dataclass
class Brief:
    meeting: Meeting
    people: list[Person]
    pitch: PitchVersion | None
    figures: list[KeyFigure]
    evidence: list[Evidence]
    evidence_picked: bool
    referrals: list[MonthCount] | None = None
    referral_label: str = "Verwijzingen"
    missing: list[str] = field(default_factory=list)
    withheld: int = 0  # picked evidence left out: no permission to share it


def months_back(today: date, months: int = 12) -> date:
    """The first day of the month ``months - 1`` months before ``today``'s month."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def referral_figures(today: date | None = None, months: int = 12) -> tuple[str, list[MonthCount]] | None:
    """Monthly referral counts of the last ``months`` months, or None when nobody offers them."""
    source = current_registry().figures.get(REFERRALS_KEY)
    if source is None:
        return None
    start = months_back(today or local_today(), months)
    counts = source.monthly(start, months) or {}
    result = []
    for i in range(months):
        index = start.year * 12 + start.month - 1 + i
        year, month = index // 12, index % 12 + 1
        result.append(MonthCount(year, month, int(counts.get((year, month), 0))))
    return source.label, result


def build_brief(meeting: Meeting) -> Brief:
    municipality = meeting.municipality
    table = people(municipality, only_ids=[c.id for c in meeting.contacts])
    # A brief may be handed over: it shows only evidence we have permission to share. What was
    # picked is never swapped for other evidence; nothing picked gives the newest.
    chosen = list(meeting.evidence)
    picked = [e for e in chosen if e.permission]
    evidence = picked[:3] if chosen else recent_evidence(3, until=meeting.held_on)
    brief = Brief(meeting, table, current_pitch(), list(municipality.figures), evidence, bool(chosen),
                  withheld=len(chosen) - len(picked))
    figures = referral_figures()
    if figures is not None:
        brief.referral_label, brief.referrals = figures
    if not table:
        brief.missing.append("wie er aan tafel zit")
    if not meeting.goals and not meeting.goals_note:
        brief.missing.append("de doelen van het gesprek")
    if brief.pitch is None:
        brief.missing.append("een elevator pitch")
    if not any(q.get("answer") for q in meeting.questions or []):
        brief.missing.append("antwoorden op de verwachte vragen")
    return brief
