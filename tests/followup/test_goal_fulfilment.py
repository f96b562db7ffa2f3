"""Goal fulfilment in a round and the assessment of qualitative criteria."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from tests.factories import (
    AreaFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OrganisationFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role
from kvarter.core.actors import SYSTEM
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.demo.exempelstad_plan import PLAN_NAME
from kvarter.followup.goal_fulfilment import (
    fulfilment_counts,
    fulfilment_targets,
    goals_for_area,
    round_fulfilment,
)
from kvarter.followup.models import CriterionAssessment
from kvarter.followup.services import criterion_assess, round_close
from kvarter.plans import goal_services as gs
from kvarter.plans.models import Plan, QualitativeCriterion

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal_setting(plan_setup):
    goal_area = plan_setup["plan"].goal_areas.get()
    goal = gs.goal_create(
        actor=SYSTEM, goal_area=goal_area, data={"number": 1, "title": "Ökad trygghet"}
    )
    indicator = IndicatorFactory(code="trygga", name_sv="Trygga", source_kind="survey")
    code = plan_setup["municipality"].code
    values = {("T", 2022): 50, ("T", 2025): 58, ("K", 2022): 40, ("K", 2025): 42}
    for (sex, year), value in values.items():
        IndicatorValueFactory(
            indicator=indicator, region_code=code, period=str(year), sex=sex, value=value
        )
    quantitative = gs.quantitative_criterion_create(
        actor=SYSTEM,
        goal=goal,
        data={
            "indicator": indicator,
            "direction": "increase",
            "baseline_year": 2022,
            "target_year": 2026,
            "target_value": Decimal("60"),
            "target_value_women": Decimal("55"),
        },
    )
    criterion = gs.qualitative_criterion_create(
        actor=SYSTEM, goal=goal, data={"text": "Trygghetsvandringar genomförs."}
    )
    return {
        **plan_setup,
        "goal": goal,
        "criterion": criterion,
        "indicator": indicator,
        "quantitative": quantitative,
    }


def _statuses(round_) -> dict[str, str]:
    [result] = round_fulfilment(round_)
    [quantitative] = result.quantitative
    return {sex: f.status for sex, f in quantitative.by_sex.items()}


def test_round_fulfilment__targets_by_sex__judged_apart(goal_setting):
    [result] = round_fulfilment(goal_setting["round"])  # the 2025 round
    [quantitative] = result.quantitative
    assert {sex: f.status for sex, f in quantitative.by_sex.items()} == {
        "T": "on_track",  # 58 is past the line at 57.5
        "K": "not_met",  # 42 is behind the line at 51.25
    }
    assert [q.code for q in result.qualitative] == ["not_assessed"]


def test_round_fulfilment__area_criterion__reads_the_areas_values_not_the_municipalitys(
    goal_setting,
):
    area = AreaFactory(municipality=goal_setting["municipality"])
    indicator = goal_setting["indicator"]
    for year, value in ((2022, 30), (2025, 61)):
        IndicatorValueFactory(
            indicator=indicator, area=area, region_code="", period=str(year), value=value
        )
    gs.quantitative_criterion_update(
        actor=SYSTEM,
        criterion=goal_setting["quantitative"],
        data={"area": area, "target_value_women": None},
    )
    [result] = round_fulfilment(goal_setting["round"])
    [fulfilment] = result.quantitative[0].by_sex.values()
    assert (fulfilment.status, fulfilment.baseline, fulfilment.latest) == (
        "met",
        Decimal("30"),
        Decimal("61"),
    )
    # A report for another area leaves the criterion out; one for this area keeps it.
    other = AreaFactory(municipality=goal_setting["municipality"])
    assert goals_for_area([result], other)[0].quantitative == []
    assert len(goals_for_area([result], area)[0].quantitative) == 1


def test_round_fulfilment__other_places_and_half_years__not_read(goal_setting):
    indicator = goal_setting["indicator"]
    # Another municipality's figure, the nation's and a half-year: none is this criterion's.
    IndicatorValueFactory(indicator=indicator, region_code="9999", period="2025", value=99)
    IndicatorValueFactory(
        indicator=indicator, region_code="00", level="nation", period="2025", value=99
    )
    IndicatorValueFactory(
        indicator=indicator,
        region_code=goal_setting["municipality"].code,
        period="2025H2",
        value=99,
    )
    assert _statuses(goal_setting["round"]) == {"T": "on_track", "K": "not_met"}


def test_round_fulfilment__hidden_figures__no_data_never_zero(goal_setting):
    indicator, code = goal_setting["indicator"], goal_setting["municipality"].code
    # Women's baseline hidden: no baseline, so no line to judge by (not a baseline of 0).
    hidden = indicator.values.get(region_code=code, period="2022", sex="K")
    hidden.value, hidden.status = None, "suppressed"
    hidden.save()
    # Everyone's 2025 value is missing at the source: the latest known value is the baseline.
    latest = indicator.values.get(region_code=code, period="2025", sex="T")
    latest.value, latest.status = None, "missing"
    latest.save()
    assert _statuses(goal_setting["round"]) == {"T": "no_data", "K": "no_data"}
    [result] = round_fulfilment(goal_setting["round"])
    women = result.quantitative[0].by_sex["K"]
    assert (women.baseline, women.latest) == (None, Decimal("42"))


def test_fulfilment_targets__one_row_per_target_with_name_place_and_verdict(goal_setting):
    rows = fulfilment_targets(round_fulfilment(goal_setting["round"]))
    assert rows == [
        {
            "goal": "1.1",
            "criterion": 1,
            "indicator": "trygga",
            "indicator_name": "Trygga",
            "unit": "percent",
            "area": None,
            "place": goal_setting["municipality"].name,
            "sex": sex,
            "baseline_year": 2022,
            "baseline": baseline,
            "target_year": 2026,
            "target": target,
            "latest_year": 2025,
            "latest": latest,
            "status": status,
        }
        for sex, baseline, target, latest, status in (
            ("T", 50.0, 60.0, 58.0, "on_track"),
            ("K", 40.0, 55.0, 42.0, "not_met"),
        )
    ]


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
            actor=user,
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
    args = {"actor": SYSTEM, "round": goal_setting["round"]}
    args["criterion"] = goal_setting["criterion"]
    criterion_assess(**args, assessment="met", expected_version=0)
    with pytest.raises(StaleVersion):
        criterion_assess(**args, assessment="not_met", expected_version=0)
    assert CriterionAssessment.objects.get().assessment == "met"


def test_criterion_assess__closed_round__refused(goal_setting):
    round_close(actor=SYSTEM, round=goal_setting["round"])
    with pytest.raises(ValidationError) as caught:
        criterion_assess(
            actor=SYSTEM,
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
