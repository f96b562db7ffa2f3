"""Roll-over: from a closed follow-up round, create the next plan.

Kept and developed measures carry over (linked to their predecessor; renumbered on request),
merged ones point to the measure they were merged into, dropped ones stay behind. Goal areas,
goals and their criteria are copied with links to their predecessors, and each carried
measure's goals are mapped to the copies. What will happen is worked out first by the pure
:func:`~kvarter.followup.rollover_planning.plan_roll_over_outline`, which the preview shares.

A plan is rolled over once: a second roll-over of the same plan (from the same round or
another) is refused with ``already_rolled_over``; the draft it made is where to make changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from kvarter.accounts.permissions import resolver_for
from kvarter.core.errors import PermissionDenied
from kvarter.core.services import model_create
from kvarter.followup.models import FollowUpRound, RoundState, StatusReport
from kvarter.followup.rollover_planning import (
    RENUMBER_CHOICES,
    RENUMBER_KEEP,
    MeasureFacts,
    Outline,
    next_period,
    next_plan_name,
    plan_roll_over_outline,
)
from kvarter.plans.goal_services import (
    goal_create,
    qualitative_criterion_create,
    quantitative_criterion_create,
)
from kvarter.plans.models import (
    Goal,
    GoalArea,
    Measure,
    Plan,
    PlanStatus,
    QualitativeCriterion,
    QuantitativeCriterion,
)
from kvarter.plans.services import measure_create

# Not copied from the old row: the row's identity, its bookkeeping, and what is remapped.
_NEVER_COPIED = {"id", "created_at", "updated_at", "version", "predecessor"}


def _error(field: str | None, code: str, message: str) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def rollover_outline(
    round: FollowUpRound, *, renumber: str = RENUMBER_KEEP, carry_undecided: bool = False
) -> Outline:
    """What rolling ``round`` over would do (two queries, no writes)."""
    if renumber not in RENUMBER_CHOICES:
        raise _error(
            "renumber",
            "invalid_renumber",
            "Välj 'keep' eller 'consecutive'. / Choose 'keep' or 'consecutive'.",
        )
    reports = {
        r["measure_id"]: r
        for r in StatusReport.objects.filter(round=round).values(
            "measure_id", "disposition", "merged_into_id"
        )
    }
    facts = []
    for measure in Measure.objects.filter(plan_id=round.plan_id).values(
        "id", "number", "number_major", "number_minor", "title"
    ):
        report: Mapping[str, Any] = reports.get(measure["id"], {})
        facts.append(
            MeasureFacts(
                id=measure["id"],
                number=measure["number"],
                major=measure["number_major"],
                minor=measure["number_minor"],
                title=measure["title"],
                disposition=report.get("disposition") or "",
                merged_into_id=report.get("merged_into_id"),
            )
        )
    return plan_roll_over_outline(facts, renumber=renumber, carry_undecided=carry_undecided)


@dataclass(frozen=True)
class RollOverDefaults:
    name: str
    start_year: int
    end_year: int


def roll_over_defaults(round: FollowUpRound) -> RollOverDefaults:
    """The preview's starting values: the next period, and the name with its years changed."""
    plan = round.plan
    start, end = next_period(plan.start_year, plan.end_year, round.year)
    name = next_plan_name(plan.name, (plan.start_year, plan.end_year), (start, end))
    max_length = Plan._meta.get_field("name").max_length or 200
    return RollOverDefaults(name=name[:max_length], start_year=start, end_year=end)


def successor_of(plan: Plan) -> Plan | None:
    """The plan rolled over from ``plan``, if any."""
    return Plan.objects.filter(predecessor=plan).order_by("pk").first()


def _validate(
    round: FollowUpRound, plan: Plan, *, name: str, start_year: Any, end_year: Any
) -> None:
    if round.state != RoundState.CLOSED:
        raise _error(
            None,
            "round_open",
            "Uppföljningen måste vara stängd innan planen förs över till nästa år. / The "
            "follow-up round must be closed before the plan is rolled over.",
        )
    if Plan.objects.filter(predecessor=plan).exists():
        raise _error(
            None,
            "already_rolled_over",
            "Planen har redan förts över till en ny plan; ändra i den i stället. / The plan "
            "has already been rolled over; make changes in the new plan instead.",
        )
    for field, value in (("start_year", start_year), ("end_year", end_year)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise _error(field, "invalid", "Ange ett årtal. / Give a year.")
    if end_year < start_year:
        raise _error(
            "end_year",
            "period_reversed",
            "Sista året kan inte komma före det första. / The last year cannot come before "
            "the first year.",
        )
    if start_year <= round.year:
        raise _error(
            "start_year",
            "period_too_early",
            f"Den nya planen måste börja efter uppföljningsåret {round.year}. / The new plan "
            f"must start after the follow-up year {round.year}.",
        )
    if not name:
        raise _error("name", "required", "Ge den nya planen ett namn. / Name the new plan.")
    # Compared in Python: SQLite's LIKE and lower() fold ASCII letters only, not Å, Ä, Ö.
    names = Plan.objects.filter(municipality_id=plan.municipality_id).values_list("name", flat=True)
    if any(other.casefold() == name.casefold() for other in names):
        raise _error(
            "name",
            "plan_name_taken",
            "Kommunen har redan en plan med det namnet. / The municipality already has a "
            "plan with that name.",
        )


def plan_roll_over_check(
    *,
    actor: Any,
    round: FollowUpRound,
    name: str,
    start_year: int,
    end_year: int | None = None,
    renumber: str = RENUMBER_KEEP,
    carry_undecided: bool = False,
) -> Outline:
    """Everything :func:`plan_roll_over` checks, without writing: the dry run's answer."""
    plan = round.plan
    if not resolver_for(actor).can_change_plans_of(plan.municipality_id):
        raise PermissionDenied()
    name = (name or "").strip()
    if end_year is None and isinstance(start_year, int) and not isinstance(start_year, bool):
        end_year = start_year + (plan.end_year - plan.start_year)
    _validate(round, plan, name=name, start_year=start_year, end_year=end_year)
    return rollover_outline(round, renumber=renumber, carry_undecided=carry_undecided)


@transaction.atomic
def plan_roll_over(
    *,
    actor: Any,
    round: FollowUpRound,
    name: str,
    start_year: int,
    end_year: int | None = None,
    renumber: str = RENUMBER_KEEP,
    carry_undecided: bool = False,
) -> tuple[Plan, Outline]:
    """Create the next plan from the closed ``round``; return it and the outline it followed.

    ``end_year`` defaults to a period as long as the old plan's. The new plan is a draft whose
    predecessor is the round's plan. Every row is written through the audited write path, in
    one transaction: on any error nothing is written.
    """
    # Lock the old plan: of two roll-overs at the same time, the second sees the first's plan.
    old_plan = Plan.objects.select_for_update().get(pk=round.plan_id)
    locked_round = FollowUpRound.objects.select_related("plan").get(pk=round.pk)
    outline = plan_roll_over_check(
        actor=actor,
        round=locked_round,
        name=name,
        start_year=start_year,
        end_year=end_year,
        renumber=renumber,
        carry_undecided=carry_undecided,
    )
    if end_year is None:
        end_year = start_year + (old_plan.end_year - old_plan.start_year)
    new_plan = model_create(
        model=Plan,
        data={
            "municipality_id": old_plan.municipality_id,
            "name": name.strip(),
            "start_year": start_year,
            "end_year": end_year,
            "status": PlanStatus.DRAFT,
            "decision_reference": "",
            "predecessor": old_plan,
        },
        actor=actor,
    )
    goal_areas, goals = _copy_goal_hierarchy(actor, old_plan, new_plan)
    _copy_measures(actor, old_plan, new_plan, outline, goal_areas, goals)
    return new_plan, outline


def _copy_of(instance: models.Model, **overrides: Any) -> dict[str, Any]:
    """The row's own editable values by field name, with ``overrides`` applied.

    Generic on purpose: a field added to the model later is copied without a change here.
    Foreign keys are read as objects, so the caller selects them with the rows.
    """
    data = {
        f.name: getattr(instance, f.name)
        for f in instance._meta.concrete_fields
        if f.name not in _NEVER_COPIED and f.editable and not f.primary_key
    }
    return {**data, **overrides}


def _copy_goal_hierarchy(
    actor: Any, old_plan: Plan, new_plan: Plan
) -> tuple[dict[int, GoalArea], dict[int, Goal]]:
    goal_areas: dict[int, GoalArea] = {}
    for old in GoalArea.objects.filter(plan=old_plan).select_related("vision").order_by("number"):
        goal_areas[old.pk] = model_create(
            model=GoalArea, data=_copy_of(old, plan=new_plan), actor=actor
        )
    goals: dict[int, Goal] = {}
    old_goals = Goal.objects.filter(goal_area__plan=old_plan)
    for goal in old_goals.order_by("goal_area__number", "number"):
        goal_area = goal_areas[goal.goal_area_id]
        goals[goal.pk] = goal_create(
            actor=actor,
            goal_area=goal_area,
            data=_copy_of(goal, goal_area=goal_area, predecessor=goal),
        )
    quantitative = QuantitativeCriterion.objects.filter(goal__in=list(goals))
    quantitative = quantitative.select_related("indicator", "area")
    for measured in quantitative.order_by("goal_id", "position"):
        quantitative_criterion_create(
            actor=actor,
            goal=goals[measured.goal_id],
            data=_copy_of(measured, predecessor=measured),
        )
    qualitative = QualitativeCriterion.objects.filter(goal__in=list(goals))
    for written in qualitative.order_by("goal_id", "letter"):
        qualitative_criterion_create(
            actor=actor,
            goal=goals[written.goal_id],
            data=_copy_of(written, predecessor=written),
        )
    return goal_areas, goals


def _copy_measures(
    actor: Any,
    old_plan: Plan,
    new_plan: Plan,
    outline: Outline,
    goal_areas: dict[int, GoalArea],
    goals: dict[int, Goal],
) -> None:
    new_numbers = {s.measure_id: s.new_number for s in outline.carried}
    old_measures = (
        Measure.objects.filter(plan=old_plan, pk__in=list(new_numbers))
        .prefetch_related("areas", "responsible_units", "goals")
        .order_by("number_major", "number_minor")
    )
    for old in old_measures:
        data = _copy_of(
            old,
            plan=new_plan,
            goal_area=goal_areas[old.goal_area_id],
            number=new_numbers[old.pk],
            predecessor=old,
            areas=list(old.areas.all()),
            responsible_units=list(old.responsible_units.all()),
            goals=[goals[g.pk] for g in old.goals.all() if g.pk in goals],
        )
        measure_create(actor=actor, plan=new_plan, data=data)
