"""The plan van aanpak with its actions, and the evaluation of the profilering."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from crm.db import db
from crm.network.models import Affiliation, Contact, Partner
from lobby.models import ActionPlan, Evaluation, Municipality, PlanAction
from lobby.models.plans import PLAN_ITEMS
from lobby.services.common import LobbyError, check_version, clean

EVALUATION_FIELDS = ("plan_review", "contacts_review", "friction", "materials_review", "focus")


def plans(municipality: Municipality | None = None) -> list[ActionPlan]:
    stmt = select(ActionPlan).order_by(ActionPlan.created_at.desc(), ActionPlan.id.desc())
    if municipality is not None:
        stmt = stmt.where(ActionPlan.municipality_id == municipality.id)
    return list(db.session.scalars(stmt))


def _apply_plan(plan: ActionPlan, title: str, items: dict[str, str | None]) -> None:
    if not clean(title):
        raise LobbyError("Geef het plan een naam.", "title")
    plan.title = clean(title)
    for key, _question in PLAN_ITEMS:
        setattr(plan, key, clean(items.get(key)))


def create_plan(municipality: Municipality, title: str, items: dict[str, str | None]) -> ActionPlan:
    plan = ActionPlan(municipality_id=municipality.id)
    _apply_plan(plan, title, items)
    db.session.add(plan)
    db.session.flush()
    return plan


def update_plan(plan: ActionPlan, version, title: str, items: dict[str, str | None]) -> None:
    check_version(plan, version)
    _apply_plan(plan, title, items)
    db.session.flush()


def add_action(plan: ActionPlan, description: str, owner: str, due_on: date | None) -> PlanAction:
    if not clean(description):
        raise LobbyError("Vul in wat de actie is.", "description")
    if not clean(owner):
        raise LobbyError("Vul in wie de actie oppakt.", "owner")
    if due_on is None:
        raise LobbyError("Vul de datum in, zoals 3-12-2026.", "due_on")
    action = PlanAction(plan_id=plan.id, description=clean(description), owner=clean(owner), due_on=due_on)
    db.session.add(action)
    db.session.flush()
    return action


def toggle_action(action: PlanAction) -> None:
    action.done = not action.done
    db.session.flush()


# -- evaluation --------------------------------------------------------------------------
def evaluations(municipality: Municipality) -> list[Evaluation]:
    return list(
        db.session.scalars(
            select(Evaluation)
            .where(Evaluation.municipality_id == municipality.id)
            .order_by(Evaluation.evaluated_on.desc(), Evaluation.id.desc())
        )
    )


def save_evaluation(
    municipality: Municipality,
    evaluation: Evaluation | None,
    version,
    evaluated_on: date | None,
    values: dict[str, str | None],
) -> Evaluation:
    if evaluated_on is None:
        raise LobbyError("Vul de datum van de evaluatie in, zoals 3-12-2026.", "evaluated_on")
    if evaluation is None:
        evaluation = Evaluation(municipality_id=municipality.id)
        db.session.add(evaluation)
    else:
        check_version(evaluation, version)
    evaluation.evaluated_on = evaluated_on
    for key in EVALUATION_FIELDS:
        setattr(evaluation, key, clean(values.get(key)))
    db.session.flush()
    return evaluation


def contact_evaluations(municipality: Municipality) -> tuple[list[Contact], list[Contact], list[Contact]]:
    """People at the municipality by the CRM's evaluation mark: valuable, not valuable, not judged."""
    rows = db.session.scalars(
        select(Contact)
        .join(Affiliation, Affiliation.contact_id == Contact.id)
        .where(Affiliation.partner_id == municipality.partner_id, Contact.erased_at.is_(None))
        .order_by(Contact.name)
    )
    contacts = list({c.id: c for c in rows}.values())  # no DISTINCT: PostgreSQL's json has no equality
    valuable = [c for c in contacts if c.valuable is True]
    not_valuable = [c for c in contacts if c.valuable is False]
    open_ = [c for c in contacts if c.valuable is None]
    return valuable, not_valuable, open_


def friction_hints(municipality: Municipality) -> tuple[list[Contact], list[Partner]]:
    """Where collaboration may be stroef: cold relations at the municipality, paused partners."""
    rows = db.session.scalars(
        select(Contact)
        .join(Affiliation, Affiliation.contact_id == Contact.id)
        .where(
            Affiliation.partner_id == municipality.partner_id,
            Contact.erased_at.is_(None),
            Contact.warmth == "koud",
        )
        .order_by(Contact.name)
    )
    cold = list({c.id: c for c in rows}.values())
    paused = list(
        db.session.scalars(select(Partner).where(Partner.status == "gepauzeerd").order_by(Partner.name))
    )
    return cold, paused
