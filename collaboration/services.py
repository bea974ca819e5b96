"""Shared logic of the Samenwerken instruments: version checks, partner look-ups,
krachtenanalyses and samenwerkingsafspraken. Services only flush; views commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from collaboration.models import Agreement, Assessment, HookMoment, StrengthAnalysis
from crm.db import db
from crm.errors import RuleError, check_version, refuse_twin
from crm.network.models import Partner

__all__ = ["CollaborationError", "check_version"]  # check_version: for the views


class CollaborationError(RuleError):
    """A rule of the instruments was broken (see ``crm.errors.RuleError``)."""


# -- partners --------------------------------------------------------------------------------
def partner_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Partner.id, Partner.name).order_by(Partner.name))
    return [(pid, name) for pid, name in rows]


def partners_by_ids(ids) -> list[Partner]:
    ids = [int(i) for i in ids or []]
    if not ids:
        return []
    found = list(db.session.scalars(select(Partner).where(Partner.id.in_(ids))))
    if len(found) != len(set(ids)):
        raise CollaborationError("Een van de gekozen partners bestaat niet meer.", "partner_ids")
    return found


def get_partner(partner_id: int | None) -> Partner:
    partner = db.session.get(Partner, partner_id) if partner_id else None
    if partner is None:
        raise CollaborationError("Kies een partner.", "partner_id")
    return partner


def partner_overview(partner: Partner) -> dict:
    """Everything of the instruments about one partner, newest first."""
    assessments = list(db.session.scalars(
        select(Assessment).where(Assessment.partner_id == partner.id)
        .order_by(Assessment.decided_on.desc(), Assessment.id.desc())
    ))
    analyses = list(db.session.scalars(
        select(StrengthAnalysis).where(StrengthAnalysis.partner_id == partner.id)
        .order_by(StrengthAnalysis.made_on.desc(), StrengthAnalysis.id.desc())
    ))
    agreements = list(db.session.scalars(
        select(Agreement).where(Agreement.partners.any(Partner.id == partner.id))
        .order_by(Agreement.created_at.desc())
    ))
    moments = list(db.session.scalars(
        select(HookMoment).where(HookMoment.partners.any(Partner.id == partner.id))
        .order_by(HookMoment.kind, HookMoment.age_months, HookMoment.start_date)
    ))
    return {"assessments": assessments, "analyses": analyses, "agreements": agreements,
            "moments": moments}


# -- krachtenanalyse ---------------------------------------------------------------------------
@dataclass
class AnalysisInput:
    partner_id: int
    made_on: date
    interests: str | None = None
    added_value: str | None = None
    strengths: str | None = None
    needs_from_library: str | None = None
    library_needs: str | None = None
    phase: str | None = None


ANALYSIS_FIELDS = ("interests", "added_value", "strengths", "needs_from_library", "library_needs")


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def save_analysis(analysis: StrengthAnalysis | None, data: AnalysisInput,
                  user_id: int | None) -> StrengthAnalysis:
    partner = get_partner(data.partner_id)
    values = {f: _clean(getattr(data, f)) for f in ANALYSIS_FIELDS}
    if not any(values.values()):
        raise CollaborationError("Vul ten minste één onderdeel van de krachtenanalyse in.", "interests")
    if analysis is None:
        refuse_twin(StrengthAnalysis, user_id, {"partner_id": partner.id, "made_on": data.made_on, **values})
        analysis = StrengthAnalysis(created_by_id=user_id)
        db.session.add(analysis)
    analysis.partner = partner
    analysis.made_on = data.made_on
    for name, value in values.items():
        setattr(analysis, name, value)
    if data.phase:
        analysis.phase = data.phase
    db.session.flush()
    return analysis


def delete_analysis(analysis: StrengthAnalysis) -> None:
    """Remove a krachtenanalyse made by mistake; nothing else refers to it."""
    db.session.delete(analysis)
    db.session.flush()


def analyses() -> list[StrengthAnalysis]:
    return list(db.session.scalars(
        select(StrengthAnalysis).join(StrengthAnalysis.partner)
        .order_by(Partner.name, StrengthAnalysis.made_on.desc())
    ))


# -- samenwerkingsafspraken ----------------------------------------------------------------------
AGREEMENT_TEXT_FIELDS = (
    "ambition", "who_decides", "who_does_what", "who_takes_part", "expectations",
    "meeting_frequency", "meeting_attendees", "process_moments", "referral_agreements", "goals",
)


@dataclass
class AgreementInput:
    title: str
    partner_ids: list[int]
    ambition: str
    who_decides: str | None = None
    who_does_what: str | None = None
    who_takes_part: str | None = None
    expectations: str | None = None
    meeting_frequency: str | None = None
    meeting_attendees: str | None = None
    process_moments: str | None = None
    referral_agreements: str | None = None
    goals: str | None = None
    document_kind: str | None = None
    document_date: date | None = None
    reflection_on: date | None = None
    phase: str | None = None


def save_agreement(agreement: Agreement | None, data: AgreementInput, user_id: int | None) -> Agreement:
    partners = partners_by_ids(data.partner_ids)
    if not partners:
        raise CollaborationError("Kies ten minste één partner.", "partner_ids")
    if not _clean(data.ambition):
        raise CollaborationError("Vul de gezamenlijke ambitie in.", "ambition")
    if data.document_kind and data.document_date is None:
        raise CollaborationError("Vul de datum van het document in.", "document_date")
    if data.reflection_on and data.document_kind and data.document_date \
            and data.reflection_on < data.document_date:
        raise CollaborationError("Kies een datum voor het terugkijken op of na de datum van het "
                                 "document.", "reflection_on")
    if agreement is None:
        refuse_twin(Agreement, user_id,
                    {"title": data.title.strip(), "ambition": _clean(data.ambition),
                     "reflection_on": data.reflection_on},
                    same=lambda twin: {p.id for p in twin.partners} == {p.id for p in partners})
        agreement = Agreement(created_by_id=user_id)
        db.session.add(agreement)
    agreement.title = data.title.strip()
    agreement.partners = partners
    for name in AGREEMENT_TEXT_FIELDS:
        setattr(agreement, name, _clean(getattr(data, name)))
    agreement.document_kind = data.document_kind or None
    agreement.document_date = data.document_date if data.document_kind else None
    agreement.reflection_on = data.reflection_on
    if data.phase:
        agreement.phase = data.phase
    db.session.flush()
    return agreement


def linked_scan_rounds(agreement: Agreement) -> list:
    """The scan rounds whose outcome is linked to these agreements."""
    from collaboration.scan.models import ScanRound

    return list(db.session.scalars(
        select(ScanRound).where(ScanRound.agreement_id == agreement.id).order_by(ScanRound.closes_on.desc())
    ))


def delete_agreement(agreement: Agreement) -> None:
    """Remove agreements made by mistake. Linked scan rounds stay and lose the link (the
    column has no foreign key, and a new agreement might get the same id later)."""
    for round_ in linked_scan_rounds(agreement):
        round_.agreement_id = None
    db.session.delete(agreement)
    db.session.flush()


def agreements() -> list[Agreement]:
    return list(db.session.scalars(select(Agreement).order_by(Agreement.title)))


def reflections_due(today: date, within_days: int = 31) -> list[Agreement]:
    """Agreements whose reflection date has come or comes within ``within_days``."""
    return list(db.session.scalars(
        select(Agreement).where(Agreement.reflection_on.is_not(None),
                                Agreement.reflection_on <= today + timedelta(days=within_days))
        .order_by(Agreement.reflection_on)
    ))
