"""Demo data, part 3: two meetings (one past with outcome, one upcoming and prepared), contact
moments and the plan van aanpak."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from crm.db import db
from crm.network.models import Contact, Interaction
from lobby.demo.base import _get_or_create
from lobby.models import (
    ActionPlan,
    Meeting,
    MeetingAgreement,
    PlanAction,
)
from lobby.models.plans import DEFAULT_QUESTIONS


def seed_meetings(ctx: dict, evidence: list) -> None:
    today, partner, contacts, municipality = (
        ctx["today"],
        ctx["partner"],
        ctx["contacts"],
        ctx["municipality"],
    )
    sanne, karim = ctx["sanne"], ctx["karim"]
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
    if past.interaction_id is None:  # the first meeting was logged as a contact moment
        past.interaction = db.session.scalar(select(Interaction).where(
            Interaction.summary == past.title, Interaction.occurred_on == past.held_on
        ))

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
