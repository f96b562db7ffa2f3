"""The demo's goals read catalogue indicators where the demo's values are there, with targets
set as the planned change from the real baseline; own figures otherwise."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.factories import IndicatorValueFactory

from kvarter.areas.models import Area
from kvarter.demo.exempelstad_plan import PLAN_NAME, build_plan
from kvarter.followup.goal_fulfilment import fulfilment_counts, round_fulfilment
from kvarter.indicators.models import Indicator
from kvarter.plans.models import QuantitativeCriterion

pytestmark = pytest.mark.django_db


def _criterion(title: str) -> QuantitativeCriterion:
    return QuantitativeCriterion.objects.select_related("indicator", "area").get(
        goal__goal_area__plan__name=PLAN_NAME, goal__title=title
    )


def test_demo_goals__catalogue_values_there__read_with_targets_from_their_baseline(demo):
    norrby = Area.objects.get(municipality=demo, name="Norrby")
    employment = Indicator.objects.get(code="forvarvsfrekvens-20-64")
    for sex, baseline in (("T", 48.3), ("K", 44.0), ("M", 52.5)):
        for year, step in ((2022, 0.0), (2024, 1.5)):
            IndicatorValueFactory(
                indicator=employment,
                area=norrby,
                region_code="",
                period=str(year),
                sex=sex,
                value=baseline + step,
                source="Demodata",
            )
    build_plan(demo)
    work = _criterion("Ökad sysselsättning")
    assert (work.indicator.code, work.area) == ("forvarvsfrekvens-20-64", norrby)
    # The demo plans 58,2 → 65 (T), 52,1 → 62 (K), 64 → 68 (M): the same change from here.
    assert (work.target_value, work.target_value_women, work.target_value_men) == (
        Decimal("55.1"),
        Decimal("53.9"),
        Decimal("56.5"),
    )
    # Without catalogue values at its place, a criterion reads the demo's own figures.
    crowding = _criterion("Minskad trångboddhet")
    assert crowding.indicator.source_kind == "own" and crowding.target_value == Decimal(24)
    round_2025 = crowding.goal.goal_area.plan.rounds.get(year=2025)
    counts = fulfilment_counts(round_fulfilment(round_2025))["quantitative"]
    assert counts["no_data"] == 0 and sum(counts.values()) == 16
