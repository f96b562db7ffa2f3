"""A small plan shared by the follow-up tests: three measures, two units, two areas."""

from __future__ import annotations

import pytest
from tests.factories import AreaFactory, MunicipalityFactory, OrganisationFactory

from kvarter.core.actors import SYSTEM
from kvarter.followup.services import round_open
from kvarter.plans.services import goal_area_ensure, measure_create, plan_create


@pytest.fixture
def plan_setup():
    municipality = MunicipalityFactory()
    north, south = AreaFactory(municipality=municipality), AreaFactory(municipality=municipality)
    sof = OrganisationFactory(municipality=municipality, short_name="SOF")
    klf = OrganisationFactory(municipality=municipality, short_name="KLF")
    plan = plan_create(actor=SYSTEM, municipality=municipality, name="Plan", start_year=2025)
    ga = goal_area_ensure(actor=SYSTEM, plan=plan, number=1, name="Trygghet")
    specs = [("1.1", [north], [sof]), ("1.2", [south], [klf]), ("1.3", [], [sof, klf])]
    measures = {
        number: measure_create(
            actor=SYSTEM,
            plan=plan,
            data={
                "number": number,
                "goal_area": ga,
                "title": f"Åtgärd {number}",
                "areas": areas,
                "responsible_units": units,
            },
        )
        for number, areas, units in specs
    }
    round_ = round_open(actor=SYSTEM, plan=plan, year=2025)
    return {
        "municipality": municipality,
        "north": north,
        "south": south,
        "sof": sof,
        "klf": klf,
        "plan": plan,
        "measures": measures,
        "round": round_,
    }
