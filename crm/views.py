"""The start page: one per role, filled by the panels that packages register."""

from flask import render_template

from crm.auth.services import current_account
from crm.blueprint import bp
from crm.permissions import all_staff, current_role
from crm.registry import current_registry


@bp.route("/")
@all_staff
def home():
    account = current_account()
    panels = []
    for panel in current_registry().panels_for(current_role()):
        context = panel.provider(account)
        if context is not None:
            panels.append((panel, context))
    return render_template("crm/home.html", panels=panels, account=account)
