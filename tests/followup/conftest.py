"""A small plan shared by the follow-up tests: three measures, two units, two areas."""

from __future__ import annotations

import pytest
from tests.factories import (
    AreaFactory,
    MunicipalityFactory,
    OrganisationFactory,
    open_round,
    plan_with_measures,
)


@pytest.fixture
def plan_setup():
    municipality = MunicipalityFactory()
    north, south = AreaFactory(municipality=municipality), AreaFactory(municipality=municipality)
    sof = OrganisationFactory(municipality=municipality, short_name="SOF")
    klf = OrganisationFactory(municipality=municipality, short_name="KLF")
    specs = [("1.1", [north], [sof]), ("1.2", [south], [klf]), ("1.3", [], [sof, klf])]
    plan, measures = plan_with_measures(municipality, specs, name="Plan", start_year=2025)
    round_ = open_round(plan, year=2025)
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
