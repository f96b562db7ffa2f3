"""Incident reports: the reads — the reporter's own reports and the EST members' review queue.

A reporter reads only the reports they filed themselves. An EST member's queue holds the
pending reports whose every event lies in the member's areas: a report reaching into an area
the member may not read waits for someone who may read all of it. The filing is in
:mod:`kvarter.safety.filing.services`, the review (and the log of raw reads) in
:mod:`kvarter.safety.filing.review`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Municipality
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.safety.models import IncidentEvent, IncidentReport, ReviewState

_EVENTS = Prefetch(
    "events",
    queryset=IncidentEvent.objects.select_related("category", "area", "place").order_by(
        "occurred_at", "pk"
    ),
)


def my_reports(*, actor: Any, municipality: Municipality | None = None) -> QuerySet[IncidentReport]:
    """The reports ``actor`` filed (newest first); nobody else's."""
    if not getattr(actor, "is_authenticated", False):
        return IncidentReport.objects.none()
    reports = IncidentReport.objects.filter(reporter=actor)
    if municipality is not None:
        reports = reports.filter(municipality=municipality)
    return reports.select_related("organisation", "municipality").prefetch_related(_EVENTS)


def access_own_report(actor: Any, report_id: Any) -> IncidentReport:
    """One of the actor's own reports; the same answer for missing and someone else's."""
    try:
        return my_reports(actor=actor).get(pk=int(report_id))
    except (IncidentReport.DoesNotExist, TypeError, ValueError) as error:
        raise NotFoundOrForbidden from error


def review_queue(*, actor: Any, municipality: Municipality) -> QuerySet[IncidentReport]:
    """Pending reports whose every event lies in an area the actor may review, oldest first."""
    areas = resolver_for(actor).review_area_ids(municipality.pk)
    pending = IncidentReport.objects.filter(
        municipality=municipality, review_state=ReviewState.PENDING
    )
    if areas is not None:
        outside = IncidentEvent.objects.exclude(area_id__in=areas).values("report_id")
        pending = pending.filter(events__area_id__in=areas).exclude(pk__in=outside).distinct()
    return (
        pending.select_related("organisation", "reporter")
        .prefetch_related(_EVENTS)
        .order_by("submitted_at", "pk")
    )
