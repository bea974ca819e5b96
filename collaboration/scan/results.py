"""The joint result of a revealed round: scores per aspect and party, where parties differ,
open answers, the change since the previous round; its charts and the XLSX export.

Only submitted answers count; "weet ik niet" is left out of every average. Each party
weighs the same in the overall score per aspect (the mean of the party means).

Every number here is exact; pages, charts and the export round to one decimal only when they
show it (``shown``). An average of averages that were rounded first can be off by 0.1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from statistics import mean

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from collaboration.scan.models import ASPECTS, OPEN, STATEMENT, ScanAnswer, ScanInvitation, ScanResponse
from collaboration.scan.services import previous_round
from crm.charts import figure, new_figure, to_svg
from crm.db import db


@dataclass
class PersonResult:
    name: str
    aspect_means: dict[str, float | None]


@dataclass
class PartyResult:
    party_id: int
    name: str
    is_library: bool
    partner_id: int | None
    respondents: int
    aspect_means: dict[str, float | None]
    people: list[PersonResult] = field(default_factory=list)


@dataclass
class StatementResult:
    item_id: int
    text: str
    aspect: str
    aspect_label: str
    party_means: dict[int, float | None]
    spread: float | None
    dont_know: int
    comments: list[tuple[str, str | None, str]]  # party, person (None for partners), comment


@dataclass
class Change:
    aspect_label: str
    before: float | None
    now: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.now is None:
            return None
        return round(self.now - self.before, 1)


@dataclass
class RoundResult:
    parties: list[PartyResult]
    overall: dict[str, float | None]
    statements: list[StatementResult]
    open_answers: list[tuple[str, list[tuple[str, str | None, str]]]]  # question, [(party, person, text)]
    previous: object | None
    changes: list[Change]
    rows: list[dict]  # every answer, for the export
    party_changes: list[tuple[str, list[Change]]] = field(default_factory=list)

    @property
    def respondents(self) -> int:
        return sum(p.respondents for p in self.parties)


def _mean(values) -> float | None:
    """The exact mean: never rounded here, see the module's docstring."""
    values = [v for v in values if v is not None]
    return mean(values) if values else None


def shown(value: float | None) -> float | None:
    """A score as it is shown: one decimal."""
    return None if value is None else round(value, 1)


def _submitted(round_id: int) -> list[ScanResponse]:
    return list(db.session.scalars(
        select(ScanResponse)
        .where(ScanResponse.round_id == round_id, ScanResponse.submitted_at.is_not(None))
        .options(selectinload(ScanResponse.answers).selectinload(ScanAnswer.item),
                 selectinload(ScanResponse.invitation).selectinload(ScanInvitation.party))
        .order_by(ScanResponse.id)
    ))


def _aspect_scores(responses: list[ScanResponse]) -> dict[str, float | None]:
    return {
        key: _mean(a.score for r in responses for a in r.answers
                   if a.item.kind == STATEMENT and a.item.aspect == key)
        for key, _, _ in ASPECTS
    }


def _overall(parties: list[PartyResult]) -> dict[str, float | None]:
    return {key: _mean(p.aspect_means[key] for p in parties) for key, _, _ in ASPECTS}


def compute(round_, with_previous: bool = True, with_people: bool = True) -> RoundResult:
    """The joint result. ``with_people=False`` (what partners see) leaves out who answered
    what: no scores per person, no names with the comments and open answers, no rows."""
    responses = _submitted(round_.id)
    by_party: dict[int, list[ScanResponse]] = {}
    for response in responses:
        by_party.setdefault(response.invitation.party_id, []).append(response)
    parties = []
    for party in round_.parties:
        own = by_party.get(party.id, [])
        people = ([PersonResult(r.invitation.person_name, _aspect_scores([r])) for r in own]
                  if with_people else [])
        parties.append(PartyResult(party.id, party.name, party.is_library, party.partner_id, len(own),
                                   _aspect_scores(own), people))
    party_names = {p.id: p.name for p in round_.parties}

    def person(response: ScanResponse) -> str | None:
        return response.invitation.person_name if with_people else None

    statements = []
    open_answers = []
    rows = []
    for item in round_.questionnaire.items_in_page_order:
        answers = [(r, a) for r in responses for a in r.answers if a.item_id == item.id]
        if item.kind == OPEN:
            texts = [(party_names[r.invitation.party_id], person(r), a.comment)
                     for r, a in answers if a.comment]
            open_answers.append((item.text, texts))
        else:
            means = {pid: _mean(a.score for r, a in answers if r.invitation.party_id == pid)
                     for pid in party_names}
            present = [m for m in means.values() if m is not None]
            spread = max(present) - min(present) if len(present) >= 2 else None
            statements.append(StatementResult(
                item.id, item.text, item.aspect, item.aspect_label, means, spread,
                sum(1 for _, a in answers if a.dont_know),
                [(party_names[r.invitation.party_id], person(r), a.comment)
                 for r, a in answers if a.comment],
            ))
        if not with_people:
            continue
        for r, a in answers:
            rows.append({
                "Partij": party_names[r.invitation.party_id],
                "Persoon": r.invitation.person_name,
                "Aspect": item.aspect_label if item.kind == STATEMENT else "Open vraag",
                "Vraag of stelling": item.text,
                "Score": a.score,
                "Weet ik niet": "ja" if a.dont_know else "",
                "Toelichting of antwoord": a.comment or "",
            })
    statements.sort(key=lambda s: (s.spread is None, -(s.spread or 0)))
    overall = _overall(parties)

    previous = previous_round(round_) if with_previous else None
    changes, party_changes = [], []
    if previous is not None:
        earlier = compute(previous, with_previous=False, with_people=False)
        changes = [Change(label, earlier.overall[key], overall[key]) for key, label, _ in ASPECTS]
        # The same party in both rounds: the library, or the same partner.
        before_by_party = {(p.is_library, p.partner_id): p for p in earlier.parties if p.respondents}
        for party in parties:
            before = before_by_party.get((party.is_library, party.partner_id))
            if before is not None and party.respondents:
                party_changes.append((party.name, [
                    Change(label, before.aspect_means[key], party.aspect_means[key])
                    for key, label, _ in ASPECTS
                ]))
    return RoundResult(parties, overall, statements, open_answers, previous, changes, rows, party_changes)


# -- charts --------------------------------------------------------------------------
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")
COLOURS = ("#1f5f8b", "#c4661f", "#2e7d32", "#7b3f98", "#8a6d00", "#b0003a", "#00695c", "#455a64")


def chart_data(result: RoundResult) -> tuple:
    """A hashable summary of what the charts draw (the cache key)."""
    return tuple(  # rounded a little: the cache key, and no chart shows more than this
        (p.name, tuple(None if p.aspect_means[key] is None else round(p.aspect_means[key], 3)
                       for key, _, _ in ASPECTS))
        for p in result.parties if p.respondents
    )


def _legend_label(name: str, means) -> str:
    """The party's name, and the aspects it has no score for (all "weet ik niet")."""
    missing = [label for (_, label, _), value in zip(ASPECTS, means, strict=True) if value is None]
    return f"{name} (geen score: {', '.join(missing)})" if missing else name


@lru_cache(maxsize=64)
def radar_svg(data: tuple) -> bytes:
    """One line per party; an aspect without a score is a gap in the line, not a 0 (the scale
    starts at 1), and the legend names it."""
    import math

    labels = [label for _, label, _ in ASPECTS]
    angles = [n / len(labels) * 2 * math.pi for n in range(len(labels))]
    fig = figure(6, 5.2)
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_xticks(angles, labels)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    for n, (name, means) in enumerate(data):
        values = [v if v is not None else math.nan for v in means]
        ax.plot(angles + angles[:1], values + values[:1], marker=MARKERS[n % len(MARKERS)],
                color=COLOURS[n % len(COLOURS)], linewidth=2, label=_legend_label(name, means),
                linestyle=("-", "--", ":", "-.")[n % 4])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, frameon=False)
    return to_svg(fig)


@lru_cache(maxsize=64)
def bars_svg(data: tuple) -> bytes:
    labels = [label for _, label, _ in ASPECTS]
    fig, ax = new_figure(7, 4)
    count = max(len(data), 1)
    width = 0.8 / count
    for n, (name, means) in enumerate(data):
        xs = [i - 0.4 + width * (n + 0.5) for i in range(len(labels))]
        ax.bar(xs, [v or 0 for v in means], width, label=_legend_label(name, means),
               color=COLOURS[n % len(COLOURS)],
               hatch=HATCHES[n % len(HATCHES)], edgecolor="white")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylim(0, 5)
    ax.set_ylabel("Gemiddelde score (1–5)")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    return to_svg(fig)


# -- export --------------------------------------------------------------------------
def export_xlsx(round_, result: RoundResult) -> bytes:
    import pandas as pd  # pandas loads on first use, not at boot

    from crm.exports import to_xlsx_sheets

    aspect_cols = [(key, label) for key, label, _ in ASPECTS]
    per_party = [{"Partij": p.name, "Ingestuurd": p.respondents,
                  **{label: shown(p.aspect_means[key]) for key, label in aspect_cols}}
                 for p in result.parties]
    per_party.append({"Partij": "Alle partijen samen", "Ingestuurd": result.respondents,
                      **{label: shown(result.overall[key]) for key, label in aspect_cols}})
    per_person = [{"Partij": p.name, "Persoon": person.name,
                   **{label: shown(person.aspect_means[key]) for key, label in aspect_cols}}
                  for p in result.parties for person in p.people]
    names = {p.party_id: p.name for p in result.parties}
    per_statement = [{"Stelling": s.text, "Aspect": s.aspect_label, "Verschil": shown(s.spread),
                      **{names[pid]: shown(m) for pid, m in s.party_means.items()},
                      "Weet ik niet": s.dont_know} for s in result.statements]
    open_rows = [{"Vraag": question, "Partij": party, "Persoon": person, "Antwoord": text}
                 for question, texts in result.open_answers for party, person, text in texts]
    sheets = {
        "Per aspect": per_party, "Per persoon": per_person, "Per stelling": per_statement,
        "Open antwoorden": open_rows, "Alle antwoorden": result.rows,
    }
    summary = {"Ronde": round_.title, "Sluitdatum": round_.closes_on, "Ingestuurd": result.respondents}
    frames = {"Ronde": pd.DataFrame([summary])}
    frames.update((name, pd.DataFrame(rows)) for name, rows in sheets.items())
    return to_xlsx_sheets(frames)  # formula-like text is neutralised there
