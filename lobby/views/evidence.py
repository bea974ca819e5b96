"""Elevator pitch, kernboodschap with materials and key figures, and the evidence."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from crm.auth.services import current_account
from crm.db import db
from crm.permissions import staff_only
from crm.web import file_response, render_form, save_form
from lobby.forms import EvidenceForm, MaterialForm, PitchForm
from lobby.models import Evidence, EvidenceImage, Material, PitchVersion
from lobby.models.evidence import EVIDENCE_KINDS
from lobby.services import evidence as services
from lobby.services import municipality as municipality_services
from lobby.views.blueprint import bp, get_or_404, version_of


# -- pitch --------------------------------------------------------------------------------
@bp.route("/pitch", methods=["GET", "POST"])
@staff_only
def pitches():
    form = PitchForm()
    if form.validate_on_submit():
        account = current_account()
        pitch, ok = save_form(form, lambda: services.add_pitch(
            form.title.data, form.text.data, account.id if account else None, form.make_current.data
        ))
        if ok:
            flash("De nieuwe versie van de pitch is opgeslagen.", "success")
            warning = services.pitch_warning(pitch.text)
            if warning:
                flash(warning, "warning")
            return redirect(url_for("lobby.pitch", pitch_id=pitch.id))
    warning = services.pitch_warning(form.text.data or "") if request.method == "POST" else None
    return render_form(
        "lobby/pitches.html",
        form,
        pitches=services.pitches(),
        current=services.current_pitch(),
        warning=warning,
    )


@bp.route("/pitch/<int:pitch_id>")
@staff_only
def pitch(pitch_id: int):
    pitch = get_or_404(PitchVersion, pitch_id)
    return render_template("lobby/pitch.html", pitch=pitch, warning=services.pitch_warning(pitch.text))


@bp.route("/pitch/<int:pitch_id>/huidig", methods=["POST"])
@staff_only
def pitch_current(pitch_id: int):
    pitch = get_or_404(PitchVersion, pitch_id)
    services.make_pitch_current(pitch)
    db.session.commit()
    flash(f"‘{pitch.title}’ is nu de huidige pitch.", "success")
    return redirect(url_for("lobby.pitches"))


# -- kernboodschap, materials and key figures ------------------------------------------------
@bp.route("/kernboodschap", methods=["GET", "POST"])
@staff_only
def materials():
    form = MaterialForm()
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.add_material(
            form.kind.data, form.title.data, form.url.data, form.note.data, _read_upload(form.file.data)
        ))
        if ok:
            flash("Het middel is toegevoegd.", "success")
            return redirect(url_for("lobby.materials"))
    return render_form(
        "lobby/materials.html",
        form,
        materials=services.materials(),
        municipalities=municipality_services.municipalities(),
        pitch=services.current_pitch(),
        max_mb=services.max_upload_bytes() // (1024 * 1024),
    )


@bp.route("/middelen/<int:material_id>/bestand")
@staff_only
def material_file(material_id: int):
    material = get_or_404(Material, material_id)
    if not material.file_name:
        return redirect(url_for("lobby.materials"))
    return file_response(material.file_data, material.file_type, material.file_name)


@bp.route("/middelen/<int:material_id>/verwijderen", methods=["POST"])
@staff_only
def material_delete(material_id: int):
    services.delete_material(get_or_404(Material, material_id))
    db.session.commit()
    flash("Het middel is verwijderd.", "success")
    return redirect(url_for("lobby.materials"))


# -- evidence -------------------------------------------------------------------------------
@bp.route("/bewijs")
@staff_only
def evidence_list():
    query = request.args.get("q", "")[:200]
    kind = request.args.get("soort", "")
    permission_only = request.args.get("toestemming") == "1"
    items = services.search_evidence(query, kind, permission_only)
    return render_template(
        "lobby/evidence_list.html",
        items=items,
        query=query,
        kind=kind,
        permission_only=permission_only,
        kinds=EVIDENCE_KINDS,
    )


def _read_upload(file) -> bytes | None:
    if file is None or not getattr(file, "filename", ""):
        return None
    limit = services.max_upload_bytes()
    return file.stream.read(limit + 1)  # one byte over the limit is enough to refuse it


def _upload(form: EvidenceForm) -> bytes | None:
    return _read_upload(form.image.data)


def _evidence_data(form: EvidenceForm) -> services.EvidenceData:
    return services.EvidenceData(
        kind=form.kind.data,
        title=form.title.data,
        text=form.text.data,
        occurred_on=form.occurred_on.data,
        source=form.source.data,
        permission=form.permission.data,
        permission_note=form.permission_note.data,
    )


@bp.route("/bewijs/nieuw", methods=["GET", "POST"])
@staff_only
def evidence_new():
    form = EvidenceForm()
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.create_evidence(_evidence_data(form), _upload(form)))
        if ok:
            flash("Het bewijs is opgeslagen.", "success")
            return redirect(url_for("lobby.evidence_list"))
    return render_form(
        "lobby/evidence_form.html", form, evidence=None, max_mb=services.max_upload_bytes() // (1024 * 1024)
    )


@bp.route("/bewijs/<int:evidence_id>", methods=["GET", "POST"])
@staff_only
def evidence_edit(evidence_id: int):
    evidence = get_or_404(Evidence, evidence_id)
    form = EvidenceForm(obj=evidence if request.method == "GET" else None)
    if request.method == "GET":
        version_of(form, evidence)
    if form.validate_on_submit():
        _, ok = save_form(form, lambda: services.update_evidence(
            evidence, form.version.data, _evidence_data(form), _upload(form), form.remove_image.data
        ))
        if ok:
            flash("Het bewijs is opgeslagen.", "success")
            return redirect(url_for("lobby.evidence_list"))
    return render_form(
        "lobby/evidence_form.html",
        form,
        evidence=evidence,
        max_mb=services.max_upload_bytes() // (1024 * 1024),
    )


@bp.route("/bewijs/<int:evidence_id>/foto")
@staff_only
def evidence_image(evidence_id: int):
    image = db.session.query(EvidenceImage).filter_by(evidence_id=evidence_id).one_or_none()
    if image is None:
        get_or_404(Evidence, evidence_id)  # 404 for an unknown record
        return redirect(url_for("lobby.evidence_edit", evidence_id=evidence_id))
    return file_response(image.data, image.content_type, image.filename,
                         inline=not request.args.get("download"))


@bp.route("/bewijs/<int:evidence_id>/verwijderen", methods=["POST"])
@staff_only
def evidence_delete(evidence_id: int):
    services.delete_evidence(get_or_404(Evidence, evidence_id))
    db.session.commit()
    flash("Het bewijs is verwijderd.", "success")
    return redirect(url_for("lobby.evidence_list"))
