"""The default aanhaakkalender: editable seed data written for this product.

Life-stage moments run from pregnancy (−9 months) to age 8; year moments carry a
typical date range (month, day) that the library checks each year.
"""

from __future__ import annotations

LIFE_STAGE_MOMENTS = (
    {
        "age_months": -6,
        "title": "Zwangerschap: controles bij de verloskundige",
        "description": "Aanstaande ouders komen tijdens de zwangerschap vaak bij de verloskundige. "
                       "Een goed moment om te vertellen wat de bibliotheek voor jonge gezinnen doet.",
        "message": "Je baby hoort je stem al in de buik. Praten, zingen en voorlezen helpt de taal "
                   "vanaf het allereerste begin.",
        "action": "Folders en een BoekStart-kaart in de wachtkamer leggen; aanbieden om iets te "
                  "vertellen op een zwangerschapsavond.",
        "partner_kinds": ["verloskundige", "kraamzorg"],
        "materials": "Folder over voorlezen aan baby's, BoekStart-kaart",
    },
    {
        "age_months": 0,
        "title": "Geboorte: aangifte bij de gemeente",
        "description": "Bij de aangifte van de geboorte komen ouders bij de gemeente.",
        "message": "Gefeliciteerd! Je kindje mag gratis lid worden van de bibliotheek.",
        "action": "Met de gemeente afspreken dat ouders bij de aangifte een uitnodiging van de "
                  "bibliotheek meekrijgen.",
        "partner_kinds": ["gemeente"],
        "materials": "Felicitatiekaart met uitnodiging voor BoekStart",
    },
    {
        "age_months": 1,
        "title": "Eerste weken: kraamzorg en eerste bezoek van het consultatiebureau",
        "description": "In de eerste weken komen de kraamverzorgende en de jeugdverpleegkundige "
                       "aan huis of ziet het gezin hen op het consultatiebureau.",
        "message": "Je baby leert van je stem. Kijk samen, praat en zing: dat is al voorlezen.",
        "action": "Jeugdverpleegkundigen uitleggen wat BoekStart is, zodat zij het ouders "
                  "kunnen aanraden.",
        "partner_kinds": ["consultatiebureau", "kraamzorg"],
        "materials": "Folder BoekStart voor baby's",
    },
    {
        "age_months": 3,
        "title": "Rond 3 maanden: uitnodiging voor BoekStart",
        "description": "Ouders krijgen rond drie maanden een uitnodiging om hun baby lid te maken "
                       "en het BoekStart-koffertje op te halen.",
        "message": "Haal je gratis BoekStart-koffertje op in de bibliotheek, met de eerste "
                   "boekjes voor je baby.",
        "action": "Uitnodigingen klaarzetten bij het consultatiebureau; koffertjes op voorraad "
                  "in elke vestiging.",
        "partner_kinds": ["consultatiebureau", "gemeente"],
        "materials": "BoekStart-koffertje, uitnodigingskaart",
    },
    {
        "age_months": 4,
        "title": "Start op de kinderopvang",
        "description": "Veel baby's gaan na het verlof van de ouders naar de kinderopvang.",
        "message": "Ook op de opvang wordt voorgelezen. Vraag de pedagogisch medewerker welke "
                   "boekjes je kind mooi vindt.",
        "action": "BoekStart in de kinderopvang: een boekencollectie en een voorleescoördinator "
                  "op de locatie.",
        "partner_kinds": ["kinderopvang"],
        "materials": "Collectie BoekStart in de kinderopvang, ouderfolder",
    },
    {
        "age_months": 14,
        "title": "Consultatiebureau: bezoek rond 14 maanden",
        "description": "Een vast bezoek aan het consultatiebureau; de taal komt op gang.",
        "message": "Benoem samen wat je ziet in een prentenboek. Zo leert je kind nieuwe woorden.",
        "action": "Een leesconsulent of BoekStartcoach houdt spreekuur op het consultatiebureau.",
        "partner_kinds": ["consultatiebureau"],
        "materials": "Boekenlijst voor dreumesen",
    },
    {
        "age_months": 18,
        "title": "Consultatiebureau: bezoek rond 18 maanden",
        "description": "De jeugdverpleegkundige let op de taalontwikkeling.",
        "message": "Elke dag even voorlezen helpt je kind beter praten.",
        "action": "Jeugdverpleegkundigen verwijzen bij zorgen over taal door naar de bibliotheek "
                  "en de VVE.",
        "partner_kinds": ["consultatiebureau"],
        "materials": "Folder voorlezen aan peuters",
    },
    {
        "age_months": 24,
        "title": "Rond 2 jaar: consultatiebureau en start peuteropvang of VVE",
        "description": "Rond twee jaar gaan peuters naar de peuteropvang, soms met een "
                       "VVE-indicatie.",
        "message": "Op de peuteropvang leert je kind spelenderwijs nieuwe woorden; thuis "
                   "voorlezen helpt daarbij.",
        "action": "Afspraken met de peuteropvang over boekencollecties, ouderbijeenkomsten en "
                  "doorverwijzing naar de bibliotheek.",
        "partner_kinds": ["consultatiebureau", "peuteropvang"],
        "materials": "Boekenkist voor de groep, uitnodiging voor een ouderbijeenkomst",
    },
    {
        "age_months": 36,
        "title": "Consultatiebureau: bezoek rond 3 jaar",
        "description": "Peuters praten steeds meer; ouders hebben vragen over taal en gedrag.",
        "message": "Stel vragen bij het voorlezen: wat gebeurt er nu? Zo praat je kind mee.",
        "action": "Informatie over de voorleesactiviteiten van de bibliotheek meegeven.",
        "partner_kinds": ["consultatiebureau"],
        "materials": "Activiteitenkalender van de bibliotheek",
    },
    {
        "age_months": 45,
        "title": "Consultatiebureau: bezoek rond 3 jaar en 9 maanden",
        "description": "Het laatste bezoek aan het consultatiebureau voor de basisschool.",
        "message": "Bijna naar school! Samen lezen helpt je kind goed voorbereid te beginnen.",
        "action": "Ouders wijzen op de jeugdafdeling van de bibliotheek en op de VoorleesExpress "
                  "bij taalachterstand.",
        "partner_kinds": ["consultatiebureau"],
        "materials": "Folder VoorleesExpress",
    },
    {
        "age_months": 48,
        "title": "4 jaar: naar de basisschool",
        "description": "Kinderen gaan naar groep 1. Ouders zijn vaak betrokken bij de school.",
        "message": "Blijf ook thuis voorlezen, ook als je kind op school leert lezen.",
        "action": "De Bibliotheek op school: collectie en leesconsulent; ouders uitnodigen voor een "
                  "ouderochtend.",
        "partner_kinds": ["basisschool"],
        "materials": "Welkomstpakket voor nieuwe kleuters en hun ouders",
    },
    {
        "age_months": 72,
        "title": "6 jaar: groep 3, leren lezen",
        "description": "In groep 3 leren kinderen zelf lezen. Ouders willen graag helpen.",
        "message": "Lees samen, om de beurt een bladzijde. Plezier is belangrijker dan foutloos lezen.",
        "action": "Ouderavond over lezen thuis samen met de school; boeken op AVI-niveau laten zien.",
        "partner_kinds": ["basisschool"],
        "materials": "Leesbevorderingsfolder voor ouders",
    },
)

YEAR_MOMENTS = (
    {
        "start": (1, 21), "end": (1, 31),
        "title": "Nationale Voorleesdagen",
        "description": "Tien dagen aan het eind van januari waarin voorlezen aan jonge kinderen "
                       "centraal staat. Controleer de precieze data voor dit jaar.",
        "message": "Voorlezen is leuk en belangrijk: begin er zo vroeg mogelijk mee.",
        "action": "Voorleesontbijt op de kinderopvang en de peuteropvang; voorlezen in de "
                  "wachtkamer van het consultatiebureau.",
        "partner_kinds": ["kinderopvang", "peuteropvang", "consultatiebureau", "basisschool"],
        "materials": "Prentenboek van het jaar, voorleestips voor ouders",
    },
    {
        "start": (7, 15), "end": (8, 31),
        "title": "Zomervakantie: blijven lezen",
        "description": "In de zomer lezen kinderen minder; het leesniveau kan dalen.",
        "message": "Neem boeken mee op vakantie of haal ze in de bibliotheek: ook in de zomer "
                   "blijven lezen.",
        "action": "Zomerleesactie samen met scholen en welzijn; boekentassen bij de voedselbank.",
        "partner_kinds": ["basisschool", "welzijn", "voedselbank"],
        "materials": "Zomerleesboekje, boekentas",
    },
    {
        "start": (9, 8), "end": (9, 14),
        "title": "Week van Lezen en Schrijven",
        "description": "Een week in september met aandacht voor laaggeletterdheid bij "
                       "volwassenen. Controleer de precieze data voor dit jaar.",
        "message": "Moeite met lezen of schrijven? Het Taalhuis helpt, ook als je je kind wilt "
                   "voorlezen.",
        "action": "Samen met het Taalhuis en welzijn ouders uitnodigen; informatie bij de "
                  "voedselbank.",
        "partner_kinds": ["taalhuis", "welzijn", "voedselbank", "roc-nt2"],
        "materials": "Folder Taalhuis, uitnodiging voor een taalcafé",
    },
    {
        "start": (10, 1), "end": (10, 11),
        "title": "Kinderboekenweek",
        "description": "Elk jaar in oktober, met een thema en een boekenweekgeschenk voor "
                       "kinderen. Controleer de precieze data voor dit jaar.",
        "message": "Kom naar de bibliotheek: er is van alles te doen rond het thema van dit jaar.",
        "action": "Activiteiten met scholen en kinderopvang; voorstellingen in de vestigingen.",
        "partner_kinds": ["basisschool", "kinderopvang", "peuteropvang"],
        "materials": "Posters en leeslijsten van de Kinderboekenweek",
    },
)
