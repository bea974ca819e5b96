"""The one-page brief for the evening before a meeting, and the referral figures on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from crm.registry import current_registry
from crm.web import local_today
from lobby.models import Evidence, KeyFigure, Meeting, PitchVersion
from lobby.services.evidence import pitch_for, recent_evidence
from lobby.services.meetings import MAX_EVIDENCE
from lobby.services.municipality import Person, people

REFERRALS_KEY = "referrals"

#: What fits on one A4 page next to the other blocks (checked by printing in the browser tests).
MAX_QUESTIONS = 5
#: Lengths at which the brief cuts a text (the full text stays on the meeting page and with
#: the people); the template takes them from here.
LIMITS = {
    "person": 65,  # what they know, their interests, the haakje: each in a narrow column
    "contact_summary": 40,
    "goals_note": 200,
    "key_message": 220,
    "pitch": 1100,  # about one minute of speech
    "question": 140,
    "answer": 220,
    "evidence": 80,
}
#: A rough budget of printed lines on one A4 page; above it the screen warns.
PAGE_LINES = 74  # A4 holds about 76 of them; a little margin for the estimate
#: Characters per printed line: the full width, half of it (two columns), the columns of the
#: people table; and the lines the referral chart takes.
FULL_LINE, HALF_LINE, NAME_COLUMN, TEXT_COLUMN, DATE_COLUMN = 118, 56, 24, 26, 22
CHART_LINES = 12


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
    evidence_left_out: int = 0  # picked with permission, but more than fit (older data)
    questions: list[dict] = field(default_factory=list)  # the ones on the brief
    questions_left_out: int = 0
    pitch_is_general: bool = False  # the municipality has no pitch of its own
    erased_note: str = ""

    @property
    def estimated_lines(self) -> float:
        """A rough count of printed lines (8.5pt on A4, as lobby.css prints the brief), to warn
        on screen when it may not fit on one page. Calibrated against Chromium's print in the
        browser tests; headings count as two lines."""
        from crm.web import nl_date

        def lines(text: str | None, per_line: int, at_least: int = 0) -> int:
            return max(at_least, -(-len(text or "") // per_line))

        meeting, cut = self.meeting, LIMITS
        meta = f"{meeting.municipality.name} {nl_date(meeting.held_on)} {meeting.place or ''} " + (
            f"Namens de bibliotheek: {meeting.library_people}" if meeting.library_people else "")
        total = 2 + lines(meta, FULL_LINE)
        total += 3.5 + sum(
            0.5 + max(
                1 + lines(p.function or p.contact.position, NAME_COLUMN),
                *(lines((t or "–")[: cut["person"]], TEXT_COLUMN)
                  for t in (p.contact.knowledge, p.contact.interests, p.contact.hook)),
                1 + lines((p.last_contact.summary if p.last_contact else "")[: cut["contact_summary"]],
                          DATE_COLUMN),
            )
            for p in self.people
        )
        key_message = meeting.key_message or meeting.municipality.key_message
        goals = "Doelen: " + "; ".join(meeting.goal_short_labels) if meeting.goals else ""
        key_line = ("Kernboodschap: " + key_message)[: cut["key_message"] + 15] if key_message else ""
        left = (lines(goals, HALF_LINE) + lines((meeting.goals_note or "")[: cut["goals_note"]], HALF_LINE)
                + 1 + lines(key_line, HALF_LINE) + 1)
        right = lines(self.pitch.text[: cut["pitch"]] if self.pitch else "Nog geen pitch.", HALF_LINE) + 1
        total += 2 + max(left, right)
        total += 2 + 1.5 + 1.3 * len(self.figures) if self.figures else 3
        total += 2 + sum(
            0.2 + lines(
                q.get("question", "")[: cut["question"]] + " " + (q.get("answer") or "x")[: cut["answer"]],
                FULL_LINE,
            )
            for q in self.questions
        ) + (1 if self.questions_left_out else 0)
        evidence = sum(
            0.3 + lines(f"{e.kind_label}: {e.title} — {(e.text or '')[: cut['evidence']]} · {e.source}, "
                        f"{nl_date(e.occurred_on)}", HALF_LINE, 2 if e.image else 1)
            for e in self.evidence
        )
        total += 2 + max(evidence, CHART_LINES if self.referrals else 2)
        return total

    @property
    def may_overflow(self) -> bool:
        return self.estimated_lines > PAGE_LINES


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


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string: no way out of the quotes, no control characters."""
    text = "".join(ch for ch in text if ch >= " " and ch != "\x7f")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def print_css(meeting: Meeting) -> str:
    """The brief's running head for paper: from the second page on, the top of each page says
    which meeting it belongs to and the page number. The first page has the title itself.

    CSS margin boxes (Chromium 131 and later, other browsers ignore them); served as a file
    because the content security policy allows no inline style."""
    from crm.web import nl_date

    title = meeting.title if len(meeting.title) <= 90 else meeting.title[:89] + "…"
    head = f"Briefing: {title} · {meeting.municipality.name} · {nl_date(meeting.held_on)}"
    return (
        "@page { margin-top: 15mm;\n"
        f"  @top-left {{ content: {_css_string(head)}; font: 7.5pt sans-serif; color: #444; }}\n"
        '  @top-right { content: "pagina " counter(page) " van " counter(pages); '
        "font: 7.5pt sans-serif; color: #444; }\n}\n"
        "@page :first { margin-top: 9mm; @top-left { content: none; } @top-right { content: none; } }\n"
    )


def build_brief(meeting: Meeting) -> Brief:
    municipality = meeting.municipality
    table = people(municipality, only_ids=[c.id for c in meeting.present_contacts])
    # A brief may be handed over: it shows only evidence we have permission to share. What was
    # picked is never swapped for other evidence; nothing picked gives the newest.
    chosen = list(meeting.evidence)
    picked = [e for e in chosen if e.permission]
    evidence = picked[:MAX_EVIDENCE] if chosen else recent_evidence(MAX_EVIDENCE, until=meeting.held_on)
    pitch = pitch_for(municipality)
    questions = [q for q in meeting.questions or [] if q.get("question")]
    brief = Brief(
        meeting,
        table,
        pitch,
        list(municipality.figures),
        evidence,
        bool(chosen),
        withheld=len(chosen) - len(picked),
        evidence_left_out=max(0, len(picked) - MAX_EVIDENCE),
        questions=questions[:MAX_QUESTIONS],
        questions_left_out=max(0, len(questions) - MAX_QUESTIONS),
        pitch_is_general=pitch is not None and pitch.municipality_id is None,
        erased_note=meeting.erased_note,
    )
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
