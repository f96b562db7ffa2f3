"""Goal hierarchy services: who may write, validation codes, indicators and places, the audit
trail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from tests.factories import (
    AreaFactory,
    IndicatorFactory,
    MunicipalityFactory,
    OrganisationFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role
from kvarter.core.actors import SYSTEM
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.indicators.own_values_services import own_values_set
from kvarter.plans import goal_services as gs
from kvarter.plans.services import goal_area_ensure, measure_create, plan_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    municipality = MunicipalityFactory()
    plan = plan_create(actor=SYSTEM, municipality=municipality, name="Plan", start_year=2025)
    goal_area = goal_area_ensure(actor=SYSTEM, plan=plan, number=2, name="Arbete")
    goal = gs.goal_create(
        actor=SYSTEM, goal_area=goal_area, data={"number": 1, "title": "Fler i arbete"}
    )
    indicator = IndicatorFactory(code="forvarvsfrekvens-test", name_sv="Förvärvsfrekvens")
    own = IndicatorFactory(code="egen-test", name_sv="Egen", source_kind="own")
    return {
        "municipality": municipality,
        "plan": plan,
        "goal_area": goal_area,
        "goal": goal,
        "indicator": indicator,
        "own": own,
    }


def _criterion_data(setting, **overrides):
    return {
        "indicator": setting["indicator"],
        "direction": "increase",
        "baseline_year": 2022,
        "target_year": 2026,
        "target_value": Decimal("65"),
        **overrides,
    }


# role → may change the goal hierarchy (administrators and strategists only)
WRITE_MATRIX = [
    (Role.ADMINISTRATOR, True),
    (Role.STRATEGIST, True),
    (Role.AREA_COORDINATOR, False),
    (Role.UNIT_REPORTER, False),
    (Role.EST_MEMBER, False),
    (Role.READER, False),
]


@pytest.mark.parametrize(("role", "allowed"), WRITE_MATRIX)
def test_goal_hierarchy__write_by_role__only_plan_editors(setting, role, allowed):
    municipality = setting["municipality"]
    area = AreaFactory(municipality=municipality)
    user = UserFactory.create_with_role(
        role,
        municipality,
        areas=[area],
        organisation=OrganisationFactory(municipality=municipality),
    )
    writes = [
        lambda: gs.vision_create(actor=user, municipality=municipality, title="Vision"),
        lambda: gs.goal_create(
            actor=user, goal_area=setting["goal_area"], data={"number": 2, "title": "Mål"}
        ),
        lambda: gs.quantitative_criterion_create(
            actor=user, goal=setting["goal"], data=_criterion_data(setting)
        ),
        lambda: gs.qualitative_criterion_create(
            actor=user, goal=setting["goal"], data={"text": "Kontaktpunkt finns."}
        ),
        lambda: own_values_set(
            actor=user,
            indicator=setting["own"],
            municipality=municipality,
            values=[(2024, "T", Decimal("60"))],
        ),
    ]
    for write in writes:
        if allowed:
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()


def test_goal_hierarchy__administrator_of_other_municipality__refused(setting):
    other = MunicipalityFactory()
    user = UserFactory.create_with_role(Role.ADMINISTRATOR, other)
    with pytest.raises(PermissionDenied):
        gs.goal_create(
            actor=user, goal_area=setting["goal_area"], data={"number": 3, "title": "Mål"}
        )


def _codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        (
            {"target_value": None},
            "target_value",
            "target_missing",
        ),
        ({"target_year": 2020}, "target_year", "period_reversed"),
    ],
    ids=["no-target", "target-before-baseline"],
)
def test_quantitative_criterion__invalid__field_error_with_code(setting, overrides, field, code):
    with pytest.raises(ValidationError) as caught:
        gs.quantitative_criterion_create(
            actor=SYSTEM, goal=setting["goal"], data=_criterion_data(setting, **overrides)
        )
    assert code in _codes(caught.value)[field]


def test_quantitative_criterion__area_of_other_municipality__refused(setting):
    with pytest.raises(ValidationError) as caught:
        gs.quantitative_criterion_create(
            actor=SYSTEM,
            goal=setting["goal"],
            data=_criterion_data(setting, area=AreaFactory()),
        )
    assert _codes(caught.value)["area"] == ["area_other_municipality"]


def test_quantitative_criterion__area_of_own_municipality__measured_there(setting):
    area = AreaFactory(municipality=setting["municipality"])
    criterion = gs.quantitative_criterion_create(
        actor=SYSTEM, goal=setting["goal"], data=_criterion_data(setting, area=area)
    )
    assert (criterion.indicator, criterion.area) == (setting["indicator"], area)


@pytest.mark.parametrize(
    ("indicator_direction", "expected"),
    [("higher", "increase"), ("lower", "decrease")],
)
def test_quantitative_criterion__no_direction__takes_the_indicators(
    setting, indicator_direction, expected
):
    indicator = IndicatorFactory(direction=indicator_direction)
    data = _criterion_data(setting, indicator=indicator)
    del data["direction"]
    criterion = gs.quantitative_criterion_create(
        actor=SYSTEM, goal=setting["goal"], data=data
    )
    assert criterion.direction == expected


def test_quantitative_criterion__targets_for_women_and_men_only__accepted(setting):
    criterion = gs.quantitative_criterion_create(
        actor=SYSTEM,
        goal=setting["goal"],
        data=_criterion_data(
            setting,
            target_value=None,
            target_value_women=Decimal("62"),
            target_value_men=Decimal("68"),
        ),
    )
    assert criterion.targets() == {"K": Decimal("62"), "M": Decimal("68")}
    assert criterion.position == 1


def test_qualitative_criterion__created_without_letter__lettered_in_order(setting):
    letters = [
        gs.qualitative_criterion_create(
            actor=SYSTEM, goal=setting["goal"], data={"text": f"Kriterium {i}"}
        ).letter
        for i in range(3)
    ]
    assert letters == ["a", "b", "c"]


def test_goal__duplicate_number_in_goal_area__refused_with_code(setting):
    with pytest.raises(ValidationError) as caught:
        gs.goal_create(
            actor=SYSTEM,
            goal_area=setting["goal_area"],
            data={"number": 1, "title": "Dubbel"},
        )
    assert _codes(caught.value)["__all__"] == ["goal_number_taken"]


def test_goal__stale_version__refused(setting):
    goal = setting["goal"]
    gs.goal_update(actor=SYSTEM, goal=goal, data={"title": "Ny"}, expected_version=1)
    with pytest.raises(StaleVersion):
        gs.goal_update(actor=SYSTEM, goal=goal, data={"title": "Annan"}, expected_version=1)


def test_measure__goal_of_other_plan__refused(setting):
    other_plan = plan_create(
        actor=SYSTEM, municipality=setting["municipality"], name="Annan", start_year=2026
    )
    goal_area = goal_area_ensure(actor=SYSTEM, plan=other_plan, number=2, name="Arbete")
    with pytest.raises(ValidationError) as caught:
        measure_create(
            actor=SYSTEM,
            plan=other_plan,
            data={
                "number": "2.1",
                "goal_area": goal_area,
                "title": "Jobbspår",
                "goals": [setting["goal"]],
            },
        )
    assert _codes(caught.value)["goals"] == ["goal_other_plan"]


def test_quantitative_criterion__women_and_men_on_indicator_without__refused(setting):
    total_only = IndicatorFactory(by_sex=False)
    with pytest.raises(ValidationError) as caught:
        gs.quantitative_criterion_create(
            actor=SYSTEM,
            goal=setting["goal"],
            data=_criterion_data(setting, indicator=total_only, target_value_men=Decimal(3)),
        )
    assert _codes(caught.value) == {"target_value_men": ["indicator_not_by_sex"]}
