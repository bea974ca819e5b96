"""Progress of the team through the guide: per phase, per step, and a snapshot per year."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, PhaseMixin, TimestampMixin, VersionedMixin, utcnow

NOT_STARTED = "niet_begonnen"
IN_PROGRESS = "bezig"
DONE = "afgerond"
STATUSES = ((NOT_STARTED, "Niet begonnen"), (IN_PROGRESS, "Bezig"), (DONE, "Afgerond"))
STATUS_LABELS = dict(STATUSES)


class PhaseProgress(PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """Where the team stands in one phase of one theme, and its answer to the samenvattende vraag."""

    __tablename__ = "crm_phase_progress"
    __table_args__ = (UniqueConstraint("theme", "phase", name="uq_crm_phase_progress_theme_phase"),)
    label_nl = "voortgang fase"
    field_labels_nl = {
        "answered_by_id": "beantwoord door", "answered_at": "beantwoord op",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default=NOT_STARTED)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None]

    answered_by = relationship("User")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


class StepCheck(PhaseMixin, Base):
    """A step of the guide the team has done (ticked), with who and when."""

    __tablename__ = "crm_step_check"
    __table_args__ = (
        UniqueConstraint("theme", "phase", "step_number", name="uq_crm_step_check_theme_phase_step"),
    )
    label_nl = "afgevinkte stap"
    field_labels_nl = {
        "step_number": "stap", "checked_by_id": "afgevinkt door", "checked_at": "afgevinkt op",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    step_number: Mapped[int] = mapped_column(Integer)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)

    checked_by = relationship("User")


class YearSnapshot(Base):
    """The progress and answers of all phases as they stood when the yearly evaluation was taken.

    ``data`` maps ``"theme/phase"`` to ``{"status", "answer", "steps_done": [numbers],
    "steps_total"}``.
    """

    __tablename__ = "crm_year_snapshot"
    label_nl = "jaarevaluatie"
    field_labels_nl = {
        "data": "voortgang en antwoorden", "taken_by_id": "vastgelegd door", "taken_at": "vastgelegd op",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)

    taken_by = relationship("User")
