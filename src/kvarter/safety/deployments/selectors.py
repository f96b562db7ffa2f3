"""Deployments (insatser): the reads — which deployments an actor may see and open.

Deployments are read by the operational group of the area only (``can_plan_deployments``), the
same people who decide them: a deployment names where guards and police will be at what hours.
The writes are in :mod:`kvarter.safety.deployments.services`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from kvarter.accounts.permissions import resolver_for
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.safety.models import Deployment


def deployment_area_ids(actor: Any, municipality_id: int) -> frozenset[int] | None:
    """Areas whose deployments ``actor`` may read and decide (None: all of them)."""
    return resolver_for(actor).deployment_area_ids(municipality_id)


def access_deployment_by_id(actor: Any, deployment_id: Any) -> Deployment:
    """The deployment if ``actor`` is in its area's operational group; else 'not found'."""
    try:
        pk = int(deployment_id)
    except (TypeError, ValueError) as error:
        raise NotFoundOrForbidden() from error
    deployment = (
        Deployment.objects.select_related("area__municipality", "place", "resource", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if deployment is None or not resolver_for(actor).can_plan_deployments(deployment.area):
        raise NotFoundOrForbidden()
    return deployment


def iso_week_range(year: int, week: int) -> tuple[dt.date, dt.date]:
    monday = dt.date.fromisocalendar(year, week, 1)
    return monday, monday + dt.timedelta(days=6)


def deployment_list(
    *,
    actor: Any,
    municipality_id: int,
    area_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[Deployment]:
    """Deployments the actor may read, in ``area_ids`` (default: all theirs), overlapping
    ``start``–``end``."""
    allowed = deployment_area_ids(actor, municipality_id)
    deployments = Deployment.objects.filter(area__municipality_id=municipality_id)
    if allowed is not None:
        deployments = deployments.filter(area_id__in=allowed)
    if area_ids is not None:
        deployments = deployments.filter(area_id__in=list(area_ids))
    if end is not None:
        deployments = deployments.filter(starts_on__lte=end)
    if start is not None:
        deployments = deployments.filter(ends_on__gte=start)
    return deployments.select_related("area", "place", "resource").order_by(
        "starts_on", "area__name", "resource__name", "pk"
    )
