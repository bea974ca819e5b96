"""The guide tracker: the themes and phases of the Wegwijzer."""

from flask import Blueprint, render_template

from crm.blueprint import TEMPLATES_DIR
from crm.guide import Phase, Theme
from crm.permissions import all_staff

bp = Blueprint("content", __name__, template_folder=TEMPLATES_DIR)


@bp.route("/")
@all_staff
def index():
    return render_template("content/index.html", themes=list(Theme), phases=list(Phase))
