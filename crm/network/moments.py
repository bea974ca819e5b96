"""Contact moments and their follow-ups, the one search box, the sociale kaart and retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, delete, or_, select
from sqlalchemy.orm import selectinload

from crm.db import db, utcnow
from crm.errors import refuse_twin
from crm.network import search_index
from crm.network.models import Contact, Interaction, Partner, interaction_contacts, interaction_partners
from crm.network.services import (
    NetworkError,
    check_version,
    clean,
    contact_query,
    icontains,
    json_list_contains,
    partner_query,
)
from crm.web import local_today

# -- contact moments ---------------------------------------------------------------------------
INTERACTION_FIELDS = {
    "kind": "Soort", "occurred_on": "Datum", "summary": "Samenvatting", "outcome": "Uitkomst",
    "key_message": "Kernboodschap", "library_people": "Vanuit de bibliotheek", "follow_up": "Opvolging",
    "follow_up_due": "Opvolgen vóór",
}


@dataclass
class InteractionData:
    kind: str
    occurred_on: date
    summary: str
    contact_ids: list[int]
    partner_ids: list[int]
    outcome: str | None = None
    key_message: str | None = None
    library_people: str | None = None
    follow_up: str | None = None
    follow_up_due: date | None = None
    follow_up_owner_id: int | None = None
    theme: str | None = None
    phase: str | None = None


def save_interaction(interaction: Interaction | None, data: InteractionData, actor_id: int | None,
                     version=None) -> Interaction:
    if not clean(data.summary):
        raise NetworkError("Vul in waar het over ging.", "summary")
    if not data.contact_ids and not data.partner_ids:
        raise NetworkError("Kies met wie je contact had: een persoon of een organisatie.", "contact_ids")
    if data.follow_up_due and not (clean(data.follow_up)):
        raise NetworkError("Schrijf op wat er opgevolgd moet worden.", "follow_up")
    if clean(data.follow_up) and not data.follow_up_due:
        # Follow-ups are listed by their date (start page, open follow-ups): without one it
        # would be stored but never shown again.
        raise NetworkError("Kies vóór wanneer het opgevolgd moet worden.", "follow_up_due")
    if data.follow_up_due and data.occurred_on and data.follow_up_due < data.occurred_on:
        raise NetworkError("Opvolgen kan niet vóór het contactmoment zelf. Kies een latere datum.",
                           "follow_up_due")
    if interaction is None:
        # The same moment sent twice (a page sent again, a slow line): the first one stands.
        people, organisations = set(data.contact_ids or []), set(data.partner_ids or [])
        refuse_twin(Interaction, actor_id, {"kind": data.kind, "occurred_on": data.occurred_on,
                                            "summary": clean(data.summary)}, owner="owner_id",
                    same=lambda r: ({c.id for c in r.contacts}, {p.id for p in r.partners})
                    == (people, organisations))  # the same call with another partner is another moment
        interaction = Interaction(owner_id=actor_id)
        db.session.add(interaction)
    else:
        check_version(interaction, version, INTERACTION_FIELDS)
    interaction.kind, interaction.occurred_on = data.kind, data.occurred_on
    for attr in ("summary", "outcome", "key_message", "library_people", "follow_up"):
        setattr(interaction, attr, clean(getattr(data, attr)))
    if interaction.follow_up_due != data.follow_up_due or interaction.follow_up_owner_id != (
        data.follow_up_owner_id or actor_id
    ):
        interaction.follow_up_done_at = None
    interaction.follow_up_due = data.follow_up_due
    interaction.follow_up_owner_id = (data.follow_up_owner_id or actor_id) if (
        data.follow_up_due or clean(data.follow_up)) else None
    contacts = select(Contact).where(Contact.id.in_(data.contact_ids or []))
    partners = select(Partner).where(Partner.id.in_(data.partner_ids or []))
    interaction.contacts = list(db.session.scalars(contacts))
    interaction.partners = list(db.session.scalars(partners))
    if data.theme:
        interaction.theme = data.theme
    if data.phase:
        interaction.phase = data.phase
    db.session.flush()
    return interaction


def mark_done(interaction: Interaction, actor_id: int | None) -> None:
    interaction.follow_up_done_at = utcnow()
    interaction.follow_up_done_by_id = actor_id
    db.session.flush()


def reopen(interaction: Interaction) -> None:
    interaction.follow_up_done_at = None
    interaction.follow_up_done_by_id = None
    db.session.flush()


def delete_interaction(interaction: Interaction) -> None:
    db.session.delete(interaction)
    db.session.flush()


INTERACTION_SORTS = {"-datum": Interaction.occurred_on.desc(), "datum": Interaction.occurred_on,
                     "opvolgen": Interaction.follow_up_due, "soort": Interaction.kind}


def interaction_query(q: str | None = None, kind: str | None = None, partner_id: int | None = None,
                      contact_id: int | None = None, open_only: bool = False, owner_id: int | None = None,
                      sort: str | None = None) -> Select:
    stmt = select(Interaction).options(
        selectinload(Interaction.contacts), selectinload(Interaction.partners),
        selectinload(Interaction.follow_up_owner),
    )
    if q:
        indexed = search_index.fts_ids(q.strip())
        if indexed is not None:
            stmt = stmt.where(Interaction.id.in_(indexed))
        else:
            stmt = stmt.where(or_(icontains(Interaction.summary, q),
                                  icontains(Interaction.outcome, q)))
    if kind:
        stmt = stmt.where(Interaction.kind == kind)
    if partner_id:
        lk = interaction_partners.c
        stmt = stmt.where(Interaction.id.in_(select(lk.interaction_id).where(lk.partner_id == partner_id)))
    if contact_id:
        lk = interaction_contacts.c
        stmt = stmt.where(Interaction.id.in_(select(lk.interaction_id).where(lk.contact_id == contact_id)))
    if open_only:
        stmt = stmt.where(Interaction.follow_up_due.is_not(None), Interaction.follow_up_done_at.is_(None))
    if owner_id:
        stmt = stmt.where(Interaction.follow_up_owner_id == owner_id)
    order = INTERACTION_SORTS.get(sort or "-datum", Interaction.occurred_on.desc())
    return stmt.order_by(order, Interaction.id.desc())


def follow_ups_for(user_id: int, today: date | None = None, ahead_days: int = 7, limit: int = 20):
    """Open follow-ups of a user that are overdue or due within ``ahead_days``, soonest first."""
    today = today or local_today()
    stmt = (
        select(Interaction)
        .options(selectinload(Interaction.contacts), selectinload(Interaction.partners))
        .where(Interaction.follow_up_owner_id == user_id, Interaction.follow_up_done_at.is_(None),
               Interaction.follow_up_due.is_not(None),
               Interaction.follow_up_due <= today + timedelta(days=ahead_days))
        .order_by(Interaction.follow_up_due, Interaction.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


# -- one search box ---------------------------------------------------------------------------
def search(q: str, limit: int = 20) -> dict:
    """One search box over organisations, people and contact moments (``limit`` of each).

    Each kind is taken newest-recorded first (by id): that walks the table once and stops
    early, where ordering by name or date would look up every row through that index;
    the few found are then sorted for display.
    """
    q = (q or "").strip()
    if len(q) < 2:
        return {"partners": [], "contacts": [], "interactions": []}
    def newest(stmt, model):
        return stmt.order_by(None).order_by(model.id.desc()).limit(limit)

    partners = db.session.scalars(newest(partner_query(q=q), Partner)).all()
    contacts = db.session.scalars(newest(contact_query(q=q), Contact)).all()
    found = db.session.scalars(newest(interaction_query(q=q), Interaction)).all()
    partners = sorted(partners, key=lambda p: p.name.lower())
    contacts = sorted(contacts, key=lambda c: c.name.lower())
    interactions = sorted(found, key=lambda i: (i.occurred_on, i.id), reverse=True)
    return {"partners": partners, "contacts": contacts, "interactions": interactions}


# -- frontoffice directory ---------------------------------------------------------------------
def directory_query(q: str | None = None, kind: str | None = None) -> Select:
    """Active partners with what they offer families; only public organisation details."""
    stmt = select(Partner).where(Partner.status == "actief")
    if q:
        stmt = stmt.where(or_(icontains(Partner.name, q),
                              icontains(Partner.offer, q),
                              icontains(Partner.place, q),
                              json_list_contains(Partner.tags, q.strip().lower())))
    if kind:
        stmt = stmt.where(Partner.kind == kind)
    return stmt.order_by(Partner.kind, Partner.name)


# -- retention ----------------------------------------------------------------------------------
RETENTION_KEY = "interaction_retention_months"


def interaction_cutoff(now: datetime, months: int) -> date:
    """Contact moments before this day are older than ``months`` months (the purge's line)."""
    return (now - timedelta(days=round(months * 30.44))).date()


def purge_interactions(now: datetime, months: int) -> int:
    """Delete contact moments that happened more than ``months`` months before ``now``."""
    cutoff = interaction_cutoff(now, months)
    ids = select(Interaction.id).where(Interaction.occurred_on < cutoff)
    db.session.execute(delete(interaction_contacts).where(interaction_contacts.c.interaction_id.in_(ids)))
    db.session.execute(delete(interaction_partners).where(interaction_partners.c.interaction_id.in_(ids)))
    result = db.session.execute(delete(Interaction).where(Interaction.occurred_on < cutoff),
                                execution_options={"synchronize_session": False})
    db.session.flush()
    return result.rowcount or 0
