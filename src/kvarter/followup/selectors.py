"""Reading follow-up rounds: a round by id, and a round's counts.

Every count a report shows comes from :func:`round_summary`, so the web page, the JSON and the
four document formats cannot disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from kvarter.accounts.models import Organisation
from kvarter.accounts.permissions import resolver_for
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.followup.models import Disposition, FollowUpRound, Status, StatusReport
from kvarter.plans.models import Measure
from kvarter.plans.selectors import id_or_not_found

# The plan's measures a user may read belong to plans; named here too for the callers that read
# them together with a round's counts.
from kvarter.plans.selectors import visible_measures as visible_measures

if TYPE_CHECKING:
    from kvarter.plans.models import Plan

# The four counts of a round, in the order every report shows them.
STATUS_KEYS: tuple[str, ...] = ("done", "in_progress", "not_done", "not_reported")
DISPOSITION_KEYS: tuple[str, ...] = tuple(str(d.value) for d in Disposition)


class GoalAreaSummary(TypedDict):
    number: int
    name: str
    counts: dict[str, int]


class RoundSummary(TypedDict):
    total: dict[str, int]
    goal_areas: list[GoalAreaSummary]
    dispositions: dict[str, int]


class UnitProgress(TypedDict):
    unit: Organisation | None
    total: int
    reported: int
    not_reported: int


def access_round_by_id(actor: Any, round_id: Any) -> FollowUpRound:
    """The round if ``actor`` may read its plan; the same 'not found' for a missing round."""
    round_ = (
        FollowUpRound.objects.select_related("plan__municipality")
        .filter(pk=id_or_not_found(round_id))
        .first()
    )
    if round_ is None or not resolver_for(actor).can_view_plans_of(round_.plan.municipality_id):
        raise NotFoundOrForbidden()
    return round_


def with_round_status(round: FollowUpRound, measures_qs: QuerySet[Measure]) -> QuerySet[Measure]:
    """``measures_qs`` annotated with ``round_status`` and ``round_disposition`` ('' if none)."""
    reports = StatusReport.objects.filter(round=round, measure=OuterRef("pk"))
    return measures_qs.annotate(
        round_status=Coalesce(Subquery(reports.values("status")[:1]), Value("")),
        round_disposition=Coalesce(Subquery(reports.values("disposition")[:1]), Value("")),
    )


def _status_counts() -> dict[str, Count]:
    reported = [str(s.value) for s in Status]
    counts = {code: Count("pk", filter=Q(round_status=code)) for code in reported}
    counts["not_reported"] = Count("pk", filter=~Q(round_status__in=reported))
    return counts


def round_summary(round: FollowUpRound, measures_qs: QuerySet[Measure]) -> RoundSummary:
    """The round's counts over ``measures_qs`` (already limited to what the reader may see).

    A measure without a status report, or whose report has no status, counts as not reported.
    Goal areas come in number order, each only if it has at least one of the measures.
    """
    annotated = with_round_status(round, measures_qs).order_by()
    per_area = (
        annotated.values("goal_area__number", "goal_area__name")
        .annotate(**_status_counts())
        .order_by("goal_area__number")
    )
    goal_areas: list[GoalAreaSummary] = [
        {
            "number": int(row["goal_area__number"]),
            "name": str(row["goal_area__name"]),
            "counts": {key: int(cast(Any, row)[key]) for key in STATUS_KEYS},
        }
        for row in per_area
    ]
    total_row = annotated.aggregate(**_status_counts())
    dispositions_row = annotated.aggregate(
        **{code: Count("pk", filter=Q(round_disposition=code)) for code in DISPOSITION_KEYS}
    )
    return {
        "total": {key: int(total_row[key] or 0) for key in STATUS_KEYS},
        "goal_areas": goal_areas,
        "dispositions": {key: int(dispositions_row[key] or 0) for key in DISPOSITION_KEYS},
    }


def round_progress(round: FollowUpRound, measures_qs: QuerySet[Measure]) -> list[UnitProgress]:
    """Per responsible unit: its measures, how many are reported and how many are not.

    Sorted with the most unreported measures first, so "who has not reported" leads. Measures
    with no responsible unit are counted in a row whose ``unit`` is None.
    """
    annotated = with_round_status(round, measures_qs).order_by()
    reported = Q(round_status__in=[str(s.value) for s in Status])
    rows = annotated.values("responsible_units").annotate(
        total=Count("pk", distinct=True),
        reported=Count("pk", filter=reported, distinct=True),
    )
    units = Organisation.objects.in_bulk(
        [row["responsible_units"] for row in rows if row["responsible_units"] is not None]
    )
    progress: list[UnitProgress] = [
        {
            "unit": units.get(row["responsible_units"]) if row["responsible_units"] else None,
            "total": int(row["total"]),
            "reported": int(row["reported"]),
            "not_reported": int(row["total"]) - int(row["reported"]),
        }
        for row in rows
    ]
    progress.sort(
        key=lambda p: (
            -p["not_reported"],
            p["unit"] is None,
            (p["unit"].short_name or p["unit"].name) if p["unit"] else "",
        )
    )
    return progress


def latest_round(plan: Plan) -> FollowUpRound | None:
    """The plan's most recent round: the latest year, a yearly round before that year's DRs."""
    return plan.rounds.order_by("-year", "-kind").first()
