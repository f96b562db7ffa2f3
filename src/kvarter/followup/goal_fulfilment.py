"""Goal fulfilment in a round: every goal of the plan with its criteria and where they stand.

Quantitative criteria are judged by :func:`kvarter.plans.fulfilment.assess` on the series'
values up to the round's year, for everyone and for women and men where the plan sets targets;
qualitative criteria carry the round's assessment (or none yet). A fixed number of queries
whatever the size of the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.db.models import Prefetch

from kvarter.followup.models import CriterionAssessment, FollowUpRound
from kvarter.followup.selectors import round_summary
from kvarter.plans.fulfilment import Fulfilment, assess
from kvarter.plans.models import Goal, QualitativeCriterion, QuantitativeCriterion, SeriesValue

if TYPE_CHECKING:
    from typing import Any, Literal

    from django.db.models import QuerySet

    from kvarter.accounts.models import Organisation
    from kvarter.areas.models import Area
    from kvarter.plans.models import Measure

# Fulfilment statuses in the order reports show them.
FULFILMENT_KEYS: tuple[str, ...] = ("met", "on_track", "not_met", "no_data")
ASSESSMENT_KEYS: tuple[str, ...] = ("met", "partly_met", "not_met", "not_assessed")


@dataclass(frozen=True)
class QuantitativeResult:
    criterion: QuantitativeCriterion
    # Sex code (T, K, M) → fulfilment, for the targets the criterion sets.
    by_sex: dict[str, Fulfilment]


@dataclass(frozen=True)
class QualitativeResult:
    criterion: QualitativeCriterion
    assessment: CriterionAssessment | None

    @property
    def code(self) -> str:
        return self.assessment.assessment if self.assessment else "not_assessed"


@dataclass(frozen=True)
class GoalResult:
    goal: Goal
    quantitative: list[QuantitativeResult] = field(default_factory=list)
    qualitative: list[QualitativeResult] = field(default_factory=list)


def plan_goals(plan_id: int) -> Iterable[Goal]:
    """The plan's goals in goal-area and number order, with their criteria loaded."""
    return (
        Goal.objects.filter(goal_area__plan_id=plan_id)
        .select_related("goal_area")
        .prefetch_related(
            Prefetch(
                "quantitative_criteria",
                QuantitativeCriterion.objects.select_related("series", "series__area"),
            ),
            "qualitative_criteria",
        )
        .order_by("goal_area__number", "number")
    )


def _series_values(series_ids: set[int]) -> dict[tuple[int, str], dict[int, Decimal]]:
    values: dict[tuple[int, str], dict[int, Decimal]] = defaultdict(dict)
    rows = SeriesValue.objects.filter(series_id__in=series_ids).values_list(
        "series_id", "sex", "year", "value"
    )
    for series_id, sex, year, value in rows:
        values[(series_id, sex)][year] = value
    return values


def round_fulfilment(round: FollowUpRound) -> list[GoalResult]:
    """Every goal of the round's plan with its criteria judged in the round's year."""
    goals = list(plan_goals(round.plan_id))
    series_ids = {c.series_id for g in goals for c in g.quantitative_criteria.all()}
    values = _series_values(series_ids)
    assessments = {a.criterion_id: a for a in CriterionAssessment.objects.filter(round=round)}
    results = []
    for goal in goals:
        quantitative = [
            QuantitativeResult(
                criterion=c,
                by_sex={
                    sex: assess(
                        values.get((c.series_id, sex), {}),
                        target=cast(Decimal, target),
                        direction=cast("Literal['increase', 'decrease']", c.direction),
                        baseline_year=c.baseline_year,
                        target_year=c.target_year,
                        year=round.year,
                    )
                    for sex, target in c.targets().items()
                },
            )
            for c in goal.quantitative_criteria.all()
        ]
        qualitative = [
            QualitativeResult(criterion=c, assessment=assessments.get(c.pk))
            for c in goal.qualitative_criteria.all()
        ]
        results.append(GoalResult(goal, quantitative, qualitative))
    return results


def fulfilment_counts(results: list[GoalResult]) -> dict[str, dict[str, int]]:
    """How many quantitative targets (one per criterion and sex) and qualitative criteria are
    in each state: the figures the report's fulfilment summary and the JSON summary share."""
    quantitative = dict.fromkeys(FULFILMENT_KEYS, 0)
    qualitative = dict.fromkeys(ASSESSMENT_KEYS, 0)
    for result in results:
        for q in result.quantitative:
            for fulfilment in q.by_sex.values():
                quantitative[fulfilment.status] += 1
        for r in result.qualitative:
            qualitative[r.code] += 1
    return {"quantitative": quantitative, "qualitative": qualitative}


def goals_for_area(results: list[GoalResult], area: Area | None) -> list[GoalResult]:
    """Keep the quantitative criteria measured in ``area`` or in the whole municipality."""
    if area is None:
        return results
    return [
        GoalResult(
            r.goal,
            [q for q in r.quantitative if q.criterion.series.area_id in (None, area.pk)],
            r.qualitative,
        )
        for r in results
    ]


def round_report_summary(
    round: FollowUpRound,
    measures_qs: QuerySet[Measure],
    *,
    area: Area | None = None,
    unit: Organisation | None = None,
) -> dict[str, Any]:
    """The counts the follow-up report shows: the round's status counts and, unless the report
    is for one responsible unit (goals belong to the whole plan), its goal fulfilment."""
    summary: dict[str, Any] = dict(round_summary(round, measures_qs))
    summary["goal_fulfilment"] = None
    if unit is None:
        goals = goals_for_area(round_fulfilment(round), area)
        summary["goal_fulfilment"] = fulfilment_counts(goals)
    return summary
