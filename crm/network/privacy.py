"""AVG rights for a person: everything we hold about them (art. 15) and erasure (art. 17).

One finder, ``find_mentions``, decides which records name the person: the inzage lists
exactly those and ``erase`` changes exactly those, so the two can never disagree. It
matches the full name (any case, any spacing), the e-mail address and the phone number;
records that only use the first name or the surname are listed as "mogelijk over deze
persoon" for the specialist to check, and are not changed (a bare "de Vries" may be
someone else).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from sqlalchemy import JSON, Text, cast, func, or_, select
from sqlalchemy.orm import selectinload

from crm.audit import AuditEntry, record_event
from crm.db import db, utcnow
from crm.network.models import Contact, Interaction, Partner, interaction_contacts
from crm.registry import PersonalText, current_registry

ERASED_NAME = "Gewiste persoon"
REDACTED = "[verwijderd]"
CONTACT_TEXT = ("name", "email", "phone", "position", "warmth", "knowledge", "interests", "hook", "known_by",
                "evaluation", "notes")
INTERACTION_TEXT = ("summary", "outcome", "key_message", "library_people", "follow_up")
PARTNER_TEXT = ("offer", "how_to_refer", "notes", "email", "phone")
#: The text of another person's record that may name this person (their name is their own).
OTHER_CONTACT_TEXT = ("email", "phone", "knowledge", "interests", "hook", "known_by", "evaluation", "notes")
#: Fields that hold one address or number: holding exactly the person's, they are cleared.
WHOLE_VALUE = ("email", "phone")
#: Parts of a Dutch name that say nothing on their own (tussenvoegsels, titles).
NAME_PARTICLES = {"van", "de", "der", "den", "het", "ten", "ter", "te", "in", "op", "aan", "bij", "'t", "la",
                  "le", "du", "da", "von", "dhr", "mw", "mevr", "mevrouw", "meneer", "heer", "dr", "mr", "ir",
                  "drs", "prof", "ing"}
FIELD_LABELS = {"email": "het e-mailadres", "phone": "het telefoonnummer"}


def _digits(text: str | None) -> str:
    return "".join(c for c in text or "" if c.isdigit())


class Matcher:
    """How the person shows up in text: exactly (erased) or possibly (only listed)."""

    def __init__(self, contact: Contact):
        name = " ".join((contact.name or "").split())
        self.email = (contact.email or "").strip().lower() or None
        digits = _digits(contact.phone)
        self.phone = digits if len(digits) >= 6 else None
        exact, self.exact_likes = [], []
        if len(name) >= 3:
            exact.append(r"(?<!\w)" + r"\s+".join(re.escape(t) for t in name.split()) + r"(?!\w)")
            self.exact_likes.append(name.split())
        if self.email:
            exact.append(r"(?<![\w.+-])" + re.escape(self.email) + r"(?![\w-])(?!\.\w)")
            self.exact_likes.append([self.email])
        if self.phone:
            exact.append(r"(?<!\d)" + r"[\s.()/-]*".join(self.phone) + r"(?!\d)")
            self.exact_likes.append(list(self.phone))
        self.exact = re.compile("|".join(exact), re.IGNORECASE) if exact else None
        words = [t for t in name.split() if len(t) >= 3 and t.lower().strip(".") not in NAME_PARTICLES]
        words = sorted(set(words), key=str.lower) if len(name.split()) > 1 else []
        alternatives = "|".join(map(re.escape, words))
        self.possible = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if words else None
        self.possible_likes = [[w] for w in words]

    # -- in the database: a wide first filter, the patterns above decide -----------------
    def conditions(self, model, attrs) -> list:
        conditions = []
        for attr in attrs:
            column = getattr(model, attr)
            is_json = isinstance(column.type, JSON)
            text = func.lower(cast(column, Text) if is_json else column)
            for tokens in self.exact_likes + self.possible_likes:
                variants = {tuple(tokens)}
                if is_json:  # JSON may store "ë" as "\u00eb"
                    variants.add(tuple(json.dumps(t)[1:-1] for t in tokens))
                conditions += [text.like(_like_seq(v), escape="\\") for v in variants]
        return conditions

    # -- in Python --------------------------------------------------------------------------
    def same_value(self, attr: str, value) -> bool:
        """A whole e-mail or phone field that holds exactly the person's address or number."""
        if attr not in WHOLE_VALUE or not isinstance(value, str):
            return False
        if attr == "email":
            return bool(self.email) and value.strip().lower() == self.email
        return bool(self.phone) and _digits(value) == self.phone

    def scrub(self, value):
        """The value with every exact mention replaced; JSON keeps its keys and shape."""
        if isinstance(value, str):
            return self.exact.sub(REDACTED, value) if self.exact else value
        if isinstance(value, dict):
            return {k: self.scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.scrub(v) for v in value]
        return value

    def names(self, value) -> bool:
        return bool(self.exact) and any(self.exact.search(s) for s in _strings(value))

    def maybe_names(self, value) -> bool:
        """Still mentions the first name or surname once the exact mentions are gone."""
        return bool(self.possible) and any(self.possible.search(s) for s in _strings(self.scrub(value)))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _like_seq(tokens) -> str:
    escaped = [t.replace("\x00", "").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").lower()
               for t in tokens]
    return "%" + "%".join(escaped) + "%"


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


def _check(matcher: Matcher, source: PersonalText, record, found: Found) -> Mention | None:
    values = {a: getattr(record, a) for a in source.fields}
    cleared = tuple(a for a, v in values.items() if matcher.same_value(a, v))
    named = tuple(a for a, v in values.items() if a in cleared or matcher.names(v))
    maybe = tuple(a for a, v in values.items() if a not in cleared and matcher.maybe_names(v))
    if maybe:
        found.possible.append(Mention(source, record, maybe))
    return Mention(source, record, named, cleared) if named else None


def find_mentions(contact: Contact) -> Found:
    """Every record that names the person, and those that possibly do."""
    matcher, found = Matcher(contact), Found()
    if contact.erased_at is not None:  # nothing left to find by: "Gewiste persoon" is no one
        return found
    links = interaction_contacts.c
    linked = select(links.interaction_id).where(links.contact_id == contact.id)
    moment_source = interaction_source()
    stmt = (select(Interaction)
            .where(or_(Interaction.id.in_(linked), *matcher.conditions(Interaction, INTERACTION_TEXT)))
            .options(selectinload(Interaction.contacts), selectinload(Interaction.partners))
            .order_by(Interaction.occurred_on.desc(), Interaction.id.desc()))
    for moment in db.session.scalars(stmt):
        mention = _check(matcher, moment_source, moment, found)
        if mention or any(c.id == contact.id for c in moment.contacts):
            found.moments.append(moment)
    for source in sources():
        conditions = matcher.conditions(source.model, source.fields)
        if not conditions:
            continue
        for record in db.session.scalars(select(source.model).where(or_(*conditions))
                                         .order_by(source.model.id)):
            if record is contact:
                continue
            mention = _check(matcher, source, record, found)
            if mention:
                found.others.append(mention)
    return found


# -- inzage ---------------------------------------------------------------------------------------
def _shown(record, attr: str, matcher: Matcher) -> str:
    value = getattr(record, attr)
    if isinstance(value, str):
        return value
    return " … ".join(s for s in _strings(value) if matcher.exact and matcher.exact.search(s))


def review_list(found: Found) -> list[dict]:
    """The records that may be about the person, with a link, for the specialist to check."""
    return [{"soort": m.source.label, "titel": m.source.title_of(m.record),
             "url": m.source.url(m.record) if m.source.url else None}
            for m in found.possible]


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
             "tekst": {a: _shown(m.record, a, matcher) for a in m.fields}}
            for m in found.others
        ],
        "mogelijk over deze persoon": [
            {"soort": m.source.label, "titel": m.source.title_of(m.record), "velden": list(m.fields)}
            for m in found.possible
        ],
        "logboek": [
            {"wanneer": e.created_at.isoformat(), "wie": e.actor_label, "wat": e.action_label,
             "velden": e.fields or []}
            for e in audit
        ],
    }


# -- wissen ---------------------------------------------------------------------------------------
@dataclass
class Erasure:
    """What erasing changed: ``cleaned`` other records, fields ``cleared`` because they held
    the person's own e-mail or phone (Dutch phrases), and ``possible`` records left to check."""

    cleaned: int = 0
    cleared: list[str] = field(default_factory=list)
    possible: int = 0


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
    result, changed = Erasure(possible=len(found.possible)), set()
    moment_source = interaction_source()
    for moment in found.moments:
        named = tuple(a for a in INTERACTION_TEXT if matcher.names(getattr(moment, a)))
        _clean(matcher, Mention(moment_source, moment, named), changed)
        moment.summary = moment.summary or REDACTED
        if any(c.id == contact.id for c in moment.contacts):
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
    return result
