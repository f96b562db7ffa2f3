"""An area's value summed up from the DeSO or RegSO units it is made of.

A share (percent, per 1,000, per 100,000) is recomputed from the units' numerators and
denominators — sum(numerator) / sum(denominator) × scale — never averaged: a DeSO of 300
people and one of 3,000 do not weigh the same. A count is summed. Any other unit (kronor,
index, points, days) cannot be summed up honestly, and neither can a share whose units lack
their numerator or denominator: those areas get no value and the import says so in its notes.
If any unit is suppressed or missing, the area's value is missing too: a partial sum is never
shown as the whole.

:func:`aggregate` is the calculation (plain Python, no database); :func:`aggregate_to_areas`
loads the units' stored values after an import and writes the areas' values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connection
from django.utils.translation import gettext

from kvarter.areas.models import AreaStatisticalUnit, StatisticalUnitKind
from kvarter.indicators.importing.value_table import (
    IN_CHUNK,
    chunked,
    insert_sql,
    load_stored,
    update_sql,
)
from kvarter.indicators.importing.writer import Progress
from kvarter.indicators.models import Indicator, IndicatorValue, Level, Unit, ValueStatus

if TYPE_CHECKING:
    from kvarter.indicators.models import ImportBatch

# An area value written by this module carries this in its source; values an import gave the
# area directly (the municipality's own figures) are never overwritten by a sum.
AGGREGATE_MARKER = "summerat från"

HIDDEN = frozenset({ValueStatus.SUPPRESSED.value, ValueStatus.MISSING.value})


class Figure(NamedTuple):
    """One unit's stored figure."""

    value: float | None
    status: str
    numerator: float | None
    denominator: float | None


class Aggregate(NamedTuple):
    value: float | None
    status: str
    numerator: float | None
    denominator: float | None


def summable(unit: str) -> bool:
    """Whether values in ``unit`` can be summed up from parts: shares and counts only."""
    return Unit.scale(unit) is not None or unit == Unit.COUNT


def aggregate(
    figures: Sequence[Figure | None], *, unit: str, suppression_threshold: int | None = None
) -> Aggregate | None:
    """The area's figure from its units' figures (None where a unit has no figure).

    Returns None when the figures cannot be summed up at all (a unit that is neither a share
    nor a count, or a share without numerator and denominator); a missing aggregate when any
    unit is missing or suppressed.
    """
    scale = Unit.scale(unit)
    if scale is None and unit != Unit.COUNT:
        return None
    shown = [f for f in figures if f is not None and f.status not in HIDDEN]
    if scale is not None and any(f.numerator is None or f.denominator is None for f in shown):
        return None
    missing = Aggregate(None, ValueStatus.MISSING.value, None, None)
    if len(shown) < len(figures) or not figures:
        return missing
    status = (
        ValueStatus.PRELIMINARY.value
        if any(f.status == ValueStatus.PRELIMINARY for f in shown)
        else ValueStatus.OK.value
    )
    if scale is None:
        if any(f.value is None for f in shown):
            return missing
        return Aggregate(sum(f.value for f in shown if f.value is not None), status, None, None)
    numerator = sum(f.numerator for f in shown if f.numerator is not None)
    denominator = sum(f.denominator for f in shown if f.denominator is not None)
    if denominator <= 0:
        return missing
    if suppression_threshold is not None and denominator < suppression_threshold:
        # Neither count is kept: together they would reveal what the suppression hides.
        return Aggregate(None, ValueStatus.SUPPRESSED.value, None, None)
    return Aggregate(numerator / denominator * scale, status, numerator, denominator)


@dataclass
class AggregationResult:
    written: int = 0  # area values added or changed
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def _unit_kind_label(kind: str) -> str:
    return "DeSO" if kind == StatisticalUnitKind.DESO else "RegSO"


def areas_of_units(codes: set[str]) -> dict[int, tuple[str, list[str]]]:
    """Areas that contain any of ``codes``: area id → (unit kind, all the area's unit codes).

    An area listed with both DeSO and RegSO units is summed up from its DeSO (the finer ones).
    """
    area_ids: set[int] = set()
    for chunk in chunked(sorted(codes), IN_CHUNK):
        area_ids.update(
            AreaStatisticalUnit.objects.filter(code__in=chunk).values_list("area_id", flat=True)
        )
    units: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for area_id, code, kind in AreaStatisticalUnit.objects.filter(area_id__in=area_ids).values_list(
        "area_id", "code", "kind"
    ):
        units[area_id][kind].append(code)
    chosen: dict[int, tuple[str, list[str]]] = {}
    for area_id, by_kind in units.items():
        kind = StatisticalUnitKind.DESO.value if by_kind.get("deso") else "regso"
        if set(by_kind[kind]) & codes:
            chosen[area_id] = (kind, sorted(by_kind[kind]))
    return chosen


def aggregate_to_areas(
    *,
    batch: ImportBatch,
    unit_codes: set[str],
    indicator_ids: Sequence[int],
    periods: Sequence[str],
    progress: Progress | None = None,
) -> AggregationResult:
    """Write the values of every area made of any of ``unit_codes`` (in ``batch``)."""
    outcome = AggregationResult()
    areas = areas_of_units(unit_codes)
    if not areas:
        return outcome
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=indicator_ids)}
    for indicator in indicators.values():
        if not summable(indicator.unit):
            outcome.notes.append(
                gettext(
                    "%(code)s: the unit (%(unit)s) cannot be summed up from DeSO/RegSO to areas; "
                    "the areas got no value"
                )
                % {"code": indicator.code, "unit": indicator.get_unit_display()}
            )
    ids = sorted(pk for pk, i in indicators.items() if summable(i.unit))
    if not ids:
        return outcome
    all_codes = sorted({c for _kind, codes in areas.values() for c in codes})
    unit_values = load_stored(indicator_ids=ids, periods=periods, region_codes=all_codes)
    area_values = load_stored(indicator_ids=ids, periods=periods, area_ids=sorted(areas))
    # Which (indicator, period, sex) each unit has: the area gets a value for those only.
    series: dict[str, set[tuple[int, str, str]]] = defaultdict(set)
    for code, ind, period, sex in unit_values:
        series[code].add((ind, period, sex))

    retrieved = connection.ops.adapt_datefield_value(batch.retrieved_on)
    inserts: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    no_sum: set[str] = set()
    kept_own: set[tuple[int, int]] = set()
    for done, (area_id, (kind, codes)) in enumerate(sorted(areas.items()), start=1):
        suffix = f" ({AGGREGATE_MARKER} {len(codes)} {_unit_kind_label(kind)})"
        source = batch.source[: 200 - len(suffix)] + suffix
        keys = set().union(*(series.get(c, set()) for c in codes))
        for ind, period, sex in sorted(keys):
            indicator = indicators[ind]
            figures = [_figure(unit_values.get((c, ind, period, sex))) for c in codes]
            result = aggregate(
                figures, unit=indicator.unit, suppression_threshold=indicator.suppression_threshold
            )
            if result is None:
                no_sum.add(indicator.code)
                continue
            old = area_values.get((area_id, ind, period, sex))
            if old is None:
                inserts.append(
                    (
                        ind,
                        Level.AREA.value,
                        "",
                        area_id,
                        period,
                        int(period[:4]),
                        sex,
                        result.value,
                        result.numerator,
                        result.denominator,
                        result.status,
                        source,
                        retrieved,
                        batch.pk,
                    )
                )
            elif old[1:] == (result.value, result.status, result.numerator, result.denominator):
                outcome.unchanged += 1
            elif not _is_aggregate(old[0]):
                kept_own.add((area_id, ind))
            else:
                updates.append(
                    (
                        result.value,
                        result.numerator,
                        result.denominator,
                        result.status,
                        source,
                        retrieved,
                        batch.pk,
                        old[0],
                    )
                )
        if progress:
            progress("aggregate", done, len(areas))
    with connection.cursor() as cursor:
        if inserts:
            cursor.executemany(insert_sql(), inserts)
        if updates:
            cursor.executemany(update_sql(), updates)
    outcome.written = len(inserts) + len(updates)
    for code in sorted(no_sum):
        outcome.notes.append(
            gettext(
                "%(code)s: numerator and denominator are missing for some DeSO/RegSO, so the "
                "share cannot be recomputed for the area; no area value"
            )
            % {"code": code}
        )
    if kept_own:
        outcome.notes.append(
            gettext(
                "%(n)s area series have their own imported values, which the sum did not "
                "overwrite"
            )
            % {"n": len(kept_own)}
        )
    return outcome


def _figure(stored: tuple[Any, ...] | None) -> Figure | None:
    if stored is None:
        return None
    _pk, value, status, numerator, denominator = stored
    return Figure(value, status, numerator, denominator)


def _is_aggregate(pk: int) -> bool:
    return IndicatorValue.objects.filter(pk=pk, source__contains=AGGREGATE_MARKER).exists()
