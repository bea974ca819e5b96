"""Answers of one invited person: a draft or the sent-in scan, stored all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from collaboration.scan.models import OPEN, STATEMENT, ScanAnswer, ScanInvitation, ScanResponse
from collaboration.scan.services import ScanClosed, ScanError, is_closed, opens_at
from crm.db import db, utcnow


@dataclass
class AnswerValue:
    score: int | None = None
    dont_know: bool = False
    comment: str | None = None


def answers_of(invitation: ScanInvitation) -> dict[int, ScanAnswer]:
    if invitation.response is None:
        return {}
    return {a.item_id: a for a in invitation.response.answers}


def save_answers(invitation: ScanInvitation, values: dict[int, AnswerValue], submit: bool,
                 now: datetime | None = None) -> ScanResponse:
    """Store a draft or the submitted answers; everything or nothing."""
    now = now or utcnow()
    round_ = invitation.party.round
    if now < opens_at(round_):
        raise ScanClosed("De scan is nog niet open.")
    if is_closed(round_, now):
        raise ScanClosed("De scan is gesloten. Wat u eerder hebt opgeslagen, blijft bewaard.")
    items = {i.id: i for i in round_.questionnaire.items}
    for item_id, value in values.items():
        if item_id not in items:
            raise ScanError("Deze vraag hoort niet bij de scan.")
        if value.score is not None and not 1 <= value.score <= 5:
            raise ScanError("Kies een score van 1 tot en met 5, of 'weet ik niet'.")
    response = invitation.response
    if response is not None and response.submitted_at is not None:
        submit = True  # once sent in, every save updates the sent-in answers
    if submit:
        missing = [i for i in items.values() if i.kind == STATEMENT
                   and not (values.get(i.id) and (values[i.id].score or values[i.id].dont_know))]
        if missing:
            raise ScanError(f"Geef bij elke stelling een antwoord. Er missen er nog {len(missing)}.")
    if response is None:
        response = ScanResponse(invitation=invitation, round_id=round_.id)
        db.session.add(response)
    existing = {a.item_id: a for a in response.answers}
    for item_id, item in items.items():
        value = values.get(item_id, AnswerValue())
        comment = (value.comment or "").strip() or None
        empty = value.score is None and not value.dont_know and comment is None
        answer = existing.get(item_id)
        if empty:
            if answer is not None:
                response.answers.remove(answer)
            continue
        if answer is None:
            answer = ScanAnswer(item_id=item_id)
            response.answers.append(answer)
        answer.score = None if value.dont_know or item.kind == OPEN else value.score
        answer.dont_know = bool(value.dont_know) and item.kind == STATEMENT
        answer.comment = comment
    if submit:
        response.submitted_at = now
        invitation.submitted_at = now
    else:
        invitation.draft_saved_at = now
    db.session.flush()
    return response
