"""Writes for action plans, goal areas and measures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kvarter.accounts.models import Organisation
from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area, Municipality
from kvarter.areas.validators import validate_areas_in_municipality
from kvarter.core.errors import PermissionDenied
from kvarter.core.services import model_create, model_update
from kvarter.plans.models import GoalArea, Measure, Plan

MEASURE_EDITABLE_FIELDS = (
    "number",
    "goal_area",
    "title",
    "description",
    "areas",
    "responsible_text",
    "responsible_units",
    "partners",
    "financing",
    "amount",
    "start_date",
    "end_date",
    "extra",
)


def _require_plan_rights(acting_user: Any, municipality_id: int) -> None:
    if not resolver_for(acting_user).can_change_plans_of(municipality_id):
        raise PermissionDenied()


def plan_create(
    *,
    acting_user: Any,
    municipality: Municipality,
    name: str,
    start_year: int,
    end_year: int | None = None,
    decision_reference: str = "",
) -> Plan:
    _require_plan_rights(acting_user, municipality.pk)
    return model_create(
        model=Plan,
        data={
            "municipality": municipality,
            "name": name,
            "start_year": start_year,
            "end_year": end_year or start_year,
            "decision_reference": decision_reference,
        },
        acting_user=acting_user,
    )


def goal_area_ensure(*, acting_user: Any, plan: Plan, number: int, name: str) -> GoalArea:
    """The plan's goal area with this number, created (or renamed) to ``name``."""
    _require_plan_rights(acting_user, plan.municipality_id)
    existing = plan.goal_areas.filter(number=number).first()
    if existing is None:
        return model_create(
            model=GoalArea,
            data={"plan": plan, "number": number, "name": name},
            acting_user=acting_user,
        )
    goal_area, _ = model_update(
        instance=existing, fields=["name"], data={"name": name}, acting_user=acting_user
    )
    return goal_area


def _same_municipality(plan: Plan, areas: Iterable[Area], units: Iterable[Organisation]) -> None:
    validate_areas_in_municipality(areas, plan.municipality_id)
    if any(u.municipality_id != plan.municipality_id for u in units):
        raise ValidationError(
            {
                "responsible_units": ValidationError(
                    "Enheten hör till en annan kommun / The unit belongs to another municipality.",
                    code="unit_other_municipality",
                )
            }
        )


@transaction.atomic
def measure_create(*, acting_user: Any, plan: Plan, data: Mapping[str, Any]) -> Measure:
    _require_plan_rights(acting_user, plan.municipality_id)
    _same_municipality(plan, data.get("areas", ()), data.get("responsible_units", ()))
    return model_create(model=Measure, data={**data, "plan": plan}, acting_user=acting_user)


@transaction.atomic
def measure_update(
    *,
    acting_user: Any,
    measure: Measure,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[Measure, bool]:
    _require_plan_rights(acting_user, measure.plan.municipality_id)
    _same_municipality(measure.plan, data.get("areas", ()), data.get("responsible_units", ()))
    return model_update(
        instance=measure,
        fields=MEASURE_EDITABLE_FIELDS,
        data=data,
        acting_user=acting_user,
        expected_version=expected_version,
    )
