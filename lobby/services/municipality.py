"""Municipality profiles, key figures, the fundament checklist, the lobbyplan and its people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from crm.db import db
from crm.network.models import MUNICIPALITY_KIND, Affiliation, Contact, Interaction, Partner
from crm.network.models import interaction_contacts as ic
from crm.web import local_today
from lobby.models import KeyFigure, LobbyPlan, Municipality
from lobby.models.municipality import FUNDAMENT_ITEMS, LOBBYPLAN_ITEMS, ROLE_LABELS
from lobby.services.common import LobbyError, check_phase, check_version, clean, clean_line

PROFILE_FIELDS = (
    "cbs_code",
    "college",
    "coalition_goals",
    "lea",
    "regional_plan",
    "contact_municipality",
    "library_role",
    "expectations",
    "key_message",
)
#: Profile fields that are one line of text.
ONE_LINE_FIELDS = frozenset({"cbs_code", "contact_municipality"})


def municipalities() -> list[Municipality]:
    return list(
        db.session.scalars(
            select(Municipality).join(Partner, Partner.id == Municipality.partner_id).order_by(Partner.name)
        )
    )


def free_municipal_partners() -> list[Partner]:
    """Partners of kind gemeente that have no lobby profile yet."""
    taken = select(Municipality.partner_id)
    return list(
        db.session.scalars(
            select(Partner)
            .where(Partner.kind == MUNICIPALITY_KIND, Partner.id.not_in(taken))
            .order_by(Partner.name)
        )
    )


def profile_named(name: str | None) -> Municipality | None:
    """The lobby profile of the organisation with this name (any case), if it has one."""
    name = clean_line(name)
    if not name:
        return None
    return db.session.scalar(
        select(Municipality)
        .join(Partner, Partner.id == Municipality.partner_id)
        .where(func.lower(Partner.name) == name.lower())
    )


def create_municipality(
    partner_id: int | None, new_name: str | None, phase: str | None = None, **profile
) -> Municipality:
    """Profile an existing municipal partner, or add the partner (kind gemeente) by name."""
    new_name = clean_line(new_name)
    phase = check_phase(phase)
    if partner_id:
        partner = db.session.get(Partner, partner_id)
        if partner is None or partner.kind != MUNICIPALITY_KIND:
            raise LobbyError("Kies een gemeente uit de lijst.", "partner_id")
        if db.session.scalar(select(Municipality).where(Municipality.partner_id == partner.id)):
            raise LobbyError("Deze gemeente heeft al een profiel.", "partner_id")
    elif new_name:
        partner = db.session.scalar(select(Partner).where(func.lower(Partner.name) == new_name.lower()))
        if partner is not None:
            if profile_named(new_name) is not None:
                raise LobbyError(
                    f"{partner.name} heeft al een profiel. Open dat profiel en werk het daar bij.", "new_name"
                )
            if partner.kind == MUNICIPALITY_KIND:
                raise LobbyError(
                    f"{partner.name} staat al in het netwerk. Kies de gemeente hierboven uit de lijst.",
                    "new_name",
                )
            raise LobbyError(
                f"Er is al een organisatie met de naam {partner.name}, maar dat is geen gemeente. "
                "Kies een andere naam, of pas die organisatie aan bij Partners.",
                "new_name",
            )
        partner = Partner(name=new_name, kind=MUNICIPALITY_KIND, internal=False, status="verkennend")
        db.session.add(partner)
        db.session.flush()
    else:
        raise LobbyError("Kies een gemeente of vul de naam van een nieuwe gemeente in.", "partner_id")
    municipality = Municipality(partner_id=partner.id, fundament={})
    municipality.partner = partner
    if phase:
        municipality.phase = phase
    db.session.add(municipality)
    _apply_profile(municipality, profile)
    db.session.flush()
    return municipality


def _apply_profile(municipality: Municipality, profile: dict) -> None:
    for name in PROFILE_FIELDS:
        if name in profile:
            value = profile[name]
            setattr(municipality, name, clean_line(value) if name in ONE_LINE_FIELDS else clean(value))
    if municipality.library_role and municipality.library_role not in ROLE_LABELS:
        raise LobbyError("Kies een rol uit de lijst.", "library_role")


def update_municipality(municipality: Municipality, version, phase: str | None = None, **profile) -> None:
    check_version(municipality, version)
    phase = check_phase(phase)
    _apply_profile(municipality, profile)
    if phase:
        municipality.phase = phase
    db.session.flush()


# -- key figures ---------------------------------------------------------------------
def add_figure(
    municipality: Municipality, label: str, value: str, unit: str | None, source: str | None, year: int | None
) -> KeyFigure:
    if not clean(source):
        raise LobbyError("Vul de bron van het cijfer in: waar komt het vandaan?", "source")
    if not clean(label) or not clean(value):
        raise LobbyError("Vul in wat het cijfer is en de waarde.", "label")
    if year is not None and not 1900 <= year <= local_today().year + 1:
        raise LobbyError("Vul een jaartal in, zoals 2024.", "year")
    figure = KeyFigure(
        municipality_id=municipality.id,
        label=clean(label),
        value=clean(value),
        unit=clean(unit),
        source=clean(source),
        year=year,
        position=len(municipality.figures),
    )
    db.session.add(figure)
    db.session.flush()
    return figure


def delete_figure(figure: KeyFigure) -> None:
    db.session.delete(figure)
    db.session.flush()


# -- fundament checklist -------------------------------------------------------------
@dataclass
class FundamentRow:
    key: str
    label: str
    done_on: date | None
    note: str


def fundament_rows(municipality: Municipality) -> list[FundamentRow]:
    stored = municipality.fundament or {}
    rows = []
    for key, label in FUNDAMENT_ITEMS:
        item = stored.get(key) or {}
        done_on = date.fromisoformat(item["done_on"]) if item.get("done_on") else None
        rows.append(FundamentRow(key, label, done_on, item.get("note") or ""))
    return rows


def save_fundament(
    municipality: Municipality, version, items: dict[str, tuple[bool, date | None, str]]
) -> None:
    """``items``: key → (done, done_on, note/link). A ticked item without a date gets today."""
    check_version(municipality, version)
    result = {}
    for key, _label in FUNDAMENT_ITEMS:
        done, done_on, note = items.get(key, (False, None, ""))
        if done and done_on is None:
            done_on = local_today()
        result[key] = {
            "done_on": done_on.isoformat() if done and done_on else None,
            "note": clean(note) or "",
        }
    municipality.fundament = result
    db.session.flush()


# -- lobbyplan ----------------------------------------------------------------------
def lobbyplan_for(municipality: Municipality) -> LobbyPlan:
    """The municipality's lobbyplan; created empty the first time it is saved."""
    plan = db.session.scalar(select(LobbyPlan).where(LobbyPlan.municipality_id == municipality.id))
    if plan is None:
        plan = LobbyPlan(municipality_id=municipality.id, items={}, version=0)
        plan.municipality = municipality
    return plan


def save_lobbyplan(
    plan: LobbyPlan, version, items: dict[str, tuple[str, bool]], phase: str | None = None
) -> LobbyPlan:
    phase = check_phase(phase)
    if plan.id is None:
        if str(version) not in ("0", ""):
            check_version(plan, version)
        plan.version = 1
        db.session.add(plan)
    else:
        check_version(plan, version)
    plan.items = {
        key: {
            "text": clean(items.get(key, ("", False))[0]) or "",
            "done": bool(items.get(key, ("", False))[1]),
        }
        for key, _ in LOBBYPLAN_ITEMS
    }
    if phase:
        plan.phase = phase
    db.session.flush()
    return plan


def lobbyplan_rows(plan: LobbyPlan) -> list[tuple[str, str, str, bool]]:
    items = plan.items or {}
    return [
        (key, label, (items.get(key) or {}).get("text", ""), bool((items.get(key) or {}).get("done")))
        for key, label in LOBBYPLAN_ITEMS
    ]


# -- people ---------------------------------------------------------------------------
@dataclass
class Person:
    """A person at the municipality as the lobby pages show them."""

    contact: Contact
    function: str | None
    department: str | None
    last_contact: Interaction | None


def people(municipality: Municipality, only_ids: list[int] | None = None) -> list[Person]:
    """People with a current affiliation to the municipality (or the given contacts)."""
    stmt = (
        select(Contact, Affiliation)
        .join(Affiliation, Affiliation.contact_id == Contact.id)
        .where(Affiliation.partner_id == municipality.partner_id, Contact.erased_at.is_(None))
        .order_by(Contact.name)
    )
    rows = db.session.execute(stmt).all()
    seen: dict[int, Person] = {}
    today = local_today()
    for contact, aff in rows:
        if only_ids is not None and contact.id not in only_ids:
            continue
        if aff.end_date is not None and aff.end_date < today and contact.id in seen:
            continue
        seen[contact.id] = Person(contact, aff.function, aff.department, None)
    if only_ids is not None:  # people met who are not (or no longer) linked to the municipality
        extra = select(Contact).where(Contact.id.in_(only_ids), Contact.erased_at.is_(None))
        for contact in db.session.scalars(extra):
            seen.setdefault(contact.id, Person(contact, None, None, None))
    last = last_contacts(list(seen))
    for person in seen.values():
        person.last_contact = last.get(person.contact.id)
    return sorted(seen.values(), key=lambda p: p.contact.name.lower())


def last_contacts(contact_ids: list[int]) -> dict[int, Interaction]:
    """The latest contact moment with each of the given people."""
    if not contact_ids:
        return {}
    latest = (
        select(ic.c.contact_id, func.max(Interaction.occurred_on).label("last_on"))
        .join(Interaction, Interaction.id == ic.c.interaction_id)
        .where(ic.c.contact_id.in_(contact_ids))
        .group_by(ic.c.contact_id)
        .subquery()
    )
    rows = db.session.execute(
        select(latest.c.contact_id, Interaction)
        .join(ic, ic.c.contact_id == latest.c.contact_id)
        .join(
            Interaction,
            (Interaction.id == ic.c.interaction_id) & (Interaction.occurred_on == latest.c.last_on),
        )
        .order_by(Interaction.id)
    ).all()
    return dict(rows)


def power_grid(persons: list[Person]) -> dict[str, list[Person]]:
    """The krachtenveld: people by high (4–5) or low (1–3) influence and interest; unscored apart."""
    grid: dict[str, list[Person]] = {"hh": [], "hl": [], "lh": [], "ll": [], "unknown": []}
    for person in persons:
        influence, interest = person.contact.influence, person.contact.interest
        if influence is None or interest is None:
            grid["unknown"].append(person)
            continue
        key = ("h" if influence >= 4 else "l") + ("h" if interest >= 4 else "l")
        grid[key].append(person)
    return grid
