"""Reading plans and measures, scoped to the actor.

``access_plan_by_id`` and ``access_measure_by_id`` fetch one row and authorise in one call:
a missing id, a garbled id and a row the actor may not read all raise
:class:`~kvarter.core.errors.NotFoundOrForbidden`, so ids leak nothing (Zulip's
``access_stream_by_id``). With ``edit=True`` a row the actor may read but not change raises
:class:`~kvarter.core.errors.PermissionDenied`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from kvarter.accounts.permissions import resolver_for
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.plans.models import GoalArea, Measure, Plan

if TYPE_CHECKING:
    from kvarter.accounts.models import Organisation
    from kvarter.areas.models import Area


def id_or_not_found(value: Any) -> int:
    """``value`` as an integer id; anything else is 'not found', like a missing row."""
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise NotFoundOrForbidden() from error


def visible_plans(actor: Any) -> QuerySet[Plan]:
    """The plans of the municipalities whose plans ``actor`` may read."""
    ids = resolver_for(actor).municipality_ids_with_plans()
    plans = Plan.objects.select_related("municipality").prefetch_related("goal_areas")
    return plans if ids is None else plans.filter(municipality_id__in=ids)


def access_plan_by_id(actor: Any, plan_id: Any, *, edit: bool = False) -> Plan:
    """The plan if ``actor`` may read it; with ``edit``, also change it."""
    plan = Plan.objects.select_related("municipality").filter(pk=id_or_not_found(plan_id)).first()
    resolver = resolver_for(actor)
    if plan is None or not resolver.can_view_plans_of(plan.municipality_id):
        raise NotFoundOrForbidden()
    if edit and not resolver.can_change_plans_of(plan.municipality_id):
        raise PermissionDenied()
    return plan


def access_goal_area_by_id(actor: Any, goal_area_id: Any, *, edit: bool = False) -> GoalArea:
    """The goal area if ``actor`` may read its plan; with ``edit``, also change it."""
    goal_area = (
        GoalArea.objects.select_related("plan__municipality")
        .filter(pk=id_or_not_found(goal_area_id))
        .first()
    )
    resolver = resolver_for(actor)
    if goal_area is None or not resolver.can_view_plans_of(goal_area.plan.municipality_id):
        raise NotFoundOrForbidden()
    if edit and not resolver.can_change_plans_of(goal_area.plan.municipality_id):
        raise PermissionDenied()
    return goal_area


def in_areas(area_ids: Any) -> Q:
    """Measures naming one of ``area_ids`` or naming no area; subqueries, so no duplicates."""
    through = Measure.areas.through
    links = through.objects.filter(measure_id=OuterRef("pk"))
    return Q(Exists(links.filter(area_id__in=area_ids))) | ~Q(Exists(links))


def visible_measures(
    actor: Any, plan: Plan, *, area: Area | None = None, unit: Organisation | None = None
) -> QuerySet[Measure]:
    """The plan's measures ``actor`` may read, optionally narrowed to an area or a unit.

    A user limited to some areas sees the measures naming one of them and the measures naming
    no area (those concern the whole municipality). ``area`` narrows the same way: the measures
    of that area plus the whole municipality's. ``unit`` keeps the measures the unit is
    responsible for. Raises :class:`NotFoundOrForbidden` when the user may not read the plans
    of the plan's municipality at all.
    """
    resolver = resolver_for(actor)
    if not resolver.can_view_plans_of(plan.municipality_id):
        raise NotFoundOrForbidden
    measures = Measure.objects.filter(plan=plan)
    allowed = resolver.measure_area_ids(plan.municipality_id)
    if allowed is not None:
        measures = measures.filter(in_areas(allowed))
    if area is not None:
        measures = measures.filter(in_areas([area.pk]))
    if unit is not None:
        through = Measure.responsible_units.through
        measures = measures.filter(
            Exists(through.objects.filter(measure_id=OuterRef("pk"), organisation_id=unit.pk))
        )
    return measures.order_by("number_major", "number_minor")


def access_measure_by_id(actor: Any, measure_id: Any, *, edit: bool = False) -> Measure:
    """The measure if ``actor`` may read it (area scoping included); with ``edit``, also
    change it."""
    pk = id_or_not_found(measure_id)
    measure = (
        Measure.objects.select_related("plan__municipality", "goal_area").filter(pk=pk).first()
    )
    if measure is None or not visible_measures(actor, measure.plan).filter(pk=pk).exists():
        raise NotFoundOrForbidden()
    if edit and not resolver_for(actor).can_change_plans_of(measure.plan.municipality_id):
        raise PermissionDenied()
    return measure
