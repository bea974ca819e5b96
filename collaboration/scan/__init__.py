"""De grote samenwerkingsscan: each party answers separately, the results are compared
per aspect and discussed together (Samenwerken, evaluatie stap 2–3)."""

from __future__ import annotations

from flask import url_for

from crm import roles
from crm.guide import Phase, Theme
from crm.registry import Instrument, PhaseRecords, RecordRef, Registry, StartPanel

MODEL_MODULES = ("collaboration.scan.models",)


def _open_rounds_panel(_user):
    from collaboration.scan import services

    rounds = services.open_rounds()
    if not rounds:
        return None
    rows = []
    for round_ in rounds:
        invited = sum(1 for p in round_.parties for i in p.invitations if not i.revoked_at)
        rows.append((round_, services.ROUND_STATE_LABELS[services.round_state(round_)],
                     services.submitted_count(round_), invited))
    return {"rows": rows}


def _records(theme: Theme, phase: Phase):
    from sqlalchemy import select

    from collaboration.scan.models import ScanRound
    from crm.db import db

    rounds = db.session.scalars(
        select(ScanRound).where(ScanRound.theme == theme.value, ScanRound.phase == phase.value)
        .order_by(ScanRound.created_at.desc())
    )
    return [RecordRef("Samenwerkingsscan", r.title, url_for("collaboration.scan_round", round_id=r.id),
                      r.opens_on) for r in rounds]


def register(registry: Registry) -> None:
    from collaboration.scan.demo import seed_demo

    registry.add_instrument(
        Instrument("samenwerkingsscan", "De grote samenwerkingsscan", "collaboration.scan_rounds",
                   Theme.COLLABORATION, Phase.EVALUATION)
    )
    registry.add_phase_records(PhaseRecords("samenwerkingsscan", _records))
    registry.add_panel(
        StartPanel("scan", "collaboration/scan/panel.html", roles.STAFF, _open_rounds_panel, order=40)
    )
    registry.add_demo_seeder(seed_demo)
