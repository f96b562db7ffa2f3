"""Reads for area profiles (nulägesbild), the comparison of all areas and the indicator map.

Pages, the API and the report documents all build on these, so every door shows the same
figures. Indicator values are public statistics, but each read follows the areas app's rules:
the actor must be allowed to view the area (:meth:`PermissionResolver.can_view_area`).

Queries: :func:`area_profile` reads all values of the area, its municipality and the nation in
one query (plus one for the catalogue rows and one for the area types);
:func:`areas_comparison` and :func:`indicator_map` likewise read their values in one query.
"""

from __future__ import annotations

import statistics
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area, Municipality
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.indicators.models import (
    NATION_CODE,
    PERIOD_RE,
    AreaType,
    Indicator,
    IndicatorValue,
    Level,
    Periodicity,
    Unit,
    ValueStatus,
)
from kvarter.indicators.profile_types import AreaProfile, IndicatorProfile, Point, Series
from kvarter.indicators.verdict import verdict

SEXES = ("T", "K", "M")
LEVELS = (Level.AREA.value, Level.MUNICIPALITY.value, Level.NATION.value)
HIDDEN = (ValueStatus.SUPPRESSED.value, ValueStatus.MISSING.value)
_FIELDS = ("indicator_id", "area_id", "region_code", "period", "year", "sex", "value", "status")
_WITH_SOURCE = (*_FIELDS, "source")


def previous_period(period: str) -> str | None:
    """The period just before: 2021 → 2020, 2021H1 → 2020H2, 2021Q1 → 2020Q4, 2021M01 → 2020M12."""
    if not PERIOD_RE.match(period):
        return None
    year, rest = int(period[:4]), period[4:]
    if not rest:
        return str(year - 1)
    kind, number = rest[0], int(rest[1:])
    width = 2 if kind == "M" else 1
    if number > 1:
        return f"{year}{kind}{number - 1:0{width}d}"
    last = {"H": 2, "Q": 4, "M": 12}[kind]
    return f"{year - 1}{kind}{last:0{width}d}"


def _period_key(period: str) -> tuple[int, str]:
    return int(period[:4]), period[4:]


def _check_view(actor: Any, area: Area) -> None:
    if not resolver_for(actor).can_view_area(area):
        raise NotFoundOrForbidden


def _level(row: tuple[Any, ...], municipality_code: str) -> str:
    if row[1] is not None:
        return Level.AREA.value
    return Level.NATION.value if row[2] == NATION_CODE else Level.MUNICIPALITY.value


def _point(row: tuple[Any, ...]) -> Point:
    # row: indicator_id, area_id, region_code, period, year, sex, value, status[, source]
    return Point(
        period=row[3],
        year=row[4],
        value=row[6],
        status=row[7],
        source=row[8] if len(row) > 8 else "",
    )


# --- one area ------------------------------------------------------------------------------


def area_profile(
    *,
    actor: Any,
    area: Area,
    indicators: Iterable[Indicator] | None = None,
    baseline_year: int | None = None,
) -> AreaProfile:
    """Every indicator of the area over time, beside its municipality and the nation.

    ``indicators=None`` gives each catalogue indicator that has at least one value (or hidden
    figure) for the area; a list gives exactly those indicators, with empty series where there
    are no values. ``baseline_year`` picks the baseline (the area's total in that year);
    without it the baseline is the area's first total with a value.
    """
    _check_view(actor, area)
    municipality = area.municipality
    values = IndicatorValue.objects.filter(
        Q(area=area) | Q(area__isnull=True, region_code__in=[municipality.code, NATION_CODE])
    )
    chosen = list(indicators) if indicators is not None else None
    if chosen is not None:
        values = values.filter(indicator__in=[i.pk for i in chosen])
    # (indicator, level, sex) → points
    grouped: dict[int, dict[tuple[str, str], list[Point]]] = defaultdict(lambda: defaultdict(list))
    # No ORDER BY: the model's ordering would join the catalogue; each series is sorted below.
    for row in values.order_by().values_list(*_WITH_SOURCE):
        grouped[row[0]][_level(row, municipality.code), row[5]].append(_point(row))
    if chosen is None:
        with_area = [pk for pk, series in grouped.items() if any(k[0] == "area" for k in series)]
        chosen = list(Indicator.objects.filter(pk__in=with_area)) if with_area else []
    labels = {
        Level.AREA.value: area.name,
        Level.MUNICIPALITY.value: municipality.name,
        Level.NATION.value: str(Level.NATION.label),
    }
    profiles = [
        _indicator_profile(indicator, grouped.get(indicator.pk, {}), labels, baseline_year)
        for indicator in chosen
    ]
    area_types = list(AreaType.objects.filter(area=area).order_by("-year"))
    return AreaProfile(
        area=area, municipality=municipality, indicators=profiles, area_types=area_types
    )


def _indicator_profile(
    indicator: Indicator,
    points: dict[tuple[str, str], list[Point]],
    labels: dict[str, str],
    baseline_year: int | None,
) -> IndicatorProfile:
    series = []
    for sex in SEXES:
        for level in LEVELS:
            found = points.get((level, sex))
            if found:
                found.sort(key=lambda p: _period_key(p.period))
                series.append(Series(level=level, label=labels[level], sex=sex, points=found))
    by_key = {(s.level, s.sex): s for s in series}
    area_total = by_key.get((Level.AREA.value, "T"))
    area_points = area_total.points if area_total else []
    latest = area_total.latest() if area_total else None
    at = {p.period: p for p in area_points}

    previous = None
    if latest is not None:
        candidate = at.get(previous_period(latest.period) or "")
        previous = candidate if candidate is not None and candidate.value is not None else None

    with_value = [p for p in area_points if p.value is not None]
    if baseline_year is None:
        baseline = with_value[0] if with_value else None
    else:
        baseline = next((p for p in with_value if p.year == baseline_year), None)
    change = None
    if latest is not None and baseline is not None and baseline.period != latest.period:
        change = round(latest.value - baseline.value, 10)  # type: ignore[operator]

    def same_period(level: str) -> Point | None:
        found = by_key.get((level, "T"))
        if latest is None or found is None:
            return None
        return next((p for p in found.points if p.period == latest.period), None)

    municipality_latest = same_period(Level.MUNICIPALITY.value)
    nation_latest = same_period(Level.NATION.value)

    newest = area_points[-1] if area_points else None
    hidden = newest if newest is not None and newest.status in HIDDEN else None
    if (
        hidden is not None
        and latest is not None
        and _period_key(hidden.period) <= _period_key(latest.period)
    ):
        hidden = None
    text = verdict(
        direction=indicator.direction,
        latest=latest.value if latest else None,
        previous=previous.value if previous else None,
        municipality=municipality_latest.value if municipality_latest else None,
        percent=indicator.unit == Unit.PERCENT,
        yearly=indicator.periodicity == Periodicity.YEAR,
        latest_period=latest.period if latest else None,
        hidden_period=hidden.period if hidden else None,
        hidden_status=hidden.status if hidden else ValueStatus.SUPPRESSED,
    )
    return IndicatorProfile(
        indicator=indicator,
        series=series,
        latest=latest,
        previous=previous,
        baseline=baseline,
        change_since_baseline=change,
        municipality_latest=municipality_latest,
        nation_latest=nation_latest,
        verdict=text,
    )


# --- all areas of a municipality ---------------------------------------------------------------


def _latest_area_types(municipality: Municipality) -> dict[int, AreaType]:
    latest: dict[int, AreaType] = {}
    for area_type in AreaType.objects.filter(area__municipality=municipality).order_by("-year"):
        latest.setdefault(area_type.area_id, area_type)
    return latest


def _municipality_values(
    municipality: Municipality, *, sex: str, indicator_ids: Sequence[int] | None = None
) -> list[tuple[Any, ...]]:
    values = IndicatorValue.objects.filter(
        Q(area__municipality=municipality)
        | Q(area__isnull=True, region_code__in=[municipality.code, NATION_CODE]),
        sex=sex,
    )
    if indicator_ids is not None:
        values = values.filter(indicator_id__in=indicator_ids)
    return list(values.order_by().values_list(*_FIELDS))


def _visible_areas(actor: Any, municipality: Municipality) -> list[Area]:
    resolver = resolver_for(actor)
    areas = Area.objects.filter(municipality=municipality).order_by("name")
    return [a for a in areas if resolver.can_view_area(a)]


def _common_period(rows: Iterable[tuple[Any, ...]]) -> str | None:
    """The latest period in which some area has a figure with a value."""
    periods = [r[3] for r in rows if r[1] is not None and r[6] is not None]
    return max(periods, key=_period_key) if periods else None


@dataclass
class ComparisonColumn:
    indicator: Indicator
    period: str | None  # the period every cell of the column shows (None: no area figures)


@dataclass
class ComparisonRow:
    level: str  # 'area', 'municipality' or 'nation'
    label: str
    area: Area | None = None
    area_type: AreaType | None = None  # the area's latest area type, where computed
    cells: list[Point | None] = field(default_factory=list)  # one per column; None: no row


@dataclass
class AreaComparison:
    municipality: Municipality
    sex: str
    columns: list[ComparisonColumn]
    rows: list[ComparisonRow]  # the areas by name, then the municipality, then the nation


def areas_comparison(
    *,
    actor: Any,
    municipality: Municipality,
    period: str | None = None,
    sex: str = "T",
    indicators: Iterable[Indicator] | None = None,
) -> AreaComparison:
    """All areas × indicators, with the municipality and the nation, for one table.

    Each column compares one period: ``period`` when given, else the latest period in which
    any area of the municipality has a figure for that indicator — so that no cell sets one
    area's 2024 against another's 2021. A cell is None when there is no row for that place.
    """
    areas = _visible_areas(actor, municipality)
    chosen = list(indicators) if indicators is not None else None
    rows = _municipality_values(
        municipality, sex=sex, indicator_ids=[i.pk for i in chosen] if chosen is not None else None
    )
    by_indicator: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_indicator[row[0]].append(row)
    if chosen is None:
        with_area = [pk for pk, found in by_indicator.items() if any(r[1] for r in found)]
        chosen = list(Indicator.objects.filter(pk__in=with_area)) if with_area else []
    columns = [
        ComparisonColumn(i, period or _common_period(by_indicator.get(i.pk, ()))) for i in chosen
    ]
    cells: dict[tuple[int, Any], Point] = {}  # (indicator, area id / region code) → point
    for column in columns:
        for row in by_indicator.get(column.indicator.pk, ()):
            if row[3] == column.period:
                cells[column.indicator.pk, row[1] or row[2]] = _point(row)
    area_types = _latest_area_types(municipality)
    table = [
        ComparisonRow(Level.AREA.value, area.name, area, area_types.get(area.pk)) for area in areas
    ]
    table.append(ComparisonRow(Level.MUNICIPALITY.value, municipality.name))
    table.append(ComparisonRow(Level.NATION.value, str(Level.NATION.label)))
    for line in table:
        key = (
            line.area.pk
            if line.area
            else (municipality.code if line.level == Level.MUNICIPALITY else NATION_CODE)
        )
        line.cells = [cells.get((c.indicator.pk, key)) for c in columns]
    return AreaComparison(municipality=municipality, sex=sex, columns=columns, rows=table)


# --- the map ---------------------------------------------------------------------------------

QUANTILE, EQUAL_INTERVAL = "quantile", "equal"


def class_breaks(
    values: Sequence[float], *, classes: int = 5, method: str = QUANTILE
) -> list[float]:
    """Boundaries ``[min, b1, …, max]`` of up to ``classes`` classes for a choropleth.

    ``quantile``: each class holds about as many areas (breaks at the inclusive quantiles,
    linear interpolation; repeated breaks merged, so few distinct values give fewer classes).
    ``equal``: classes of equal width between the smallest and the largest value.
    No values give no breaks; one distinct value gives one class ``[v, v]``.
    """
    if not values:
        return []
    low, high = min(values), max(values)
    if low == high:
        return [low, high]
    count = max(1, min(classes, len(set(values))))
    if method == EQUAL_INTERVAL:
        step = (high - low) / count
        inner = [low + step * i for i in range(1, count)]
    else:
        inner = statistics.quantiles(values, n=count, method="inclusive") if count > 1 else []
    breaks = [low]
    for b in inner:
        if breaks[-1] < b < high:  # rounding can put an interpolated break past the ends
            breaks.append(b)
    return [*breaks, high]


def class_of(value: float | None, breaks: Sequence[float]) -> int | None:
    """The class (1 = lowest) of ``value``; a value on a break belongs to the lower class."""
    if value is None or len(breaks) < 2:
        return None
    return min(max(bisect_left(breaks, value, lo=1), 1), len(breaks) - 1)


@dataclass
class MapArea:
    area: Area
    point: Point | None  # None: no figure for the period (shown as 'no data')
    map_class: int | None  # 1..len(breaks)−1; None when there is no value
    area_type: AreaType | None = None


@dataclass
class IndicatorMap:
    municipality: Municipality
    indicator: Indicator
    period: str | None
    sex: str
    method: str
    breaks: list[float]
    areas: list[MapArea]
    municipality_point: Point | None = None
    nation_point: Point | None = None
    periods: list[str] = field(default_factory=list)  # every period with area figures, oldest first


def indicator_map(
    *,
    actor: Any,
    municipality: Municipality,
    indicator: Indicator,
    period: str | None = None,
    sex: str = "T",
    method: str = QUANTILE,
    classes: int = 5,
) -> IndicatorMap:
    """Each area of the municipality with its figure for one period and its choropleth class.

    ``period=None`` takes the latest period in which any area has a figure. Breaks come from
    :func:`class_breaks` over the areas' values in that period.
    """
    areas = _visible_areas(actor, municipality)
    rows = _municipality_values(municipality, sex=sex, indicator_ids=[indicator.pk])
    chosen = period or _common_period(rows)
    periods = sorted({r[3] for r in rows if r[1] is not None}, key=_period_key)
    at_period = {r[1] or r[2]: _point(r) for r in rows if r[3] == chosen}
    shown = {a.pk for a in areas}
    values = [p.value for key, p in at_period.items() if key in shown and p.value is not None]
    breaks = class_breaks(values, classes=classes, method=method)
    area_types = _latest_area_types(municipality)
    features = []
    for area in areas:
        point = at_period.get(area.pk)
        value = point.value if point else None
        features.append(MapArea(area, point, class_of(value, breaks), area_types.get(area.pk)))
    return IndicatorMap(
        municipality=municipality,
        indicator=indicator,
        period=chosen,
        sex=sex,
        method=method,
        breaks=breaks,
        areas=features,
        municipality_point=at_period.get(municipality.code),
        nation_point=at_period.get(NATION_CODE),
        periods=periods,
    )
