"""The migration of hand-entered indicator series to catalogue indicators with own figures
(plans 0003–0005): codes, units, values, places and criteria; and the way back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Migrations run outside a test transaction. (No serialized_rollback: after another
# transactional test's flush the content types come back under new ids, and restoring the
# snapshot then collides with them. Like every transactional test, this one leaves the tables
# empty for the next; tests that need the starter catalogue make its rows themselves.)
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("plans", "0002_goals")]
AFTER = [("plans", "0005_remove_indicator_series")]


def _migrate(targets):
    """Migrate the plans app to ``targets``; the models as they are then, with the indicators'."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    indicators = [n for n in executor.loader.graph.leaf_nodes() if n[0] == "indicators"]
    return executor.loader.project_state(targets + indicators).apps


@pytest.fixture
def old_world():
    apps = _migrate(BEFORE)
    Municipality = apps.get_model("areas", "Municipality")
    Area = apps.get_model("areas", "Area")
    Plan = apps.get_model("plans", "Plan")
    GoalArea = apps.get_model("plans", "GoalArea")
    Goal = apps.get_model("plans", "Goal")
    Series = apps.get_model("plans", "IndicatorSeries")
    Value = apps.get_model("plans", "SeriesValue")
    Criterion = apps.get_model("plans", "QuantitativeCriterion")
    Indicator = apps.get_model("indicators", "Indicator")
    town = Municipality.objects.create(code="0999", name="Provstad")
    area = Area.objects.create(municipality=town, name="Berga")
    plan = Plan.objects.create(municipality=town, name="Plan", start_year=2024, end_year=2024)
    goal_area = GoalArea.objects.create(plan=plan, number=1, name="Arbete")
    goal = Goal.objects.create(goal_area=goal_area, number=1, title="Fler i arbete")
    # A catalogue indicator already holds the code the first series would get.
    Indicator.objects.create(
        code="egen-forvarvsfrekvens-20-64-ar",
        name_sv="Upptagen",
        name_en="Taken",
        unit="percent",
        direction="higher",
        source_kind="own",
    )
    whole = Series.objects.create(municipality=town, name="Förvärvsfrekvens 20–64 år", unit="%")
    berga = Series.objects.create(
        municipality=town, area=area, name="Förvärvsfrekvens 20–64 år", unit="%"
    )
    odd = Series.objects.create(municipality=town, name="Trygghetsindex", unit="skala 1–5")
    # Only everyone's values, but a target for women: the indicator is given by sex.
    women = Series.objects.create(municipality=town, name="Trygga kvinnor", unit="procent")
    for series, year, sex, value in [
        (whole, 2022, "T", "58.2"),
        (whole, 2024, "K", "52.15"),
        (berga, 2022, "T", "41"),
        (odd, 2023, "T", "3.4"),
        (women, 2023, "T", "61"),
    ]:
        Value.objects.create(series=series, year=year, sex=sex, value=Decimal(value))
    for position, series in enumerate((whole, berga, odd, women), start=1):
        Criterion.objects.create(
            goal=goal,
            position=position,
            series=series,
            direction="increase",
            baseline_year=2022,
            target_year=2026,
            target_value=Decimal(60),
            target_value_women=Decimal(65) if series == women else None,
        )
    yield {"town": town, "area": area}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to today's schema


def test_series_migration__forward__own_indicators_values_and_criteria(old_world):
    apps = _migrate(AFTER)
    Indicator = apps.get_model("indicators", "Indicator")
    IndicatorValue = apps.get_model("indicators", "IndicatorValue")
    Criterion = apps.get_model("plans", "QuantitativeCriterion")
    employment = Indicator.objects.get(code="egen-forvarvsfrekvens-20-64-ar-2")
    odd = Indicator.objects.get(code="egen-trygghetsindex")
    # Same name, unit and definition: one indicator with values at two places.
    assert (employment.source_kind, employment.unit, employment.direction) == (
        "own",
        "percent",
        "higher",
    )
    assert employment.by_sex and employment.decimals == 2
    # A unit the catalogue has no word for: index, and the text is kept.
    assert odd.unit == "index" and "skala 1–5" in odd.definition and not odd.by_sex
    assert Indicator.objects.get(code="egen-trygga-kvinnor").by_sex
    values = {
        (v.level, v.region_code, v.area_id, v.period, v.sex): v.value
        for v in IndicatorValue.objects.filter(indicator=employment)
    }
    area_id = old_world["area"].pk
    assert values == {
        ("municipality", "0999", None, "2022", "T"): 58.2,
        ("municipality", "0999", None, "2024", "K"): 52.15,
        ("area", "", area_id, "2022", "T"): 41.0,
    }
    value = IndicatorValue.objects.filter(indicator=employment).first()
    assert (value.status, value.source) == ("ok", "Egna uppgifter")
    assert value.retrieved_on == dt.date.today()
    criteria = Criterion.objects.order_by("position")
    assert [(c.indicator.code, c.area_id) for c in criteria] == [
        ("egen-forvarvsfrekvens-20-64-ar-2", None),
        ("egen-forvarvsfrekvens-20-64-ar-2", area_id),
        ("egen-trygghetsindex", None),
        ("egen-trygga-kvinnor", None),
    ]


def test_series_migration__back__series_rebuilt_from_the_places_values(old_world):
    _migrate(AFTER)
    apps = _migrate(BEFORE)
    Series = apps.get_model("plans", "IndicatorSeries")
    Criterion = apps.get_model("plans", "QuantitativeCriterion")
    rebuilt = {
        (c.position, c.series.area_id): sorted(
            (v.year, v.sex, v.value) for v in c.series.values.all()
        )
        for c in Criterion.objects.select_related("series")
    }
    assert rebuilt[(1, None)] == [(2022, "T", Decimal("58.2")), (2024, "K", Decimal("52.15"))]
    assert rebuilt[(2, old_world["area"].pk)] == [(2022, "T", Decimal("41"))]
    assert Series.objects.count() == 4
