"""Elevator pitch, kernboodschap with materials and key figures, and the evidence."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from crm.auth.services import current_account
from crm.db import db
from crm.permissions import staff_only
from crm.web import confirmed, file_response, nl_date, render_form, save_form
from lobby.forms import DeleteForm, EvidenceForm, MaterialForm, PitchForm
from lobby.models import Evidence, EvidenceImage, Material, PitchVersion
from lobby.models.evidence import EVIDENCE_KINDS
from lobby.services import evidence as services
from lobby.services import municipality as municipality_services
from lobby.views.blueprint import bp, confirm_page, get_or_404, version_of


# -- pitch --------------------------------------------------------------------------------
@bp.route("/pitch", methods=["GET", "POST"])
@staff_only
def pitches():
    form = PitchForm()
    form.municipality_id.choices = [(0, "Algemeen: voor alle gemeenten")] + [
        (m.id, m.name) for m in municipality_services.municipalities()
    ]
    if request.method == "GET":
        form.phase.data = PitchVersion.default_phase.value
        chosen = request.args.get("gemeente", type=int)
        if chosen and chosen in dict(form.municipality_id.choices):
            form.municipality_id.data = chosen
    if form.validate_on_submit():
        account = current_account()
        pitch, ok = save_form(form, lambda: services.add_pitch(
            form.title.data, form.text.data, account.id if account else None, form.make_current.data,
            municipality_id=form.municipality_id.data or None, phase=form.phase.data,
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
        current=services.current_pitches(),
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
    scope = f"pitch van {pitch.municipality.name}" if pitch.municipality else "algemene pitch"
    flash(f"‘{pitch.title}’ is nu de huidige {scope}.", "success")
    return redirect(url_for("lobby.pitches"))


@bp.route("/pitch/<int:pitch_id>/verwijderen", methods=["GET", "POST"])
@staff_only
def pitch_delete(pitch_id: int):
    pitch = get_or_404(PitchVersion, pitch_id)
    form = DeleteForm()
    back = url_for("lobby.pitch", pitch_id=pitch.id)
    if confirmed(form):
        title = pitch.title
        _, ok = save_form(form, lambda: services.delete_pitch(pitch))
        if ok:
            flash(f"De versie ‘{title}’ is verwijderd.", "success")
            return redirect(url_for("lobby.pitches"))
    return confirm_page(
        form,
        title=f"Pitch ‘{pitch.title}’ verwijderen?",
        intro=(
            f"Deze versie ({pitch.scope_label}, {nl_date(pitch.created_at)}) verdwijnt uit de lijst met "
            "versies. Gebruik dit voor een versie die per ongeluk is opgeslagen. De andere versies blijven."
        ),
        warning=_without_pitch(pitch) if pitch.current and not services.others_in_scope(pitch) else None,
        back=back,
        blocked=(
            "Dit is de huidige pitch en staat op de briefings. Maak eerst een andere versie de huidige; "
            "daarna kun je deze verwijderen."
        ) if pitch.current and services.others_in_scope(pitch) else None,
    )


def _without_pitch(pitch: PitchVersion) -> str:
    if pitch.municipality_id:
        return (f"Dit is de enige pitch voor {pitch.municipality.name}. Op de briefings voor deze "
                "gemeente staat daarna de algemene pitch.")
    return ("Dit is de enige algemene pitch. Briefings zonder eigen pitch van hun gemeente tonen "
            "daarna geen pitch.")


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
        pitch_of={m.id: services.pitch_for(m) for m in municipality_services.municipalities()},
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
        phase=form.phase.data,
    )


@bp.route("/bewijs/nieuw", methods=["GET", "POST"])
@staff_only
def evidence_new():
    form = EvidenceForm()
    if request.method == "GET":
        form.phase.data = Evidence.default_phase.value
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
        used_on=services.evidence_usage(evidence),
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


def usage_links(meetings) -> list[tuple[str, str]]:
    """(‘<title> (3 december 2026)’, brief URL) for each meeting whose brief shows the evidence."""
    return [
        (f"{m.title} ({nl_date(m.held_on)})", url_for("lobby.brief", meeting_id=m.id)) for m in meetings
    ]


def usage_sentence(meetings) -> str:
    n = len(meetings)
    return f"Dit bewijs staat op de briefing van {n} {'gesprek' if n == 1 else 'gesprekken'}:"


@bp.route("/bewijs/<int:evidence_id>/verwijderen", methods=["GET", "POST"])
@staff_only
def evidence_delete(evidence_id: int):
    evidence = get_or_404(Evidence, evidence_id)
    form = DeleteForm()
    back = url_for("lobby.evidence_edit", evidence_id=evidence.id)
    if confirmed(form):
        title = evidence.title
        _, ok = save_form(form, lambda: services.delete_evidence(evidence))
        if ok:
            flash(f"Het bewijs ‘{title}’ is verwijderd.", "success")
            return redirect(url_for("lobby.evidence_list"))
    used_on = services.evidence_usage(evidence)
    intro = (
        f"‘{evidence.title}’ ({evidence.kind_label.lower()}, {nl_date(evidence.occurred_on)}) verdwijnt uit "
        "de bewijslast."
    )
    if used_on:
        intro += (
            " Het verdwijnt ook van de briefings hieronder. Staat er op een briefing daarna geen gekozen "
            "bewijs meer, dan toont die de drie nieuwste. Bij een gesprek dat al geweest is, weet je dan "
            "niet meer wat je hebt laten zien."
        )
    return confirm_page(
        form,
        title=f"Bewijs ‘{evidence.title}’ verwijderen?",
        intro=intro,
        back=back,
        links=usage_links(used_on),
        links_intro=usage_sentence(used_on) if used_on else "",
    )
