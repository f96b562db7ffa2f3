"""A plan of Exempelstad for the editing tests: goal areas 1 and 2, three measures.

1.1 names Norrby (the coordinator's and the EST member's area), 1.2 names Söderängen (neither
of theirs) and 2.1 names no area (the whole municipality). ``users`` holds every demo role,
an administrator of another municipality and ``None`` for the anonymous public.
"""

from __future__ import annotations

import pytest
from tests.factories import AreaFactory, MunicipalityFactory, OrganisationFactory, UserFactory

from kvarter.accounts.models import Organisation
from kvarter.accounts.roles import Role
from kvarter.areas.models import Area
from kvarter.core.actors import SYSTEM
from kvarter.plans.services import goal_area_ensure, measure_create, plan_create


@pytest.fixture
def world(demo, demo_users):
    other = MunicipalityFactory(code="9998", name="Annanstad")
    users = dict(demo_users)
    users["other_admin"] = UserFactory.create_with_role(Role.ADMINISTRATOR, other)
    users["anonymous"] = None
    areas = {a.name: a for a in Area.objects.filter(municipality=demo)}
    units = {o.short_name: o for o in Organisation.objects.filter(municipality=demo)}
    plan = plan_create(
        actor=SYSTEM, municipality=demo, name="Åtgärdsplan 2026", start_year=2026
    )
    one = goal_area_ensure(actor=SYSTEM, plan=plan, number=1, name="Trygghet")
    two = goal_area_ensure(actor=SYSTEM, plan=plan, number=2, name="Arbete")
    specs = [
        ("1.1", one, [areas["Norrby"]], [units["SOF"]]),
        ("1.2", one, [areas["Söderängen"]], [units["KLF"]]),
        ("2.1", two, [], [units["SOF"], units["KLF"]]),
    ]
    measures = {
        number: measure_create(
            actor=SYSTEM,
            plan=plan,
            data={
                "number": number,
                "goal_area": goal_area,
                "title": f"Åtgärd {number}",
                "areas": measure_areas,
                "responsible_units": measure_units,
            },
        )
        for number, goal_area, measure_areas, measure_units in specs
    }
    return {
        "municipality": demo,
        "other": other,
        "other_area": AreaFactory(municipality=other, name="Annanbacken"),
        "other_unit": OrganisationFactory(municipality=other, short_name="ANN"),
        "users": users,
        "areas": areas,
        "units": units,
        "plan": plan,
        "goal_areas": {1: one, 2: two},
        "measures": measures,
    }
