"""AVG rights for a person: everything we hold about them (art. 15) and erasure (art. 17)."""

from __future__ import annotations

import re

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from crm.audit import AuditEntry, record_event
from crm.db import db, utcnow
from crm.network.models import Contact, Interaction, Partner, interaction_contacts
from crm.network.services import like
from crm.registry import current_registry

ERASED_NAME = "Gewiste persoon"
REDACTED = "[verwijderd]"
CONTACT_TEXT = ("name", "email", "phone", "position", "warmth", "knowledge", "interests", "hook", "known_by",
                "evaluation", "notes")
INTERACTION_TEXT = ("summary", "outcome", "key_message", "library_people", "follow_up")
PARTNER_TEXT = ("offer", "how_to_refer", "notes")


def identifiers(contact: Contact) -> list[str]:
    """The strings that identify this person in free text: name, e-mail, phone."""
    found = [contact.name, contact.email, contact.phone]
    return [s for s in found if s and len(s.strip()) >= 3]


def mentions_query(contact: Contact):
    """Contact moments linked to the person or naming them in their text."""
    links = interaction_contacts.c
    linked = select(links.interaction_id).where(links.contact_id == contact.id)
    conditions = [Interaction.id.in_(linked)]
    for ident in identifiers(contact):
        pattern = like(ident)
        conditions += [func.lower(getattr(Interaction, attr)).like(pattern, escape="\\")
                       for attr in INTERACTION_TEXT]
    return (select(Interaction).where(or_(*conditions))
            .options(selectinload(Interaction.contacts), selectinload(Interaction.partners))
            .order_by(Interaction.occurred_on.desc()))


def _mentioning(model, attrs, idents: list[str]):
    """Records of ``model`` whose text ``attrs`` contain one of the identifiers."""
    conditions = [func.lower(getattr(model, a)).like(like(ident), escape="\\")
                  for ident in idents for a in attrs]
    return db.session.scalars(select(model).where(or_(*conditions))).all() if conditions else []


def other_mentions(contact: Contact) -> list[dict]:
    """Records of other packages (lobby, collaboration, ...) whose free text names the person."""
    idents = identifiers(contact)
    found = []
    for source in current_registry().personal_texts:
        for record in _mentioning(source.model, source.fields, idents):
            found.append({
                "soort": source.label,
                "titel": str(getattr(record, source.title, record.id)),
                "tekst": {a: getattr(record, a) for a in source.fields if getattr(record, a)},
            })
    return found


def person_report(contact: Contact) -> dict:
    """Everything the product holds about a person, as plain data (for JSON and HTML)."""
    moments = db.session.scalars(mentions_query(contact)).all()
    audit = db.session.scalars(
        select(AuditEntry).where(AuditEntry.record_type == "crm_contact", AuditEntry.record_id == contact.id)
        .order_by(AuditEntry.created_at)
    ).all()
    return {
        "persoon": {
            "naam": contact.name, "e-mail": contact.email, "telefoon": contact.phone,
            "positie": contact.position, "beleidsdomeinen": contact.domains or [],
            "invloed": contact.influence, "belang": contact.interest, "relatie": contact.warmth,
            "wat weten ze al": contact.knowledge, "belangen": contact.interests, "haakje": contact.hook,
            "wie kent hen": contact.known_by,
            "waardevol": {True: "ja", False: "nee"}.get(contact.valuable),
            "evaluatie": contact.evaluation, "notities": contact.notes,
            "aangemaakt": contact.created_at.isoformat() if contact.created_at else None,
            "gewijzigd": contact.updated_at.isoformat() if contact.updated_at else None,
        },
        "organisaties": [
            {"organisatie": a.partner.name, "functie": a.function, "afdeling": a.department,
             "vanaf": a.start_date.isoformat() if a.start_date else None,
             "tot": a.end_date.isoformat() if a.end_date else None}
            for a in contact.affiliations
        ],
        "contactmomenten": [
            {"datum": m.occurred_on.isoformat(), "soort": m.kind, "samenvatting": m.summary,
             "uitkomst": m.outcome, "kernboodschap": m.key_message, "opvolging": m.follow_up,
             "gekoppeld": any(c.id == contact.id for c in m.contacts),
             "organisaties": [p.name for p in m.partners]}
            for m in moments
        ],
        "genoemd in": other_mentions(contact),
        "logboek": [
            {"wanneer": e.created_at.isoformat(), "wie": e.actor_label, "wat": e.action_label,
             "velden": e.fields or []}
            for e in audit
        ],
    }


def _scrub(text: str | None, idents: list[str]) -> str | None:
    if not text:
        return text
    for ident in idents:
        text = re.sub(re.escape(ident), REDACTED, text, flags=re.IGNORECASE)
    return text


def erase(contact: Contact) -> int:
    """Anonymise the person everywhere: their record, links, and every text that names them.

    The audit log holds no values (only field names), so it needs no change; the erasure
    itself is logged. Returns the number of other records whose text was cleaned. Only flushes.
    """
    idents = identifiers(contact)
    cleaned = 0
    for moment in db.session.scalars(mentions_query(contact)).all():
        for attr in INTERACTION_TEXT:
            setattr(moment, attr, _scrub(getattr(moment, attr), idents))
        moment.summary = moment.summary or REDACTED
        moment.contacts = [c for c in moment.contacts if c.id != contact.id]
        cleaned += 1
    sources = [(Partner, PARTNER_TEXT), (Contact, CONTACT_TEXT)]
    sources += [(s.model, s.fields) for s in current_registry().personal_texts]
    for model, attrs in sources:
        for record in _mentioning(model, attrs, idents):
            if record is contact:
                continue
            for attr in attrs:
                if attr != "name":
                    setattr(record, attr, _scrub(getattr(record, attr), idents))
            cleaned += 1
    for link in list(contact.affiliations):
        db.session.delete(link)
    for attr in CONTACT_TEXT:
        setattr(contact, attr, None)
    contact.name = ERASED_NAME
    contact.domains, contact.influence, contact.interest, contact.valuable = [], None, None, None
    contact.erased_at = utcnow()
    db.session.flush()
    record_event("erase", "crm_contact", contact.id)
    return cleaned


