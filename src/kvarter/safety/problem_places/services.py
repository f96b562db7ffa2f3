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
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kvarter.accounts.permissions import resolver_for
from kvarter.core.error_codes import error
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.core.services import model_create, model_update
from kvarter.core.suppression import suppress_line
from kvarter.followup.selectors import visible_measures
from kvarter.plans.models import Measure, Plan
from kvarter.safety.deployments.services import validate_free_text
from kvarter.safety.models import (
    IncidentCategory,
    IncidentEvent,
    Place,
    ProblemPlace,
    ProblemPlaceStatus,
)
from kvarter.safety.retention.monthly import (
    add_months,
    live_events,
    log_raw_read,
    marked,
    month_start,
    monthly_counts,
    smallest_count_shown,
)

HISTORY_MONTHS = 24
RAW_LIST_LIMIT = 200


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


# --- reads -----------------------------------------------------------------------------------


def problem_place_list(
    *, actor: Any, municipality_id: int, status: str | None = None
) -> QuerySet[ProblemPlace]:
    if not resolver_for(actor).can_view_incident_aggregates(municipality_id):
        raise NotFoundOrForbidden()
    places = ProblemPlace.objects.filter(place__area__municipality_id=municipality_id)
    if status:
        places = places.filter(status=status)
    return places.select_related("place__area").order_by("status", "-flagged_on", "pk")


def access_problem_place_by_id(actor: Any, problem_place_id: Any) -> ProblemPlace:
    try:
        pk = int(problem_place_id)
    except (TypeError, ValueError) as error:
        raise NotFoundOrForbidden() from error
    found = ProblemPlace.objects.select_related("place__area__municipality").filter(pk=pk).first()
    if found is None or not resolver_for(actor).can_view_incident_aggregates(
        found.place.area.municipality_id
    ):
        raise NotFoundOrForbidden()
    return found


def linkable_measures(actor: Any, municipality_id: int) -> list[Measure]:
    """The municipality's plan measures ``actor`` may read, newest plan first."""
    measures: list[Measure] = []
    plans = Plan.objects.filter(municipality_id=municipality_id).order_by("-start_year", "name")
    for plan in plans:
        try:
            measures.extend(visible_measures(actor, plan).select_related("plan"))
        except NotFoundOrForbidden:
            return []
    return measures


@dataclass(frozen=True, slots=True)
class HistoryRow:
    month: dt.date
    cells: list[int | str]  # per category, in ``categories`` order
    total: int | str


@dataclass(frozen=True, slots=True)
class History:
    categories: list[IncidentCategory]
    rows: list[HistoryRow]
    raw: bool
    threshold: int
    events: list[IncidentEvent]  # empty unless ``raw``


def problem_place_history(
    *, actor: Any, problem_place: ProblemPlace, months: int = HISTORY_MONTHS
) -> History:
    """Reports at the place per month and category over the last ``months`` months.

    Counts for everyone who may see aggregates (small counts suppressed for non-members); the
    raw events only for the area's raw readers, logged.
    """
    place = problem_place.place
    municipality_id = place.area.municipality_id
    raw = resolver_for(actor).can_view_raw_incidents(place.area)
    threshold = smallest_count_shown(municipality_id)
    end = add_months(month_start(timezone.localdate()), 1)
    start = add_months(end, -months)
    counts = monthly_counts(
        municipality_id=municipality_id, start=start, end=end, place_ids=[place.pk]
    )
    by_month: dict[dt.date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in counts:
        by_month[row.month][row.category_id] += row.count
    category_ids = {row.category_id for row in counts}
    found = IncidentCategory.objects.filter(pk__in=category_ids)
    listed = sorted(by_month, reverse=True)
    if not raw:
        # A missing month or category would say 'zero', itself a hidden count: every month of
        # the window and every active category get a row or column (decision 6).
        found = found | IncidentCategory.objects.filter(
            municipality_id=municipality_id, active=True
        )
        listed = [add_months(end, -k) for k in range(1, months + 1)]
    categories = list(found.distinct().order_by("order", "name"))
    rows = []
    for month in listed:
        values = [by_month[month].get(c.pk, 0) for c in categories]
        # The policy of core.suppression: keep the cells, give up a total that would give a
        # hidden cell away.
        line = suppress_line(
            values, threshold=threshold, guarded=[not raw] * len(values), prefer="wholes"
        )
        cells = [
            marked(v, m, threshold=threshold) for v, m in zip(values, line.cells, strict=True)
        ]
        total = marked(sum(values), line.total, threshold=threshold)
        rows.append(HistoryRow(month=month, cells=cells, total=total))
    events: list[IncidentEvent] = []
    if raw:
        events = list(
            live_events(municipality_id=municipality_id, start=start, end=end, place_ids=[place.pk])
            .select_related("category", "report__organisation")
            .order_by("-occurred_at")[:RAW_LIST_LIMIT]
        )
        log_raw_read(
            actor=actor,
            what="problem_place",
            filters={"problem_place": problem_place.pk, "place": place.pk, "months": months},
            count=len(events),
        )
    return History(categories, rows, raw, threshold, events)


def problem_places_of_measure(actor: Any, measure: Measure) -> list[ProblemPlace]:
    """The problem places linked to ``measure`` that ``actor`` may read (the measure's side)."""
    if not resolver_for(actor).can_view_incident_aggregates(measure.plan.municipality_id):
        return []
    return list(measure.problem_places.select_related("place__area").order_by("place__name"))


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
