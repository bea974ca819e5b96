"""AVG rights for a person: everything we hold about them (art. 15) and erasure (art. 17).

One finder, ``find_mentions``, decides which records name the person: the inzage lists
exactly those and ``erase`` changes exactly those, so the two can never disagree. It
matches the full name (any case, any spacing), the e-mail address and the phone number;
records that only use the first name or the surname are listed as "mogelijk over deze
persoon" for the specialist to check, and are not changed (a bare "de Vries" may be
someone else). So a name of one word ("Anna", "Wethouder", "de Vries") is never changed
in other records either: it only makes them "mogelijk".

The database only narrows (exact patterns in SQL LIKE); the regular expressions decide.
One query per kind of record reads ids and text only; only the records found become
objects. For "mogelijk" it reads at most ``POSSIBLE_SCAN`` rows per kind of record: a
first name like "Jan" is in every "januari".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from sqlalchemy import JSON, Text, case, cast, func, literal, or_, select
from sqlalchemy.orm import selectinload

from crm.audit import AuditEntry, field_label, record_event
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
#: What may stand between the digits of a phone number in text ("06-12 34 56 78", "(010) 123.45.67").
PHONE_SEPARATORS = " \t\n\r\xa0\u2009\u202f.()/-"
#: Per kind of record: rows read for the "mogelijk" list, and records listed at most.
POSSIBLE_SCAN = 500
POSSIBLE_MAX = 50


def _digits(text: str | None) -> str:
    return "".join(c for c in text or "" if c.isdigit())


def _national(text: str | None) -> str:
    """A phone number as one key: a Dutch number by its digits without the country or trunk
    prefix, so "06 1234 5678", "+31 6 12345678", "+31 (0)6-1234 5678" and "0031 612345678"
    are all "612345678"; a number of another country as "+" and its digits ("+3221234567")."""
    digits = _digits(text)
    if (text or "").lstrip().startswith("+"):
        digits = "00" + digits
    if digits.startswith("0031"):
        return digits[5:] if digits[4:5] == "0" else digits[4:]  # "+31 (0)6": the trunk 0 again
    if digits.startswith("00"):
        return "+" + digits[2:]
    return digits[1:] if digits.startswith("0") else digits


def _phone_forms(key: str) -> list[str]:
    """The digit strings a number (a key of ``_national``) is written as in text."""
    if key.startswith("+"):
        return [key[1:]]  # "+32 …" or "0032 …": the same digits after the plus or the 00
    return [prefix + key for prefix in ("0", "31", "310", "0031", "00310")]  # "+31 (0)6…": "310"


class Matcher:
    """How the person shows up in text: exactly (erased) or possibly (only listed)."""

    def __init__(self, contact: Contact):
        name = " ".join((contact.name or "").split())
        self.email = (contact.email or "").strip().lower() or None
        national = _national(contact.phone)
        self.phone = national if len(national) >= 6 else None
        tokens = name.split()
        words = [t for t in tokens if t.lower().strip(".") not in NAME_PARTICLES]
        # Only a name of two words or more is the person for sure; "Anna" or "de Vries" alone is not.
        self.name = tokens if len(name) >= 3 and len(words) >= 2 else None
        exact = []
        if self.name:
            exact.append(r"(?<!\w)" + r"\s+".join(re.escape(t) for t in self.name) + r"(?!\w)")
        if self.email:
            exact.append(r"(?<![\w.+-])" + re.escape(self.email) + r"(?![\w-])(?!\.\w)")
        if self.phone:
            between = f"[{re.escape(PHONE_SEPARATORS)}]*"
            forms = "|".join(between.join(form) for form in _phone_forms(self.phone))
            exact.append(rf"(?<![\d+])\+?(?:{forms})(?!\d)")  # with its "+", if written
        self.exact = re.compile("|".join(exact), re.IGNORECASE) if exact else None
        self.words = sorted({w for w in words if len(w) >= 3}, key=str.lower)
        alternatives = "|".join(map(re.escape, self.words))
        self.possible = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if self.words else None

    # -- in the database: a first filter, the patterns above decide --------------------------
    def conditions(self, model, attrs) -> list:
        """SQL conditions for the rows that may name the person exactly."""
        conditions = []
        for attr in attrs:
            column = getattr(model, attr)
            is_json = isinstance(column.type, JSON)
            text = cast(column, Text) if is_json else column
            if self.name:
                conditions += _likes(func.lower(text), self.name, is_json)
            if self.email:
                conditions += _likes(func.lower(text), [self.email], is_json)
            if self.phone:
                separators = [*PHONE_SEPARATORS]
                if is_json:  # JSON text holds a newline as "\n", a no-break space as "\u00a0"
                    separators += [json.dumps(c)[1:-1] for c in PHONE_SEPARATORS if len(json.dumps(c)) > 3]
                bare = text
                for separator in separators:
                    bare = func.replace(bare, separator, "")
                conditions.append(bare.like(f"%{self.phone.lstrip('+')}%"))
        return conditions

    def possible_conditions(self, model, attrs) -> list:
        """SQL conditions for the rows that may hold the first name or surname."""
        conditions = []
        for attr in attrs:
            column = getattr(model, attr)
            is_json = isinstance(column.type, JSON)
            text = func.lower(cast(column, Text) if is_json else column)
            for word in self.words:
                conditions += _likes(text, [word], is_json)
        return conditions

    # -- in Python --------------------------------------------------------------------------
    def same_value(self, attr: str, value) -> bool:
        """A whole e-mail or phone field that holds exactly the person's address or number."""
        if attr not in WHOLE_VALUE or not isinstance(value, str):
            return False
        if attr == "email":
            return bool(self.email) and value.strip().lower() == self.email
        return bool(self.phone) and _national(value) == self.phone

    def scrub(self, value):
        """The value with every exact mention replaced; JSON keeps its keys and shape."""
        if isinstance(value, str):
            return self.exact.sub(REDACTED, value) if self.exact else value
        if isinstance(value, dict):
            return {k: self.scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.scrub(v) for v in value]
        return value

    def scrub_all(self, value):
        """``scrub``, and the first name and surname alone too: for a text about the person
        (a contact moment with them), where "Anna" or "mevrouw Jansen" can only be them."""
        value = self.scrub(value)
        if self.possible is None:
            return value
        if isinstance(value, str):
            return self.possible.sub(REDACTED, value)
        if isinstance(value, dict):
            return {k: self.scrub_all(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.scrub_all(v) for v in value]
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


def _likes(text, tokens: list[str], is_json: bool) -> list:
    """``text LIKE '%token%token%'``; in a JSON column also as the JSON escapes spell it."""
    variants = {_like_seq(tokens)}
    if is_json:
        variants.add(_like_seq(tokens, json_escaped=True))
    return [text.like(v, escape="\\") for v in sorted(variants)]


#: ASCII letters that a case-blind regular expression also matches with a non-ASCII letter.
LOOKALIKE_ASCII = frozenset("iks")


def _like_seq(tokens, json_escaped: bool = False) -> str:
    """A LIKE pattern that matches at least every text the regular expression matches.

    SQLite's lower() and LIKE fold only ASCII letters ("Ö" is not "ö"), so every other
    character becomes "_", any one character; in JSON text, where "Ö" is written "\\u00d6"
    and "ö" "\\u00f6", it becomes a pattern for any such escape.
    """
    parts = []
    for token in tokens:
        part = []
        for char in token.replace("\x00", ""):
            if char.lower() in LOOKALIKE_ASCII:
                # i, k and s also match İ/ı, the Kelvin sign and ſ in the case-blind regex:
                # any one character, or in JSON any character or escape.
                part.append("%" if json_escaped else "_")
                continue
            if not char.isascii():
                part.append("\\\\u____" * (2 if ord(char) > 0xFFFF else 1) if json_escaped else "_")
                continue
            if json_escaped:
                char = json.dumps(char)[1:-1]
            part.append("".join("\\" + c if c in "\\%_" else c.lower() for c in char))
        parts.append("".join(part))
    return "%" + "%".join(parts) + "%"


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
    return " … ".join(s for s in _strings(value) if matcher.exact and matcher.exact.search(s))


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
