"""The referral log of the frontoffice: what it announces in the registry.

Its routes live on the core's ``crm`` blueprint (see ``crm.referrals.views``).
"""

from __future__ import annotations

from flask import url_for

from crm import roles
from crm.db import utcnow
from crm.guide import Phase, Theme
from crm.referrals.demo import seed_referrals
from crm.referrals.models import Referral
from crm.referrals.services import month_key
from crm.referrals.stats import StatsFilter, add_months, compute, purge_referrals
from crm.registry import (
    ChoiceList,
    Figures,
    Instrument,
    MenuItem,
    PhaseRecords,
    RecordRef,
    Registry,
    Setting,
    StartPanel,
)

PURPOSES = (
    ("taal-lezen", "Taal en lezen"),
    ("voorlezen-boekstart", "Voorlezen en BoekStart"),
    ("digitale-vaardigheden", "Digitale vaardigheden"),
    ("opvoeden", "Opvoeden"),
    ("geldzaken", "Geldzaken"),
    ("werk-inkomen", "Werk en inkomen"),
    ("gezondheid", "Gezondheid"),
    ("inburgering-nt2", "Inburgering / NT2"),
    ("anders", "Anders"),
)
METHODS = (
    ("warme-overdracht", "Warme overdracht"),
    ("telefonisch", "Telefonisch doorverbonden"),
    ("afspraak", "Afspraak gemaakt"),
    ("folder", "Folder of informatie meegegeven"),
    ("website", "Op een website gewezen"),
)


def _register_panel(user):
    from crm.referrals.forms import ReferralForm
    from crm.referrals.services import todays_referrals
    from crm.referrals.views import picker, prepare_form

    form = ReferralForm(formdata=None)
    prepare_form(form, user)
    today = todays_referrals(user.id) if user is not None else []
    return {"form": form, "today_count": len(today), **picker()}


def _stats_panel(_user):
    this_month = month_key(utcnow())
    stats = compute(StatsFilter(this_month, this_month))
    return {"stats": stats, "url": url_for("crm.referral_stats")}


def _phase_records(theme: Theme, phase: Phase) -> list[RecordRef]:
    """One summary line for the tracker, not thousands of single referrals."""
    if (theme, phase) != (Referral.default_theme, Referral.default_phase):
        return []
    stats = compute(StatsFilter.default())
    if not stats.total:
        return []
    return [RecordRef("verwijzingen", f"Verwijzingen: {stats.total} in {stats.filter.label}",
                      url_for("crm.referral_stats"))]


def monthly_figures(first_month, months: int) -> dict[tuple[int, int], int]:
    """Referrals per calendar month (both directions), for other packages through the registry
    (the lobby brief shows the last 12 months); the same GROUP BY as the statistics page."""
    from crm.referrals.stats import _grouped

    start = first_month.year * 100 + first_month.month
    counts = _grouped(StatsFilter(start, add_months(start, months - 1)), "month")
    return {(key // 100, key % 100): n for (key,), n in counts.items()}


def register(registry: Registry) -> None:
    registry.add_list(ChoiceList(
        "referral_purposes", "Doelen van verwijzingen", PURPOSES,
        "bij het registreren van verwijzingen aan de balie en in de statistiek",
    ))
    registry.add_list(ChoiceList(
        "referral_methods", "Manieren van verwijzen", METHODS,
        "bij het registreren van verwijzingen: hoe er verwezen is",
    ))
    registry.add_setting(Setting(
        "referral_retention_months", "Bewaartermijn verwijzingen (maanden)", 24, minimum=1, maximum=120,
        hint="Oudere verwijzingen worden verwijderd; hun aantallen blijven als maandtotalen bewaard.",
    ))
    registry.add_menu_item(MenuItem(
        "crm.referral_today", "Verwijzingen", frozenset({roles.FRONTOFFICE}), order=20,
        active_prefix="crm.referral",
    ))
    registry.add_menu_item(MenuItem(
        "crm.referral_stats", "Verwijzingen", roles.STAFF, order=60, active_prefix="crm.referral",
    ))
    registry.add_panel(StartPanel(
        "referral", "crm/referrals/panel.html", frozenset({roles.ADMIN, roles.FRONTOFFICE}),
        _register_panel, order=5,
    ))
    registry.add_panel(StartPanel(
        "referral-stats", "crm/referrals/panel_stats.html", roles.STAFF, _stats_panel, order=60,
    ))
    registry.add_instrument(Instrument(
        "registratiesysteem-verwijzingen", "Registratiesysteem verwijzingen", "crm.referral_stats",
        Referral.default_theme, Referral.default_phase,
    ))
    registry.add_phase_records(PhaseRecords("verwijzingen", _phase_records))
    registry.add_figures(Figures("referrals", "Verwijzingen", monthly_figures))
    registry.add_purger(purge_referrals)
    registry.add_demo_seeder(seed_referrals)
