"""The samenwerkingsscan's logic: questionnaire versions and rounds.

Services only flush; the view (or CLI command) commits once. Invitations and their links
live in ``invitations.py``, answers in ``answers.py``, results, charts and the export in
``results.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy import func, select

from collaboration.models import Agreement
from collaboration.scan.models import (
    ASPECT_KEYS,
    OPEN,
    STATEMENT,
    ScanItem,
    ScanParty,
    ScanQuestionnaire,
    ScanResponse,
    ScanRound,
)
from crm.db import db, utcnow
from crm.errors import RuleError, StaleRecord, check_version
from crm.network.models import Partner
from crm.web import local_today, local_tz

QUESTIONNAIRE_FILE = Path(__file__).resolve().parent / "questionnaire.yaml"
__all__ = ["ScanClosed", "ScanError", "check_version"]


class ScanError(RuleError):
    """A rule of the scan was broken (see ``crm.errors.RuleError``)."""


class ScanClosed(ScanError):
    """The round closed (or was revealed) before the answers could be saved."""


# -- time ------------------------------------------------------------------------


def closes_at(round_: ScanRound) -> datetime:
    """A round closes at the end of its closing day, Dutch time."""
    return datetime.combine(round_.closes_on + timedelta(days=1), time(0), tzinfo=local_tz())


def opens_at(round_: ScanRound) -> datetime:
    return datetime.combine(round_.opens_on, time(0), tzinfo=local_tz())


def is_closed(round_: ScanRound, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return round_.revealed or now >= closes_at(round_)


def is_open(round_: ScanRound, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return opens_at(round_) <= now and not is_closed(round_, now)


def round_state(round_: ScanRound, now: datetime | None = None) -> str:
    if round_.revealed:
        return "revealed"
    now = now or utcnow()
    if now < opens_at(round_):
        return "planned"
    return "closed" if is_closed(round_, now) else "open"


ROUND_STATE_LABELS = {
    "planned": "Nog niet open",
    "open": "Open",
    "closed": "Gesloten, nog niet gedeeld",
    "revealed": "Uitkomsten gedeeld",
}


def library_name() -> str:
    return current_app.config.get("CRM_LIBRARY_NAME") or "De bibliotheek"


# -- questionnaire -----------------------------------------------------------------
@cache
def default_questionnaire() -> dict:
    return yaml.safe_load(QUESTIONNAIRE_FILE.read_text(encoding="utf-8"))


def current_questionnaire() -> ScanQuestionnaire:
    """The newest version; the first call stores the default questionnaire as version 1."""
    latest = db.session.scalar(select(ScanQuestionnaire).order_by(ScanQuestionnaire.number.desc()).limit(1))
    if latest is not None:
        return latest
    data = default_questionnaire()
    questionnaire = ScanQuestionnaire(number=1, title=data["title"], intro=data["intro"])
    for aspect in ASPECT_KEYS:
        for position, text in enumerate(data["aspects"][aspect]):
            questionnaire.items.append(ScanItem(kind=STATEMENT, aspect=aspect, position=position, text=text))
    for position, text in enumerate(data["open_questions"]):
        questionnaire.items.append(ScanItem(kind=OPEN, position=position, text=text))
    db.session.add(questionnaire)
    db.session.flush()
    return questionnaire


@dataclass
class ItemEdit:
    """One line of the questionnaire editor: an existing item (``item_id``) or a new one."""

    item_id: int | None
    kind: str
    aspect: str | None
    text: str
    remove: bool = False


def save_questionnaire(expected_number: int | None, intro: str | None, edits: list[ItemEdit],
                       user_id: int | None) -> ScanQuestionnaire:
    """Store the edited questionnaire as a new version; rounds keep the version they started with."""
    current = current_questionnaire()
    if expected_number != current.number:
        raise StaleRecord()
    kept = [e for e in edits if not e.remove and e.text.strip()]
    for aspect in ASPECT_KEYS:
        if not any(e.kind == STATEMENT and e.aspect == aspect for e in kept):
            raise ScanError("Houd bij elk aspect minstens één stelling.")
    if not any(e.kind == OPEN for e in kept):
        raise ScanError("Houd minstens één open vraag.")
    new = ScanQuestionnaire(number=current.number + 1, title=current.title,
                            intro=(intro or "").strip() or current.intro, created_by_id=user_id)
    positions: dict[tuple[str, str | None], int] = {}
    for edit in kept:
        if edit.kind == STATEMENT and edit.aspect not in ASPECT_KEYS:
            raise ScanError("Kies een van de vijf aspecten.")
        key = (edit.kind, edit.aspect if edit.kind == STATEMENT else None)
        positions[key] = positions.get(key, -1) + 1
        new.items.append(ScanItem(kind=edit.kind, aspect=key[1], position=positions[key],
                                  text=edit.text.strip()))
    db.session.add(new)
    db.session.flush()
    return new


# -- rounds ----------------------------------------------------------------------
def collaboration_key(partner_ids) -> str:
    return ",".join(str(i) for i in sorted(set(partner_ids)))


def partner_choices() -> list[tuple[int, str]]:
    stmt = select(Partner.id, Partner.name).where(Partner.status != "beeindigd").order_by(Partner.name)
    return [tuple(row) for row in db.session.execute(stmt)]


MAX_DAYS_AHEAD = 2 * 366


def _check_dates(opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise ScanError("Kies een sluitingsdatum op of na de openingsdatum.", "closes_on")
    if closes_on > local_today() + timedelta(days=MAX_DAYS_AHEAD):
        raise ScanError("Kies een sluitingsdatum binnen twee jaar.", "closes_on")
    if opens_on.year < 2000:
        raise ScanError("Kies een openingsdatum na het jaar 2000.", "opens_on")


def create_round(title: str, purpose: str | None, partner_ids: list[int], opens_on: date,
                 closes_on: date, partners_may_see_results: bool, user_id: int | None) -> ScanRound:
    partner_ids = sorted(set(partner_ids))
    if not partner_ids:
        raise ScanError("Kies minstens één partner.", "partner_ids")
    partners = list(db.session.scalars(select(Partner).where(Partner.id.in_(partner_ids))))
    if len(partners) != len(partner_ids):
        raise ScanError("Een van de gekozen partners bestaat niet meer.", "partner_ids")
    _check_dates(opens_on, closes_on)
    if closes_on < local_today():
        raise ScanError("De sluitingsdatum ligt in het verleden.", "closes_on")
    round_ = ScanRound(
        title=title.strip(), purpose=(purpose or "").strip() or None,
        questionnaire=current_questionnaire(), collaboration_key=collaboration_key(partner_ids),
        opens_on=opens_on, closes_on=closes_on, partners_may_see_results=partners_may_see_results,
        created_by_id=user_id,
    )
    round_.parties.append(ScanParty(is_library=True, name=library_name()))
    for partner in sorted(partners, key=lambda p: p.name):
        round_.parties.append(ScanParty(partner_id=partner.id, name=partner.name))
    db.session.add(round_)
    db.session.flush()
    return round_


NO_AGREEMENT = "Geen (nog niet gekozen)"


def rounds_of_agreement(agreement_id: int) -> list[ScanRound]:
    """The scan rounds whose outcome feeds this collaboration agreement, newest first."""
    return list(db.session.scalars(
        select(ScanRound).where(ScanRound.agreement_id == agreement_id)
        .order_by(ScanRound.closes_on.desc(), ScanRound.id.desc())
    ))


def linked_agreement(round_: ScanRound) -> Agreement | None:
    return db.session.get(Agreement, round_.agreement_id) if round_.agreement_id else None


def agreement_choices(current_id: int | None = None) -> list[tuple[int | None, str]]:
    """The collaboration agreements to link a round's outcome to, by title and partners.
    An agreement removed since it was linked stays in the list, marked, so saving keeps it."""
    choices: list[tuple[int | None, str]] = [(None, NO_AGREEMENT)]
    for agreement in db.session.scalars(select(Agreement).order_by(Agreement.title, Agreement.id)):
        partners = ", ".join(p.name for p in agreement.partners)
        choices.append((agreement.id, f"{agreement.title} ({partners})" if partners else agreement.title))
    if current_id is not None and all(value != current_id for value, _ in choices):
        choices.append((current_id, "Een afspraak die er niet meer is"))
    return choices


def update_round(round_: ScanRound, version, *, title: str, purpose: str | None, opens_on: date,
                 closes_on: date, partners_may_see_results: bool, outcome: str | None,
                 agreement_id: int | None) -> None:
    check_version(round_, version)
    _check_dates(opens_on, closes_on)
    if agreement_id is not None and agreement_id != round_.agreement_id and (
            not 0 < agreement_id <= 2**31 - 1 or db.session.get(Agreement, agreement_id) is None):
        raise ScanError("Kies een samenwerkingsafspraak uit de lijst.", "agreement_id")
    if round_.revealed and closes_on != round_.closes_on:
        raise ScanError("De uitkomsten zijn al gedeeld; de sluitingsdatum blijft zoals hij was.",
                        "closes_on")
    round_.title = title.strip()
    round_.purpose = (purpose or "").strip() or None
    round_.opens_on, round_.closes_on = opens_on, closes_on
    round_.partners_may_see_results = partners_may_see_results
    round_.outcome = (outcome or "").strip() or None
    round_.agreement_id = agreement_id
    # Invitations follow the closing date.
    for party in round_.parties:
        for invitation in party.invitations:
            invitation.expires_at = closes_at(round_)
    db.session.flush()


def previous_round(round_: ScanRound) -> ScanRound | None:
    """The latest earlier revealed round of the same collaboration."""
    return db.session.scalar(
        select(ScanRound)
        .where(ScanRound.collaboration_key == round_.collaboration_key, ScanRound.id != round_.id,
               ScanRound.revealed_at.is_not(None), ScanRound.closes_on <= round_.closes_on)
        .order_by(ScanRound.closes_on.desc(), ScanRound.id.desc())
        .limit(1)
    )


def submitted_count(round_: ScanRound) -> int:
    return db.session.scalar(
        select(func.count()).select_from(ScanResponse).where(
            ScanResponse.round_id == round_.id, ScanResponse.submitted_at.is_not(None)
        )
    ) or 0


def reveal(round_: ScanRound, user_id: int | None, confirmed_early: bool,
           now: datetime | None = None) -> None:
    now = now or utcnow()
    if round_.revealed:
        raise ScanError("De uitkomsten zijn al gedeeld.")
    if submitted_count(round_) == 0:
        raise ScanError("Nog niemand heeft de scan ingestuurd. Er is dus nog niets om te delen. "
                        "Wacht op de antwoorden of stuur een herinnering.")
    if not is_closed(round_, now) and not confirmed_early:
        raise ScanError("De ronde is nog open. Vink aan dat je de uitkomsten nu al wilt delen.",
                        "confirm")
    round_.revealed_at = now
    round_.revealed_by_id = user_id
    db.session.flush()


def open_rounds() -> list[ScanRound]:
    return list(db.session.scalars(
        select(ScanRound).where(ScanRound.revealed_at.is_(None)).order_by(ScanRound.closes_on)
    ))
