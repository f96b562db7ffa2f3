"""Safety coordination (EST): what reporters file, where, and what the operational group does.

A reporter files an ``IncidentReport`` (rapport) holding one or more ``IncidentEvent``s
(händelser): category, place, time, optional short text. Raw reports are seen only by EST
members of the area (capability VIEW_RAW_INCIDENTS); everyone else sees aggregates with small
counts suppressed. Texts never hold personal data: they are scanned before anything is stored.

The models live in the sub-packages (catalogue, filing, deployments, problem_places,
retention); this module gathers them so that Django, the migrations and other apps find every
model as ``kvarter.safety.models.X``.
"""

from __future__ import annotations

from kvarter.safety.catalogue.models import (
    EstSettings,
    IncidentCategory,
    Place,
    Resource,
    ResourceKind,
)
from kvarter.safety.deployments.models import Deployment, Outcome
from kvarter.safety.filing.models import (
    TEXT_MAX_LENGTH,
    IncidentEvent,
    IncidentReport,
    RawReadLog,
    ReviewState,
    Unsafety,
)
from kvarter.safety.problem_places.models import ProblemPlace, ProblemPlaceStatus
from kvarter.safety.retention.models import MonthlyAggregate

__all__ = [
    "TEXT_MAX_LENGTH",
    "Deployment",
    "EstSettings",
    "IncidentCategory",
    "IncidentEvent",
    "IncidentReport",
    "MonthlyAggregate",
    "Outcome",
    "Place",
    "ProblemPlace",
    "ProblemPlaceStatus",
    "RawReadLog",
    "Resource",
    "ResourceKind",
    "ReviewState",
    "Unsafety",
]
