"""The afwegingstabel samenwerking: its criteria (admin-editable), assessments of a
partner, the decision and, when the user confirms, the partner's new status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from collaboration.models import (
    CRITERION_GROUPS,
    DECISION_LABELS,
    GROUP_LABELS,
    Assessment,
    AssessmentCriterion,
    AssessmentScore,
)
from collaboration.services import CollaborationError, get_partner
from crm.db import db
from crm.errors import refuse_twin
from crm.network.models import STATUS_LABELS, Partner, PartnerStatusChange

#: Default criteria, written for this product from the guide's three headings.
DEFAULT_CRITERIA = (
    ("passendheid", "Past de partner bij het doel van de gezinsaanpak: laaggeletterdheid doorbreken "
                    "in gezinnen?"),
    ("passendheid", "Bereikt de partner onze focusgroep (ouders en kinderen van −9 maanden tot 8 jaar "
                    "in kwetsbare situaties)?"),
    ("passendheid", "Sluiten de werkwijze en de waarden van de partner aan bij die van de bibliotheek?"),
    ("toegevoegde_waarde", "Wat brengt de partner in dat wij zelf niet hebben (kennis, netwerk, "
                           "vertrouwen van ouders)?"),
    ("toegevoegde_waarde", "Hoeveel gezinnen kunnen we samen extra bereiken?"),
    ("toegevoegde_waarde", "Wat heeft de partner aan de bibliotheek (wederkerigheid)?"),
    ("realiseerbaarheid", "Is er genoeg tijd bij ons en bij de partner?"),
    ("realiseerbaarheid", "Is er geld of budget voor de samenwerking?"),
    ("realiseerbaarheid", "Zijn er mensen die het gaan doen, met de juiste deskundigheid?"),
    ("realiseerbaarheid", "Staat de leiding erachter, bij ons en bij de partner?"),
)

SCORE_MESSAGE = "Vul een cijfer van 1 tot en met 5 in."

#: The partner status a decision leads to when the user confirms.
DECISION_STATUS = {"aangaan": "actief", "niet_aangaan": "beeindigd", "later": "verkennend"}


# -- criteria ------------------------------------------------------------------------------------
def criteria(include_inactive: bool = False) -> list[AssessmentCriterion]:
    order = {code: i for i, (code, _label) in enumerate(CRITERION_GROUPS)}
    stmt = select(AssessmentCriterion)
    if not include_inactive:
        stmt = stmt.where(AssessmentCriterion.active.is_(True))
    rows = list(db.session.scalars(stmt.order_by(AssessmentCriterion.position, AssessmentCriterion.id)))
    return sorted(rows, key=lambda c: order.get(c.group, 99))


def ensure_default_criteria() -> bool:
    """Store the default criteria when there are none at all; True when it did."""
    if db.session.scalar(select(func.count()).select_from(AssessmentCriterion)):
        return False
    for position, (group, label) in enumerate(DEFAULT_CRITERIA):
        db.session.add(AssessmentCriterion(group=group, label=label, position=position))
    db.session.flush()
    return True


@dataclass(frozen=True)
class CriterionLine:
    """A line on the assessment form: a stored criterion, or a default not stored yet."""

    key: str
    group: str
    label: str

    @property
    def group_label(self) -> str:
        return GROUP_LABELS[self.group]


def lines_for(assessment: Assessment | None) -> list[CriterionLine]:
    """The lines of an assessment form: for an existing assessment its own lines (their text
    as it was then, key ``s<score id>``) plus criteria added since (``c<id>``)."""
    if assessment is None:
        return form_lines()
    lines = [CriterionLine(f"s{row.id}", row.group, row.label) for row in assessment.scores]
    have = {row.criterion_id for row in assessment.scores}
    lines += [CriterionLine(f"c{c.id}", c.group, c.label) for c in criteria() if c.id not in have]
    order = {code: i for i, (code, _label) in enumerate(CRITERION_GROUPS)}
    return sorted(lines, key=lambda line: order.get(line.group, 99))


def form_lines() -> list[CriterionLine]:
    """The criteria to score; the defaults while none are stored (GET never writes)."""
    stored = criteria()
    if stored:
        return [CriterionLine(f"c{c.id}", c.group, c.label) for c in stored]
    if db.session.scalar(select(func.count()).select_from(AssessmentCriterion)):
        return []  # the admin switched every criterion off
    return [CriterionLine(f"d{i}", g, label) for i, (g, label) in enumerate(DEFAULT_CRITERIA)]


def save_criterion(criterion: AssessmentCriterion | None, group: str, label: str,
                   active: bool = True) -> AssessmentCriterion:
    if group not in GROUP_LABELS:
        raise CollaborationError("Kies een groep.", "group")
    label = label.strip()
    if not label:
        raise CollaborationError("Vul het criterium in.", "label")
    if criterion is None:
        refuse_twin(AssessmentCriterion, None, {"group": group, "label": label})
    ensure_default_criteria()
    if criterion is None:
        position = db.session.scalar(select(func.max(AssessmentCriterion.position))) or 0
        criterion = AssessmentCriterion(position=position + 1)
        db.session.add(criterion)
    criterion.group, criterion.label, criterion.active = group, label, active
    db.session.flush()
    return criterion


# -- assessments ---------------------------------------------------------------------------------
@dataclass
class ScoreInput:
    key: str
    score: int | None
    note: str | None


@dataclass
class AssessmentInput:
    partner_id: int
    decision: str
    rationale: str
    decided_on: date
    decided_by: str
    review_on: date | None = None
    apply_status: bool = False
    phase: str | None = None
    scores: list[ScoreInput] = field(default_factory=list)


def _validate(data: AssessmentInput) -> None:
    if data.decision not in DECISION_LABELS:
        raise CollaborationError("Kies een besluit.", "decision")
    if not (data.rationale or "").strip():
        raise CollaborationError("Schrijf op waarom jullie dit besluiten.", "rationale")
    if not (data.decided_by or "").strip():
        raise CollaborationError("Vul in wie het besluit nam.", "decided_by")
    if data.review_on and data.review_on < data.decided_on:
        raise CollaborationError("Kies een datum op of na de datum van het besluit.", "review_on")
    for line in data.scores:
        if line.score is not None and not 1 <= line.score <= 5:
            raise CollaborationError(SCORE_MESSAGE, f"score_{line.key}")


def _criteria_by_key(keys: list[str]) -> dict[str, AssessmentCriterion]:
    if any(k.startswith("d") for k in keys):
        ensure_default_criteria()
        defaults = criteria(include_inactive=True)
        mapping = {f"d{i}": c for i, c in enumerate(sorted(defaults, key=lambda c: c.position))}
    else:
        mapping = {}
    ids = [int(k[1:]) for k in keys if k.startswith("c")]
    if ids:
        for c in db.session.scalars(select(AssessmentCriterion).where(AssessmentCriterion.id.in_(ids))):
            mapping[f"c{c.id}"] = c
    return mapping


def save_assessment(assessment: Assessment | None, data: AssessmentInput,
                    user_id: int | None) -> tuple[Assessment, str | None]:
    """Store an assessment; returns it and the partner's new status (None: unchanged)."""
    _validate(data)
    partner = get_partner(data.partner_id)
    if assessment is None:
        refuse_twin(Assessment, user_id, {
            "partner_id": partner.id, "decision": data.decision, "rationale": data.rationale.strip(),
            "decided_on": data.decided_on, "decided_by": data.decided_by.strip(),
            "review_on": data.review_on})
        assessment = Assessment(created_by_id=user_id)
        db.session.add(assessment)
    assessment.partner = partner
    assessment.decision = data.decision
    assessment.rationale = data.rationale.strip()
    assessment.decided_on = data.decided_on
    assessment.decided_by = data.decided_by.strip()
    assessment.review_on = data.review_on
    if data.phase:
        assessment.phase = data.phase
    by_key = _criteria_by_key([line.key for line in data.scores])
    own = {f"s{row.id}": row for row in assessment.scores if row.id is not None}
    by_criterion = {row.criterion_id: row for row in assessment.scores if row.criterion_id is not None}
    for position, line in enumerate(data.scores):
        row = own.get(line.key)  # a line this assessment already has keeps its own text
        if row is None:
            criterion = by_key.get(line.key)
            if criterion is None:
                continue  # removed by the admin meanwhile
            row = by_criterion.get(criterion.id)
            if row is None:
                row = AssessmentScore(criterion_id=criterion.id, group=criterion.group,
                                      label=criterion.label)
                assessment.scores.append(row)
        row.position = position
        row.score = line.score
        row.note = (line.note or "").strip() or None
    db.session.flush()
    new_status = follow_decision(partner, data.decision, user_id) if data.apply_status else None
    return assessment, new_status


def delete_assessment(assessment: Assessment) -> None:
    """Remove an afwegingstabel made by mistake, with its scores. The partner's status and
    its history stay as they are: the status may have been changed since."""
    db.session.delete(assessment)
    db.session.flush()


def status_after(partner: Partner, decision: str) -> str | None:
    """The status the partner gets for this decision; None when it stays as it is."""
    target = DECISION_STATUS.get(decision)
    if decision == "later" and partner.status != "prospect":
        return None  # "later heroverwegen" keeps an existing relationship as it is
    return target if target and target != partner.status else None


def follow_decision(partner: Partner, decision: str, user_id: int | None) -> str | None:
    """Let the partner's status follow the decision and record the change."""
    target = status_after(partner, decision)
    if target is None:
        return None
    partner.status = target
    db.session.add(PartnerStatusChange(partner=partner, status=target, changed_by_id=user_id))
    db.session.flush()
    return target


def status_hint(decision_status: dict = DECISION_STATUS) -> str:
    parts = [f"{DECISION_LABELS[d].lower()} → {STATUS_LABELS[s].lower()}" for d, s in decision_status.items()]
    return "; ".join(parts)


def assessments() -> list[Assessment]:
    return list(db.session.scalars(
        select(Assessment).join(Assessment.partner)
        .order_by(Assessment.decided_on.desc(), Assessment.id.desc())
    ))


def history(partner: Partner) -> tuple[list[Assessment], list[tuple[str, str]]]:
    """A partner's assessments, oldest first, and the criteria rows (group, label) they share."""
    rows = list(db.session.scalars(
        select(Assessment).where(Assessment.partner_id == partner.id)
        .order_by(Assessment.decided_on, Assessment.id)
    ))
    order = {code: i for i, (code, _l) in enumerate(CRITERION_GROUPS)}
    lines: list[tuple[str, str]] = []
    for assessment in rows:
        for score in assessment.scores:
            if (score.group, score.label) not in lines:
                lines.append((score.group, score.label))
    lines.sort(key=lambda gl: order.get(gl[0], 99))
    return rows, lines


def group_totals(assessment: Assessment) -> list[tuple[str, float | None]]:
    """Average score per group (None when nothing in the group was scored)."""
    totals = []
    for code, label in CRITERION_GROUPS:
        values = [s.score for s in assessment.scores if s.group == code and s.score is not None]
        totals.append((label, round(sum(values) / len(values), 1) if values else None))
    return totals
