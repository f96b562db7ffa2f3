"""Goal fulfilment in a round and the assessment of qualitative criteria."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from tests.factories import AreaFactory, OrganisationFactory, UserFactory

from kvarter.accounts.roles import Role
from kvarter.core.actors import SYSTEM
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.core.models import Sex
from kvarter.demo.exempelstad_plan import PLAN_NAME
from kvarter.followup.goal_fulfilment import fulfilment_counts, round_fulfilment
from kvarter.followup.models import CriterionAssessment
from kvarter.followup.services import criterion_assess, round_close
from kvarter.plans import goal_services as gs
from kvarter.plans.models import Plan, QualitativeCriterion

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal_setting(plan_setup):
    goal_area = plan_setup["plan"].goal_areas.get()
    goal = gs.goal_create(
        acting_user=SYSTEM, goal_area=goal_area, data={"number": 1, "title": "Ökad trygghet"}
    )
    series = gs.series_create(
        acting_user=SYSTEM, municipality=plan_setup["municipality"], name="Trygga", unit="procent"
    )
    values = {("T", 2022): "50", ("T", 2025): "58", ("K", 2022): "40", ("K", 2025): "42"}
    for (sex, year), value in values.items():
        gs.series_value_set(
            acting_user=SYSTEM, series=series, year=year, value=Decimal(value), sex=Sex(sex)
        )
    gs.quantitative_criterion_create(
        acting_user=SYSTEM,
        goal=goal,
        data={
            "series": series,
            "direction": "increase",
            "baseline_year": 2022,
            "target_year": 2026,
            "target_value": Decimal("60"),
            "target_value_women": Decimal("55"),
        },
    )
    criterion = gs.qualitative_criterion_create(
        acting_user=SYSTEM, goal=goal, data={"text": "Trygghetsvandringar genomförs."}
    )
    return {**plan_setup, "goal": goal, "criterion": criterion}


def test_round_fulfilment__targets_by_sex__judged_apart(goal_setting):
    [result] = round_fulfilment(goal_setting["round"])  # the 2025 round
    [quantitative] = result.quantitative
    assert {sex: f.status for sex, f in quantitative.by_sex.items()} == {
        "T": "on_track",  # 58 is past the line at 57.5
        "K": "not_met",  # 42 is behind the line at 51.25
    }
    assert [q.code for q in result.qualitative] == ["not_assessed"]


def test_fulfilment_counts__one_per_target_and_criterion(goal_setting):
    counts = fulfilment_counts(round_fulfilment(goal_setting["round"]))
    assert counts == {
        "quantitative": {"met": 0, "on_track": 1, "not_met": 1, "no_data": 0},
        "qualitative": {"met": 0, "partly_met": 0, "not_met": 0, "not_assessed": 1},
    }


# role → may assess qualitative criteria (those who run the rounds)
ASSESS_MATRIX = [
    (Role.ADMINISTRATOR, True),
    (Role.STRATEGIST, True),
    (Role.AREA_COORDINATOR, False),
    (Role.UNIT_REPORTER, False),
    (Role.EST_MEMBER, False),
    (Role.READER, False),
]


@pytest.mark.parametrize(("role", "allowed"), ASSESS_MATRIX)
def test_criterion_assess__by_role__only_round_managers(goal_setting, role, allowed):
    municipality = goal_setting["municipality"]
    user = UserFactory.create_with_role(
        role,
        municipality,
        areas=[AreaFactory(municipality=municipality)],
        organisation=OrganisationFactory(municipality=municipality),
    )

    def assess():
        return criterion_assess(
            acting_user=user,
            round=goal_setting["round"],
            criterion=goal_setting["criterion"],
            assessment="partly_met",
            motivation="Två av tre områden.",
        )

    if allowed:
        assessment, changed = assess()
        assert changed and assessment.assessed_by == user
    else:
        with pytest.raises(PermissionDenied):
            assess()
        assert not CriterionAssessment.objects.exists()


def test_criterion_assess__second_save_from_stale_form__refused(goal_setting):
    args = {"acting_user": SYSTEM, "round": goal_setting["round"]}
    args["criterion"] = goal_setting["criterion"]
    criterion_assess(**args, assessment="met", expected_version=0)
    with pytest.raises(StaleVersion):
        criterion_assess(**args, assessment="not_met", expected_version=0)
    assert CriterionAssessment.objects.get().assessment == "met"


def test_criterion_assess__closed_round__refused(goal_setting):
    round_close(acting_user=SYSTEM, round=goal_setting["round"])
    with pytest.raises(ValidationError) as caught:
        criterion_assess(
            acting_user=SYSTEM,
            round=goal_setting["round"],
            criterion=goal_setting["criterion"],
            assessment="met",
        )
    assert caught.value.code == "round_closed"


def test_round_fulfilment__demo_plan__assessed_in_closed_rounds_bounded_queries(
    demo_with_plan, django_assert_max_num_queries
):
    plan = Plan.objects.get(name=PLAN_NAME)
    rounds = {r.year: r for r in plan.rounds.all()}
    with django_assert_max_num_queries(8):
        results = round_fulfilment(rounds[2025])
    assert len(results) == 9
    criteria = QualitativeCriterion.objects.filter(goal__goal_area__plan=plan).count()
    counts = fulfilment_counts(results)
    assert counts["qualitative"]["not_assessed"] == 0
    assert sum(counts["qualitative"].values()) == criteria
    statuses = {k for k, v in counts["quantitative"].items() if v}
    assert len(statuses) >= 2  # the demo shows more than one verdict
    open_counts = fulfilment_counts(round_fulfilment(rounds[2026]))
    assert open_counts["qualitative"]["not_assessed"] == criteria
