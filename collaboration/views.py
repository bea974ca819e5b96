"""Pages of the Samenwerken instruments."""

from flask import Blueprint, render_template

from crm.blueprint import TEMPLATES_DIR
from crm.guide import Theme
from crm.permissions import staff_only
from crm.registry import current_registry

bp = Blueprint("collaboration", __name__, template_folder=TEMPLATES_DIR)


@bp.route("/")
@staff_only
def index():
    instruments = [i for i in current_registry().instruments if i.theme == Theme.COLLABORATION]
    return render_template("collaboration/index.html", instruments=instruments)
