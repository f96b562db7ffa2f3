"""The plans app's tables: action plans with goal areas and measures, and the goal hierarchy."""

from kvarter.plans.models.goals import (
    Direction,
    Goal,
    QualitativeCriterion,
    QuantitativeCriterion,
    Sex,
    Vision,
)
from kvarter.plans.models.plan import (
    MEASURE_NUMBER_RE,
    GoalArea,
    Measure,
    Plan,
    PlanStatus,
    measure_number_validator,
)

__all__ = [
    "MEASURE_NUMBER_RE",
    "Direction",
    "Goal",
    "GoalArea",
    "Measure",
    "Plan",
    "PlanStatus",
    "QualitativeCriterion",
    "QuantitativeCriterion",
    "Sex",
    "Vision",
    "measure_number_validator",
]
