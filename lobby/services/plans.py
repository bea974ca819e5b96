"""The plan van aanpak with its actions, and the evaluation of the profilering."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from crm.db import db
from crm.network.models import Affiliation, Contact, Partner
from crm.web import local_today
from lobby.models import ActionPlan, Evaluation, Municipality, PlanAction
from lobby.models.plans import PLAN_ITEMS
from lobby.services.common import LobbyError, check_phase, check_version, clean, clean_line

EVALUATION_FIELDS = ("plan_review", "contacts_review", "friction", "materials_review", "focus")


def plans(municipality: Municipality | None = None) -> list[ActionPlan]:
    stmt = select(ActionPlan).order_by(ActionPlan.created_at.desc(), ActionPlan.id.desc())
    if municipality is not None:
        stmt = stmt.where(ActionPlan.municipality_id == municipality.id)
    return list(db.session.scalars(stmt))


def _apply_plan(plan: ActionPlan, title: str, items: dict[str, str | None], phase: str | None = None) -> None:
    if not clean_line(title):
        raise LobbyError("Geef het plan een naam.", "title")
    phase = check_phase(phase)
    plan.title = clean_line(title)
    for key, _question in PLAN_ITEMS:
        setattr(plan, key, clean(items.get(key)))
    if phase:
        plan.phase = phase


def create_plan(
    municipality: Municipality, title: str, items: dict[str, str | None], phase: str | None = None
) -> ActionPlan:
    plan = ActionPlan(municipality_id=municipality.id)
    _apply_plan(plan, title, items, phase)
    db.session.add(plan)
    db.session.flush()
    return plan


def update_plan(
    plan: ActionPlan, version, title: str, items: dict[str, str | None], phase: str | None = None
) -> None:
    check_version(plan, version)
    _apply_plan(plan, title, items, phase)
    db.session.flush()


def delete_plan(plan: ActionPlan, with_actions: bool = False) -> None:
    """Remove a plan entered by mistake. A plan with actions goes only when the person said the
    actions go too (``with_actions``): they are the work planned in it."""
    if plan.actions and not with_actions:
        n = len(plan.actions)
        raise LobbyError(
            f"Dit plan heeft {n} {'actie' if n == 1 else 'acties'}. Vink aan dat die ook weg mogen, "
            "of laat het plan staan.",
            "with_actions",
        )
    db.session.delete(plan)
    db.session.flush()


def _check_action(description: str | None, owner: str | None, due_on: date | None) -> None:
    if not clean(description):
        raise LobbyError("Vul in wat de actie is.", "description")
    if not clean_line(owner):
        raise LobbyError("Vul in wie de actie oppakt.", "owner")
    if due_on is None:
        raise LobbyError("Vul de datum in, zoals 3-12-2026.", "due_on")


def add_action(plan: ActionPlan, description: str, owner: str, due_on: date | None) -> PlanAction:
    _check_action(description, owner, due_on)
    action = PlanAction(
        plan_id=plan.id, description=clean_line(description), owner=clean_line(owner), due_on=due_on
    )
    db.session.add(action)
    db.session.flush()
    return action


def update_action(action: PlanAction, description: str, owner: str, due_on: date | None,
                  version=None) -> None:
    """Correct an action (a typo, the wrong owner or date); whether it is done stays."""
    check_version(action, version)
    _check_action(description, owner, due_on)
    action.description, action.owner, action.due_on = clean_line(description), clean_line(owner), due_on
    db.session.flush()


def delete_action(action: PlanAction) -> None:
    db.session.delete(action)
    db.session.flush()


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
    phase: str | None = None,
) -> Evaluation:
    if evaluated_on is None:
        raise LobbyError("Vul de datum van de evaluatie in, zoals 3-12-2026.", "evaluated_on")
    if evaluated_on > local_today():
        raise LobbyError(
            "Deze datum ligt in de toekomst. Leg een evaluatie vast als jullie hem gedaan hebben: "
            "kies een datum tot en met vandaag.",
            "evaluated_on",
        )
    if not any(clean(values.get(key)) for key in EVALUATION_FIELDS):
        # Only a date is not an evaluation: it would be listed as one ("Eerdere evaluaties").
        raise LobbyError(
            "Vul minstens één stap van de evaluatie in. Alleen een datum is nog geen evaluatie.",
            EVALUATION_FIELDS[0],
        )
    phase = check_phase(phase)
    if evaluation is None:
        evaluation = Evaluation(municipality_id=municipality.id)
        db.session.add(evaluation)
    else:
        check_version(evaluation, version)
    evaluation.evaluated_on = evaluated_on
    for key in EVALUATION_FIELDS:
        setattr(evaluation, key, clean(values.get(key)))
    if phase:
        evaluation.phase = phase
    db.session.flush()
    return evaluation


def delete_evaluation(evaluation: Evaluation) -> None:
    db.session.delete(evaluation)
    db.session.flush()


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
