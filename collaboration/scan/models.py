"""Records of the samenwerkingsscan: questionnaire versions, rounds, parties, invitations, answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, PhaseMixin, TimestampMixin, VersionedMixin, utcnow
from crm.guide import Phase, Theme

#: The five aspects of successful collaboration (Common Eye, after Kaats & Opheij).
ASPECTS = (
    ("ambitie", "Ambitie", "Een gedeelde ambitie: waarom werken we samen en waar willen we heen?"),
    ("belangen", "Belangen", "Recht doen aan de belangen van alle partijen."),
    ("relaties", "Relaties", "Aandacht voor relaties, vertrouwen en groepsdynamiek."),
    ("organisatie", "Organisatie", "Een professionele organisatie: wie doet wat en wie beslist."),
    ("proces", "Proces", "Een zinvol proces: overleggen, besluiten, leren en bijsturen."),
)
ASPECT_LABELS = {key: label for key, label, _ in ASPECTS}
ASPECT_KEYS = tuple(key for key, _, _ in ASPECTS)

SCORE_LABELS = {
    1: "Helemaal oneens",
    2: "Oneens",
    3: "Niet eens, niet oneens",
    4: "Eens",
    5: "Helemaal eens",
}
DONT_KNOW_LABEL = "Weet ik niet"

STATEMENT = "statement"
OPEN = "open"


class ScanQuestionnaire(TimestampMixin, Base):
    """One version of the questionnaire; a new version is made each time the admin edits it."""

    __tablename__ = "crm_scan_questionnaire"
    label_nl = "vragenlijst samenwerkingsscan"
    field_labels_nl = {
        "number": "versie", "intro": "inleiding",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))

    items = relationship(
        "ScanItem", back_populates="questionnaire", cascade="all, delete-orphan",
        order_by="(ScanItem.kind.desc(), ScanItem.position)",
    )

    @property
    def statements(self) -> list[ScanItem]:
        return [i for i in self.items if i.kind == STATEMENT]

    @property
    def open_questions(self) -> list[ScanItem]:
        return [i for i in self.items if i.kind == OPEN]

    def statements_by_aspect(self) -> list[tuple[str, str, list[ScanItem]]]:
        return [
            (key, label, [i for i in self.statements if i.aspect == key])
            for key, label, _ in ASPECTS
        ]

    @property
    def items_in_page_order(self) -> list[ScanItem]:
        """The items as the form shows them: the statements aspect by aspect (in the order of
        ``ASPECTS``), then the open questions. ``items`` itself mixes the aspects."""
        return [i for _, _, items in self.statements_by_aspect() for i in items] + self.open_questions


class ScanItem(Base):
    """A statement (scored 1–5 or "weet ik niet") or an open question of one questionnaire version."""

    __tablename__ = "crm_scan_item"
    label_nl = "stelling"
    field_labels_nl = {
        "kind": "stelling of open vraag", "aspect": "aspect",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("crm_scan_questionnaire.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))  # statement | open
    aspect: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)

    questionnaire = relationship("ScanQuestionnaire", back_populates="items")

    @property
    def aspect_label(self) -> str:
        return ASPECT_LABELS.get(self.aspect or "", "")


class ScanRound(PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """A round of the scan for one collaboration: the library and one or more partners."""

    __tablename__ = "crm_scan_round"
    label_nl = "samenwerkingsscan"
    field_labels_nl = {
        "purpose": "waarom", "collaboration_key": "partners in de samenwerking", "opens_on": "open vanaf",
        "closes_on": "sluit na", "partners_may_see_results": "partners zien uitkomsten",
        "revealed_at": "gedeeld op", "revealed_by_id": "gedeeld door",
    }
    default_theme = Theme.COLLABORATION
    default_phase = Phase.EVALUATION

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(Text)  # why the parties are asked; shown to partners
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("crm_scan_questionnaire.id", ondelete="RESTRICT"), index=True
    )
    #: Sorted partner ids, so rounds of the same collaboration can be compared.
    collaboration_key: Mapped[str] = mapped_column(String(400), index=True)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date, index=True)
    partners_may_see_results: Mapped[bool] = mapped_column(Boolean, default=True)
    revealed_at: Mapped[datetime | None]
    revealed_by_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(Text)  # agreed improvements, a new ambition
    #: The collaboration agreement this round's outcome feeds (``Agreement.id``, no FK on purpose:
    #: the agreements live in another module and may be removed independently).
    agreement_id: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))

    questionnaire = relationship("ScanQuestionnaire")
    parties = relationship(
        "ScanParty", back_populates="round", cascade="all, delete-orphan",
        order_by="(ScanParty.is_library.desc(), ScanParty.name)",
    )
    created_by = relationship("User", foreign_keys=[created_by_id])

    __table_args__ = (CheckConstraint("closes_on >= opens_on", name="dates"),)

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None


class ScanParty(Base):
    """A party of a round: a partner from the CRM, or the library itself (``partner_id`` empty)."""

    __tablename__ = "crm_scan_party"
    label_nl = "partij in samenwerkingsscan"
    field_labels_nl = {
        "is_library": "bibliotheek zelf",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("crm_scan_round.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_partner.id", ondelete="SET NULL"), index=True
    )
    is_library: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(200))  # kept as it was when the round started

    round = relationship("ScanRound", back_populates="parties")
    partner = relationship("Partner")
    invitations = relationship(
        "ScanInvitation", back_populates="party", cascade="all, delete-orphan",
        order_by="ScanInvitation.id",
    )

    __table_args__ = (UniqueConstraint("round_id", "partner_id", name="uq_crm_scan_party_round_partner"),)


class ScanInvitation(TimestampMixin, Base):
    """A personal invitation of one person of a party. Only the hash of the token is stored."""

    __tablename__ = "crm_scan_invitation"
    label_nl = "uitnodiging samenwerkingsscan"
    field_labels_nl = {
        "party_id": "partij", "person_name": "naam van de persoon", "generation": "versie van de link",
        "sent_at": "verstuurd op", "exchanged_at": "link gebruikt op", "opened_at": "geopend op",
        "draft_saved_at": "concept opgeslagen op", "invited_by_id": "uitgenodigd door",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("crm_scan_party.id", ondelete="CASCADE"), index=True)
    person_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Raised at every resend and sign-off: a session of an older link stops working.
    generation: Mapped[int] = mapped_column(Integer, default=1)
    expires_at: Mapped[datetime]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    exchanged_at: Mapped[datetime | None]  # the link was used (token swapped for a session)
    opened_at: Mapped[datetime | None]
    draft_saved_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))

    party = relationship("ScanParty", back_populates="invitations")
    invited_by = relationship("User", foreign_keys=[invited_by_id])
    response = relationship("ScanResponse", back_populates="invitation", uselist=False,
                            cascade="all, delete-orphan")

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked_submitted" if self.submitted_at else "revoked"
        if self.submitted_at:
            return "submitted"
        if self.draft_saved_at:
            return "draft"
        if self.opened_at:
            return "opened"
        return "sent"

    @property
    def status_label(self) -> str:
        return INVITATION_STATUS_LABELS[self.status]


INVITATION_STATUS_LABELS = {
    "sent": "Verstuurd, nog niet geopend",
    "opened": "Geopend",
    "draft": "Concept opgeslagen",
    "submitted": "Ingestuurd",
    "revoked": "Ingetrokken",
    "revoked_submitted": "Ingestuurd, daarna ingetrokken (de antwoorden tellen mee)",
}


class ScanResponse(TimestampMixin, Base):
    """The answers of one invited person; at most one per invitation."""

    __tablename__ = "crm_scan_response"
    label_nl = "antwoorden samenwerkingsscan"
    field_labels_nl = {
        "invitation_id": "uitnodiging",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("crm_scan_invitation.id", ondelete="CASCADE"), unique=True
    )
    round_id: Mapped[int] = mapped_column(ForeignKey("crm_scan_round.id", ondelete="CASCADE"), index=True)
    submitted_at: Mapped[datetime | None]

    invitation = relationship("ScanInvitation", back_populates="response")
    answers = relationship("ScanAnswer", back_populates="response", cascade="all, delete-orphan")


class ScanAnswer(Base):
    """One answer: a score 1–5, "weet ik niet", or the text of an open question."""

    __tablename__ = "crm_scan_answer"
    label_nl = "antwoord samenwerkingsscan"
    field_labels_nl = {
        "response_id": "antwoorden", "item_id": "stelling", "dont_know": "weet ik niet",
        "comment": "toelichting",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("crm_scan_response.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("crm_scan_item.id", ondelete="CASCADE"), index=True)
    score: Mapped[int | None] = mapped_column(Integer)
    dont_know: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str | None] = mapped_column(Text)  # a note with a statement, or an open answer

    response = relationship("ScanResponse", back_populates="answers")
    item = relationship("ScanItem")

    __table_args__ = (
        UniqueConstraint("response_id", "item_id", name="uq_crm_scan_answer_response_item"),
        CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name="score_range"),
    )
