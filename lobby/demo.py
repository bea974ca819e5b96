"""Demo data for ``make run``: Gemeente Rivierstad with its college, a lobbyplan, two meetings
(one past with an outcome, one upcoming and fully prepared), a pitch in two versions, a plan van
aanpak and a few pieces of evidence. Get-or-create by the shared demo names; no commit."""

from __future__ import annotations

import io
from datetime import date, time, timedelta

from sqlalchemy import select

from crm.auth.models import User
from crm.db import db
from crm.network.models import MUNICIPALITY_KIND, Affiliation, Contact, Interaction, Partner
from lobby.models import (
    ActionPlan,
    Evidence,
    EvidenceImage,
    KeyFigure,
    LobbyPlan,
    Material,
    Meeting,
    MeetingAgreement,
    Municipality,
    PitchVersion,
    PlanAction,
)
from lobby.models.plans import DEFAULT_QUESTIONS

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


def seed_demo() -> None:
    if db.session.scalar(select(Meeting).limit(1)) is not None:
        return  # lobby demo data is there already
    today = date.today()
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
        contact = _get_or_create(
            Contact,
            {"name": name},
            position=position,
            domains=domains,
            influence=influence,
            interest=interest,
            knowledge=knowledge,
            interests=interests,
            hook=hook,
            warmth="lauw",
            email=name.lower().replace(" ", ".") + "@rivierstad.example",
        )
        _get_or_create(
            Affiliation,
            {"contact_id": contact.id, "partner_id": partner.id},
            function=function,
            department=department,
        )
        contacts[name] = contact
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

    for when, title, text, author in (
        (
            today - timedelta(days=120),
            "Eerste versie",
            "De bibliotheek helpt gezinnen met lezen en taal. Wij willen graag met de gemeente "
            "samenwerken aan de gezinsaanpak. Wanneer heb je tijd?",
            sanne,
        ),
        (
            today - timedelta(days=20),
            "Versie voor de wethouder",
            "Wist je dat in Rivierstad één op de zeven volwassenen moeite heeft met lezen en schrijven? "
            "Kinderen van ouders die moeite hebben met taal, hebben later zelf een grote kans op "
            "taalproblemen. Zo ontstaat een cirkel van laaggeletterdheid. Wij, vanuit de bibliotheek, "
            "willen die cirkel samen met u doorbreken. Dat doen we door ouders te motiveren om aan "
            "hun eigen taal te werken, in hun "
            "eigen belang en in dat van hun kind. We zijn er op de plekken waar jonge gezinnen al komen: het "
            "consultatiebureau, de kinderopvang, de school. Met de nieuwe Lokale Educatieve Agenda kunnen we "
            "dat samen een vaste plek geven. Wanneer heeft u tijd?",
            karim,
        ),
    ):
        pitch = _get_or_create(
            PitchVersion, {"title": title}, text=text, author_id=author.id if author else None, current=False
        )
        pitch.created_at = pitch.created_at.replace(year=when.year, month=when.month, day=when.day)
    db.session.scalar(
        select(PitchVersion).where(PitchVersion.title == "Versie voor de wethouder")
    ).current = True

    for kind, title, url in (
        (
            "praatplaat",
            "Praatplaat - de Bibliotheek voor jou en je gezin",
            "https://www.example.org/praatplaat",
        ),
        ("presentatie", "Presentatie gezinsaanpak voor de gemeente", None),
    ):
        _get_or_create(
            Material,
            {"title": title},
            kind=kind,
            url=url,
            note="Aangepast aan Rivierstad." if url else "Op de teamschijf, map Profilering.",
        )

    evidence = []
    for days, kind, title, text, source, permission in (
        (
            60,
            "cijfer",
            "BoekStart-koffertjes",
            "In 2025 haalden 318 ouders een BoekStart-koffertje op; 40% meer dan in 2024.",
            "Jaarcijfers bibliotheek 2025",
            True,
        ),
        (
            35,
            "quote",
            "Moeder bij de VoorleesExpress",
            "\u201cSinds de voorlezer komt, pakt mijn zoon "
            "zelf boekjes. En ik lees nu ook voor in het Nederlands.\u201d",
            "Gezin in Rivierstad-Noord, via de coördinator VoorleesExpress",
            True,
        ),
        (
            12,
            "foto",
            "Peuterochtend in vestiging Noord",
            "Taalspelletjes met ouders en peuters.",
            "Foto: bibliotheek, vestiging Noord",
            True,
        ),
        (
            5,
            "verhaal",
            "Warme overdracht door het consultatiebureau",
            "De JGZ-verpleegkundige liep met een vader mee naar het Taalhuis; hij volgt nu een cursus.",
            "Consultatiebureau Rivierstad (JGZ)",
            False,
        ),
    ):
        item = _get_or_create(
            Evidence,
            {"title": title},
            kind=kind,
            text=text,
            occurred_on=today - timedelta(days=days),
            source=source,
            permission=permission,
        )
        if kind == "foto" and item.image is None:
            data = _demo_png()
            item.image = EvidenceImage(
                content_type="image/png",
                filename=f"bewijs-{item.id}.png",
                size=len(data),
                width=480,
                height=320,
                data=data,
            )
        evidence.append(item)

    past = _get_or_create(
        Meeting,
        {"municipality_id": municipality.id, "title": "Kennismaking met de beleidsmedewerkers"},
        held_on=today - timedelta(days=30),
        starts_at=time(10, 0),
        place="Stadhuis Rivierstad",
        library_people="Gouden duo: Sanne de Vries en Karim El Amrani",
        goals=["urgentie", "expertise"],
        library_role="verbinder",
        questions=[{"question": q, "answer": ""} for q in DEFAULT_QUESTIONS[:2]],
        outcome=(
            "Positief gesprek. Ahmed wil de gezinsaanpak opnemen in de LEA; Ingrid ziet kansen bij de "
            "armoedeaanpak. Volgende stap: gesprek met de wethouder."
        ),
        key_message=municipality.key_message,
    )
    past.contacts = [contacts["Ahmed Yilmaz"], contacts["Ingrid de Boer"]]
    for description, owner, due in (
        ("Cijfers BoekStart en VoorleesExpress naar Ahmed sturen", sanne, today + timedelta(days=3)),
        ("Gesprek met de wethouder plannen", karim, today - timedelta(days=2)),
    ):
        _get_or_create(
            MeetingAgreement,
            {"meeting_id": past.id, "description": description},
            owner_id=owner.id if owner else None,
            owner_name=None if owner else "Gouden duo",
            due_on=due,
        )

    answers = (
        "De gezinsaanpak verbindt wat we al doen (BoekStart, VoorleesExpress, Taalhuis) tot één aanpak "
        "voor het hele gezin.",
        "We doen het niet alleen: JGZ, kinderopvang en school verwijzen naar ons en wij naar hen.",
        "Met vaste afspraken over verwijzen, een gezamenlijke ambitie en de samenwerkingsscan elk jaar.",
        "We bereiken ouders die zelf moeite hebben met taal, via partners die ze al vertrouwen.",
        "Eind 2024 kregen gemeenten de regierol; de LEA wordt nú geschreven.",
    )
    upcoming = _get_or_create(
        Meeting,
        {"municipality_id": municipality.id, "title": "Gesprek met wethouder Jansen over de LEA"},
        held_on=today + timedelta(days=7),
        starts_at=time(14, 30),
        place="Stadhuis Rivierstad, kamer 2.14",
        library_people="Gouden duo en directeur Anouk Verbeek",
        goals=["urgentie", "trekker", "bijdrage"],
        goals_note="Een vaste plek voor de gezinsaanpak in de LEA, met de bibliotheek als verbinder.",
        library_role="verbinder",
        questions=[{"question": q, "answer": a} for q, a in zip(DEFAULT_QUESTIONS, answers, strict=True)],
    )
    upcoming.contacts = [contacts["Marieke Jansen"], contacts["Ahmed Yilmaz"]]
    upcoming.evidence = evidence[:3]

    for name, days, summary in (
        ("Ahmed Yilmaz", 30, "Kennismaking met de beleidsmedewerkers"),
        ("Marieke Jansen", 60, "Kort gesproken bij de opening van vestiging Noord"),
    ):
        contact = contacts[name]
        has_any = db.session.scalar(
            select(Interaction).where(Interaction.contacts.any(Contact.id == contact.id)).limit(1)
        )
        if has_any is None:
            interaction = Interaction(
                kind="face-to-face",
                occurred_on=today - timedelta(days=days),
                summary=summary,
                owner_id=sanne.id if sanne else None,
            )
            interaction.contacts = [contact]
            interaction.partners = [partner]
            db.session.add(interaction)

    plan = _get_or_create(
        ActionPlan,
        {"municipality_id": municipality.id, "title": f"Plan van aanpak Rivierstad {today.year}"},
        audience=(
            "Wethouder onderwijs, beleidsmedewerkers onderwijs/VVE en armoede, de commissie Samenleving."
        ),
        goals="De gezinsaanpak in de LEA; de bibliotheek als verbinder; budget voor twee jaar.",
        role="Verbinder in het netwerk rond jonge gezinnen.",
        story="Samen doorbreken we de cirkel van laaggeletterdheid, op de plekken waar gezinnen al komen.",
        internal="Gouden duo, directeur, marketing, frontoffice.",
        external="JGZ, kinderopvang, Welzijn Rivierstad, Taalhuis, voedselbank.",
        needs="4 uur per week voor het duo; folder en presentatie; budget voor de praatplaat.",
        actions_text="Zie de acties hieronder.",
        planning="Voor de zomer gesprek met de wethouder; in september LEA in de raad.",
    )
    for description, owner, days in (
        ("Raadsleden uitnodigen voor de voorleesochtend", "Karim El Amrani", 21),
        ("Folder met kernboodschap laten drukken", "Marketing", 45),
    ):
        _get_or_create(
            PlanAction,
            {"plan_id": plan.id, "description": description},
            owner=owner,
            due_on=today + timedelta(days=days),
        )
    db.session.flush()
