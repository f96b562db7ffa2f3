"""Exports of EST reports for a filter: raw events (CSV, GeoJSON) or counts (CSV, GeoJSON).

One :class:`ExportFilter` is read from the query string by the export page *and* by every
download, so a file always holds exactly what the page shows for the same filter. Rules:

- **Raw** (events with time, place, position, text): only when the user may read raw reports
  in *every* area of the filter. A filter naming an area the user may not read raw is refused
  (403) rather than silently narrowed, so a raw file never differs from the filter on screen;
  the page says which areas stop it and offers the counts instead. Every raw export writes a
  :class:`~kvarter.safety.models.RawReadLog` row (door, filter, number of events; no texts).
- **Counts** (per area and category): for every user who sees the municipality's aggregates.
  In areas the user may not read raw, counts under the threshold (zero included) are shown as
  ``< N``, and the area's total is hidden ('–') when it would give a hidden cell away: the one
  policy of :mod:`kvarter.core.suppression`, keeping the cells and giving up the total.

Counts are of approved events that occurred in the period (Europe/Stockholm dates, both days
included), plus, for months wholly inside the period, the monthly counts that remain of purged
reports. Raw exports can only hold the events that still exist.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area, Municipality
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.core.spreadsheet import safe_csv_writer
from kvarter.core.suppression import suppress_line
from kvarter.safety.history.exporting import incidents_to_csv
from kvarter.safety.models import IncidentCategory, IncidentEvent, MonthlyAggregate
from kvarter.safety.retention.monthly import (
    STOCKHOLM,
    add_months,
    live_events,
    log_raw_read,
    marked,
    month_start,
    smallest_count_shown,
)

DEFAULT_DAYS = 28
LONGEST_PERIOD = dt.timedelta(days=3 * 366)


@dataclass(frozen=True, slots=True)
class ExportFilter:
    municipality: Municipality
    area_ids: tuple[int, ...]  # the areas chosen; all of the municipality's when none was
    start: dt.date  # first day, included
    end: dt.date  # last day, included
    category_ids: tuple[int, ...] | None = None  # None: every category

    def as_log(self) -> dict[str, Any]:
        return {
            "municipality": self.municipality.code,
            "areas": list(self.area_ids),
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "categories": None if self.category_ids is None else list(self.category_ids),
        }

    def query_string(self) -> str:
        parts = [f"kommun={self.municipality.code}"]
        parts += [f"omrade={a}" for a in self.area_ids]
        parts += [f"fran={self.start.isoformat()}", f"till={self.end.isoformat()}"]
        parts += [f"kategori={c}" for c in self.category_ids or ()]
        return "&".join(parts)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _ids(params: Any, name: str) -> list[int]:
    values = params.getlist(name) if hasattr(params, "getlist") else params.get(name, [])
    if isinstance(values, str):
        values = [values]
    return sorted({int(v) for v in values if str(v).isdigit()})


def export_filter_from(params: Mapping[str, Any], municipality: Municipality) -> ExportFilter:
    """The filter from a query string: ``omrade`` (repeated), ``fran``/``till`` (dates) or
    ``vecka`` (2026-W48), ``kategori`` (repeated). Unknown ids are dropped; a missing period is
    the last four weeks."""
    areas = set(Area.objects.filter(municipality=municipality).values_list("pk", flat=True))
    chosen = [a for a in _ids(params, "omrade") if a in areas]
    categories = set(
        IncidentCategory.objects.filter(municipality=municipality).values_list("pk", flat=True)
    )
    chosen_categories = [c for c in _ids(params, "kategori") if c in categories]
    start, end = _date(params.get("fran")), _date(params.get("till"))
    week = params.get("vecka")
    if week and (start is None or end is None):
        try:
            year, number = (int(x) for x in str(week).upper().split("-W"))
            start = dt.date.fromisocalendar(year, number, 1)
            end = start + dt.timedelta(days=6)
        except ValueError:
            start = end = None
    if end is None:
        end = timezone.localdate()
    if start is None:
        start = end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if end < start:
        start, end = end, start
    if end - start > LONGEST_PERIOD:
        start = end - LONGEST_PERIOD
    return ExportFilter(
        municipality=municipality,
        area_ids=tuple(chosen or sorted(areas)),
        start=start,
        end=end,
        category_ids=tuple(chosen_categories) if chosen_categories else None,
    )


def require_aggregates(actor: Any, municipality: Municipality) -> None:
    if not resolver_for(actor).can_view_incident_aggregates(municipality.pk):
        raise NotFoundOrForbidden()


def raw_area_ids(actor: Any, flt: ExportFilter) -> frozenset[int]:
    allowed = resolver_for(actor).raw_incident_area_ids(flt.municipality.pk)
    return frozenset(flt.area_ids) if allowed is None else frozenset(flt.area_ids) & allowed


def may_export_raw(actor: Any, flt: ExportFilter) -> bool:
    return bool(flt.area_ids) and raw_area_ids(actor, flt) == frozenset(flt.area_ids)


def filtered_events(flt: ExportFilter) -> QuerySet[IncidentEvent]:
    return live_events(
        municipality_id=flt.municipality.pk,
        start=flt.start,
        end=flt.end + dt.timedelta(days=1),
        area_ids=flt.area_ids,
        category_ids=flt.category_ids,
    ).order_by("occurred_at", "pk")


def _raw_events(actor: Any, flt: ExportFilter, what: str) -> QuerySet[IncidentEvent]:
    if not may_export_raw(actor, flt):
        raise PermissionDenied(code="raw_not_allowed")
    events = filtered_events(flt)
    log_raw_read(actor=actor, what=what, filters=flt.as_log(), count=events.count())
    return events


def events_csv(actor: Any, flt: ExportFilter) -> bytes:
    """The raw events of the filter in the contract's CSV (read back by the importer)."""
    return incidents_to_csv(_raw_events(actor, flt, "export_csv"))


def events_geojson(actor: Any, flt: ExportFilter) -> dict[str, Any]:
    """The raw events of the filter as GeoJSON points (WGS 84); an event without a position of
    its own stands at its place, and one without either has a null geometry."""
    events = _raw_events(actor, flt, "export_geojson").select_related(
        "category", "area", "place", "report__organisation"
    )
    features = []
    for event in events.iterator(chunk_size=2000):
        lon, lat = event.longitude, event.latitude
        if lat is None and event.place is not None:
            lon, lat = event.place.longitude, event.place.latitude
        features.append(
            {
                "type": "Feature",
                "geometry": None if lat is None else {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": event.pk,
                    "occurred_at": event.occurred_at.astimezone(STOCKHOLM).isoformat(
                        timespec="seconds"
                    ),
                    "category": event.category.name,
                    "area": event.area.name,
                    "place": event.place.name if event.place else None,
                    "reporter_org": event.report.organisation.name,
                    "severity": event.severity,
                    "unsafety": event.unsafety or None,
                    "text": event.text,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- counts ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountRow:
    area: Area
    raw: bool  # the user reads this area's raw reports: no suppression
    cells: list[int | str]  # per category, in the table's order
    total: int | str


@dataclass(frozen=True, slots=True)
class CountTable:
    filter: ExportFilter
    categories: list[IncidentCategory]
    rows: list[CountRow] = field(default_factory=list)
    threshold: int = 3


def _whole_months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and the (exclusive) last month wholly inside start..end, if any."""
    first = start if start.day == 1 else add_months(month_start(start), 1)
    after_end = end + dt.timedelta(days=1)
    last = month_start(after_end)
    return (first, last) if first < last else None


def count_table(actor: Any, flt: ExportFilter) -> CountTable:
    """Counts per area and category: what the export page shows and the counts exports hold."""
    require_aggregates(actor, flt.municipality)
    raw_ids = raw_area_ids(actor, flt)
    threshold = smallest_count_shown(flt.municipality.pk)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for row in (
        filtered_events(flt).values("area_id", "category_id").annotate(n=Count("pk")).order_by()
    ):
        counts[(row["area_id"], row["category_id"])] += row["n"]
    months = _whole_months(flt.start, flt.end)
    if months is not None:
        kept = MonthlyAggregate.objects.filter(
            municipality=flt.municipality,
            area_id__in=flt.area_ids,
            month__gte=months[0],
            month__lt=months[1],
        )
        if flt.category_ids is not None:
            kept = kept.filter(category_id__in=flt.category_ids)
        for kept_row in kept.values("area_id", "category_id").annotate(n=Sum("count")).order_by():
            counts[(kept_row["area_id"], kept_row["category_id"])] += kept_row["n"]
    categories = IncidentCategory.objects.filter(municipality=flt.municipality)
    if flt.category_ids is not None:
        categories = categories.filter(pk__in=flt.category_ids)
    else:
        used = {c for (_a, c) in counts}
        categories = categories.filter(pk__in=used) | categories.filter(active=True)
    category_list = list(categories.distinct().order_by("order", "name"))
    rows = []
    for area in Area.objects.filter(pk__in=flt.area_ids).order_by("name"):
        raw = area.pk in raw_ids
        values = [counts.get((area.pk, c.pk), 0) for c in category_list]
        line = suppress_line(
            values, threshold=threshold, guarded=[not raw] * len(values), prefer="wholes"
        )
        cells = [
            marked(v, m, threshold=threshold) for v, m in zip(values, line.cells, strict=True)
        ]
        total = marked(sum(values), line.total, threshold=threshold)
        rows.append(CountRow(area=area, raw=raw, cells=cells, total=total))
    return CountTable(filter=flt, categories=category_list, rows=rows, threshold=threshold)


def counts_csv(table: CountTable) -> bytes:
    out = io.StringIO(newline="")
    writer = safe_csv_writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["område", "kategori", "antal", "från", "till"])
    for row in table.rows:
        for category, cell in zip(table.categories, row.cells, strict=True):
            writer.writerow(
                [
                    row.area.name,
                    category.name,
                    cell,
                    table.filter.start.isoformat(),
                    table.filter.end.isoformat(),
                ]
            )
    return out.getvalue().encode("utf-8-sig")


def counts_geojson(table: CountTable) -> dict[str, Any]:
    """One feature per area (its boundary) with the counts per category as the table shows."""
    features = [
        {
            "type": "Feature",
            "geometry": row.area.boundary or None,
            "properties": {
                "area": row.area.name,
                "from": table.filter.start.isoformat(),
                "to": table.filter.end.isoformat(),
                "counts": {
                    c.name: cell for c, cell in zip(table.categories, row.cells, strict=True)
                },
                "total": row.total,
            },
        }
        for row in table.rows
    ]
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(collection: dict[str, Any]) -> bytes:
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")
