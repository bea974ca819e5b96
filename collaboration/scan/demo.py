"""Demo data: one revealed round with three parties (several people each) and one open round."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from collaboration.scan import answers, invitations, services
from collaboration.scan.models import OPEN, ScanRound
from crm.db import db, utcnow
from crm.network.models import Partner
from crm.web import local_today

DEMO_PARTNERS = (
    ("Consultatiebureau Rivierstad (JGZ)", "consultatiebureau"),
    ("Kinderopvang De Ukkepuk", "kinderopvang"),
)
# Per party: its tendency per aspect (ambitie, belangen, relaties, organisatie, proces).
TENDENCIES = {
    None: (4.3, 3.6, 4.2, 3.0, 3.4),
    "Consultatiebureau Rivierstad (JGZ)": (4.0, 2.6, 3.9, 2.4, 3.1),
    "Kinderopvang De Ukkepuk": (3.2, 3.4, 4.4, 3.6, 2.7),
}
PEOPLE = {
    None: ("Sanne de Vries", "Karim El Amrani"),
    "Consultatiebureau Rivierstad (JGZ)": ("Els Verbeek", "Joost Hermans"),
    "Kinderopvang De Ukkepuk": ("Naima Ouali",),
}
# Per party, per open question (wat gaat goed, wat moet beter, één advies): one answer per person.
OPEN_ANSWERS = {
    None: (
        ("Het BoekStartpakket wordt nu echt bij het consultatiebureau uitgereikt.",
         "We kennen elkaar beter en bellen elkaar sneller."),
        ("We horen weinig terug over gezinnen die we hebben verwezen.",
         "Het overleg gaat vaak over planning, te weinig over gezinnen."),
        ("Spreek af wie de gezinnen na de eerste afspraak nabelt.",
         "Plan elk half jaar een kort gesprek over hoe het gaat, niet alleen over wat."),
    ),
    "Consultatiebureau Rivierstad (JGZ)": (
        ("De voorleesfolder past goed bij ons gesprek over taal.",
         "De bibliotheek komt snel als we iets vragen."),
        ("Wij hebben weinig tijd per consult. Houd de afspraken klein.",
         "Niet iedereen bij ons weet dat de samenwerking bestaat."),
        ("Kom een keer in ons teamoverleg vertellen wat jullie doen.",
         "Maak één vast aanspreekpunt bij de bibliotheek."),
    ),
    "Kinderopvang De Ukkepuk": (
        ("De pedagogisch medewerkers zijn blij met de boekenkisten.",),
        ("We worden laat betrokken bij plannen.",),
        ("Neem de pedagogisch medewerkers eerder mee.",),
    ),
}


def _partner(name: str, kind: str) -> Partner:
    partner = db.session.scalar(select(Partner).where(Partner.name == name))
    if partner is None:
        partner = Partner(name=name, kind=kind, internal=False, status="actief")
        db.session.add(partner)
        db.session.flush()
    return partner


def _score(rng: random.Random, tendency: float) -> int:
    return max(1, min(5, round(rng.gauss(tendency, 0.8))))


def seed_demo() -> None:
    if db.session.scalar(select(ScanRound).limit(1)) is not None:
        return
    rng = random.Random(2026)
    from crm.auth.models import User

    duo = db.session.scalar(select(User).where(User.email == "specialist@bibliotheek.example"))
    duo_id = duo.id if duo else None
    partners = [_partner(name, kind) for name, kind in DEMO_PARTNERS]
    ids = [p.id for p in partners]
    today = local_today()

    # A round held last spring: closed and shared.
    done = services.create_round(
        "Samenwerkingsscan netwerk 0–4 jaar, voorjaar", (
            "We werken nu een jaar samen aan de gezinsaanpak. Hoe gaat dat? Elke partij vult de scan "
            "apart in. In het overleg bespreken we de uitkomsten samen."
        ), ids, today, today + timedelta(days=14), True, duo_id,
    )
    invited = []
    for party in done.parties:
        key = None if party.is_library else party.name
        for n, person in enumerate(PEOPLE[key]):
            invitation, _token = invitations.invite(party, person, None, duo_id)
            invited.append((key, n, invitation))
    done.opens_on, done.closes_on = today - timedelta(days=90), today - timedelta(days=60)
    questionnaire = done.questionnaire
    closed_at = utcnow() - timedelta(days=61)
    aspects = ("ambitie", "belangen", "relaties", "organisatie", "proces")
    for key, n, invitation in invited:
        invitation.expires_at = services.closes_at(done)
        values = {}
        for item in questionnaire.items:
            if item.kind == OPEN:
                texts = OPEN_ANSWERS[key][item.position] if item.position < 3 else ()
                text = texts[n] if n < len(texts) else ""
                values[item.id] = answers.AnswerValue(comment=text)
            elif rng.random() < 0.06:
                values[item.id] = answers.AnswerValue(dont_know=True)
            else:
                tendency = TENDENCIES[key][aspects.index(item.aspect)]
                values[item.id] = answers.AnswerValue(score=_score(rng, tendency))
        invitation.opened_at = invitation.exchanged_at = closed_at - timedelta(days=12)
        answers.save_answers(invitation, values, submit=True, now=closed_at - timedelta(days=10 - n))
    done.revealed_at = closed_at + timedelta(days=2)
    done.revealed_by_id = duo_id
    done.outcome = ("Afgesproken: het consultatiebureau en de bibliotheek koppelen elke maand terug welke "
                    "gezinnen zijn verwezen. De kinderopvang schuift twee keer per jaar aan bij het overleg.")

    # This autumn's round of the same collaboration: open, some answers in.
    current = services.create_round(
        "Samenwerkingsscan netwerk 0–4 jaar, najaar", (
            "Een half jaar na de vorige scan kijken we samen of onze afspraken werken."
        ), ids, today - timedelta(days=7), today + timedelta(days=21), True, duo_id,
    )
    library = next(p for p in current.parties if p.is_library)
    jgz = next(p for p in current.parties if not p.is_library)
    karim, _ = invitations.invite(library, "Karim El Amrani", "duo@bibliotheek.example", duo_id)
    els, _ = invitations.invite(jgz, "Els Verbeek", "els.verbeek@jgz-rivierstad.example", duo_id)
    statements = current.questionnaire.statements
    for invitation, count, submit in ((els, len(statements), True), (karim, 8, False)):
        invitation.opened_at = invitation.exchanged_at = utcnow() - timedelta(days=3)
        values = {item.id: answers.AnswerValue(score=_score(rng, 3.6)) for item in statements[:count]}
        answers.save_answers(invitation, values, submit=submit)
    ukkepuk = next(p for p in current.parties if p.name == "Kinderopvang De Ukkepuk")
    invitations.invite(ukkepuk, "Naima Ouali", "naima@ukkepuk.example", duo_id)
    db.session.flush()
