"""The value table's own rules: a hidden figure carries no number, a place is region or area."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from tests.factories import AreaFactory, IndicatorFactory, IndicatorValueFactory

from kvarter.indicators.models import Level, region_level

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("00", Level.NATION),
        ("05", Level.COUNTY),
        ("0580", Level.MUNICIPALITY),
        ("0580R001", Level.REGSO),
        ("0580C1010", Level.DESO),
        ("Riket", None),
        ("058", None),
    ],
)
def test_region_level_reads_the_code(code: str, level: Level | None) -> None:
    assert region_level(code) == level


def test_a_suppressed_value_cannot_carry_a_number() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValueFactory(status="suppressed", value=0.0)
    IndicatorValueFactory(status="suppressed", value=None)


def test_one_value_per_region_period_and_sex() -> None:
    indicator = IndicatorFactory()
    IndicatorValueFactory(indicator=indicator, region_code="0580", period="2024", sex="K")
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValueFactory(indicator=indicator, region_code="0580", period="2024", sex="K")


def test_one_value_per_area_period_and_sex_and_no_region_code_beside_an_area() -> None:
    indicator = IndicatorFactory()
    area = AreaFactory()
    IndicatorValueFactory(indicator=indicator, area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValueFactory(indicator=indicator, area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValueFactory(indicator=indicator, area=area, region_code="0580", period="2020")
