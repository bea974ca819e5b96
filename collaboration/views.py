"""Pages of the Samenwerken overview, the partner page of the instruments, the
krachtenanalyse and the samenwerkingsafspraken."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from collaboration import services
from collaboration.blueprint import (
    FUTURE,
    PAST,
    bp,
    confirm_page,
    current_user_id,
    get_or_404,
    partner_filter,
    warn_unlikely_dates,
)
from collaboration.forms import AgreementForm, AnalysisForm, DeleteForm
from collaboration.models import Agreement, StrengthAnalysis
from collaboration.scan import services as scan_services
from crm.guide import Theme
from crm.network.models import Partner
from crm.permissions import staff_only
from crm.registry import current_registry
from crm.web import confirmed, local_today, nl_date, redirect_next, render_form, save_form

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
            _warn_analysis_date(form, None)
            return redirect(url_for("collaboration.analysis_detail", analysis_id=analysis.id))
    return render_form("collaboration/analysis_form.html", form, analysis=None)


def _warn_analysis_date(form: AnalysisForm, before) -> None:
    warn_unlikely_dates((form.made_on.data, before, FUTURE, "de datum van de krachtenanalyse", ""))


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
        before = analysis.made_on

        def save():
            services.check_version(analysis, form.version.data)
            return services.save_analysis(analysis, _analysis_input(form), current_user_id())

        _, ok = save_form(form, save)
        if ok:
            flash("De wijzigingen zijn opgeslagen.", "success")
            _warn_analysis_date(form, before)
            return redirect(url_for("collaboration.analysis_detail", analysis_id=analysis.id))
    return render_form("collaboration/analysis_form.html", form, analysis=analysis)


@bp.route("/krachtenanalyse/<int:analysis_id>/verwijderen", methods=["GET", "POST"])
@staff_only
def analysis_delete(analysis_id: int):
    analysis = get_or_404(StrengthAnalysis, analysis_id)
    form = DeleteForm()
    name, made_on = analysis.partner.name, nl_date(analysis.made_on)
    if confirmed(form):
        _, ok = save_form(form, lambda: services.delete_analysis(analysis))
        if ok:
            flash(f"De krachtenanalyse van {name} ({made_on}) is verwijderd.", "success")
            return redirect_next("collaboration.analyses")
    return confirm_page(
        form, title=f"Krachtenanalyse van {name} verwijderen?",
        intro=f"De krachtenanalyse van {name} van {made_on} verdwijnt uit de krachtenanalyses, de "
              "pagina Samenwerken met deze partner en de Wegwijzer. Gebruik dit voor een analyse die "
              "per ongeluk (of twee keer) is opgeslagen.",
        back=url_for("collaboration.analysis_detail", analysis_id=analysis.id))


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
            _warn_agreement_dates(form, None)
            return redirect(url_for("collaboration.agreement_detail", agreement_id=agreement.id))
    return render_form("collaboration/agreement_form.html", form, agreement=None)


def _warn_agreement_dates(form: AgreementForm, before) -> None:
    """``before``: the reflection date before the save."""
    warn_unlikely_dates((form.reflection_on.data, before, PAST, "de datum om samen te reflecteren",
                         "Daarom staat er nu al een herinnering op de startpagina."))


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
        before = agreement.reflection_on

        def save():
            services.check_version(agreement, form.version.data)
            return services.save_agreement(agreement, _agreement_input(form), current_user_id())

        _, ok = save_form(form, save)
        if ok:
            flash("De wijzigingen zijn opgeslagen.", "success")
            _warn_agreement_dates(form, before)
            return redirect(url_for("collaboration.agreement_detail", agreement_id=agreement.id))
    return render_form("collaboration/agreement_form.html", form, agreement=agreement)


@bp.route("/afspraken/<int:agreement_id>/verwijderen", methods=["GET", "POST"])
@staff_only
def agreement_delete(agreement_id: int):
    agreement = get_or_404(Agreement, agreement_id)
    form = DeleteForm()
    title = agreement.title
    if confirmed(form):
        _, ok = save_form(form, lambda: services.delete_agreement(agreement))
        if ok:
            flash(f"De samenwerkingsafspraken ‘{title}’ zijn verwijderd.", "success")
            return redirect_next("collaboration.agreements")
    rounds = services.linked_scan_rounds(agreement)
    partners = ", ".join(p.name for p in agreement.partners)
    return confirm_page(
        form, title=f"Samenwerkingsafspraken ‘{title}’ verwijderen?",
        intro=f"De afspraken met {partners} verdwijnen uit Ambitie en afspraken, de pagina "
              "Samenwerken van die partners, de Wegwijzer en de herinnering om te reflecteren op de "
              "startpagina. De partners zelf blijven bestaan. Gebruik dit voor afspraken die per "
              "ongeluk (of twee keer) zijn opgeslagen.",
        links=[(r.title, url_for("collaboration.scan_round", round_id=r.id)) for r in rounds],
        links_intro="De uitkomst van deze samenwerkingsscans is aan deze afspraken gekoppeld. De "
                    "scans blijven bestaan, maar de koppeling vervalt:",
        back=url_for("collaboration.agreement_detail", agreement_id=agreement.id))
