"""Samenwerken intern en extern: aanhaakkalender, afwegingstabel, krachtenanalyse,
samenwerkingsafspraken and the samenwerkingsscan."""

from crm import roles
from crm.registry import MenuItem, PartnerLink, Registry

URL_PREFIX = "/samenwerken"
MODEL_MODULES = ("collaboration.models", "collaboration.scan.models")


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
    registry.add_personal_texts_of("collaboration")
