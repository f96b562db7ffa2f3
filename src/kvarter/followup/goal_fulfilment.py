"""Goal fulfilment in a round: every goal of the plan with its criteria and where they stand.

Quantitative criteria are judged by :func:`kvarter.plans.fulfilment.assess` on the values of
their catalogue indicator at their place up to the round's year: an area's values (level
'area') for a criterion set in an area, the municipality's (its region code) for one set for
the whole municipality; yearly periods only ('2024', not '2024H1'); everyone, women and men
apart where the plan sets targets. A suppressed or missing figure has no number and counts as
no value — never as 0 — so a target without a baseline or a later value is judged "no data".
Qualitative criteria carry the round's assessment (or none yet). A fixed number of queries
whatever the size of the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.db.models import Prefetch, Q

from kvarter.followup.models import CriterionAssessment, FollowUpRound
from kvarter.followup.selectors import round_summary
from kvarter.indicators.models import IndicatorValue
from kvarter.plans.fulfilment import Fulfilment, assess
from kvarter.plans.models import Goal, QualitativeCriterion, QuantitativeCriterion

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
        .select_related("goal_area__plan__municipality")
        .prefetch_related(
            Prefetch(
                "quantitative_criteria",
                QuantitativeCriterion.objects.select_related("indicator", "area"),
            ),
            "qualitative_criteria",
        )
        .order_by("goal_area__number", "number")
    )


# (indicator id, area id or None for the whole municipality, sex) → year → value
ValueKey = tuple[int, int | None, str]


def place_values(
    criteria: Iterable[QuantitativeCriterion], municipality_code: str
) -> dict[ValueKey, dict[int, Decimal]]:
    """The yearly values the criteria read, in one query: each indicator at each place."""
    wanted: dict[int, set[int | None]] = defaultdict(set)
    for c in criteria:
        wanted[c.indicator_id].add(c.area_id)
    if not wanted:
        return {}
    place = Q()
    for indicator_id, area_ids in wanted.items():
        areas = {a for a in area_ids if a is not None}
        if areas:
            place |= Q(indicator_id=indicator_id, level="area", area_id__in=areas)
        if None in area_ids:
            place |= Q(indicator_id=indicator_id, area__isnull=True, region_code=municipality_code)
    rows = (
        IndicatorValue.objects.filter(place)
        .filter(value__isnull=False, status__in=("ok", "preliminary"))
        .values_list("indicator_id", "area_id", "sex", "period", "year", "value")
    )
    values: dict[ValueKey, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, area_id, sex, period, year, value in rows:
        if period != str(year):  # a half-year, quarter or month: not a yearly figure
            continue
        # repr() of a float is the shortest text that reads back the same: 63.5, not 63.4999…
        values[(indicator_id, area_id, sex)][year] = Decimal(repr(value))
    return values


def round_fulfilment(round: FollowUpRound) -> list[GoalResult]:
    """Every goal of the round's plan with its criteria judged in the round's year."""
    goals = list(plan_goals(round.plan_id))
    criteria = [c for g in goals for c in g.quantitative_criteria.all()]
    values = place_values(criteria, round.plan.municipality.code)
    assessments = {a.criterion_id: a for a in CriterionAssessment.objects.filter(round=round)}
    results = []
    for goal in goals:
        quantitative = [
            QuantitativeResult(
                criterion=c,
                by_sex={
                    sex: assess(
                        values.get((c.indicator_id, c.area_id, sex), {}),
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


def place_name(criterion: QuantitativeCriterion) -> str:
    """Where the criterion is measured: its area, or the plan's municipality."""
    if criterion.area is not None:
        return criterion.area.name
    return criterion.goal.goal_area.plan.municipality.name


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def fulfilment_targets(results: list[GoalResult]) -> list[dict[str, Any]]:
    """One row per target (criterion × sex), as the JSON summary gives them: the indicator's
    catalogue code and name, the place, baseline, target, latest value and the verdict."""
    rows = []
    for result in results:
        for q in result.quantitative:
            c = q.criterion
            for sex, f in q.by_sex.items():
                rows.append(
                    {
                        "goal": result.goal.code,
                        "criterion": c.position,
                        "indicator": c.indicator.code,
                        "indicator_name": c.indicator.name_sv,
                        "unit": c.indicator.unit,
                        "area": c.area_id,
                        "place": place_name(c),
                        "sex": sex,
                        "baseline_year": c.baseline_year,
                        "baseline": _number(f.baseline),
                        "target_year": c.target_year,
                        "target": _number(f.target),
                        "latest_year": f.latest_year,
                        "latest": _number(f.latest),
                        "status": f.status,
                    }
                )
    return rows


def goals_for_area(results: list[GoalResult], area: Area | None) -> list[GoalResult]:
    """Keep the quantitative criteria measured in ``area`` or in the whole municipality."""
    if area is None:
        return results
    return [
        GoalResult(
            r.goal,
            [q for q in r.quantitative if q.criterion.area_id in (None, area.pk)],
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
        summary["goal_fulfilment"] = {
            **fulfilment_counts(goals),
            "targets": fulfilment_targets(goals),
        }
    return summary
