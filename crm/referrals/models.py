"""The referral log of the frontoffice and its monthly totals (kept after the purge).

A referral stores no personal data of the visitor: no name, address, birth date, BSN or
contact details, only what the statistics need. The optional short note is checked for
personal data before it is stored (see ``crm.referrals.privacy``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, PhaseMixin, TimestampMixin, VersionedMixin, utcnow
from crm.guide import Phase, Theme

OUTGOING = "uit"  # the library refers a visitor to a partner
INCOMING = "in"  # a partner refers a family to the library
DIRECTIONS = (
    (OUTGOING, "Verwezen naar een partner"),
    (INCOMING, "Verwezen naar de bibliotheek"),
)
DIRECTION_LABELS = dict(DIRECTIONS)
AUDIENCES = (("ouder", "Ouder"), ("kind", "Kind"), ("gezin", "Gezin"))
LANGUAGES = (("nt1", "NT1 (Nederlands als eerste taal)"), ("nt2", "NT2 (Nederlands als tweede taal)"),
             ("onbekend", "Onbekend"))
NOTE_MAX = 200


class Referral(PhaseMixin, VersionedMixin, TimestampMixin, Base):
    """One referral: who was referred where, why and how — never who the visitor is."""

    __tablename__ = "crm_referral"
    label_nl = "verwijzing"
    field_labels_nl = {
        "direction": "richting", "purpose": "doel", "method": "manier", "audience": "voor wie",
        "language": "taalachtergrond", "staff_id": "geregistreerd door", "nonce": "formuliercode",
    }
    default_theme = Theme.LEARNING
    default_phase = Phase.IMPLEMENTATION
    __table_args__ = (
        # One covering index for every statistics GROUP BY: a month range is one index scan.
        Index("ix_crm_referral_stats", "month", "direction", "purpose", "method", "branch_id",
              "partner_id"),
        Index("ix_crm_referral_staff_created", "staff_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(3), default=OUTGOING)
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_partner.id", ondelete="SET NULL"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(60))  # code from the "referral_purposes" list
    method: Mapped[str] = mapped_column(String(60))  # code from the "referral_methods" list
    audience: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str | None] = mapped_column(String(10))
    branch_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_branch.id", ondelete="SET NULL"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("crm_user.id", ondelete="SET NULL"))
    # The local (Europe/Amsterdam) month as YYYYMM: statistics group on it without date functions.
    month: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    # A one-time token of the form that created the row: a double submit stores one row.
    nonce: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    partner = relationship("Partner")
    branch = relationship("Branch")
    staff = relationship("User")  # who registered it: shown to the admin only

    @property
    def direction_label(self) -> str:
        return DIRECTION_LABELS.get(self.direction, self.direction)


class ReferralMonthly(Base):
    """Counts of purged referrals per month and dimension, so statistics keep their history."""

    __tablename__ = "crm_referral_monthly"
    __audit__ = False  # written only by the purge, which records one audit event itself
    label_nl = "maandtotaal verwijzingen"
    __table_args__ = (
        UniqueConstraint("month", "direction", "partner_id", "purpose", "method", "branch_id",
                         name="uq_crm_referral_monthly_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[int] = mapped_column(Integer)  # YYYYMM
    direction: Mapped[str] = mapped_column(String(3))
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_partner.id", ondelete="SET NULL"), index=True  # a partner's page counts them
    )
    purpose: Mapped[str] = mapped_column(String(60))
    method: Mapped[str] = mapped_column(String(60))
    branch_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_branch.id", ondelete="SET NULL"), index=True
    )
    count: Mapped[int] = mapped_column(Integer, default=0)


class ReferralMonthCache(Base):
    """Counts of the live referrals of closed months, so statistics need not scan them.

    Two grains keep it small: ``a`` counts per (month, direction, purpose, method,
    branch), ``b`` per (month, direction, partner, branch). A month is either fully here
    (its rows equal a GROUP BY of its live referrals) or absent, in which case the
    statistics read its live rows. ``flask crm purge`` fills closed months; changing or
    deleting a referral of a cached month drops that month.
    """

    __tablename__ = "crm_referral_month_cache"
    __audit__ = False  # derived counts, rebuilt from the referrals at any time
    label_nl = "maandtelling verwijzingen"
    __table_args__ = (
        Index("ix_crm_referral_month_cache_key", "grain", "month", "direction", "purpose", "method",
              "branch_id", "partner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grain: Mapped[str] = mapped_column(String(1))  # "a" or "b", see above
    month: Mapped[int] = mapped_column(Integer)  # YYYYMM
    direction: Mapped[str] = mapped_column(String(3))
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_partner.id", ondelete="SET NULL"), index=True  # a partner's page counts them
    )
    purpose: Mapped[str | None] = mapped_column(String(60))
    method: Mapped[str | None] = mapped_column(String(60))
    branch_id: Mapped[int | None] = mapped_column(
        ForeignKey("crm_branch.id", ondelete="SET NULL"), index=True
    )
    count: Mapped[int] = mapped_column(Integer, default=0)
