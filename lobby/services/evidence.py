"""The elevator pitch, the supporting materials and the evidence with its photos."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, or_, select, update

from crm.db import db
from crm.errors import refuse_twin
from crm.web import local_today
from lobby.models import Evidence, EvidenceImage, Material, Meeting, Municipality, PitchVersion
from lobby.models.evidence import EVIDENCE_KIND_LABELS, MATERIAL_KINDS, WORDS_PER_MINUTE
from lobby.models.plans import meeting_evidence
from lobby.services.common import LobbyError, check_phase, check_version, clean, clean_line

#: Above this many seconds of speech a pitch is "far over one minute".
PITCH_WARN_SECONDS = 90

#: Image formats accepted for evidence photos, as Pillow names them → (content type, extension).
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}


# -- pitch ---------------------------------------------------------------------------
def speaking_time(text: str) -> tuple[int, int]:
    """(word count, seconds at about 130 words a minute)."""
    words = len(text.split())
    return words, round(words * 60 / WORDS_PER_MINUTE)


def pitch_warning(text: str) -> str | None:
    words, seconds = speaking_time(text)
    if seconds > PITCH_WARN_SECONDS:
        minutes = f"{seconds / 60:.1f}".replace(".", ",")
        return (
            f"Deze pitch heeft {words} woorden: dat is ongeveer {minutes} minuten spreken, "
            "ver boven de ene minuut van een elevator pitch. Maak hem korter."
        )
    return None


def pitches() -> list[PitchVersion]:
    return list(
        db.session.scalars(
            select(PitchVersion).order_by(PitchVersion.created_at.desc(), PitchVersion.id.desc())
        )
    )


def _same_scope(municipality_id: int | None):
    """The pitch versions for the same municipality (or the general ones)."""
    if municipality_id is None:
        return PitchVersion.municipality_id.is_(None)
    return PitchVersion.municipality_id == municipality_id


def current_pitch(municipality: Municipality | int | None = None) -> PitchVersion | None:
    """The current general pitch, or with ``municipality`` the current pitch of exactly that
    municipality (no fallback: see ``pitch_for``)."""
    municipality_id = municipality.id if isinstance(municipality, Municipality) else municipality
    return db.session.scalar(
        select(PitchVersion)
        .where(PitchVersion.current.is_(True), _same_scope(municipality_id))
        .order_by(PitchVersion.id.desc())
    )


def pitch_for(municipality: Municipality) -> PitchVersion | None:
    """The pitch for a brief with this municipality: its own current pitch, else the general one;
    never the pitch of another municipality (it would name the wrong town and figures)."""
    return current_pitch(municipality) or current_pitch(None)


def current_pitches() -> list[PitchVersion]:
    """Every current pitch: the general one first, then one per municipality by name."""
    rows = list(db.session.scalars(select(PitchVersion).where(PitchVersion.current.is_(True))))
    return sorted(rows, key=lambda p: (p.municipality is not None, p.scope_label.lower()))


def add_pitch(
    title: str,
    text: str,
    author_id: int | None,
    make_current: bool,
    municipality_id: int | None = None,
    phase: str | None = None,
) -> PitchVersion:
    if not clean(text):
        raise LobbyError("Schrijf de tekst van de pitch.", "text")
    if municipality_id and db.session.get(Municipality, municipality_id) is None:
        raise LobbyError("Kies een gemeente uit de lijst.", "municipality_id")
    phase = check_phase(phase)
    pitch = PitchVersion(
        title=clean_line(title) or "Elevator pitch",
        text=clean(text),
        author_id=author_id,
        municipality_id=municipality_id or None,
    )
    if phase:
        pitch.phase = phase
    db.session.add(pitch)
    db.session.flush()
    if make_current or current_pitch(pitch.municipality_id) is None:
        make_pitch_current(pitch)
    return pitch


def make_pitch_current(pitch: PitchVersion) -> None:
    """The one current version for its municipality (or the one general current version)."""
    db.session.execute(
        update(PitchVersion)
        .where(PitchVersion.id != pitch.id, _same_scope(pitch.municipality_id))
        .values(current=False)
    )
    pitch.current = True
    db.session.flush()


def others_in_scope(pitch: PitchVersion) -> int:
    """How many other versions there are for the same municipality (or general ones)."""
    return db.session.scalar(select(func.count(PitchVersion.id)).where(
        PitchVersion.id != pitch.id, _same_scope(pitch.municipality_id)))


def delete_pitch(pitch: PitchVersion) -> None:
    """Remove a version entered by mistake. A current version with others beside it stays (make
    another one current first), so a brief never swaps pitches without anyone choosing which;
    the only version of a municipality can go: its briefs then show the general pitch."""
    if pitch.current and others_in_scope(pitch):
        raise LobbyError(
            "Dit is de huidige pitch. Maak eerst een andere versie de huidige; daarna kun je deze "
            "verwijderen."
        )
    db.session.delete(pitch)
    db.session.flush()


# -- materials -------------------------------------------------------------------------
def materials() -> list[Material]:
    return list(db.session.scalars(select(Material).order_by(Material.kind, Material.title)))


#: Office formats accepted for materials: a zip whose parts name the application.
OFFICE_FORMATS = {
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
}


def check_material_file(data: bytes) -> tuple[str, str, bytes]:
    """(content type, extension, what to store) of a PDF, an image, or a PowerPoint/Word file,
    judged by content; an image is stored without its metadata (``without_metadata``)."""
    limit = max_upload_bytes()
    if len(data) > limit:  # only limit + 1 bytes were read: the real size is not known here
        raise LobbyError(
            f"Het bestand is groter dan {limit // (1024 * 1024)} MB. Kies een kleiner bestand.", "file"
        )
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf", data
    if data.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            names = []
        if "[Content_Types].xml" in names:
            for prefix, result in OFFICE_FORMATS.items():
                if any(name.startswith(prefix) for name in names):
                    return (*result, data)
    try:
        image = check_image(data)
    except LobbyError:
        raise LobbyError(
            "Dit soort bestand kan niet. Kies een pdf, een PowerPoint- of Word-bestand "
            "(pptx, docx) of een afbeelding.",
            "file",
        ) from None
    return image.content_type, image.extension, image.data


def add_material(
    kind: str, title: str, url: str | None, note: str | None, file_data: bytes | None = None
) -> Material:
    if kind not in dict(MATERIAL_KINDS):
        raise LobbyError("Kies wat voor middel het is.", "kind")
    if not clean_line(title):
        raise LobbyError("Vul de naam van het middel in.", "title")
    url = clean_line(url)
    if url and not (url.startswith("https://") or url.startswith("http://")):
        raise LobbyError("Een link begint met https:// of http://.", "url")
    material = Material(kind=kind, title=clean_line(title), url=url, note=clean(note))
    if file_data is not None:
        content_type, extension, stored = check_material_file(file_data)
        material.file_type, material.file_size, material.file_data = content_type, len(stored), stored
    db.session.add(material)
    db.session.flush()
    if file_data is not None:
        material.file_name = f"middel-{material.id}.{extension}"
        db.session.flush()
    return material


def delete_material(material: Material) -> None:
    db.session.delete(material)
    db.session.flush()


# -- evidence ---------------------------------------------------------------------------
@dataclass
class EvidenceData:
    kind: str
    title: str
    text: str | None
    occurred_on: date | None
    source: str | None
    permission: bool
    permission_note: str | None = None
    phase: str | None = None


@dataclass
class CheckedImage:
    content_type: str
    extension: str
    width: int
    height: int
    data: bytes


def max_upload_bytes() -> int:
    return int(float(current_app.config.get("CRM_MAX_UPLOAD_MB", 5)) * 1024 * 1024)


def check_image(data: bytes) -> CheckedImage:
    """Accept only real images (by content, not name or header) up to the size limit."""
    limit = max_upload_bytes()
    if len(data) > limit:  # only limit + 1 bytes were read: the real size is not known here
        raise LobbyError(
            f"De foto is groter dan {limit // (1024 * 1024)} MB. Kies een kleinere foto.", "image"
        )
    if not data:
        raise LobbyError("Het bestand is leeg. Kies een foto.", "image")
    not_a_photo = LobbyError("Dit bestand is geen foto. Kies een JPG-, PNG-, GIF- of WebP-bestand.", "image")
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_a_photo from None
    if fmt not in IMAGE_FORMATS:
        raise LobbyError("Dit soort afbeelding kan niet. Kies een JPG-, PNG-, GIF- of WebP-bestand.", "image")
    try:
        data, width, height = without_metadata(data, fmt)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_a_photo from None
    content_type, extension = IMAGE_FORMATS[fmt]
    return CheckedImage(content_type, extension, width, height, data)


def without_metadata(data: bytes, fmt: str) -> tuple[bytes, int, int]:
    """The photo saved again with only its pixels: no GPS position, camera, maker or other
    EXIF/text data travels along to the brief. A photo taken sideways is turned upright
    first (its EXIF said how), since that note is dropped too. Returns (data, width, height)."""
    with Image.open(io.BytesIO(data)) as img:
        frames = getattr(img, "n_frames", 1)
        out = io.BytesIO()
        if fmt == "GIF" and frames > 1:  # an animation keeps its frames, not its comments
            loop, duration = img.info.get("loop", 0), img.info.get("duration", 100)
            img.info.clear()  # a GIF comment is written back from here
            img.save(out, "GIF", save_all=True, loop=loop, duration=duration, comment=b"")
            return out.getvalue(), img.width, img.height
        upright = ImageOps.exif_transpose(img)
        # Only the pixels go along: Pillow writes a JPEG or GIF comment (and more) back from
        # ``info``. The colour profile is no personal data and keeps the colours right.
        icc = upright.info.get("icc_profile")
        upright.info.clear()
        if icc:
            upright.info["icc_profile"] = icc
        if fmt == "JPEG":
            upright.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
        elif fmt == "WEBP":
            upright.save(out, "WEBP", quality=90)
        else:  # PNG, a still GIF: lossless, without text chunks
            upright.save(out, fmt)
        return out.getvalue(), upright.width, upright.height


def _apply_evidence(evidence: Evidence, data: EvidenceData) -> None:
    if data.kind not in EVIDENCE_KIND_LABELS:
        raise LobbyError("Kies wat voor bewijs het is.", "kind")
    if not clean_line(data.title):
        raise LobbyError("Vul een korte titel in.", "title")
    if data.occurred_on is None:
        raise LobbyError("Vul de datum in, zoals 3-12-2026.", "occurred_on")
    if data.occurred_on > local_today():
        # A success story has happened: a date ahead is a typing error (2031 for 2021).
        raise LobbyError(
            "Deze datum ligt in de toekomst. Bewijs gaat over iets dat al gebeurd is: kies een datum "
            "tot en met vandaag.",
            "occurred_on",
        )
    if not clean_line(data.source):
        raise LobbyError("Vul de bron in: van wie of waar komt dit?", "source")
    phase = check_phase(data.phase)
    evidence.kind = data.kind
    evidence.title = clean_line(data.title)
    evidence.text = clean(data.text)
    evidence.occurred_on = data.occurred_on
    evidence.source = clean_line(data.source)
    evidence.permission = bool(data.permission)
    evidence.permission_note = clean_line(data.permission_note)
    if phase:
        evidence.phase = phase


def _attach(evidence: Evidence, image: CheckedImage | None) -> None:
    if image is None:
        return
    stored = evidence.image or EvidenceImage()
    stored.content_type = image.content_type
    stored.filename = f"bewijs-{evidence.id}.{image.extension}"
    stored.size, stored.width, stored.height, stored.data = (
        len(image.data),
        image.width,
        image.height,
        image.data,
    )
    evidence.image = stored


def create_evidence(data: EvidenceData, image_bytes: bytes | None = None) -> Evidence:
    image = check_image(image_bytes) if image_bytes is not None else None
    if data.kind == "foto" and image is None:
        raise LobbyError("Kies een foto om te uploaden.", "image")
    refuse_twin(Evidence, None, {"kind": data.kind, "title": clean_line(data.title), "text": clean(data.text),
                                 "occurred_on": data.occurred_on})  # sent twice: the first stands
    evidence = Evidence()
    _apply_evidence(evidence, data)
    db.session.add(evidence)
    db.session.flush()
    _attach(evidence, image)
    db.session.flush()
    return evidence


def update_evidence(
    evidence: Evidence,
    version,
    data: EvidenceData,
    image_bytes: bytes | None = None,
    remove_image: bool = False,
) -> None:
    check_version(evidence, version)
    image = check_image(image_bytes) if image_bytes is not None else None
    _apply_evidence(evidence, data)
    if remove_image and image is None:
        evidence.image = None
    _attach(evidence, image)
    if evidence.kind == "foto" and evidence.image is None:
        raise LobbyError("Bij een foto hoort een afbeelding. Kies een foto om te uploaden.", "image")
    db.session.flush()


def search_evidence(
    query: str | None = None, kind: str | None = None, permission_only: bool = False
) -> list[Evidence]:
    stmt = select(Evidence).order_by(Evidence.occurred_on.desc(), Evidence.id.desc())
    query = clean(query)
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Evidence.title).like(like),
                func.lower(Evidence.text).like(like),
                func.lower(Evidence.source).like(like),
            )
        )
    if kind in EVIDENCE_KIND_LABELS:
        stmt = stmt.where(Evidence.kind == kind)
    if permission_only:
        stmt = stmt.where(Evidence.permission.is_(True))
    return list(db.session.scalars(stmt))


def recent_evidence(limit: int = 3, until: date | None = None) -> list[Evidence]:
    """The newest evidence we may share outside (permission given), up to ``until``: what a
    brief shows when nothing was picked for the meeting."""
    stmt = select(Evidence).where(Evidence.permission.is_(True))
    if until is not None:
        stmt = stmt.where(Evidence.occurred_on <= until)
    return list(db.session.scalars(
        stmt.order_by(Evidence.occurred_on.desc(), Evidence.id.desc()).limit(limit)
    ))


def evidence_usage(evidence: Evidence) -> list[Meeting]:
    """The meetings whose brief shows this evidence (picked for it), newest first."""
    return list(db.session.scalars(
        select(Meeting)
        .join(meeting_evidence, meeting_evidence.c.meeting_id == Meeting.id)
        .where(meeting_evidence.c.evidence_id == evidence.id)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
    ))


def delete_evidence(evidence: Evidence) -> None:
    """Remove the evidence; it leaves the briefs it was picked for (the confirmation page names
    them, see ``evidence_usage``)."""
    db.session.delete(evidence)
    db.session.flush()
