"""Meetings with the municipality, their agreements, the plan van aanpak and the evaluation."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, String, Table, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, PhaseMixin, TimestampMixin, VersionedMixin
from crm.guide import Phase, Theme

#: Goals of a meeting (oriëntatie stap 6).
MEETING_GOALS = (
    ("urgentie", "Belang en urgentie van de gezinsaanpak onder de aandacht brengen"),
    ("expertise", "Laten zien welke expertise de bibliotheek in huis heeft"),
    ("trekker", "De bibliotheek neerzetten als trekker"),
    ("bijdrage", "Een (financiële) bijdrage van de gemeente krijgen"),
    ("verwachtingen", "Verwachtingen van de gemeente ophalen en afspraken maken"),
)
GOAL_LABELS = dict(MEETING_GOALS)
#: The goals in a few words, for the one-page brief (the meeting page has the guide's words).
GOAL_SHORT_LABELS = {
    "urgentie": "urgentie onder de aandacht",
    "expertise": "onze expertise laten zien",
    "trekker": "bibliotheek als trekker",
    "bijdrage": "(financiële) bijdrage van de gemeente",
    "verwachtingen": "verwachtingen ophalen en afspraken maken",
}

#: The questions the municipality may ask (oriëntatie stap 4), shipped as defaults.
DEFAULT_QUESTIONS = (
    "Hoe verhoudt de gezinsaanpak zich tot andere activiteiten van de bibliotheek?",
    "Hoe verhoudt de gezinsaanpak zich tot activiteiten van andere partners?",
    "Hoe ziet de samenwerking met andere partners eruit?",
    "Wat voegt het toe aan het huidige aanbod?",
    "Waarom moeten we nú iets doen?",
)

meeting_contacts = Table(
    "crm_lobby_meeting_contact",
    Base.metadata,
    Column("meeting_id", ForeignKey("crm_lobby_meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("crm_contact.id", ondelete="CASCADE"), primary_key=True, index=True),
)
meeting_evidence = Table(
    "crm_lobby_meeting_evidence",
    Base.metadata,
    Column("meeting_id", ForeignKey("crm_lobby_meeting.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "evidence_id", ForeignKey("crm_lobby_evidence.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Meeting(PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """A meeting with the municipality: preparation before, outcome and agreements after."""

    __tablename__ = "crm_lobby_meeting"
    label_nl = "gesprek met de gemeente"
    field_labels_nl = {
        "title": "onderwerp", "held_on": "datum", "starts_at": "tijd",
        "library_people": "namens de bibliotheek", "goals_note": "toelichting op de doelen",
        "questions": "vragen", "interaction_id": "contactmoment",
    }
    default_theme = Theme.PROFILING
    default_phase = Phase.ORIENTATION

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("crm_lobby_municipality.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    starts_at: Mapped[time | None] = mapped_column(Time)
    place: Mapped[str | None] = mapped_column(String(200))
    library_people: Mapped[str | None] = mapped_column(String(300))  # gouden duo, MT-lid, directeur
    goals: Mapped[list | None] = mapped_column(JSON, default=list)  # codes from MEETING_GOALS
    goals_note: Mapped[str | None] = mapped_column(Text)
    library_role: Mapped[str | None] = mapped_column(String(20))
    questions: Mapped[list | None] = mapped_column(JSON, default=list)  # [{question, answer}]
    outcome: Mapped[str | None] = mapped_column(Text)
    key_message: Mapped[str | None] = mapped_column(Text)  # for the follow-up mail
    # The contact moment this meeting was logged as (saving the outcome again updates it).
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_interaction.id", ondelete="SET NULL"), index=True
    )

    municipality = relationship("Municipality")
    interaction = relationship("Interaction")
    # Erased people (AVG) stay linked, as history; pages and the mail use ``present_contacts``.
    contacts = relationship("Contact", secondary=meeting_contacts, order_by="Contact.name")
    evidence = relationship("Evidence", secondary=meeting_evidence, order_by="Evidence.occurred_on.desc()")
    agreements = relationship(
        "MeetingAgreement",
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="MeetingAgreement.due_on, MeetingAgreement.id",
    )

    @property
    def role_label(self) -> str:
        from lobby.models.municipality import ROLE_LABELS

        return ROLE_LABELS.get(self.library_role or "", "")

    @property
    def goal_labels(self) -> list[str]:
        return [GOAL_LABELS.get(code, code) for code in self.goals or []]

    @property
    def goal_short_labels(self) -> list[str]:
        return [GOAL_SHORT_LABELS.get(code, GOAL_LABELS.get(code, code)) for code in self.goals or []]

    @property
    def present_contacts(self) -> list:
        """The people at the table who were not erased (AVG): an erased person is no one to
        greet, mail or show."""
        return [c for c in self.contacts if c.erased_at is None]

    @property
    def erased_count(self) -> int:
        return sum(1 for c in self.contacts if c.erased_at is not None)

    @property
    def erased_note(self) -> str:
        """'1 deelnemer is gewist (AVG).' or '' when nobody was."""
        n = self.erased_count
        if not n:
            return ""
        return f"{n} deelnemer is gewist (AVG)." if n == 1 else f"{n} deelnemers zijn gewist (AVG)."


class MeetingAgreement(VersionedMixin, TimestampMixin, Base):
    """An agreement made in a meeting, with an owner and a date; a follow-up on the start page."""

    __tablename__ = "crm_lobby_agreement"
    label_nl = "afspraak uit gesprek"
    field_labels_nl = {
        "meeting_id": "gesprek", "description": "afspraak", "owner_id": "wie het oppakt",
        "owner_name": "naam buiten de bibliotheek", "done_at": "afgerond op",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("crm_lobby_meeting.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"), index=True)
    owner_name: Mapped[str | None] = mapped_column(String(120))  # someone outside the library
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    done_at: Mapped[datetime | None]

    meeting = relationship("Meeting", back_populates="agreements")
    owner = relationship("User")

    @property
    def owner_label(self) -> str:
        if self.owner is not None:
            return self.owner.name
        return self.owner_name or ""


#: The nine items of the plan van aanpak (implementatie stap 1): attribute → question.
PLAN_ITEMS = (
    ("audience", "Wie wil je bereiken?"),
    ("goals", "Wat zijn je doelen?"),
    ("role", "Welke rol wil/kun je vervullen?"),
    ("story", "Wat is je verhaal (rondom gezinsaanpak)?"),
    ("internal", "Wie zijn hier intern bij betrokken?"),
    ("external", "Welke externe partners spelen een rol?"),
    ("needs", "Wat heb je nodig (tijd/budget/middelen)?"),
    ("actions_text", "Welke acties ga je oppakken?"),
    ("planning", "Planning"),
)


class ActionPlan(PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """The plan van aanpak towards the municipality."""

    __tablename__ = "crm_lobby_action_plan"
    label_nl = "plan van aanpak"
    field_labels_nl = {
        "title": "naam", "audience": "wie je wilt bereiken", "role": "rol", "story": "verhaal",
        "internal": "wie intern betrokken zijn", "external": "externe partners",
        "needs": "wat je nodig hebt", "actions_text": "acties", "planning": "planning",
    }
    default_theme = Theme.PROFILING
    default_phase = Phase.IMPLEMENTATION

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("crm_lobby_municipality.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str | None] = mapped_column(Text)
    goals: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)
    story: Mapped[str | None] = mapped_column(Text)
    internal: Mapped[str | None] = mapped_column(Text)
    external: Mapped[str | None] = mapped_column(Text)
    needs: Mapped[str | None] = mapped_column(Text)
    actions_text: Mapped[str | None] = mapped_column(Text)
    planning: Mapped[str | None] = mapped_column(Text)

    municipality = relationship("Municipality")
    actions = relationship(
        "PlanAction",
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="PlanAction.due_on, PlanAction.id",
    )


class PlanAction(VersionedMixin, TimestampMixin, Base):
    """An action of the plan van aanpak, with an owner and a date."""

    __tablename__ = "crm_lobby_plan_action"
    label_nl = "actie uit plan van aanpak"
    field_labels_nl = {
        "plan_id": "plan van aanpak", "description": "actie", "owner": "wie", "due_on": "wanneer",
        "done": "klaar",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("crm_lobby_action_plan.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)

    plan = relationship("ActionPlan", back_populates="actions")


class Evaluation(PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """An evaluation of the profilering (evaluatie stap 1–4) for one municipality."""

    __tablename__ = "crm_lobby_evaluation"
    label_nl = "evaluatie profilering"
    field_labels_nl = {
        "evaluated_on": "datum", "plan_review": "plan van aanpak en verhaal",
        "contacts_review": "contacten", "friction": "stroeve samenwerkingen",
        "materials_review": "middelen en succesverhalen", "focus": "focus",
    }
    default_theme = Theme.PROFILING
    default_phase = Phase.EVALUATION

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("crm_lobby_municipality.id", ondelete="CASCADE"), index=True
    )
    evaluated_on: Mapped[date] = mapped_column(Date)
    plan_review: Mapped[str | None] = mapped_column(Text)  # stap 1: plan and story, the focus
    contacts_review: Mapped[str | None] = mapped_column(Text)  # stap 2: valuable and missing contacts
    friction: Mapped[str | None] = mapped_column(Text)  # stap 3: stroeve samenwerkingen, another way
    materials_review: Mapped[str | None] = mapped_column(Text)  # stap 4: materials and new stories
    focus: Mapped[str | None] = mapped_column(Text)

    municipality = relationship("Municipality")
