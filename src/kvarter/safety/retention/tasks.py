"""Background jobs of the safety app (django-tasks): thin, they call one service.

``purge_incidents_task`` is the scheduled retention job; cron (or a systemd timer) runs
``kvarter purge-incidents`` daily, which does the same work through the CLI door.
"""

from __future__ import annotations

from django_tasks import task

from kvarter.areas.models import Municipality
from kvarter.core.actors import SYSTEM
from kvarter.core.doors import Door, entered_through
from kvarter.safety.retention.services import incidents_purge


@task()
def purge_incidents_task(municipality_id: int | None = None) -> dict[str, int]:
    """Delete raw reports past the retention period, keeping monthly counts; returns counts."""
    municipalities = (
        Municipality.objects.filter(pk=municipality_id) if municipality_id is not None else None
    )
    with entered_through(Door.TASK):
        results = incidents_purge(actor=SYSTEM, municipalities=municipalities)
    return {
        "municipalities": len(results),
        "reports": sum(r.reports for r in results),
        "events": sum(r.events for r in results),
        "aggregated_events": sum(r.aggregated_events for r in results),
    }
