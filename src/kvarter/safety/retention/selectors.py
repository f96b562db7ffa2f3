"""Retention: the reads — the municipality's cutoff and the reports older than it.

The rule (a report is older than the period when every one of its events occurred before the
cutoff) and the purge are in :mod:`kvarter.safety.retention.services`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from kvarter.areas.models import Municipality
from kvarter.safety.models import EstSettings, IncidentReport
from kvarter.safety.retention.monthly import STOCKHOLM, add_months

DEFAULT_RETENTION_MONTHS = 24


def retention_cutoff(municipality: Municipality, now: dt.datetime | None = None) -> dt.datetime:
    months = (
        EstSettings.objects.filter(municipality=municipality)
        .values_list("retention_months", flat=True)
        .first()
    ) or DEFAULT_RETENTION_MONTHS
    local_now = (now or timezone.now()).astimezone(STOCKHOLM)
    day = add_months(local_now.date(), -int(months))
    return dt.datetime.combine(day, local_now.time(), tzinfo=STOCKHOLM)


def expired_reports(municipality: Municipality, cutoff: dt.datetime) -> QuerySet[IncidentReport]:
    return (
        IncidentReport.objects.filter(municipality=municipality)
        .annotate(latest=Max("events__occurred_at"))
        .filter(Q(latest__lt=cutoff) | Q(latest__isnull=True, submitted_at__lt=cutoff))
    )
