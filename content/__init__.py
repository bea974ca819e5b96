"""The guide as data (themes, phases, steps, samenvattende vragen) and the phase tracker."""

from crm import roles
from crm.registry import MenuItem, Registry

URL_PREFIX = "/wegwijzer"


def blueprint():
    from content.views import bp

    return bp


def register(registry: Registry) -> None:
    registry.add_menu_item(
        MenuItem("content.index", "Wegwijzer", roles.ALL_STAFF, order=10,
                 active_prefix="content.")
    )
