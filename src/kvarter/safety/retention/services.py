"""Retention: raw reports older than the municipality's period are deleted, counts are kept.

A report is *older than the period* when every one of its events occurred before the cutoff
(now minus ``EstSettings.retention_months``; a report without events counts by when it was
sent). The age of the observation decides, not when it was typed in, so a history imported
today from 2019 is not kept for another two years.

Before anything is deleted, the approved events of those reports are added to
:class:`~kvarter.safety.models.MonthlyAggregate` (area, place, category, month, count, how many
created unsafety) in the same transaction; reports awaiting review or rejected never entered
the picture and are deleted without a count. One audit entry per municipality records what
was purged — counts and the cutoff only, never texts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from kvarter.areas.models import Municipality
from kvarter.core.models import AuditAction
from kvarter.core.services import audit_record
from kvarter.safety.models import (
    EstSettings,
    IncidentEvent,
    IncidentReport,
    MonthlyAggregate,
    ReviewState,
    Unsafety,
)
from kvarter.safety.retention.monthly import STOCKHOLM
from kvarter.safety.retention.selectors import expired_reports, retention_cutoff

CHUNK = 500  # ids per DELETE: under SQLite's 999-parameter limit


@dataclass(frozen=True, slots=True)
class PurgeResult:
    municipality_code: str
    cutoff: dt.datetime
    reports: int
    events: int
    aggregated_events: int
    dry_run: bool


def _aggregate(municipality: Municipality, report_ids: list[int]) -> int:
    """Add the approved events of ``report_ids`` to the monthly counts; return how many."""
    added = 0
    for start in range(0, len(report_ids), CHUNK):
        chunk = report_ids[start : start + CHUNK]
        rows = (
            IncidentEvent.objects.filter(
                report_id__in=chunk, report__review_state=ReviewState.APPROVED
            )
            .annotate(m=TruncMonth("occurred_at", tzinfo=STOCKHOLM))
            .values("area_id", "place_id", "category_id", "m")
            .annotate(n=Count("pk"), unsafe=Count("pk", filter=Q(unsafety=Unsafety.YES)))
            .order_by()
        )
        for row in rows:
            month = row["m"].date() if isinstance(row["m"], dt.datetime) else row["m"]
            existing = (
                MonthlyAggregate.objects.select_for_update()
                .filter(
                    municipality=municipality,
                    area_id=row["area_id"],
                    place_id=row["place_id"],
                    category_id=row["category_id"],
                    month=month,
                )
                .first()
            )
            if existing is None:
                MonthlyAggregate.objects.create(
                    municipality=municipality,
                    area_id=row["area_id"],
                    place_id=row["place_id"],
                    category_id=row["category_id"],
                    month=month,
                    count=row["n"],
                    unsafe=row["unsafe"],
                )
            else:
                existing.count += row["n"]
                existing.unsafe += row["unsafe"]
                existing.save(update_fields=["count", "unsafe"])
            added += row["n"]
    return added


def _purge_one(
    municipality: Municipality, *, actor: Any, now: dt.datetime | None, dry_run: bool
) -> PurgeResult:
    cutoff = retention_cutoff(municipality, now)
    report_ids = list(expired_reports(municipality, cutoff).values_list("pk", flat=True))
    events = 0
    for start in range(0, len(report_ids), CHUNK):
        events += IncidentEvent.objects.filter(
            report_id__in=report_ids[start : start + CHUNK]
        ).count()
    if dry_run or not report_ids:
        aggregated = 0
        if dry_run:
            for start in range(0, len(report_ids), CHUNK):
                aggregated += IncidentEvent.objects.filter(
                    report_id__in=report_ids[start : start + CHUNK],
                    report__review_state=ReviewState.APPROVED,
                ).count()
        return PurgeResult(municipality.code, cutoff, len(report_ids), events, aggregated, dry_run)
    with transaction.atomic():
        aggregated = _aggregate(municipality, report_ids)
        for start in range(0, len(report_ids), CHUNK):
            chunk = report_ids[start : start + CHUNK]
            IncidentEvent.objects.filter(report_id__in=chunk).delete()
            IncidentReport.objects.filter(pk__in=chunk).delete()
        settings_row, _created = EstSettings.objects.get_or_create(municipality=municipality)
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=settings_row,
            changes={
                "raw_reports_purged": [len(report_ids), None],
                "raw_events_purged": [events, None],
                "events_kept_as_monthly_counts": [None, aggregated],
                "occurred_before": [cutoff.isoformat(), None],
            },
        )
    return PurgeResult(municipality.code, cutoff, len(report_ids), events, aggregated, False)


def incidents_purge(
    *,
    actor: Any,
    municipalities: Iterable[Municipality] | None = None,
    now: dt.datetime | None = None,
    dry_run: bool = False,
) -> list[PurgeResult]:
    """Purge every (or the given) municipality's expired raw reports, keeping monthly counts.

    Only the installation itself runs this (the scheduled task, the CLI): ``actor`` is
    :data:`kvarter.core.actors.SYSTEM` there; the retention period is the rule, not a choice.
    """
    chosen = (
        list(municipalities)
        if municipalities is not None
        else list(Municipality.objects.filter(incident_reports__isnull=False).distinct())
    )
    return [
        _purge_one(m, actor=actor, now=now, dry_run=dry_run)
        for m in sorted(chosen, key=lambda m: m.code)
    ]
