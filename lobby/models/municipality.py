"""The municipality profile, its key figures and the lobbyplan (oriëntatie)."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, PhaseMixin, TimestampMixin, VersionedMixin
from crm.guide import Phase, Theme

#: The roles the guide offers the library in the gemeentelijke gezinsaanpak (oriëntatie stap 7).
LIBRARY_ROLES = (
    ("coordinator", "Coördinator"),
    ("aanjager", "Aanjager"),
    ("expert", "Expert"),
    ("verbinder", "Verbinder"),
    ("sparringpartner", "Sparringpartner"),
    ("partner", "Partner in het netwerk"),
)
ROLE_LABELS = dict(LIBRARY_ROLES)

#: Fundament checklist (oriëntatie stap 1).
FUNDAMENT_ITEMS = (
    ("quickscan", "Quickscan gedaan: waar sta je als organisatie met de gezinsaanpak"),
    ("criteria", "Criteria voor kansrijke activiteiten binnen de gezinsaanpak"),
    ("praatplaat", "Praatplaat gezinsaanpak laaggeletterdheid: welke activiteiten heb je al"),
    ("toc", "Theory of Change: activiteiten gekoppeld aan resultaten en hogere doelen"),
    ("expertise", "Lijst van nodige en aanwezige expertise en competenties in het team"),
)

#: Lobbyplan checklist (oriëntatie stap 3).
LOBBYPLAN_ITEMS = (
    ("onderwerp", "Onderwerp afbakenen"),
    ("doel", "Doel bepalen"),
    ("krachtenveld", "Krachtenveld in kaart brengen"),
    ("partners", "Op zoek naar partners"),
    ("timing", "Timing"),
    ("middelen", "Middelen, rolverdeling en haalbaarheid"),
)


class Municipality(PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """The lobby profile of a municipality; the organisation itself is a ``Partner`` of kind gemeente."""

    __tablename__ = "crm_lobby_municipality"
    label_nl = "gemeenteprofiel"
    field_labels_nl = {
        "partner_id": "gemeente", "cbs_code": "CBS-gemeentecode", "college": "college en portefeuilles",
        "coalition_goals": "doelen uit coalitieakkoord", "lea": "lokale educatieve agenda",
        "regional_plan": "regionaal plan", "contact_municipality": "contactgemeente",
        "expectations": "verwachtingen en afspraken", "fundament": "checklist fundament",
    }
    default_theme = Theme.PROFILING
    default_phase = Phase.ORIENTATION

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("crm_partner.id", ondelete="CASCADE"), unique=True, index=True
    )
    cbs_code: Mapped[str | None] = mapped_column(String(10))
    college: Mapped[str | None] = mapped_column(Text)  # the college and its portfolios
    coalition_goals: Mapped[str | None] = mapped_column(Text)  # coalitieakkoord / collegeprogramma
    lea: Mapped[str | None] = mapped_column(Text)  # Lokale Educatieve Agenda
    regional_plan: Mapped[str | None] = mapped_column(Text)  # regionaal plan laaggeletterdheid
    contact_municipality: Mapped[str | None] = mapped_column(String(120))  # contactgemeente
    library_role: Mapped[str | None] = mapped_column(String(20))
    expectations: Mapped[str | None] = mapped_column(Text)  # agreed with the municipality
    key_message: Mapped[str | None] = mapped_column(Text)  # kernboodschap
    fundament: Mapped[dict | None] = mapped_column(JSON, default=dict)  # key → {done_on, note}

    partner = relationship("Partner")
    figures = relationship(
        "KeyFigure",
        back_populates="municipality",
        cascade="all, delete-orphan",
        order_by="KeyFigure.position, KeyFigure.id",
    )

    @property
    def name(self) -> str:
        return self.partner.name

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.library_role or "", "")


class KeyFigure(TimestampMixin, Base):
    """A key figure every colleague should know, always with its source and year."""

    __tablename__ = "crm_lobby_key_figure"
    label_nl = "kerncijfer"
    field_labels_nl = {
        "label": "cijfer", "value": "waarde", "unit": "eenheid",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("crm_lobby_municipality.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    value: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(300))
    year: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    municipality = relationship("Municipality", back_populates="figures")


class LobbyPlan(PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """The lobbyplan checklist of the guide for one municipality."""

    __tablename__ = "crm_lobby_plan"
    label_nl = "lobbyplan"
    field_labels_nl = {
        "items": "checklist lobbyplan",
    }
    default_theme = Theme.PROFILING
    default_phase = Phase.ORIENTATION

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("crm_lobby_municipality.id", ondelete="CASCADE"), unique=True, index=True
    )
    items: Mapped[dict | None] = mapped_column(JSON, default=dict)  # key → {text, done}

    municipality = relationship("Municipality")
