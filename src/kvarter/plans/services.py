"""Writes for action plans, goal areas and measures.

Every write asks the resolver (CHANGE_PLAN: administrators and strategists) and goes through
``core.services``, so it is validated, version-checked and audited whichever door calls it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kvarter.accounts.models import Organisation
from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area, Municipality
from kvarter.areas.validators import validate_areas_in_municipality
from kvarter.core.error_codes import error
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.core.services import model_create, model_delete, model_update
from kvarter.plans.models import Goal, GoalArea, Measure, Plan, PlanStatus

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
    "goals",
)
PLAN_EDITABLE_FIELDS = ("name", "start_year", "end_year", "status", "decision_reference")
GOAL_AREA_EDITABLE_FIELDS = ("number", "name")


def _require_plan_rights(actor: Any, municipality_id: int) -> None:
    if not resolver_for(actor).can_change_plans_of(municipality_id):
        raise PermissionDenied()


def plan_create(
    *,
    actor: Any,
    municipality: Municipality,
    name: str,
    start_year: int,
    end_year: int | None = None,
    decision_reference: str = "",
    status: str = PlanStatus.DRAFT,
) -> Plan:
    _require_plan_rights(actor, municipality.pk)
    _unique_plan_name(municipality.pk, name)
    return model_create(
        model=Plan,
        data={
            "municipality": municipality,
            "name": name,
            "start_year": start_year,
            "end_year": end_year or start_year,
            "decision_reference": decision_reference,
            "status": status,
        },
        actor=actor,
    )


def _same_name(name: str, names: Iterable[str]) -> bool:
    """Case-blind in Python: SQLite's ``iexact`` and ``lower()`` fold only A–Z, not Å, Ä, Ö."""
    wanted = str(name).strip().casefold()
    return any(other.strip().casefold() == wanted for other in names)


def _unique_plan_name(municipality_id: int, name: str, *, exclude: int | None = None) -> None:
    others = Plan.objects.filter(municipality_id=municipality_id)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if _same_name(name, others.values_list("name", flat=True)):
        raise ValidationError(
            {
                "name": error("plan_name_taken")
            }
        )


@transaction.atomic
def plan_update(
    *,
    actor: Any,
    plan: Plan,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[Plan, bool]:
    """Change the plan's name, years, status or decision reference."""
    _require_plan_rights(actor, plan.municipality_id)
    if "name" in data:
        _unique_plan_name(plan.municipality_id, data["name"], exclude=plan.pk)
    return model_update(
        instance=plan,
        fields=PLAN_EDITABLE_FIELDS,
        data=data,
        actor=actor,
        expected_version=expected_version,
    )


def goal_area_ensure(*, actor: Any, plan: Plan, number: int, name: str) -> GoalArea:
    """The plan's goal area with this number, created (or renamed) to ``name``."""
    _require_plan_rights(actor, plan.municipality_id)
    existing = plan.goal_areas.filter(number=number).first()
    if existing is None:
        return model_create(
            model=GoalArea,
            data={"plan": plan, "number": number, "name": name},
            actor=actor,
        )
    goal_area, _ = model_update(
        instance=existing, fields=["name"], data={"name": name}, actor=actor
    )
    return goal_area


def _free_goal_area(plan: Plan, data: Mapping[str, Any], exclude: int | None = None) -> None:
    """Refuse a number or name another goal area of the plan already has."""
    others = plan.goal_areas.all()
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if "number" in data and others.filter(number=data["number"]).exists():
        raise ValidationError(
            {
                "number": error("goal_area_number_taken")
            }
        )
    if "name" in data and _same_name(data["name"], others.values_list("name", flat=True)):
        raise ValidationError(
            {
                "name": error("goal_area_name_taken")
            }
        )


def goal_area_create(*, actor: Any, plan: Plan, number: int, name: str) -> GoalArea:
    """A new goal area; a number or name the plan already has is refused."""
    _require_plan_rights(actor, plan.municipality_id)
    _free_goal_area(plan, {"number": number, "name": name})
    return model_create(
        model=GoalArea,
        data={"plan": plan, "number": number, "name": name},
        actor=actor,
    )


@transaction.atomic
def goal_area_update(
    *,
    actor: Any,
    goal_area: GoalArea,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[GoalArea, bool]:
    """Rename or renumber a goal area; renumbering renumbers its measures (3.2 becomes 4.2)."""
    plan = goal_area.plan
    _require_plan_rights(actor, plan.municipality_id)
    _free_goal_area(plan, data, exclude=goal_area.pk)
    old_number = goal_area.number
    updated, changed = model_update(
        instance=goal_area,
        fields=GOAL_AREA_EDITABLE_FIELDS,
        data=data,
        actor=actor,
        expected_version=expected_version,
    )
    if updated.number != old_number:
        for measure in Measure.objects.filter(goal_area=updated).select_related("goal_area"):
            model_update(
                instance=measure,
                fields=["number"],
                data={"number": f"{updated.number}.{measure.number_minor}"},
                actor=actor,
            )
    return updated, changed


def _same_municipality(plan: Plan, areas: Iterable[Area], units: Iterable[Organisation]) -> None:
    validate_areas_in_municipality(areas, plan.municipality_id)
    if any(u.municipality_id != plan.municipality_id for u in units):
        raise ValidationError(
            {
                "responsible_units": error("unit_other_municipality")
            }
        )


def _same_plan_goals(plan: Plan, goals: Iterable[Goal]) -> None:
    if any(goal.goal_area.plan_id != plan.pk for goal in goals):
        raise ValidationError(
            {
                "goals": error("goal_other_plan")
            }
        )


@transaction.atomic
def measure_create(*, actor: Any, plan: Plan, data: Mapping[str, Any]) -> Measure:
    _require_plan_rights(actor, plan.municipality_id)
    _same_municipality(plan, data.get("areas", ()), data.get("responsible_units", ()))
    _same_plan_goals(plan, data.get("goals", ()))
    return model_create(model=Measure, data={**data, "plan": plan}, actor=actor)


@transaction.atomic
def measure_update(
    *,
    actor: Any,
    measure: Measure,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[Measure, bool]:
    _require_plan_rights(actor, measure.plan.municipality_id)
    _same_municipality(measure.plan, data.get("areas", ()), data.get("responsible_units", ()))
    _same_plan_goals(measure.plan, data.get("goals", ()))
    return model_update(
        instance=measure,
        fields=MEASURE_EDITABLE_FIELDS,
        data=data,
        actor=actor,
        expected_version=expected_version,
    )


@transaction.atomic
def measure_delete(
    *, actor: Any, measure: Measure, expected_version: int | None = None
) -> None:
    """Delete a measure that no follow-up round has a report on; reported ones are history."""
    _require_plan_rights(actor, measure.plan.municipality_id)
    if expected_version is not None and not Measure.objects.filter(
        pk=measure.pk, version=expected_version
    ).exists():
        raise StaleVersion()
    # Reverse relations of followup.StatusReport (plans does not import followup): its own
    # reports, and other measures' reports saying they were merged into this one.
    if measure.status_reports.exists() or measure.merged_reports.exists():
        raise error("measure_has_reports")
    model_delete(instance=measure, actor=actor)
