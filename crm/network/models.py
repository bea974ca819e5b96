"""Partners, people, their affiliations and contact moments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, PhaseMixin, TimestampMixin, VersionedMixin, utcnow
from crm.guide import Phase, Theme
from crm.network import search_index

PARTNER_STATUSES = (
    ("prospect", "Mogelijke partner"),
    ("verkennend", "Verkennend"),
    ("actief", "Actief"),
    ("gepauzeerd", "Gepauzeerd"),
    ("beeindigd", "Beëindigd"),
)
STATUS_LABELS = dict(PARTNER_STATUSES)

#: The kind code of the municipality; lobby builds its profile on a partner of this kind.
MUNICIPALITY_KIND = "gemeente"


class Partner(PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """An organisation: an internal team, an external partner, or the municipality."""

    __tablename__ = "crm_partner"
    label_nl = "partner"
    field_labels_nl = {
        "kind": "soort organisatie", "internal": "intern", "offer": "aanbod",
        "how_to_refer": "zo verwijs je", "tags": "labels",
    }
    default_theme = Theme.COLLABORATION
    default_phase = Phase.ORIENTATION

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(60), index=True)  # code from the "partner_kinds" list
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="prospect", index=True)
    offer: Mapped[str | None] = mapped_column(Text)  # what they offer families
    how_to_refer: Mapped[str | None] = mapped_column(Text)  # for the frontoffice directory
    address: Mapped[str | None] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    notes: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list | None] = mapped_column(JSON, default=list)  # lower-case words

    status_changes = relationship(
        "PartnerStatusChange", back_populates="partner", cascade="all, delete-orphan",
        order_by="PartnerStatusChange.changed_at",
    )
    affiliations = relationship("Affiliation", back_populates="partner", cascade="all, delete-orphan")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def tags_text(self) -> str:
        return ", ".join(self.tags or [])


class PartnerStatusChange(Base):
    __tablename__ = "crm_partner_status_change"
    label_nl = "statuswijziging"
    field_labels_nl = {
        "changed_at": "gewijzigd op", "changed_by_id": "gewijzigd door",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("crm_partner.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))

    partner = relationship("Partner", back_populates="status_changes")


class Contact(PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """A person at a partner or at the municipality (ambtenaar, wethouder, raadslid, ...)."""

    __tablename__ = "crm_contact"
    label_nl = "persoon"
    field_labels_nl = {
        "position": "positie", "domains": "beleidsdomeinen", "influence": "invloed", "interest": "belang",
        "warmth": "relatie", "knowledge": "wat ze al weten", "hook": "haakje", "known_by": "wie hen kent",
        "valuable": "waardevol", "evaluation": "evaluatie", "erased_at": "gewist op",
    }
    default_theme = Theme.PROFILING
    default_phase = Phase.ORIENTATION

    @staticmethod
    def theme_for(partner_kind: str | None) -> Theme:
        """Where a new person of an organisation belongs in the Wegwijzer: people of the
        municipality in Profilering, people of partners in Samenwerken (used where the person
        is made without the form: import and demo data; the form lets the user choose)."""
        return Theme.PROFILING if partner_kind in (None, MUNICIPALITY_KIND) else Theme.COLLABORATION

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[str | None] = mapped_column(String(60))  # ambtenaar, wethouder, raadslid, ...
    domains: Mapped[list | None] = mapped_column(JSON, default=list)  # GGG policy domains
    influence: Mapped[int | None] = mapped_column(Integer)  # 1–5
    interest: Mapped[int | None] = mapped_column(Integer)  # 1–5
    warmth: Mapped[str | None] = mapped_column(String(10))  # koud, lauw, warm
    knowledge: Mapped[str | None] = mapped_column(Text)  # what they know of the gezinsaanpak
    interests: Mapped[str | None] = mapped_column(Text)  # belangen
    hook: Mapped[str | None] = mapped_column(Text)  # het haakje
    known_by: Mapped[str | None] = mapped_column(String(200))  # who in the library knows them
    valuable: Mapped[bool | None] = mapped_column(Boolean)
    evaluation: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    erased_at: Mapped[datetime | None]

    affiliations = relationship("Affiliation", back_populates="contact", cascade="all, delete-orphan")

    @property
    def quadrant(self) -> str | None:
        """The krachtenveld quadrant (influence × interest, 1–5 each; 3 and up is high)."""
        if self.influence is None or self.interest is None:
            return None
        return quadrant_of(self.influence, self.interest)


QUADRANTS = {
    "manage": "Nauw betrekken",
    "satisfy": "Tevreden houden",
    "inform": "Op de hoogte houden",
    "monitor": "In de gaten houden",
}


def quadrant_of(influence: int, interest: int) -> str:
    high_power, high_interest = influence >= 3, interest >= 3
    if high_power and high_interest:
        return "manage"
    if high_power:
        return "satisfy"
    if high_interest:
        return "inform"
    return "monitor"


WARMTH = (("koud", "Koud"), ("lauw", "Lauw"), ("warm", "Warm"))


class Affiliation(TimestampMixin, Base):
    """A person's role at an organisation (function, department, from/to)."""

    __tablename__ = "crm_affiliation"
    label_nl = "koppeling persoon–organisatie"
    field_labels_nl = {
        "partner_id": "organisatie", "function": "functie", "department": "afdeling",
        "start_date": "vanaf", "end_date": "tot en met",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("crm_contact.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("crm_partner.id", ondelete="CASCADE"), index=True)
    function: Mapped[str | None] = mapped_column(String(120))
    department: Mapped[str | None] = mapped_column(String(120))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)

    contact = relationship("Contact", back_populates="affiliations")
    partner = relationship("Partner", back_populates="affiliations")


interaction_contacts = Table(
    "crm_interaction_contact",
    Base.metadata,
    Column("interaction_id", ForeignKey("crm_interaction.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("crm_contact.id", ondelete="CASCADE"), primary_key=True, index=True),
)
interaction_partners = Table(
    "crm_interaction_partner",
    Base.metadata,
    Column("interaction_id", ForeignKey("crm_interaction.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", ForeignKey("crm_partner.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Interaction(PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """A contact moment, with an optional follow-up for someone in the library."""

    __tablename__ = "crm_interaction"
    __table_args__ = (
        # the start page and "my open follow-ups": owner, then open ones by due date
        Index("ix_crm_interaction_follow_up_open", "follow_up_owner_id", "follow_up_done_at",
              "follow_up_due"),
    )
    label_nl = "contactmoment"
    field_labels_nl = {
        "kind": "soort contact", "summary": "waar het over ging", "outcome": "uitkomst en afspraken",
        "follow_up": "opvolging", "follow_up_due": "opvolgen vóór", "follow_up_owner_id": "wie opvolgt",
        "follow_up_done_at": "opgevolgd op", "follow_up_done_by_id": "opgevolgd door",
    }
    default_theme = Theme.COLLABORATION
    default_phase = Phase.IMPLEMENTATION

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # telefoon, face-to-face, e-mail, bijeenkomst, ...
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    summary: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    key_message: Mapped[str | None] = mapped_column(Text)
    library_people: Mapped[str | None] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"), index=True)
    follow_up: Mapped[str | None] = mapped_column(Text)
    follow_up_due: Mapped[date | None] = mapped_column(Date, index=True)
    follow_up_owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_user.id", ondelete="SET NULL"), index=True
    )
    follow_up_done_at: Mapped[datetime | None]
    follow_up_done_by_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))

    contacts = relationship("Contact", secondary=interaction_contacts)
    partners = relationship("Partner", secondary=interaction_partners)
    owner = relationship("User", foreign_keys=[owner_id])
    follow_up_owner = relationship("User", foreign_keys=[follow_up_owner_id])

    @property
    def follow_up_open(self) -> bool:
        return bool(self.follow_up_due or self.follow_up) and self.follow_up_done_at is None


# The substring index for search follows the table (see crm/network/search_index.py).
search_index.attach(Interaction.__table__)
