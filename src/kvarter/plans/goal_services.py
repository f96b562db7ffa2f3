"""Writes for the goal hierarchy: visions, goals and their criteria.

Every verb asks the resolver for ``change_plan`` in the municipality (administrators and
strategists) and writes through the audited helpers of :mod:`kvarter.core.services`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Municipality
from kvarter.core.errors import PermissionDenied
from kvarter.core.services import model_create, model_delete, model_update
from kvarter.plans.models import (
    Goal,
    GoalArea,
    QualitativeCriterion,
    QuantitativeCriterion,
    Vision,
)

GOAL_FIELDS = ("number", "title", "description")
QUANTITATIVE_FIELDS = (
    "position",
    "indicator",
    "area",
    "direction",
    "baseline_year",
    "target_year",
    "target_value",
    "target_value_women",
    "target_value_men",
)
QUALITATIVE_FIELDS = ("letter", "text")
# A new criterion without a direction takes its indicator's.
DIRECTION_OF_INDICATOR = {"higher": "increase", "lower": "decrease"}


def _require(actor: Any, municipality_id: int) -> None:
    if not resolver_for(actor).can_change_plans_of(municipality_id):
        raise PermissionDenied()


# Visions


def vision_create(
    *, actor: Any, municipality: Municipality, title: str, description: str = ""
) -> Vision:
    _require(actor, municipality.pk)
    return model_create(
        model=Vision,
        data={"municipality": municipality, "title": title, "description": description},
        actor=actor,
    )


def vision_update(
    *,
    actor: Any,
    vision: Vision,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[Vision, bool]:
    _require(actor, vision.municipality_id)
    return model_update(
        instance=vision,
        fields=("title", "description"),
        data=data,
        actor=actor,
        expected_version=expected_version,
    )


def goal_area_set_vision(
    *, actor: Any, goal_area: GoalArea, vision: Vision | None
) -> GoalArea:
    plan = goal_area.plan
    _require(actor, plan.municipality_id)
    if vision is not None and vision.municipality_id != plan.municipality_id:
        raise ValidationError(
            {
                "vision": ValidationError(
                    "Visionen hör till en annan kommun. / The vision belongs to another "
                    "municipality.",
                    code="vision_other_municipality",
                )
            }
        )
    updated, _ = model_update(
        instance=goal_area, fields=["vision"], data={"vision": vision}, actor=actor
    )
    return updated


# Goals


def goal_create(*, actor: Any, goal_area: GoalArea, data: Mapping[str, Any]) -> Goal:
    _require(actor, goal_area.plan.municipality_id)
    values = {k: v for k, v in data.items() if k in (*GOAL_FIELDS, "predecessor")}
    return model_create(
        model=Goal, data={**values, "goal_area": goal_area}, actor=actor
    )


def goal_update(
    *, actor: Any, goal: Goal, data: Mapping[str, Any], expected_version: int | None = None
) -> tuple[Goal, bool]:
    _require(actor, goal.goal_area.plan.municipality_id)
    return model_update(
        instance=goal,
        fields=GOAL_FIELDS,
        data=data,
        actor=actor,
        expected_version=expected_version,
    )


def goal_delete(*, actor: Any, goal: Goal) -> None:
    """Remove a goal and its criteria; measures keep existing and lose only the link."""
    _require(actor, goal.goal_area.plan.municipality_id)
    model_delete(instance=goal, actor=actor)


# Criteria


def quantitative_criterion_create(
    *, actor: Any, goal: Goal, data: Mapping[str, Any]
) -> QuantitativeCriterion:
    _require(actor, goal.goal_area.plan.municipality_id)
    values = {k: v for k, v in data.items() if k in (*QUANTITATIVE_FIELDS, "predecessor")}
    if "position" not in values:
        values["position"] = _next_position(goal)
    indicator = values.get("indicator")
    if not values.get("direction") and indicator is not None:
        direction = DIRECTION_OF_INDICATOR.get(indicator.direction)
        if direction:
            values["direction"] = direction
    return model_create(
        model=QuantitativeCriterion, data={**values, "goal": goal}, actor=actor
    )


def _next_position(goal: Goal) -> int:
    last = goal.quantitative_criteria.order_by("-position").values_list("position", flat=True)
    return (last.first() or 0) + 1


def quantitative_criterion_update(
    *,
    actor: Any,
    criterion: QuantitativeCriterion,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[QuantitativeCriterion, bool]:
    _require(actor, criterion.goal.goal_area.plan.municipality_id)
    return model_update(
        instance=criterion,
        fields=QUANTITATIVE_FIELDS,
        data=data,
        actor=actor,
        expected_version=expected_version,
    )


def qualitative_criterion_create(
    *, actor: Any, goal: Goal, data: Mapping[str, Any]
) -> QualitativeCriterion:
    _require(actor, goal.goal_area.plan.municipality_id)
    values = {k: v for k, v in data.items() if k in (*QUALITATIVE_FIELDS, "predecessor")}
    if not values.get("letter"):
        values["letter"] = _next_letter(goal)
    return model_create(
        model=QualitativeCriterion, data={**values, "goal": goal}, actor=actor
    )


def _next_letter(goal: Goal) -> str:
    """The letter after the goal's last one: a, b, … z, then aa, ab …"""
    taken = set(goal.qualitative_criteria.values_list("letter", flat=True))
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    candidates = [*alphabet, *(a + b for a in alphabet for b in alphabet)]
    return next(c for c in candidates if c not in taken)


def qualitative_criterion_update(
    *,
    actor: Any,
    criterion: QualitativeCriterion,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[QualitativeCriterion, bool]:
    _require(actor, criterion.goal.goal_area.plan.municipality_id)
    return model_update(
        instance=criterion,
        fields=QUALITATIVE_FIELDS,
        data=data,
        actor=actor,
        expected_version=expected_version,
    )


def criterion_delete(
    *, actor: Any, criterion: QuantitativeCriterion | QualitativeCriterion
) -> None:
    _require(actor, criterion.goal.goal_area.plan.municipality_id)
    model_delete(instance=criterion, actor=actor)
