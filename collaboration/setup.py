"""What the instruments announce in the registry: instruments per phase, records per
phase, start-page panels and the demo data."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from crm import roles
from crm.db import db
from crm.guide import Phase, Theme
from crm.registry import Instrument, MenuItem, PhaseRecords, RecordRef, Registry, StartPanel
from crm.web import local_today


def register_instruments(registry: Registry) -> None:
    from collaboration.demo import seed_demo

    registry.add_menu_item(
        MenuItem("collaboration.calendar_year", "Aanhaakkalender", frozenset({roles.FRONTOFFICE}),
                 order=31, active_prefix="collaboration.calendar")
    )
    for key, label, endpoint, phase in (
        ("samenwerken", "Overzicht Samenwerken", "collaboration.index", Phase.ORIENTATION),
        ("aanhaakkalender", "Aanhaakkalender", "collaboration.calendar_year", Phase.ORIENTATION),
        ("afwegingstabel", "Afwegingstabel samenwerking", "collaboration.assessments", Phase.ORIENTATION),
        ("krachtenanalyse", "Krachtenanalyse", "collaboration.analyses", Phase.CREATION),
        ("samenwerkingsafspraken", "Gezamenlijke ambitie en samenwerkingsafspraken",
         "collaboration.agreements", Phase.CREATION),
    ):
        registry.add_instrument(Instrument(key, label, endpoint, Theme.COLLABORATION, phase))
    for kind, query in (
        ("aanhaakkalender", _moment_refs),
        ("afwegingstabel", _assessment_refs),
        ("krachtenanalyse", _analysis_refs),
        ("samenwerkingsafspraken", _agreement_refs),
    ):
        registry.add_phase_records(PhaseRecords(kind, query))
    # The desk reads the calendar too: a moment in a family's life is a moment to refer.
    registry.add_panel(StartPanel("aanhaakkalender", "collaboration/panels/calendar.html",
                                  roles.ALL_STAFF, _calendar_panel, order=20))
    registry.add_panel(StartPanel("reflectie", "collaboration/panels/reflection.html",
                                  roles.STAFF, _reflection_panel, order=21))
    registry.add_demo_seeder(seed_demo)


# -- records per phase ---------------------------------------------------------------------------
def _of_phase(model, theme: Theme, phase: Phase):
    return db.session.scalars(
        select(model).where(model.theme == theme.value, model.phase == phase.value).order_by(model.id)
    )


def _moment_refs(theme, phase):
    from collaboration.models import HookMoment

    for m in _of_phase(HookMoment, theme, phase):
        yield RecordRef("Aanhaakkalender", m.title,
                        url_for("collaboration.moment_detail", moment_id=m.id),
                        m.start_date)  # a life moment ("rond 3 maanden") has no date


def _assessment_refs(theme, phase):
    from collaboration.models import Assessment

    for a in _of_phase(Assessment, theme, phase):
        yield RecordRef("Afwegingstabel", f"{a.partner.name}: {a.decision_label.lower()}",
                        url_for("collaboration.assessment_detail", assessment_id=a.id), a.decided_on)


def _analysis_refs(theme, phase):
    from collaboration.models import StrengthAnalysis

    for a in _of_phase(StrengthAnalysis, theme, phase):
        yield RecordRef("Krachtenanalyse", a.partner.name,
                        url_for("collaboration.analysis_detail", analysis_id=a.id), a.made_on)


def _agreement_refs(theme, phase):
    from collaboration.models import Agreement

    for a in _of_phase(Agreement, theme, phase):
        yield RecordRef("Samenwerkingsafspraken", a.title,
                        url_for("collaboration.agreement_detail", agreement_id=a.id),
                        a.document_date or a.created_at)


# -- start-page panels -----------------------------------------------------------------------------
def _calendar_panel(_user):
    from collaboration import calendar

    today = local_today()
    return {"items": calendar.this_and_next_month(today), "empty": calendar.is_empty(), "today": today}


def _reflection_panel(_user):
    from collaboration.services import reflections_due

    due = reflections_due(local_today())
    return {"agreements": due, "today": local_today()} if due else None
