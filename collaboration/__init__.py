"""Samenwerken intern en extern: aanhaakkalender, afwegingstabel, krachtenanalyse,
samenwerkingsafspraken and the samenwerkingsscan."""

from flask import url_for

from crm import roles
from crm.registry import MenuItem, PartnerLink, Registry

URL_PREFIX = "/samenwerken"
MODEL_MODULES = ("collaboration.models", "collaboration.scan.models")


#: How a record that names a person is shown and linked on the person's AVG page.
PERSONAL_TEXT_TITLES = {
    "Assessment": lambda r: f"Afwegingstabel {r.partner.name}, {r.decided_on:%d-%m-%Y}",
    "StrengthAnalysis": lambda r: f"Krachtenanalyse {r.partner.name}, {r.made_on:%d-%m-%Y}",
    "ScanInvitation": lambda r: f"Uitnodiging samenwerkingsscan ({r.party.name})",
    "ScanResponse": lambda r: "Antwoorden samenwerkingsscan",
}
PERSONAL_TEXT_URLS = {
    "Assessment": lambda r: url_for("collaboration.assessment_detail", assessment_id=r.id),
    "StrengthAnalysis": lambda r: url_for("collaboration.analysis_detail", analysis_id=r.id),
    "Agreement": lambda r: url_for("collaboration.agreement_detail", agreement_id=r.id),
    "HookMoment": lambda r: url_for("collaboration.moment_detail", moment_id=r.id),
    "ScanInvitation": lambda r: url_for("collaboration.scan_round", round_id=r.party.round_id),
    "ScanResponse": lambda r: url_for("collaboration.scan_round", round_id=r.round_id),
}


def make_blueprint():
    # Importing the view modules attaches their routes to the one ``collaboration`` blueprint.
    from collaboration import assessment_views, calendar_views, views  # noqa: F401
    from collaboration.blueprint import bp
    from collaboration.scan import partner_views  # noqa: F401
    from collaboration.scan import views as scan_views  # noqa: F401

    return bp


def register(registry: Registry) -> None:
    import collaboration.scan
    from collaboration.setup import register_instruments

    registry.add_partner_link(PartnerLink(
        "Samenwerken: afwegingstabel, krachtenanalyses, afspraken en aanhaakmomenten",
        "collaboration.partner_overview"))
    registry.add_menu_item(
        MenuItem("collaboration.index", "Samenwerken", roles.STAFF, order=30,
                 active_prefix="collaboration.")
    )
    register_instruments(registry)
    collaboration.scan.register(registry)
    registry.add_personal_texts_of("collaboration", titles=PERSONAL_TEXT_TITLES, urls=PERSONAL_TEXT_URLS)
