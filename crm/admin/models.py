"""Branches (vestigingen), editable lists and settings."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, TimestampMixin


class Branch(TimestampMixin, Base):
    __tablename__ = "crm_branch"
    label_nl = "vestiging"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    place: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Choice(Base):
    """One option of an editable list (partner kinds, referral purposes, ...).

    ``code`` is stable and stored on records; ``label`` is what people read and may be
    renamed. Options are switched off rather than deleted, so old records keep their label.
    """

    __tablename__ = "crm_choice"
    __table_args__ = (UniqueConstraint("list_key", "code", name="uq_crm_choice_list_code"),)
    label_nl = "keuzelijst-optie"
    field_labels_nl = {
        "list_key": "lijst", "code": "code", "label": "naam", "active": "zichtbaar",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    list_key: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Setting(Base):
    __tablename__ = "crm_setting"
    __audit__ = False  # set_setting logs the change itself, with the setting's name and values
    __audit_own__ = True  # ... so the log's filter still offers it
    label_nl = "instelling"
    field_labels_nl = {
        "key": "instelling", "value": "waarde",
    }

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict | list | int | str | None] = mapped_column(JSON)
