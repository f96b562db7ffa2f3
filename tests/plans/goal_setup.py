"""A small goal hierarchy in the demo municipality, built through the services.

One plan with two goal areas; goal 1.1 has a quantitative criterion on a catalogue indicator
measured in the whole municipality (baseline 50 in 2022, 56 in 2024, target 60 by 2026: on
track in a 2024 round; women 45 → 46 against 60: not met; men 55 → 61 against 60: met) and a
qualitative criterion; measure 1.1 serves the goal; a 2024 round is open. Imported by the goal
tests as a fixture.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    MunicipalityFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role
from kvarter.core.actors import SYSTEM
from kvarter.followup.services import round_open
from kvarter.indicators.own_values_services import own_indicator_create
from kvarter.plans import goal_services
from kvarter.plans.services import goal_area_ensure, measure_create, plan_create

# The demo's users, and two more: nobody logged in, and an administrator of another municipality.
ROLES = ["admin", "strateg", "samordnare", "rapportor", "est", "lasare", "anonymous", "other_admin"]

VALUES = {
    ("T", 2022): "50",
    ("T", 2024): "56",
    ("K", 2022): "45",
    ("K", 2024): "46",
    ("M", 2022): "55",
    ("M", 2024): "61",
}


@pytest.fixture(name="goal_world")
def goal_world_fixture(demo, demo_users):
    plan = plan_create(
        actor=SYSTEM, municipality=demo, name="Målplan 2024", start_year=2024, end_year=2026
    )
    work = goal_area_ensure(actor=SYSTEM, plan=plan, number=1, name="Fler i arbete")
    safety = goal_area_ensure(actor=SYSTEM, plan=plan, number=2, name="Trygghet")
    vision = goal_services.vision_create(
        actor=SYSTEM, municipality=demo, title="En attraktiv stadsdel att bo i"
    )
    goal_services.goal_area_set_vision(actor=SYSTEM, goal_area=work, vision=vision)
    goal = goal_services.goal_create(
        actor=SYSTEM,
        goal_area=work,
        data={"number": 1, "title": "Ökad sysselsättning", "description": "Fler i jobb."},
    )
    indicator = IndicatorFactory(
        code="forvarvsfrekvens-test",
        name_sv="Förvärvsfrekvens 20–64 år",
        name_en="Employment rate 20–64",
        source_kind="kolada",
    )
    for (sex, year), value in VALUES.items():
        IndicatorValueFactory(
            indicator=indicator,
            region_code=demo.code,
            period=str(year),
            sex=sex,
            value=float(value),
            source="Kolada (test)",
        )
    quantitative = goal_services.quantitative_criterion_create(
        actor=SYSTEM,
        goal=goal,
        data={
            "indicator": indicator,
            "direction": "increase",
            "baseline_year": 2022,
            "target_year": 2026,
            "target_value": Decimal(60),
            "target_value_women": Decimal(60),
            "target_value_men": Decimal(60),
        },
    )
    own = own_indicator_create(
        actor=SYSTEM,
        municipality=demo,
        data={"name_sv": "Andel nöjda med området", "unit": "percent", "direction": "higher"},
    )
    qualitative = goal_services.qualitative_criterion_create(
        actor=SYSTEM, goal=goal, data={"text": "Fler arbetsgivare samverkar med skolan."}
    )
    measure = measure_create(
        actor=SYSTEM,
        plan=plan,
        data={"number": "1.1", "goal_area": work, "title": "Jobbspåret", "goals": [goal]},
    )
    round_ = round_open(actor=SYSTEM, plan=plan, year=2024)
    other = MunicipalityFactory(code="9997", name="Annanstad")
    users = dict(demo_users)
    users["other_admin"] = UserFactory.create_with_role(Role.ADMINISTRATOR, other)
    users["anonymous"] = None
    return {
        "municipality": demo,
        "other": other,
        "plan": plan,
        "work": work,
        "safety": safety,
        "vision": vision,
        "goal": goal,
        "indicator": indicator,
        "own": own,
        "quantitative": quantitative,
        "qualitative": qualitative,
        "measure": measure,
        "round": round_,
        "users": users,
    }
