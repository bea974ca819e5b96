"""AVG rights for a person: everything we hold about them (art. 15) and erasure (art. 17).

One finder, ``find_mentions``, decides which records name the person: the inzage lists
exactly those and ``erase`` changes exactly those, so the two can never disagree. It
matches the full name (any case, any spacing), the e-mail address and the phone number;
records that only use the first name or the surname are listed as "mogelijk over deze
persoon" for the specialist to check, and are not changed (a bare "de Vries" may be
someone else). So a name of one word ("Anna", "Wethouder", "de Vries") is never changed
in other records either: it only makes them "mogelijk".

How a name, address or number is recognised is ``crm.network.person_matcher``. The
database only narrows (exact patterns in SQL LIKE); the regular expressions decide.
One query per kind of record reads ids and text only; only the records found become
objects. For "mogelijk" it reads at most ``POSSIBLE_SCAN`` rows per kind of record: a
first name like "Jan" is in every "januari".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from sqlalchemy import case, func, literal, or_, select
from sqlalchemy.orm import selectinload

from crm.audit import AuditEntry, field_label, record_event
from crm.db import db, utcnow
from crm.network.models import Contact, Interaction, Partner, interaction_contacts
from crm.network.person_matcher import REDACTED, Matcher, strings
from crm.registry import PersonalText, current_registry

ERASED_NAME = "Gewiste persoon"
CONTACT_TEXT = ("name", "email", "phone", "position", "warmth", "knowledge", "interests", "hook", "known_by",
                "evaluation", "notes")
INTERACTION_TEXT = ("summary", "outcome", "key_message", "library_people", "follow_up")
PARTNER_TEXT = ("offer", "how_to_refer", "notes", "email", "phone")
#: The text of another person's record that may name this person (their name is their own).
OTHER_CONTACT_TEXT = ("email", "phone", "knowledge", "interests", "hook", "known_by", "evaluation", "notes")
FIELD_LABELS = {"email": "het e-mailadres", "phone": "het telefoonnummer"}
#: Per kind of record: rows read for the "mogelijk" list, and records listed at most.
POSSIBLE_SCAN = 500
POSSIBLE_MAX = 50


# -- the one finder -------------------------------------------------------------------------------
@dataclass
class Mention:
    """A record whose ``fields`` name the person; erasing changes exactly those fields."""

    source: PersonalText
    record: Any
    fields: tuple[str, ...]
    cleared: tuple[str, ...] = ()  # of those, e-mail/phone fields holding exactly the person's


@dataclass
class Found:
    moments: list = field(default_factory=list)  # contact moments linked to or naming the person
    others: list[Mention] = field(default_factory=list)  # every other record that names them
    possible: list[Mention] = field(default_factory=list)  # first name or surname alone: to check
    possible_cut: bool = False  # more records hold the first name or surname than are listed


def interaction_source() -> PersonalText:
    return PersonalText(Interaction, INTERACTION_TEXT, "contactmoment",
                        lambda i: f"{i.occurred_on:%d-%m-%Y}: {(i.summary or '')[:60]}",
                        lambda i: url_for("crm.interaction_detail", interaction_id=i.id))


def sources() -> list[PersonalText]:
    """Every kind of record besides contact moments whose text may name a person."""
    return [
        PersonalText(Partner, PARTNER_TEXT, "partner", "name",
                     lambda p: url_for("crm.partner_detail", partner_id=p.id)),
        PersonalText(Contact, OTHER_CONTACT_TEXT, "persoon", "name",
                     lambda c: url_for("crm.contact_detail", contact_id=c.id)),
        *current_registry().personal_texts,
    ]


def _named(matcher: Matcher, source: PersonalText, record) -> Mention | None:
    values = {a: getattr(record, a) for a in source.fields}
    cleared = tuple(a for a, v in values.items() if matcher.same_value(a, v))
    named = tuple(a for a, v in values.items() if a in cleared or matcher.names(v))
    return Mention(source, record, named, cleared) if named else None


def find_mentions(contact: Contact) -> Found:
    """Every record that names the person, and those that possibly do."""
    matcher, found = Matcher(contact), Found()
    if contact.erased_at is not None:  # nothing left to find by: "Gewiste persoon" is no one
        return found
    links = interaction_contacts.c
    linked = Interaction.id.in_(select(links.interaction_id).where(links.contact_id == contact.id))
    moments = _search(matcher, contact, interaction_source(), found, linked,
                      options=(selectinload(Interaction.contacts), selectinload(Interaction.partners)))
    found.moments = sorted(moments, key=lambda m: (m.occurred_on, m.id), reverse=True)
    for source in sources():
        mentions = (_named(matcher, source, r) for r in _search(matcher, contact, source, found))
        found.others += [m for m in mentions if m]
    return found


def _search(matcher: Matcher, contact: Contact, source: PersonalText, found: Found, linked=None,
            options=()) -> list:
    """One kind of record in one query of ids and text: returns the records that name the
    person (or are ``linked`` to them), and adds to ``found.possible`` those that still hold
    the first name or surname once the exact mentions are gone. Of the rows that only
    may hold that name, at most ``POSSIBLE_SCAN`` are read (the newest), and at most
    ``POSSIBLE_MAX`` records listed; only the records found are loaded as objects."""
    model = source.model
    sure = matcher.conditions(model, source.fields) + ([linked] if linked is not None else [])
    maybe = matcher.possible_conditions(model, source.fields)
    if not sure and not maybe:
        return []
    is_sure = case((or_(*sure), 1), else_=0) if sure else literal(0)
    is_linked = case((linked, 1), else_=0) if linked is not None else literal(0)
    stmt = select(model.id, is_sure, is_linked,
                  func.row_number().over(partition_by=is_sure, order_by=model.id.desc()),
                  *(getattr(model, a) for a in source.fields)).where(or_(*sure, *maybe))
    if model is Contact:
        stmt = stmt.where(Contact.id != contact.id)
    ranked = stmt.subquery()
    _, sure_col, _, rank, *_ = ranked.c
    rows = db.session.execute(select(ranked).where(or_(sure_col == 1, rank <= POSSIBLE_SCAN + 1))
                              .order_by(ranked.c[0].desc())).all()
    named, possible = [], {}
    for record_id, row_sure, row_linked, row_rank, *values in rows:
        if not row_sure and row_rank > POSSIBLE_SCAN:
            found.possible_cut = True
            continue
        values = dict(zip(source.fields, values, strict=True))
        cleared = {a for a, v in values.items() if matcher.same_value(a, v)}
        if row_linked or (row_sure and (cleared or any(matcher.names(v) for v in values.values()))):
            named.append(record_id)
        fields = tuple(a for a, v in values.items() if a not in cleared and matcher.maybe_names(v))
        if fields and len(possible) == POSSIBLE_MAX:
            found.possible_cut = True
        elif fields:
            possible[record_id] = fields
    if not named and not possible:
        return []
    stmt = select(model).where(model.id.in_([*named, *possible])).options(*options).order_by(model.id)
    records = {r.id: r for r in db.session.scalars(stmt)}
    found.possible += [Mention(source, records[i], fields) for i, fields in possible.items() if i in records]
    return [records[i] for i in sorted(named) if i in records]


# -- inzage ---------------------------------------------------------------------------------------
def _shown(record, attr: str, matcher: Matcher) -> str:
    value = getattr(record, attr)
    if isinstance(value, str):
        return value
    return " … ".join(s for s in strings(value) if matcher.exact and matcher.exact.search(s))


def review_list(found: Found) -> list[dict]:
    """The records that may be about the person, with a link, for the specialist to check
    (``found.possible_cut`` says when there are more than listed)."""
    return link_list(found.possible)


def link_list(mentions: list[Mention]) -> list[dict]:
    """Kind, title and (where there is one) the page of each record, for the specialist."""
    return [{"soort": m.source.label, "titel": m.source.title_of(m.record),
             "url": m.source.url(m.record) if m.source.url else None}
            for m in mentions]


def person_report(contact: Contact, found: Found | None = None) -> dict:
    """Everything the product holds about a person, as plain data (for JSON and HTML)."""
    from crm.admin.services import choices

    found = found or find_mentions(contact)
    matcher = Matcher(contact)
    kinds = dict(choices("interaction_kinds", include_inactive=True))
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
            {"datum": m.occurred_on.isoformat(), "soort": kinds.get(m.kind, m.kind),
             "samenvatting": m.summary, "uitkomst": m.outcome, "kernboodschap": m.key_message,
             "opvolging": m.follow_up,
             "gekoppeld": any(c.id == contact.id for c in m.contacts),
             "organisaties": [p.name for p in m.partners]}
            for m in found.moments
        ],
        "genoemd in": [
            {"soort": m.source.label, "titel": m.source.title_of(m.record),
             "tekst": {_label(m, a): _shown(m.record, a, matcher) for a in m.fields}}
            for m in found.others
        ],
        "mogelijk over deze persoon": [
            {"soort": m.source.label, "titel": m.source.title_of(m.record),
             "velden": [_label(m, a) for a in m.fields]}
            for m in found.possible
        ],
        "mogelijk: lijst ingekort": found.possible_cut,
        "logboek": [
            {"wanneer": e.created_at.isoformat(), "wie": e.actor_label, "wat": e.action_label,
             "velden": e.field_label_list}
            for e in audit
        ],
    }


def _label(mention: Mention, attr: str) -> str:
    return field_label(mention.record.__tablename__, attr)


# -- wissen ---------------------------------------------------------------------------------------
@dataclass
class Erasure:
    """What erasing changed: ``cleaned`` other records, fields ``cleared`` because they held
    the person's own e-mail or phone (Dutch phrases), and the records left to check
    (``review``, as ``review_list`` gives them; ``review_cut`` when there are more).

    After the erasure nothing leads to those records any more, so the specialist must see
    them on the result page. They may name other people: never put them in a flash (the
    session cookie is signed, not encrypted)."""

    cleaned: int = 0
    cleared: list[str] = field(default_factory=list)
    review: list[dict] = field(default_factory=list)
    review_cut: bool = False


def _clean(matcher: Matcher, mention: Mention, changed: set[str]) -> None:
    record = mention.record
    for attr in mention.fields:
        if attr in mention.cleared:
            column = record.__mapper__.columns[attr]
            setattr(record, attr, None if column.nullable else REDACTED)
        else:
            setattr(record, attr, matcher.scrub(getattr(record, attr)))
        changed.add(f"{record.__tablename__}.{attr}")


def erase(contact: Contact) -> Erasure:
    """Anonymise the person everywhere: their record, links, and every text that names them.

    Changes exactly what ``find_mentions`` finds. The audit log holds no values (only field
    names), so it needs no change; the erasure itself is logged with the names of the
    fields it changed elsewhere. Only flushes.
    """
    matcher, found = Matcher(contact), find_mentions(contact)
    result, changed = Erasure(review_cut=found.possible_cut), set()
    moment_source = interaction_source()
    for moment in found.moments:
        linked = any(c.id == contact.id for c in moment.contacts)
        if linked:
            # A moment with the person is about them: their first name or surname alone goes too.
            for attr in INTERACTION_TEXT:
                value = getattr(moment, attr)
                if (scrubbed := matcher.scrub_all(value)) != value:
                    setattr(moment, attr, scrubbed)
                    changed.add(f"{moment.__tablename__}.{attr}")
        else:
            named = tuple(a for a in INTERACTION_TEXT if matcher.names(getattr(moment, a)))
            _clean(matcher, Mention(moment_source, moment, named), changed)
        moment.summary = moment.summary or REDACTED
        if linked:
            moment.contacts = [c for c in moment.contacts if c.id != contact.id]
            changed.add("crm_interaction_contact")
        result.cleaned += 1
    for mention in found.others:
        _clean(matcher, mention, changed)
        title = mention.source.title_of(mention.record)
        result.cleared += [f"{FIELD_LABELS[a]} bij {mention.source.label} ‘{title}’" for a in mention.cleared]
        result.cleaned += 1
    for link in list(contact.affiliations):
        db.session.delete(link)
    for attr in CONTACT_TEXT:
        setattr(contact, attr, None)
    contact.name = ERASED_NAME
    contact.domains, contact.influence, contact.interest, contact.valuable = [], None, None, None
    contact.erased_at = utcnow()
    db.session.flush()
    record_event("erase", "crm_contact", contact.id, fields=sorted(changed))
    result.review = review_list(found)  # titles as they are now, without the erased name
    return result
