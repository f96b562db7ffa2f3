"""Filing incident reports: one write path for the phone form, the page and the API.

``incident_report_file`` validates every event, scans every text for personal data and stores
the report with its events all at once, or nothing. A text with personal data refuses the whole
report with a message that names only the kind of data found: never the text, never the number,
never how many. Nothing here logs a text. A report sent again with the same ``client_key`` (a
phone on a poor connection) returns the report stored the first time and creates nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kvarter.accounts.models import Organisation
from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Municipality
from kvarter.core.error_codes import error
from kvarter.core.errors import PermissionDenied
from kvarter.core.models import AuditAction
from kvarter.core.services import audit_record
from kvarter.safety.catalogue.selectors import est_settings_for
from kvarter.safety.filing.rules import (
    DEFAULT_MAX_AGE,
    MAX_EVENTS,
    Errors,
    Lookups,
    event_field,
    validate_event,
)
from kvarter.safety.models import IncidentEvent, IncidentReport, ReviewState

__all__ = ["DEFAULT_MAX_AGE", "event_field", "incident_report_file"]


def _error(field: str, code: str) -> ValidationError:
    return ValidationError({field: error(code)})


def _organisation_for(
    actor: Any, municipality: Municipality, given: Organisation | None
) -> Organisation:
    own = getattr(actor, "organisation", None)
    organisation = given or own
    if organisation is None:
        raise _error("organisation", "organisation_required")
    if organisation.municipality_id != municipality.pk:
        raise _error("organisation", "organisation_not_in_municipality")
    resolver = resolver_for(actor)
    if given is not None and own is not None and given.pk != own.pk and not resolver.is_superuser:
        raise _error("organisation", "organisation_not_yours")
    return organisation


def _existing(client_key: uuid.UUID, actor: Any) -> IncidentReport | None:
    report = IncidentReport.objects.filter(client_key=client_key).first()
    if report is None:
        return None
    actor_pk = getattr(actor, "pk", None)
    if report.reporter_id != actor_pk:
        # Another person's key: answer as for a key in use, and show nothing of that report.
        raise _error("client_key", "client_key_taken")
    return report


def incident_report_file(
    *,
    actor: Any,
    municipality: Municipality,
    organisation: Organisation | None = None,
    events: Sequence[Mapping[str, Any]],
    client_key: uuid.UUID | None,
    submitted_at: dt.datetime | None = None,
    max_age: dt.timedelta | None = DEFAULT_MAX_AGE,
) -> IncidentReport:
    """File a report holding ``events``; all of them are stored, or none.

    Each event is a mapping with ``category`` (id or row), ``occurred_at`` (datetime or ISO
    8601; naive means Europe/Stockholm), and where: ``place`` and/or ``area`` (id or row)
    and/or ``latitude``/``longitude`` (WGS 84; the area is found from the position when not
    given); optional ``text`` (≤ 1,000 characters, no personal data), ``severity`` (1–3),
    ``unsafety`` (yes/no/unsure).

    Raises ``ValidationError`` keyed ``events.<n>.<field>`` with every problem of every
    event, and ``PermissionDenied`` for someone who may not file in the municipality.
    With a ``client_key`` already stored for this actor, returns that report unchanged.
    """
    if not resolver_for(actor).can_file_incidents(municipality.pk):
        raise PermissionDenied()
    if client_key is not None:
        if not isinstance(client_key, uuid.UUID):
            try:
                client_key = uuid.UUID(str(client_key))
            except ValueError as refused:
                raise _error("client_key", "invalid_client_key") from refused
        existing = _existing(client_key, actor)
        if existing is not None:
            return existing
    org = _organisation_for(actor, municipality, organisation)

    errors = Errors({})
    if not events:
        errors.add("events", error("events_required"))
    elif len(events) > MAX_EVENTS:
        errors.add("events", error("too_many_events", limit=MAX_EVENTS))
    errors.raise_if_any()
    now = timezone.now()
    lookups = Lookups.load(municipality, events)
    valid = [
        validate_event(i, e, lookups, errors, now=now, max_age=max_age)
        for i, e in enumerate(events)
    ]
    errors.raise_if_any()

    review_required = est_settings_for(municipality.pk).review_required
    try:
        with transaction.atomic():
            report = _store(
                actor=actor,
                municipality=municipality,
                organisation=org,
                events=[e for e in valid if e is not None],
                client_key=client_key,
                submitted_at=submitted_at or now,
                review_state=ReviewState.PENDING if review_required else ReviewState.APPROVED,
            )
    except IntegrityError:
        # Two sends of the same draft raced: the other one stored it.
        if client_key is None:
            raise
        existing = _existing(client_key, actor)
        if existing is None:
            raise
        return existing
    return report


def _store(
    *,
    actor: Any,
    municipality: Municipality,
    organisation: Organisation,
    events: list[IncidentEvent],
    client_key: uuid.UUID | None,
    submitted_at: dt.datetime,
    review_state: str,
) -> IncidentReport:
    reporter = actor if getattr(actor, "is_authenticated", False) else None
    report = IncidentReport(
        municipality=municipality,
        reporter=reporter,
        organisation=organisation,
        client_key=client_key,
        submitted_at=submitted_at,
        review_state=review_state,
    )
    report.full_clean(validate_unique=False)
    report.save()
    for event in events:
        event.report = report
        event.full_clean(exclude=["report", "category", "area", "place"])
    IncidentEvent.objects.bulk_create(events)
    # The audit entry says what was filed, never what the texts say.
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=report,
        changes={
            "organisation": [None, organisation.pk],
            "client_key": [None, str(client_key) if client_key else None],
            "review_state": [None, review_state],
            "events": [None, len(events)],
            "categories": [None, sorted({e.category_id for e in events})],
            "areas": [None, sorted({e.area_id for e in events})],
            "with_text": [None, sum(1 for e in events if e.text)],
        },
    )
    return report
