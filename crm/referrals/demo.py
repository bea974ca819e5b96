"""Demo referrals for ``make run``: a year and a bit of a lived-in referral log."""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from sqlalchemy import select

from crm.admin.models import Branch
from crm.auth.models import User
from crm.db import db, utcnow
from crm.network.models import Partner
from crm.referrals.models import INCOMING, OUTGOING, Referral
from crm.referrals.services import month_key

# Shared demo partners (name, kind); get-or-create so the network demo and this one agree.
DEMO_PARTNERS = (
    ("Consultatiebureau Rivierstad (JGZ)", "consultatiebureau"),
    ("Kinderopvang De Ukkepuk", "kinderopvang"),
    ("Peuterspeelzaal Het Klavertje", "peuteropvang"),
    ("Basisschool De Regenboog", "basisschool"),
    ("Welzijn Rivierstad", "welzijn"),
    ("Verloskundigenpraktijk Moeder & Kind", "verloskundige"),
    ("Voedselbank Rivierstad", "voedselbank"),
    ("Taalhuis Rivierstad", "taalhuis"),
)
# Which purposes fit which partner kind, so the demo figures tell a plausible story.
PURPOSES_BY_KIND = {
    "consultatiebureau": ("voorlezen-boekstart", "opvoeden", "gezondheid"),
    "kinderopvang": ("voorlezen-boekstart", "opvoeden"),
    "peuteropvang": ("voorlezen-boekstart", "taal-lezen"),
    "basisschool": ("taal-lezen", "voorlezen-boekstart"),
    "welzijn": ("geldzaken", "opvoeden", "werk-inkomen", "anders"),
    "verloskundige": ("voorlezen-boekstart", "gezondheid"),
    "voedselbank": ("geldzaken", "werk-inkomen"),
    "taalhuis": ("taal-lezen", "digitale-vaardigheden", "inburgering-nt2"),
}
METHODS = ("warme-overdracht", "warme-overdracht", "telefonisch", "afspraak", "folder", "folder", "website")


def _partners() -> list[Partner]:
    found = []
    for name, kind in DEMO_PARTNERS:
        partner = db.session.scalar(select(Partner).where(Partner.name == name))
        if partner is None:
            partner = Partner(name=name, kind=kind, internal=False, status="actief", place="Rivierstad")
            db.session.add(partner)
        found.append(partner)
    db.session.flush()
    return found


def seed_referrals(count: int = 420) -> None:
    """About a referral a day over the last 14 months, spread over the demo branches."""
    if db.session.scalar(select(Referral.id).limit(1)) is not None:
        return
    rng = random.Random(2026)
    partners = _partners()
    branches = list(db.session.scalars(select(Branch).order_by(Branch.id)))
    staff = db.session.scalar(select(User).where(User.role == "frontoffice").order_by(User.id))
    now = utcnow()
    for _ in range(count):
        partner = rng.choice(partners)
        moment = now - timedelta(days=rng.randint(1, 425), hours=rng.randint(0, 8))
        db.session.add(Referral(
            direction=INCOMING if rng.random() < 0.2 else OUTGOING,
            partner_id=partner.id,
            purpose=rng.choice(PURPOSES_BY_KIND.get(partner.kind, ("anders",))),
            method=rng.choice(METHODS),
            audience=rng.choice((None, "ouder", "kind", "gezin")),
            language=rng.choice((None, "nt1", "nt2", "onbekend")),
            branch_id=rng.choice(branches).id if branches else None,
            staff_id=staff.id if staff else None,
            created_at=moment,
            month=month_key(moment),
            nonce=secrets.token_urlsafe(24),
        ))
    db.session.flush()
