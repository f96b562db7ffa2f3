"""Retention: reports past the period are deleted, their approved events kept as monthly counts;
the counts of every month read the same before and after; the audit entry holds counts only."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    IncidentEventFactory,
    IncidentReportFactory,
    PlaceFactory,
)

from kvarter.core.actors import SYSTEM
from kvarter.core.models import AuditEntry
from kvarter.safety.models import EstSettings, IncidentEvent, IncidentReport, MonthlyAggregate
from kvarter.safety.retention.monthly import add_months, monthly_counts
from kvarter.safety.retention.services import incidents_purge
from kvarter.safety.retention.tasks import purge_incidents_task

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
MARKER = "Retentionsmarkör vid kiosken"


@pytest.fixture
def history():
    area = AreaFactory()
    municipality = area.municipality
    EstSettings.objects.create(municipality=municipality, retention_months=24)
    category = IncidentCategoryFactory(municipality=municipality)
    place = PlaceFactory(area=area)

    def event(when, *, state="approved", report=None, **kw):
        report = report or IncidentReportFactory(
            municipality=municipality, submitted_at=when, review_state=state
        )
        return IncidentEventFactory(
            area=area, report=report, category=category, occurred_at=when, **kw
        )

    old = dt.datetime(2024, 3, 10, 22, tzinfo=dt.UTC)
    event(old, place=place, unsafety="yes", text=MARKER)
    event(old + dt.timedelta(days=1), place=place)
    event(old, state="pending")
    # A report with one old and one recent event stays whole: its newest event decides.
    mixed = event(old).report
    event(NOW - dt.timedelta(days=10), report=mixed)
    event(NOW - dt.timedelta(days=3))
    return {"area": area, "municipality": municipality, "category": category, "place": place}


def _counts(municipality):
    rows = monthly_counts(
        municipality_id=municipality.pk, start=dt.date(2023, 1, 1), end=dt.date(2027, 1, 1)
    )
    by_month: dict[dt.date, int] = {}
    for row in rows:
        by_month[row.month] = by_month.get(row.month, 0) + row.count
    return by_month


def test_purge__old_reports_deleted_counts_kept(history) -> None:
    municipality = history["municipality"]
    before = _counts(municipality)
    assert before[dt.date(2024, 3, 1)] == 3  # the pending one never counts

    [result] = incidents_purge(actor=SYSTEM, municipalities=[municipality], now=NOW)

    assert (result.reports, result.events, result.aggregated_events) == (3, 3, 2)
    assert IncidentReport.objects.count() == 2
    assert not IncidentEvent.objects.filter(text=MARKER).exists()
    assert _counts(municipality) == before
    kept = MonthlyAggregate.objects.get(place=history["place"])
    assert (kept.month, kept.count, kept.unsafe) == (dt.date(2024, 3, 1), 2, 1)


def test_purge__twice__counts_not_doubled(history) -> None:
    municipality = history["municipality"]
    before = _counts(municipality)
    incidents_purge(actor=SYSTEM, municipalities=[municipality], now=NOW)
    [again] = incidents_purge(actor=SYSTEM, municipalities=[municipality], now=NOW)
    assert again.reports == 0
    assert _counts(municipality) == before


def test_purge__later_events_add_to_existing_month(history) -> None:
    municipality = history["municipality"]
    incidents_purge(actor=SYSTEM, municipalities=[municipality], now=NOW)
    before = _counts(municipality)
    march = dt.datetime(2024, 3, 20, 10, tzinfo=dt.UTC)
    report = IncidentReportFactory(municipality=municipality, submitted_at=march)
    IncidentEventFactory(
        area=history["area"],
        report=report,
        category=history["category"],
        place=history["place"],
        occurred_at=march,
    )
    incidents_purge(actor=SYSTEM, municipalities=[municipality], now=NOW)
    assert MonthlyAggregate.objects.get(place=history["place"]).count == 3
    assert _counts(municipality)[dt.date(2024, 3, 1)] == before[dt.date(2024, 3, 1)] + 1


def test_purge__shorter_retention__more_goes(history) -> None:
    municipality = history["municipality"]
    EstSettings.objects.filter(municipality=municipality).update(retention_months=1)
    half_year = NOW - dt.timedelta(days=180)
    IncidentEventFactory(
        area=history["area"],
        report=IncidentReportFactory(municipality=municipality, submitted_at=half_year),
        category=history["category"],
        occurred_at=half_year,
    )
    [result] = incidents_purge(actor=SYSTEM, municipalities=[municipality], now=NOW)
    assert result.reports == 4  # the mixed report's newest event is 10 days old: kept
    assert result.cutoff.date() == add_months(NOW.date(), -1)


def test_purge__dry_run__changes_nothing(history) -> None:
    municipality = history["municipality"]
    [result] = incidents_purge(
        actor=SYSTEM, municipalities=[municipality], now=NOW, dry_run=True
    )
    assert (result.reports, result.aggregated_events) == (3, 2)
    assert IncidentReport.objects.count() == 5
    assert not MonthlyAggregate.objects.exists()
    assert not AuditEntry.objects.filter(changes__has_key="raw_reports_purged").exists()


def test_purge__audit_entry_holds_counts_only(history) -> None:
    incidents_purge(actor=SYSTEM, municipalities=[history["municipality"]], now=NOW)
    entry = AuditEntry.objects.get(action="delete", object_repr__startswith="EST")
    assert entry.changes["raw_reports_purged"] == [3, None]
    assert entry.changes["events_kept_as_monthly_counts"] == [None, 2]
    assert MARKER not in str(entry.changes)
    assert entry.actor_name == "system"


def test_purge_command__dry_run_and_run(history) -> None:
    out = StringIO()
    code = history["municipality"].code
    call_command("purge_incidents", "--dry-run", "--municipality", code, stdout=out)
    assert "3 rapporter" in out.getvalue() and "would be deleted" in out.getvalue()
    assert IncidentReport.objects.count() == 5
    # The real run uses today's date: everything from 2024-03 is well past 24 months.
    out = StringIO()
    call_command("purge_incidents", stdout=out)
    assert "deleted" in out.getvalue()
    assert IncidentReport.objects.count() == 2


def test_purge_task__runs_through_the_configured_backend(history) -> None:
    result = purge_incidents_task.enqueue(history["municipality"].pk)
    assert result.return_value["reports"] == 3
    assert AuditEntry.objects.get(changes__has_key="raw_reports_purged").door == "task"


def test_purge__recent_reports_untouched_when_now_is_today(history) -> None:
    incidents_purge(actor=SYSTEM, municipalities=[history["municipality"]])
    recent = timezone.now() - dt.timedelta(days=30)
    assert IncidentEvent.objects.filter(occurred_at__gte=recent).count() >= 1


def test_purge_task__production_backend_keeps_it_in_the_database_for_the_worker(history) -> None:
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    # django-tasks resets its backends itself when TASKS changes.
    backend = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=backend):
        result = purge_incidents_task.enqueue()
    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == "READY"
    assert IncidentReport.objects.exists()  # nothing ran yet: the worker does it
