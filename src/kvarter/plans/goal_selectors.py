"""Reads of the goal hierarchy for the goal pages and the goal API, scoped to what the actor
may see. The goals as judged in a follow-up round are followup's
(:mod:`kvarter.followup.goal_overview`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kvarter.accounts.permissions import resolver_for
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.core.models import Sex
from kvarter.plans.models import (
    Goal,
    Plan,
    QualitativeCriterion,
    QuantitativeCriterion,
    Vision,
)

SEXES: tuple[str, ...] = (Sex.TOTAL, Sex.WOMEN, Sex.MEN)


# --- objects by id, within what the user may read ----------------------------------------------


def visible_plan_ids(user: Any) -> QuerySet[Plan]:
    ids = resolver_for(user).municipality_ids_with_plans()
    plans = Plan.objects.all()
    return plans if ids is None else plans.filter(municipality_id__in=ids)


def visible_visions(user: Any) -> QuerySet[Vision]:
    ids = resolver_for(user).municipality_ids_with_plans()
    visions = Vision.objects.select_related("municipality")
    return visions if ids is None else visions.filter(municipality_id__in=ids)


def visible_goals(user: Any) -> QuerySet[Goal]:
    return Goal.objects.filter(goal_area__plan__in=visible_plan_ids(user)).select_related(
        "goal_area__plan"
    )


def visible_quantitative(user: Any) -> QuerySet[QuantitativeCriterion]:
    return QuantitativeCriterion.objects.filter(
        goal__goal_area__plan__in=visible_plan_ids(user)
    ).select_related("goal__goal_area__plan", "indicator", "area")


def visible_qualitative(user: Any) -> QuerySet[QualitativeCriterion]:
    return QualitativeCriterion.objects.filter(
        goal__goal_area__plan__in=visible_plan_ids(user)
    ).select_related("goal__goal_area__plan")


def access(queryset: QuerySet[Any], pk: Any) -> Any:
    """The row ``pk`` of ``queryset``; missing, forbidden and garbled ids all raise alike."""
    try:
        key = int(pk)
    except (TypeError, ValueError) as error:
        raise NotFoundOrForbidden() from error
    found = queryset.filter(pk=key).first()
    if found is None:
        raise NotFoundOrForbidden()
    return found


def municipality_visions(municipality_id: int) -> QuerySet[Vision]:
    return Vision.objects.filter(municipality_id=municipality_id).order_by("title")
