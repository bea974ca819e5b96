"""Pages of the afwegingstabel samenwerking and its criteria list."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from collaboration import assessments as svc
from collaboration.blueprint import (
    FUTURE,
    bp,
    confirm_page,
    current_user_id,
    get_or_404,
    partner_filter,
    warn_unlikely_dates,
)
from collaboration.forms import CriterionForm, DeleteForm, EmptyForm, assessment_form_class
from collaboration.models import Assessment, AssessmentCriterion
from collaboration.services import check_version, partner_choices
from crm.auth.services import current_account
from crm.db import db
from crm.network.models import STATUS_LABELS, Partner
from crm.permissions import admin_only, staff_only
from crm.web import confirmed, local_today, nl_date, redirect_next, render_form, save_form


def _assessment(assessment_id: int) -> Assessment:
    return get_or_404(Assessment, assessment_id)


@bp.route("/afwegingstabel")
@staff_only
def assessments():
    return render_template("collaboration/assessments.html", assessments=svc.assessments())


def _assessment_form(assessment: Assessment | None, lines):
    form_class = assessment_form_class(lines)
    form = form_class(obj=assessment if request.method == "GET" else None)
    form.partner_id.choices = [(0, "Kies een partner")] + partner_choices()
    if request.method == "GET":
        if assessment is None:
            form.partner_id.data = partner_filter(request.args.get("partner")) or 0
            form.decided_on.data = local_today()
            account = current_account()
            form.decided_by.data = account.name if account else ""
            form.phase.data = Assessment.default_phase.value
        else:
            for line in lines:
                score = next((s for s in assessment.scores if f"s{s.id}" == line.key), None)
                if score is not None:
                    getattr(form, f"score_{line.key}").data = score.score
                    getattr(form, f"note_{line.key}").data = score.note
    return form


def _assessment_input(form, lines) -> svc.AssessmentInput:
    return svc.AssessmentInput(
        partner_id=form.partner_id.data, decision=form.decision.data, rationale=form.rationale.data,
        decided_on=form.decided_on.data, decided_by=form.decided_by.data, review_on=form.review_on.data,
        apply_status=form.apply_status.data, phase=form.phase.data,
        scores=[svc.ScoreInput(line.key, getattr(form, f"score_{line.key}").data,
                               getattr(form, f"note_{line.key}").data) for line in lines],
    )


def _grouped(lines):
    groups: dict[str, list] = {}
    for line in lines:
        groups.setdefault(line.group_label, []).append(line)
    return list(groups.items())


def _saved(assessment: Assessment, new_status: str | None, decided_before=None):
    flash("De afwegingstabel is opgeslagen.", "success")
    if new_status:
        flash(f"De status van {assessment.partner.name} is nu: {STATUS_LABELS[new_status].lower()}.",
              "success")
    warn_unlikely_dates((assessment.decided_on, decided_before, FUTURE, "de datum van het besluit", ""))
    return redirect(url_for("collaboration.assessment_detail", assessment_id=assessment.id))


@bp.route("/afwegingstabel/nieuw", methods=["GET", "POST"])
@staff_only
def assessment_new():
    lines = svc.lines_for(None)
    form = _assessment_form(None, lines)
    if form.validate_on_submit():
        result, ok = save_form(
            form, lambda: svc.save_assessment(None, _assessment_input(form, lines), current_user_id()))
        if ok:
            return _saved(*result)
    return render_form("collaboration/assessment_form.html", form, assessment=None,
                       groups=_grouped(lines), status_hint=svc.status_hint())


@bp.route("/afwegingstabel/<int:assessment_id>")
@staff_only
def assessment_detail(assessment_id: int):
    assessment = _assessment(assessment_id)
    return render_template("collaboration/assessment_detail.html", assessment=assessment,
                           totals=svc.group_totals(assessment))


@bp.route("/afwegingstabel/<int:assessment_id>/bewerken", methods=["GET", "POST"])
@staff_only
def assessment_edit(assessment_id: int):
    assessment = _assessment(assessment_id)
    lines = svc.lines_for(assessment)
    form = _assessment_form(assessment, lines)
    if form.validate_on_submit():
        decided_before = assessment.decided_on

        def save():
            check_version(assessment, form.version.data)
            return svc.save_assessment(assessment, _assessment_input(form, lines), current_user_id())

        result, ok = save_form(form, save)
        if ok:
            return _saved(*result, decided_before=decided_before)
    return render_form("collaboration/assessment_form.html", form, assessment=assessment,
                       groups=_grouped(lines), status_hint=svc.status_hint())


@bp.route("/afwegingstabel/<int:assessment_id>/verwijderen", methods=["GET", "POST"])
@staff_only
def assessment_delete(assessment_id: int):
    assessment = _assessment(assessment_id)
    form = DeleteForm()
    name, decided_on = assessment.partner.name, nl_date(assessment.decided_on)
    if confirmed(form):
        _, ok = save_form(form, lambda: svc.delete_assessment(assessment))
        if ok:
            flash(f"De afwegingstabel van {name} ({decided_on}) is verwijderd.", "success")
            return redirect_next("collaboration.assessments")
    return confirm_page(
        form, title=f"Afwegingstabel van {name} verwijderen?",
        intro=f"De afweging van {decided_on} ({assessment.decision_label.lower()}) verdwijnt uit de "
              "afwegingstabel, de geschiedenis van de afwegingen van deze partner en de Wegwijzer. "
              "Gebruik dit voor een afweging die per ongeluk (of twee keer) is opgeslagen.",
        warning=f"De status van {name} blijft zoals hij nu is: {assessment.partner.status_label.lower()}. "
                "Moet die anders? Pas hem aan op de pagina van de partner.",
        goes=[f"de scores en toelichtingen bij de {len(assessment.scores)} criteria van deze afweging"]
        if assessment.scores else [],
        back=url_for("collaboration.assessment_detail", assessment_id=assessment.id))


@bp.route("/partners/<int:partner_id>/afwegingen")
@staff_only
def assessment_history(partner_id: int):
    partner = get_or_404(Partner, partner_id)
    rows, lines = svc.history(partner)
    return render_template("collaboration/assessment_history.html", partner=partner,
                           assessments=rows, lines=lines,
                           totals=[svc.group_totals(a) for a in rows])


# -- criteria (admin) ------------------------------------------------------------------------------
@bp.route("/afwegingstabel/criteria", methods=["GET", "POST"])
@admin_only
def criteria():
    form = CriterionForm()
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: svc.save_criterion(None, form.group.data, form.label.data))
        if ok:
            flash("Het criterium is toegevoegd.", "success")
            return redirect(url_for("collaboration.criteria"))
    stored = svc.criteria(include_inactive=True)
    return render_form("collaboration/criteria.html", form, criteria=stored,
                       defaults=svc.DEFAULT_CRITERIA if not stored else (), toggle_form=EmptyForm())


@bp.route("/afwegingstabel/criteria/<int:criterion_id>", methods=["GET", "POST"])
@admin_only
def criterion_edit(criterion_id: int):
    criterion = get_or_404(AssessmentCriterion, criterion_id)
    form = CriterionForm(obj=criterion if request.method == "GET" else None)
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: svc.save_criterion(
            criterion, form.group.data, form.label.data, form.active.data))
        if ok:
            flash("Het criterium is opgeslagen. Eerdere afwegingen houden de oude tekst.", "success")
            return redirect(url_for("collaboration.criteria"))
    return render_form("collaboration/criterion_form.html", form, criterion=criterion)


@bp.route("/afwegingstabel/criteria/standaard", methods=["POST"])
@admin_only
def criteria_defaults():
    if svc.ensure_default_criteria():
        db.session.commit()
        flash("De standaardcriteria zijn opgeslagen; je kunt ze nu aanpassen.", "success")
    return redirect(url_for("collaboration.criteria"))
