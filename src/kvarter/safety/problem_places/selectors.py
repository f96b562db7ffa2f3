"""Problem places (tactical level): the reads — the list, one place, its report history.

Reading a problem place is open to every signed-in user of the municipality who sees EST
aggregates; counts below the installation's threshold are shown as '< N' to those who may not
read the area's raw reports, and every read of the raw events is logged (the rules are in the
docstring of :mod:`kvarter.safety.problem_places.services`, where the writes are).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from kvarter.accounts.permissions import resolver_for
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.core.suppression import suppress_line
from kvarter.followup.selectors import visible_measures
from kvarter.plans.models import Measure, Plan
from kvarter.safety.models import IncidentCategory, IncidentEvent, ProblemPlace
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
