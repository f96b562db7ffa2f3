"""The reporter's own reports, and the review (granskning) of pending reports by EST members.

A reporter reads only the reports they filed themselves. An EST member reviews the pending
reports whose every event lies in the member's areas: a report reaching into an area the
member may not read waits for someone who may read all of it. Every read of others' raw
reports writes a :class:`RawReadLog` row (never a text).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Municipality
from kvarter.core.doors import current_door
from kvarter.core.error_codes import error
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.core.models import AuditAction
from kvarter.core.services import audit_record
from kvarter.safety.models import IncidentEvent, IncidentReport, RawReadLog, ReviewState

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


def raw_read_log(*, actor: Any, what: str, filters: dict[str, Any], count: int) -> RawReadLog:
    """Record a read of others' raw reports: who, where from, what, the filter, how many."""
    person = actor if getattr(actor, "is_authenticated", False) else None
    name = actor.get_username() if hasattr(actor, "get_username") else ""
    return RawReadLog.objects.create(
        actor=person,
        actor_name=name,
        door=current_door().value,
        what=what,
        filters=filters,
        count=count,
    )


def _in_actors_areas(actor: Any, report: IncidentReport) -> bool:
    areas = resolver_for(actor).review_area_ids(report.municipality_id)
    if areas is None:
        return True
    event_areas = set(report.events.values_list("area_id", flat=True))
    return bool(event_areas) and event_areas <= areas


@transaction.atomic
def incident_report_review(*, actor: Any, report: IncidentReport, approve: bool) -> IncidentReport:
    """Approve or reject a pending report the actor may review; audited without texts."""
    if not resolver_for(actor).can_review_reports(report.municipality_id):
        raise PermissionDenied()
    locked = IncidentReport.objects.select_for_update().filter(pk=report.pk).first()
    if locked is None or not _in_actors_areas(actor, locked):
        raise NotFoundOrForbidden()
    if locked.review_state != ReviewState.PENDING:
        raise error("already_reviewed")
    state = ReviewState.APPROVED if approve else ReviewState.REJECTED
    locked.review_state = state
    locked.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=locked,
        changes={"review_state": [ReviewState.PENDING.value, state.value]},
    )
    return locked
