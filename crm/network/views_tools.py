"""Woordweb, krachtenveld, import, export and the AVG page of a person."""

from __future__ import annotations

import json

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from crm.admin.services import choices
from crm.audit import record_event
from crm.blueprint import bp
from crm.charts import cached_svg, svg_response
from crm.db import db
from crm.network import import_files, maps, moments, parking, privacy, services, transfer
from crm.network.forms import ConfirmImportForm, EraseForm, ImportForm
from crm.network.models import QUADRANTS, Contact
from crm.network.views import _contact_filters, _load_contact, _partner_filters, actor_id, get_or_404, labels
from crm.network.views_moments import _interaction_filters
from crm.permissions import staff_only
from crm.web import add_form_error, render_form

FORMATS = ("csv", "xlsx")


def _lists() -> dict:
    return {key: choices(key, include_inactive=True)
            for key in ("partner_kinds", "contact_positions", "policy_domains", "interaction_kinds")}


# -- woordweb -------------------------------------------------------------------------------------
@bp.route("/woordweb")
@staff_only
def partner_map():
    show_ended = request.args.get("beeindigd") == "1"
    groups = maps.map_groups(maps.map_rows(show_ended), labels()["kinds"])
    return render_template("crm/network/partner_map.html", groups=groups, show_ended=show_ended,
                           labels=labels(), too_many=sum(len(v) for v in groups["external"].values())
                           + len(groups["internal"]) > maps.MAX_NODES)


@bp.route("/woordweb.svg")
@staff_only
def partner_map_svg():
    show_ended = request.args.get("beeindigd") == "1"
    groups = maps.map_groups(maps.map_rows(show_ended), labels()["kinds"])
    return svg_response(cached_svg(("woordweb", repr(groups)), lambda: maps.draw_map(groups)))


# -- krachtenveld -------------------------------------------------------------------------------
@bp.route("/krachtenveld")
@staff_only
def power_grid():
    municipal = request.args.get("wie", "gemeente") == "gemeente"
    rows = maps.grid_rows(municipal)
    by_quadrant = {key: [r for r in rows if r["quadrant"] == key] for key in QUADRANTS}
    return render_template("crm/network/power_grid.html", rows=rows, municipal=municipal,
                           by_quadrant=by_quadrant, quadrants=QUADRANTS, labels=labels())


@bp.route("/krachtenveld.svg")
@staff_only
def power_grid_svg():
    municipal = request.args.get("wie", "gemeente") == "gemeente"
    rows = maps.grid_rows(municipal)
    key = tuple((r["name"], r["influence"], r["interest"]) for r in rows)
    return svg_response(cached_svg(("krachtenveld", key), lambda: maps.draw_grid(rows)))


# -- export -------------------------------------------------------------------------------------
def _format() -> str:
    fmt = request.args.get("formaat", "csv")
    if fmt not in FORMATS:
        abort(404)
    return fmt


# pandas loads with the first export, not at boot: crm.exports and tables import it.
@bp.route("/partners/export")
@staff_only
def partners_export():
    from crm.exports import send_frame
    from crm.network import tables

    fmt = _format()
    frame = tables.partners_frame(services.partner_query(**_partner_filters()), _lists())
    record_event("export", "crm_partner", fields=[f"{len(frame)} rijen"], commit=True)
    return send_frame(frame, "partners", fmt)


@bp.route("/personen/export")
@staff_only
def contacts_export():
    from crm.exports import send_frame
    from crm.network import tables

    fmt = _format()
    stmt = services.contact_query(**_contact_filters()).where(Contact.erased_at.is_(None))
    frame = tables.contacts_frame(stmt, _lists())
    record_event("export", "crm_contact", fields=[f"{len(frame)} rijen"], commit=True)
    return send_frame(frame, "personen", fmt)


@bp.route("/contactmomenten/export")
@staff_only
def interactions_export():
    from crm.exports import send_frame
    from crm.network import tables

    fmt = _format()
    frame = tables.interactions_frame(moments.interaction_query(**_interaction_filters()), _lists())
    record_event("export", "crm_interaction", fields=[f"{len(frame)} rijen"], commit=True)
    return send_frame(frame, "contactmomenten", fmt)


# -- import -------------------------------------------------------------------------------------
@bp.route("/import", methods=["GET", "POST"])
@staff_only
def network_import():
    form = ImportForm()
    preview = token = None
    if request.method == "POST":
        try:
            upload = request.files.get("file")
        except RequestEntityTooLarge:
            upload = None
            add_form_error(form, "file", "Het bestand is te groot. Kies een bestand van hoogstens "
                           f"{current_app.config['CRM_MAX_UPLOAD_MB']} MB.")
        if form.validate_on_submit() and not form.file.errors:
            if upload is None or not upload.filename:
                add_form_error(form, "file", "Kies een bestand (CSV of Excel).")
            else:
                max_bytes = int(current_app.config.get("CRM_MAX_UPLOAD_MB", 5)) * 1024 * 1024
                data = upload.stream.read(max_bytes + 1)
                try:
                    table = import_files.read_table(data, upload.filename, max_bytes)
                except import_files.ImportFileError as exc:
                    add_form_error(form, "file", str(exc))
                else:
                    preview = transfer.check(form.kind.data, table, _lists())
                    if preview.ok:
                        token = parking.park(parking.parked_folder(), form.kind.data, table, actor_id())
    confirm = ConfirmImportForm(token=token, kind=form.kind.data) if token else None
    status = 422 if form.errors or (preview is not None and not preview.ok) else 200
    return render_template("crm/network/import.html", form=form, preview=preview, confirm=confirm,
                           max_mb=current_app.config.get("CRM_MAX_UPLOAD_MB", 5),
                           park_hours=int(parking.PARK_LIFETIME.total_seconds() // 3600)), status


@bp.route("/import/bevestigen", methods=["POST"])
@staff_only
def network_import_confirm():
    form = ConfirmImportForm()
    # The parked file is claimed: a second click, or a second tab, finds nothing. If saving
    # fails, it is put back so the person can confirm again.
    with parking.claimed(parking.parked_folder(), form.token.data, actor_id()) as parked:
        if parked is None:
            flash("Deze import is verlopen of al gedaan. Kies het bestand opnieuw.", "error")
            return redirect(url_for("crm.network_import"))
        kind, table = parked
        preview = transfer.check(kind, table, _lists())
        if not preview.ok:
            flash("Er is intussen iets veranderd waardoor niet alle rijen meer kloppen. Er is niets "
                  "opgeslagen; kies het bestand opnieuw.", "error")
            return redirect(url_for("crm.network_import"))
        actions = {row.number: request.form.get(f"actie-{row.number}", "samenvoegen")
                   for row in preview.duplicates}
        created, merged = transfer.apply(preview, actions, actor_id())
        db.session.commit()
    what = "organisaties" if kind == "organisaties" else "personen"
    flash(f"Import klaar: {created} {what} toegevoegd, {merged} samengevoegd met wat er al stond.", "success")
    return redirect(url_for("crm.partners" if kind == "organisaties" else "crm.contacts"))


@bp.route("/import/annuleren", methods=["POST"])
@staff_only
def network_import_cancel():
    form = ConfirmImportForm()
    if form.validate_on_submit():
        parking.discard(parking.parked_folder(), form.token.data, actor_id(), check_user=True)
    flash("De import is geannuleerd. Er is niets opgeslagen.", "success")
    return redirect(url_for("crm.network_import"))


@bp.route("/import/sjabloon")
@staff_only
def network_import_template():
    from crm.exports import send_frame

    kind = request.args.get("soort", "organisaties")
    if kind not in transfer.COLUMNS:
        abort(404)
    return send_frame(transfer.template_frame(kind), f"sjabloon-{kind}", _format())


# -- AVG ------------------------------------------------------------------------------------------
@bp.route("/personen/<int:contact_id>/avg")
@staff_only
def contact_privacy(contact_id: int):
    get_or_404(Contact, contact_id)
    record_event("view", "crm_contact", contact_id, commit=True)
    contact = _load_contact(contact_id)
    return _privacy_page(contact, EraseForm())


def _privacy_page(contact: Contact, form: EraseForm):
    found = privacy.find_mentions(contact)
    return render_form("crm/network/privacy.html", form, contact=contact,
                       report=privacy.person_report(contact, found), named=privacy.link_list(found.others),
                       review=privacy.review_list(found), review_cut=found.possible_cut)


@bp.route("/personen/<int:contact_id>/avg.json")
@staff_only
def contact_privacy_json(contact_id: int):
    get_or_404(Contact, contact_id)
    record_event("export", "crm_contact", contact_id, fields=["json"], commit=True)
    report = privacy.person_report(_load_contact(contact_id))
    response = Response(json.dumps(report, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="persoon-{contact_id}.json"'
    return response


@bp.route("/personen/<int:contact_id>/avg/afdruk")
@staff_only
def contact_privacy_print(contact_id: int):
    get_or_404(Contact, contact_id)
    record_event("export", "crm_contact", contact_id, fields=["html"], commit=True)
    contact = _load_contact(contact_id)
    return render_template("crm/network/privacy_print.html", contact=contact,
                           report=privacy.person_report(contact))


@bp.route("/personen/<int:contact_id>/wissen", methods=["POST"])
@staff_only
def contact_erase(contact_id: int):
    contact = _load_contact(contact_id)
    form = EraseForm()
    if contact.erased_at is not None:
        flash("Deze persoon is al gewist.", "warning")
        return redirect(url_for("crm.contact_detail", contact_id=contact_id))
    if form.validate_on_submit():
        if " ".join((form.confirm_name.data or "").split()).lower() != " ".join(contact.name.split()).lower():
            add_form_error(form, "confirm_name",
                           "De naam klopt niet. Typ de naam precies zoals hij hierboven staat.")
        else:
            result = privacy.erase(contact)
            db.session.commit()
            # A page, not a flash: after the erasure nothing else leads to the records to
            # check, and their titles may name other people (a flash sits in the cookie).
            return render_template("crm/network/privacy_erased.html", contact=contact, result=result)
    return _privacy_page(contact, form)
