"""Meetings with the municipality: preparation, outcome, agreements and the follow-up mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from email.message import EmailMessage
from urllib.parse import quote

from sqlalchemy import select

from crm.auth.models import User
from crm.db import db, utcnow
from crm.network.models import Contact
from crm.web import local_today
from lobby.models import Evidence, Meeting, MeetingAgreement, Municipality
from lobby.models.municipality import ROLE_LABELS
from lobby.models.plans import DEFAULT_QUESTIONS, GOAL_LABELS
from lobby.services.common import LobbyError, check_version, clean

#: Agreements due within this many days show on the start page of their owner.
AGREEMENT_HORIZON_DAYS = 14


@dataclass
class MeetingData:
    """What the meeting form hands to the service, as plain values."""

    title: str
    held_on: date | None
    starts_at: time | None = None
    place: str | None = None
    contact_ids: list[int] | None = None
    library_people: str | None = None
    goals: list[str] | None = None
    goals_note: str | None = None
    library_role: str | None = None
    questions: list[tuple[str, str]] | None = None
    evidence_ids: list[int] | None = None
    key_message: str | None = None


def default_questions() -> list[tuple[str, str]]:
    return [(q, "") for q in DEFAULT_QUESTIONS]


def meetings(municipality: Municipality | None = None) -> list[Meeting]:
    stmt = select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id.desc())
    if municipality is not None:
        stmt = stmt.where(Meeting.municipality_id == municipality.id)
    return list(db.session.scalars(stmt))


def coming_meetings(days: int = 14, today: date | None = None) -> list[Meeting]:
    """Meetings with the municipality in the coming ``days`` days, soonest first."""
    today = today or local_today()
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.held_on >= today, Meeting.held_on <= today + timedelta(days=days))
            .order_by(Meeting.held_on, Meeting.starts_at, Meeting.id)
        )
    )


def upcoming_and_past(items: list[Meeting], today: date | None = None) -> tuple[list[Meeting], list[Meeting]]:
    today = today or local_today()
    upcoming = sorted((m for m in items if m.held_on >= today), key=lambda m: m.held_on)
    past = [m for m in items if m.held_on < today]
    return upcoming, past


def _apply(meeting: Meeting, data: MeetingData) -> None:
    if data.held_on is None:
        raise LobbyError("Vul de datum van het gesprek in, zoals 3-12-2026.", "held_on")
    if not clean(data.title):
        raise LobbyError("Vul een onderwerp voor het gesprek in.", "title")
    if data.library_role and data.library_role not in ROLE_LABELS:
        raise LobbyError("Kies een rol uit de lijst.", "library_role")
    if any(clean(answer) and not clean(question) for question, answer in data.questions or []):
        raise LobbyError("Er staat een antwoord zonder vraag. Vul de vraag erbij in, of maak het "
                         "antwoord leeg.")
    meeting.title = clean(data.title)
    meeting.held_on = data.held_on
    meeting.starts_at = data.starts_at
    meeting.place = clean(data.place)
    meeting.library_people = clean(data.library_people)
    meeting.goals = [g for g in (data.goals or []) if g in GOAL_LABELS]
    meeting.goals_note = clean(data.goals_note)
    meeting.library_role = data.library_role or None
    meeting.key_message = clean(data.key_message)
    meeting.questions = [
        {"question": clean(q) or "", "answer": clean(a) or ""} for q, a in (data.questions or []) if clean(q)
    ]
    ids = list(dict.fromkeys(data.contact_ids or []))
    meeting.contacts = list(db.session.scalars(select(Contact).where(Contact.id.in_(ids)))) if ids else []
    evidence_ids = list(dict.fromkeys(data.evidence_ids or []))
    meeting.evidence = (
        list(db.session.scalars(select(Evidence).where(Evidence.id.in_(evidence_ids))))
        if evidence_ids
        else []
    )


def create_meeting(municipality: Municipality, data: MeetingData) -> Meeting:
    meeting = Meeting(municipality_id=municipality.id)
    meeting.municipality = municipality
    _apply(meeting, data)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def update_meeting(meeting: Meeting, version, data: MeetingData) -> None:
    check_version(meeting, version)
    _apply(meeting, data)
    db.session.flush()


def save_outcome(meeting: Meeting, version, outcome: str | None, key_message: str | None) -> None:
    check_version(meeting, version)
    meeting.outcome = clean(outcome)
    meeting.key_message = clean(key_message)
    db.session.flush()


def add_agreement(
    meeting: Meeting, description: str, owner_id: int | None, owner_name: str | None, due_on: date | None
) -> MeetingAgreement:
    if not clean(description):
        raise LobbyError("Vul in wat er is afgesproken.", "description")
    if clean(owner_name):
        owner_id = None  # a name typed in wins over the colleague chosen by default
    if owner_id and db.session.get(User, owner_id) is None:
        raise LobbyError("Kies een collega uit de lijst.", "owner_id")
    if not owner_id and not clean(owner_name):
        raise LobbyError("Kies wie de afspraak oppakt, of vul een naam in.", "owner_id")
    if due_on is None:
        raise LobbyError("Vul in wanneer de afspraak klaar moet zijn.", "due_on")
    agreement = MeetingAgreement(
        meeting_id=meeting.id,
        description=clean(description),
        owner_id=owner_id or None,
        owner_name=None if owner_id else clean(owner_name),
        due_on=due_on,
    )
    db.session.add(agreement)
    db.session.flush()
    return agreement


def toggle_agreement(agreement: MeetingAgreement) -> None:
    agreement.done_at = None if agreement.done_at else utcnow()
    db.session.flush()


def open_agreements_for(user, today: date | None = None) -> list[MeetingAgreement]:
    """Open agreements owned by ``user`` that are due within the horizon (or overdue)."""
    if user is None:
        return []
    today = today or local_today()
    return list(
        db.session.scalars(
            select(MeetingAgreement)
            .where(
                MeetingAgreement.owner_id == user.id,
                MeetingAgreement.done_at.is_(None),
                MeetingAgreement.due_on <= today + timedelta(days=AGREEMENT_HORIZON_DAYS),
            )
            .order_by(MeetingAgreement.due_on, MeetingAgreement.id)
        )
    )


# -- the follow-up mail ----------------------------------------------------------------
@dataclass
class MailDraft:
    to: list[str]
    subject: str
    body: str

    def mailto(self) -> str:
        return (
            "mailto:"
            + ",".join(quote(a, safe="@") for a in self.to)
            + "?subject="
            + quote(self.subject)
            + "&body="
            + quote(self.body)
        )

    def eml(self, sender: str | None = None) -> bytes:
        message = EmailMessage()
        message["To"] = ", ".join(self.to)
        if sender:
            message["From"] = sender
        message["Subject"] = self.subject
        message["X-Unsent"] = "1"  # mail programs open it as a draft
        message.set_content(self.body)
        return bytes(message)


def follow_up_mail(meeting: Meeting, sender_name: str | None = None) -> MailDraft:
    """A draft to the people met: thanks, the key message and the agreements."""
    from crm.web import nl_date  # Dutch dates in the text

    recipients = [c.email for c in meeting.contacts if c.email]
    names = [c.name.split(" ")[0] for c in meeting.contacts]
    greeting = "Beste " + (", ".join(names) if names else "allen") + ","
    key_message = meeting.key_message or meeting.municipality.key_message
    lines = [greeting, "", f"Dank voor het gesprek op {nl_date(meeting.held_on)} over {meeting.title}."]
    if key_message:
        lines += ["", "Waar het ons om gaat:", key_message]
    if meeting.agreements:
        lines += ["", "Dit hebben we afgesproken:"]
        for agreement in meeting.agreements:
            who = f" ({agreement.owner_label}" + (
                f", {nl_date(agreement.due_on)})" if agreement.due_on else ")"
            )
            lines.append(f"- {agreement.description}{who}")
    lines += ["", "Met vriendelijke groet,", sender_name or "", ""]
    return MailDraft(
        recipients, f"Ons gesprek van {nl_date(meeting.held_on)}: {meeting.title}", "\n".join(lines)
    )
