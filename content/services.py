"""The phase tracker's logic: progress per phase, ticked steps, hints and yearly snapshots.

No request objects here; functions only ``flush()``, the view commits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Set
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from content.guide import Guide, PhaseGuide, get_guide
from content.models import (
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    STATUS_LABELS,
    PhaseProgress,
    StepCheck,
    YearSnapshot,
)
from crm import errors
from crm.db import db, utcnow
from crm.guide import Phase, Theme

StaleRecord = errors.StaleRecord


def check_version(record, submitted) -> None:
    """Raise ``StaleRecord`` when the form was shown with another version than the stored one.

    ``submitted`` is the form's hidden ``version`` (a string, possibly empty). A record
    that does not exist yet (``None``) accepts an empty version only.
    """
    submitted = (submitted or "").strip()
    if record is None or record.id is None:
        if submitted not in ("", "0"):
            raise StaleRecord()
        return
    errors.check_version(record, submitted)


def key_of(theme: Theme, phase: Phase) -> str:
    return f"{theme.value}/{phase.value}"


# -- reading -----------------------------------------------------------------------


def progress_of(theme: Theme, phase: Phase) -> PhaseProgress | None:
    return db.session.scalar(
        select(PhaseProgress).where(PhaseProgress.theme == theme.value, PhaseProgress.phase == phase.value)
    )


def all_progress() -> dict[tuple[Theme, Phase], PhaseProgress]:
    rows = db.session.scalars(select(PhaseProgress)).all()
    return {(Theme(r.theme), Phase(r.phase)): r for r in rows if _known(r.theme, r.phase)}


def checks_of(theme: Theme, phase: Phase) -> dict[int, StepCheck]:
    rows = db.session.scalars(
        select(StepCheck).where(StepCheck.theme == theme.value, StepCheck.phase == phase.value)
    ).all()
    return {r.step_number: r for r in rows}


def all_checks() -> dict[tuple[Theme, Phase], set[int]]:
    result: dict[tuple[Theme, Phase], set[int]] = {}
    for theme_code, phase_code, number in db.session.execute(
        select(StepCheck.theme, StepCheck.phase, StepCheck.step_number)
    ):
        if _known(theme_code, phase_code):
            result.setdefault((Theme(theme_code), Phase(phase_code)), set()).add(number)
    return result


def _known(theme_code: str, phase_code: str) -> bool:
    return theme_code in Theme._value2member_map_ and phase_code in Phase._value2member_map_


@dataclass(frozen=True)
class Cell:
    """One phase in the overview: status, steps done, whether the question is answered."""

    theme: Theme
    phase: Phase
    status: str
    steps_done: int
    steps_total: int
    answered: bool

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def overview(guide: Guide | None = None) -> list[list[Cell]]:
    """The 7 × 4 grid: one row per theme, one cell per phase."""
    guide = guide or get_guide()
    progress, checks = all_progress(), all_checks()
    rows = []
    for theme in Theme:
        row = []
        for phase in Phase:
            record = progress.get((theme, phase))
            total = len(guide.phase(theme, phase).steps)
            done = len({n for n in checks.get((theme, phase), set()) if n <= total})
            row.append(Cell(
                theme, phase,
                status=record.status if record else NOT_STARTED,
                steps_done=done,
                steps_total=total,
                answered=bool(record and record.answer),
            ))
        rows.append(row)
    return rows


def totals(grid: list[list[Cell]]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for row in grid:
        for cell in row:
            counts[cell.status] += 1
    return counts


@dataclass(frozen=True)
class Hint:
    """A "volgende stap": a sentence and the phase it points to."""

    text: str
    theme: Theme
    phase: Phase
    step: int | None = None


def phase_hint(guide_phase: PhaseGuide, record: PhaseProgress | None, done: set[int]) -> Hint | None:
    """What the team does next in this phase; None when the theme is finished."""
    theme, phase = guide_phase.theme, guide_phase.phase
    status = record.status if record else NOT_STARTED
    if status != DONE:
        for step in guide_phase.steps:
            if step.number not in done:
                return Hint(f"Stap {step.number}: {step.title}", theme, phase, step.number)
        if not (record and record.answer):
            return Hint("Beantwoord met het team de samenvattende vraag.", theme, phase)
        return Hint("Alle stappen zijn gezet: rond de fase af.", theme, phase)
    phases = list(Phase)
    index = phases.index(phase)
    if index + 1 < len(phases):
        following = phases[index + 1]
        return Hint(f"Ga verder met de fase {following.label}.", theme, following)
    return None


def next_hint(grid: list[list[Cell]] | None = None, guide: Guide | None = None) -> Hint | None:
    """The team's next step overall: the first phase under way, else the first one to start.

    A phase under way wins; after that a phase that follows a finished one in the same
    theme; after that the first phase not started.
    """
    guide = guide or get_guide()
    grid = grid or overview(guide)
    cells = [cell for row in grid for cell in row]
    busy = next((c for c in cells if c.status == IN_PROGRESS), None)
    if busy is not None:
        progress = progress_of(busy.theme, busy.phase)
        done = set(checks_of(busy.theme, busy.phase))
        return phase_hint(guide.phase(busy.theme, busy.phase), progress, done)
    for row in grid:
        for previous, cell in zip(row, row[1:], strict=False):
            if previous.status == DONE and cell.status == NOT_STARTED:
                return Hint(f"Begin met de fase {cell.phase.label}.", cell.theme, cell.phase)
    first = next((c for c in cells if c.status == NOT_STARTED), None)
    if first is not None:
        return Hint(f"Begin met de fase {first.phase.label}.", first.theme, first.phase)
    return None


# -- changing ----------------------------------------------------------------------


#: Why "Afgerond" is refused for a phase in which nothing was done (review 8, finding 10).
DONE_TOO_EARLY = (
    "Kies Afgerond pas als het team iets in deze fase heeft gedaan: vink de stappen af die jullie "
    "hebben gezet, of schrijf het antwoord op de samenvattende vraag."
)


@dataclass(frozen=True)
class PhaseChange:
    """What one save of the phase page changed."""

    added: int = 0
    removed: int = 0
    #: The new status, when the status changed.
    status: str | None = None
    answer_changed: bool = False
    #: "Niet begonnen" was chosen, but steps are ticked or there is an answer: kept as "Bezig".
    kept_in_progress: bool = False

    @property
    def anything(self) -> bool:
        return bool(self.added or self.removed or self.status or self.answer_changed)


def shown_state(status: str | None, answer: str | None) -> str:
    """A short mark of the status and answer a page showed, sent back with the form: so a
    save can tell whether the user changed them or only ticked steps."""
    text = f"{status or NOT_STARTED}\n{(answer or '').strip()}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def save_phase(
    theme: Theme, phase: Phase, status: str, answer: str | None, version, account,
    ticked: Set[int] = frozenset(), shown: Set[int] = frozenset(), shown_mark: str | None = None,
) -> PhaseChange:
    """Store what the phase page sends in one go: the ticked steps, the status and the answer.

    Steps: only the difference between what the page showed (``shown``) and what the user
    sent (``ticked``) is applied, so two people ticking different steps are both kept.
    Status and answer: the version check (``version``, from the form) guards them, but only
    when this save changes them; ticking a step on a page shown before a colleague's save is
    no conflict: when the status and answer sent are those the page showed (``shown_mark``,
    see ``shown_state``), the stored ones stay, also a colleague's newer ones.
    "Niet begonnen" with a ticked step or an answer is stored as "Bezig";
    "Afgerond" with neither is refused (``RuleError`` on ``status``). Nothing is stored when
    an error is raised. Flush only.
    """
    if status not in STATUS_LABELS:
        raise ValueError(f"unknown status {status!r}")
    record = progress_of(theme, phase)
    existing = checks_of(theme, phase)
    to_add = sorted(n for n in set(ticked) - set(shown) if n not in existing)
    to_remove = sorted(n for n in set(shown) - set(ticked) if n in existing)
    done_after = (set(existing) | set(to_add)) - set(to_remove)
    answer = (answer or "").strip() or None
    stored_status = record.status if record else NOT_STARTED
    stored_answer = record.answer if record else None
    changed_here = shown_mark is None or shown_state(status, answer) != shown_mark
    if not changed_here:  # only steps were changed on this page: status and answer stay as stored
        status, answer = stored_status, stored_answer
    kept_in_progress = status == NOT_STARTED and bool(done_after or answer)
    if kept_in_progress:
        status = IN_PROGRESS
    if status == DONE and not done_after and not answer:
        raise errors.RuleError(DONE_TOO_EARLY, field="status")
    if (status, answer) != (stored_status, stored_answer):
        if changed_here:
            check_version(record, version)
        if record is None:
            record = PhaseProgress(theme=theme.value, phase=phase.value)
            db.session.add(record)
        record.status = status
        if answer != record.answer:
            record.answer = answer
            record.answered_by_id = account.id if (answer and account) else None
            record.answered_at = utcnow() if answer else None
    for number in to_add:
        db.session.add(StepCheck(theme=theme.value, phase=phase.value, step_number=number,
                                 checked_by_id=account.id if account else None))
    for number in to_remove:
        db.session.delete(existing[number])
    db.session.flush()
    return PhaseChange(
        added=len(to_add), removed=len(to_remove),
        status=status if status != stored_status else None,
        answer_changed=answer != stored_answer,
        kept_in_progress=kept_in_progress,
    )


def ticks_to_show(theme: Theme, phase: Phase, ticked: Set[int], shown: Set[int]) -> set[int]:
    """The tick boxes to show again after a save was refused: what is stored now, with the
    user's own changes (``shown`` → ``ticked``) on top, so nothing they did is lost."""
    stored = set(checks_of(theme, phase))
    return (stored | (set(ticked) - set(shown))) - (set(shown) - set(ticked))


# -- yearly evaluation -------------------------------------------------------------


def current_state(guide: Guide | None = None) -> dict[str, dict]:
    """Progress and answers of every phase, in the shape stored in a ``YearSnapshot``."""
    guide = guide or get_guide()
    progress, checks = all_progress(), all_checks()
    data = {}
    for guide_phase in guide:
        key = (guide_phase.theme, guide_phase.phase)
        record = progress.get(key)
        total = len(guide_phase.steps)
        data[key_of(*key)] = {
            "status": record.status if record else NOT_STARTED,
            "answer": record.answer if record else None,
            "steps_done": sorted(n for n in checks.get(key, set()) if n <= total),
            "steps_total": total,
        }
    return data


def take_snapshot(year: int, account, now: datetime | None = None) -> tuple[YearSnapshot, bool]:
    """Store (or replace) the snapshot of ``year``; returns it and whether it was new."""
    snapshot = db.session.scalar(select(YearSnapshot).where(YearSnapshot.year == year))
    created = snapshot is None
    if created:
        snapshot = YearSnapshot(year=year)
        db.session.add(snapshot)
    snapshot.data = current_state()
    snapshot.taken_by_id = account.id if account else None
    snapshot.taken_at = now or utcnow()
    db.session.flush()
    return snapshot, created


def snapshots() -> list[YearSnapshot]:
    return list(db.session.scalars(select(YearSnapshot).order_by(YearSnapshot.year.desc())))


def snapshot_of(year: int) -> YearSnapshot | None:
    return db.session.scalar(select(YearSnapshot).where(YearSnapshot.year == year))


@dataclass(frozen=True)
class Comparison:
    """One phase, this year next to last year."""

    theme: Theme
    phase: Phase
    now: dict
    before: dict | None

    @property
    def changed(self) -> bool:
        if self.before is None:
            return self.now["status"] != NOT_STARTED
        return (self.now["status"], self.now["answer"], self.now["steps_done"]) != (
            self.before.get("status"), self.before.get("answer"), self.before.get("steps_done"))

    @property
    def now_label(self) -> str:
        return STATUS_LABELS.get(self.now["status"], self.now["status"])

    @property
    def before_label(self) -> str:
        if self.before is None:
            return "—"
        status = self.before.get("status", NOT_STARTED)
        return STATUS_LABELS.get(status, status)


def compare(
    now: dict[str, dict], before: dict[str, dict] | None, guide: Guide | None = None
) -> list[Comparison]:
    guide = guide or get_guide()
    rows = []
    for guide_phase in guide:
        key = key_of(guide_phase.theme, guide_phase.phase)
        earlier = before.get(key) if before is not None else None
        current = now.get(key) or {"status": NOT_STARTED, "answer": None, "steps_done": [],
                                   "steps_total": len(guide_phase.steps)}
        rows.append(Comparison(guide_phase.theme, guide_phase.phase, current, earlier))
    return rows
