"""Demo data for ``make run``: Gemeente Rivierstad with its college, a lobbyplan, two meetings
(one past with an outcome, one upcoming and fully prepared), a pitch in two versions, a plan van
aanpak and a few pieces of evidence. Get-or-create by the shared demo names; no commit."""

from sqlalchemy import select

from crm.db import db
from lobby.demo.base import seed_municipality
from lobby.demo.meetings import seed_meetings
from lobby.demo.story import seed_story
from lobby.models import Meeting


def seed_demo() -> None:
    if db.session.scalar(select(Meeting).limit(1)) is not None:
        return  # lobby demo data is there already
    ctx = seed_municipality()
    evidence = seed_story(ctx)
    seed_meetings(ctx, evidence)
