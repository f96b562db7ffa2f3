"""plan_roll_over: what carries over, links, numbering, goals, refusals, roles, audit."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from tests.factories import UserFactory
from tests.followup.rollover_support import add_goals, build_plan, decide

import kvarter.followup.rollover as rollover
from kvarter.accounts.roles import Role
from kvarter.core.actors import SYSTEM
from kvarter.core.doors import Door, entered_through
from kvarter.core.errors import PermissionDenied
from kvarter.core.models import AuditEntry
from kvarter.followup.models import FollowUpRound
from kvarter.followup.rollover import plan_roll_over, plan_roll_over_check, roll_over_defaults
from kvarter.followup.services import round_close, round_open
from kvarter.plans.models import Goal, GoalArea, Measure, Plan, PlanStatus

pytestmark = pytest.mark.django_db

DECISIONS = {
    "1.1": "kept",
    "1.2": "developed",
    "1.3": ("merged", "1.1"),
    "1.4": "dropped",
    # 1.5: no decision
    "2.1": "dropped",
    "2.2": "kept",
    "2.3": ("merged", "2.2"),
}


def _roll(s, *, name="Handlingsplan 2026", start=2026, **kwargs):
    return plan_roll_over(
        actor=SYSTEM, round=s["round"], name=name, start_year=start, **kwargs
    )


@pytest.fixture
def decided():
    s = build_plan()
    decide(s["round"], s["measures"], DECISIONS)
    return s


def _codes(error: ValidationError) -> dict[str | None, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}
    return {None: [e.code for e in error.error_list]}


def test_plan__roll_over__kept_and_developed_carried_with_every_field(decided):
    s = decided
    new_plan, outline = _roll(s)
    assert (new_plan.name, new_plan.start_year, new_plan.end_year) == (
        "Handlingsplan 2026",
        2026,
        2026,
    )
    assert new_plan.status == PlanStatus.DRAFT and new_plan.predecessor == s["plan"]
    assert new_plan.municipality == s["municipality"]
    new = {m.number: m for m in Measure.objects.filter(plan=new_plan)}
    assert sorted(new) == ["1.1", "1.2", "2.2"]
    for number, copy in new.items():
        old = s["measures"][number]
        assert copy.predecessor == old
        assert copy.goal_area.plan == new_plan and copy.goal_area.number == old.goal_area.number
        for field in (
            "title",
            "description",
            "responsible_text",
            "partners",
            "financing",
            "amount",
            "start_date",
            "end_date",
            "extra",
        ):
            assert getattr(copy, field) == getattr(old, field), field
        assert set(copy.areas.all()) == set(old.areas.all())
        assert set(copy.responsible_units.all()) == set(old.responsible_units.all())
    assert outline.counts["carried"] == 3
    # The old plan is untouched.
    assert Measure.objects.filter(plan=s["plan"]).count() == 8


def test_plan__roll_over__goal_areas_copied_even_without_measures(decided):
    s = decided
    decided_plan, _ = _roll(s)
    copies = GoalArea.objects.filter(plan=decided_plan).order_by("number")
    assert [(g.number, g.name) for g in copies] == [(1, "Trygghet"), (2, "Arbete")]


def test_plan__roll_over__undecided_left_out_or_carried_as_kept(decided):
    s = decided
    left_out, outline = _roll(s)
    assert not Measure.objects.filter(plan=left_out, predecessor=s["measures"]["1.5"]).exists()
    assert [step.old_number for step in outline.undecided] == ["1.5"]

    s2 = build_plan()
    decide(s2["round"], s2["measures"], DECISIONS)
    carried, outline2 = _roll(s2, carry_undecided=True)
    copy = Measure.objects.get(plan=carried, predecessor=s2["measures"]["1.5"])
    assert copy.number == "1.5" and outline2.counts["undecided_carried"] == 1


def test_plan__roll_over__consecutive_renumbers_within_goal_areas(decided):
    s = decided
    new_plan, _ = _roll(s, renumber="consecutive")
    numbers = dict(
        Measure.objects.filter(plan=new_plan).values_list("predecessor__number", "number")
    )
    assert numbers == {"1.1": "1.1", "1.2": "1.2", "2.2": "2.1"}


def test_plan__roll_over__keep_leaves_gaps(db):
    s2 = build_plan()
    decide(s2["round"], s2["measures"], {**DECISIONS, "1.1": "dropped", "1.3": "kept"})
    new_plan, _ = _roll(s2, renumber="keep")
    assert sorted(Measure.objects.filter(plan=new_plan).values_list("number", flat=True)) == [
        "1.2",
        "1.3",
        "2.2",
    ]


def test_plan__roll_over__merged_point_to_their_target_and_dropped_stay(decided):
    s = decided
    new_plan, outline = _roll(s)
    merged = {step.old_number: step for step in outline.merged}
    assert merged["1.3"].ends_in_new_number == "1.1" and merged["2.3"].ends_in_new_number == "2.2"
    predecessors = set(Measure.objects.filter(plan=new_plan).values_list("predecessor", flat=True))
    for number in ("1.3", "1.4", "2.1", "2.3"):
        assert s["measures"][number].pk not in predecessors


def test_plan__roll_over__goals_and_criteria_copied_and_measure_goals_mapped(decided):
    s = build_plan()
    goals = add_goals(s)
    decide(s["round"], s["measures"], DECISIONS)
    new_plan, _ = _roll(s)

    ga1 = GoalArea.objects.get(plan=new_plan, number=1)
    assert ga1.vision == goals["vision"]
    safety = Goal.objects.get(goal_area=ga1, number=1)
    work = Goal.objects.get(goal_area__plan=new_plan, goal_area__number=2, number=1)
    assert safety.predecessor == goals["safety"] and safety.title == "Ökad trygghet"
    assert work.predecessor == goals["work"]

    qualitative = safety.qualitative_criteria.get()
    assert qualitative.predecessor == goals["qualitative"]
    assert (qualitative.letter, qualitative.text) == ("a", "De boende känner sig tryggare.")
    quantitative = work.quantitative_criteria.get()
    assert quantitative.predecessor == goals["quantitative"]
    assert quantitative.indicator == goals["indicator"]
    assert quantitative.area == goals["quantitative"].area  # the place carries over too
    old_q = goals["quantitative"]
    for field in ("position", "direction", "baseline_year", "target_year", "target_value"):
        assert getattr(quantitative, field) == getattr(old_q, field), field
    assert quantitative.target_value_women == old_q.target_value_women
    assert quantitative.target_value_men is None

    new = {m.number: m for m in Measure.objects.filter(plan=new_plan)}
    assert list(new["1.1"].goals.all()) == [safety]
    assert list(new["1.2"].goals.all()) == [safety]
    assert list(new["2.2"].goals.all()) == []
    # The old plan's goals keep their measures.
    assert set(goals["safety"].measures.all()) == {s["measures"]["1.1"], s["measures"]["1.2"]}


def test_plan__roll_over__open_round__refused(db):
    s = build_plan()
    with pytest.raises(ValidationError) as caught:
        _roll(s)
    assert _codes(caught.value) == {None: ["round_open"]}
    assert Plan.objects.count() == 1


def test_plan__roll_over__twice__refused_already_rolled_over(decided):
    s = decided
    _roll(s)
    with pytest.raises(ValidationError) as caught:
        _roll(s, name="Handlingsplan 2026 b")
    assert _codes(caught.value) == {None: ["already_rolled_over"]}
    assert Plan.objects.filter(predecessor=s["plan"]).count() == 1


def test_plan__roll_over__another_closed_round_of_the_same_plan__refused(decided):
    s = decided
    _roll(s)
    dr1 = round_open(actor=SYSTEM, plan=s["plan"], year=2025, kind="dr1")
    round_close(actor=SYSTEM, round=dr1)
    with pytest.raises(ValidationError) as caught:
        plan_roll_over(actor=SYSTEM, round=dr1, name="Annan plan", start_year=2026)
    assert _codes(caught.value) == {None: ["already_rolled_over"]}


# the arguments, the field and the code of the refusal
BAD_INPUT = [
    ({"name": "handlingsplan 2025"}, "name", "plan_name_taken"),
    ({"name": "   "}, "name", "required"),
    ({"name": "x" * 201}, "name", "max_length"),
    ({"start": 2025}, "start_year", "period_too_early"),
    ({"start": 2024}, "start_year", "period_too_early"),
    ({"start": "2026"}, "start_year", "invalid"),
    ({"start": None}, "start_year", "invalid"),
    ({"start": True}, "start_year", "invalid"),
    ({"end_year": 2025}, "end_year", "period_reversed"),
    ({"end_year": "2027"}, "end_year", "invalid"),
    ({"renumber": "alphabetical"}, "renumber", "invalid_renumber"),
]


@pytest.mark.parametrize(("kwargs", "field", "code"), BAD_INPUT)
def test_plan__roll_over__bad_input__refused_with_field_and_code(decided, kwargs, field, code):
    with pytest.raises(ValidationError) as caught:
        _roll(decided, **kwargs)
    assert code in _codes(caught.value).get(field, []), _codes(caught.value)
    assert Plan.objects.count() == 1


def test_plan__roll_over__end_year_defaults_to_a_period_as_long_as_the_old(db):
    s = build_plan(name="Plan 2024–2026", start=2024, end=2026)
    decide(s["round"], s["measures"], DECISIONS)
    new_plan, _ = _roll(s, name="Plan 2027–2029", start=2027)
    assert (new_plan.start_year, new_plan.end_year) == (2027, 2029)


def test_plan__roll_over__failure_midway__nothing_written(decided, monkeypatch):
    s = decided
    calls = []
    real = rollover.measure_create

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ValidationError("boom", code="boom")
        return real(**kwargs)

    monkeypatch.setattr(rollover, "measure_create", failing)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        _roll(s)
    assert Plan.objects.count() == 1 and Measure.objects.count() == 8
    assert AuditEntry.objects.count() == before


def test_plan__roll_over__every_row_audited_with_door_and_actor(decided):
    s = decided
    user = UserFactory.create_with_role(Role.STRATEGIST, s["municipality"])
    with entered_through(Door.WEB):
        new_plan, _ = plan_roll_over(
            actor=user, round=s["round"], name="Handlingsplan 2026", start_year=2026
        )
    new_ids = {
        Plan: [new_plan.pk],
        GoalArea: list(GoalArea.objects.filter(plan=new_plan).values_list("pk", flat=True)),
        Measure: list(Measure.objects.filter(plan=new_plan).values_list("pk", flat=True)),
    }
    for model, ids in new_ids.items():
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(i) for i in ids],
            action="create",
        )
        assert entries.count() == len(ids), model
        assert {(e.actor_id, e.door) for e in entries} == {(user.pk, "web")}
    plan_entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Plan), object_id=str(new_plan.pk)
    )
    assert plan_entry.changes["predecessor"] == [None, s["plan"].pk]


def test_plan__roll_over_check__writes_nothing_and_predicts_the_outline(decided):
    s = decided
    before = AuditEntry.objects.count()
    outline = plan_roll_over_check(
        actor=SYSTEM, round=s["round"], name="Handlingsplan 2026", start_year=2026
    )
    assert outline.counts["carried"] == 3
    assert AuditEntry.objects.count() == before and Plan.objects.count() == 1


# demo user → may roll over (administrators and strategists change plans)
ROLE_MATRIX = [
    ("admin", True),
    ("strateg", True),
    ("samordnare", False),
    ("rapportor", False),
    ("est", False),
    ("lasare", False),
]


@pytest.mark.parametrize(("username", "allowed"), ROLE_MATRIX)
def test_plan__roll_over__per_demo_role(demo_with_plan, demo_users, username, allowed):
    round_2025 = FollowUpRound.objects.get(plan__municipality=demo_with_plan, year=2025)
    defaults = roll_over_defaults(round_2025)
    kwargs = {"name": defaults.name, "start_year": defaults.start_year}
    user = demo_users[username]
    if not allowed:
        with pytest.raises(PermissionDenied):
            plan_roll_over(actor=user, round=round_2025, **kwargs)
        with pytest.raises(PermissionDenied):
            plan_roll_over_check(actor=user, round=round_2025, **kwargs)
        assert not Plan.objects.filter(predecessor=round_2025.plan).exists()
        return
    new_plan, outline = plan_roll_over(actor=user, round=round_2025, **kwargs)
    assert new_plan.name == "Åtgärdsplan för områdesutveckling 2027–2029"
    assert (new_plan.start_year, new_plan.end_year) == (2027, 2029)
    assert new_plan.measures.count() == outline.counts["carried"] > 0
    assert new_plan.goal_areas.count() == round_2025.plan.goal_areas.count()
