"""The shape of an area profile (nulägesbild), shared by the selector, pages, API and reports.

``kvarter.indicators.profile`` builds these from the stored values; pages, the API and the
report documents only read them, so every door shows the same figures and the same verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kvarter.areas.models import Area, Municipality
from kvarter.indicators.models import AreaType, Indicator


@dataclass(frozen=True)
class Point:
    period: str
    year: int
    value: float | None  # None when suppressed or missing: shown as a gap, never as 0
    status: str  # a ValueStatus value
    source: str = ""  # where the figure comes from (e.g. 'SCB TAB5813'), for exports


@dataclass
class Series:
    level: str  # 'area', 'municipality' or 'nation' (a Level value)
    label: str  # what a reader sees: the area's name, the municipality's name, 'Riket'
    sex: str  # T, K or M
    points: list[Point] = field(default_factory=list)

    def latest(self) -> Point | None:
        with_value = [p for p in self.points if p.value is not None]
        return with_value[-1] if with_value else None


@dataclass
class IndicatorProfile:
    indicator: Indicator
    series: list[Series]  # area, municipality and nation; each for T, and K and M where present
    latest: Point | None  # the area's latest total with a value
    previous: Point | None  # the area's total the period before ``latest``, if it has a value
    baseline: Point | None  # the area's first total with a value (or the plan's baseline year)
    change_since_baseline: float | None  # latest − baseline, in the indicator's unit
    municipality_latest: Point | None  # the municipality's total in the same period as latest
    nation_latest: Point | None
    verdict: str  # in words, e.g. 'Bättre än förra året, fortfarande långt under kommunen.'


@dataclass
class AreaProfile:
    area: Area
    municipality: Municipality
    indicators: list[IndicatorProfile]
    area_types: list[AreaType]  # newest first
