"""What a phase page shows from the registry: the instruments of the phase and its records."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from flask import url_for
from werkzeug.routing import BuildError

from content.guide import PhaseGuide, get_guide
from crm.db import as_utc
from crm.permissions import may_open, may_open_url
from crm.registry import Instrument, RecordRef, current_registry, shorten
from crm.web import local_tz

#: A record's title on the phase page. Shorter than the 60 characters at which a package may
#: cut a text (a contact moment's summary), so a word cut in half never shows.
RECORD_LABEL_LENGTH = 56


@dataclass(frozen=True)
class InstrumentLink:
    """One instrument on the phase page: the guide's name and, when the product has it, its page."""

    key: str
    label: str
    #: The page of the product for it; None when the product has none or this user may not open it.
    url: str | None = None
    #: The product's own name for its page, when that says more than the guide's name.
    tool: str | None = None
    in_product: bool = False

    @property
    def link_text(self) -> str:
        """The product's name when it starts with the guide's ("Woordweb: partners rond de
        gezinsaanpak" for "Woordweb"), else the guide's name."""
        if self.tool and self.tool.casefold().startswith(self.label.casefold()):
            return self.tool
        return self.label

    @property
    def note(self) -> str | None:
        """The product's name after the link, where the link text does not already say it."""
        return self.tool if self.tool and self.link_text != self.tool else None


def _url(endpoint: str) -> str | None:
    """The page of a registered instrument, when this user may open it (else shown as text)."""
    if not may_open(endpoint):
        return None
    try:
        return url_for(endpoint)
    except BuildError:
        return None


def _link(key: str, label: str, registered: Instrument | None) -> InstrumentLink:
    if registered is None:
        return InstrumentLink(key, label)
    tool = registered.label if registered.label != label else None
    return InstrumentLink(key, label, _url(registered.endpoint), tool, in_product=True)


@dataclass(frozen=True)
class PhaseInstruments:
    """The instruments of a phase: the guide's, in the order its steps name them (each once),
    and the product's own pages for the phase that are not an instrument of the guide."""

    of_guide: list[InstrumentLink]
    of_product: list[InstrumentLink]

    @property
    def by_key(self) -> dict[str, InstrumentLink]:
        return {i.key: i for i in self.of_guide}

    @property
    def in_product(self) -> bool:
        """Whether the product has a page for any instrument of this phase."""
        return bool(self.of_product) or any(i.in_product for i in self.of_guide)

    @property
    def unlinked(self) -> str | None:
        """Why some instruments have no link: outside the product, or not for this role."""
        if all(i.url for i in self.of_guide):
            return None
        if any(i.in_product and not i.url for i in self.of_guide):
            return ("Instrumenten zonder link zitten niet in deze tool, of alleen de specialisten kunnen "
                    "ze openen.")
        return ("Instrumenten zonder link zitten niet in deze tool. Je vindt ze in de Wegwijzer gezinsaanpak "
                "van Probiblio.")


def instruments(guide_phase: PhaseGuide) -> PhaseInstruments:
    """Each instrument the guide names in this phase, linked to the page a package registered
    under the same key; then what packages registered for this phase under other keys of the
    guide, and their own pages for it that are no instrument of the guide (an overview)."""
    guide = get_guide()
    registry = current_registry()
    here = registry.instruments_of(guide_phase.theme, guide_phase.phase)
    # One page per key: the one registered for this phase, else any; the last registered wins.
    registered = {i.key: i for i in registry.instruments} | {i.key: i for i in here}
    keys = list(guide_phase.instrument_keys)
    for instrument in here:
        if instrument.key in guide.instruments and instrument.key not in keys:
            keys.append(instrument.key)
    of_guide = [_link(key, guide.instruments[key], registered.get(key)) for key in keys]
    own = [_link(key, i.label, i) for key, i in registered.items()
           if key not in guide.instruments and i.theme == guide_phase.theme and i.phase == guide_phase.phase]
    return PhaseInstruments(of_guide, own)


# -- records ---------------------------------------------------------------------------------


def _heading(kind: str) -> str:
    """A kind of record as a heading: packages name them in lower case ("contactmoment")."""
    return kind[:1].upper() + kind[1:]


_NO_DATE = datetime.min.replace(tzinfo=UTC)


def _newest_first(ref: RecordRef) -> tuple:
    """Sort key (used reversed): records with a date by that date, a day before a time on it;
    records without a date last."""
    when = ref.when
    if isinstance(when, datetime):
        moment = as_utc(when)
        return (True, moment.astimezone(local_tz()).date(), moment)
    if isinstance(when, date):
        return (True, when, _NO_DATE)
    return (False, date.min, _NO_DATE)


def records(guide_phase: PhaseGuide) -> tuple[list[tuple[str, list[RecordRef]]], int]:
    """The records of the phase this role may open, by kind (A to Z), newest first, with
    titles cut at a word; and how many records it may not open."""
    groups: dict[str, list[RecordRef]] = {}
    hidden = 0
    for ref in current_registry().records_of(guide_phase.theme, guide_phase.phase):
        if not may_open_url(ref.url):  # the frontoffice does not see the lobby's or the CRM's records
            hidden += 1
            continue
        label = shorten(ref.label or "", RECORD_LABEL_LENGTH) or "Zonder titel"
        groups.setdefault(_heading(ref.kind), []).append(replace(ref, label=label))
    return [
        (kind, sorted(refs, key=_newest_first, reverse=True))
        for kind, refs in sorted(groups.items(), key=lambda item: item[0].casefold())
    ], hidden
