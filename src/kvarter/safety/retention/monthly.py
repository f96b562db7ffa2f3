"""Counts per month that survive the retention period, and the suppression of small counts.

A month's count is ``sum(MonthlyAggregate rows) + count(live approved events)``: the purge adds
exactly the events it deletes to the aggregate, so the two never overlap and a trend reads the
same before and after a purge. Heavy lifting happens in SQL (GROUP BY on both tables).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from kvarter.core.doors import current_door
from kvarter.core.suppression import SECONDARY, SMALL, Mark, small_text
from kvarter.safety.models import (
    EstSettings,
    IncidentEvent,
    MonthlyAggregate,
    RawReadLog,
    ReviewState,
    Unsafety,
)

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
DEFAULT_SMALLEST_COUNT = 3


@dataclass(frozen=True, slots=True)
class MonthCount:
    area_id: int
    place_id: int | None
    category_id: int
    month: dt.date
    count: int
    unsafe: int


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=STOCKHOLM)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier when negative), clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - 28 always exists


def live_events(
    *,
    municipality_id: int,
    start: dt.date,
    end: dt.date,
    area_ids: Iterable[int] | None = None,
    category_ids: Iterable[int] | None = None,
    place_ids: Iterable[int] | None = None,
) -> QuerySet[IncidentEvent]:
    """Approved events of the municipality that occurred from ``start`` up to (not incl.) ``end``
    (local dates)."""
    events = IncidentEvent.objects.filter(
        report__municipality_id=municipality_id,
        report__review_state=ReviewState.APPROVED,
        occurred_at__gte=local_midnight(start),
        occurred_at__lt=local_midnight(end),
    )
    if area_ids is not None:
        events = events.filter(area_id__in=list(area_ids))
    if category_ids is not None:
        events = events.filter(category_id__in=list(category_ids))
    if place_ids is not None:
        events = events.filter(place_id__in=list(place_ids))
    return events


def monthly_counts(
    *,
    municipality_id: int,
    start: dt.date,
    end: dt.date,
    area_ids: Iterable[int] | None = None,
    category_ids: Iterable[int] | None = None,
    place_ids: Iterable[int] | None = None,
) -> list[MonthCount]:
    """Counts per area, place, category and month from ``start`` (a first of a month) up to
    ``end`` (exclusive), live events and purged aggregates together."""
    areas = list(area_ids) if area_ids is not None else None
    categories = list(category_ids) if category_ids is not None else None
    places = list(place_ids) if place_ids is not None else None
    totals: dict[tuple[int, int | None, int, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    events = live_events(
        municipality_id=municipality_id,
        start=start,
        end=end,
        area_ids=areas,
        category_ids=categories,
        place_ids=places,
    )
    rows = (
        events.annotate(m=TruncMonth("occurred_at", tzinfo=STOCKHOLM))
        .values("area_id", "place_id", "category_id", "m")
        .annotate(n=Count("pk"), unsafe=Count("pk", filter=Q(unsafety=Unsafety.YES)))
        .order_by()
    )
    for row in rows:
        month = row["m"].date() if isinstance(row["m"], dt.datetime) else row["m"]
        key = (row["area_id"], row["place_id"], row["category_id"], month)
        totals[key][0] += row["n"]
        totals[key][1] += row["unsafe"]
    kept = MonthlyAggregate.objects.filter(
        municipality_id=municipality_id, month__gte=month_start(start), month__lt=end
    )
    if areas is not None:
        kept = kept.filter(area_id__in=areas)
    if categories is not None:
        kept = kept.filter(category_id__in=categories)
    if places is not None:
        kept = kept.filter(place_id__in=places)
    for kept_row in (
        kept.values("area_id", "place_id", "category_id", "month")
        .annotate(n=Sum("count"), unsafe=Sum("unsafe"))
        .order_by()
    ):
        key = (
            kept_row["area_id"],
            kept_row["place_id"],
            kept_row["category_id"],
            kept_row["month"],
        )
        totals[key][0] += kept_row["n"]
        totals[key][1] += kept_row["unsafe"]
    return [
        MonthCount(area, place, category, month, n, unsafe)
        for (area, place, category, month), (n, unsafe) in sorted(
            totals.items(), key=lambda item: (item[0][3], item[0][0], item[0][2])
        )
    ]


# --- suppression -------------------------------------------------------------------------------


def smallest_count_shown(municipality_id: int) -> int:
    """The installation's threshold: counts from 1 up to this minus one are hidden."""
    value = (
        EstSettings.objects.filter(municipality_id=municipality_id)
        .values_list("smallest_count_shown", flat=True)
        .first()
    )
    return DEFAULT_SMALLEST_COUNT if value is None else int(value)




def marked(count: int, mark: Mark, *, threshold: int) -> int | str:
    """A count of a table as marked by ``core.suppression``: '< N' small, '–' secondary."""
    if mark == SMALL:
        return small_text(threshold)
    return "–" if mark == SECONDARY else count


def log_raw_read(*, actor: Any, what: str, filters: dict[str, Any], count: int) -> RawReadLog:
    """Record a read of raw reports: who, through which door, what, the filter, how many."""
    person = actor if getattr(actor, "is_authenticated", False) else None
    name = actor.get_username() if hasattr(actor, "get_username") else ""
    return RawReadLog.objects.create(
        actor=person,
        actor_name=name[:150],
        door=current_door().value,
        what=what[:100],
        filters=filters,
        count=count,
    )
