"""Pages of the lobby towards the municipality."""

from flask import Blueprint, render_template

from crm.blueprint import TEMPLATES_DIR
from crm.guide import Theme
from crm.permissions import staff_only
from crm.registry import current_registry

bp = Blueprint("lobby", __name__, template_folder=TEMPLATES_DIR)


@bp.route("/")
@staff_only
def index():
    instruments = [i for i in current_registry().instruments if i.theme == Theme.PROFILING]
    return render_template("lobby/index.html", instruments=instruments)
