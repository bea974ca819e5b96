"""The guide tracker: overview, theme and phase pages, ticking steps, yearly evaluation."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from content import phase_page, services
from content.charts import heatmap_svg
from content.forms import PhaseForm, ReplaceSnapshotForm, SnapshotForm
from content.guide import PhaseGuide, get_guide
from content.models import NOT_STARTED, STATUS_LABELS
from crm import roles
from crm.auth.services import current_account
from crm.blueprint import TEMPLATES_DIR
from crm.charts import svg_response
from crm.db import db
from crm.errors import STALE_MESSAGE
from crm.guide import Phase, Theme
from crm.permissions import all_staff, current_role, staff_only
from crm.web import CONFIRM_VALUE, add_form_error, confirmed, local_tz, nl_count, nl_datetime, save_form

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


def _phase_page(theme: Theme, phase: Phase, form: PhaseForm | None = None, ticked: set[int] | None = None):
    """The phase page; after a refused save, ``form`` and ``ticked`` hold what the user sent."""
    guide_phase = get_guide().phase(theme, phase)
    record = services.progress_of(theme, phase)
    checks = services.checks_of(theme, phase)
    if form is None:
        form = PhaseForm(
            formdata=None,
            status=record.status if record else NOT_STARTED,
            answer=record.answer if record else "",
            version=str(record.version) if record else "",
        )
    records, hidden = phase_page.records(guide_phase)
    phases = list(Phase)
    index = phases.index(phase)
    # What status and answer this page showed (after a refused save: what the user's page showed).
    shown_mark = request.form.get("getoond-staat") if request.method == "POST" else \
        services.shown_state(record.status if record else None, record.answer if record else None)
    return render_template(
        "content/phase.html",
        shown_mark=shown_mark,
        theme=theme,
        phase=phase,
        guide_phase=guide_phase,
        record=record,
        checks=checks,
        ticked=set(checks) if ticked is None else ticked,
        form=form,
        can_edit=_can_edit(),
        hint=services.phase_hint(guide_phase, record, set(checks)),
        instruments=phase_page.instruments(guide_phase),
        records=records, hidden_records=hidden,
        previous_phase=phases[index - 1] if index > 0 else None,
        next_phase=phases[index + 1] if index + 1 < len(phases) else None,
    )


@bp.route("/<guide_theme>/<guide_phase>")
@all_staff
def phase(guide_theme: str, guide_phase: str):
    theme, phase = _load(guide_theme, guide_phase)
    return _phase_page(theme, phase)


def _step_numbers(guide_phase: PhaseGuide, name: str) -> set[int]:
    """The step numbers sent under ``name``; a number the phase does not have is a 404."""
    result = set()
    for value in request.form.getlist(name):
        if not re.fullmatch(r"[0-9]{1,4}", value) or guide_phase.step(int(value)) is None:
            abort(404)
        result.add(int(value))
    return result


def _saved_message(theme: Theme, phase: Phase, change: services.PhaseChange) -> tuple[str, str]:
    """The flash after a save: what changed, in one sentence."""
    kept = " De status is Bezig, omdat er al een stap is afgevinkt of een antwoord is." \
        if change.kept_in_progress else ""
    if not change.anything:
        return f"Er is niets veranderd aan deze fase.{kept}", "info"
    parts = []
    if change.added:
        parts.append(nl_count(change.added, "stap afgevinkt", "stappen afgevinkt"))
    if change.removed:
        parts.append(nl_count(change.removed, "stap niet meer afgevinkt", "stappen niet meer afgevinkt"))
    if change.status:
        why = " (er is al een stap afgevinkt of een antwoord)" if kept else ""
        parts.append(f"status {STATUS_LABELS[change.status]}{why}")
        kept = ""  # said in the list already
    if change.answer_changed:
        parts.append("antwoord bijgewerkt")
    return f"De fase {phase.label} van {theme.label} is opgeslagen: {', '.join(parts)}.{kept}", "success"


@bp.route("/<guide_theme>/<guide_phase>/opslaan", methods=["POST"])
@staff_only
def save_phase(guide_theme: str, guide_phase: str):
    """The one save of the phase page: ticked steps, status and answer together."""
    theme, phase = _load(guide_theme, guide_phase)
    guide_phase_data = get_guide().phase(theme, phase)
    ticked, shown = _step_numbers(guide_phase_data, "stap"), _step_numbers(guide_phase_data, "getoond")
    form = PhaseForm()
    if form.validate():
        try:
            change, ok = save_form(form, lambda: services.save_phase(
                theme, phase, form.status.data, form.answer.data, form.version.data, current_account(),
                ticked=ticked, shown=shown, shown_mark=request.form.get("getoond-staat"),
            ))
        except IntegrityError:
            # Someone else ticked the same step, or started this phase, at the same moment.
            db.session.rollback()
            add_form_error(form, None, STALE_MESSAGE)
            ok = False
        if ok:
            flash(*_saved_message(theme, phase, change))
            # To the top of the content, where the message is (and the keyboard starts).
            return redirect(url_for("content.phase", guide_theme=theme.value, guide_phase=phase.value)
                            + "#inhoud")
    db.session.rollback()
    page = _phase_page(theme, phase, form, services.ticks_to_show(theme, phase, ticked, shown))
    return page, 422


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
        this_years=services.snapshot_of(_this_year()),
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
    """Record this year's evaluation; when there is one already, ask first (review 8, finding 8)."""
    form = SnapshotForm()
    if not form.validate():
        return _evaluation_page(form), 422
    year = _this_year()
    if services.snapshot_of(year) is not None:
        return redirect(url_for("content.replace_snapshot"))
    try:
        services.take_snapshot(year, current_account())
        db.session.commit()
    except IntegrityError:  # a colleague recorded this year's at the same moment
        db.session.rollback()
        return redirect(url_for("content.replace_snapshot"))
    flash(f"De jaarevaluatie {year} is vastgelegd.", "success")
    return redirect(url_for("content.evaluation", jaar=year))


def _taken(snapshot) -> str:
    """When (and by whom) a snapshot was recorded: "26 november 2026, 14:05 (Sanne)"."""
    who = f" ({snapshot.taken_by.name})" if snapshot.taken_by and snapshot.taken_by.name else ""
    return f"{nl_datetime(snapshot.taken_at)}{who}"


@bp.route("/jaarevaluatie/vervangen", methods=["GET", "POST"])
@staff_only
def replace_snapshot():
    """Replace this year's evaluation by today's state, after "Ja, vervangen"."""
    year = _this_year()
    current = services.snapshot_of(year)
    if current is None:  # nothing to replace (any more): record it the ordinary way
        return redirect(url_for("content.evaluation"))
    # Which snapshot the page asks about: a colleague may replace it before "Ja" is pressed.
    shown = current.taken_at.isoformat()
    form = ReplaceSnapshotForm()
    if confirmed(form):
        if form.replaces.data == shown:
            services.take_snapshot(year, current_account())
            db.session.commit()
            flash(f"De jaarevaluatie {year} is vervangen door de stand van vandaag.", "success")
            return redirect(url_for("content.evaluation", jaar=year))
        add_form_error(form, None, f"Iemand anders heeft de jaarevaluatie {year} intussen opnieuw "
                                   f"vastgelegd, op {_taken(current)}. Er is niets vervangen.")
    form.replaces.data = shown
    return render_template(
        "content/snapshot_replace.html", form=form, year=year, current=current, taken=_taken(current),
        confirm_value=CONFIRM_VALUE,
    ), 422 if form.form_errors else 200
