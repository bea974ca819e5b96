"""Pages of the Samenwerken overview, the partner page of the instruments, the
krachtenanalyse and the samenwerkingsafspraken."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from collaboration import services
from collaboration.blueprint import bp, current_user_id, get_or_404, partner_filter
from collaboration.forms import AgreementForm, AnalysisForm
from collaboration.models import Agreement, StrengthAnalysis
from collaboration.scan import services as scan_services
from crm.guide import Theme
from crm.network.models import Partner
from crm.permissions import staff_only
from crm.registry import current_registry
from crm.web import local_today, render_form, save_form

__all__ = ["bp"]


@bp.route("/")
@staff_only
def index():
    instruments = [i for i in current_registry().instruments if i.theme == Theme.COLLABORATION]
    return render_template("collaboration/index.html", instruments=instruments)


@bp.route("/partners/<int:partner_id>")
@staff_only
def partner_overview(partner_id: int):
    """Everything the instruments hold about one partner; the partner page links here."""
    partner = get_or_404(Partner, partner_id)
    return render_template("collaboration/partner_overview.html", partner=partner,
                           **services.partner_overview(partner))


# -- krachtenanalyse ---------------------------------------------------------------------------------
@bp.route("/krachtenanalyse")
@staff_only
def analyses():
    return render_template("collaboration/analyses.html", analyses=services.analyses())


def _analysis_form(analysis: StrengthAnalysis | None) -> AnalysisForm:
    form = AnalysisForm(obj=analysis if request.method == "GET" else None)
    form.partner_id.choices = [(0, "Kies een partner")] + services.partner_choices()
    if request.method == "GET" and analysis is None:
        form.partner_id.data = partner_filter(request.args.get("partner")) or 0
        form.made_on.data = local_today()
        form.phase.data = StrengthAnalysis.default_phase.value
    return form


def _analysis_input(form: AnalysisForm) -> services.AnalysisInput:
    return services.AnalysisInput(
        partner_id=form.partner_id.data, made_on=form.made_on.data, phase=form.phase.data,
        **{name: getattr(form, name).data for name in services.ANALYSIS_FIELDS},
    )


@bp.route("/krachtenanalyse/nieuw", methods=["GET", "POST"])
@staff_only
def analysis_new():
    form = _analysis_form(None)
    if form.validate_on_submit():
        analysis, ok = save_form(
            form, lambda: services.save_analysis(None, _analysis_input(form), current_user_id()))
        if ok:
            flash("De krachtenanalyse is opgeslagen.", "success")
            return redirect(url_for("collaboration.analysis_detail", analysis_id=analysis.id))
    return render_form("collaboration/analysis_form.html", form, analysis=None)


@bp.route("/krachtenanalyse/<int:analysis_id>")
@staff_only
def analysis_detail(analysis_id: int):
    analysis = get_or_404(StrengthAnalysis, analysis_id)
    return render_template("collaboration/analysis_detail.html", analysis=analysis)


@bp.route("/krachtenanalyse/<int:analysis_id>/bewerken", methods=["GET", "POST"])
@staff_only
def analysis_edit(analysis_id: int):
    analysis = get_or_404(StrengthAnalysis, analysis_id)
    form = _analysis_form(analysis)
    if form.validate_on_submit():
        def save():
            services.check_version(analysis, form.version.data)
            return services.save_analysis(analysis, _analysis_input(form), current_user_id())

        _, ok = save_form(form, save)
        if ok:
            flash("De wijzigingen zijn opgeslagen.", "success")
            return redirect(url_for("collaboration.analysis_detail", analysis_id=analysis.id))
    return render_form("collaboration/analysis_form.html", form, analysis=analysis)


# -- samenwerkingsafspraken ------------------------------------------------------------------------------
@bp.route("/afspraken")
@staff_only
def agreements():
    return render_template("collaboration/agreements.html", agreements=services.agreements(),
                           today=local_today())


def _agreement_form(agreement: Agreement | None) -> AgreementForm:
    form = AgreementForm(obj=agreement if request.method == "GET" else None)
    form.partner_ids.choices = services.partner_choices()
    if request.method == "GET":
        if agreement is None:
            partner_id = partner_filter(request.args.get("partner"))
            form.partner_ids.data = [partner_id] if partner_id else []
            form.phase.data = Agreement.default_phase.value
        else:
            form.partner_ids.data = [p.id for p in agreement.partners]
            form.document_kind.data = agreement.document_kind or ""
    return form


def _agreement_input(form: AgreementForm) -> services.AgreementInput:
    return services.AgreementInput(
        title=form.title.data, partner_ids=form.partner_ids.data or [],
        document_kind=form.document_kind.data, document_date=form.document_date.data,
        reflection_on=form.reflection_on.data, phase=form.phase.data,
        **{name: getattr(form, name).data for name in services.AGREEMENT_TEXT_FIELDS},
    )


@bp.route("/afspraken/nieuw", methods=["GET", "POST"])
@staff_only
def agreement_new():
    form = _agreement_form(None)
    if form.validate_on_submit():
        agreement, ok = save_form(
            form, lambda: services.save_agreement(None, _agreement_input(form), current_user_id()))
        if ok:
            flash("De samenwerkingsafspraken zijn opgeslagen.", "success")
            return redirect(url_for("collaboration.agreement_detail", agreement_id=agreement.id))
    return render_form("collaboration/agreement_form.html", form, agreement=None)


@bp.route("/afspraken/<int:agreement_id>")
@staff_only
def agreement_detail(agreement_id: int):
    agreement = get_or_404(Agreement, agreement_id)
    return render_template("collaboration/agreement_detail.html", agreement=agreement,
                           today=local_today(), scan_rounds=scan_services.rounds_of_agreement(agreement.id))


@bp.route("/afspraken/<int:agreement_id>/bewerken", methods=["GET", "POST"])
@staff_only
def agreement_edit(agreement_id: int):
    agreement = get_or_404(Agreement, agreement_id)
    form = _agreement_form(agreement)
    if form.validate_on_submit():
        def save():
            services.check_version(agreement, form.version.data)
            return services.save_agreement(agreement, _agreement_input(form), current_user_id())

        _, ok = save_form(form, save)
        if ok:
            flash("De wijzigingen zijn opgeslagen.", "success")
            return redirect(url_for("collaboration.agreement_detail", agreement_id=agreement.id))
    return render_form("collaboration/agreement_form.html", form, agreement=agreement)
