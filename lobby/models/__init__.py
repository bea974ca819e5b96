"""Models of the lobby towards the municipality (re-exported for convenience)."""

from lobby.models.evidence import Evidence, EvidenceImage, Material, PitchVersion
from lobby.models.municipality import KeyFigure, LobbyPlan, Municipality
from lobby.models.plans import ActionPlan, Evaluation, Meeting, MeetingAgreement, PlanAction

__all__ = [
    "ActionPlan",
    "Evaluation",
    "Evidence",
    "EvidenceImage",
    "KeyFigure",
    "LobbyPlan",
    "Material",
    "Meeting",
    "MeetingAgreement",
    "Municipality",
    "PitchVersion",
    "PlanAction",
]
