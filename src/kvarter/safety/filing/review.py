"""The review (granskning) of pending reports by EST members.

The reads (the reporter's own reports, the review queue) are in
:mod:`kvarter.safety.filing.selectors`. An EST member reviews the pending
reports whose every event lies in the member's areas: a report reaching into an area the
member may not read waits for someone who may read all of it. Every read of others' raw
reports writes a :class:`RawReadLog` row (never a text).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from kvarter.accounts.permissions import resolver_for
from kvarter.core.doors import current_door
from kvarter.core.error_codes import error
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.core.models import AuditAction
from kvarter.core.services import audit_record
from kvarter.safety.models import IncidentReport, RawReadLog, ReviewState


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
