"""Demo data for ``make run``: accounts for each role, branches, and what packages add."""

from __future__ import annotations

from sqlalchemy import select

from crm.admin.models import Branch
from crm.auth.models import User
from crm.auth.services import create_user, set_password
from crm.db import db
from crm.registry import current_registry

DEMO_DOMAIN = "bibliotheek.example"
DEMO_USERS = (
    ("admin", f"beheer@{DEMO_DOMAIN}", "Bea Beheer"),
    ("specialist", f"specialist@{DEMO_DOMAIN}", "Sanne de Vries"),
    ("specialist", f"duo@{DEMO_DOMAIN}", "Karim El Amrani"),
    ("frontoffice", f"balie@{DEMO_DOMAIN}", "Fatima Bakker"),
)
DEMO_BRANCHES = (("Centrale bibliotheek", "Rivierstad"), ("Vestiging Noord", "Rivierstad"),
                 ("Vestiging Dorpsplein", "Beekdorp"))


def seed_demo() -> list[tuple[str, str, str]]:
    """Idempotent: adds what is missing and gives the demo accounts new random passwords."""
    branches = {}
    for name, place in DEMO_BRANCHES:
        branch = db.session.scalar(select(Branch).where(Branch.name == name))
        if branch is None:
            branch = Branch(name=name, place=place)
            db.session.add(branch)
        branches[name] = branch
    db.session.flush()
    logins = []
    first_demo = db.session.scalar(select(User).where(User.email == DEMO_USERS[0][1])) is None
    for role, email, name in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user, password = create_user(email, name, role,
                                         branch_id=branches["Centrale bibliotheek"].id)
        else:
            user.active = True
            password = set_password(user)
        logins.append((role, email, password))
    db.session.flush()
    if first_demo:
        for seeder in current_registry().demo_seeders:
            seeder()
    return logins
