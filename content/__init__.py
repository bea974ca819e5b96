"""The guide as data (themes, phases, steps, samenvattende vragen) and the phase tracker."""

from flask import url_for

from crm import roles
from crm.guide import Phase, Theme
from crm.registry import Instrument, MenuItem, PhaseRecords, Registry, StartPanel

URL_PREFIX = "/wegwijzer"
MODEL_MODULES = ("content.models",)


def make_blueprint():
    from content.views import bp

    return bp


def _phase_title(progress) -> str:
    return f"{Theme(progress.theme).label}: {Phase(progress.phase).label}"


def _phase_url(progress) -> str:
    return url_for("content.phase", guide_theme=progress.theme, guide_phase=progress.phase)


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
    # The team's answers may name people; the yearly snapshot keeps a copy of them in JSON.
    registry.add_personal_texts_of(
        "content",
        also={"YearSnapshot": ("data",)},
        titles={"PhaseProgress": _phase_title, "YearSnapshot": lambda s: f"Jaarevaluatie {s.year}"},
        urls={"PhaseProgress": _phase_url, "YearSnapshot": lambda _s: url_for("content.evaluation")},
    )
    registry.add_demo_seeder(demo.seed)
