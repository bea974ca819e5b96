"""The ``crm`` blueprint; the views of the core's sub-packages add their routes to it."""

from pathlib import Path

from flask import Blueprint

TEMPLATES_DIR = str(Path(__file__).resolve().parent.parent / "templates")

bp = Blueprint(
    "crm",
    __name__,
    template_folder=TEMPLATES_DIR,
    static_folder="static",
    static_url_path="/assets",
)
