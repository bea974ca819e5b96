"""Demo data: the team is under way in Samenwerken and Profilering, and has last year's evaluation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from content import services
from content.models import DONE, IN_PROGRESS, PhaseProgress, StepCheck, YearSnapshot
from crm.auth.models import User
from crm.db import db, utcnow
from crm.guide import Phase, Theme

C, P = Theme.COLLABORATION, Theme.PROFILING

ANSWERS = {
    (C, Phase.ORIENTATION): (
        "Ja. Binnen de bibliotheek werken de specialisten Educatie/Jeugd en Basisvaardigheden samen als "
        "gouden duo. Extern zijn het consultatiebureau, Kinderopvang De Ukkepuk, Peuterspeelzaal Het "
        "Klavertje, Basisschool De Regenboog en Welzijn Rivierstad onmisbaar; de voedselbank en het "
        "Taalhuis sluiten aan. De rol van elke partij staat in het woordweb."
    ),
    (C, Phase.CREATION): (
        "Grotendeels. Met het consultatiebureau en de kinderopvang is een gezamenlijke ambitie "
        "opgesteld: elk gezin hoort vóór de eerste verjaardag van BoekStart. De basisschool wil eerst "
        "de krachtenanalyse afronden."
    ),
    (P, Phase.ORIENTATION): (
        "Ja. We sluiten aan bij het collegeprogramma (kansengelijkheid) en de Lokale Educatieve Agenda. "
        "Wethouder Marieke Jansen en beleidsmedewerker Ahmed Yilmaz zijn onze ingang; de bibliotheek "
        "kiest de rol van verbinder."
    ),
}
STATE = {
    (C, Phase.ORIENTATION): (DONE, [1, 2, 3, 4, 5]),
    (C, Phase.CREATION): (DONE, [1, 2, 3, 4, 5]),
    (C, Phase.IMPLEMENTATION): (IN_PROGRESS, [1]),
    (P, Phase.ORIENTATION): (DONE, [1, 2, 3, 4, 5, 6, 7, 8]),
    (P, Phase.CREATION): (IN_PROGRESS, [1, 2]),
}


def seed() -> None:
    if db.session.scalar(select(PhaseProgress.id).limit(1)) is not None:
        return
    sanne = db.session.scalar(select(User).where(User.email == "specialist@bibliotheek.example"))
    karim = db.session.scalar(select(User).where(User.email == "duo@bibliotheek.example"))
    now = utcnow()
    for index, ((theme, phase), (status, steps)) in enumerate(STATE.items()):
        author = sanne if index % 2 == 0 else karim
        when = now - timedelta(days=120 - 20 * index)
        answer = ANSWERS.get((theme, phase))
        db.session.add(PhaseProgress(
            theme=theme.value, phase=phase.value, status=status, answer=answer,
            answered_by_id=author.id if (author and answer) else None,
            answered_at=when if answer else None,
        ))
        for number in steps:
            db.session.add(StepCheck(theme=theme.value, phase=phase.value, step_number=number,
                                     checked_by_id=author.id if author else None,
                                     checked_at=when - timedelta(days=10 - number)))
    db.session.flush()
    # Last year: only the start of Samenwerken, so the comparison shows the way travelled.
    last_year = now.year - 1
    data = services.current_state()
    for entry in data.values():
        entry.update(status="niet_begonnen", answer=None, steps_done=[])
    data[services.key_of(C, Phase.ORIENTATION)].update(
        status=IN_PROGRESS, steps_done=[1, 2],
        answer="Nog niet: we weten wie binnen de bibliotheek meedoet, de externe partners nog niet.",
    )
    db.session.add(YearSnapshot(
        year=last_year, data=data, taken_by_id=sanne.id if sanne else None,
        taken_at=datetime(last_year, 12, 10, 10, 0, tzinfo=UTC),
    ))
    db.session.flush()
