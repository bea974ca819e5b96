"""The registry: how ``collaboration``, ``lobby`` and ``content`` plug into the core.

Each package has a ``register(registry)`` function that the composition root calls
once per app. What it adds are small frozen dataclasses; nothing is stuck onto the
app object. The registry of the running app is ``current_registry()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from crm.guide import Phase, Theme


@dataclass(frozen=True)
class MenuItem:
    """A link in the main navigation.

    ``roles`` are the roles that see the item; ``order`` sorts left to right;
    ``active_prefix`` marks the item as current for every endpoint starting with it.
    """

    endpoint: str
    label: str
    roles: frozenset[str]
    order: int = 100
    active_prefix: str | None = None


@dataclass(frozen=True)
class StartPanel:
    """A panel on the start page.

    ``provider(user)`` returns the template context for ``template`` or ``None`` to
    hide the panel (for instance when there is nothing to show for this user).
    """

    key: str
    template: str
    roles: frozenset[str]
    provider: Callable[[Any], dict | None]
    order: int = 100


@dataclass(frozen=True)
class Instrument:
    """An instrument of the guide (woordweb, afwegingstabel, ...) that lives at a page.

    The tracker shows it on the phase page of ``theme``/``phase``; ``key`` matches the
    instrument names in the guide data of ``content``.
    """

    key: str
    label: str
    endpoint: str
    theme: Theme
    phase: Phase


@dataclass(frozen=True)
class PartnerLink:
    """A page of another package about one partner, linked from the partner's page.
    ``endpoint`` takes ``partner_id``; the link shows only to roles that may open it."""

    label: str
    endpoint: str


@dataclass(frozen=True)
class RecordRef:
    """One record listed on a phase page: its label, where it lives, and its date: the
    record's own date where it has one (a meeting's, a decision's), else when it was made."""

    kind: str
    label: str
    url: str
    when: Any = None


@dataclass(frozen=True)
class PhaseRecords:
    """A source of records for the tracker.

    ``query(theme, phase)`` returns the ``RecordRef`` of every record of that phase.
    """

    kind: str
    query: Callable[[Theme, Phase], Iterable[RecordRef]]


@dataclass(frozen=True)
class ChoiceList:
    """A list the admin can edit (partner kinds, referral purposes, ...).

    ``defaults`` are (code, label) pairs used until the admin changes the list.
    """

    key: str
    label: str
    defaults: tuple[tuple[str, str], ...]
    description: str = ""


@dataclass(frozen=True)
class Setting:
    """A setting the admin can change on the settings page (an integer, e.g. months)."""

    key: str
    label: str
    default: int
    minimum: int = 1
    maximum: int = 240
    hint: str = ""


@dataclass(frozen=True)
class Figures:
    """A source of monthly counts that other packages show (e.g. referrals on the lobby brief).

    ``monthly(first_month, months)`` returns ``{(year, month): count}`` for the ``months``
    calendar months starting at ``first_month`` (a date on the first of a month); months
    without records may be left out. Counts come from a SQL GROUP BY, never loaded rows.
    ``key`` names the figures (``"referrals"``); ``label`` is Dutch, for a heading.
    """

    key: str
    label: str
    monthly: Callable[[Any, int], dict[tuple[int, int], int]]


#: How long a record's title on the AVG page may be.
TITLE_LENGTH = 80


@dataclass(frozen=True)
class PersonalText:
    """Columns of a package's model that may name a person (AVG, QUALITY.md 17).

    The person's export lists every record whose ``fields`` mention their name, e-mail or
    phone; erasing the person replaces those strings in the same fields. A JSON column in
    ``fields`` is cleaned in every text value it holds (its keys and shape stay). A field
    called ``email`` or ``phone`` that holds exactly the person's address or number is
    cleared. ``label`` names the record type in Dutch; ``title`` is the attribute shown as
    the record's title, or a function of the record (without one: "nr." and the id);
    ``url`` (optional) gives the page where a specialist can check the record. A long
    title is shortened.
    """

    model: Any
    fields: tuple[str, ...]
    label: str
    title: str | Callable[[Any], str] | None = None
    url: Callable[[Any], str] | None = None

    def title_of(self, record) -> str:
        if callable(self.title):
            title = self.title(record)
        else:
            title = getattr(record, self.title, None) if self.title else None
        return shorten(str(title)) if title not in (None, "") else f"nr. {record.id}"


def shorten(text: str, length: int = TITLE_LENGTH) -> str:
    """The text on one line, cut at a word with "…" when longer than ``length``."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(" ,.;:") + " …"


@dataclass
class Registry:
    menu: list[MenuItem] = field(default_factory=list)
    panels: list[StartPanel] = field(default_factory=list)
    instruments: list[Instrument] = field(default_factory=list)
    phase_records: list[PhaseRecords] = field(default_factory=list)
    demo_seeders: list[Callable[[], None]] = field(default_factory=list)
    lists: dict[str, ChoiceList] = field(default_factory=dict)
    purgers: list[Callable[[Any], str]] = field(default_factory=list)
    personal_texts: list[PersonalText] = field(default_factory=list)
    settings: dict[str, Setting] = field(default_factory=dict)
    figures: dict[str, Figures] = field(default_factory=dict)
    partner_links: list[PartnerLink] = field(default_factory=list)

    def add_menu_item(self, item: MenuItem) -> None:
        self.menu.append(item)

    def add_panel(self, panel: StartPanel) -> None:
        self.panels.append(panel)

    def add_instrument(self, instrument: Instrument) -> None:
        self.instruments.append(instrument)

    def add_phase_records(self, source: PhaseRecords) -> None:
        self.phase_records.append(source)

    def add_partner_link(self, link: PartnerLink) -> None:
        self.partner_links.append(link)

    def add_demo_seeder(self, seeder: Callable[[], None]) -> None:
        """A function that adds the package's demo data; runs after the core demo data."""
        self.demo_seeders.append(seeder)

    def add_list(self, choice_list: ChoiceList) -> None:
        self.lists[choice_list.key] = choice_list

    def add_setting(self, setting: Setting) -> None:
        self.settings[setting.key] = setting

    def add_purger(self, purger: Callable[[Any], str]) -> None:
        """``purger(now)`` removes records past their retention and returns a Dutch line
        saying what it removed; ``flask crm purge`` runs them all (idempotent)."""
        self.purgers.append(purger)

    def add_figures(self, figures: Figures) -> None:
        """Offer monthly counts under ``figures.key``; readers get None while nobody offers them."""
        self.figures[figures.key] = figures

    def add_personal_text(self, source: PersonalText) -> None:
        self.personal_texts.append(source)

    def add_personal_texts_of(
        self,
        package: str,
        also: dict[str, tuple[str, ...]] | None = None,
        titles: dict[str, Callable[[Any], str]] | None = None,
        urls: dict[str, Callable[[Any], str]] | None = None,
    ) -> None:
        """Declare every free-text column of the package's models: new models are covered
        without anyone having to remember it.

        Found by themselves: Text, String of 200+, and any column with
        ``info={"personal": True}`` (a short name field such as an owner's name, or a JSON
        column holding notes). ``also`` adds columns by model class name, for a package
        that declares them here instead of on the column; ``titles`` and ``urls`` (by
        class name) say how to show and link a record on the person's AVG page; without a
        title, the first of title, name, text, label or description is used. A name in
        ``also`` that does not exist stops the app at start-up.
        """
        from sqlalchemy import String, Text

        from crm.db import Base

        also, titles, urls = dict(also or {}), titles or {}, urls or {}
        for mapper in Base.registry.mappers:
            cls = mapper.class_
            if not cls.__module__.startswith(package + "."):
                continue
            fields = [
                c.key for c in mapper.columns
                if isinstance(c.type, Text) or (isinstance(c.type, String) and (c.type.length or 0) >= 200)
                or c.info.get("personal")
            ]
            for extra in also.pop(cls.__name__, ()):
                if extra not in mapper.columns:
                    raise ValueError(f"{cls.__name__} has no column {extra!r} to declare as personal text")
                if extra not in fields:
                    fields.append(extra)
            if fields:
                title = titles.get(cls.__name__) or next(
                    (f for f in ("title", "name", "text", "label", "description") if hasattr(cls, f)), None)
                label = getattr(cls, "label_nl", cls.__name__)
                self.add_personal_text(PersonalText(cls, tuple(fields), label, title, urls.get(cls.__name__)))
        if also:
            raise ValueError(f"no models {sorted(also)} in package {package!r} to declare as personal text")

    # -- reading ---------------------------------------------------------------
    def menu_for(self, role: str | None) -> list[MenuItem]:
        return sorted((m for m in self.menu if role in m.roles), key=lambda m: m.order)

    def panels_for(self, role: str | None) -> list[StartPanel]:
        return sorted((p for p in self.panels if role in p.roles), key=lambda p: p.order)

    def instruments_of(self, theme: Theme, phase: Phase) -> list[Instrument]:
        return [i for i in self.instruments if i.theme == theme and i.phase == phase]

    def records_of(self, theme: Theme, phase: Phase) -> list[RecordRef]:
        refs: list[RecordRef] = []
        for source in self.phase_records:
            refs.extend(source.query(theme, phase))
        return refs


def current_registry() -> Registry:
    return current_app.extensions["crm"].registry
