"""Socio-economic index and area type (områdestyp) per area and year.

Method (docs/decisions/0005-area-types.md): Statistics Sweden's and the Delegation against
Segregation's (Delmos) socio-economic index for RegSO — the mean of three shares, in percent:

- V1: residents (all ages) with low economic standard (below 60 % of the national median),
- V2: residents 20–64 whose highest education is förgymnasial,
- V3: residents 20–64 with economic assistance for at least ten months and/or unemployed for
  longer than six months.

A higher index means harder conditions. An area's type compares its index with the national
distribution of the index over all RegSO that year (mean μ, standard deviation σ):
type 1 at μ + 2σ or above, type 2 from μ + σ, type 3 from μ, type 4 from μ − σ, type 5 below.

Kvarter computes the index for the municipality's own areas from their values (summed up from
DeSO/RegSO or the municipality's own figures) and takes μ and σ from the RegSO index values
SCB publishes (TAB6586) when they are stored for that year; else from RegSO values of the three
inputs, else DeSO values; or from a reference given by hand.
An area that lacks one of the three inputs for a year gets no type for that year; no value is
ever guessed. The calculation functions at the top are pure; the service and selectors below
load and store.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area, Municipality
from kvarter.core.actors import SYSTEM
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.core.models import AuditAction, Sex
from kvarter.core.services import audit_record
from kvarter.indicators.catalogue import (
    ASSISTANCE_OR_LONG_TERM_UNEMPLOYED,
    EDUCATION_PRIMARY_20_64,
    LOW_ECONOMIC_STANDARD,
    SOCIOECONOMIC_INDEX,
)
from kvarter.indicators.models import (
    NATION_CODE,
    AreaType,
    AreaTypeClass,
    Indicator,
    IndicatorValue,
    Level,
    ValueStatus,
)

METHOD = "scb-delmos-regso-index"
# The three inputs in SCB's order: low economic standard (V1), förgymnasial education 20–64
# (V2), economic assistance and/or long-term unemployment 20–64 (V3).
INPUT_CODES: tuple[str, str, str] = (
    LOW_ECONOMIC_STANDARD,
    EDUCATION_PRIMARY_20_64,
    ASSISTANCE_OR_LONG_TERM_UNEMPLOYED,
)
# A distribution of fewer regions than this is a local one, not the nation's: not used.
MIN_REFERENCE_REGIONS = 1000
SHOWN = (ValueStatus.OK.value, ValueStatus.PRELIMINARY.value)


# --- pure calculations ---------------------------------------------------------------------


def socioeconomic_index(low_standard: float, primary_education: float, assistance: float) -> float:
    """The index (V1 + V2 + V3) / 3: the unweighted mean of the three shares (percent, 0–100)."""
    shares = (low_standard, primary_education, assistance)
    for share in shares:
        if not 0.0 <= share <= 100.0:
            raise ValueError(f"A share is a percentage from 0 to 100, not {share}.")
    return sum(shares) / 3.0


@dataclass(frozen=True)
class Reference:
    """The national distribution an area is compared with in one year."""

    mean: float
    sd: float
    kind: str  # 'regso-published', 'regso', 'deso' or 'given'
    count: int  # regions the mean and sd were computed from (0 when given)


def reference_from(indices: Sequence[float], *, kind: str) -> Reference | None:
    """Mean and sample standard deviation of regional index values, or None if too few."""
    if len(indices) < max(MIN_REFERENCE_REGIONS, 2):
        return None
    sd = statistics.stdev(indices)
    if sd <= 0:
        return None
    return Reference(statistics.fmean(indices), sd, kind, len(indices))


def thresholds(reference: Reference) -> dict[str, float]:
    """The lower bound of types 1–4 (type 5 is everything below type 4's bound)."""
    mean, sd = reference.mean, reference.sd
    return {"1": mean + 2 * sd, "2": mean + sd, "3": mean, "4": mean - sd}


def classify(index: float, reference: Reference) -> int:
    """The area type 1–5 of an index: 1 = great challenges … 5 = very good conditions."""
    bounds = thresholds(reference)
    for area_type in ("1", "2", "3", "4"):
        if index >= bounds[area_type]:
            return int(area_type)
    return 5


# --- loading inputs ------------------------------------------------------------------------


@dataclass
class AreaTypeRun:
    """What one computation did: the rows it wrote and what it could not compute, and why."""

    area_types: list[AreaType] = field(default_factory=list)
    unchanged: int = 0
    removed: int = 0
    missing_inputs: list[tuple[Area, int, list[str]]] = field(default_factory=list)
    years_without_reference: list[int] = field(default_factory=list)


def _input_indicators() -> dict[str, Indicator]:
    found = {i.code: i for i in Indicator.objects.filter(code__in=INPUT_CODES)}
    return found


def _value_record(value: IndicatorValue, code: str) -> dict[str, Any]:
    return {
        "indicator": code,
        "value": value.value,
        "period": value.period,
        "status": value.status,
        "numerator": value.numerator,
        "denominator": value.denominator,
        "source": value.source,
        "retrieved_on": value.retrieved_on.isoformat(),
    }


def _number(value: IndicatorValue) -> float:
    if value.value is None:  # pragma: no cover - excluded by _yearly_values
        raise ValueError(f"{value} has no value")
    return float(value.value)


def _yearly_values(indicators: dict[str, Indicator], year: int) -> Any:
    return IndicatorValue.objects.filter(
        indicator__in=indicators.values(),
        period=str(year),
        sex=Sex.TOTAL,
        status__in=SHOWN,
        value__isnull=False,
    )


def _published_reference(year: int) -> Reference | None:
    """μ and σ of the index values SCB publishes per RegSO (TAB6586), when they are stored."""
    values = IndicatorValue.objects.filter(
        indicator__code=SOCIOECONOMIC_INDEX,
        level=Level.REGSO.value,
        area__isnull=True,
        period=str(year),
        sex=Sex.TOTAL,
        status__in=SHOWN,
        value__isnull=False,
    ).values_list("value", flat=True)
    return reference_from([float(v) for v in values if v is not None], kind="regso-published")


def _regional_reference(indicators: dict[str, Indicator], year: int) -> Reference | None:
    """μ and σ of the index: SCB's published RegSO values, else computed from the inputs of
    all RegSO with all three, else of all DeSO."""
    published = _published_reference(year)
    if published is not None:
        return published
    code_of = {i.pk: code for code, i in indicators.items()}
    for level in (Level.REGSO.value, Level.DESO.value):
        shares: dict[str, dict[str, float]] = defaultdict(dict)
        rows = _yearly_values(indicators, year).filter(level=level, area__isnull=True)
        for region, indicator_id, value in rows.values_list("region_code", "indicator_id", "value"):
            shares[region][code_of[indicator_id]] = value
        indices = [
            socioeconomic_index(*(s[c] for c in INPUT_CODES))
            for s in shares.values()
            if all(c in s for c in INPUT_CODES)
        ]
        reference = reference_from(indices, kind=level)
        if reference is not None:
            return reference
    return None


def _nation_index(indicators: dict[str, Indicator], year: int) -> float | None:
    rows = _yearly_values(indicators, year).filter(region_code=NATION_CODE, area__isnull=True)
    code_of = {i.pk: code for code, i in indicators.items()}
    shares = {code_of[i]: v for i, v in rows.values_list("indicator_id", "value")}
    if not all(c in shares for c in INPUT_CODES):
        return None
    return socioeconomic_index(*(shares[c] for c in INPUT_CODES))


def _candidate_years(indicators: dict[str, Indicator], areas: Sequence[Area]) -> list[int]:
    years = (
        IndicatorValue.objects.filter(
            indicator__in=indicators.values(), area__in=areas, sex=Sex.TOTAL
        )
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(set(years))


# --- the service ---------------------------------------------------------------------------


def area_types_compute(
    *,
    year: int | None = None,
    areas: Iterable[Area] | None = None,
    reference: Reference | None = None,
    actor: Any = SYSTEM,
) -> list[AreaType]:
    """Compute and store the index and type of each area for ``year`` (default: every year).

    Idempotent: one row per area and year, updated in place. Returns the rows written or
    confirmed; see :func:`area_types_compute_run` for what was left out and why.
    """
    run = area_types_compute_run(
        year=year, areas=areas, reference=reference, actor=actor
    )
    return run.area_types


@transaction.atomic
def area_types_compute_run(
    *,
    year: int | None = None,
    areas: Iterable[Area] | None = None,
    reference: Reference | None = None,
    actor: Any = SYSTEM,
) -> AreaTypeRun:
    """As :func:`area_types_compute`, with the areas and years it could not type."""
    run = AreaTypeRun()
    scope = list(areas) if areas is not None else list(Area.objects.all())
    indicators = _input_indicators()
    if len(indicators) < len(INPUT_CODES) or not scope:
        return run
    years = [year] if year is not None else _candidate_years(indicators, scope)
    for one_year in years:
        _compute_year(run, indicators, scope, one_year, reference, actor)
    return run


def _compute_year(
    run: AreaTypeRun,
    indicators: dict[str, Indicator],
    scope: list[Area],
    year: int,
    given: Reference | None,
    actor: Any,
) -> None:
    reference = given or _regional_reference(indicators, year)
    if reference is None:
        run.years_without_reference.append(year)
        return
    bounds = thresholds(reference)
    nation_index = _nation_index(indicators, year)
    code_of = {i.pk: code for code, i in indicators.items()}
    by_area: dict[int, dict[str, IndicatorValue]] = defaultdict(dict)
    for value in _yearly_values(indicators, year).filter(area__in=scope):
        if value.area_id is not None:
            by_area[value.area_id][code_of[value.indicator_id]] = value
    existing = {t.area_id: t for t in AreaType.objects.filter(area__in=scope, year=year)}
    for area in scope:
        values = by_area.get(area.pk, {})
        missing = [c for c in INPUT_CODES if c not in values]
        if missing:
            run.missing_inputs.append((area, year, missing))
            stale = existing.get(area.pk)
            if stale is not None:
                audit_record(
                    actor=actor,
                    action=AuditAction.DELETE,
                    instance=stale,
                    changes={"index": [stale.index, None], "area_type": [stale.area_type, None]},
                )
                stale.delete()
                run.removed += 1
            continue
        # The query keeps only figures with a value: none of these is None.
        index = socioeconomic_index(*(_number(values[c]) for c in INPUT_CODES))
        inputs = {
            "method": METHOD,
            "values": [_value_record(values[c], c) for c in INPUT_CODES],
            "reference": {
                "kind": reference.kind,
                "count": reference.count,
                "mean": reference.mean,
                "sd": reference.sd,
                "year": year,
            },
            "thresholds": bounds,
            "nation_index": nation_index,
        }
        area_type = classify(index, reference)
        _store(run, existing.get(area.pk), area, year, index, area_type, inputs, actor)


def _store(
    run: AreaTypeRun,
    row: AreaType | None,
    area: Area,
    year: int,
    index: float,
    area_type: int,
    inputs: dict[str, Any],
    actor: Any,
) -> None:
    if row is not None and (row.index, row.area_type, row.inputs) == (index, area_type, inputs):
        run.unchanged += 1
        run.area_types.append(row)
        return
    action = AuditAction.CREATE if row is None else AuditAction.UPDATE
    old = (None, None) if row is None else (row.index, row.area_type)
    row = row or AreaType(area=area, year=year)
    row.index, row.area_type, row.inputs = index, area_type, inputs
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action=action,
        instance=row,
        changes={"index": [old[0], index], "area_type": [old[1], area_type]},
    )
    run.area_types.append(row)


# --- reads for pages, the map and the API --------------------------------------------------


def area_type_history(*, actor: Any, area: Area) -> list[AreaType]:
    """The area's index and type year by year, oldest first (for a chart over time)."""
    if not resolver_for(actor).can_view_area(area):
        raise NotFoundOrForbidden
    return list(AreaType.objects.filter(area=area).order_by("year"))


def area_types_in_year(
    *, actor: Any, municipality: Municipality, year: int | None = None
) -> dict[int, AreaType]:
    """Area id → type in ``year`` (default: each area's latest year) for the areas one may see."""
    resolver = resolver_for(actor)
    rows = AreaType.objects.filter(area__municipality=municipality).select_related("area")
    if year is not None:
        rows = rows.filter(year=year)
    found: dict[int, AreaType] = {}
    for row in rows.order_by("-year"):
        if row.area_id not in found and resolver.can_view_area(row.area):
            found[row.area_id] = row
    return found


def area_type_years(*, municipality: Municipality) -> list[int]:
    """The years with at least one computed area type in the municipality, oldest first."""
    years = AreaType.objects.filter(area__municipality=municipality).values_list("year", flat=True)
    return sorted(set(years))


def area_type_label(area_type: int) -> str:
    """'Områden med stora socioekonomiska utmaningar' and so on, in the active language."""
    return str(AreaTypeClass(area_type).label)
