"""Profilering bij gemeentelijke gezinsaanpak: municipality, lobbyplan, meetings and the
one-page brief, pitch, plan van aanpak and evidence."""

from crm import roles
from crm.guide import Phase, Theme
from crm.registry import Instrument, MenuItem, Registry

URL_PREFIX = "/profilering"


def make_blueprint():
    from lobby.views import bp

    return bp


def register(registry: Registry) -> None:
    registry.add_menu_item(
        MenuItem("lobby.index", "Gemeente", roles.STAFF, order=40, active_prefix="lobby.")
    )
    registry.add_instrument(
        Instrument("profilering", "Overzicht Profilering", "lobby.index",
                   Theme.PROFILING, Phase.ORIENTATION)
    )
