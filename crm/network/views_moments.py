"""Contact moments with their follow-up and mail draft, the search box and the sociale kaart."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.admin.services import choice_label, choices
from crm.auth.models import User
from crm.auth.services import current_account
from crm.blueprint import bp
from crm.db import db
from crm.errors import AlreadySaved
from crm.network import mail, moments, services
from crm.network.forms import DeleteForm, InteractionForm, date_error_messages
from crm.network.models import Interaction, Partner
from crm.network.views import _save, actor_id, arg_id, get_or_404, labels, paginate
from crm.permissions import all_staff, staff_only
from crm.roles import STAFF
from crm.web import already_saved_handler, local_today, nl_date, page_number, redirect_next, render_form

DIRECTORY_PAGE = 60


def _interaction_filters() -> dict:
    args = request.args
    return {"q": args.get("q", "").strip() or None, "kind": args.get("soort") or None,
            "partner_id": arg_id("organisatie"), "contact_id": arg_id("persoon"),
            "open_only": args.get("open") == "1",
            "owner_id": actor_id() if args.get("van") == "mij" else None,
            "sort": args.get("sorteer") or "-datum"}


@bp.route("/contactmomenten")
@staff_only
def interactions():
    filters = _interaction_filters()
    page = paginate(moments.interaction_query(**filters))
    return render_template("crm/network/interactions.html", page=page, filters=filters, labels=labels(),
                           kinds=choices("interaction_kinds"), today=local_today())


def _staff_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(User.id, User.name).where(User.active.is_(True), User.role.in_(STAFF))
                              .order_by(User.name))
    return [(r.id, r.name) for r in rows]


def _interaction_form(interaction: Interaction | None) -> InteractionForm:
    form = InteractionForm(obj=interaction if request.method == "GET" else None)
    form.kind.choices = [("", "Kies de soort")] + choices("interaction_kinds")
    if interaction is not None and interaction.kind not in dict(form.kind.choices):
        form.kind.choices.append((interaction.kind, choice_label("interaction_kinds", interaction.kind)))
    me = current_account()
    form.follow_up_owner_id.choices = [(0, "Ikzelf")] + [
        (uid, name) for uid, name in _staff_choices() if me is None or uid != me.id]  # not twice
    if request.method == "GET":
        if interaction is not None:
            form.version.data = interaction.version
            form.contact_ids.data = [c.id for c in interaction.contacts]
            form.partner_ids.data = [p.id for p in interaction.partners]
            form.follow_up_owner_id.data = interaction.follow_up_owner_id or 0
        else:
            form.occurred_on.data = local_today()
            form.theme.data = Interaction.default_theme.value
            form.phase.data = Interaction.default_phase.value
            form.follow_up_owner_id.data = 0
            account = current_account()
            form.library_people.data = account.name if account else None
            if arg_id("organisatie"):
                form.partner_ids.data = [arg_id("organisatie")]
            if arg_id("persoon"):
                form.contact_ids.data = [arg_id("persoon")]
    form.contact_ids.choices = services.contact_choices(include=form.contact_ids.data)
    form.partner_ids.choices = services.partner_choices(include=form.partner_ids.data)
    return form


def _interaction_data(form: InteractionForm) -> moments.InteractionData:
    return moments.InteractionData(
        kind=form.kind.data, occurred_on=form.occurred_on.data, summary=form.summary.data,
        contact_ids=form.contact_ids.data or [], partner_ids=form.partner_ids.data or [],
        outcome=form.outcome.data, key_message=form.key_message.data,
        library_people=form.library_people.data, follow_up=form.follow_up.data,
        follow_up_due=form.follow_up_due.data, follow_up_owner_id=form.follow_up_owner_id.data or None,
        theme=form.theme.data, phase=form.phase.data,
    )


#: A contact moment sent twice goes to the one stored first (``crm.errors.refuse_twin``).
bp.register_error_handler(AlreadySaved, already_saved_handler({
    "Interaction": lambda r: url_for("crm.interaction_detail", interaction_id=r.id),
}))


@bp.route("/contactmomenten/nieuw", methods=["GET", "POST"])
@staff_only
def interaction_new():
    form = _interaction_form(None)
    if form.validate_on_submit():
        response, _ = _save(form,
                            lambda: moments.save_interaction(None, _interaction_data(form), actor_id()),
                            "Het contactmoment is opgeslagen. Hieronder staat een opzet voor de opvolgmail.",
                            lambda i: url_for("crm.interaction_detail", interaction_id=i.id))
        if response:
            _warn_future(form.occurred_on.data)
            return response
    date_error_messages(form)
    return render_form("crm/network/interaction_form.html", form, interaction=None, stale=None)


def _warn_future(day) -> None:
    """A contact moment is something that happened: a date to come is mostly a typing error."""
    if day and day > local_today():
        flash(f"Let op: de datum ({nl_date(day)}) ligt in de toekomst. Klopt dat niet? Kies dan "
              "Bewerken.", "warning")


def _load_interaction(interaction_id: int) -> Interaction:
    if not services.valid_id(interaction_id):
        abort(404)
    interaction = db.session.scalar(
        select(Interaction).where(Interaction.id == interaction_id).options(
            selectinload(Interaction.contacts), selectinload(Interaction.partners),
        )
    )
    if interaction is None:
        abort(404)
    return interaction


@bp.route("/contactmomenten/<int:interaction_id>")
@staff_only
def interaction_detail(interaction_id: int):
    interaction = _load_interaction(interaction_id)
    account = current_account()
    sender = account.name if account else None
    return render_template(
        "crm/network/interaction_detail.html", interaction=interaction, labels=labels(),
        mailto=mail.mailto(interaction, sender), mail_body=mail.body(interaction, sender),
        mail_subject=mail.subject(interaction), recipients=mail.recipients(interaction),
        delete_form=DeleteForm(), today=local_today(),
    )


@bp.route("/contactmomenten/<int:interaction_id>/bewerken", methods=["GET", "POST"])
@staff_only
def interaction_edit(interaction_id: int):
    interaction = _load_interaction(interaction_id)
    form = _interaction_form(interaction)
    stale = None
    if form.validate_on_submit():
        response, stale = _save(
            form, lambda: moments.save_interaction(interaction, _interaction_data(form), actor_id(),
                                                    form.version.data),
            "De wijzigingen zijn opgeslagen.",
            lambda i: url_for("crm.interaction_detail", interaction_id=i.id),
        )
        if response:
            return response
        if stale is not None:
            form.version.data = db.session.get(Interaction, interaction_id).version
    date_error_messages(form)
    return render_form("crm/network/interaction_form.html", form, interaction=interaction, stale=stale)


@bp.route("/contactmomenten/<int:interaction_id>/afgerond", methods=["POST"])
@staff_only
def interaction_done(interaction_id: int):
    interaction = get_or_404(Interaction, interaction_id)
    if interaction.follow_up_done_at is None:
        moments.mark_done(interaction, actor_id())
        db.session.commit()
        flash("De opvolging is afgevinkt.", "success")
    return redirect_next("crm.interaction_detail", interaction_id=interaction_id)


@bp.route("/contactmomenten/<int:interaction_id>/heropenen", methods=["POST"])
@staff_only
def interaction_reopen(interaction_id: int):
    interaction = get_or_404(Interaction, interaction_id)
    moments.reopen(interaction)
    db.session.commit()
    flash("De opvolging staat weer open.", "success")
    return redirect(url_for("crm.interaction_detail", interaction_id=interaction_id))


@bp.route("/contactmomenten/<int:interaction_id>/verwijderen", methods=["POST"])
@staff_only
def interaction_delete(interaction_id: int):
    interaction = get_or_404(Interaction, interaction_id)
    form = DeleteForm()
    if not (form.validate_on_submit() and form.confirm.data):
        flash("Vink aan dat je het zeker weet; het contactmoment is niet verwijderd.", "error")
        return redirect(url_for("crm.interaction_detail", interaction_id=interaction_id))
    moments.delete_interaction(interaction)
    db.session.commit()
    flash("Het contactmoment is verwijderd.", "success")
    return redirect(url_for("crm.interactions"))


@bp.route("/contactmomenten/<int:interaction_id>/opvolgmail.eml")
@staff_only
def interaction_eml(interaction_id: int):
    interaction = _load_interaction(interaction_id)
    account = current_account()
    body = mail.eml(interaction, account.name if account else None, account.email if account else None)
    response = Response(body, mimetype="message/rfc822")
    response.headers["Content-Disposition"] = f'attachment; filename="opvolgmail-{interaction_id}.eml"'
    return response


# -- search ---------------------------------------------------------------------------------------
@bp.route("/zoeken")
@staff_only
def network_search():
    q = request.args.get("q", "").strip()
    results = moments.search(q)
    return render_template("crm/network/search.html", q=q, results=results, labels=labels())


# -- sociale kaart --------------------------------------------------------------------------------
@bp.route("/sociale-kaart")
@all_staff
def directory():
    q = request.args.get("q", "").strip() or None
    kind = request.args.get("soort") or None
    page = db.paginate(moments.directory_query(q, kind), page=page_number(), per_page=DIRECTORY_PAGE,
                       error_out=False)
    return render_template("crm/network/directory.html", page=page, partners=page.items, q=q, kind=kind,
                           kinds=choices("partner_kinds"), labels=labels())


@bp.route("/sociale-kaart/<int:partner_id>")
@all_staff
def directory_entry(partner_id: int):
    partner = get_or_404(Partner, partner_id)
    if partner.status != "actief":
        abort(404)
    return render_template("crm/network/directory_entry.html", partner=partner, labels=labels())
