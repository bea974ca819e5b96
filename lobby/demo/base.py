"""Demo data, part 1: Gemeente Rivierstad, its people, profile, key figures and lobbyplan."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from crm.auth.models import User
from crm.db import db
from crm.network.models import MUNICIPALITY_KIND, Affiliation, Contact, Partner
from crm.web import local_today
from lobby.models import (
    KeyFigure,
    LobbyPlan,
    Municipality,
)

MUNICIPALITY = "Gemeente Rivierstad"
PEOPLE = (
    # name, position, function, department, domains, influence, interest, knowledge, interests, hook
    (
        "Marieke Jansen",
        "wethouder",
        "Wethouder onderwijs, jeugd en bibliotheek",
        "College van B&W",
        ["onderwijs", "bibliotheekwerk"],
        5,
        4,
        "Kent BoekStart en de VoorleesExpress; de gezinsaanpak als geheel nog niet.",
        "Wil dat Rivierstad minder kinderen met een taalachterstand heeft bij de start op school.",
        "Haar speerpunt 'Kansrijk opgroeien' uit het collegeprogramma.",
    ),
    (
        "Ahmed Yilmaz",
        "beleidsmedewerker",
        "Beleidsmedewerker onderwijs en VVE",
        "Maatschappelijke Ontwikkeling",
        ["onderwijs", "vve"],
        3,
        5,
        "Goed op de hoogte: zat bij de Quickscan en kent de Theory of Change.",
        "Schrijft de nieuwe Lokale Educatieve Agenda; zoekt partners voor de VVE-doelen.",
        "De LEA 2026-2030 die nu geschreven wordt.",
    ),
    (
        "Ingrid de Boer",
        "beleidsmedewerker",
        "Beleidsmedewerker armoede en participatie",
        "Werk en Inkomen",
        ["armoede", "participatie"],
        3,
        3,
        "Weet van het Taalhuis, nog weinig van de gezinsaanpak.",
        "Bereik van gezinnen in armoede; minder schulden door betere basisvaardigheden.",
        "De armoedeaanpak en de samenwerking met de voedselbank.",
    ),
    (
        "Peter van Dijk",
        "raadslid",
        "Raadslid, commissie Samenleving",
        "Gemeenteraad",
        ["onderwijs", "welzijn"],
        4,
        3,
        "Heeft de voorleesactie in de wijk Noord bezocht.",
        "Stelde vragen over laaggeletterdheid in de commissie.",
        "Zijn motie over taal in het gezin.",
    ),
)


def _get_or_create(model, where: dict, **values):
    row = db.session.scalar(select(model).filter_by(**where))
    if row is None:
        row = model(**where, **values)
        db.session.add(row)
        db.session.flush()
    return row


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _demo_png() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (480, 320), "#e3f0f2")
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 200, 440, 290), fill="#0b5c6b")
    draw.ellipse((150, 60, 250, 160), fill="#b8461b")
    draw.ellipse((270, 90, 340, 160), fill="#1d6b3a")
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    return buffer.getvalue()


def seed_municipality() -> dict:
    today = local_today()
    partner = _get_or_create(
        Partner,
        {"name": MUNICIPALITY},
        kind=MUNICIPALITY_KIND,
        internal=False,
        status="actief",
        place="Rivierstad",
    )
    contacts = {}
    for (
        name,
        position,
        function,
        department,
        domains,
        influence,
        interest,
        knowledge,
        interests,
        hook,
    ) in PEOPLE:
        values = {
            "position": position,
            "domains": domains,
            "influence": influence,
            "interest": interest,
            "knowledge": knowledge,
            "interests": interests,
            "hook": hook,
            "warmth": "lauw",
            "email": name.lower().replace(" ", ".") + "@rivierstad.example",
        }
        contact = _get_or_create(Contact, {"name": name}, **values)
        for field, value in values.items():  # the network demo may have made them: only fill gaps
            if not getattr(contact, field):
                setattr(contact, field, value)
        _get_or_create(
            Affiliation,
            {"contact_id": contact.id, "partner_id": partner.id},
            function=function,
            department=department,
        )
        contacts[name] = contact
    if contacts["Ahmed Yilmaz"].valuable is None:
        contacts["Ahmed Yilmaz"].valuable = True
        contacts["Ahmed Yilmaz"].evaluation = "Korte lijnen; denkt mee over de LEA."
    sanne, karim = _user("specialist@bibliotheek.example"), _user("duo@bibliotheek.example")

    municipality = _get_or_create(
        Municipality,
        {"partner_id": partner.id},
        cbs_code="GM9999",
        college=(
            "Burgemeester: Hans de Wit\nWethouder Marieke Jansen: onderwijs, jeugd en bibliotheek\n"
            "Wethouder Kees Brouwer: werk, inkomen en armoede\nWethouder Fenna Smit: zorg en welzijn"
        ),
        coalition_goals=(
            "Collegeprogramma 2026-2030 'Samen sterk in Rivierstad': kansrijk opgroeien, "
            "minder kinderen met een taalachterstand bij de start van groep 1, "
            "armoede en schulden voorkomen."
        ),
        lea="De LEA 2026-2030 wordt nu geschreven; thema's: VVE, doorgaande leerlijn, ouderbetrokkenheid.",
        regional_plan=(
            "Regionaal plan aanpak laaggeletterdheid Rivierland; Rivierstad is contactgemeente. "
            "Aansluiten bij actielijn 'Gezin en taal'."
        ),
        contact_municipality="Rivierstad",
        library_role="verbinder",
        expectations="De gemeente verwacht dat de bibliotheek het netwerk rond jonge gezinnen verbindt.",
        key_message=(
            "Samen doorbreken we de cirkel van laaggeletterdheid: de bibliotheek is er op de plekken "
            "waar jonge gezinnen al komen, van consultatiebureau tot school."
        ),
        fundament={
            "quickscan": {"done_on": (today - timedelta(days=200)).isoformat(), "note": "Quickscan 2025"},
            "criteria": {"done_on": (today - timedelta(days=180)).isoformat(), "note": ""},
            "praatplaat": {"done_on": (today - timedelta(days=150)).isoformat(), "note": "Praatplaat Cubiss"},
            "toc": {"done_on": None, "note": "Wordt in het voorjaar uitgewerkt"},
            "expertise": {"done_on": (today - timedelta(days=90)).isoformat(), "note": ""},
        },
    )
    for i, (label, value, unit, source, year) in enumerate(
        (
            (
                "Laaggeletterden (16-65 jaar)",
                "14",
                "%",
                "Stichting Lezen en Schrijven, gemeentecijfers",
                2023,
            ),
            ("Peuters met een VVE-indicatie", "212", "kinderen", "Gemeente Rivierstad, monitor VVE", 2025),
            ("Kinderen in een gezin met een laag inkomen", "11", "%", "CBS, Kinderen in armoede", 2024),
        )
    ):
        _get_or_create(
            KeyFigure,
            {"municipality_id": municipality.id, "label": label},
            value=value,
            unit=unit,
            source=source,
            year=year,
            position=i,
        )

    _get_or_create(
        LobbyPlan,
        {"municipality_id": municipality.id},
        items={
            "onderwerp": {
                "text": "De bibliotheek als verbinder in de gemeentelijke gezinsaanpak geletterdheid.",
                "done": True,
            },
            "doel": {
                "text": "Structurele plek en budget voor de gezinsaanpak in de nieuwe LEA.",
                "done": True,
            },
            "krachtenveld": {
                "text": "Wethouder Jansen positief; Ahmed Yilmaz is onze ingang; raad informeren "
                "via Peter van Dijk.",
                "done": True,
            },
            "partners": {
                "text": "JGZ, Welzijn Rivierstad en De Regenboog gaan mee naar het gesprek.",
                "done": False,
            },
            "timing": {"text": "Voor de zomer: de LEA gaat in september naar de raad.", "done": False},
            "middelen": {"text": "Gouden duo trekt; directeur bij het wethoudersgesprek.", "done": False},
        },
    )
    return {
        "today": today,
        "partner": partner,
        "contacts": contacts,
        "municipality": municipality,
        "sanne": sanne,
        "karim": karim,
    }
