"""The guide as data (themes, phases, steps, samenvattende vragen) and the phase tracker."""

from crm import roles
from crm.guide import Phase, Theme
from crm.registry import Instrument, MenuItem, PhaseRecords, Registry, StartPanel

URL_PREFIX = "/wegwijzer"
MODEL_MODULES = ("content.models",)


def make_blueprint():
    from content.views import bp

    return bp


def register(registry: Registry) -> None:
    from content import demo, panels
    from content.guide import get_guide

    # Read and validate the guide data at start-up: a malformed file stops the app here.
    get_guide()
    registry.add_menu_item(
        MenuItem("content.index", "Wegwijzer", roles.ALL_STAFF, order=5,
                 active_prefix="content.")
    )
    registry.add_panel(
        StartPanel("wegwijzer", "content/panel.html", roles.STAFF, panels.start_panel, order=20)
    )
    registry.add_instrument(
        Instrument("quickscan", "Jaarevaluatie: elk jaar vergelijken met vorig jaar",
                   "content.evaluation", Theme.GENERAL, Phase.EVALUATION)
    )
    registry.add_phase_records(PhaseRecords("Jaarevaluatie", panels.snapshot_records))
    registry.add_demo_seeder(demo.seed)
