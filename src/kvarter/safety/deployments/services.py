"""Deployments (insatser): the operational group's decisions and what came of them.

Who may decide: the operational group of EST is the area's EST members, so every write and
every read of deployments asks ``can_plan_deployments(area)`` — the capability the EST member
role holds in its own areas (and a superuser everywhere). Administrators and strategists are
deliberately *not* given it: they run the installation, not the Friday meeting; an
administrator who sits in the group gives themself the EST member role for the area, and that
grant is itself audited. Deployments are read by the same people because a deployment names
where guards and police will be at what hours.

Every write goes through :mod:`kvarter.core.services` (validated, version-checked, audited).
Free texts (purpose, what came of it) pass the personal-data scanner; a refusal explains what
kind of data was found and never repeats it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area
from kvarter.core.error_codes import error
from kvarter.core.errors import PermissionDenied
from kvarter.core.personal_data import describe, scan
from kvarter.core.services import model_create, model_update
from kvarter.safety.models import Deployment, Outcome, Place, Resource

PLAN_FIELDS = (
    "area",
    "place",
    "resource",
    "starts_on",
    "ends_on",
    "weekdays",
    "time_from",
    "time_to",
    "purpose",
)
OUTCOME_FIELDS = ("outcome", "outcome_note")
EDITABLE_FIELDS = PLAN_FIELDS + OUTCOME_FIELDS
LONGEST_DEPLOYMENT = dt.timedelta(days=366)


# --- validators (stable codes; tests match codes) -----------------------------------------


def validate_free_text(field: str, text: str) -> None:
    """Refuse a text holding personal data; the message names the kind, never the data."""
    findings = scan(text or "")
    if findings:
        raise ValidationError({field: ValidationError(describe(findings), code="personal_data")})


def _invalid(field: str | None, code: str, **params: Any) -> ValidationError:
    refused = error(code, **params)
    return ValidationError({field: refused}) if field else refused


def validate_weekdays(weekdays: Iterable[Any]) -> list[int]:
    """ISO weekdays 1–7, each once, in order; an empty list means every day."""
    try:
        days = sorted({int(d) for d in weekdays})
    except (TypeError, ValueError) as error:
        raise _invalid("weekdays", "invalid_weekday") from error
    if any(d < 1 or d > 7 for d in days):
        raise _invalid("weekdays", "invalid_weekday")
    return days


def _validate_plan(data: Mapping[str, Any]) -> None:
    area: Area = data["area"]
    resource: Resource = data["resource"]
    place: Place | None = data.get("place")
    if resource.municipality_id != area.municipality_id:
        raise _invalid("resource", "resource_other_municipality")
    if place is not None and place.area_id != area.pk:
        raise _invalid("place", "place_other_area")
    starts_on, ends_on = data["starts_on"], data["ends_on"]
    if ends_on < starts_on:
        raise _invalid("ends_on", "dates_out_of_order")
    if ends_on - starts_on > LONGEST_DEPLOYMENT:
        raise _invalid("ends_on", "deployment_too_long")
    if (data.get("time_from") is None) != (data.get("time_to") is None):
        raise _invalid("time_to", "half_time_span")
    if not str(data.get("purpose") or "").strip():
        raise _invalid("purpose", "purpose_required")
    validate_free_text("purpose", data["purpose"])


def _validate_outcome(deployment_starts_on: dt.date, data: Mapping[str, Any]) -> None:
    outcome = data.get("outcome") or ""
    note = data.get("outcome_note") or ""
    if not outcome and not note:
        return
    if outcome and outcome not in Outcome.values:
        raise _invalid("outcome", "invalid_outcome")
    if not outcome:
        raise _invalid("outcome", "outcome_required")
    if deployment_starts_on > timezone.localdate():
        raise _invalid("outcome", "outcome_before_start")
    validate_free_text("outcome_note", note)


# --- permission and access ------------------------------------------------------------------


def _require_operational_group(actor: Any, area: Area) -> None:
    if not resolver_for(actor).can_plan_deployments(area):
        raise PermissionDenied(code="not_est_member")


# --- writes -----------------------------------------------------------------------------------


@transaction.atomic
def deployment_create(
    *,
    actor: Any,
    area: Area,
    resource: Resource,
    starts_on: dt.date,
    ends_on: dt.date,
    purpose: str,
    place: Place | None = None,
    weekdays: Iterable[int] = (),
    time_from: dt.time | None = None,
    time_to: dt.time | None = None,
    decided_on: dt.date | None = None,
) -> Deployment:
    """Record the operational group's decision: a resource to a place, on days and hours."""
    _require_operational_group(actor, area)
    data: dict[str, Any] = {
        "area": area,
        "place": place,
        "resource": resource,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "weekdays": validate_weekdays(weekdays),
        "time_from": time_from,
        "time_to": time_to,
        "purpose": (purpose or "").strip(),
        "decided_on": decided_on or timezone.localdate(),
        "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    _validate_plan(data)
    return model_create(model=Deployment, data=data, actor=actor)


@transaction.atomic
def deployment_update(
    *,
    actor: Any,
    deployment: Deployment,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[Deployment, bool]:
    """Change the decision (and/or its outcome). Moving it to another area needs both areas."""
    _require_operational_group(actor, deployment.area)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise _invalid(None, "not_editable", fields=", ".join(sorted(unknown)))
    merged = {name: getattr(deployment, name) for name in EDITABLE_FIELDS} | dict(data)
    if "area" in data and data["area"].pk != deployment.area_id:
        _require_operational_group(actor, data["area"])
    if "weekdays" in data:
        merged["weekdays"] = validate_weekdays(data["weekdays"])
    if "purpose" in data:
        merged["purpose"] = str(data["purpose"] or "").strip()
    if set(data) & set(PLAN_FIELDS):
        _validate_plan(merged)
    if set(data) & set(OUTCOME_FIELDS):
        merged["outcome_note"] = str(merged.get("outcome_note") or "").strip()
        _validate_outcome(merged["starts_on"], merged)
    changes = {name: merged[name] for name in data}
    return model_update(
        instance=deployment,
        fields=EDITABLE_FIELDS,
        data=changes,
        actor=actor,
        expected_version=expected_version,
    )


def deployment_record_outcome(
    *,
    actor: Any,
    deployment: Deployment,
    outcome: str,
    outcome_note: str = "",
    expected_version: int | None = None,
) -> tuple[Deployment, bool]:
    """Afterwards: was it carried out, and what came of it."""
    return deployment_update(
        actor=actor,
        deployment=deployment,
        data={"outcome": outcome, "outcome_note": outcome_note},
        expected_version=expected_version,
    )
