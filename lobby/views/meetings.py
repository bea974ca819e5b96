"""Meetings with the municipality: preparation, the one-page brief, outcome, agreements, mail."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from crm.audit import record_event
from crm.auth.models import User
from crm.auth.services import current_account
from crm.charts import svg_response
from crm.db import db
from crm.permissions import staff_only
from crm.roles import STAFF
from crm.web import MONTHS_SHORT_NL, confirmed, local_today, nl_date, render_form, save_form
from lobby import charts
from lobby.forms import AgreementForm, DeleteForm, MeetingForm, OutcomeForm
from lobby.models import Meeting, MeetingAgreement, Municipality
from lobby.services import brief as brief_services
from lobby.services import meetings as services
from lobby.services import municipality as municipality_services
from lobby.services.evidence import search_evidence
from lobby.views.blueprint import bp, confirm_page, get_or_404, past_date_warning, version_of

EXTRA_QUESTION_ROWS = 2
#: A meeting further than this from today is probably a typing error (2062 for 2026): a warning.
FAR_DAYS = 366


@bp.route("/gesprekken")
@staff_only
def meetings():
    upcoming, past = services.upcoming_and_past(services.meetings())
    return render_template(
        "lobby/meetings.html",
        upcoming=upcoming,
        past=past,
        municipalities=municipality_services.municipalities(),
    )


def _evidence_label(evidence) -> str:
    label = f"{evidence.kind_label}: {evidence.title}"
    return label if evidence.permission else f"{label} (geen toestemming: komt niet op de briefing)"


def _meeting_form(municipality: Municipality, meeting: Meeting | None) -> MeetingForm:
    form = MeetingForm()
    people = municipality_services.people(municipality)  # never erased people (AVG)
    choices = [(p.contact.id, p.contact.name + (f" — {p.function}" if p.function else "")) for p in people]
    known = {c[0] for c in choices}
    for contact in meeting.present_contacts if meeting else []:  # people met who left the municipality
        if contact.id not in known:
            choices.append((contact.id, contact.name))
    form.contact_ids.choices = choices
    # All evidence, newest first: the best story may be older than the newest thirty.
    form.evidence_ids.choices = [(e.id, _evidence_label(e)) for e in search_evidence()]
    if request.method == "GET":
        if meeting is None:
            questions = services.default_questions()
            form.library_role.data = municipality.library_role or ""
            form.phase.data = Meeting.default_phase.value
        else:
            form.process(obj=meeting)
            version_of(form, meeting)
            form.library_role.data = meeting.library_role or ""
            form.contact_ids.data = [c.id for c in meeting.present_contacts]
            form.evidence_ids.data = [e.id for e in meeting.evidence]
            form.goals.data = list(meeting.goals or [])
            questions = [(q.get("question", ""), q.get("answer", "")) for q in meeting.questions or []]
        while len(form.questions.entries):
            form.questions.pop_entry()
        for question, answer in [*questions, *[("", "")] * EXTRA_QUESTION_ROWS]:
            form.questions.append_entry({"question": question, "answer": answer})
    return form


def _meeting_data(form: MeetingForm) -> services.MeetingData:
    return services.MeetingData(
        title=form.title.data,
        held_on=form.held_on.data,
        starts_at=form.starts_at.data,
        place=form.place.data,
        contact_ids=form.contact_ids.data,
        library_people=form.library_people.data,
        goals=form.goals.data,
        goals_note=form.goals_note.data,
        library_role=form.library_role.data,
        questions=[(e.form.question.data or "", e.form.answer.data or "") for e in form.questions.entries],
        evidence_ids=form.evidence_ids.data,
        key_message=form.key_message.data,
        phase=form.phase.data,
    )


def _far_date_warning(meeting: Meeting) -> None:
    if abs((meeting.held_on - local_today()).days) > FAR_DAYS:
        flash(
            f"Let op: dit gesprek staat op {nl_date(meeting.held_on)}, meer dan een jaar van vandaag. "
            "Klopt de datum? Pas hem anders aan bij ‘Voorbereiding bewerken’.",
            "warning",
        )


@bp.route("/gemeenten/<int:municipality_id>/gesprekken/nieuw", methods=["GET", "POST"])
@staff_only
def meeting_new(municipality_id: int):
    municipality = get_or_404(Municipality, municipality_id)
    form = _meeting_form(municipality, None)
    if form.validate_on_submit():
        meeting, ok = save_form(form, lambda: services.create_meeting(municipality, _meeting_data(form)))
        if ok:
            flash(
                "Het gesprek is opgeslagen. Bekijk de briefing als je klaar bent met voorbereiden.", "success"
            )
            _far_date_warning(meeting)
            return redirect(url_for("lobby.meeting", meeting_id=meeting.id))
    return render_form("lobby/meeting_form.html", form, municipality=municipality, meeting=None)


@bp.route("/gesprekken/<int:meeting_id>/voorbereiden", methods=["GET", "POST"])
@staff_only
def meeting_edit(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    form = _meeting_form(meeting.municipality, meeting)
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.update_meeting(
            meeting, form.version.data, _meeting_data(form),
        ))
        if ok:
            flash("De voorbereiding is opgeslagen.", "success")
            _far_date_warning(meeting)
            return redirect(url_for("lobby.meeting", meeting_id=meeting.id))
    return render_form("lobby/meeting_form.html", form, municipality=meeting.municipality, meeting=meeting)


def _owner_choices() -> list[tuple[int, str]]:
    users = db.session.scalars(
        select(User).where(User.active.is_(True), User.role.in_(STAFF)).order_by(User.name)
    )
    return [(0, "Iemand buiten de bibliotheek")] + [(u.id, u.name) for u in users]


def _agreement_form(agreement: MeetingAgreement | None = None) -> AgreementForm:
    form = AgreementForm()
    form.owner_id.choices = _owner_choices()
    owner = agreement.owner if agreement is not None else None
    if owner is not None and owner.id not in dict(form.owner_id.choices):  # a colleague who left
        form.owner_id.choices.append((owner.id, owner.name))
    if request.method == "GET":
        if agreement is None:
            account = current_account()
            form.owner_id.data = account.id if account else 0
        else:
            form.process(obj=agreement)
            form.owner_id.data = agreement.owner_id or 0
    return form


def _render_meeting(meeting: Meeting, outcome_form=None, agreement_form=None):
    if outcome_form is None:
        outcome_form = OutcomeForm(obj=meeting)
        version_of(outcome_form, meeting)
        # A held meeting is a contact moment; one not held yet is not.
        outcome_form.log_contact.data = meeting.interaction_id is not None or meeting.held_on <= local_today()
    if agreement_form is None:
        agreement_form = _agreement_form()
    account = current_account()
    mail = services.follow_up_mail(meeting, account.name if account else None)
    status = 422 if (outcome_form.errors or agreement_form.errors) else 200
    return render_template(
        "lobby/meeting.html",
        meeting=meeting,
        outcome_form=outcome_form,
        agreement_form=agreement_form,
        people=municipality_services.people(
            meeting.municipality, only_ids=[c.id for c in meeting.present_contacts]
        ),
        mail=mail,
        today=local_today(),
    ), status


@bp.route("/gesprekken/<int:meeting_id>")
@staff_only
def meeting(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    record_event("view", Meeting.__tablename__, meeting.id, commit=True)  # shows the people met
    return _render_meeting(meeting)


@bp.route("/gesprekken/<int:meeting_id>/uitkomst", methods=["POST"])
@staff_only
def meeting_outcome(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        account = current_account()
        logged, ok = save_form(form, lambda: services.save_outcome(
            meeting, form.version.data, form.outcome.data, form.key_message.data,
            log_contact=form.log_contact.data, actor_id=account.id if account else None,
        ))
        if ok:
            flash("De uitkomst is opgeslagen." + (
                " Het gesprek staat ook bij de contactmomenten." if logged is not None else ""
            ), "success")
            return redirect(url_for("lobby.meeting", meeting_id=meeting.id) + "#na-het-gesprek")
    return _render_meeting(meeting, outcome_form=form)


@bp.route("/gesprekken/<int:meeting_id>/verwijderen", methods=["GET", "POST"])
@staff_only
def meeting_delete(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    form = DeleteForm()
    back = url_for("lobby.meeting", meeting_id=meeting.id)
    if confirmed(form):
        title, municipality_id = meeting.title, meeting.municipality_id
        _, ok = save_form(form, lambda: services.delete_meeting(meeting, form.with_contact_moment.data))
        if ok:
            flash(f"Het gesprek ‘{title}’ is verwijderd.", "success")
            return redirect(url_for("lobby.municipality", municipality_id=municipality_id) + "#gesprekken")
    n = len(meeting.agreements)
    goes = [f"{n} {'afspraak' if n == 1 else 'afspraken'} uit dit gesprek"] if n else []
    return confirm_page(
        form,
        title=f"Gesprek ‘{meeting.title}’ verwijderen?",
        intro=(
            f"Het gesprek van {nl_date(meeting.held_on)} met {meeting.municipality.name} verdwijnt uit de "
            "gesprekken, de Wegwijzer en de startpagina. Gebruik dit voor een gesprek dat per ongeluk "
            "(of dubbel) is vastgelegd."
        ),
        goes=goes,
        back=back,
        extra_field=form.with_contact_moment if meeting.interaction_id else None,
        extra_hint=(
            "Het gesprek is ook vastgelegd als contactmoment. Zonder vinkje blijft dat contactmoment "
            "bestaan, bij de mensen en de gemeente."
        ) if meeting.interaction_id else None,
    )


@bp.route("/gesprekken/<int:meeting_id>/afspraken", methods=["POST"])
@staff_only
def agreement_add(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    form = _agreement_form()
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.add_agreement(
            meeting, form.description.data, form.owner_id.data, form.owner_name.data, form.due_on.data
        ))
        if ok:
            flash("De afspraak is toegevoegd. Wie hem oppakt, ziet hem op de startpagina.", "success")
            past_date_warning(form.due_on.data, "Deze afspraak")
            return redirect(url_for("lobby.meeting", meeting_id=meeting.id) + "#afspraken")
    return _render_meeting(meeting, agreement_form=form)


@bp.route("/afspraken/<int:meeting_agreement_id>/bewerken", methods=["GET", "POST"])
@staff_only
def agreement_edit(meeting_agreement_id: int):
    agreement = get_or_404(MeetingAgreement, meeting_agreement_id)
    form = _agreement_form(agreement)
    back = url_for("lobby.meeting", meeting_id=agreement.meeting_id) + "#afspraken"
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.update_agreement(
            agreement, form.description.data, form.owner_id.data, form.owner_name.data, form.due_on.data,
            form.version.data,
        ))
        if ok:
            flash("De afspraak is aangepast.", "success")
            if agreement.done_at is None:
                past_date_warning(form.due_on.data, "Deze afspraak")
            return redirect(back)
    return render_form("lobby/agreement_form.html", form, agreement=agreement, back=back)


@bp.route("/afspraken/<int:meeting_agreement_id>/verwijderen", methods=["GET", "POST"])
@staff_only
def agreement_delete(meeting_agreement_id: int):
    agreement = get_or_404(MeetingAgreement, meeting_agreement_id)
    form = DeleteForm()
    back = url_for("lobby.meeting", meeting_id=agreement.meeting_id) + "#afspraken"
    if confirmed(form):
        _, ok = save_form(form, lambda: services.delete_agreement(agreement))
        if ok:
            flash("De afspraak is verwijderd.", "success")
            return redirect(back)
    return confirm_page(
        form,
        title="Afspraak verwijderen?",
        intro=(
            f"‘{agreement.description}’ ({agreement.owner_label}, {nl_date(agreement.due_on)}) verdwijnt uit "
            f"het gesprek ‘{agreement.meeting.title}’, de startpagina en de mail na het gesprek. "
            "Klopt alleen iets niet? Dan kun je de afspraak ook aanpassen."
        ),
        back=back,
        edit=url_for("lobby.agreement_edit", meeting_agreement_id=agreement.id),
    )


@bp.route("/afspraken/<int:meeting_agreement_id>/klaar", methods=["POST"])
@staff_only
def agreement_toggle(meeting_agreement_id: int):
    agreement = get_or_404(MeetingAgreement, meeting_agreement_id)
    services.toggle_agreement(agreement)
    db.session.commit()
    flash("De afspraak is afgevinkt." if agreement.done_at else "De afspraak staat weer open.", "success")
    target = request.form.get("next")
    if target == "start":
        return redirect(url_for("crm.home"))
    return redirect(url_for("lobby.meeting", meeting_id=agreement.meeting_id) + "#afspraken")


@bp.route("/gesprekken/<int:meeting_id>/briefing")
@staff_only
def brief(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    data = brief_services.build_brief(meeting)
    record_event("view", Meeting.__tablename__, meeting.id, ["briefing"], commit=True)
    return render_template(
        "lobby/brief.html", brief=data, meeting=meeting, months_short=MONTHS_SHORT_NL,
        limits=brief_services.LIMITS,
    )


@bp.route("/gesprekken/<int:meeting_id>/briefing.css")
@staff_only
def brief_print_css(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    return Response(brief_services.print_css(meeting), mimetype="text/css",
                    headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


@bp.route("/verwijzingen.svg")
@staff_only
def referral_chart():
    figures = brief_services.referral_figures()
    counts = [(m.year, m.month, m.count) for m in figures[1]] if figures else []
    svg = charts.referral_chart_svg(counts)
    return svg_response(svg)


@bp.route("/gesprekken/<int:meeting_id>/mail.eml")
@staff_only
def meeting_eml(meeting_id: int):
    meeting = get_or_404(Meeting, meeting_id)
    account = current_account()
    draft = services.follow_up_mail(meeting, account.name if account else None)
    record_event("export", Meeting.__tablename__, meeting.id, ["mail"], commit=True)
    return Response(
        draft.eml(account.email if account else None),
        mimetype="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="gesprek-{meeting.id}.eml"'},
    )
