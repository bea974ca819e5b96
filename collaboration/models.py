"""Records of the Samenwerken instruments: aanhaakkalender, afwegingstabel,
krachtenanalyse and samenwerkingsafspraken."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, PhaseMixin, TimestampMixin, VersionedMixin, utcnow
from crm.guide import Phase, Theme

# -- aanhaakkalender -------------------------------------------------------------------
LIFE_STAGE = "levensfase"
YEAR_MOMENT = "jaarmoment"
MOMENT_KINDS = ((LIFE_STAGE, "Moment in het leven van het kind"), (YEAR_MOMENT, "Moment in het jaar"))
MIN_AGE_MONTHS, MAX_AGE_MONTHS = -9, 96

hook_moment_partners = Table(
    "crm_hook_moment_partner",
    Base.metadata,
    Column("hook_moment_id", ForeignKey("crm_hook_moment.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", ForeignKey("crm_partner.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PhaseLabel:
    """The Dutch label of a record's phase, for pages."""

    @property
    def phase_label(self) -> str:
        try:
            return f"{Theme(self.theme).label}, {Phase(self.phase).label.lower()}"
        except ValueError:
            return self.phase


def age_label(months: int | None) -> str:
    """Dutch label of a child's age in months: 'zwangerschap', '3 maanden', '3 jaar en 9 maanden'."""
    if months is None:
        return ""
    if months < 0:
        return f"zwangerschap ({-months} maanden voor de geboorte)"
    if months == 0:
        return "geboorte"
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} jaar")
    if rest:
        parts.append(f"{rest} {'maand' if rest == 1 else 'maanden'}")
    return " en ".join(parts)


class HookMoment(PhaseLabel, PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """A moment at which the library and partners bring (voor)lezen to parents' attention."""

    __tablename__ = "crm_hook_moment"
    label_nl = "moment in de aanhaakkalender"
    field_labels_nl = {
        "kind": "soort moment", "age_months": "leeftijd van het kind",
        "message": "boodschap over (voor)lezen", "action": "actie", "action_date": "datum van de actie",
        "partner_kinds": "soorten partners", "materials": "materialen",
    }
    default_theme = Theme.COLLABORATION
    default_phase = Phase.ORIENTATION

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # LIFE_STAGE or YEAR_MOMENT
    title: Mapped[str] = mapped_column(String(200))
    age_months: Mapped[int | None] = mapped_column(Integer)  # life stage: −9 … 96
    start_date: Mapped[date | None] = mapped_column(Date, index=True)  # year moment
    end_date: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str | None] = mapped_column(Text)  # what we tell parents about (voor)lezen
    action: Mapped[str | None] = mapped_column(Text)
    action_date: Mapped[date | None] = mapped_column(Date, index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"), index=True)
    partner_kinds: Mapped[list | None] = mapped_column(JSON, default=list)  # codes of "partner_kinds"
    materials: Mapped[str | None] = mapped_column(Text)

    owner = relationship("User")
    partners = relationship("Partner", secondary=hook_moment_partners, order_by="Partner.name")

    @property
    def is_life_stage(self) -> bool:
        return self.kind == LIFE_STAGE

    @property
    def age_label(self) -> str:
        return age_label(self.age_months)


class CalendarFeedToken(Base):
    """The secret of a user's iCalendar subscription; only its SHA-256 hash is stored."""

    __tablename__ = "crm_calendar_feed_token"
    label_nl = "agenda-abonnement"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("crm_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user = relationship("User")


# -- afwegingstabel -----------------------------------------------------------------------
CRITERION_GROUPS = (
    ("passendheid", "Passendheid"),
    ("toegevoegde_waarde", "Toegevoegde waarde"),
    ("realiseerbaarheid", "Realiseerbaarheid"),
)
GROUP_LABELS = dict(CRITERION_GROUPS)

DECISIONS = (
    ("aangaan", "Aangaan"),
    ("niet_aangaan", "Niet aangaan"),
    ("later", "Later heroverwegen"),
)
DECISION_LABELS = dict(DECISIONS)


class AssessmentCriterion(TimestampMixin, Base):
    """One line of the afwegingstabel; the admin edits the list, old assessments keep their copy."""

    __tablename__ = "crm_assessment_criterion"
    label_nl = "criterium van de afwegingstabel"
    field_labels_nl = {
        "group": "groep", "label": "criterium",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    group: Mapped[str] = mapped_column(String(30), index=True)
    label: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def group_label(self) -> str:
        return GROUP_LABELS.get(self.group, self.group)


class Assessment(PhaseLabel, PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """An afwegingstabel for a (prospective) partner and the decision taken on it."""

    __tablename__ = "crm_assessment"
    label_nl = "afwegingstabel"
    field_labels_nl = {
        "decision": "besluit", "rationale": "onderbouwing", "decided_on": "datum van het besluit",
        "decided_by": "wie besliste", "review_on": "opnieuw bekijken op",
    }
    default_theme = Theme.COLLABORATION
    default_phase = Phase.ORIENTATION

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("crm_partner.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[date] = mapped_column(Date, index=True)
    decided_by: Mapped[str] = mapped_column(String(200))
    review_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))

    partner = relationship("Partner")
    scores = relationship(
        "AssessmentScore", back_populates="assessment", cascade="all, delete-orphan",
        order_by="AssessmentScore.position",
    )

    @property
    def decision_label(self) -> str:
        return DECISION_LABELS.get(self.decision, self.decision)

    def score_of(self, group: str, label: str):
        return next((s for s in self.scores if s.group == group and s.label == label), None)


class AssessmentScore(Base):
    """A criterion's score (1–5, or empty when not weighed) and note within one assessment."""

    __tablename__ = "crm_assessment_score"
    label_nl = "score in de afwegingstabel"
    field_labels_nl = {
        "assessment_id": "afwegingstabel", "criterion_id": "criterium", "group": "groep",
        "label": "tekst van het criterium",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("crm_assessment.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_assessment_criterion.id", ondelete="SET NULL")
    )
    group: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(300))  # copied so history survives renames
    position: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)

    assessment = relationship("Assessment", back_populates="scores")


# -- krachtenanalyse ----------------------------------------------------------------------------
class StrengthAnalysis(PhaseLabel, PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """Krachtenanalyse of one partner: interests, added value, strengths and mutual needs."""

    __tablename__ = "crm_strength_analysis"
    label_nl = "krachtenanalyse"
    field_labels_nl = {
        "made_on": "datum", "interests": "belangen van de partner", "added_value": "toegevoegde waarde",
        "strengths": "krachten", "needs_from_library": "wat de partner nodig heeft",
        "library_needs": "wat de bibliotheek nodig heeft",
    }
    default_theme = Theme.COLLABORATION
    default_phase = Phase.CREATION

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("crm_partner.id", ondelete="CASCADE"), index=True)
    made_on: Mapped[date] = mapped_column(Date)
    interests: Mapped[str | None] = mapped_column(Text)
    added_value: Mapped[str | None] = mapped_column(Text)
    strengths: Mapped[str | None] = mapped_column(Text)
    needs_from_library: Mapped[str | None] = mapped_column(Text)
    library_needs: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))

    partner = relationship("Partner")


# -- gezamenlijke ambitie en samenwerkingsafspraken -------------------------------------------------
DOCUMENT_KINDS = (
    ("", "Geen document"),
    ("intentieverklaring", "Intentieverklaring"),
    ("overeenkomst", "Samenwerkingsovereenkomst"),
)
DOCUMENT_LABELS = dict(DOCUMENT_KINDS)

agreement_partners = Table(
    "crm_agreement_partner",
    Base.metadata,
    Column("agreement_id", ForeignKey("crm_agreement.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", ForeignKey("crm_partner.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Agreement(PhaseLabel, PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """Shared ambition and collaboration agreements with one partner or a network of partners."""

    __tablename__ = "crm_agreement"
    label_nl = "samenwerkingsafspraken"
    field_labels_nl = {
        "title": "naam van de samenwerking", "ambition": "gezamenlijke ambitie",
        "who_decides": "wie bepaalt wat", "who_does_what": "wie doet wat",
        "who_takes_part": "wie doet er mee", "meeting_frequency": "hoe vaak we overleggen",
        "meeting_attendees": "wie bij het overleg zijn", "process_moments": "momenten voor het proces",
        "referral_agreements": "afspraken over doorverwijzen", "document_kind": "vastgelegd in",
        "document_date": "datum van ondertekening", "reflection_on": "datum om te reflecteren",
    }
    default_theme = Theme.COLLABORATION
    default_phase = Phase.CREATION

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    ambition: Mapped[str] = mapped_column(Text)
    who_decides: Mapped[str | None] = mapped_column(Text)
    who_does_what: Mapped[str | None] = mapped_column(Text)
    who_takes_part: Mapped[str | None] = mapped_column(Text)
    expectations: Mapped[str | None] = mapped_column(Text)
    meeting_frequency: Mapped[str | None] = mapped_column(String(200))
    meeting_attendees: Mapped[str | None] = mapped_column(Text)
    process_moments: Mapped[str | None] = mapped_column(Text)
    referral_agreements: Mapped[str | None] = mapped_column(Text)
    goals: Mapped[str | None] = mapped_column(Text)
    document_kind: Mapped[str | None] = mapped_column(String(30))
    document_date: Mapped[date | None] = mapped_column(Date)
    reflection_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))

    partners = relationship("Partner", secondary=agreement_partners, order_by="Partner.name")

    @property
    def document_label(self) -> str:
        return DOCUMENT_LABELS.get(self.document_kind or "", self.document_kind or "")
