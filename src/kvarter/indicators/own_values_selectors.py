"""Reads for the municipality's own figures: own-source indicators, their yearly values at one
place (the whole municipality or one of its areas) and a fingerprint of those values."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area, Municipality
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.indicators.models import Indicator, IndicatorValue, SourceKind


def own_indicators() -> QuerySet[Indicator]:
    """The catalogue's indicators whose values the municipalities type in themselves."""
    return Indicator.objects.filter(source_kind=SourceKind.OWN).order_by("name_sv")


def access_own_values_municipality(actor: Any, code: Any, *, edit: bool = False) -> Municipality:
    """The municipality ``code`` if ``actor`` may read its plans (and so its own figures); with
    ``edit``, also change them. Missing and hidden give the same 'not found'."""
    municipality = Municipality.objects.filter(code=str(code or "")).first()
    resolver = resolver_for(actor)
    if municipality is None or not resolver.can_view_plans_of(municipality.pk):
        raise NotFoundOrForbidden()
    if edit and not resolver.can_change_plans_of(municipality.pk):
        raise PermissionDenied()
    return municipality


def access_own_indicator(code: str) -> Indicator:
    """An own-figures indicator by its code; another source's or a missing one: not found."""
    found = own_indicators().filter(code=code).first()
    if found is None:
        raise NotFoundOrForbidden()
    return found


def place_filter(municipality: Municipality, area: Area | None) -> Q:
    """The values of one place: an area's own, or the municipality's (by its region code)."""
    if area is not None:
        return Q(area=area, level="area")
    return Q(area__isnull=True, region_code=municipality.code)


def place_values(
    indicator: Indicator, municipality: Municipality, area: Area | None
) -> QuerySet[IndicatorValue]:
    """The indicator's yearly values at the place (periods like '2024'; not halves or months)."""
    return (
        IndicatorValue.objects.filter(indicator=indicator)
        .filter(place_filter(municipality, area))
        .filter(period__regex=r"^\d{4}$")
        .order_by("year", "sex")
    )


def values_grid(
    indicator: Indicator, municipality: Municipality, area: Area | None
) -> dict[int, dict[str, IndicatorValue]]:
    """Year → sex → value at the place, years ascending."""
    grid: dict[int, dict[str, IndicatorValue]] = defaultdict(dict)
    for value in place_values(indicator, municipality, area):
        grid[value.year][value.sex] = value
    return dict(sorted(grid.items()))


def values_fingerprint(indicator: Indicator, municipality: Municipality, area: Area | None) -> str:
    """A digest of the place's values as they are now: a grid read earlier is stale when the
    digest has changed since."""
    rows = place_values(indicator, municipality, area).values_list(
        "year", "sex", "value", "status", "source", "retrieved_on"
    )
    text = ";".join(f"{y},{s},{v!r},{st},{src},{d}" for y, s, v, st, src, d in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def places_with_values(
    indicators: list[Indicator], municipality: Municipality
) -> dict[int, dict[int | None, list[int]]]:
    """Indicator id → place (area id, None for the municipality) → years with values there."""
    areas = Area.objects.filter(municipality=municipality)
    rows = (
        IndicatorValue.objects.filter(indicator__in=indicators, period__regex=r"^\d{4}$")
        .filter(Q(area__in=areas) | Q(area__isnull=True, region_code=municipality.code))
        .values_list("indicator_id", "area_id", "year")
        .distinct()
        .order_by("indicator_id", "area_id", "year")
    )
    places: dict[int, dict[int | None, list[int]]] = defaultdict(lambda: defaultdict(list))
    for indicator_id, area_id, year in rows:
        years = places[indicator_id][area_id]
        if year not in years:
            years.append(year)
    return {k: dict(v) for k, v in places.items()}


def municipalities_using(indicator: Indicator) -> set[int]:
    """Municipalities with values of ``indicator`` or goals measured by it."""
    from kvarter.plans.models import QuantitativeCriterion

    ids: set[int] = set(
        IndicatorValue.objects.filter(indicator=indicator, area__isnull=False)
        .values_list("area__municipality_id", flat=True)
        .distinct()
    )
    codes = (
        IndicatorValue.objects.filter(indicator=indicator, area__isnull=True)
        .values_list("region_code", flat=True)
        .distinct()
    )
    ids |= set(Municipality.objects.filter(code__in=list(codes)).values_list("pk", flat=True))
    ids |= set(
        QuantitativeCriterion.objects.filter(indicator=indicator)
        .values_list("goal__goal_area__plan__municipality_id", flat=True)
        .distinct()
    )
    return ids


def access_area(municipality: Municipality, area_id: Any) -> Area | None:
    """The municipality's area ``area_id`` (None for None); an area elsewhere: not found."""
    if area_id in (None, ""):
        return None
    try:
        key = int(area_id)
    except (TypeError, ValueError) as error:
        raise NotFoundOrForbidden() from error
    found = Area.objects.filter(municipality=municipality, pk=key).first()
    if found is None:
        raise NotFoundOrForbidden()
    return found
