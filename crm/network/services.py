"""Partners, people and contact moments: saving, listing, searching, follow-ups."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import selectinload

from crm import errors
from crm.db import db, is_stale, utcnow
from crm.guide import Phase, Theme
from crm.network.models import (
    STATUS_LABELS,
    Affiliation,
    Contact,
    Interaction,
    Partner,
    PartnerStatusChange,
)

# The network's forms show what is stored now next to the refused input, so they say so.
STALE_MESSAGE = ("Iemand anders heeft dit intussen gewijzigd (of jij, in een ander venster). "
                 "Je wijzigingen zijn niet opgeslagen. "
                 "Hieronder zie je wat er nu staat; pas je invoer aan en sla opnieuw op, of laad de "
                 "pagina opnieuw.")


class NetworkError(errors.RuleError):
    """A rule about partners, people or contact moments was broken (see ``crm.errors``)."""


class StaleRecord(NetworkError, errors.StaleRecord):
    """The record changed since the form was shown; carries what is stored now."""

    def __init__(self, current: dict):
        super().__init__(STALE_MESSAGE)
        self.current = current


def check_version(record, submitted, fields: dict[str, str] | None = None) -> None:
    """Raise ``StaleRecord`` when ``submitted`` (the form's version) is not the stored one.

    ``fields`` maps attribute → Dutch label; the exception carries their current values
    so the page can show what the other person changed.
    """
    if is_stale(record, submitted):
        current = {label: _show(getattr(record, attr, None)) for attr, label in (fields or {}).items()}
        raise StaleRecord(current)


def _show(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


MAX_ID = 2**31 - 1  # integer primary keys; larger numbers cannot exist (and PostgreSQL refuses them)


def valid_id(value) -> int | None:
    """An id from a URL or form, or None when it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def no_nul(text: str) -> str:
    """PostgreSQL text cannot hold NUL characters; they never carry meaning here."""
    return text.replace("\x00", "")


def clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = no_nul(str(value)).strip()
    return value or None


def parse_tags(text: str | None) -> list[str]:
    seen: list[str] = []
    for part in re.split(r"[,;]", no_nul(text or "")):
        tag = " ".join(part.strip().lower().split())[:40]
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def json_list_contains(column, value: str):
    """Portable 'JSON list contains this string' for SQLite and PostgreSQL."""
    escaped = no_nul(value).replace("\\", "\\\\").replace('"', '\\"')
    return cast(column, String).like(f'%"{escaped}"%')


def like(text: str) -> str:
    escaped = no_nul(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def icontains(column, text: str):
    """Case-insensitive 'contains' that stays cheap on big tables: SQLite's LIKE already
    ignores case (ASCII) and is twice as fast without lower(); PostgreSQL gets ILIKE."""
    pattern = like(text)
    if db.session.get_bind().dialect.name == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


# -- partners ------------------------------------------------------------------------------
PARTNER_FIELDS = {
    "name": "Naam", "kind": "Soort", "internal": "Intern", "status": "Status",
    "offer": "Aanbod voor gezinnen",
    "how_to_refer": "Zo verwijs je", "address": "Adres", "place": "Plaats", "website": "Website",
    "phone": "Telefoon", "email": "E-mailadres", "tags": "Labels", "notes": "Notities",
}


@dataclass
class PartnerData:
    name: str
    kind: str
    internal: bool = False
    status: str = "prospect"
    offer: str | None = None
    how_to_refer: str | None = None
    address: str | None = None
    place: str | None = None
    website: str | None = None
    phone: str | None = None
    email: str | None = None
    tags: list[str] | None = None
    notes: str | None = None
    theme: str | None = None
    phase: str | None = None


def save_partner(partner: Partner | None, data: PartnerData, actor_id: int | None,
                 version=None) -> Partner:
    name = clean(data.name)
    if not name:
        raise NetworkError("Vul de naam in.", "name")
    if data.status not in STATUS_LABELS:
        raise NetworkError("Kies een status uit de lijst.", "status")
    if partner is None:
        partner = Partner()
        db.session.add(partner)
        old_status = None
    else:
        check_version(partner, version, PARTNER_FIELDS)
        old_status = partner.status
    for attr in ("offer", "how_to_refer", "address", "place", "website", "phone", "email", "notes"):
        setattr(partner, attr, clean(getattr(data, attr)))
    partner.name, partner.kind = name, data.kind
    partner.internal, partner.status = bool(data.internal), data.status
    partner.tags = list(data.tags or [])
    if data.theme:
        partner.theme = data.theme
    if data.phase:
        partner.phase = data.phase
    if old_status != data.status:
        partner.status_changes.append(PartnerStatusChange(status=data.status, changed_by_id=actor_id,
                                                          changed_at=utcnow()))
    db.session.flush()
    return partner


#: The partner's own details: they are removed with it (the page says so).
PARTNER_OWN_TABLES = frozenset({"crm_affiliation", "crm_partner_status_change"})
#: Derived from other rows, rebuilt when needed: never a reason to keep a partner.
PARTNER_DERIVED_TABLES = frozenset({"crm_referral_month_cache"})


def partner_dependents(partner: Partner) -> list[tuple[str, int]]:
    """(Dutch label, count) of every record elsewhere that refers to this partner.

    Found through the foreign keys of every table, so a package added later is covered
    without anyone having to remember it. A link table (contact moments, agreements,
    calendar moments) is named after the record on its other side.
    """
    from crm.audit import record_labels
    from crm.db import Base

    labels = record_labels()
    found: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in PARTNER_OWN_TABLES | PARTNER_DERIVED_TABLES:
            continue
        for column in table.columns:
            if not any(fk.column.table.name == Partner.__tablename__ for fk in column.foreign_keys):
                continue
            count = db.session.scalar(select(func.count()).select_from(table).where(column == partner.id))
            if not count:
                continue
            label = labels.get(table.name)
            if label is None:  # a link table: name it after the record it links to
                others = [fk.column.table.name for c in table.columns for fk in c.foreign_keys
                          if fk.column.table.name != Partner.__tablename__]
                label = labels.get(others[0], table.name) if others else table.name
            found[label] = found.get(label, 0) + count
    return sorted(found.items())


def delete_partner(partner: Partner) -> None:
    """Remove a partner entered by mistake. A partner that other records refer to stays:
    removing it would silently take those records (or their link to it) along."""
    dependents = partner_dependents(partner)
    if dependents:
        listed = ", ".join(f"{label} ({count})" for label, count in dependents)
        raise NetworkError(
            f"{partner.name} kan niet weg: deze gegevens horen erbij: {listed}. Werken jullie niet "
            "meer samen? Zet de status dan op ‘beëindigd’; de geschiedenis blijft dan bewaard."
        )
    db.session.delete(partner)
    db.session.flush()


PARTNER_SORTS = {
    "naam": Partner.name, "-naam": Partner.name.desc(),
    "soort": Partner.kind, "status": Partner.status,
    "plaats": Partner.place, "-gewijzigd": Partner.updated_at.desc(), "gewijzigd": Partner.updated_at,
}


def partner_query(q: str | None = None, kind: str | None = None, status: str | None = None,
                  internal: str | None = None, tag: str | None = None, sort: str | None = None) -> Select:
    stmt = select(Partner)
    if q:
        stmt = stmt.where(or_(icontains(Partner.name, q),
                              icontains(Partner.place, q),
                              icontains(Partner.offer, q)))
    if kind:
        stmt = stmt.where(Partner.kind == kind)
    if status:
        stmt = stmt.where(Partner.status == status)
    if internal == "intern":
        stmt = stmt.where(Partner.internal.is_(True))
    elif internal == "extern":
        stmt = stmt.where(Partner.internal.is_(False))
    if tag:
        stmt = stmt.where(json_list_contains(Partner.tags, tag.strip().lower()))
    order = PARTNER_SORTS.get(sort or "naam", Partner.name)
    return stmt.order_by(order, Partner.id)


def all_tags(limit: int = 200) -> list[str]:
    """Every label in use (read from the partners that have labels; fine for a library's scale)."""
    tags: set[str] = set()
    rows = db.session.scalars(select(Partner.tags).where(cast(Partner.tags, String).like('%"%')).limit(2000))
    for row in rows:
        tags.update(row or [])
    return sorted(tags)[:limit]


CHOICE_LIMIT = 2000


def partner_choices(include: list[int] | None = None, limit: int = CHOICE_LIMIT) -> list[tuple[int, str]]:
    """Organisations for a select: the first ``limit`` by name plus the ones already chosen."""
    cols = select(Partner.id, Partner.name, Partner.place)
    rows = list(db.session.execute(cols.order_by(Partner.name, Partner.id).limit(limit)))
    missing = set(include or []) - {r.id for r in rows}
    if missing:
        rows += list(db.session.execute(cols.where(Partner.id.in_(missing))))
    return [(r.id, f"{r.name} ({r.place})" if r.place else r.name) for r in rows]


# -- people -------------------------------------------------------------------------------------
CONTACT_FIELDS = {
    "name": "Naam", "email": "E-mailadres", "phone": "Telefoon", "position": "Positie",
    "domains": "Beleidsdomeinen", "influence": "Invloed", "interest": "Belang", "warmth": "Relatie",
    "knowledge": "Wat weten ze al", "interests": "Belangen", "hook": "Haakje", "known_by": "Wie kent hen",
    "valuable": "Waardevol", "evaluation": "Evaluatie", "notes": "Notities",
}


@dataclass
class ContactData:
    name: str
    email: str | None = None
    phone: str | None = None
    position: str | None = None
    domains: list[str] | None = None
    influence: int | None = None
    interest: int | None = None
    warmth: str | None = None
    knowledge: str | None = None
    interests: str | None = None
    hook: str | None = None
    known_by: str | None = None
    valuable: bool | None = None
    evaluation: str | None = None
    notes: str | None = None
    theme: str | None = None
    phase: str | None = None


def save_contact(contact: Contact | None, data: ContactData, version=None) -> Contact:
    name = clean(data.name)
    if not name:
        raise NetworkError("Vul de naam in.", "name")
    for attr, label in (("influence", "invloed"), ("interest", "belang")):
        value = getattr(data, attr)
        if value is not None and not 1 <= int(value) <= 5:
            raise NetworkError(f"Kies voor {label} een getal van 1 tot en met 5.", attr)
    if contact is None:
        contact = Contact()
        db.session.add(contact)
    else:
        if contact.erased_at is not None:
            raise NetworkError("Deze persoon is gewist en kan niet meer worden gewijzigd.")
        check_version(contact, version, CONTACT_FIELDS)
    contact.name = name
    contact.email = (clean(data.email) or "").lower() or None
    for attr in ("phone", "position", "warmth", "knowledge", "interests", "hook", "known_by",
                 "evaluation", "notes"):
        setattr(contact, attr, clean(getattr(data, attr)))
    contact.domains = list(data.domains or [])
    contact.influence, contact.interest, contact.valuable = data.influence, data.interest, data.valuable
    if data.theme:
        contact.theme = data.theme
    if data.phase:
        contact.phase = data.phase
    db.session.flush()
    return contact


def add_affiliation(contact: Contact, partner_id: int, function: str | None = None,
                    department: str | None = None, start_date: date | None = None,
                    end_date: date | None = None) -> Affiliation:
    partner = db.session.get(Partner, partner_id) if partner_id else None
    if partner is None:
        raise NetworkError("Kies een organisatie.", "partner_id")
    if start_date and end_date and end_date < start_date:
        raise NetworkError("De einddatum ligt vóór de begindatum. Kies een latere einddatum.", "end_date")
    link = Affiliation(contact=contact, partner=partner, function=clean(function),
                       department=clean(department), start_date=start_date, end_date=end_date)
    db.session.add(link)
    db.session.flush()
    return link


CONTACT_SORTS = {
    "naam": Contact.name, "-naam": Contact.name.desc(), "positie": Contact.position,
    "-invloed": Contact.influence.desc(), "-belang": Contact.interest.desc(),
    "-gewijzigd": Contact.updated_at.desc(),
}


def contact_query(q: str | None = None, partner_id: int | None = None, position: str | None = None,
                  domain: str | None = None, warmth: str | None = None, sort: str | None = None,
                  municipal: bool = False, include_erased: bool = False) -> Select:
    stmt = select(Contact).options(selectinload(Contact.affiliations).selectinload(Affiliation.partner))
    if not include_erased:
        stmt = stmt.where(Contact.erased_at.is_(None))
    if q:
        stmt = stmt.where(or_(icontains(Contact.name, q),
                              icontains(Contact.email, q)))
    if partner_id:
        linked = select(Affiliation.contact_id).where(Affiliation.partner_id == partner_id)
        stmt = stmt.where(Contact.id.in_(linked))
    if municipal:
        from crm.network.models import MUNICIPALITY_KIND

        stmt = stmt.where(Contact.id.in_(
            select(Affiliation.contact_id).join(Partner).where(Partner.kind == MUNICIPALITY_KIND)
        ))
    if position:
        stmt = stmt.where(Contact.position == position)
    if domain:
        stmt = stmt.where(json_list_contains(Contact.domains, domain))
    if warmth:
        stmt = stmt.where(Contact.warmth == warmth)
    order = CONTACT_SORTS.get(sort or "naam", Contact.name)
    return stmt.order_by(order, Contact.id)


def contact_choices(include: list[int] | None = None, limit: int = CHOICE_LIMIT) -> list[tuple[int, str]]:
    """People for a select: the first ``limit`` by name plus the ones already chosen."""
    cols = select(Contact.id, Contact.name).where(Contact.erased_at.is_(None))
    rows = list(db.session.execute(cols.order_by(Contact.name, Contact.id).limit(limit)))
    missing = set(include or []) - {r.id for r in rows}
    if missing:
        rows += list(db.session.execute(cols.where(Contact.id.in_(missing))))
    return [(r.id, r.name) for r in rows]


# -- phase records --------------------------------------------------------------------------------
def records_of(model, theme: Theme, phase: Phase, limit: int = 50) -> list:
    stmt = (select(model).where(model.theme == theme.value, model.phase == phase.value)
            .order_by(model.created_at.desc()).limit(limit))
    if model is Contact:
        stmt = stmt.where(Contact.erased_at.is_(None))
    return list(db.session.scalars(stmt))


def counts() -> dict:
    return {
        "partners": db.session.scalar(select(func.count(Partner.id))),
        "contacts": db.session.scalar(select(func.count(Contact.id)).where(Contact.erased_at.is_(None))),
        "interactions": db.session.scalar(select(func.count(Interaction.id))),
    }

