"""Samenwerken intern en extern: aanhaakkalender, afwegingstabel, krachtenanalyse,
samenwerkingsafspraken and the samenwerkingsscan."""

from crm import roles
from crm.guide import Phase, Theme
from crm.registry import Instrument, MenuItem, Registry

URL_PREFIX = "/samenwerken"
MODEL_MODULES = ("collaboration.scan.models",)


def blueprint():
    from collaboration.scan import partner_views, views  # noqa: F401  (add the scan routes)
    from collaboration.views import bp

    return bp


def register(registry: Registry) -> None:
    import collaboration.scan

    collaboration.scan.register(registry)
    registry.add_menu_item(
        MenuItem("collaboration.index", "Samenwerken", roles.STAFF, order=30,
                 active_prefix="collaboration.")
    )
    registry.add_instrument(
        Instrument("samenwerken", "Overzicht Samenwerken", "collaboration.index",
                   Theme.COLLABORATION, Phase.ORIENTATION)
    )
