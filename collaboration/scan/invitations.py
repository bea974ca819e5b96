"""Invitations to the samenwerkingsscan: one personal link per person, its token, the
partner's session, resending and revoking. Services only flush; the view commits.

Only the sha256 of a token is stored. A token made from a form's nonce (an HMAC with the
app's secret key) lets a repeated POST of the same form show the same link again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from collaboration.scan.models import ScanInvitation, ScanParty
from collaboration.scan.services import ScanError, closes_at, is_closed
from crm.db import as_utc, db, utcnow

#: ``secrets.token_urlsafe(32)``: 256 bits, 43 characters of the URL-safe alphabet.
TOKEN_BYTES = 32
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
#: The one-time value of an invitation form (``secrets.token_urlsafe(24)``): 32 characters.
NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def new_nonce() -> str:
    """The one-time value of a form that makes or renews a link (see ``token_from_nonce``)."""
    return secrets.token_urlsafe(24)


def valid_nonce(nonce) -> bool:
    return isinstance(nonce, str) and bool(NONCE_RE.match(nonce))


def token_from_nonce(nonce: str) -> str:
    """The link's token for the form with this nonce: an HMAC with the app's secret key.

    Posting the same form again (a reload of the link page) gives the same token, so the
    service finds the invitation it made the first time and shows the same link instead of
    making another one. Only the hash of the token is stored; the nonce is not stored at all.
    """
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    digest = hmac.new(key, b"crm-scan-invitation:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")  # 256 bits, 43 characters


FORM_INCOMPLETE = "Het formulier is niet compleet. Laad de pagina opnieuw en probeer het nog eens."
#: The invitation form was sent before for another person or party (a copy of the page
#: from the browser's history, edited): that person is invited, this one not yet.
FORM_REUSED = ("Met dit formulier is eerder al iemand anders uitgenodigd. Controleer de gegevens "
               "en klik nog een keer op de knop om deze persoon uit te nodigen.")
#: The same form again, but its link was used or revoked since: showing it would not help.
LINK_GONE = ("Deze link is inmiddels gebruikt of ingetrokken en werkt niet meer. "
             "Maak zo nodig een nieuwe link op de pagina van de ronde.")


def _token_for(nonce: str | None) -> tuple[str, str]:
    if nonce is None:
        return _new_token()
    if not valid_nonce(nonce):
        raise ScanError(FORM_INCOMPLETE)
    token = token_from_nonce(nonce)
    return token, hash_token(token)


def _link_works(invitation: ScanInvitation, now: datetime | None = None) -> bool:
    """The invitation's current link can still be used (not used, revoked or expired)."""
    if invitation.exchanged_at or invitation.revoked_at:
        return False
    return (now or utcnow()) < as_utc(invitation.expires_at)


def invitation_by_hash(digest: str) -> ScanInvitation | None:
    return db.session.scalar(select(ScanInvitation).where(ScanInvitation.token_hash == digest))


def invite(party: ScanParty, person_name: str, email: str | None, user_id: int | None,
           nonce: str | None = None) -> tuple[ScanInvitation, str]:
    """A personal invitation; returns it with the token (shown on the link page, never stored).

    With the form's ``nonce``, the same form posted again returns the invitation it made
    the first time, with the same token: one invitation, one working link. The form posted
    again for another person or party is refused (``FORM_REUSED``): the view gives it a new
    nonce, so the next try invites that person.
    """
    round_ = party.round
    token, digest = _token_for(nonce)
    existing = invitation_by_hash(digest)
    if existing is not None:
        if existing.party.round_id != round_.id:
            raise ScanError(FORM_INCOMPLETE)
        if existing.party_id != party.id or existing.person_name != person_name.strip():
            raise ScanError(FORM_REUSED)
        if not _link_works(existing):
            raise ScanError(LINK_GONE)
        return existing, token
    if is_closed(round_):
        raise ScanError("Deze ronde is gesloten. Nieuwe uitnodigingen kunnen niet meer.")
    invitation = ScanInvitation(
        party=party, person_name=person_name.strip(), email=(email or "").strip() or None,
        token_hash=digest, expires_at=closes_at(round_), invited_by_id=user_id, sent_at=utcnow(),
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def can_resend(invitation: ScanInvitation) -> bool:
    return not is_closed(invitation.party.round)


def resend(invitation: ScanInvitation, nonce: str | None = None) -> str:
    """A new link for the same person: the old link and any session of it stop working.

    With the form's ``nonce``, the same form posted again changes nothing and returns the
    same token: the link that was just copied keeps working. Once that link was used or
    revoked, the form posted again is refused (``LINK_GONE``) instead of showing a dead link.
    """
    token, digest = _token_for(nonce)
    if invitation.token_hash == digest:
        if not _link_works(invitation):
            raise ScanError(LINK_GONE)
        return token
    round_ = invitation.party.round
    if not can_resend(invitation):
        raise ScanError("Deze ronde is gesloten. Een nieuwe link kan niet meer.")
    if invitation_by_hash(digest) is not None:
        raise ScanError(FORM_INCOMPLETE)
    invitation.token_hash = digest
    invitation.generation += 1
    invitation.exchanged_at = None
    invitation.revoked_at = None
    invitation.sent_at = utcnow()
    invitation.expires_at = closes_at(round_)
    db.session.flush()
    return token


def can_revoke(invitation: ScanInvitation) -> bool:
    """Revoking ends the link and the person's session. That matters while the round is
    open, and after the reveal when partners may see the results; otherwise the session only
    shows the person's own answers, so the button is not offered."""
    if invitation.revoked_at is not None:
        return False
    round_ = invitation.party.round
    if round_.revealed:
        return round_.partners_may_see_results
    return not is_closed(round_)


def revoke(invitation: ScanInvitation) -> None:
    """End the link and any session of it. Answers the person already sent in keep counting:
    they were the party's view when they were sent in; the round page says so."""
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.flush()


def sign_off(invitation: ScanInvitation) -> None:
    """"Afmelden op dit apparaat": the session ends for good, also in a copy of its cookie
    (the link itself was already used up when it was swapped for the session)."""
    invitation.generation += 1
    db.session.flush()


def find_by_token(token: str, now: datetime | None = None) -> ScanInvitation | None:
    """The invitation of a link that may still be used. None for every kind of bad token:
    malformed, unknown, revoked, expired or already used."""
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        return None
    invitation = invitation_by_hash(hash_token(token))
    if invitation is None or not _link_works(invitation, now):
        return None
    return invitation


def mark_exchanged(invitation: ScanInvitation, now: datetime | None = None) -> None:
    """The link was used: it cannot be used again; the person continues in a session."""
    now = now or utcnow()
    invitation.exchanged_at = now
    invitation.opened_at = invitation.opened_at or now
    db.session.flush()


def invitation_for_session(invitation_id, generation) -> ScanInvitation | None:
    """The invitation a partner's session belongs to, while it is still valid."""
    try:
        invitation = db.session.get(ScanInvitation, int(invitation_id))
    except (TypeError, ValueError):
        return None
    if invitation is None or invitation.revoked_at or invitation.generation != generation:
        return None
    return invitation
