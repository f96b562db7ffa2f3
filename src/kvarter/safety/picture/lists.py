"""The situational picture's lists: the week's raw reports (only ever asked for the areas the
reader may see raw) and the deployments of a week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from kvarter.safety.models import Deployment, IncidentEvent, Outcome, ReviewState, Unsafety
from kvarter.safety.picture.rules import STOCKHOLM, IsoWeek
from kvarter.safety.picture.types import DeploymentLine, ReportLine


def week_reports(iso: IsoWeek, raw_ids: frozenset[int]) -> list[ReportLine]:
    events = (
        IncidentEvent.objects.filter(
            area_id__in=raw_ids,
            occurred_at__gte=iso.start,
            occurred_at__lt=iso.end,
            report__review_state=ReviewState.APPROVED,
        )
        .order_by("occurred_at", "pk")
        .values_list(
            "pk",
            "report_id",
            "occurred_at",
            "category__name",
            "area__name",
            "place__name",
            "report__organisation__short_name",
            "report__organisation__name",
            "text",
            "severity",
            "unsafety",
            "latitude",
            "longitude",
            "place__latitude",
            "place__longitude",
        )
    )
    unsafety = dict(Unsafety.choices)
    return [
        ReportLine(
            event_id=pk,
            report_id=report_id,
            occurred_at=occurred_at.astimezone(STOCKHOLM),
            category=category,
            area=area,
            place=place or "",
            organisation=short_name or organisation,
            text=text,
            severity=severity,
            unsafety=str(unsafety.get(feeling, "")),
            latitude=lat if lat is not None else place_lat,
            longitude=lon if lon is not None else place_lon,
        )
        for (
            pk,
            report_id,
            occurred_at,
            category,
            area,
            place,
            short_name,
            organisation,
            text,
            severity,
            feeling,
            lat,
            lon,
            place_lat,
            place_lon,
        ) in events
    ]


def _days_text(weekdays: Sequence[int]) -> str:
    if not weekdays:
        return _("every day")
    names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    return ", ".join(names[d - 1] for d in sorted(weekdays) if 1 <= d <= 7)


def week_deployments(area_ids: Sequence[int], iso: IsoWeek) -> list[DeploymentLine]:
    monday = iso.monday
    sunday = monday + dt.timedelta(days=6)
    rows = (
        Deployment.objects.filter(area_id__in=area_ids, starts_on__lte=sunday, ends_on__gte=monday)
        .select_related("resource", "area", "place")
        .order_by("starts_on", "area__name", "pk")
    )
    outcomes = dict(Outcome.choices)
    return [
        DeploymentLine(
            id=d.pk,
            resource=d.resource.name,
            area=d.area.name,
            place=d.place.name if d.place else "",
            starts_on=d.starts_on,
            ends_on=d.ends_on,
            days=_days_text(d.weekdays or []),
            hours=(f"{d.time_from:%H:%M}–{d.time_to:%H:%M}" if d.time_from and d.time_to else ""),
            purpose=d.purpose,
            outcome=d.outcome,
            outcome_label=str(outcomes.get(d.outcome, _("not yet followed up"))),
            outcome_note=d.outcome_note,
        )
        for d in rows
    ]
