"""The partner's pages of the samenwerkingsscan: no account, one personal link.

Opening the link (a GET) only shows a page with a button: mail scanners open links before
the person does and must not use them up. The button (a POST) swaps the link's token for a
session and the person continues on an address without it. Every page here reads the
invitation from that session, so no URL carries an id of a round, party or invitation:
another party's data cannot be asked for.
"""

from __future__ import annotations

from flask import abort, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from collaboration.blueprint import bp
from collaboration.scan import answers, invitations, services
from collaboration.scan import results as outcome
from collaboration.scan.forms import answer_form
from collaboration.scan.models import ASPECTS, OPEN, STATEMENT, ScanInvitation, ScanRound
from collaboration.scan.views import round_context
from crm.charts import svg_response
from crm.db import db
from crm.permissions import is_anonymous, partner_only, public
from crm.sqlite import immediate_writes
from crm.web import add_form_error, render_form

#: The Flask session keys of a partner: the invitation and the generation of its link.
SESSION_KEY = "crm_invitation"
SESSION_GEN = "crm_invitation_gen"


@bp.before_request
def _label_partner_actor():
    """Changes made through an invitation are logged as "uitnodiging #id" (no account)."""
    invitation_id = session.get(SESSION_KEY)
    if invitation_id and not (current_user and current_user.is_authenticated):
        g.crm_actor_id, g.crm_actor_label = None, f"uitnodiging #{invitation_id}"


def _invalid_link(status: int = 404):
    session.pop(SESSION_KEY, None)
    session.pop(SESSION_GEN, None)
    return make_response(render_template("collaboration/scan/invalid_link.html"), status)


#: The partner's own pages (every ``@partner_only`` view of this module).
PARTNER_PAGES = "collaboration.scan_partner"


@bp.before_request
def _lost_partner_session():
    """Someone without a session (signed off, expired, another browser) who opens a
    bookmarked partner page gets the "link werkt niet (meer)" page with what to do, not the
    staff login. Registered at import, so it runs before the policy check that
    ``crm.permissions.protect_blueprint`` adds when the blueprint is mounted."""
    if (request.endpoint or "").startswith(PARTNER_PAGES) and is_anonymous():
        return _invalid_link()
    return None


@bp.route("/scan/uitnodiging/<token>", methods=["GET", "POST"])
@public
def invitation_open(token: str):
    """GET: a page with a button, and nothing changes. POST (the button): swap the link's
    token for a session and continue on an address without the token."""
    if current_user and current_user.is_authenticated:
        return render_template("collaboration/scan/staff_notice.html")
    current = invitations.invitation_for_session(session.get(SESSION_KEY), session.get(SESSION_GEN))
    if current is not None and current.token_hash == invitations.hash_token(token):
        # The same person clicks their link again on the device where they used it.
        return redirect(url_for("collaboration.scan_partner_form"))
    if request.method == "GET":
        invitation = invitations.find_by_token(token)
        if invitation is None:
            return _invalid_link()
        round_ = invitation.party.round
        return render_template("collaboration/scan/invitation_start.html", token=token,
                               round=round_, party=invitation.party, state=services.round_state(round_))
    db.session.rollback()
    with immediate_writes():
        invitation = invitations.find_by_token(token)
        if invitation is None:
            # Used, revoked or unknown. Whoever pressed first got the session; the button
            # can be pressed only once (data-submit-once), so a double click sends one POST.
            db.session.rollback()
            return _invalid_link()
        g.crm_actor_id, g.crm_actor_label = None, f"uitnodiging #{invitation.id}"
        invitations.mark_exchanged(invitation)
        _start_session(invitation)
        db.session.commit()
    return redirect(url_for("collaboration.scan_partner_form"))


def _start_session(invitation: ScanInvitation) -> None:
    session.clear()
    session[SESSION_KEY] = invitation.id
    session[SESSION_GEN] = invitation.generation
    session.permanent = True


def _partner_invitation() -> ScanInvitation:
    invitation = invitations.invitation_for_session(session.get(SESSION_KEY), session.get(SESSION_GEN))
    if invitation is None:
        abort(_invalid_link())
    return invitation


def _form_values(form, questionnaire) -> dict[int, answers.AnswerValue]:
    values = {}
    for item in questionnaire.items:
        if item.kind == OPEN:
            values[item.id] = answers.AnswerValue(comment=getattr(form, f"o{item.id}").data)
        else:
            raw = getattr(form, f"s{item.id}").data
            score = int(raw) if raw in ("1", "2", "3", "4", "5") else None
            values[item.id] = answers.AnswerValue(score=score, dont_know=raw == "0",
                                                   comment=getattr(form, f"c{item.id}").data)
    return values


def _stored_data(invitation: ScanInvitation) -> dict:
    data = {}
    for item_id, answer in answers.answers_of(invitation).items():
        if answer.item.kind == OPEN:
            data[f"o{item_id}"] = answer.comment
        else:
            data[f"s{item_id}"] = "0" if answer.dont_know else (str(answer.score) if answer.score else None)
            data[f"c{item_id}"] = answer.comment
    return data


@bp.route("/scan/deelnemen", methods=["GET", "POST"])
@partner_only
def scan_partner_form():
    invitation = _partner_invitation()
    round_ = invitation.party.round
    questionnaire = round_.questionnaire
    state = services.round_state(round_)
    context = {"invitation": invitation, "round": round_, "questionnaire": questionnaire,
               "state": state, "aspects": ASPECTS}
    if request.method == "POST":
        form = answer_form(questionnaire, formdata=request.form)
        if state != "open":
            # Closed (or revealed) meanwhile, or not open yet: nothing changes; what was stored stays.
            return render_template("collaboration/scan/partner_form.html", form=None,
                                   closed_meanwhile=state != "planned",
                                   answers=answers.answers_of(invitation), **context), 409
        submit = request.form.get("action") == "submit"
        if form.validate():
            try:
                answers.save_answers(invitation, _form_values(form, questionnaire), submit)
            except IntegrityError:
                # The same person saved twice at the same moment (two tabs): keep the first.
                db.session.rollback()
                flash("Uw antwoorden werden net ook in een ander venster opgeslagen. "
                      "Controleer ze hieronder.", "warning")
                return redirect(url_for("collaboration.scan_partner_form"))
            except services.ScanClosed:
                db.session.rollback()
                return render_template("collaboration/scan/partner_form.html", form=None,
                                       closed_meanwhile=True, **context), 409
            except services.ScanError as error:
                db.session.rollback()
                if submit:
                    _mark_missing(form, questionnaire)
                add_form_error(form, None, str(error))
            else:
                db.session.commit()
                if invitation.submitted_at:
                    flash("Dank u wel! Uw antwoorden zijn ingestuurd. U kunt ze nog aanpassen tot de "
                          "scan sluit.", "success")
                else:
                    flash("Uw antwoorden zijn bewaard als concept. U kunt later verder.", "success")
                return redirect(url_for("collaboration.scan_partner_form"))
        return render_form("collaboration/scan/partner_form.html", form, closed_meanwhile=False, **context)
    form = answer_form(questionnaire, data=_stored_data(invitation)) if state == "open" else None
    stored = answers.answers_of(invitation)
    return render_template("collaboration/scan/partner_form.html", form=form, closed_meanwhile=False,
                           answers=stored, **context)


def _mark_missing(form, questionnaire) -> None:
    for item in questionnaire.items:
        if item.kind == STATEMENT:
            field = getattr(form, f"s{item.id}")
            if not field.data:
                field.errors = [*field.errors, "Kies een antwoord bij deze stelling."]


def _partner_result_round() -> ScanRound:
    invitation = _partner_invitation()
    round_ = invitation.party.round
    if not (round_.revealed and round_.partners_may_see_results):
        abort(404)
    return round_


@bp.route("/scan/deelnemen/uitkomsten")
@partner_only
def scan_partner_results():
    invitation = _partner_invitation()
    round_ = invitation.party.round
    if not (round_.revealed and round_.partners_may_see_results):
        return render_template("collaboration/scan/partner_no_results.html", round=round_), 404
    result = outcome.compute(round_, with_people=False)  # per party; no names of other people
    charts = {"radar": url_for("collaboration.scan_partner_chart_radar"),
              "bars": url_for("collaboration.scan_partner_chart_bars")}
    return render_template("collaboration/scan/results.html", **round_context(round_), result=result,
                           staff=False, invitation=invitation, charts=charts)


@bp.route("/scan/deelnemen/grafiek/radar.svg")
@partner_only
def scan_partner_chart_radar():
    round_ = _partner_result_round()
    return svg_response(outcome.radar_svg(outcome.chart_data(outcome.compute(round_, False))))


@bp.route("/scan/deelnemen/grafiek/staven.svg")
@partner_only
def scan_partner_chart_bars():
    round_ = _partner_result_round()
    return svg_response(outcome.bars_svg(outcome.chart_data(outcome.compute(round_, False))))


@bp.route("/scan/deelnemen/afsluiten", methods=["POST"])
@partner_only
def scan_partner_leave():
    """Sign off on this device: the session ends for good, also in a copy of its cookie."""
    invitation = _partner_invitation()
    invitations.sign_off(invitation)
    db.session.commit()
    session.pop(SESSION_KEY, None)
    session.pop(SESSION_GEN, None)
    return render_template("collaboration/scan/partner_left.html")
