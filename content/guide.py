"""The Wegwijzer as data: loading and validating ``guide.yaml``.

The file is read once (at start-up, from ``content.register``) and cached. A malformed
file stops the app with a ``GuideError`` that names the file and the entry at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from crm.guide import Phase, Theme

GUIDE_PATH = Path(__file__).resolve().parent / "guide.yaml"
ANSWER_MAX = 5000
#: An instrument's key: the key a package registers its page under (``crm.registry.Instrument``).
INSTRUMENT_KEY = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class GuideError(RuntimeError):
    """The guide data file is missing, unreadable or malformed."""


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    text: str
    instruments: tuple[str, ...]


@dataclass(frozen=True)
class PhaseGuide:
    theme: Theme
    phase: Phase
    purpose: str
    intro: str
    steps: tuple[Step, ...]
    question: str

    def step(self, number: int) -> Step | None:
        return next((s for s in self.steps if s.number == number), None)

    @property
    def instrument_keys(self) -> list[str]:
        """The instruments named in this phase's steps, in order, without duplicates."""
        keys: list[str] = []
        for step in self.steps:
            keys.extend(k for k in step.instruments if k not in keys)
        return keys


@dataclass(frozen=True)
class Guide:
    instruments: dict[str, str]
    phases: dict[tuple[Theme, Phase], PhaseGuide]

    def phase(self, theme: Theme, phase: Phase) -> PhaseGuide:
        return self.phases[(theme, phase)]

    def of_theme(self, theme: Theme) -> list[PhaseGuide]:
        return [self.phases[(theme, p)] for p in Phase]

    def __iter__(self):
        for theme in Theme:
            for phase in Phase:
                yield self.phases[(theme, phase)]

    @property
    def step_count(self) -> int:
        return sum(len(p.steps) for p in self.phases.values())


def _text(value, where: str, fail, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        fail(where, "moet een tekst zijn en mag niet leeg zijn")
    return value.strip()


def parse_guide(raw, source: str) -> Guide:
    """Validate the structure read from ``source`` and build the ``Guide``."""

    def fail(where: str, problem: str):
        raise GuideError(f"Fout in de wegwijzerdata {source}, bij '{where}': {problem}.")

    if not isinstance(raw, dict):
        fail("(bestand)", "verwacht een mapping met 'instruments' en 'themes'")
    unknown = set(raw) - {"instruments", "themes"}
    if unknown:
        fail(", ".join(sorted(unknown)), "onbekende sleutel")
    instruments = raw.get("instruments")
    if not isinstance(instruments, dict) or not instruments:
        fail("instruments", "verwacht een mapping van sleutel naar naam")
    for key, label in instruments.items():
        if not isinstance(key, str) or not INSTRUMENT_KEY.fullmatch(key):
            fail(f"instruments.{key}", "de sleutel moet uit kleine letters en cijfers bestaan, met '-' "
                 "tussen de woorden, zoals 'plan-van-aanpak'")
        _text(label, f"instruments.{key}", fail)
    themes = raw.get("themes")
    if not isinstance(themes, dict):
        fail("themes", "verwacht een mapping van thema naar fases")
    for key in themes:
        if key not in {t.value for t in Theme}:
            fail(f"themes.{key}", "onbekend thema (zie crm.guide.Theme)")
    phases: dict[tuple[Theme, Phase], PhaseGuide] = {}
    for theme in Theme:
        by_phase = themes.get(theme.value)
        if not isinstance(by_phase, dict):
            fail(f"themes.{theme.value}", "thema ontbreekt of heeft geen fases")
        for key in by_phase:
            if key not in {p.value for p in Phase}:
                fail(f"themes.{theme.value}.{key}", "onbekende fase (zie crm.guide.Phase)")
        for phase in Phase:
            where = f"themes.{theme.value}.{phase.value}"
            entry = by_phase.get(phase.value)
            if not isinstance(entry, dict):
                fail(where, "fase ontbreekt")
            extra = set(entry) - {"purpose", "intro", "steps", "question"}
            if extra:
                fail(f"{where}.{sorted(extra)[0]}", "onbekende sleutel")
            steps_raw = entry.get("steps")
            if not isinstance(steps_raw, list) or not steps_raw:
                fail(f"{where}.steps", "verwacht een lijst met minstens één stap")
            steps = []
            for index, step in enumerate(steps_raw, start=1):
                step_where = f"{where}.steps[{index}]"
                if not isinstance(step, dict):
                    fail(step_where, "verwacht een stap met number, title, text en instruments")
                if step.get("number") != index:
                    fail(f"{step_where}.number", f"verwacht stapnummer {index}")
                keys = step.get("instruments", [])
                if not isinstance(keys, list):
                    fail(f"{step_where}.instruments", "verwacht een lijst van sleutels")
                for key in keys:
                    if key not in instruments:
                        fail(f"{step_where}.instruments",
                             f"instrument '{key}' staat niet onder 'instruments'")
                steps.append(Step(
                    number=index,
                    title=_text(step.get("title"), f"{step_where}.title", fail),
                    text=_text(step.get("text"), f"{step_where}.text", fail),
                    instruments=tuple(keys),
                ))
            phases[(theme, phase)] = PhaseGuide(
                theme=theme,
                phase=phase,
                purpose=_text(entry.get("purpose"), f"{where}.purpose", fail),
                intro=_text(entry.get("intro"), f"{where}.intro", fail, required=False),
                steps=tuple(steps),
                question=_text(entry.get("question"), f"{where}.question", fail),
            )
    return Guide(instruments=dict(instruments), phases=phases)


def load_guide(path: Path | str = GUIDE_PATH) -> Guide:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GuideError(f"De wegwijzerdata {path} is niet te lezen: {exc}.") from exc
    except yaml.YAMLError as exc:
        raise GuideError(f"De wegwijzerdata {path} is geen geldige YAML: {exc}") from exc
    return parse_guide(raw, str(path))


@cache
def _cached(path: str) -> Guide:
    return load_guide(path)


def get_guide() -> Guide:
    """The guide of the product, read once per process."""
    return _cached(str(GUIDE_PATH))
