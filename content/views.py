"""The guide tracker: overview, theme and phase pages, ticking steps, yearly evaluation."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import BuildError

from content import services
from content.charts import heatmap_svg
from content.forms import PhaseForm, SnapshotForm
from content.guide import PhaseGuide, get_guide
from content.models import STATUS_LABELS
from crm import roles
from crm.auth.services import current_account
from crm.blueprint import TEMPLATES_DIR
from crm.charts import svg_response
from crm.db import db
from crm.errors import STALE_MESSAGE
from crm.guide import Phase, Theme
from crm.permissions import all_staff, current_role, may_open, may_open_url, staff_only
from crm.registry import current_registry
from crm.web import add_form_error, local_tz, save_form

bp = Blueprint("content", __name__, template_folder=TEMPLATES_DIR)


def text_blocks(text: str) -> list[tuple[str, object]]:
    """Split a text of the guide into paragraphs and bullet lists for the templates."""
    blocks: list[tuple[str, object]] = []
    for paragraph in (text or "").split("\n\n"):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            blocks.append(("ul", [line[2:] for line in lines]))
        else:
            blocks.append(("p", " ".join(lines)))
    return blocks


bp.add_app_template_filter(text_blocks, "guide_blocks")


def _can_edit() -> bool:
    return current_role() in roles.STAFF


def _load(guide_theme: str, guide_phase: str | None = None):
    """Theme (and phase) from the URL, or 404."""
    try:
        theme = Theme(guide_theme)
        phase = Phase(guide_phase) if guide_phase is not None else None
    except ValueError:
        abort(404)
    return theme, phase


def _url(endpoint: str) -> str | None:
    """The page of a registered instrument, when this user may open it (else shown as text)."""
    if not may_open(endpoint):
        return None
    try:
        return url_for(endpoint)
    except BuildError:
        return None


def _instruments(guide_phase: PhaseGuide) -> tuple[list[dict], dict[str, dict]]:
    """The instruments of a phase: those the guide names, linked to the product's pages
    when a package registered them, then any other registered for this phase."""
    guide = get_guide()
    registry = current_registry()
    here = {i.key: i for i in registry.instruments_of(guide_phase.theme, guide_phase.phase)}
    anywhere = {}
    for instrument in registry.instruments:
        anywhere.setdefault(instrument.key, instrument)
    by_key: dict[str, dict] = {}
    for key in guide_phase.instrument_keys:
        registered = here.get(key) or anywhere.get(key)
        by_key[key] = {
            "key": key,
            "label": guide.instruments[key],
            "url": _url(registered.endpoint) if registered else None,
            "tool": registered.label if registered else None,
        }
    for key, registered in here.items():
        if key not in by_key:
            by_key[key] = {"key": key, "label": registered.label, "url": _url(registered.endpoint),
                           "tool": registered.label}
    return list(by_key.values()), by_key


def _records(theme: Theme, phase: Phase) -> tuple[list[tuple[str, list]], int]:
    """The records of the phase this role may open, by kind, and how many it may not."""
    groups: dict[str, list] = {}
    hidden = 0
    for ref in current_registry().records_of(theme, phase):
        if may_open_url(ref.url):  # the frontoffice does not see the lobby's or the CRM's records
            groups.setdefault(ref.kind, []).append(ref)
        else:
            hidden += 1
    return sorted(groups.items()), hidden


# -- overview ------------------------------------------------------------------------


@bp.route("/")
@all_staff
def index():
    grid = services.overview()
    return render_template(
        "content/index.html",
        grid=grid,
        phases=list(Phase),
        totals=services.totals(grid),
        status_labels=STATUS_LABELS,
        hint=services.next_hint(grid),
    )


@bp.route("/overzicht.svg")
@all_staff
def overview_svg():
    return svg_response(heatmap_svg(services.overview()))


@bp.route("/<guide_theme>")
@all_staff
def theme(guide_theme: str):
    theme, _ = _load(guide_theme)
    guide = get_guide()
    grid = services.overview(guide)
    cells = grid[list(Theme).index(theme)]
    checks = services.all_checks()
    return render_template(
        "content/theme.html",
        theme=theme,
        phases=list(zip(guide.of_theme(theme), cells, strict=True)),
        checks=checks,
    )


# -- phase page ----------------------------------------------------------------------


def _phase_page(theme: Theme, phase: Phase, form: PhaseForm | None = None, status: int = 200):
    guide_phase = get_guide().phase(theme, phase)
    record = services.progress_of(theme, phase)
    checks = services.checks_of(theme, phase)
    if form is None:
        form = PhaseForm(
            formdata=None,
            status=record.status if record else "niet_begonnen",
            answer=record.answer if record else "",
            version=str(record.version) if record else "",
        )
    instruments, instrument_by_key = _instruments(guide_phase)
    records, hidden = _records(theme, phase)
    phases = list(Phase)
    index = phases.index(phase)
    return render_template(
        "content/phase.html",
        theme=theme,
        phase=phase,
        guide_phase=guide_phase,
        record=record,
        checks=checks,
        form=form,
        can_edit=_can_edit(),
        hint=services.phase_hint(guide_phase, record, set(checks)),
        instruments=instruments,
        instrument_by_key=instrument_by_key,
        records=records, hidden_records=hidden,
        previous_phase=phases[index - 1] if index > 0 else None,
        next_phase=phases[index + 1] if index + 1 < len(phases) else None,
    ), status


@bp.route("/<guide_theme>/<guide_phase>")
@all_staff
def phase(guide_theme: str, guide_phase: str):
    theme, phase = _load(guide_theme, guide_phase)
    return _phase_page(theme, phase)


@bp.route("/<guide_theme>/<guide_phase>/opslaan", methods=["POST"])
@staff_only
def save_phase(guide_theme: str, guide_phase: str):
    theme, phase = _load(guide_theme, guide_phase)
    form = PhaseForm()
    if form.validate():
        try:
            _, ok = save_form(form, lambda: services.save_phase(
                theme, phase, form.status.data, form.answer.data, form.version.data, current_account(),
            ))
        except IntegrityError:
            # Someone else created the progress of this phase at the same moment.
            db.session.rollback()
            add_form_error(form, None, STALE_MESSAGE)
            ok = False
        if ok:
            flash(f"De fase {phase.label} van {theme.label} is opgeslagen.", "success")
            return redirect(url_for("content.phase", guide_theme=theme.value, guide_phase=phase.value))
    db.session.rollback()
    page, _status = _phase_page(theme, phase, form)
    return page, 422


@bp.route("/<guide_theme>/<guide_phase>/stappen", methods=["POST"])
@staff_only
def save_steps(guide_theme: str, guide_phase: str):
    theme, phase = _load(guide_theme, guide_phase)
    guide_phase_data = get_guide().phase(theme, phase)

    def numbers(name: str) -> set[int]:
        result = set()
        for value in request.form.getlist(name):
            if not re.fullmatch(r"[0-9]{1,4}", value) or guide_phase_data.step(int(value)) is None:
                abort(404)
            result.add(int(value))
        return result

    ticked, shown = numbers("stap"), numbers("getoond")
    try:
        added, removed = services.set_steps(guide_phase_data, ticked, shown, current_account())
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("Iemand anders heeft intussen dezelfde stap afgevinkt. Bekijk de stappen opnieuw.", "error")
    else:
        if added or removed:
            flash(f"Stappen bijgewerkt: {added} afgevinkt, {removed} niet meer afgevinkt.", "success")
        else:
            flash("Er is niets veranderd aan de stappen.", "info")
    return redirect(url_for("content.phase", guide_theme=theme.value, guide_phase=phase.value) + "#stappen")


# -- yearly evaluation ---------------------------------------------------------------


def _this_year() -> int:
    return datetime.now(local_tz()).year


def _year_arg() -> int:
    try:
        year = int(request.args.get("jaar", ""))
    except ValueError:
        return _this_year()
    return year if 2000 <= year <= 2100 else _this_year()


def _evaluation_page(form: SnapshotForm):
    year = _year_arg()
    current = services.snapshot_of(year)
    if current is None and year != _this_year():
        abort(404)  # a past year without a snapshot: nothing to show
    previous = services.snapshot_of(year - 1)
    now_data = current.data if current else services.current_state()
    rows = services.compare(now_data, previous.data if previous else None)
    guide = get_guide()
    return render_template(
        "content/evaluation.html",
        form=form,
        year=year,
        this_year=_this_year(),
        current=current,
        previous=previous,
        rows=rows,
        answered=[r for r in rows if r.now.get("answer") or (r.before or {}).get("answer")],
        snapshots=services.snapshots(),
        quickscan_step=guide.phase(Theme.GENERAL, Phase.EVALUATION).step(1),
        can_edit=_can_edit(),
    )


@bp.route("/jaarevaluatie")
@all_staff
def evaluation():
    return _evaluation_page(SnapshotForm(formdata=None))


@bp.route("/jaarevaluatie", methods=["POST"])
@staff_only
def take_snapshot():
    form = SnapshotForm()
    if not form.validate():
        return _evaluation_page(form), 422
    year = _this_year()
    _snapshot, created = services.take_snapshot(year, current_account())
    db.session.commit()
    if created:
        flash(f"De jaarevaluatie {year} is vastgelegd.", "success")
    else:
        flash(f"De jaarevaluatie {year} is bijgewerkt met de stand van vandaag.", "success")
    return redirect(url_for("content.evaluation", jaar=year))
