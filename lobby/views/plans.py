"""Plan van aanpak with its actions, and the evaluation (evaluatie stap 1–4)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from crm.db import db
from crm.permissions import staff_only
from crm.web import confirmed, local_today, nl_date, render_form, save_form
from lobby.forms import ActionForm, ActionPlanForm, DeleteForm, EvaluationForm
from lobby.models import ActionPlan, Evaluation, Municipality, PlanAction
from lobby.models.plans import PLAN_ITEMS
from lobby.services import municipality as municipality_services
from lobby.services import plans as services
from lobby.services.evidence import pitch_for
from lobby.views.blueprint import bp, confirm_page, get_or_404, past_date_warning, version_of


@bp.route("/plan-van-aanpak")
@staff_only
def plans():
    return render_template(
        "lobby/plans.html", plans=services.plans(), municipalities=municipality_services.municipalities()
    )


def _items(form) -> dict:
    return {key: getattr(form, key).data for key, _ in PLAN_ITEMS}


@bp.route("/gemeenten/<int:municipality_id>/plan-van-aanpak/nieuw", methods=["GET", "POST"])
@staff_only
def plan_new(municipality_id: int):
    municipality = get_or_404(Municipality, municipality_id)
    form = ActionPlanForm()
    if request.method == "GET":
        form.title.data = f"Plan van aanpak {municipality.name} {local_today().year}"
        form.role.data = municipality.role_label or None
        form.phase.data = ActionPlan.default_phase.value
    if form.validate_on_submit():
        plan, ok = save_form(form, lambda: services.create_plan(
            municipality, form.title.data, _items(form), form.phase.data
        ))
        if ok:
            flash("Het plan van aanpak is opgeslagen. Voeg nu de acties toe.", "success")
            return redirect(url_for("lobby.plan", action_plan_id=plan.id))
    return render_form("lobby/plan_form.html", form, municipality=municipality, plan=None, items=PLAN_ITEMS)


@bp.route("/plan-van-aanpak/<int:action_plan_id>")
@staff_only
def plan(action_plan_id: int):
    plan = get_or_404(ActionPlan, action_plan_id)
    return _render_plan(plan, ActionForm())


def _render_plan(plan: ActionPlan, action_form: ActionForm):
    status = 422 if action_form.errors else 200
    return render_template(
        "lobby/plan.html", plan=plan, items=PLAN_ITEMS, action_form=action_form, today=local_today()
    ), status


@bp.route("/plan-van-aanpak/<int:action_plan_id>/bewerken", methods=["GET", "POST"])
@staff_only
def plan_edit(action_plan_id: int):
    plan = get_or_404(ActionPlan, action_plan_id)
    form = ActionPlanForm(obj=plan if request.method == "GET" else None)
    if request.method == "GET":
        version_of(form, plan)
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.update_plan(
            plan, form.version.data, form.title.data, _items(form), form.phase.data,
        ))
        if ok:
            flash("Het plan van aanpak is opgeslagen.", "success")
            return redirect(url_for("lobby.plan", action_plan_id=plan.id))
    return render_form(
        "lobby/plan_form.html", form, municipality=plan.municipality, plan=plan, items=PLAN_ITEMS
    )


@bp.route("/plan-van-aanpak/<int:action_plan_id>/verwijderen", methods=["GET", "POST"])
@staff_only
def plan_delete(action_plan_id: int):
    plan = get_or_404(ActionPlan, action_plan_id)
    form = DeleteForm()
    back = url_for("lobby.plan", action_plan_id=plan.id)
    if confirmed(form):
        title, municipality_id = plan.title, plan.municipality_id
        _, ok = save_form(form, lambda: services.delete_plan(plan, form.with_actions.data))
        if ok:
            flash(f"Het plan van aanpak ‘{title}’ is verwijderd.", "success")
            return redirect(url_for("lobby.municipality", municipality_id=municipality_id))
    n = len(plan.actions)
    if n:
        form.with_actions.label.text = (
            "Ja, verwijder ook de actie van dit plan" if n == 1
            else f"Ja, verwijder ook de {n} acties van dit plan"
        )
    return confirm_page(
        form,
        title=f"Plan van aanpak ‘{plan.title}’ verwijderen?",
        intro=(
            f"Het plan van {plan.municipality.name} verdwijnt, met de negen onderdelen. Gebruik dit voor een "
            "plan dat per ongeluk (of dubbel) is gemaakt."
        ),
        goes=[f"{a.description} ({a.owner}, {nl_date(a.due_on)})" for a in plan.actions],
        back=back,
        extra_field=form.with_actions if n else None,
        extra_hint="De acties hierboven horen bij dit plan en gaan mee weg." if n else None,
    )


@bp.route("/plan-van-aanpak/<int:action_plan_id>/acties", methods=["POST"])
@staff_only
def action_add(action_plan_id: int):
    plan = get_or_404(ActionPlan, action_plan_id)
    form = ActionForm()
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.add_action(
            plan, form.description.data, form.owner.data, form.due_on.data,
        ))
        if ok:
            flash("De actie is toegevoegd.", "success")
            past_date_warning(form.due_on.data, "deze actie")
            return redirect(url_for("lobby.plan", action_plan_id=plan.id) + "#acties")
    return _render_plan(plan, form)


@bp.route("/acties/<int:plan_action_id>/bewerken", methods=["GET", "POST"])
@staff_only
def action_edit(plan_action_id: int):
    action = get_or_404(PlanAction, plan_action_id)
    form = ActionForm(obj=action if request.method == "GET" else None)
    back = url_for("lobby.plan", action_plan_id=action.plan_id) + "#acties"
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.update_action(
            action, form.description.data, form.owner.data, form.due_on.data, form.version.data,
        ))
        if ok:
            flash("De actie is aangepast.", "success")
            if not action.done:
                past_date_warning(form.due_on.data, "deze actie")
            return redirect(back)
    return render_form("lobby/action_form.html", form, action=action, back=back)


@bp.route("/acties/<int:plan_action_id>/verwijderen", methods=["GET", "POST"])
@staff_only
def action_delete(plan_action_id: int):
    action = get_or_404(PlanAction, plan_action_id)
    form = DeleteForm()
    back = url_for("lobby.plan", action_plan_id=action.plan_id) + "#acties"
    if confirmed(form):
        _, ok = save_form(form, lambda: services.delete_action(action))
        if ok:
            flash("De actie is verwijderd.", "success")
            return redirect(back)
    return confirm_page(
        form,
        title="Actie verwijderen?",
        intro=(
            f"‘{action.description}’ ({action.owner}, {nl_date(action.due_on)}) verdwijnt uit "
            f"‘{action.plan.title}’. Klopt alleen iets niet? Dan kun je de actie ook aanpassen."
        ),
        back=back,
        edit=url_for("lobby.action_edit", plan_action_id=action.id),
    )


@bp.route("/acties/<int:plan_action_id>/klaar", methods=["POST"])
@staff_only
def action_toggle(plan_action_id: int):
    action = get_or_404(PlanAction, plan_action_id)
    services.toggle_action(action)
    db.session.commit()
    flash("De actie is afgevinkt." if action.done else "De actie staat weer open.", "success")
    return redirect(url_for("lobby.plan", action_plan_id=action.plan_id) + "#acties")


# -- evaluation --------------------------------------------------------------------------
def _render_evaluation(municipality: Municipality, form: EvaluationForm, evaluation: Evaluation | None):
    valuable, not_valuable, open_ = services.contact_evaluations(municipality)
    cold, paused = services.friction_hints(municipality)
    return render_form(
        "lobby/evaluation.html",
        form,
        municipality=municipality,
        evaluation=evaluation,
        evaluations=services.evaluations(municipality),
        plans=services.plans(municipality),
        pitch=pitch_for(municipality),
        valuable=valuable,
        not_valuable=not_valuable,
        unjudged=open_,
        cold=cold,
        paused=paused,
    )


@bp.route("/gemeenten/<int:municipality_id>/evaluatie", methods=["GET", "POST"])
@staff_only
def evaluation(municipality_id: int):
    municipality = get_or_404(Municipality, municipality_id)
    form = EvaluationForm()
    if request.method == "GET":
        form.evaluated_on.data = local_today()
        form.phase.data = Evaluation.default_phase.value
    if form.validate_on_submit():
        saved, ok = save_form(form, lambda: services.save_evaluation(
            municipality,
            None,
            None,
            form.evaluated_on.data,
            {k: getattr(form, k).data for k in services.EVALUATION_FIELDS},
            form.phase.data,
        ))
        if ok:
            flash("De evaluatie is opgeslagen.", "success")
            return redirect(url_for("lobby.evaluation_edit", evaluation_id=saved.id))
    return _render_evaluation(municipality, form, None)


@bp.route("/evaluaties/<int:evaluation_id>", methods=["GET", "POST"])
@staff_only
def evaluation_edit(evaluation_id: int):
    evaluation = get_or_404(Evaluation, evaluation_id)
    form = EvaluationForm(obj=evaluation if request.method == "GET" else None)
    if request.method == "GET":
        version_of(form, evaluation)
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.save_evaluation(
            evaluation.municipality,
            evaluation,
            form.version.data,
            form.evaluated_on.data,
            {k: getattr(form, k).data for k in services.EVALUATION_FIELDS},
            form.phase.data,
        ))
        if ok:
            flash("De evaluatie is opgeslagen.", "success")
            return redirect(url_for("lobby.evaluation_edit", evaluation_id=evaluation.id))
    return _render_evaluation(evaluation.municipality, form, evaluation)


@bp.route("/evaluaties/<int:evaluation_id>/verwijderen", methods=["GET", "POST"])
@staff_only
def evaluation_delete(evaluation_id: int):
    evaluation = get_or_404(Evaluation, evaluation_id)
    form = DeleteForm()
    back = url_for("lobby.evaluation_edit", evaluation_id=evaluation.id)
    if confirmed(form):
        municipality_id, when = evaluation.municipality_id, nl_date(evaluation.evaluated_on)
        _, ok = save_form(form, lambda: services.delete_evaluation(evaluation))
        if ok:
            flash(f"De evaluatie van {when} is verwijderd.", "success")
            return redirect(url_for("lobby.evaluation", municipality_id=municipality_id))
    return confirm_page(
        form,
        title=f"Evaluatie van {nl_date(evaluation.evaluated_on)} verwijderen?",
        intro=(
            f"De evaluatie van {evaluation.municipality.name} verdwijnt, met alles wat erin staat. Gebruik "
            "dit voor een evaluatie die per ongeluk (of dubbel) is opgeslagen."
        ),
        back=back,
    )
