"""Problem places (tactical level): a place flagged for long-term work, linked to plan measures.

Who: flagging, editing, linking measures and closing are the area's EST members'
(``can_manage_problem_places_in(area)``). Reading a problem place —
its reason, its linked measures and its report history as *counts* per month and category —
is open to every signed-in user of the municipality who sees EST aggregates (the tactical
group holds actors who are not EST members); counts below the installation's threshold (zero
included) are shown as '< N' to them, by the policy of :mod:`kvarter.core.suppression`. The
list of raw events is only for readers of the area's raw reports, and every such read is
logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kvarter.accounts.permissions import resolver_for
from kvarter.core.error_codes import error
from kvarter.core.errors import PermissionDenied
from kvarter.core.services import model_create, model_update
from kvarter.plans.models import Measure
from kvarter.safety.deployments.services import validate_free_text
from kvarter.safety.models import (
    Place,
    ProblemPlace,
    ProblemPlaceStatus,
)
from kvarter.safety.problem_places.selectors import linkable_measures


def _invalid(field: str | None, code: str, **params: Any) -> ValidationError:
    refused = error(code, **params)
    return ValidationError({field: refused}) if field else refused


def _require_tactical_rights(actor: Any, place: Place) -> None:
    if not resolver_for(actor).can_manage_problem_places_in(place.area):
        raise PermissionDenied(code="not_est_member")


def _validate_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", "reason_required")
    validate_free_text("reason", reason)
    return reason


# --- writes -----------------------------------------------------------------------------------


@transaction.atomic
def problem_place_flag(
    *, actor: Any, place: Place, reason: str, flagged_on: dt.date | None = None
) -> ProblemPlace:
    """Flag ``place`` for long-term work. A closed problem place at the place is reopened."""
    _require_tactical_rights(actor, place)
    reason = _validate_reason(reason)
    existing = ProblemPlace.objects.filter(place=place).first()
    flagged_on = flagged_on or timezone.localdate()
    if existing is None:
        return model_create(
            model=ProblemPlace,
            data={"place": place, "reason": reason, "flagged_on": flagged_on},
            actor=actor,
        )
    if existing.status == ProblemPlaceStatus.ACTIVE:
        raise _invalid("place", "already_flagged")
    reopened, _changed = model_update(
        instance=existing,
        fields=["reason", "flagged_on", "status", "closed_on"],
        data={
            "reason": reason,
            "flagged_on": flagged_on,
            "status": ProblemPlaceStatus.ACTIVE,
            "closed_on": None,
        },
        actor=actor,
    )
    return reopened


@transaction.atomic
def problem_place_update(
    *,
    actor: Any,
    problem_place: ProblemPlace,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[ProblemPlace, bool]:
    """Change the reason and/or the linked measures (of the municipality, readable to the
    user)."""
    _require_tactical_rights(actor, problem_place.place)
    changes = dict(data)
    unknown = set(changes) - {"reason", "measures"}
    if unknown:
        raise _invalid(None, "not_editable", fields=", ".join(sorted(unknown)))
    if "reason" in changes:
        changes["reason"] = _validate_reason(changes["reason"])
    if "measures" in changes:
        changes["measures"] = _allowed_measures(
            actor, problem_place.place.area.municipality_id, changes["measures"]
        )
    return model_update(
        instance=problem_place,
        fields=["reason", "measures"],
        data=changes,
        actor=actor,
        expected_version=expected_version,
    )


def _allowed_measures(actor: Any, municipality_id: int, measures: Iterable[Any]) -> list[Measure]:
    wanted = {m.pk if isinstance(m, Measure) else int(m) for m in measures}
    allowed = {m.pk: m for m in linkable_measures(actor, municipality_id)}
    missing = sorted(wanted - set(allowed))
    if missing:
        raise _invalid("measures", "unknown_measure", numbers=", ".join(map(str, missing)))
    return [allowed[pk] for pk in sorted(wanted)]


@transaction.atomic
def problem_place_close(
    *,
    actor: Any,
    problem_place: ProblemPlace,
    closed_on: dt.date | None = None,
    expected_version: int | None = None,
) -> tuple[ProblemPlace, bool]:
    _require_tactical_rights(actor, problem_place.place)
    if problem_place.status == ProblemPlaceStatus.CLOSED:
        raise _invalid(None, "already_closed")
    closed_on = closed_on or timezone.localdate()
    if closed_on < problem_place.flagged_on:
        raise _invalid("closed_on", "closed_before_flagged")
    return model_update(
        instance=problem_place,
        fields=["status", "closed_on"],
        data={"status": ProblemPlaceStatus.CLOSED, "closed_on": closed_on},
        actor=actor,
        expected_version=expected_version,
    )
