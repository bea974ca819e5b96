"""Branches, editable lists and settings."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func, select

from crm.admin.models import Branch, Choice, Setting
from crm.audit import record_event
from crm.db import db
from crm.errors import RuleError
from crm.registry import current_registry


class AdminError(RuleError):
    """A rule about branches, lists or settings was broken (see ``crm.errors.RuleError``)."""


# -- branches --------------------------------------------------------------------
def branches(active_only: bool = False) -> list[Branch]:
    stmt = select(Branch).order_by(Branch.name)
    if active_only:
        stmt = stmt.where(Branch.active.is_(True))
    return list(db.session.scalars(stmt))


def branch_choices(empty_label: str = "Geen vaste vestiging",
                   include: int | None = None) -> list[tuple[int, str]]:
    """The branches in use; ``include`` keeps a record's own branch choosable when it is no
    longer in use, so saving the record does not silently drop it."""
    options = [(b.id, b.name) for b in branches(active_only=True)]
    if include and include not in dict(options):
        kept = db.session.get(Branch, include)
        if kept is not None:
            options.append((kept.id, f"{kept.name} (niet meer in gebruik)"))
    return [(0, empty_label)] + options


def save_branch(branch: Branch | None, name: str, place: str | None, active: bool) -> Branch:
    name = name.strip()
    clash = db.session.scalar(
        select(Branch).where(func.lower(Branch.name) == name.lower())
    )
    if clash is not None and clash is not branch:
        raise AdminError("Er is al een vestiging met deze naam.", "name")
    if branch is None:
        branch = Branch()
        db.session.add(branch)
    branch.name, branch.place, branch.active = name, (place or "").strip() or None, active
    db.session.flush()
    return branch


# -- editable lists ----------------------------------------------------------------
def slugify(label: str) -> str:
    text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "optie"


def ensure_list(key: str) -> None:
    """Store the registry's defaults for a list the first time it is edited or used."""
    spec = current_registry().lists[key]
    exists = db.session.scalar(select(func.count()).select_from(Choice).where(Choice.list_key == key))
    if not exists:
        for position, (code, label) in enumerate(spec.defaults):
            db.session.add(Choice(list_key=key, code=code, label=label, position=position))
        db.session.flush()


def choices(key: str, include_inactive: bool = False) -> list[tuple[str, str]]:
    """(code, label) pairs of a list, in order; the defaults while the admin changed nothing."""
    if not _has_rows(key):
        return list(current_registry().lists[key].defaults)
    stmt = select(Choice.code, Choice.label).where(Choice.list_key == key)
    if not include_inactive:
        stmt = stmt.where(Choice.active.is_(True))
    return [tuple(r) for r in db.session.execute(stmt.order_by(Choice.position, Choice.id))]


def _has_rows(key: str) -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(Choice).where(Choice.list_key == key)))


def choice_label(key: str, code: str | None) -> str:
    """The label of a code, also for switched-off options; the code itself when unknown."""
    if code is None:
        return ""
    label = db.session.scalar(select(Choice.label).where(Choice.list_key == key, Choice.code == code))
    if label:
        return label
    return dict(current_registry().lists[key].defaults).get(code, code)


def list_options(key: str) -> list[Choice]:
    """Every option of a list, also the hidden ones; unsaved defaults while nothing is stored."""
    stored = list(db.session.scalars(
        select(Choice).where(Choice.list_key == key).order_by(Choice.position, Choice.id)
    ))
    if stored:
        return stored
    return [
        Choice(list_key=key, code=code, label=label, position=i, active=True)
        for i, (code, label) in enumerate(current_registry().lists[key].defaults)
    ]


def _stored_option(key: str, code: str) -> Choice | None:
    ensure_list(key)
    return db.session.scalar(select(Choice).where(Choice.list_key == key, Choice.code == code))


def _label_taken(key: str, label: str, own: Choice | None = None) -> bool:
    return any(c.label.lower() == label.lower() and c is not own for c in list_options(key))


def add_choice(key: str, label: str) -> Choice:
    ensure_list(key)
    label = label.strip()
    existing = list_options(key)
    if _label_taken(key, label):
        raise AdminError("Deze optie staat al in de lijst.", "label")
    code = base = slugify(label)
    n = 2
    while any(c.code == code for c in existing):
        code, n = f"{base}-{n}", n + 1
    choice = Choice(list_key=key, code=code, label=label, position=len(existing))
    db.session.add(choice)
    db.session.flush()
    return choice


LAST_VISIBLE = "Er moet minstens één optie zichtbaar blijven, anders kan niemand meer kiezen."


def toggle_choice(key: str, code: str) -> Choice | None:
    """Hide or show an option; records that use it keep their label.

    The last visible option cannot be hidden: the forms would have nothing to choose
    (a referral needs a purpose and a method)."""
    choice = _stored_option(key, code)
    if choice is None:
        return None
    if choice.active:
        visible = db.session.scalar(select(func.count()).select_from(Choice).where(
            Choice.list_key == key, Choice.active.is_(True)))
        if visible <= 1:
            raise AdminError(LAST_VISIBLE)
    choice.active = not choice.active
    db.session.flush()
    return choice


def rename_choice(key: str, code: str, label: str) -> Choice | None:
    """Give an option a new name. The code stays, so records and statistics that use the
    option keep counting it as one option, now under the new name."""
    choice = _stored_option(key, code)
    if choice is None:
        return None
    label = label.strip()
    if _label_taken(key, label, own=choice):
        raise AdminError("Er is al een optie met deze naam.", "label")
    choice.label = label
    db.session.flush()
    return choice


def move_choice(key: str, code: str, step: int) -> tuple[Choice, int] | None:
    """Move an option one place up (``step`` −1) or down (+1) in the list; the order is the
    order of the forms and the charts. Returns the option and its new place (1 = first);
    at the top or bottom it stays where it is."""
    if _stored_option(key, code) is None:
        return None
    options = list_options(key)
    index = next(i for i, c in enumerate(options) if c.code == code)
    target = index + step
    if 0 <= target < len(options):
        options[index], options[target] = options[target], options[index]
    else:
        target = index
    for position, option in enumerate(options):  # also repairs equal positions
        if option.position != position:
            option.position = position
    db.session.flush()
    return options[target], target + 1


# -- settings ------------------------------------------------------------------------
def get_setting(key: str) -> int:
    spec = current_registry().settings[key]
    row = db.session.get(Setting, key)
    return int(row.value) if row is not None and row.value is not None else spec.default


def set_setting(key: str, value: int) -> None:
    spec = current_registry().settings[key]
    if not spec.minimum <= value <= spec.maximum:
        raise AdminError(f"Kies een getal van {spec.minimum} tot en met {spec.maximum}.", key)
    before = get_setting(key)
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()
    if value != before:
        # The log names the setting and both values (a setting holds no personal data):
        # "who lowered the retention, and from what?" must be answerable.
        record_event("update", Setting.__tablename__, fields=[f"{spec.label}: {before} → {value}"])
