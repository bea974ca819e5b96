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
from crm.errors import RuleError, StaleRecord, check_version, refuse_twin
from crm.network.models import Partner
from crm.web import local_today, local_tz, nl_count

QUESTIONNAIRE_FILE = Path(__file__).resolve().parent / "questionnaire.yaml"
__all__ = ["ScanClosed", "ScanError", "check_version"]


class ScanError(RuleError):
    """A rule of the scan was broken (see ``crm.errors.RuleError``)."""


class ScanClosed(ScanError):
    """The round closed (or was revealed) before the answers could be saved."""


# -- time ------------------------------------------------------------------------


def closes_at(round_: ScanRound, closes_on: date | None = None) -> datetime:
    """A round closes at the end of its closing day (or of ``closes_on``), Dutch time."""
    return datetime.combine((closes_on or round_.closes_on) + timedelta(days=1), time(0), tzinfo=local_tz())


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
    refuse_twin(ScanRound, user_id, {"title": title.strip(), "opens_on": opens_on, "closes_on": closes_on,
                                     "collaboration_key": collaboration_key(partner_ids)})
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


class CloseUnconfirmed(ScanError):
    """The new closing date closes an open round at once; the user must confirm that."""


def closes_at_once(round_: ScanRound, closes_on: date, now: datetime | None = None) -> bool:
    """True when moving the closing date to ``closes_on`` ends a round that is open (or not
    open yet) right now: nobody can send anything in any more."""
    now = now or utcnow()
    if round_.revealed or is_closed(round_, now):
        return False
    return now >= closes_at(round_, closes_on)


def waiting_counts(round_: ScanRound) -> tuple[int, int]:
    """(people with only a draft, people invited who have not sent anything in) of a round,
    revoked invitations left out. The first is part of the second."""
    drafts = waiting = 0
    for party in round_.parties:
        for invitation in party.invitations:
            if invitation.revoked_at or invitation.submitted_at:
                continue
            waiting += 1
            drafts += invitation.draft_saved_at is not None
    return drafts, waiting


def people(n: int) -> str:
    return nl_count(n, "persoon", "personen")


def close_warning(round_: ScanRound) -> str:
    """What closing the round now means, said before it happens."""
    drafts, waiting = waiting_counts(round_)
    text = "Met deze sluitingsdatum is de ronde meteen gesloten. Daarna kan niemand meer iets insturen."
    if drafts:
        text += (f" {people(drafts)} {'heeft' if drafts == 1 else 'hebben'} alleen een concept bewaard; "
                 "dat telt dan niet mee.")
    if waiting - drafts:
        text += (f" {people(waiting - drafts)} {'heeft' if waiting - drafts == 1 else 'hebben'} nog "
                 "niets bewaard.")
    return text + " Vink aan dat je de ronde nu wilt sluiten, of kies een latere datum."


def update_round(round_: ScanRound, version, *, title: str, purpose: str | None, opens_on: date,
                 closes_on: date, partners_may_see_results: bool, outcome: str | None,
                 agreement_id: int | None, confirm_close: bool = False) -> None:
    check_version(round_, version)
    _check_dates(opens_on, closes_on)
    if closes_at_once(round_, closes_on) and not confirm_close:
        raise CloseUnconfirmed(close_warning(round_), "confirm_close")
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
        raise ScanError(nothing_to_share(round_, now))
    if not is_closed(round_, now) and not confirmed_early:
        raise ScanError("De ronde is nog open. Vink aan dat je de uitkomsten nu al wilt delen.",
                        "confirm")
    round_.revealed_at = now
    round_.revealed_by_id = user_id
    db.session.flush()


def nothing_to_share(round_: ScanRound, now: datetime | None = None) -> str:
    """Why there is nothing to share yet, and the next step that works in this state."""
    text = "Nog niemand heeft de scan ingestuurd. Er is dus nog niets om te delen."
    drafts, _waiting = waiting_counts(round_)
    if drafts:
        text += (f" {people(drafts)} {'heeft' if drafts == 1 else 'hebben'} wel een concept bewaard, "
                 "maar niet ingestuurd.")
    if is_closed(round_, now):
        return text + (" De ronde is gesloten. Wil je partijen nog laten insturen? Zet dan bij "
                       "‘Bewerken’ de sluitingsdatum later.")
    return text + " Wacht op de antwoorden of stuur de partijen een herinnering."


def answer_counts(round_: ScanRound) -> dict:
    """What deleting a round takes along: people and parties with submitted answers, drafts."""
    submitted_people = drafts = 0
    parties = set()
    for party in round_.parties:
        for invitation in party.invitations:
            if invitation.response is None:
                continue
            if invitation.response.submitted_at is not None:
                submitted_people += 1
                parties.add(party.id)
            else:
                drafts += 1
    return {"people": submitted_people, "parties": len(parties), "drafts": drafts}


def answers_sentence(counts: dict) -> str:
    """"2 personen van 1 partij hebben de scan ingestuurd en 1 persoon heeft een concept bewaard";
    empty when nobody answered."""
    parts = []
    if counts["people"]:
        parties = counts["parties"]
        parts.append(f"{people(counts['people'])} van {parties} {'partij' if parties == 1 else 'partijen'} "
                     f"{'heeft' if counts['people'] == 1 else 'hebben'} de scan ingestuurd")
    if counts["drafts"]:
        parts.append(f"{people(counts['drafts'])} {'heeft' if counts['drafts'] == 1 else 'hebben'} "
                     "een concept bewaard")
    return " en ".join(parts)


def delete_round(round_: ScanRound, with_answers: bool) -> None:
    """Remove a round made by mistake, with its parties, invitations and answers. Links stop
    working at once. A round with answers goes only when the user ticked that the answers go too."""
    counts = answer_counts(round_)
    if (counts["people"] or counts["drafts"]) and not with_answers:
        raise ScanError("Vink aan dat de antwoorden ook weg mogen. Er is niets verwijderd.", "with_answers")
    db.session.delete(round_)
    db.session.flush()


def open_rounds() -> list[ScanRound]:
    return list(db.session.scalars(
        select(ScanRound).where(ScanRound.revealed_at.is_(None)).order_by(ScanRound.closes_on)
    ))
