"""Lobby services used directly: speaking time, image checks, figures, people, agreements, mail."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from crm.errors import StaleRecord
from crm.guide import Phase, Theme
from crm.network.models import Affiliation, Contact, Interaction, Partner
from crm.registry import Figures
from lobby.models import Meeting, MeetingAgreement, Municipality
from lobby.services import brief, evidence, meetings, municipality
from lobby.services.common import LobbyError, check_version
from tests.fixtures.users import make_user
from tests.fixtures.world_lobby import png_bytes


def test_speaking_time_at_130_words_a_minute():
    assert evidence.speaking_time("woord " * 130) == (130, 60)
    assert evidence.pitch_warning("woord " * 130) is None
    warning = evidence.pitch_warning("woord " * 2000)
    assert "2000 woorden" in warning and "15,4 minuten" in warning


def test_check_image_by_content(app_ctx):
    checked = evidence.check_image(png_bytes((20, 10)))
    assert (checked.content_type, checked.width, checked.height) == ("image/png", 20, 10)
    with pytest.raises(LobbyError, match="geen foto"):
        evidence.check_image(b"GIF89a but not really an image")
    with pytest.raises(LobbyError, match="geen foto"):
        evidence.check_image(png_bytes()[:40])  # truncated
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="BMP")
    with pytest.raises(LobbyError, match="Dit soort afbeelding kan niet"):
        evidence.check_image(buffer.getvalue())


def test_a_photo_loses_its_gps_position_camera_and_maker(app_ctx):
    """Evidence photos go on the printed brief: what the phone wrote into them stays behind."""
    exif = Image.Exif()
    exif[0x013B] = "Anna de Fotograaf"  # Artist
    exif[0x0110] = "Telefoon X"  # Model
    exif[0x0112] = 6  # Orientation: taken sideways
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (4.0, 17.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "orange").save(buffer, format="JPEG", exif=exif)
    assert b"Anna de Fotograaf" in buffer.getvalue()
    checked = evidence.check_image(buffer.getvalue())
    assert b"Anna de Fotograaf" not in checked.data and b"Telefoon X" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert not stored.getexif() and stored.format == "JPEG"
        assert stored.size == (20, 40) == (checked.width, checked.height)  # turned upright
    png = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Anna de Fotograaf")
    Image.new("RGB", (8, 8)).save(png, format="PNG", pnginfo=info)
    assert b"Anna de Fotograaf" not in evidence.check_image(png.getvalue()).data
    # comments in a JPEG and in a still or moving GIF go too
    commented = io.BytesIO()
    Image.new("RGB", (8, 8)).save(commented, format="JPEG", comment=b"Anna de Fotograaf")
    assert b"Anna de Fotograaf" not in evidence.check_image(commented.getvalue()).data
    frames = [Image.new("P", (8, 8), i) for i in range(3)]
    for moving in (False, True):
        gif = io.BytesIO()
        frames[0].save(gif, format="GIF", save_all=moving, append_images=frames[1:] if moving else [],
                       comment=b"Anna de Fotograaf")
        assert b"Anna de Fotograaf" in gif.getvalue()
        assert b"Anna de Fotograaf" not in evidence.check_image(gif.getvalue()).data


def test_check_version():
    class Record:
        version = 3

    check_version(Record(), "3")
    for stale in ("2", "", None, "x"):
        with pytest.raises(StaleRecord):
            check_version(Record(), stale)


def test_months_back_and_referral_figures(app_ctx):
    assert brief.months_back(date(2026, 11, 25)) == date(2025, 12, 1)
    assert brief.months_back(date(2026, 1, 5), 1) == date(2026, 1, 1)
    registry = app_ctx.extensions["crm"].registry
    source = registry.figures.pop("referrals", None)
    assert brief.referral_figures(date(2026, 11, 25)) is None
    calls = []

    def monthly(start, months):
        calls.append((start, months))
        return {(2026, 1): 4, (2026, 11): 2}

    registry.add_figures(Figures("referrals", "Verwijzingen", monthly))
    try:
        label, counts = brief.referral_figures(date(2026, 11, 25))
    finally:
        registry.figures.pop("referrals")
        if source is not None:
            registry.add_figures(source)
    assert calls == [(date(2025, 12, 1), 12)]
    assert label == "Verwijzingen" and len(counts) == 12
    assert [(c.year, c.month, c.count) for c in counts if c.count] == [(2026, 1, 4), (2026, 11, 2)]


def _municipality(db):
    m = municipality.create_municipality(None, "Gemeente Test", library_role="expert")
    db.session.flush()
    return m


def test_create_municipality_rules(db):
    m = _municipality(db)
    assert m.partner.kind == "gemeente" and m.theme == Theme.PROFILING.value
    # The name of a municipality that has a profile already: say so (review 1, finding 14).
    with pytest.raises(LobbyError, match="Gemeente Test heeft al een profiel"):
        municipality.create_municipality(None, "gemeente test")
    with pytest.raises(LobbyError, match="al een profiel"):
        municipality.create_municipality(m.partner_id, None)
    other = Partner(name="Kinderopvang X", kind="kinderopvang")
    db.session.add(other)
    db.session.flush()
    with pytest.raises(LobbyError, match="Kies een gemeente"):
        municipality.create_municipality(other.id, None)
    with pytest.raises(LobbyError, match="bron"):
        municipality.add_figure(m, "Laaggeletterden", "14", "%", "  ", 2024)
    db.session.rollback()


def test_people_and_last_contact(db):
    m = _municipality(db)
    ahmed, left = Contact(name="Ahmed"), Contact(name="Oud-ambtenaar")
    db.session.add_all([ahmed, left])
    db.session.flush()
    db.session.add_all(
        [
            Affiliation(contact_id=ahmed.id, partner_id=m.partner_id, function="Beleid"),
        ]
    )
    for days, summary in ((40, "oud"), (3, "nieuw")):
        i = Interaction(kind="telefoon", occurred_on=date.today() - timedelta(days=days), summary=summary)
        i.contacts = [ahmed]
        db.session.add(i)
    db.session.flush()
    people = municipality.people(m)
    assert [(p.contact.name, p.function, p.last_contact.summary) for p in people] == [
        ("Ahmed", "Beleid", "nieuw")
    ]
    met = municipality.people(m, only_ids=[left.id])
    assert [(p.contact.name, p.last_contact) for p in met] == [("Oud-ambtenaar", None)]
    db.session.rollback()


def test_agreements_due_for_a_user_and_the_mail(db):
    m = _municipality(db)
    me, other = make_user("specialist"), make_user("specialist")
    contact = Contact(name="Marieke Jansen", email="m.jansen@rivierstad.example")
    db.session.add(contact)
    meeting = meetings.create_meeting(
        m,
        meetings.MeetingData(
            title="Kennismaking",
            held_on=date.today(),
            contact_ids=[],
            key_message="Samen lezen",
        ),
    )
    meeting.contacts = [contact]
    today = date.today()
    meetings.add_agreement(meeting, "Binnenkort", me.id, None, today + timedelta(days=3))
    meetings.add_agreement(meeting, "Te laat", me.id, None, today - timedelta(days=3))
    meetings.add_agreement(meeting, "Ver weg", me.id, None, today + timedelta(days=60))
    meetings.add_agreement(meeting, "Van een ander", other.id, None, today)
    meetings.add_agreement(meeting, "Extern", None, "Ahmed", today)
    with pytest.raises(LobbyError, match="Kies wie"):
        meetings.add_agreement(meeting, "Niemand", None, "", today)
    assert [a.description for a in meetings.open_agreements_for(me)] == ["Te laat", "Binnenkort"]
    done = db.session.query(MeetingAgreement).filter_by(description="Te laat").one()
    meetings.toggle_agreement(done)
    assert [a.description for a in meetings.open_agreements_for(me)] == ["Binnenkort"]

    db.session.refresh(meeting)
    draft = meetings.follow_up_mail(meeting, "Sanne")
    assert draft.to == ["m.jansen@rivierstad.example"]
    assert draft.body.startswith("Beste Marieke,")
    assert "Samen lezen" in draft.body and "- Extern (Ahmed" in draft.body
    assert draft.mailto().startswith("mailto:m.jansen@rivierstad.example?subject=")
    assert b"Subject: " in draft.eml("sanne@bieb.example")
    with pytest.raises(LobbyError, match="datum"):
        meetings.create_meeting(m, meetings.MeetingData(title="Zonder datum", held_on=None))
    db.session.rollback()


def test_registry_instruments_and_phase_records(app, client, login_as):
    registry = app.extensions["crm"].registry
    keys = {i.key for i in registry.instruments if i.theme == Theme.PROFILING}
    assert {
        "lobbyplan",
        "gesprek-voorbereiden",
        "elevator-pitch",
        "plan-van-aanpak",
        "bewijslast",
        "fundament",
    } <= keys
    with app.app_context():
        from crm.db import db

        m = municipality.create_municipality(None, "Gemeente Fase")
        meetings.create_meeting(m, meetings.MeetingData(title="Gesprek fase", held_on=date.today()))
        evidence.add_pitch("Pitch fase", "Een korte pitch", None, True)
        db.session.commit()
    with app.test_request_context():
        orientation = {r.label for r in registry.records_of(Theme.PROFILING, Phase.ORIENTATION)}
        creation = {r.label for r in registry.records_of(Theme.PROFILING, Phase.CREATION)}
    assert {"Gemeente Fase", "Gesprek fase"} <= orientation
    assert "Pitch fase" in creation


def test_meeting_model_defaults(db):
    m = _municipality(db)
    meeting = Meeting(municipality_id=m.id, title="x", held_on=date.today())
    db.session.add(meeting)
    db.session.flush()
    assert (meeting.theme, meeting.phase) == ("profilering", "orientation")
    assert isinstance(m, Municipality)
    db.session.rollback()


def test_power_grid_sorts_people_by_influence_and_interest():
    from types import SimpleNamespace

    def person(name, influence, interest):
        return SimpleNamespace(contact=SimpleNamespace(name=name, influence=influence, interest=interest))

    grid = municipality.power_grid(
        [person("W", 5, 4), person("R", 4, 2), person("B", 2, 5), person("X", None, 3)]
    )
    assert [p.contact.name for p in grid["hh"]] == ["W"]
    assert [p.contact.name for p in grid["hl"]] == ["R"]
    assert [p.contact.name for p in grid["lh"]] == ["B"]
    assert [p.contact.name for p in grid["unknown"]] == ["X"]


def test_lobbyplan_page_shows_the_krachtenveld(app, client, login_as, world):
    login_as("specialist")
    page = client.get(f"/profilering/gemeenten/{world['municipality_id']}/lobbyplan").get_data(as_text=True)
    assert "Krachtenveld van" in page and "Voorbeeld wethouder" in page


def test_material_file_types_by_content(app_ctx):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p/>")
    assert evidence.check_material_file(buffer.getvalue())[1] == "pptx"
    assert evidence.check_material_file(b"%PDF-1.7 ...") == ("application/pdf", "pdf", b"%PDF-1.7 ...")
    assert evidence.check_material_file(png_bytes())[0] == "image/png"
    exif = Image.Exif()
    exif[0x013B] = "Anna de Fotograaf"  # an image among the materials loses its maker too
    photo = io.BytesIO()
    Image.new("RGB", (8, 8)).save(photo, format="JPEG", exif=exif)
    assert b"Anna de Fotograaf" not in evidence.check_material_file(photo.getvalue())[2]
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("virus.exe", "MZ")
    with pytest.raises(LobbyError, match="Dit soort bestand kan niet"):
        evidence.check_material_file(plain_zip.getvalue())


def test_friction_hints_cold_people_and_paused_partners(db):
    from lobby.services import plans

    m = _municipality(db)
    cold = Contact(name="Koude Ambtenaar", warmth="koud")
    db.session.add_all([cold, Partner(name="Stille partner", kind="welzijn", status="gepauzeerd")])
    db.session.flush()
    db.session.add(Affiliation(contact_id=cold.id, partner_id=m.partner_id))
    db.session.flush()
    people, partners = plans.friction_hints(m)
    assert [c.name for c in people] == ["Koude Ambtenaar"]
    assert [p.name for p in partners] == ["Stille partner"]
    db.session.rollback()


def test_referral_log_offers_monthly_figures(app_ctx, db):
    """The referral package's provider: the real GROUP BY, by calendar month."""
    import secrets

    from crm.referrals.models import Referral

    partner = Partner(name="JGZ", kind="consultatiebureau")
    db.session.add(partner)
    db.session.flush()
    for year, month in ((2026, 3), (2026, 3), (2026, 10)):
        db.session.add(
            Referral(
                direction="uit",
                partner_id=partner.id,
                purpose="taal-lezen",
                method="folder",
                month=year * 100 + month,
                nonce=secrets.token_urlsafe(16),
            )
        )
    db.session.flush()
    source = app_ctx.extensions["crm"].registry.figures["referrals"]
    assert source.monthly(date(2025, 12, 1), 12) == {(2026, 3): 2, (2026, 10): 1}
    db.session.rollback()


def test_brief_without_picked_evidence_shows_only_shareable_evidence_up_to_the_meeting(app_ctx):
    from crm.db import db
    from lobby.models import Evidence

    held = date(2026, 6, 1)
    for title, day, permission in (("Gedeeld verhaal", date(2026, 5, 1), True),
                                   ("Geen toestemming", date(2026, 5, 20), False),
                                   ("Na het gesprek", date(2026, 7, 1), True)):
        db.session.add(Evidence(kind="quote", title=title, occurred_on=day, source="Bron",
                                permission=permission))
    db.session.flush()
    titles = [e.title for e in evidence.recent_evidence(3, until=held)]
    assert titles == ["Gedeeld verhaal"]


def test_speaking_time_says_seconde_for_one():
    from lobby.models import PitchVersion

    assert PitchVersion(title="Kort", text="Hallo daar").seconds_label == "1 seconde"
    assert PitchVersion(title="Lang", text="woord " * 130).seconds_label == "60 seconden"


def test_one_word_pitch_and_short_month_names():
    from lobby.charts import month_label
    from lobby.models import PitchVersion

    pitch = PitchVersion(title="Kort", text="Lezen.")
    assert (pitch.words_label, pitch.seconds_label) == ("1 woord", "1 seconde")
    assert month_label(2026, 3) == "mrt 26"


def test_picked_evidence_without_permission_never_goes_on_the_brief(app_ctx):
    from crm.db import db
    from lobby.models import Evidence, Meeting
    from tests.fixtures.world import build_world

    world = build_world("Brief")
    meeting = db.session.get(Meeting, world["meeting_id"])
    shared = Evidence(kind="quote", title="Mag gedeeld", occurred_on=date(2026, 1, 5), source="Bron",
                      permission=True)
    private = Evidence(kind="quote", title="Niet delen", occurred_on=date(2026, 1, 6), source="Bron",
                       permission=False)
    meeting.evidence = [shared, private]
    db.session.flush()
    made = brief.build_brief(meeting)
    assert [e.title for e in made.evidence] == ["Mag gedeeld"] and made.withheld == 1
    meeting.evidence = [private]  # only evidence without permission: nothing in its place
    db.session.flush()
    made = brief.build_brief(meeting)
    assert made.evidence == [] and made.withheld == 1 and made.evidence_picked
