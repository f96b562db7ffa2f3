"""The situational picture's data: what :func:`kvarter.safety.picture.selectors.situational_picture`
returns, already suppressed for its reader (see :mod:`kvarter.safety.picture.rules`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from kvarter.areas.models import Area, Municipality
from kvarter.safety.picture.rules import Direction, Hidden, IsoWeek


@dataclass(frozen=True)
class Shown:
    """A count as the reader sees it: ``value`` None when hidden; ``text`` always set."""

    value: float | None
    text: str
    hidden: Hidden = ""


@dataclass(frozen=True)
class Change:
    direction: Direction  # '' when it cannot be told from what is shown
    notable: bool
    difference: float | None  # only when both sides are shown
    text: str
    symbol: str


@dataclass(frozen=True)
class Row:
    key: int | None
    label: str
    week: Shown
    mean: Shown  # of the previous four weeks
    last_year: Shown
    vs_mean: Change
    vs_last_year: Change
    area: str = ""


@dataclass(frozen=True)
class ReportLine:
    event_id: int
    report_id: int
    occurred_at: dt.datetime  # Stockholm time
    category: str
    area: str
    place: str
    organisation: str
    text: str
    severity: int | None
    unsafety: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class DeploymentLine:
    id: int
    resource: str
    area: str
    place: str
    starts_on: dt.date
    ends_on: dt.date
    days: str
    hours: str
    purpose: str
    outcome: str
    outcome_label: str
    outcome_note: str


@dataclass(frozen=True)
class SituationalPicture:
    municipality: Municipality
    week: IsoWeek
    areas: Sequence[Area]
    raw_area_ids: frozenset[int]
    threshold: int
    total: Row
    categories: Sequence[Row]
    by_area: Sequence[Row]
    places: Sequence[Row]
    timeline: Sequence[Sequence[Shown]]  # 7 weekdays × 24 hours, this week
    reports: Sequence[ReportLine] | None  # None: not shown (no area seen raw)
    deployments_ran: Sequence[DeploymentLine]
    deployments_next: Sequence[DeploymentLine]
    area_counts: dict[int, Shown] = field(default_factory=dict)  # this week, for the map

    @property
    def suppressed(self) -> bool:
        return any(a.pk not in self.raw_area_ids for a in self.areas)

    @property
    def start(self) -> dt.datetime:
        return self.week.start

    @property
    def end(self) -> dt.datetime:
        return self.week.end
