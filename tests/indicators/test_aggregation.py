"""An area's value from its DeSO: shares recomputed from counts, counts summed, gaps kept."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
from tests.factories import AreaFactory, IndicatorFactory, IndicatorValueFactory

from kvarter.areas.models import AreaStatisticalUnit
from kvarter.core.actors import SYSTEM
from kvarter.indicators.aggregation import Aggregate, Figure, aggregate
from kvarter.indicators.importing.observations import Observation, ParseResult
from kvarter.indicators.importing.writer import store_parse_result
from kvarter.indicators.models import IndicatorValue

RETRIEVED = dt.date(2025, 3, 1)
UNITS = ("0580C1010", "0580C1020", "0580C1030")
# Three DeSO of very different size: 30 of 60, 90 of 1,000 and 300 of 500.
COUNTS = ((30.0, 60.0), (90.0, 1000.0), (300.0, 500.0))


def _share(numerator: float, denominator: float) -> Figure:
    return Figure(numerator / denominator * 100, "ok", numerator, denominator)


# --- the calculation, without a database ---------------------------------------------------


def test_aggregate__share_is_recomputed_from_counts_not_the_mean_of_shares() -> None:
    figures = [_share(n, d) for n, d in COUNTS]

    result = aggregate(figures, unit="percent")

    assert result == Aggregate(420 / 1560 * 100, "ok", 420.0, 1560.0)
    mean_of_shares = statistics.mean(f.value for f in figures if f.value is not None)
    assert round(mean_of_shares, 1) == 39.7
    assert round(result.value, 1) == 26.9


def test_aggregate__per_1000_uses_its_scale() -> None:
    result = aggregate(
        [Figure(5.0, "ok", 1.0, 200.0), Figure(15.0, "ok", 3.0, 200.0)], unit="per_1000"
    )
    assert result is not None and result.value == 10.0


def test_aggregate__count_is_summed() -> None:
    result = aggregate(
        [Figure(120.0, "ok", None, None), Figure(80.0, "preliminary", None, None)], unit="count"
    )
    assert result == Aggregate(200.0, "preliminary", None, None)


@pytest.mark.parametrize("unit", ["percent", "count"])
@pytest.mark.parametrize(
    "gap", [None, Figure(None, "suppressed", None, None), Figure(None, "missing", None, None)]
)
def test_aggregate__a_suppressed_or_missing_unit_makes_the_area_missing(unit, gap) -> None:
    figures = [_share(30.0, 60.0), gap, _share(300.0, 500.0)]

    assert aggregate(figures, unit=unit) == Aggregate(None, "missing", None, None)


def test_aggregate__share_without_counts_or_a_unit_that_does_not_add_up__gives_none() -> None:
    assert aggregate([Figure(40.0, "ok", None, None), _share(1.0, 2.0)], unit="percent") is None
    assert aggregate([Figure(250000.0, "ok", None, None)], unit="kronor") is None
    assert aggregate([Figure(99.0, "ok", None, None)], unit="index") is None


def test_aggregate__below_the_suppression_threshold__is_suppressed_without_counts() -> None:
    figures = [_share(1.0, 4.0), _share(2.0, 5.0)]

    assert aggregate(figures, unit="percent", suppression_threshold=10) == Aggregate(
        None, "suppressed", None, None
    )
    assert aggregate(figures, unit="percent", suppression_threshold=9) is not None


# --- after an import ----------------------------------------------------------------------


def _area_of_three_deso():
    area = AreaFactory(name="Berga")
    for code in UNITS:
        AreaStatisticalUnit.objects.create(area=area, code=code, kind="deso")
    return area


def _store(observations, source="SCB TAB1234"):
    return store_parse_result(
        ParseResult(file_format="json-stat2", source=source, observations=observations),
        file_name="tabell.json",
        retrieved_on=RETRIEVED,
        source=None,
        actor=SYSTEM,
    )


def _deso_shares(indicator_id, period="2024", sex="T", counts=COUNTS):
    return [
        Observation(indicator_id, code, None, period, sex, round(n / d * 100, 1), "ok", n, d)
        for code, (n, d) in zip(UNITS, counts, strict=True)
    ]


@pytest.mark.django_db
def test_import__area_of_three_deso_gets_the_share_from_numerators_and_denominators() -> None:
    area = _area_of_three_deso()
    indicator = IndicatorFactory(unit="percent")
    observations = _deso_shares(indicator.pk)

    batch = _store(observations)

    value = IndicatorValue.objects.get(area=area)
    assert (value.level, value.region_code, value.period, value.sex) == ("area", "", "2024", "T")
    assert value.value == pytest.approx(420 / 1560 * 100)
    assert (value.numerator, value.denominator) == (420.0, 1560.0)
    mean_of_shares = statistics.mean(o.value for o in observations)
    assert abs(value.value - mean_of_shares) > 10  # 26.9 against 39.7
    assert value.source == "SCB TAB1234 (summerat från 3 DeSO)"
    assert value.batch_id == batch.pk and value.retrieved_on == RETRIEVED
    assert batch.aggregated == 1 and batch.added == 3


@pytest.mark.django_db
def test_import__again__leaves_the_area_value_alone_and_a_change_updates_it() -> None:
    area = _area_of_three_deso()
    indicator = IndicatorFactory(unit="percent")
    first = _store(_deso_shares(indicator.pk))

    again = _store(_deso_shares(indicator.pk))
    assert again.aggregated == 0
    assert IndicatorValue.objects.get(area=area).batch_id == first.pk

    changed_counts = ((30.0, 60.0), (90.0, 1000.0), (400.0, 500.0))
    third = _store(_deso_shares(indicator.pk, counts=changed_counts))
    assert third.aggregated == 1 and third.changed == 1
    assert IndicatorValue.objects.get(area=area).value == pytest.approx(520 / 1560 * 100)


@pytest.mark.django_db
def test_import__a_suppressed_deso__leaves_the_area_missing_never_a_partial_sum() -> None:
    area = _area_of_three_deso()
    indicator = IndicatorFactory(unit="count")
    observations = [
        Observation(indicator.pk, UNITS[0], None, "2024", "T", 120.0, "ok"),
        Observation(indicator.pk, UNITS[1], None, "2024", "T", None, "suppressed"),
        Observation(indicator.pk, UNITS[2], None, "2024", "T", 80.0, "ok"),
        Observation(indicator.pk, UNITS[0], None, "2023", "T", 100.0, "ok"),
        Observation(indicator.pk, UNITS[1], None, "2023", "T", 10.0, "ok"),
        # 2023: the third DeSO has no figure at all.
    ]

    batch = _store(observations)

    values = dict(IndicatorValue.objects.filter(area=area).values_list("period", "value"))
    assert values == {"2023": None, "2024": None}
    assert set(IndicatorValue.objects.filter(area=area).values_list("status", flat=True)) == {
        "missing"
    }
    assert batch.aggregated == 2


@pytest.mark.django_db
def test_import__the_threshold_of_the_indicator_suppresses_a_small_area() -> None:
    area = _area_of_three_deso()
    indicator = IndicatorFactory(unit="percent", suppression_threshold=2000)

    _store(_deso_shares(indicator.pk))

    value = IndicatorValue.objects.get(area=area)
    assert (value.value, value.status, value.numerator) == (None, "suppressed", None)


@pytest.mark.django_db
def test_import__kronor_and_shares_without_counts__give_no_area_value_and_say_so() -> None:
    area = _area_of_three_deso()
    income = IndicatorFactory(code="test-medianinkomst", unit="kronor")
    share = IndicatorFactory(code="andel-utan-antal", unit="percent")
    observations = [
        Observation(income.pk, code, None, "2024", "T", 250000.0, "ok") for code in UNITS
    ] + [Observation(share.pk, code, None, "2024", "T", 40.0, "ok") for code in UNITS]

    batch = _store(observations)

    assert not IndicatorValue.objects.filter(area=area).exists()
    assert batch.aggregated == 0
    notes = " ".join(batch.notes)
    assert "test-medianinkomst" in notes and "andel-utan-antal" in notes
    batch.refresh_from_db()
    assert len(batch.notes) == 2


@pytest.mark.django_db
def test_import__an_areas_own_imported_value_is_not_overwritten_by_a_sum() -> None:
    area = _area_of_three_deso()
    indicator = IndicatorFactory(unit="percent")
    IndicatorValueFactory(indicator=indicator, area=area, value=33.0, source="Egen enkät")

    batch = _store(_deso_shares(indicator.pk))

    assert IndicatorValue.objects.get(area=area).value == 33.0
    assert batch.aggregated == 0
    assert any("egna importerade" in note for note in batch.notes)


@pytest.mark.django_db
def test_import__by_sex_and_regso_areas() -> None:
    deso_area = _area_of_three_deso()
    regso_area = AreaFactory(name="Ryd")
    AreaStatisticalUnit.objects.create(area=regso_area, code="0580R001", kind="regso")
    indicator = IndicatorFactory(unit="percent")
    observations = [
        *_deso_shares(indicator.pk, sex="K"),
        *_deso_shares(indicator.pk, sex="M", counts=((1.0, 10.0), (1.0, 10.0), (2.0, 10.0))),
        Observation(indicator.pk, "0580R001", None, "2024", "T", 50.0, "ok", 5.0, 10.0),
    ]

    batch = _store(observations)

    by_sex = dict(IndicatorValue.objects.filter(area=deso_area).values_list("sex", "value"))
    assert by_sex == {"K": pytest.approx(420 / 1560 * 100), "M": pytest.approx(4 / 30 * 100)}
    regso = IndicatorValue.objects.get(area=regso_area)
    assert regso.value == 50.0 and regso.source.endswith("(summerat från 1 RegSO)")
    assert batch.aggregated == 3


@pytest.mark.django_db
def test_import__a_later_file_with_the_last_deso_completes_the_area() -> None:
    """Two DeSO first: the area is missing, not a sum of two; the third DeSO later fills it."""
    area = _area_of_three_deso()
    indicator = IndicatorFactory(unit="percent")
    observations = _deso_shares(indicator.pk)

    first = _store(observations[:2])
    value = IndicatorValue.objects.get(area=area)
    assert (value.value, value.status, first.aggregated) == (None, "missing", 1)

    second = _store(observations[2:])
    value.refresh_from_db()
    assert value.value == pytest.approx(420 / 1560 * 100) and value.status == "ok"
    assert (second.added, second.aggregated, value.batch_id) == (1, 1, second.pk)
