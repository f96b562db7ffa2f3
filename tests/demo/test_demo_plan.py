"""The demo's action plan: shape, follow-up rounds, repeatability and no personal data."""

from __future__ import annotations

from collections import Counter

import pytest

from kvarter.core import personal_data
from kvarter.core.models import AuditEntry
from kvarter.demo import exempelstad
from kvarter.demo.exempelstad_plan import PLAN_NAME, build_plan
from kvarter.followup.models import FollowUpRound, RoundState, Status, StatusReport
from kvarter.plans.models import Goal, Measure, Plan, PlanStatus


@pytest.fixture
def plan(demo_with_plan) -> Plan:
    return Plan.objects.get(municipality=demo_with_plan, name=PLAN_NAME)


def _reported_ids(round: FollowUpRound) -> set[int]:
    return set(round.reports.exclude(status="").values_list("measure_id", flat=True))


def test_plan__built_with_demo__adopted_with_five_goal_areas(plan):
    assert plan.status == PlanStatus.ADOPTED
    assert (plan.start_year, plan.end_year, plan.decision_reference) == (2024, 2026, "KS 2023-412")
    assert list(plan.goal_areas.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def test_plan__measures__numbered_per_goal_area_with_units(plan):
    measures = list(plan.measures.select_related("goal_area").prefetch_related("areas"))
    assert 40 <= len(measures) <= 60
    assert all(m.number.startswith(f"{m.goal_area.number}.") for m in measures)
    assert all(m.responsible_units.exists() for m in measures)
    assert any(not m.areas.all() for m in measures)  # the whole municipality
    assert all(len(m.areas.all()) <= 3 for m in measures)
    assert any(m.amount for m in measures)


def test_plan__rounds__two_closed_every_measure_reported_one_open(plan):
    rounds = {r.year: r for r in plan.rounds.all()}
    assert sorted(rounds) == [2024, 2025, 2026]
    measure_ids = set(plan.measures.values_list("pk", flat=True))
    for year in (2024, 2025):
        assert rounds[year].state == RoundState.CLOSED
        assert _reported_ids(rounds[year]) == measure_ids
    assert rounds[2026].state == RoundState.OPEN
    assert str(rounds[2026].deadline) == "2026-12-15"
    reported = len(_reported_ids(rounds[2026]))
    assert 0.3 * len(measure_ids) <= reported <= 0.7 * len(measure_ids)


def test_plan__closed_rounds__a_plausible_mix(plan):
    for year in (2024, 2025):
        statuses = Counter(
            StatusReport.objects.filter(round__plan=plan, round__year=year).values_list(
                "status", flat=True
            )
        )
        assert all(statuses[s] > 0 for s in Status.values), (year, statuses)
    done = {
        year: StatusReport.objects.filter(
            round__plan=plan, round__year=year, status=Status.DONE
        ).count()
        for year in (2024, 2025)
    }
    assert done[2025] > done[2024]
    dispositions = set(
        StatusReport.objects.filter(round__plan=plan, round__year=2025).values_list(
            "disposition", flat=True
        )
    )
    assert dispositions == {"kept", "developed", "merged", "dropped"}
    for report in StatusReport.objects.filter(round__plan=plan, disposition="merged"):
        assert report.merged_into is not None
        assert report.merged_into.plan_id == plan.pk
        assert report.merged_into_id != report.measure_id


def test_plan__social_services__responsible_for_some_left_to_report(plan):
    sof = Measure.objects.filter(plan=plan, responsible_units__short_name="SOF")
    assert sof.count() >= 5
    open_round = plan.rounds.get(state=RoundState.OPEN)
    unreported = set(sof.values_list("pk", flat=True)) - _reported_ids(open_round)
    assert len(unreported) >= sof.count() // 2


def test_plan__texts__no_personal_data(plan):
    texts = [plan.name, plan.decision_reference]
    texts += list(plan.goal_areas.values_list("name", flat=True))
    for m in plan.measures.all():
        texts += [m.title, m.description, m.responsible_text, m.partners, m.financing]
    texts += list(StatusReport.objects.filter(round__plan=plan).values_list("comment", flat=True))
    flagged = [t for t in texts if personal_data.scan(t)]
    assert flagged == []


def test_build__twice__counts_and_audit_unchanged(demo_with_plan):
    def counts() -> tuple[int, ...]:
        return (
            Plan.objects.count(),
            Measure.objects.count(),
            FollowUpRound.objects.count(),
            StatusReport.objects.count(),
            AuditEntry.objects.count(),
        )

    before = counts()
    exempelstad.build()
    assert build_plan(demo_with_plan).name == PLAN_NAME
    assert counts() == before


def test_build__repeatable__same_statuses(demo_with_plan):
    plan = Plan.objects.get(name=PLAN_NAME)
    first = sorted(
        StatusReport.objects.filter(round__plan=plan).values_list(
            "round__year", "measure__number", "status", "disposition"
        )
    )
    Measure.objects.filter(plan=plan).delete()  # goal areas protect their measures
    Goal.objects.filter(goal_area__plan=plan).delete()  # … and their goals
    plan.delete()
    build_plan(demo_with_plan)
    again = sorted(
        StatusReport.objects.filter(round__plan__name=PLAN_NAME).values_list(
            "round__year", "measure__number", "status", "disposition"
        )
    )
    assert again == first
