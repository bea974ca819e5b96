"""Pages of the samenwerkingsscan for the library's specialists, on the ``collaboration``
blueprint: create a round, invite the parties, follow who answered, share the outcome.
The partner's pages live in ``partner_views``."""

from __future__ import annotations

from urllib.parse import quote

from flask import (
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy.exc import IntegrityError

from collaboration.blueprint import bp, confirm_page
from collaboration.forms import RoundDeleteForm
from collaboration.scan import invitations, services
from collaboration.scan import results as outcome
from collaboration.scan.forms import (
    InviteForm,
    NewRoundForm,
    OutcomeForm,
    RevealForm,
    questionnaire_form,
)
from collaboration.scan.models import ASPECTS, OPEN, STATEMENT, ScanInvitation, ScanParty, ScanRound
from crm.audit import record_event
from crm.auth.services import current_account
from crm.charts import svg_response
from crm.db import db
from crm.permissions import admin_only, staff_only
from crm.web import add_form_error, confirmed, nl_date, redirect_next, render_form, save_form


def round_context(round_: ScanRound) -> dict:
    return {"round": round_, "state": services.round_state(round_),
            "state_label": services.ROUND_STATE_LABELS[services.round_state(round_)],
            "aspects": ASPECTS}


def _round_or_404(round_id: int) -> ScanRound:
    return db.session.get(ScanRound, round_id) or abort(404)


def _revealed_or_404(round_id: int) -> ScanRound:
    round_ = _round_or_404(round_id)
    if not round_.revealed:
        abort(404)
    return round_


# -- specialists: rounds -----------------------------------------------------------
@bp.route("/scan/")
@staff_only
def scan_rounds():
    rounds = db.session.scalars(
        db.select(ScanRound).order_by(ScanRound.closes_on.desc(), ScanRound.id.desc())
    ).all()
    rows = [(r, services.ROUND_STATE_LABELS[services.round_state(r)], services.submitted_count(r))
            for r in rounds]
    return render_template("collaboration/scan/rounds.html", rows=rows)


@bp.route("/scan/nieuw", methods=["GET", "POST"])
@staff_only
def scan_round_new():
    form = NewRoundForm()
    form.partner_ids.choices = services.partner_choices()
    if form.validate_on_submit():
        account = current_account()
        round_, ok = save_form(form, lambda: services.create_round(
            form.title.data, form.purpose.data, form.partner_ids.data, form.opens_on.data,
            form.closes_on.data, form.partners_may_see_results.data, account.id if account else None,
        ))
        if ok:
            flash("De ronde is aangemaakt. Nodig nu per partij de mensen uit.", "success")
            return redirect(url_for("collaboration.scan_round", round_id=round_.id))
    return render_form("collaboration/scan/round_form.html", form, new=True, round=None)


@bp.route("/scan/<int:round_id>")
@staff_only
def scan_round(round_id: int):
    round_ = _round_or_404(round_id)
    drafts, _waiting = services.waiting_counts(round_)
    return render_template("collaboration/scan/round.html", **round_context(round_),
                           submitted=services.submitted_count(round_), drafts=drafts,
                           agreement=services.linked_agreement(round_), new_nonce=invitations.new_nonce,
                           can_resend=invitations.can_resend, can_revoke=invitations.can_revoke)


@bp.route("/scan/<int:round_id>/bewerken", methods=["GET", "POST"])
@staff_only
def scan_round_edit(round_id: int):
    round_ = _round_or_404(round_id)
    form = OutcomeForm(obj=round_)
    form.agreement_id.choices = services.agreement_choices(round_.agreement_id)
    if request.method == "GET":
        form.version.data = round_.version
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.update_round(
            round_, form.version.data, title=form.title.data, purpose=form.purpose.data,
            opens_on=form.opens_on.data, closes_on=form.closes_on.data,
            partners_may_see_results=form.partners_may_see_results.data,
            outcome=form.outcome.data, agreement_id=form.agreement_id.data,
            confirm_close=form.confirm_close.data,
        ))
        if ok:
            flash("De ronde is opgeslagen.", "success")
            return redirect(url_for("collaboration.scan_round", round_id=round_.id))
    ask_close = bool(form.confirm_close.errors or form.confirm_close.data)
    return render_form("collaboration/scan/round_form.html", form, new=False, round=round_,
                       ask_close=ask_close)


# -- specialists: invitations --------------------------------------------------------
def _link_page(invitation: ScanInvitation, token: str, resent: bool):
    link = url_for("collaboration.invitation_open", token=token, _external=True)
    round_ = invitation.party.round
    account = current_account()
    subject = f"Uitnodiging: {round_.title}"
    body = (
        f"Beste {invitation.person_name},\n\n"
        f"Wij vragen u mee te doen aan de samenwerkingsscan \"{round_.title}\". "
        "Elke partij vult de scan apart in. Daarna bespreken we de uitkomsten samen.\n\n"
        f"Uw persoonlijke link (niet doorsturen):\n{link}\n\n"
        f"Invullen kan tot en met {nl_date(round_.closes_on)}. Het kost ongeveer 15 minuten.\n\n"
        f"Met vriendelijke groet,\n{account.name if account else ''}"
    )
    mailto = f"mailto:{quote(invitation.email or '')}?subject={quote(subject)}&body={quote(body)}"
    response = make_response(render_template(
        "collaboration/scan/invitation_link.html", invitation=invitation, round=round_,
        link=link, mailto=mailto, resent=resent,
    ))
    return response


@bp.route("/scan/<int:round_id>/uitnodigen", methods=["GET", "POST"])
@staff_only
def scan_invite(round_id: int):
    round_ = _round_or_404(round_id)
    form = InviteForm()
    form.party_id.choices = [(p.id, p.name) for p in round_.parties]
    if request.method == "GET":
        form.nonce.data = invitations.new_nonce()
        if request.args.get("partij", type=int):
            form.party_id.data = request.args.get("partij", type=int)
    if services.is_closed(round_):
        add_form_error(form, None, "Deze ronde is gesloten. Nieuwe uitnodigingen kunnen niet meer.")
        return render_form("collaboration/scan/invite.html", form, round=round_, closed=True)
    if form.validate_on_submit():
        party = db.session.get(ScanParty, form.party_id.data)
        account = current_account()

        def invite():
            return invitations.invite(party, form.person_name.data, form.email.data,
                                   account.id if account else None, form.nonce.data)

        try:
            invited, ok = save_form(form, invite)
        except IntegrityError:
            # The same form twice at the same moment (a double click): the other request
            # made the invitation; show its link.
            db.session.rollback()
            invited, ok = save_form(form, invite)
        if ok:
            invitation, token = invited
            return _link_page(invitation, token, resent=False)
        # Refused: if this nonce made an invitation before (for someone else, or its link is
        # used up), the next try must make a new one.
        form.nonce.raw_data, form.nonce.data = None, invitations.new_nonce()
    return render_form("collaboration/scan/invite.html", form, round=round_, closed=False)


def _invitation_or_404(invitation_id: int) -> ScanInvitation:
    return db.session.get(ScanInvitation, invitation_id) or abort(404)


@bp.route("/scan/uitnodigingen/<int:invitation_id>/opnieuw", methods=["POST"])
@staff_only
def scan_invitation_resend(invitation_id: int):
    """A new link; the same form posted again (a reload) shows the same link again."""
    invitation = _invitation_or_404(invitation_id)
    try:
        token = invitations.resend(invitation, request.form.get("nonce", ""))
    except services.ScanError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("collaboration.scan_round", round_id=invitation.party.round_id))
    db.session.commit()
    return _link_page(invitation, token, resent=True)


@bp.route("/scan/uitnodigingen/<int:invitation_id>/intrekken", methods=["POST"])
@staff_only
def scan_invitation_revoke(invitation_id: int):
    invitation = _invitation_or_404(invitation_id)
    invitations.revoke(invitation)
    db.session.commit()
    message = f"De uitnodiging van {invitation.person_name} is ingetrokken. De link werkt niet meer."
    if invitation.submitted_at:
        message += " De antwoorden die al waren ingestuurd, tellen wel mee."
    flash(message, "success")
    return redirect(url_for("collaboration.scan_round", round_id=invitation.party.round_id))


# -- specialists: reveal and results -----------------------------------------------------
@bp.route("/scan/<int:round_id>/delen", methods=["GET", "POST"])
@staff_only
def scan_reveal(round_id: int):
    round_ = _round_or_404(round_id)
    if round_.revealed:
        flash("De uitkomsten zijn al gedeeld.", "info")
        return redirect(url_for("collaboration.scan_results", round_id=round_.id))
    form = RevealForm()
    if form.validate_on_submit():
        account = current_account()
        _, ok = save_form(form, lambda: services.reveal(
            round_, account.id if account else None, bool(form.confirm.data),
        ))
        if ok:
            flash("De uitkomsten zijn gedeeld. Bespreek ze samen.", "success")
            return redirect(url_for("collaboration.scan_results", round_id=round_.id))
    submitted = services.submitted_count(round_)
    return render_form("collaboration/scan/reveal.html", form, **round_context(round_),
                       submitted=submitted,
                       nothing_to_share=services.nothing_to_share(round_) if not submitted else None)


@bp.route("/scan/<int:round_id>/verwijderen", methods=["GET", "POST"])
@staff_only
def scan_round_delete(round_id: int):
    round_ = _round_or_404(round_id)
    form = RoundDeleteForm()
    title = round_.title
    if confirmed(form):
        _, ok = save_form(form, lambda: services.delete_round(round_, bool(form.with_answers.data)))
        if ok:
            flash(f"De ronde ‘{title}’ is verwijderd.", "success")
            return redirect_next("collaboration.scan_rounds")
    answered = services.answers_sentence(services.answer_counts(round_))
    invited = sum(1 for p in round_.parties for i in p.invitations if not i.revoked_at)
    goes = [f"de {len(round_.parties)} partijen van de ronde en hun uitnodigingen"
            + (f"; de links van {services.people(invited)} werken dan niet meer" if invited else "")]
    warning = None
    if answered:
        goes.append("alle antwoorden van deze ronde, ook de ingestuurde")
        warning = f"Let op: in deze ronde zijn al antwoorden gegeven. {answered}. Die gaan ook weg."
        if round_.revealed:
            warning += (" De uitkomsten zijn al gedeeld: daarna kan niemand ze meer bekijken, en een "
                        "volgende ronde van deze samenwerking vergelijkt dan niet meer met deze ronde.")
    return confirm_page(
        form, title=f"Ronde ‘{title}’ verwijderen?",
        intro="De ronde verdwijnt uit de samenwerkingsscan, de Wegwijzer en de startpagina. Gebruik "
              "dit voor een ronde die per ongeluk (of twee keer) is aangemaakt.",
        warning=warning, goes=goes, extra_field=form.with_answers if answered else None,
        back=url_for("collaboration.scan_round", round_id=round_.id))


@bp.route("/scan/<int:round_id>/uitkomsten")
@staff_only
def scan_results(round_id: int):
    round_ = _round_or_404(round_id)
    if not round_.revealed:
        return render_template("collaboration/scan/not_revealed.html", **round_context(round_))
    result = outcome.compute(round_)
    record_event("view", ScanRound.__tablename__, round_.id, commit=True)
    charts = {"radar": url_for("collaboration.scan_chart_radar", round_id=round_.id),
              "bars": url_for("collaboration.scan_chart_bars", round_id=round_.id)}
    return render_template("collaboration/scan/results.html", **round_context(round_), result=result,
                           staff=True, charts=charts)


@bp.route("/scan/<int:round_id>/gespreksblad")
@staff_only
def scan_sheet(round_id: int):
    round_ = _revealed_or_404(round_id)
    result = outcome.compute(round_)
    record_event("view", ScanRound.__tablename__, round_.id, commit=True)
    return render_template("collaboration/scan/sheet.html", **round_context(round_), result=result)




@bp.route("/scan/<int:round_id>/grafiek/radar.svg")
@staff_only
def scan_chart_radar(round_id: int):
    round_ = _revealed_or_404(round_id)
    return svg_response(outcome.radar_svg(outcome.chart_data(outcome.compute(round_, False))))


@bp.route("/scan/<int:round_id>/grafiek/staven.svg")
@staff_only
def scan_chart_bars(round_id: int):
    round_ = _revealed_or_404(round_id)
    return svg_response(outcome.bars_svg(outcome.chart_data(outcome.compute(round_, False))))


@bp.route("/scan/<int:round_id>/export.xlsx")
@staff_only
def scan_export(round_id: int):
    round_ = _revealed_or_404(round_id)
    data = outcome.export_xlsx(round_, outcome.compute(round_))
    record_event("export", ScanRound.__tablename__, round_.id, commit=True)
    response = Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f'attachment; filename="samenwerkingsscan-{round_.id}.xlsx"'
    return response


# -- admin: the questionnaire ----------------------------------------------------------
@bp.route("/scan/vragenlijst", methods=["GET", "POST"])
@admin_only
def scan_questionnaire():
    questionnaire = services.current_questionnaire()
    form = questionnaire_form(questionnaire, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        edits = [
            services.ItemEdit(item.id, item.kind, item.aspect, getattr(form, f"t{item.id}").data or "",
                              bool(getattr(form, f"r{item.id}").data))
            for item in questionnaire.items
        ]
        for key, _, _ in ASPECTS:
            text = getattr(form, f"n_{key}").data
            if text and text.strip():
                edits.append(services.ItemEdit(None, STATEMENT, key, text))
        if form.n_open.data and form.n_open.data.strip():
            edits.append(services.ItemEdit(None, OPEN, None, form.n_open.data))
        try:
            number = int(form.number.data)
        except (TypeError, ValueError):
            number = None
        account = current_account()
        new, ok = save_form(form, lambda: services.save_questionnaire(
            number, form.intro.data, edits, account.id if account else None,
        ))
        if ok:
            flash(f"Versie {new.number} van de vragenlijst is opgeslagen. Nieuwe rondes gebruiken "
                  "deze versie; lopende rondes houden hun eigen versie.", "success")
            return redirect(url_for("collaboration.scan_questionnaire"))
    elif request.method == "GET":
        db.session.commit()  # the first visit stores the default questionnaire as version 1
    return render_form("collaboration/scan/questionnaire.html", form, questionnaire=questionnaire,
                       aspects=ASPECTS)
