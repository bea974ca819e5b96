"""The elevator pitch, the supporting materials and the evidence (bewijslast)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from crm.db import Base, PhaseMixin, TimestampMixin, VersionedMixin
from crm.guide import Phase, Theme

#: Speaking rate used for the timer view: about 130 words a minute.
WORDS_PER_MINUTE = 130


class PitchVersion(PhaseMixin, TimestampMixin, Base):
    """One version of the elevator pitch, for one municipality or general (``municipality_id``
    empty). Per municipality one version is current, and one general version: a brief takes
    its municipality's current pitch, else the general one, never another municipality's."""

    __tablename__ = "crm_lobby_pitch"
    label_nl = "elevator pitch"
    field_labels_nl = {
        "title": "naam", "author_id": "geschreven door", "current": "huidige pitch",
        "municipality_id": "voor gemeente",
    }
    default_theme = Theme.PROFILING
    default_phase = Phase.CREATION

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))
    current: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # A pitch that names a municipality's figures belongs to it; empty: a general pitch.
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_lobby_municipality.id", ondelete="CASCADE"), index=True
    )

    author = relationship("User")
    municipality = relationship("Municipality")

    @property
    def scope_label(self) -> str:
        """'Gemeente Rivierstad' or 'Algemeen (alle gemeenten)'."""
        return self.municipality.name if self.municipality is not None else "Algemeen (alle gemeenten)"

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def seconds(self) -> int:
        seconds = round(self.word_count * 60 / WORDS_PER_MINUTE)
        return max(seconds, 1) if self.word_count else 0  # a word takes a moment to say

    @property
    def seconds_label(self) -> str:
        """'1 seconde', '45 seconden'."""
        return f"{self.seconds} {'seconde' if self.seconds == 1 else 'seconden'}"

    @property
    def words_label(self) -> str:
        """'1 woord', '108 woorden'."""
        return f"{self.word_count} {'woord' if self.word_count == 1 else 'woorden'}"


MATERIAL_KINDS = (
    ("folder", "Folder"),
    ("presentatie", "Presentatie"),
    ("praatplaat", "Praatplaat"),
    ("overzicht", "Overzicht van activiteiten"),
    ("anders", "Anders"),
)


class Material(PhaseMixin, TimestampMixin, Base):
    """A supporting material that carries the kernboodschap (creatie stap 2)."""

    __tablename__ = "crm_lobby_material"
    label_nl = "ondersteunend middel"
    field_labels_nl = {
        "kind": "soort middel", "title": "naam", "url": "link", "note": "toelichting",
        "file_name": "bestandsnaam", "file_type": "soort bestand", "file_size": "grootte van het bestand",
        "file_data": "bestand",
    }
    default_theme = Theme.PROFILING
    default_phase = Phase.CREATION

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)
    # An optional file (folder, presentation), checked by content and always served as a download.
    file_name: Mapped[str | None] = mapped_column(String(120))
    file_type: Mapped[str | None] = mapped_column(String(120))
    file_size: Mapped[int | None] = mapped_column(Integer)
    file_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    @property
    def kind_label(self) -> str:
        return dict(MATERIAL_KINDS).get(self.kind, self.kind)


EVIDENCE_KINDS = (
    ("cijfer", "Cijfer"),
    ("quote", "Quote"),
    ("foto", "Foto"),
    ("verhaal", "Verhaal uit de praktijk"),
)
EVIDENCE_KIND_LABELS = dict(EVIDENCE_KINDS)


class Evidence(PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """A success story as a figure, quote or photo, with its source and permission to use."""

    __tablename__ = "crm_lobby_evidence"
    label_nl = "bewijslast"
    field_labels_nl = {
        "kind": "soort bewijs", "text": "cijfer of verhaal", "permission": "toestemming",
        "permission_note": "van wie de toestemming is",
    }
    default_theme = Theme.PROFILING
    default_phase = Phase.IMPLEMENTATION

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(String(300))
    permission: Mapped[bool] = mapped_column(Boolean, default=False)  # may we use it outside?
    permission_note: Mapped[str | None] = mapped_column(String(300))

    image = relationship(
        "EvidenceImage", uselist=False, back_populates="evidence", cascade="all, delete-orphan"
    )

    @property
    def kind_label(self) -> str:
        return EVIDENCE_KIND_LABELS.get(self.kind, self.kind)


class EvidenceImage(TimestampMixin, Base):
    """The photo of a piece of evidence, stored in the database (checked by content)."""

    __tablename__ = "crm_lobby_evidence_image"
    label_nl = "foto bij bewijslast"
    field_labels_nl = {
        "evidence_id": "bewijs", "content_type": "soort bestand", "filename": "bestandsnaam",
        "size": "grootte van het bestand", "width": "breedte", "height": "hoogte", "data": "foto",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("crm_lobby_evidence.id", ondelete="CASCADE"), unique=True, index=True
    )
    content_type: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))

    evidence = relationship("Evidence", back_populates="image")
