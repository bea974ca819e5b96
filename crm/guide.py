"""Identifiers of the guide's themes and phases, shared by every package."""

from __future__ import annotations

from enum import StrEnum


class Theme(StrEnum):
    GENERAL = "algemeen"
    TARGET_GROUPS = "doelgroepgericht"
    COLLABORATION = "samenwerken"
    PROGRAMMING = "programmering"
    IMPACT = "impact"
    LEARNING = "leren"
    PROFILING = "profilering"

    @property
    def label(self) -> str:
        return THEME_LABELS[self]


class Phase(StrEnum):
    ORIENTATION = "orientation"
    CREATION = "creation"
    IMPLEMENTATION = "implementation"
    EVALUATION = "evaluation"

    @property
    def label(self) -> str:
        return PHASE_LABELS[self]

    @property
    def number(self) -> int:
        return list(Phase).index(self) + 1


THEME_LABELS = {
    Theme.GENERAL: "Gezinsaanpak algemeen",
    Theme.TARGET_GROUPS: "Doelgroepgericht werken",
    Theme.COLLABORATION: "Samenwerken intern en extern",
    Theme.PROGRAMMING: "Programmering",
    Theme.IMPACT: "Impactgericht werken",
    Theme.LEARNING: "Leren en ontwikkelen",
    Theme.PROFILING: "Profilering bij gemeentelijke gezinsaanpak",
}

PHASE_LABELS = {
    Phase.ORIENTATION: "Oriëntatie",
    Phase.CREATION: "Creatie",
    Phase.IMPLEMENTATION: "Implementatie",
    Phase.EVALUATION: "Evaluatie",
}

THEME_CHOICES = [(t.value, t.label) for t in Theme]
PHASE_CHOICES = [(p.value, p.label) for p in Phase]
