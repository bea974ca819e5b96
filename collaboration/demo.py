"""Demo data of the instruments: a filled aanhaakkalender, two afwegingstabellen, a
krachtenanalyse and samenwerkingsafspraken, around the shared demo partners."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from collaboration import assessments, calendar
from collaboration.models import Agreement, HookMoment, StrengthAnalysis
from crm.auth.models import User
from crm.db import db
from crm.network.models import Partner
from crm.web import local_today

DEMO_PARTNERS = (
    ("Gemeente Rivierstad", "gemeente", "actief"),
    ("Consultatiebureau Rivierstad (JGZ)", "consultatiebureau", "actief"),
    ("Kinderopvang De Ukkepuk", "kinderopvang", "verkennend"),
    ("Peuterspeelzaal Het Klavertje", "peuteropvang", "actief"),
    ("Basisschool De Regenboog", "basisschool", "actief"),
    ("Welzijn Rivierstad", "welzijn", "actief"),
    ("Verloskundigenpraktijk Moeder & Kind", "verloskundige", "verkennend"),
    ("Voedselbank Rivierstad", "voedselbank", "prospect"),
    ("Taalhuis Rivierstad", "taalhuis", "actief"),
)


def _partner(name: str, kind: str, status: str) -> Partner:
    partner = db.session.scalar(select(Partner).where(Partner.name == name))
    if partner is None:
        partner = Partner(name=name, kind=kind, status=status, internal=False, place="Rivierstad")
        db.session.add(partner)
        db.session.flush()
    return partner


def _user(name: str) -> User | None:
    return db.session.scalar(select(User).where(User.name == name))


def seed_demo(today: date | None = None) -> None:
    today = today or local_today()
    partners = {name: _partner(name, kind, status) for name, kind, status in DEMO_PARTNERS}
    sanne, karim = _user("Sanne de Vries"), _user("Karim El Amrani")
    if calendar.is_empty():
        calendar.load_default_calendar(today)
    moments = {m.title: m for m in db.session.scalars(select(HookMoment))}
    for title, owner, days in (
        ("Nationale Voorleesdagen", sanne, -30),
        ("Kinderboekenweek", sanne, -21),
        ("Week van Lezen en Schrijven", karim, -14),
    ):
        moment = moments.get(title)
        if moment is not None and moment.start_date and moment.action_date is None:
            moment.owner = owner
            moment.action_date = max(today, moment.start_date + timedelta(days=days))
    boekstart = moments.get("Rond 3 maanden: uitnodiging voor BoekStart")
    if boekstart is not None:
        boekstart.owner = sanne
        boekstart.action_date = today + timedelta(days=12)
        boekstart.action = (boekstart.action or "") + (
            " Nieuwe voorraad uitnodigingen naar het consultatiebureau.")

    author = sanne.id if sanne else None
    assessments.ensure_default_criteria()
    lines = assessments.form_lines()
    ukkepuk, voedselbank = partners["Kinderopvang De Ukkepuk"], partners["Voedselbank Rivierstad"]
    assessments.save_assessment(None, assessments.AssessmentInput(
        partner_id=ukkepuk.id, decision="aangaan", decided_on=today - timedelta(days=40),
        decided_by="Sanne de Vries en Karim El Amrani, met instemming van het MT",
        rationale="De Ukkepuk bereikt veel jonge gezinnen in Rivierstad-Noord en wil BoekStart in "
                  "de kinderopvang invoeren. De leidinggevende maakt tijd vrij voor een "
                  "voorleescoördinator.",
        review_on=today + timedelta(days=320), apply_status=True,
        scores=[assessments.ScoreInput(line.key, score, note) for line, (score, note) in zip(lines, (
            (5, "Jonge kinderen en hun ouders, precies onze focusgroep."),
            (4, "Veel gezinnen met weinig boeken thuis."),
            (4, None), (4, "Dagelijks contact met ouders bij brengen en halen."),
            (4, "Drie locaties, ongeveer 180 gezinnen."), (3, None),
            (3, "Pedagogisch medewerkers hebben weinig tijd."), (3, "Collectie uit het BoekStart-budget."),
            (4, None), (5, "Directie is enthousiast."),
        ), strict=False)],
    ), author)
    assessments.save_assessment(None, assessments.AssessmentInput(
        partner_id=voedselbank.id, decision="later", decided_on=today - timedelta(days=20),
        decided_by="Karim El Amrani",
        rationale="De voedselbank bereikt gezinnen die wij niet zien, maar draait volledig op "
                  "vrijwilligers en heeft nu geen ruimte. Na de verhuizing in het voorjaar "
                  "bekijken we het opnieuw.",
        review_on=today + timedelta(days=120), apply_status=True,
        scores=[assessments.ScoreInput(line.key, score, note) for line, (score, note) in zip(lines, (
            (4, None), (5, "Gezinnen in armoede, vaak met laaggeletterde ouders."), (3, None),
            (4, "Vertrouwen van de klanten."), (4, None), (2, "Nog onduidelijk wat zij eraan hebben."),
            (1, "Vrijwilligers zijn overbelast."), (2, None), (2, None), (3, None),
        ), strict=False)],
    ), author)

    cb = partners["Consultatiebureau Rivierstad (JGZ)"]
    db.session.add(StrengthAnalysis(
        partner=cb, made_on=today - timedelta(days=60), created_by_id=author,
        interests="Gezonde ontwikkeling van alle kinderen; vroeg signaleren van taalachterstand.",
        added_value="Ziet vrijwel elk gezin in de eerste vier jaar; ouders vertrouwen de "
                    "jeugdverpleegkundige.",
        strengths="Vaste contactmomenten, huisbezoeken, kennis van de ontwikkeling van kinderen.",
        needs_from_library="Materiaal om mee te geven, een vast aanspreekpunt en een spreekuur "
                           "van een BoekStartcoach.",
        library_needs="Uitnodigingen voor BoekStart uitdelen en ouders met zorgen over taal naar "
                      "ons verwijzen.",
    ))
    agreement = Agreement(
        title="Netwerk BoekStart Rivierstad", created_by_id=author,
        partners=[cb, ukkepuk, partners["Peuterspeelzaal Het Klavertje"]],
        ambition="Elk kind in Rivierstad groeit op met boeken: ouders lezen vanaf de geboorte voor.",
        who_decides="De stuurgroep (leidinggevenden van de partners) beslist over geld en "
                    "prioriteiten; de werkgroep over de uitvoering.",
        who_does_what="Bibliotheek: collectie, BoekStartcoach en ouderbijeenkomsten. JGZ: "
                      "uitnodigingen en doorverwijzing. Opvang: dagelijks voorlezen en ouders "
                      "betrekken.",
        who_takes_part="Bibliotheek, JGZ, De Ukkepuk en Het Klavertje; de gemeente schuift twee "
                       "keer per jaar aan.",
        expectations="Iedereen draagt bij vanuit de eigen taak; we delen cijfers over bereik.",
        meeting_frequency="Eens per zes weken",
        meeting_attendees="De gouden duo van de bibliotheek, een jeugdverpleegkundige en de "
                          "locatiemanagers van de opvang.",
        process_moments="Elk tweede overleg een kwartier over hoe de samenwerking loopt.",
        referral_agreements="JGZ verwijst ouders met zorgen over taal naar de BoekStartcoach; de "
                            "bibliotheek verwijst naar de VVE bij een mogelijke achterstand.",
        goals="300 BoekStart-koffertjes per jaar; op elke opvanglocatie een voorleescoördinator; "
              "ouders zeggen vaker voor te lezen.",
        document_kind="intentieverklaring", document_date=today - timedelta(days=90),
        reflection_on=today + timedelta(days=14),
    )
    db.session.add(agreement)
    db.session.flush()
