"""Reads of municipalities and areas, shared by pages, API and reports."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area, Municipality, PoliceClassification
from kvarter.core.errors import NotFoundOrForbidden


def municipality_list(*, actor: Any) -> QuerySet[Municipality]:
    # Municipalities and their areas are public: the public area pages are built on them.
    return Municipality.objects.all()


def area_list(*, actor: Any, municipality: Municipality | None = None) -> QuerySet[Area]:
    areas = Area.objects.select_related("municipality").prefetch_related(
        Prefetch(
            "police_classifications",
            queryset=PoliceClassification.objects.order_by("-year"),
        ),
        "statistical_units",
    )
    if municipality is not None:
        areas = areas.filter(municipality=municipality)
    return areas


def access_area_by_id(actor: Any, area_id: Any) -> Area:
    """The area if it exists and the actor may see it; one answer for missing and forbidden."""
    try:
        area = area_list(actor=actor).get(pk=int(area_id))
    except (Area.DoesNotExist, TypeError, ValueError) as error:
        raise NotFoundOrForbidden from error
    if not resolver_for(actor).can_view_area(area):
        raise NotFoundOrForbidden
    return area


def access_municipality_by_code(actor: Any, code: str) -> Municipality:
    try:
        return municipality_list(actor=actor).get(code=code)
    except Municipality.DoesNotExist as error:
        raise NotFoundOrForbidden from error


def current_classification(area: Area) -> PoliceClassification | None:
    """The latest year's classification; uses the prefetched rows from :func:`area_list`."""
    rows = list(area.police_classifications.all())
    return max(rows, key=lambda row: row.year) if rows else None
