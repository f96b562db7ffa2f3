"""measure_lineage: ancestors, successors (a tree when split), merges, visibility, queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import UserFactory
from tests.followup.rollover_support import build_plan, decide

from kvarter.accounts.roles import Role
from kvarter.core.actors import SYSTEM
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.followup.lineage import measure_lineage, plan_origin
from kvarter.followup.rollover import plan_roll_over
from kvarter.followup.services import round_open
from kvarter.plans.models import Measure, Plan
from kvarter.plans.selectors import access_measure_by_id
from kvarter.plans.services import measure_create, measure_update

pytestmark = pytest.mark.django_db

FIRST_YEAR = {"1.1": "kept", "1.2": "kept", "1.3": ("merged", "1.1"), "2.2": "developed"}


def _roll_on(plan: Plan, year: int, decisions: dict) -> Plan:
    """Open and close ``year``'s round of ``plan`` with ``decisions``; roll it over."""
    round_ = round_open(actor=SYSTEM, plan=plan, year=year)
    measures = {m.number: m for m in plan.measures.all()}
    decide(round_, measures, {k: v for k, v in decisions.items() if k in measures})
    new_plan, _ = plan_roll_over(
        actor=SYSTEM, round=round_, name=f"Handlingsplan {year + 1}", start_year=year + 1
    )
    return new_plan


def _chain(years: int):
    """A plan for 2025 and ``years - 1`` roll-overs of it: 1.1 runs through every plan."""
    s = build_plan()
    decide(s["round"], s["measures"], FIRST_YEAR)
    plans = [s["plan"]]
    plans.append(
        plan_roll_over(
            actor=SYSTEM, round=s["round"], name="Handlingsplan 2026", start_year=2026
        )[0]
    )
    for year in range(2026, 2025 + years - 1):
        plans.append(_roll_on(plans[-1], year, {"1.1": "kept", "1.2": "dropped"}))
    return s, plans


def _measure(plan: Plan, number: str) -> Measure:
    return Measure.objects.get(plan=plan, number=number)


def test_lineage__three_plans__ancestors_subject_and_rounds():
    s, plans = _chain(3)
    subject = _measure(plans[2], "1.1")
    lineage = measure_lineage(SYSTEM, subject)
    assert [n.plan_name for n in lineage.ancestors] == ["Handlingsplan 2025", "Handlingsplan 2026"]
    assert lineage.root.measure_id == s["measures"]["1.1"].pk
    assert lineage.subject.measure_id == subject.pk and lineage.subject.is_subject
    assert [n.measure_id for n in lineage.nodes] == [
        s["measures"]["1.1"].pk,
        _measure(plans[1], "1.1").pk,
        subject.pk,
    ]
    first = lineage.root
    assert [(r.year, r.status, r.disposition) for r in first.rounds] == [
        (2025, "in_progress", "kept")
    ]
    assert first.is_ancestor and first.period == "2025" and first.number == "1.1"
    assert [(r.year, r.disposition) for r in lineage.ancestors[1].rounds] == [(2026, "kept")]
    assert lineage.subject.rounds == []  # the newest plan has no round yet


def test_lineage__from_the_oldest__descendants_down_to_the_newest():
    s, plans = _chain(3)
    lineage = measure_lineage(SYSTEM, s["measures"]["1.1"])
    assert lineage.ancestors == []
    assert [n.plan_id for n in lineage.nodes] == [p.pk for p in plans]
    assert lineage.root.is_subject
    assert not any(n.is_ancestor for n in lineage.nodes)


def test_lineage__dropped_measure__ends_in_its_plan():
    _, plans = _chain(3)
    lineage = measure_lineage(SYSTEM, _measure(plans[1], "1.2"))
    assert [n.plan_id for n in lineage.nodes] == [plans[0].pk, plans[1].pk]
    assert lineage.subject.rounds[0].disposition == "dropped"


def test_lineage__merged_measures__listed_beside_the_target():
    s, plans = _chain(2)
    lineage = measure_lineage(SYSTEM, _measure(plans[1], "1.1"))
    merged = lineage.root.merged_in
    assert [(m.number, m.title, m.round_year) for m in merged] == [("1.3", "Åtgärd 1.3", 2025)]
    assert lineage.root.rounds[0].disposition == "kept"
    # The merged measure's own lineage ends where it was merged, and says so.
    own = measure_lineage(SYSTEM, s["measures"]["1.3"])
    assert own.nodes == [own.subject]
    assert own.subject.rounds[0].disposition == "merged"
    assert own.subject.rounds[0].merged_into_number == "1.1"


def test_lineage__split_measure__a_tree_with_two_successors():
    s, plans = _chain(2)
    new_plan = plans[1]
    first_copy = _measure(new_plan, "1.1")
    split = measure_create(
        actor=SYSTEM,
        plan=new_plan,
        data={
            "goal_area": first_copy.goal_area,
            "number": "1.9",
            "title": "Åtgärd 1.1, andra delen",
            "predecessor": s["measures"]["1.1"],
        },
    )
    lineage = measure_lineage(SYSTEM, split)
    assert [c.measure_id for c in lineage.root.successors] == [first_copy.pk, split.pk]
    assert lineage.subject.measure_id == split.pk
    assert [n.measure_id for n in lineage.ancestors] == [s["measures"]["1.1"].pk]


def _query_count(subject: Measure) -> int:
    with CaptureQueriesContext(connection) as captured:
        measure_lineage(SYSTEM, subject)
    return len(captured.captured_queries)


def test_lineage__queries__do_not_grow_with_the_chain(django_assert_max_num_queries):
    _, short = _chain(3)
    _, long = _chain(7)
    short_subject, long_subject = _measure(short[-1], "1.1"), _measure(long[-1], "1.1")
    assert len(measure_lineage(SYSTEM, long_subject).nodes) == 7
    assert _query_count(short_subject) == _query_count(long_subject)
    with django_assert_max_num_queries(10):
        measure_lineage(SYSTEM, long_subject)


def test_lineage__queries__bounded_for_an_area_coordinator(django_assert_max_num_queries):
    s, plans = _chain(5)
    user = UserFactory.create_with_role(
        Role.AREA_COORDINATOR, s["municipality"], areas=[s["north"]]
    )
    subject = _measure(plans[-1], "1.1")
    with django_assert_max_num_queries(12):
        lineage = measure_lineage(user, subject)
    assert len(lineage.nodes) == 5 and all(n.visible for n in lineage.nodes)


def test_lineage__area_coordinator__other_areas_hidden_in_the_chain():
    s, plans = _chain(3)
    middle = _measure(plans[1], "1.1")
    measure_update(actor=SYSTEM, measure=middle, data={"areas": [s["south"]]})
    user = UserFactory.create_with_role(
        Role.AREA_COORDINATOR, s["municipality"], areas=[s["north"]]
    )
    lineage = measure_lineage(user, s["measures"]["1.1"])
    nodes = lineage.nodes
    assert [n.visible for n in nodes] == [True, False, True]
    assert (nodes[1].number, nodes[1].title, nodes[1].rounds) == ("", "", [])
    with pytest.raises(NotFoundOrForbidden):
        access_measure_by_id(user, middle.pk)
    with pytest.raises(NotFoundOrForbidden):
        measure_lineage(user, middle)


def test_lineage__other_municipality__not_found():
    s, _ = _chain(2)
    other = build_plan()
    user = UserFactory.create_with_role(Role.STRATEGIST, other["municipality"])
    with pytest.raises(NotFoundOrForbidden):
        access_measure_by_id(user, s["measures"]["1.1"].pk)
    for garbage in ("x", None, "1.1", -1, 10**9):
        with pytest.raises(NotFoundOrForbidden):
            access_measure_by_id(user, garbage)


def test_plan_origin__merges_and_drops_of_the_round():
    s = build_plan()
    decide(
        s["round"],
        s["measures"],
        {**FIRST_YEAR, "1.4": "dropped", "2.3": ("merged", "2.2"), "2.1": ("merged", "2.3")},
    )
    new_plan, _ = plan_roll_over(
        actor=SYSTEM,
        round=s["round"],
        name="Handlingsplan 2026",
        start_year=2026,
        renumber="consecutive",
    )
    origin = plan_origin(new_plan)
    assert origin is not None and origin.predecessor == s["plan"] and origin.round == s["round"]
    notes = {n.step.old_number: (n.step.merged_into_number, n.now_number) for n in origin.merges}
    # 2.2 is the only measure of goal area 2 carried: it is 2.1 in the new plan.
    assert notes == {"1.3": ("1.1", "1.1"), "2.1": ("2.3", "2.1"), "2.3": ("2.2", "2.1")}
    assert [d.old_number for d in origin.dropped] == ["1.4"]
    assert plan_origin(s["plan"]) is None
