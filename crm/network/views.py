"""Pages for partners (organisations) and people, with their links to organisations."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.admin.services import choice_label, choices
from crm.audit import record_event
from crm.auth.services import current_account
from crm.blueprint import bp
from crm.db import db
from crm.guide import PHASE_LABELS, THEME_LABELS
from crm.network import services
from crm.network.forms import AffiliationForm, ContactForm, DeleteForm, PartnerForm, date_error_messages
from crm.network.models import PARTNER_STATUSES, WARMTH, Affiliation, Contact, Partner
from crm.network.moments import interaction_query
from crm.permissions import may_open, staff_only
from crm.registry import current_registry
from crm.web import page_number, render_form, save_form

PER_PAGE = 25


def actor_id() -> int | None:
    account = current_account()
    return account.id if account else None


def get_or_404(model, record_id: int):
    record = db.session.get(model, record_id) if services.valid_id(record_id) else None
    if record is None:
        abort(404)
    return record


LIST_KEYS = ("partner_kinds", "contact_positions", "policy_domains", "interaction_kinds")


def list_labels() -> dict[str, dict[str, str]]:
    """code → label of the network's editable lists, read in one query per request."""
    if "crm_network_lists" in g:
        return g.crm_network_lists
    from crm.admin.models import Choice

    stored: dict[str, dict[str, str]] = {}
    rows = db.session.execute(select(Choice.list_key, Choice.code, Choice.label)
                              .where(Choice.list_key.in_(LIST_KEYS)).order_by(Choice.position, Choice.id))
    for key, code, label in rows:
        stored.setdefault(key, {})[code] = label
    registry = current_registry()
    result = {key: stored.get(key) or dict(registry.lists[key].defaults) for key in LIST_KEYS}
    g.crm_network_lists = result
    return result


def arg_id(name: str) -> int | None:
    return services.valid_id(request.args.get(name))


def labels() -> dict:
    """Lookup tables for templates: code → label of every list the network pages show."""
    lists = list_labels()
    return {
        "kinds": lists["partner_kinds"],
        "positions": lists["contact_positions"],
        "domains": lists["policy_domains"],
        "interaction_kinds": lists["interaction_kinds"],
        "statuses": dict(PARTNER_STATUSES),
        "warmth": dict(WARMTH),
        "themes": THEME_LABELS,
        "phases": PHASE_LABELS,
    }


def paginate(stmt):
    return db.paginate(stmt, page=page_number(), per_page=PER_PAGE, error_out=False)


# -- partners ---------------------------------------------------------------------------------
def _partner_filters() -> dict:
    args = request.args
    return {"q": args.get("q", "").strip() or None, "kind": args.get("soort") or None,
            "status": args.get("status") or None, "internal": args.get("intern") or None,
            "tag": args.get("label") or None, "sort": args.get("sorteer") or "naam"}


@bp.route("/partners")
@staff_only
def partners():
    filters = _partner_filters()
    page = paginate(services.partner_query(**filters))
    return render_template(
        "crm/network/partners.html", page=page, filters=filters, labels=labels(),
        kinds=choices("partner_kinds"), statuses=PARTNER_STATUSES, tags=services.all_tags(),
    )


def _partner_form(partner: Partner | None) -> PartnerForm:
    form = PartnerForm(obj=partner if request.method == "GET" else None)
    form.kind.choices = [("", "Kies een soort")] + choices("partner_kinds")
    if partner is not None and partner.kind not in dict(form.kind.choices):
        form.kind.choices.append((partner.kind, choice_label("partner_kinds", partner.kind)))
    if request.method == "GET":
        if partner is not None:
            form.tags.data = partner.tags_text
            form.version.data = partner.version
        else:
            form.theme.data, form.phase.data = Partner.default_theme.value, Partner.default_phase.value
    return form


def _partner_data(form: PartnerForm) -> services.PartnerData:
    return services.PartnerData(
        name=form.name.data, kind=form.kind.data, internal=form.internal.data, status=form.status.data,
        offer=form.offer.data, how_to_refer=form.how_to_refer.data, address=form.address.data,
        place=form.place.data, website=form.website.data, phone=form.phone.data, email=form.email.data,
        tags=services.parse_tags(form.tags.data), notes=form.notes.data,
        theme=form.theme.data, phase=form.phase.data,
    )


def _save(form, save, success: str, target):
    """Shared tail of the edit views: ``crm.web.save_form``, and on a lost update also what
    is stored now, to show beside the form."""
    current: dict = {}

    def action():
        try:
            return save()
        except services.StaleRecord as exc:
            current.update(exc.current)
            raise

    record, ok = save_form(form, action)
    if not ok:
        return None, current or None
    flash(success, "success")
    return redirect(target(record)), None


@bp.route("/partners/nieuw", methods=["GET", "POST"])
@staff_only
def partner_new():
    form = _partner_form(None)
    stale = None
    if form.validate_on_submit():
        response, stale = _save(form, lambda: services.save_partner(None, _partner_data(form), actor_id()),
                                "De partner is opgeslagen.",
                                lambda p: url_for("crm.partner_detail", partner_id=p.id))
        if response:
            return response
    return render_form("crm/network/partner_form.html", form, partner=None, stale=stale)


@bp.route("/partners/<int:partner_id>")
@staff_only
def partner_detail(partner_id: int):
    get_or_404(Partner, partner_id)
    partner = db.session.scalar(
        select(Partner).where(Partner.id == partner_id).options(
            selectinload(Partner.affiliations).selectinload(Affiliation.contact),
            selectinload(Partner.status_changes),
        )
    )
    if partner is None:
        abort(404)
    moments = db.session.scalars(interaction_query(partner_id=partner_id).limit(20)).all()
    links = [(link.label, url_for(link.endpoint, partner_id=partner.id))
             for link in current_registry().partner_links if may_open(link.endpoint)]
    return render_template("crm/network/partner_detail.html", partner=partner, moments=moments,
                           labels=labels(), delete_form=DeleteForm(), links=links,
                           dependents=services.partner_dependents(partner))


@bp.route("/partners/<int:partner_id>/bewerken", methods=["GET", "POST"])
@staff_only
def partner_edit(partner_id: int):
    partner = get_or_404(Partner, partner_id)
    form = _partner_form(partner)
    stale = None
    if form.validate_on_submit():
        response, stale = _save(
            form, lambda: services.save_partner(partner, _partner_data(form), actor_id(), form.version.data),
            "De wijzigingen zijn opgeslagen.", lambda p: url_for("crm.partner_detail", partner_id=p.id),
        )
        if response:
            return response
        if stale is not None:
            form.version.data = db.session.get(Partner, partner_id).version
    return render_form("crm/network/partner_form.html", form, partner=partner, stale=stale)


@bp.route("/partners/<int:partner_id>/verwijderen", methods=["POST"])
@staff_only
def partner_delete(partner_id: int):
    partner = get_or_404(Partner, partner_id)
    form = DeleteForm()
    if not (form.validate_on_submit() and form.confirm.data):
        flash("Vink aan dat je het zeker weet; de partner is niet verwijderd.", "error")
        return redirect(url_for("crm.partner_detail", partner_id=partner_id))
    name = partner.name
    try:
        services.delete_partner(partner)
    except services.NetworkError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("crm.partner_detail", partner_id=partner_id))
    db.session.commit()
    flash(f"{name} is verwijderd.", "success")
    return redirect(url_for("crm.partners"))


# -- people ---------------------------------------------------------------------------------------
def _contact_filters() -> dict:
    args = request.args
    partner = arg_id("organisatie")
    return {"q": args.get("q", "").strip() or None, "partner_id": partner,
            "position": args.get("positie") or None, "domain": args.get("domein") or None,
            "warmth": args.get("relatie") or None, "sort": args.get("sorteer") or "naam",
            "municipal": args.get("gemeente") == "1"}


@bp.route("/personen")
@staff_only
def contacts():
    filters = _contact_filters()
    page = paginate(services.contact_query(**filters))
    return render_template(
        "crm/network/contacts.html", page=page, filters=filters, labels=labels(),
        positions=choices("contact_positions"), domains=choices("policy_domains"), warmth=WARMTH,
    )


def _contact_form(contact: Contact | None) -> ContactForm:
    form = ContactForm(obj=contact if request.method == "GET" else None)
    form.position.choices = [("", "Geen of onbekend")] + choices("contact_positions")
    form.domains.choices = choices("policy_domains")
    if request.method == "GET":
        if contact is not None:
            form.version.data = contact.version
            form.valuable.data = {True: "ja", False: "nee"}.get(contact.valuable, "")
            form.influence.data, form.interest.data = contact.influence, contact.interest
        else:
            form.theme.data, form.phase.data = Contact.default_theme.value, Contact.default_phase.value
            form.partner_id.data = arg_id("organisatie") or 0
    form.partner_id.choices = [(0, "Nu geen organisatie koppelen")] + services.partner_choices(
        include=[form.partner_id.data] if form.partner_id.data else None)
    return form


def _contact_data(form: ContactForm) -> services.ContactData:
    return services.ContactData(
        name=form.name.data, email=form.email.data, phone=form.phone.data, position=form.position.data,
        domains=form.domains.data, influence=form.influence.data, interest=form.interest.data,
        warmth=form.warmth.data, knowledge=form.knowledge.data, interests=form.interests.data,
        hook=form.hook.data, known_by=form.known_by.data,
        valuable={"ja": True, "nee": False}.get(form.valuable.data), evaluation=form.evaluation.data,
        notes=form.notes.data, theme=form.theme.data, phase=form.phase.data,
    )


@bp.route("/personen/nieuw", methods=["GET", "POST"])
@staff_only
def contact_new():
    form = _contact_form(None)
    if form.validate_on_submit():
        def save():
            contact = services.save_contact(None, _contact_data(form))
            if form.partner_id.data:
                services.add_affiliation(contact, form.partner_id.data, form.function.data)
            return contact

        response, _ = _save(form, save, "De persoon is opgeslagen.",
                            lambda c: url_for("crm.contact_detail", contact_id=c.id))
        if response:
            return response
    return render_form("crm/network/contact_form.html", form, contact=None, stale=None)


def _load_contact(contact_id: int) -> Contact:
    if not services.valid_id(contact_id):
        abort(404)
    contact = db.session.scalar(
        select(Contact).where(Contact.id == contact_id)
        .options(selectinload(Contact.affiliations).selectinload(Affiliation.partner))
    )
    if contact is None:
        abort(404)
    return contact


@bp.route("/personen/<int:contact_id>")
@staff_only
def contact_detail(contact_id: int):
    get_or_404(Contact, contact_id)
    record_event("view", "crm_contact", contact_id, commit=True)
    contact = _load_contact(contact_id)
    moments = db.session.scalars(interaction_query(contact_id=contact_id).limit(20)).all()
    return render_template("crm/network/contact_detail.html", contact=contact, moments=moments,
                           labels=labels())


@bp.route("/personen/<int:contact_id>/bewerken", methods=["GET", "POST"])
@staff_only
def contact_edit(contact_id: int):
    contact = _load_contact(contact_id)
    if contact.erased_at is not None:
        flash("Deze persoon is gewist; er valt niets meer te bewerken.", "warning")
        return redirect(url_for("crm.contact_detail", contact_id=contact_id))
    form = _contact_form(contact)
    del form.partner_id, form.function  # links are managed on the detail page
    stale = None
    if form.validate_on_submit():
        response, stale = _save(
            form, lambda: services.save_contact(contact, _contact_data(form), form.version.data),
            "De wijzigingen zijn opgeslagen.", lambda c: url_for("crm.contact_detail", contact_id=c.id),
        )
        if response:
            return response
        if stale is not None:
            form.version.data = db.session.get(Contact, contact_id).version
    return render_form("crm/network/contact_form.html", form, contact=contact, stale=stale)


@bp.route("/personen/<int:contact_id>/koppelingen", methods=["GET", "POST"])
@staff_only
def affiliation_add(contact_id: int):
    contact = _load_contact(contact_id)
    if contact.erased_at is not None:
        abort(404)
    form = AffiliationForm()
    if request.method == "GET":
        form.partner_id.data = arg_id("organisatie") or 0
    form.partner_id.choices = [(0, "Kies een organisatie")] + services.partner_choices(
        include=[form.partner_id.data] if form.partner_id.data else None)
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.add_affiliation(
            contact, form.partner_id.data, form.function.data, form.department.data,
            form.start_date.data, form.end_date.data,
        ))
        if ok:
            flash("De organisatie is gekoppeld.", "success")
            return redirect(url_for("crm.contact_detail", contact_id=contact_id))
    date_error_messages(form)
    return render_form("crm/network/affiliation_form.html", form, contact=contact)


@bp.route("/personen/<int:contact_id>/koppelingen/<int:affiliation_id>/verwijderen", methods=["POST"])
@staff_only
def affiliation_delete(contact_id: int, affiliation_id: int):
    link = get_or_404(Affiliation, affiliation_id)
    if link.contact_id != contact_id:
        abort(404)
    db.session.delete(link)
    db.session.commit()
    flash("De koppeling is verwijderd.", "success")
    return redirect(url_for("crm.contact_detail", contact_id=contact_id))
