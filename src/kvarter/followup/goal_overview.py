"""A plan's goals judged in a follow-up round: the goals page and a round's fulfilment page.

The goals page shows every goal of a plan with its criteria judged in the plan's latest
follow-up round (see :func:`kvarter.followup.goal_fulfilment.round_fulfilment`), each
qualitative criterion's latest assessment and the measures (that the user may read) serving
each goal. Judging needs rounds, so this lives in followup; the goal hierarchy itself is plans'.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from kvarter.core.forms import format_number
from kvarter.core.models import Sex
from kvarter.followup.goal_fulfilment import (
    GoalResult,
    QualitativeResult,
    QuantitativeResult,
    plan_goals,
    round_fulfilment,
)
from kvarter.followup.models import CriterionAssessment, FollowUpRound
from kvarter.plans.fulfilment import Fulfilment
from kvarter.plans.models import (
    Goal,
    GoalArea,
    Measure,
    Plan,
    QuantitativeCriterion,
)
from kvarter.plans.selectors import visible_measures


@dataclass(frozen=True)
class TargetLine:
    """One target of a quantitative criterion (everyone, women or men) and where it stands."""

    sex: str
    target: Decimal
    fulfilment: Fulfilment | None  # None: no follow-up round to judge in

    @property
    def label(self) -> str:
        return str(Sex(self.sex).label)

    @property
    def target_text(self) -> str:
        return format_number(self.target)

    @property
    def baseline_text(self) -> str:
        return format_number(self.fulfilment.baseline if self.fulfilment else None)

    @property
    def latest_text(self) -> str:
        return format_number(self.fulfilment.latest if self.fulfilment else None)

    @property
    def expected_text(self) -> str:
        expected = self.fulfilment.expected if self.fulfilment else None
        return format_number(expected.quantize(Decimal("0.1")) if expected is not None else None)


@dataclass(frozen=True)
class CriterionLines:
    criterion: QuantitativeCriterion
    lines: list[TargetLine]


@dataclass
class GoalRow:
    result: GoalResult
    measures: list[Measure] = field(default_factory=list)

    @property
    def goal(self) -> Goal:
        return self.result.goal

    @property
    def quantitative(self) -> list[CriterionLines]:
        return [
            CriterionLines(
                q.criterion,
                [
                    TargetLine(sex, cast(Decimal, target), q.by_sex.get(sex))
                    for sex, target in q.criterion.targets().items()
                ],
            )
            for q in self.result.quantitative
        ]

    @property
    def qualitative(self) -> list[QualitativeResult]:
        return self.result.qualitative


@dataclass
class GoalAreaBlock:
    goal_area: GoalArea
    goals: list[GoalRow] = field(default_factory=list)


@dataclass
class GoalsOverview:
    plan: Plan
    round: FollowUpRound | None
    areas: list[GoalAreaBlock]


def latest_round(plan: Plan) -> FollowUpRound | None:
    """The plan's latest follow-up round: the highest year, then the last opened."""
    return plan.rounds.order_by("-year", "-pk").first()


def _latest_assessments(plan: Plan) -> dict[int, CriterionAssessment]:
    """Criterion id → its assessment in the latest round that assessed it."""
    assessments = (
        CriterionAssessment.objects.filter(round__plan=plan)
        .select_related("round__plan")
        .order_by("round__year", "round_id")
    )
    return {a.criterion_id: a for a in assessments}


def _goal_measures(user: Any, plan: Plan) -> dict[int, list[Measure]]:
    through = Measure.goals.through
    visible = {m.pk: m for m in visible_measures(user, plan)}
    links = through.objects.filter(measure_id__in=visible).values_list("goal_id", "measure_id")
    by_goal: dict[int, list[Measure]] = defaultdict(list)
    for goal_id, measure_id in links:
        by_goal[goal_id].append(visible[measure_id])
    for measures in by_goal.values():
        measures.sort(key=lambda m: (m.number_major, m.number_minor))
    return by_goal


def plan_goals_overview(user: Any, plan: Plan) -> GoalsOverview:
    """The plan's goal areas with their visions and goals, judged in the latest round."""
    round_ = latest_round(plan)
    if round_ is not None:
        results = round_fulfilment(round_)
    else:
        results = [
            GoalResult(
                goal,
                quantitative=[QuantitativeResult(c, {}) for c in goal.quantitative_criteria.all()],
                qualitative=[QualitativeResult(c, None) for c in goal.qualitative_criteria.all()],
            )
            for goal in plan_goals(plan.pk)
        ]
    latest = _latest_assessments(plan)
    measures = _goal_measures(user, plan)
    blocks = {
        ga.pk: GoalAreaBlock(ga)
        for ga in plan.goal_areas.select_related("vision").order_by("number")
    }
    for result in results:
        # The goals page shows each criterion's latest assessment in any round of the plan.
        qualitative = [
            QualitativeResult(q.criterion, latest.get(q.criterion.pk)) for q in result.qualitative
        ]
        goal = result.goal
        row = GoalRow(GoalResult(goal, result.quantitative, qualitative), measures.get(goal.pk, []))
        blocks[goal.goal_area_id].goals.append(row)
    return GoalsOverview(plan, round_, list(blocks.values()))


def round_goal_rows(round_: FollowUpRound) -> list[GoalRow]:
    """The round's goals with their criteria judged in the round (no measures)."""
    return [GoalRow(result) for result in round_fulfilment(round_)]
