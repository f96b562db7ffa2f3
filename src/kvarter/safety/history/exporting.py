"""Write events in the EST report interchange format: what the importer reads back.

``incidents_to_csv(events)`` writes ';'-separated UTF-8 with BOM (as Excel opens it), Swedish
headers, one row per event. The caller decides which events (the filter on screen and the
user's permissions); this module only writes them.

- ``id``: the report's ``source_id`` (imported history: one event per report); for a report
  filed in Kvarter ``kvarter-<report>-<event>``; if an id repeats in the export (a report with a
  source id and several events) the later rows get ``#<event>`` appended. Importing the export
  elsewhere, and again, is therefore idempotent.
- ``tidpunkt``: local time (Europe/Stockholm) with its offset, to the second.
- Position as WGS 84 ``lat``/``lon``; ``n``/``e`` are left out.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from kvarter.core.spreadsheet import safe_csv_writer
from kvarter.safety.history.importers import HEADERS

__all__ = ["COLUMNS", "incidents_to_csv"]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
COLUMNS = (
    "id",
    "occurred_at",
    "category",
    "area",
    "place",
    "lat",
    "lon",
    "reporter_org",
    "text",
    "severity",
)


def _coordinate(value: float | None) -> str:
    return "" if value is None else f"{value:.7f}".rstrip("0").rstrip(".")


def incidents_to_csv(events: Iterable[Any]) -> bytes:
    """The events (``IncidentEvent`` rows or a queryset of them) as contract CSV bytes."""
    if isinstance(events, QuerySet):
        events = events.select_related(
            "report__organisation", "category", "area", "place"
        ).iterator(chunk_size=5000)
    out = io.StringIO(newline="")
    writer = safe_csv_writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([HEADERS[column] for column in COLUMNS])
    seen: set[str] = set()
    for event in events:
        report = event.report
        ident = report.source_id or f"kvarter-{report.pk}-{event.pk}"
        if ident in seen:
            ident = f"{ident}#{event.pk}"
        seen.add(ident)
        writer.writerow(
            [
                ident,
                event.occurred_at.astimezone(STOCKHOLM).isoformat(timespec="seconds"),
                event.category.name,
                event.area.name,
                event.place.name if event.place_id else "",
                _coordinate(event.latitude),
                _coordinate(event.longitude),
                report.organisation.name,
                event.text,
                "" if event.severity is None else str(event.severity),
            ]
        )
    return out.getvalue().encode("utf-8-sig")
