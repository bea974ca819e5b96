"""What the tracker shows elsewhere: the start-page panel and its records in the registry."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from content import services
from content.models import IN_PROGRESS, YearSnapshot
from crm.db import db
from crm.guide import Phase, Theme
from crm.registry import RecordRef


def start_panel(_user) -> dict:
    """Where the team stands in the Wegwijzer and what is next (specialists and admins)."""
    grid = services.overview()
    busy = [cell for row in grid for cell in row if cell.status == IN_PROGRESS]
    return {
        "totals": services.totals(grid),
        "busy": busy,
        "hint": services.next_hint(grid),
    }


def snapshot_records(theme: Theme, phase: Phase) -> list[RecordRef]:
    """The yearly evaluations belong to Gezinsaanpak algemeen, evaluatie (stap 1)."""
    if (theme, phase) != (Theme.GENERAL, Phase.EVALUATION):
        return []
    return [
        RecordRef("Jaarevaluatie", f"Jaarevaluatie {s.year}", url_for("content.evaluation", jaar=s.year),
                  s.taken_at)
        for s in db.session.scalars(select(YearSnapshot).order_by(YearSnapshot.year.desc()))
    ]
