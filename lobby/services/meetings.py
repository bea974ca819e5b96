"""Meetings with the municipality: preparation, outcome, agreements and the follow-up mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from email import policy
from email.message import EmailMessage
from urllib.parse import quote

from sqlalchemy import select

from crm.auth.models import User
from crm.db import db, utcnow
from crm.errors import refuse_twin
from crm.guide import Theme
from crm.network.models import Contact, Interaction
from crm.web import local_today
from lobby.models import Evidence, Meeting, MeetingAgreement, Municipality
from lobby.models.municipality import ROLE_LABELS
from lobby.models.plans import DEFAULT_QUESTIONS, GOAL_LABELS
from lobby.services.common import LobbyError, check_phase, check_version, clean, clean_line

#: Agreements due within this many days show on the start page of their owner.
AGREEMENT_HORIZON_DAYS = 14
#: Headers on one line (RFC 5322 allows 998 characters): a folded subject starts with a space
#: in some mail programs.
EML_POLICY = policy.default.clone(max_line_length=998)
#: A brief has room for this many pieces of evidence; the form refuses more.
MAX_EVIDENCE = 3
#: The kind of contact moment a meeting is logged as (crm.network's "Persoonlijk gesprek").
MEETING_INTERACTION_KIND = "face-to-face"
#: ``Interaction.library_people`` is shorter than the meeting's.
INTERACTION_PEOPLE_LENGTH = 200

ANSWER_WITHOUT_QUESTION = (
    "Er staat een antwoord zonder vraag. Vul de vraag erbij in, of maak het antwoord leeg."
)
TOO_MUCH_EVIDENCE = (
    "Kies hoogstens drie stukken bewijs: meer past niet op de briefing. Je koos er nu {n}."
)


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
    phase: str | None = None


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


def question_rows_without_question(questions: list[tuple[str, str]] | None) -> list[int]:
    """Positions (from 0) of the rows that have an answer but no question."""
    return [
        i for i, (question, answer) in enumerate(questions or []) if clean(answer) and not clean(question)
    ]


def _apply(meeting: Meeting, data: MeetingData) -> None:
    if data.held_on is None:
        raise LobbyError("Vul de datum van het gesprek in, zoals 3-12-2026.", "held_on")
    if not clean_line(data.title):
        raise LobbyError("Vul een onderwerp voor het gesprek in.", "title")
    if data.library_role and data.library_role not in ROLE_LABELS:
        raise LobbyError("Kies een rol uit de lijst.", "library_role")
    if question_rows_without_question(data.questions):
        raise LobbyError(ANSWER_WITHOUT_QUESTION, "questions")
    evidence_ids = list(dict.fromkeys(data.evidence_ids or []))
    if len(evidence_ids) > MAX_EVIDENCE:
        raise LobbyError(TOO_MUCH_EVIDENCE.format(n=len(evidence_ids)), "evidence_ids")
    phase = check_phase(data.phase)
    meeting.title = clean_line(data.title)
    meeting.held_on = data.held_on
    meeting.starts_at = data.starts_at
    meeting.place = clean_line(data.place)
    meeting.library_people = clean_line(data.library_people)
    meeting.goals = [g for g in (data.goals or []) if g in GOAL_LABELS]
    meeting.goals_note = clean(data.goals_note)
    meeting.library_role = data.library_role or None
    meeting.key_message = clean(data.key_message)
    meeting.questions = [
        {"question": clean(q) or "", "answer": clean(a) or ""} for q, a in (data.questions or []) if clean(q)
    ]
    # An erased person (AVG) is not offered in the form, so never in ``contact_ids``; their link
    # stays as history (the meeting says that one participant was erased).
    ids = list(dict.fromkeys(data.contact_ids or []))
    chosen = list(db.session.scalars(
        select(Contact).where(Contact.id.in_(ids), Contact.erased_at.is_(None))
    )) if ids else []
    kept = [c for c in meeting.contacts if c.erased_at is not None] if meeting.id else []
    meeting.contacts = chosen + [c for c in kept if c not in chosen]
    meeting.evidence = (
        list(db.session.scalars(select(Evidence).where(Evidence.id.in_(evidence_ids))))
        if evidence_ids
        else []
    )
    if phase:
        meeting.phase = phase


def create_meeting(municipality: Municipality, data: MeetingData) -> Meeting:
    # The same meeting sent twice (a page sent again, a slow line): the first one stands.
    refuse_twin(Meeting, None, {"municipality_id": municipality.id, "title": clean_line(data.title),
                                "held_on": data.held_on})
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


def save_outcome(
    meeting: Meeting,
    version,
    outcome: str | None,
    key_message: str | None,
    log_contact: bool = False,
    actor_id: int | None = None,
) -> Interaction | None:
    """Store the outcome; with ``log_contact`` also the contact moment with the people met
    (made once, updated when the outcome is saved again). Returns that contact moment."""
    check_version(meeting, version)
    meeting.outcome = clean(outcome)
    meeting.key_message = clean(key_message)
    db.session.flush()
    if not log_contact:
        return None
    return log_as_contact(meeting, actor_id)


def log_as_contact(meeting: Meeting, actor_id: int | None = None) -> Interaction:
    """The meeting as a contact moment of crm.network: on the pages of the people met and of the
    municipality, and counted as their "laatste contact" on the next brief.

    A follow-up someone added to that contact moment by hand is left alone, and so are people
    or organisations added to it there."""
    if meeting.held_on > local_today():
        raise LobbyError(
            "Dit gesprek is nog niet geweest. Leg het contactmoment vast na het gesprek.", "log_contact"
        )
    interaction = meeting.interaction
    if interaction is None:
        interaction = Interaction(
            kind=MEETING_INTERACTION_KIND, owner_id=actor_id, theme=Theme.PROFILING.value, phase=meeting.phase
        )
        db.session.add(interaction)
        meeting.interaction = interaction
    interaction.occurred_on = meeting.held_on
    interaction.summary = meeting.title
    interaction.outcome = meeting.outcome
    interaction.key_message = meeting.key_message or meeting.municipality.key_message
    people = meeting.library_people or ""
    interaction.library_people = (
        people if len(people) <= INTERACTION_PEOPLE_LENGTH else people[: INTERACTION_PEOPLE_LENGTH - 1] + "…"
    ) or None
    contacts = list(interaction.contacts)
    interaction.contacts = contacts + [c for c in meeting.present_contacts if c not in contacts]
    partner = meeting.municipality.partner
    if partner not in interaction.partners:
        interaction.partners = [*interaction.partners, partner]
    db.session.flush()
    return interaction


def delete_meeting(meeting: Meeting, with_contact_moment: bool = False) -> None:
    """Remove a meeting entered by mistake, with its agreements (the audit log keeps that it
    was there). Its contact moment stays, unless ``with_contact_moment``."""
    if with_contact_moment and meeting.interaction is not None:
        db.session.delete(meeting.interaction)
    db.session.delete(meeting)
    db.session.flush()


def _check_agreement(
    description: str | None, owner_id: int | None, owner_name: str | None, due_on: date | None
) -> tuple[int | None, str | None]:
    """The owner as (colleague id, outside name) after the checks every agreement passes."""
    if not clean(description):
        raise LobbyError("Vul in wat er is afgesproken.", "description")
    if clean_line(owner_name):
        owner_id = None  # a name typed in wins over the colleague chosen by default
    if owner_id and db.session.get(User, owner_id) is None:
        raise LobbyError("Kies een collega uit de lijst.", "owner_id")
    if not owner_id and not clean_line(owner_name):
        raise LobbyError("Kies wie de afspraak oppakt, of vul een naam in.", "owner_id")
    if due_on is None:
        raise LobbyError("Vul in wanneer de afspraak klaar moet zijn.", "due_on")
    return owner_id or None, None if owner_id else clean_line(owner_name)


def add_agreement(
    meeting: Meeting, description: str, owner_id: int | None, owner_name: str | None, due_on: date | None
) -> MeetingAgreement:
    owner_id, owner_name = _check_agreement(description, owner_id, owner_name, due_on)
    agreement = MeetingAgreement(
        meeting_id=meeting.id,
        description=clean(description),
        owner_id=owner_id,
        owner_name=owner_name,
        due_on=due_on,
    )
    db.session.add(agreement)
    db.session.flush()
    return agreement


def update_agreement(
    agreement: MeetingAgreement,
    description: str,
    owner_id: int | None,
    owner_name: str | None,
    due_on: date | None,
    version=None,
) -> None:
    """Correct an agreement (a typo, the wrong person or date); whether it is done stays."""
    check_version(agreement, version)
    owner_id, owner_name = _check_agreement(description, owner_id, owner_name, due_on)
    agreement.description = clean(description)
    agreement.owner_id, agreement.owner_name, agreement.due_on = owner_id, owner_name, due_on
    db.session.flush()


def delete_agreement(agreement: MeetingAgreement) -> None:
    db.session.delete(agreement)
    db.session.flush()


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
        message = EmailMessage(policy=EML_POLICY)
        # Header values never hold a line break (EmailMessage refuses them): flatten, to be sure.
        message["To"] = clean_line(", ".join(self.to)) or ""
        if clean_line(sender):
            message["From"] = clean_line(sender)
        message["Subject"] = clean_line(self.subject) or ""
        message["X-Unsent"] = "1"  # mail programs open it as a draft
        message.set_content(self.body)
        return bytes(message)


def follow_up_mail(meeting: Meeting, sender_name: str | None = None) -> MailDraft:
    """A draft to the people met: thanks, the key message and the agreements. A person erased
    under the AVG is left out: there is nobody to greet or mail."""
    from crm.web import nl_date  # Dutch dates in the text

    met = meeting.present_contacts
    recipients = [c.email for c in met if c.email]
    names = [c.name.split(" ")[0] for c in met]
    greeting = "Beste " + (", ".join(names) if names else "allen") + ","
    key_message = meeting.key_message or meeting.municipality.key_message
    # The title is how the library names the meeting ("Gesprek met wethouder …"): it goes in the
    # subject, not in a sentence to the people met.
    lines = [greeting, "", f"Dank voor ons gesprek van {nl_date(meeting.held_on)}."]
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
    subject = clean_line(f"Ons gesprek van {nl_date(meeting.held_on)}: {meeting.title}") or ""
    return MailDraft(recipients, subject, "\n".join(lines))
