"""Demo data for the network: partners of many kinds, the municipality's people and
contact moments with follow-ups (some due for the demo specialist)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from crm.auth.models import User
from crm.db import db
from crm.network.models import Affiliation, Contact, Interaction, Partner, PartnerStatusChange
from crm.web import local_today

MUNICIPALITY = "Gemeente Rivierstad"

# name, kind, internal, status, place, offer, how to refer, tags
PARTNERS = (
    (MUNICIPALITY, "gemeente", False, "actief", "Rivierstad",
     "Loket Wonen, Werk en Inkomen; minimaregelingen en het jeugdfonds.",
     "Verwijs naar het Sociaal Loket, Stadhuisplein 1, of bel 14 0123.", ["lobby", "armoede"]),
    ("Consultatiebureau Rivierstad (JGZ)", "consultatiebureau", False, "actief", "Rivierstad",
     "Jeugdgezondheidszorg voor kinderen van 0 tot 4 jaar; BoekStart-koffertje bij 3 maanden.",
     "Ouders maken zelf een afspraak; bij twijfel over taal geeft de JGZ-verpleegkundige "
     "een warme overdracht.",
     ["boekstart", "jgz"]),
    ("Kinderopvang De Ukkepuk", "kinderopvang", False, "actief", "Rivierstad",
     "Dagopvang voor kinderen van 0 tot 4 jaar, voorleesmomenten met de bibliotheek.",
     "Ouders melden zich aan via de website; de bibliotheek kan een folder meegeven.", ["vve"]),
    ("Peuterspeelzaal Het Klavertje", "peuteropvang", False, "actief", "Rivierstad",
     "VVE-programma voor peuters vanaf 2 jaar, ook met indicatie van het consultatiebureau.",
     "Via de JGZ-indicatie of rechtstreeks bij de locatie.", ["vve", "peuters"]),
    ("Basisschool De Regenboog", "basisschool", False, "actief", "Rivierstad",
     "Basisschool met schakelklas; ouderkamer op dinsdagochtend.",
     "Ouders kunnen naar de ouderkamer; contact via de intern begeleider.", ["ouderbetrokkenheid"]),
    ("Welzijn Rivierstad", "welzijn", False, "actief", "Rivierstad",
     "Opvoedondersteuning, maatschappelijk werk, vrijwillige thuisbezoeken (VoorleesExpress).",
     "Bel de wijkcoach of loop binnen bij het buurtteam; warme overdracht mag.", ["voorleesexpress"]),
    ("Verloskundigenpraktijk Moeder & Kind", "verloskundige", False, "verkennend", "Rivierstad",
     "Zwangerschapsbegeleiding; informatie over voorlezen al tijdens de zwangerschap.",
     "Aanstaande ouders maken zelf een afspraak.", ["zwangerschap"]),
    ("Voedselbank Rivierstad", "voedselbank", False, "actief", "Rivierstad",
     "Voedselpakketten voor gezinnen met weinig geld; boekenkast bij het uitgiftepunt.",
     "Aanmelding via het Sociaal Loket of maatschappelijk werk.", ["armoede"]),
    ("Taalhuis Rivierstad", "taalhuis", True, "actief", "Rivierstad",
     "Taalcafé, oefenen met lezen en schrijven, hulp met formulieren.",
     "Loop binnen op de openingstijden of maak een afspraak aan de balie.", ["laaggeletterdheid", "nt2"]),
    ("CJG Rivierstad", "cjg", False, "actief", "Rivierstad",
     "Vragen over opgroeien en opvoeden, cursussen voor ouders.",
     "Ouders bellen of mailen het CJG; je kunt een folder meegeven.", ["opvoeden"]),
    ("Kraamzorg De Wieg", "kraamzorg", False, "prospect", "Rivierstad",
     "Kraamzorg in de eerste week na de geboorte.", "Via de verloskundige.", ["zwangerschap"]),
    ("Huisartsenpraktijk Centrum", "huisarts", False, "prospect", "Rivierstad",
     "Huisartsenzorg; praktijkondersteuner jeugd.", "Ouders maken zelf een afspraak.", []),
    ("Schuldhulp Rivierstad", "schuldhulp", False, "verkennend", "Rivierstad",
     "Gratis hulp bij geldzorgen en schulden.", "Bel het Sociaal Loket of gebruik het inloopspreekuur.",
     ["armoede", "geldzorgen"]),
    ("Woonstichting Thuis aan de Rivier", "woningcorporatie", False, "gepauzeerd", "Rivierstad",
     "Huurwoningen; buurtconsulenten kennen gezinnen met zorgen.", "Via de buurtconsulent.", []),
    ("Moskee Al Amal", "levensbeschouwelijk", False, "verkennend", "Rivierstad",
     "Moedergroep en huiswerkbegeleiding.", "Contact via de voorzitter van de moedergroep.", ["nieuwkomers"]),
    ("Buurthuis De Brug", "buurthuis", False, "actief", "Rivierstad",
     "Inloop voor ouders met jonge kinderen, speelochtend op woensdag.",
     "Ouders kunnen gewoon binnenlopen.", ["ontmoeting"]),
    ("ROC Rivierland NT2", "roc-nt2", False, "actief", "Rivierstad",
     "NT2-lessen en inburgering.", "Aanmelden via het ROC-loket of de gemeente.", ["nt2", "nieuwkomers"]),
    ("Vreedzame School Het Baken", "voortgezet-onderwijs", False, "prospect", "Rivierstad",
     "Voortgezet onderwijs met een leesplan.", "Via de mentor.", []),
    ("Team Jeugd Centrale bibliotheek", "intern-team", True, "actief", "Rivierstad",
     "BoekStart, VoorleesExpress-coördinatie, peuterochtenden.", "Loop binnen bij de jeugdafdeling.",
     ["boekstart"]),
    ("Team Volwassenen & Basisvaardigheden", "intern-team", True, "actief", "Rivierstad",
     "Digitaal Café, Klik & Tik, Taalhuis-coördinatie.", "Via de balie of het Taalhuis.", ["digitaal"]),
    ("Kinderopvang Zonnebloem Beekdorp", "kinderopvang", False, "beeindigd", "Beekdorp",
     "Dagopvang (gesloten per 2026).", None, []),
    ("Speeltuinvereniging De Wip", "buurthuis", False, "verkennend", "Beekdorp",
     "Speeltuin en zomeractiviteiten.", "Ouders kunnen binnenlopen.", []),
)

# name, email, phone, position, domains, influence, interest, warmth, partner, function, knowledge, hook
PEOPLE = (
    ("Marieke Jansen", "m.jansen@rivierstad.example", "010 555 01 01", "wethouder",
     ["onderwijs", "bibliotheekwerk", "jeugdgezondheid"], 5, 4, "lauw", MUNICIPALITY,
     "Wethouder onderwijs, jeugd en bibliotheek",
     "Kent de bibliotheek van de leesbevordering; gezinsaanpak nog niet als geheel.",
     "Collegeprogramma: 'ieder kind een goede start'."),
    ("Ahmed Yilmaz", "a.yilmaz@rivierstad.example", "010 555 01 22", "beleidsmedewerker",
     ["onderwijs", "vve"],
     3, 5, "warm", MUNICIPALITY, "Beleidsmedewerker onderwijs en VVE",
     "Werkt aan de nieuwe Lokale Educatieve Agenda; kent BoekStart.", "VVE-bereik verhogen."),
    ("Ingrid de Boer", "i.deboer@rivierstad.example", "010 555 01 35", "beleidsmedewerker",
     ["armoede", "participatie"], 3, 3, "lauw", MUNICIPALITY, "Beleidsmedewerker armoede en participatie",
     "Weet weinig van laaggeletterdheid in gezinnen.", "Armoedebeleid: bereik van gezinnen met geldzorgen."),
    ("Peter van Dijk", "p.vandijk@raad.rivierstad.example", None, "raadslid", ["onderwijs"], 4, 2, "koud",
     MUNICIPALITY, "Raadslid, commissie Samenleving", "Stelde vragen over de begroting van de bibliotheek.",
     "Is zelf opa van een peuter."),
    ("Sandra Koster", "s.koster@jgz-rivierstad.example", "010 555 02 10", "coordinator",
     ["jeugdgezondheid"], 3, 5, "warm", "Consultatiebureau Rivierstad (JGZ)", "Teamleider JGZ",
     "Partner van BoekStart sinds jaren.", "Taalontwikkeling is een vast gespreksonderwerp."),
    ("Linda Smit", "linda@ukkepuk.example", "010 555 03 11", "manager", ["vve"], 2, 4, "warm",
     "Kinderopvang De Ukkepuk", "Locatiemanager", "Doet mee met BoekStart in de kinderopvang.", None),
    ("Youssef Amrani", "y.amrani@welzijnrivierstad.example", "010 555 04 40", "coordinator",
     ["welzijn", "participatie"], 2, 4, "lauw", "Welzijn Rivierstad", "Coördinator VoorleesExpress",
     None, None),
    ("Hanneke Visser", "directie@regenboog.example", "010 555 05 50", "directeur", ["onderwijs"], 3, 3,
     "lauw",
     "Basisschool De Regenboog", "Directeur", None, "Ouderbetrokkenheid bij lezen."),
    ("Joke Mulder", "joke@voedselbank-rivierstad.example", None, "coordinator", ["armoede"], 1, 3, "warm",
     "Voedselbank Rivierstad", "Coördinator uitgiftepunt", None, None),
    ("Esther Bakker", "e.bakker@verloskunde.example", "010 555 06 60", "professional", ["jeugdgezondheid"],
     2, 2, "koud", "Verloskundigenpraktijk Moeder & Kind", "Verloskundige", None, None),
)


def seed_network_demo() -> None:
    """Get-or-create by name; adds contact moments only once."""
    partners = {}
    for name, kind, internal, status, place, offer, refer, tags in PARTNERS:
        partner = db.session.scalar(select(Partner).where(Partner.name == name))
        if partner is None:
            partner = Partner(name=name, kind=kind, internal=internal, status=status, place=place,
                              offer=offer,
                              how_to_refer=refer, tags=tags, phone="010 555 00 00",
                              email=f"info@{kind}.example", website=f"https://www.{kind}.example")
            partner.status_changes.append(PartnerStatusChange(status=status))
            db.session.add(partner)
        partners[name] = partner
    db.session.flush()
    people = {}
    for (name, email, phone, position, domains, influence, interest, warmth, org, function,
         knowledge, hook) in PEOPLE:
        contact = db.session.scalar(select(Contact).where(Contact.name == name))
        if contact is None:
            contact = Contact(name=name, email=email, phone=phone, position=position, domains=domains,
                              influence=influence, interest=interest, warmth=warmth, knowledge=knowledge,
                              hook=hook, known_by="Sanne de Vries",
                              theme=Contact.theme_for(partners[org].kind).value)
            contact.affiliations.append(Affiliation(partner=partners[org], function=function))
            db.session.add(contact)
        people[name] = contact
    db.session.flush()
    if db.session.scalar(select(Interaction.id).limit(1)) is not None:
        return
    specialist = db.session.scalar(select(User).where(User.email == "specialist@bibliotheek.example"))
    duo = db.session.scalar(select(User).where(User.email == "duo@bibliotheek.example"))
    me = specialist.id if specialist else None
    other = duo.id if duo else me
    today = local_today()
    moments = (
        ("face-to-face", -40, ["Marieke Jansen"], [MUNICIPALITY],
         "Kennismaking met de wethouder over de gezinsaanpak en de rol van de bibliotheek.",
         "Wethouder is positief; wil cijfers over bereik van gezinnen zien.",
         "De bibliotheek verbindt partners rond gezinnen met taalachterstand.",
         "Cijfers BoekStart en VoorleesExpress sturen.", -5, me, None),
        ("telefoon", -12, ["Ahmed Yilmaz"], [MUNICIPALITY],
         "Telefonisch gesproken over de nieuwe Lokale Educatieve Agenda.",
         "Bibliotheek mag input leveren voor het hoofdstuk VVE.", None,
         "Input LEA sturen (één A4).", 0, me, None),
        ("bijeenkomst", -20, ["Sandra Koster", "Linda Smit"], ["Consultatiebureau Rivierstad (JGZ)",
                                                               "Kinderopvang De Ukkepuk"],
         "Netwerkoverleg jonge kind: BoekStart in de kinderopvang en op het consultatiebureau.",
         "Afspraak: koffertjes ook via de kinderopvang uitdelen.", None,
         "Planning van de voorleesmomenten maken.", 4, me, None),
        ("raadsvergadering", -8, ["Peter van Dijk"], [MUNICIPALITY],
         "Commissie Samenleving bijgewoond; vragen over de bibliotheekbegroting.",
         "Raadslid wil werkbezoek.", None, "Werkbezoek met het raadslid plannen.", 10, other, None),
        ("netwerkborrel", -30, ["Youssef Amrani", "Joke Mulder"], ["Welzijn Rivierstad",
                                                                    "Voedselbank Rivierstad"],
         "Op de netwerkborrel van Welzijn gesproken over gezinnen met geldzorgen.",
         "Voedselbank wil een boekenkast bij het uitgiftepunt.", None, "Boeken regelen voor de kast.", -15,
         me, today - timedelta(days=14)),
        ("e-mail", -3, ["Ingrid de Boer"], [MUNICIPALITY],
         "Mail over het armoedebeleid en de rol van de bibliotheek.", None, None,
         "Afspraak maken voor een kennismaking.", 2, me, None),
        ("werkgroep", -50, ["Hanneke Visser"], ["Basisschool De Regenboog"],
         "Werkgroep ouderbetrokkenheid: voorleesochtenden in de ouderkamer.",
         "Start na de herfstvakantie.", None, None, None, None, None),
    )
    people_lookup, partner_lookup = people, partners
    for kind, offset, who, orgs, summary, outcome, key, follow, due, owner, done in moments:
        interaction = Interaction(
            kind=kind, occurred_on=today + timedelta(days=offset), summary=summary, outcome=outcome,
            key_message=key, library_people="Sanne de Vries", owner_id=me, follow_up=follow,
            follow_up_due=today + timedelta(days=due) if due is not None else None,
            follow_up_owner_id=owner if follow else None,
        )
        if done:
            from datetime import datetime, time

            interaction.follow_up_done_at = datetime.combine(done, time(12))
        interaction.contacts = [people_lookup[n] for n in who]
        interaction.partners = [partner_lookup[n] for n in orgs]
        db.session.add(interaction)
    db.session.flush()
