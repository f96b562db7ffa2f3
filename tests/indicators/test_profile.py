"""The area profile selector: series for the area, its municipality and the nation, by sex;
latest, previous, baseline and change; the comparison of all areas; the indicator map."""

from __future__ import annotations

import itertools

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from tests.factories import (
    AreaFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MunicipalityFactory,
)

from kvarter.indicators.models import AreaType, Level
from kvarter.indicators.profile import (
    EQUAL_INTERVAL,
    area_profile,
    areas_comparison,
    class_breaks,
    class_of,
    indicator_map,
    previous_period,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    municipality = MunicipalityFactory(code="0580", name="Linköping")
    return {
        "municipality": municipality,
        "area": AreaFactory(municipality=municipality, name="Skäggetorp"),
        "other": AreaFactory(municipality=municipality, name="Ryd"),
        "stranger": AreaFactory(municipality=MunicipalityFactory(code="0581"), name="Navestad"),
    }


def _area(indicator, area, period, value, sex="T", status="ok"):
    return IndicatorValueFactory(
        indicator=indicator, area=area, period=period, sex=sex, value=value, status=status
    )


def _region(indicator, code, period, value, sex="T", status="ok"):
    level = "nation" if code == "00" else "municipality"
    return IndicatorValueFactory(
        indicator=indicator,
        region_code=code,
        level=level,
        period=period,
        sex=sex,
        value=value,
        status=status,
    )


def _employment(place):
    """Förvärvsfrekvens for Skäggetorp, Linköping and Sweden, 2019–2023, by sex."""
    indicator = IndicatorFactory(code="forvarvsfrekvens", unit="percent", direction="higher")
    area_t = {"2019": 50.0, "2020": 52.0, "2021": 51.0, "2022": 53.0, "2023": 55.0}
    for period, value in area_t.items():
        _area(indicator, place["area"], period, value)
        _area(indicator, place["area"], period, value - 4, sex="K")
        _area(indicator, place["area"], period, value + 4, sex="M")
        _region(indicator, "0580", period, value + 25)
        _region(indicator, "0580", period, value + 23, sex="K")
        _region(indicator, "00", period, value + 27)
    _area(indicator, place["other"], "2023", 90.0)
    _region(indicator, "0581", "2023", 10.0)
    return indicator


def test_area_profile__area_municipality_nation__series_by_sex(place):
    indicator = _employment(place)
    profile = area_profile(actor=None, area=place["area"])

    assert profile.area == place["area"] and profile.municipality == place["municipality"]
    [one] = profile.indicators
    assert one.indicator == indicator
    shape = [(s.sex, s.level, s.label, [p.period for p in s.points]) for s in one.series]
    years = ["2019", "2020", "2021", "2022", "2023"]
    with translation.override("en"):
        nation = str(Level.NATION.label)
    assert shape == [
        ("T", "area", "Skäggetorp", years),
        ("T", "municipality", "Linköping", years),
        ("T", "nation", one.series[2].label, years),
        ("K", "area", "Skäggetorp", years),
        ("K", "municipality", "Linköping", years),
        ("M", "area", "Skäggetorp", years),
    ]
    assert nation == "Sweden"
    area_k = one.series[3]
    assert [p.value for p in area_k.points] == [46.0, 48.0, 47.0, 49.0, 51.0]
    assert area_k.points[0].source == "SCB (test)"


def test_area_profile__latest_previous_baseline_and_same_period_comparison(place):
    _employment(place)
    [one] = area_profile(actor=None, area=place["area"]).indicators
    assert (one.latest.period, one.latest.value) == ("2023", 55.0)
    assert (one.previous.period, one.previous.value) == ("2022", 53.0)
    assert (one.baseline.period, one.baseline.value) == ("2019", 50.0)
    assert one.change_since_baseline == 5.0
    assert (one.municipality_latest.period, one.municipality_latest.value) == ("2023", 80.0)
    assert (one.nation_latest.period, one.nation_latest.value) == ("2023", 82.0)
    with translation.override("en"):
        [again] = area_profile(actor=None, area=place["area"]).indicators
    # 55 against 80: a gap of 25 points against min(80, 20) = 20 → far below.
    assert again.verdict == "Better than last year, still far below the municipality."


def test_area_profile__baseline_year__chosen_year_or_none(place):
    _employment(place)
    [one] = area_profile(actor=None, area=place["area"], baseline_year=2021).indicators
    assert one.baseline.period == "2021" and one.change_since_baseline == 4.0
    [none] = area_profile(actor=None, area=place["area"], baseline_year=2015).indicators
    assert none.baseline is None and none.change_since_baseline is None


def test_area_profile__suppressed_newest__latest_is_last_value_and_verdict_says_so(place):
    indicator = _employment(place)
    _area(indicator, place["area"], "2024", None, status="suppressed")
    _region(indicator, "0580", "2024", 81.0)
    with translation.override("en"):
        [one] = area_profile(actor=None, area=place["area"]).indicators
    assert one.latest.period == "2023" and one.municipality_latest.value == 80.0
    area_t = one.series[0]
    assert area_t.points[-1].value is None and area_t.points[-1].status == "suppressed"
    assert one.verdict == (
        "The figure for 2024 is suppressed (too few to show). "
        "2023: better than last year, still far below the municipality."
    )


def test_area_profile__gap_year__no_previous(place):
    indicator = IndicatorFactory(code="valdeltagande", unit="percent")
    _area(indicator, place["area"], "2018", 60.0)
    _area(indicator, place["area"], "2022", 58.0)
    [one] = area_profile(actor=None, area=place["area"]).indicators
    assert one.latest.period == "2022" and one.previous is None
    assert one.baseline.period == "2018" and one.change_since_baseline == -2.0
    assert one.municipality_latest is None and one.nation_latest is None


def test_area_profile__single_value__no_change_since_baseline(place):
    indicator = IndicatorFactory(code="trygghet")
    _area(indicator, place["area"], "2023", 60.0)
    [one] = area_profile(actor=None, area=place["area"]).indicators
    assert one.baseline == one.latest and one.change_since_baseline is None


def test_area_profile__indicator_without_area_values__left_out_unless_asked(place):
    _employment(place)
    only_region = IndicatorFactory(code="ohalsotal")
    _region(only_region, "0580", "2023", 25.0)
    codes = [p.indicator.code for p in area_profile(actor=None, area=place["area"]).indicators]
    assert codes == ["forvarvsfrekvens"]

    asked = area_profile(actor=None, area=place["area"], indicators=[only_region]).indicators
    assert [p.indicator.code for p in asked] == ["ohalsotal"]
    assert [(s.level, s.sex) for s in asked[0].series] == [("municipality", "T")]
    assert asked[0].latest is None and asked[0].municipality_latest is None


def test_area_profile__area_types__newest_first(place):
    for year, kind in ((2021, 1), (2023, 2), (2022, 1)):
        AreaType.objects.create(area=place["area"], year=year, index=-1.0, area_type=kind)
    profile = area_profile(actor=None, area=place["area"])
    assert [t.year for t in profile.area_types] == [2023, 2022, 2021]


def test_area_profile__many_indicators__few_queries(place, django_assert_max_num_queries):
    for n in range(8):
        indicator = IndicatorFactory(code=f"ind-{n}")
        for year in range(2015, 2025):
            for sex in "TKM":
                _area(indicator, place["area"], str(year), 40.0 + n, sex=sex)
                _region(indicator, "0580", str(year), 50.0, sex=sex)
                _region(indicator, "00", str(year), 55.0, sex=sex)
    AreaType.objects.create(area=place["area"], year=2023, index=-1.0, area_type=1)
    area = place["area"]
    with django_assert_max_num_queries(3):
        profile = area_profile(actor=None, area=area)
    assert len(profile.indicators) == 8
    assert all(len(p.series) == 9 for p in profile.indicators)


@pytest.mark.parametrize(
    ("period", "before"),
    [
        ("2021", "2020"),
        ("2021H2", "2021H1"),
        ("2021H1", "2020H2"),
        ("2021Q1", "2020Q4"),
        ("2021Q3", "2021Q2"),
        ("2021M01", "2020M12"),
        ("2021M10", "2021M09"),
        ("21", None),
    ],
)
def test_previous_period__each_periodicity(period, before):
    assert previous_period(period) == before


def test_area_profile__quarterly__previous_is_quarter_before(place):
    indicator = IndicatorFactory(code="brott", periodicity="quarter", direction="lower")
    _area(indicator, place["area"], "2023Q4", 12.0)
    _area(indicator, place["area"], "2024Q1", 10.0)
    with translation.override("en"):
        [one] = area_profile(actor=None, area=place["area"]).indicators
    assert one.previous.period == "2023Q4"
    assert one.verdict == "Better than the period before."


# --- comparison ----------------------------------------------------------------------------


def test_areas_comparison__common_period_per_indicator__areas_then_municipality_and_nation(place):
    employment = _employment(place)
    late = IndicatorFactory(code="behorighet")
    _area(late, place["other"], "2024", 70.0)
    _area(late, place["area"], "2023", 60.0)  # older than the column's period: not shown
    _region(late, "0580", "2024", 80.0)
    AreaType.objects.create(area=place["area"], year=2022, index=-2.0, area_type=1)
    AreaType.objects.create(area=place["area"], year=2023, index=-1.5, area_type=2)

    table = areas_comparison(actor=None, municipality=place["municipality"])
    assert {c.indicator.code: c.period for c in table.columns} == {
        late.code: "2024",
        employment.code: "2023",
    }
    order = [c.indicator.code for c in table.columns]
    rows = {r.label: r for r in table.rows}
    assert [r.level for r in table.rows] == ["area", "area", "municipality", "nation"]
    assert [r.label for r in table.rows][:3] == ["Ryd", "Skäggetorp", "Linköping"]

    def cell(label, code):
        point = rows[label].cells[order.index(code)]
        return point.value if point else None

    assert cell("Skäggetorp", "forvarvsfrekvens") == 55.0
    assert cell("Ryd", "forvarvsfrekvens") == 90.0
    assert cell("Linköping", "forvarvsfrekvens") == 80.0
    assert cell(table.rows[-1].label, "forvarvsfrekvens") == 82.0
    assert cell("Skäggetorp", "behorighet") is None
    assert cell("Ryd", "behorighet") == 70.0
    assert rows["Skäggetorp"].area_type.year == 2023 and rows["Ryd"].area_type is None
    assert "Navestad" not in rows


def test_areas_comparison__given_period_and_sex(place):
    _employment(place)
    table = areas_comparison(actor=None, municipality=place["municipality"], period="2020", sex="K")
    rows = {r.label: r for r in table.rows}
    assert table.columns[0].period == "2020"
    assert rows["Skäggetorp"].cells[0].value == 48.0
    assert rows["Linköping"].cells[0].value == 75.0
    assert rows["Ryd"].cells[0] is None


# --- map -----------------------------------------------------------------------------------


def test_indicator_map__latest_period__classes_and_no_data(place):
    indicator = _employment(place)
    third = AreaFactory(municipality=place["municipality"], name="Berga")
    _area(indicator, third, "2023", None, status="suppressed")
    result = indicator_map(actor=None, municipality=place["municipality"], indicator=indicator)
    assert result.period == "2023"
    assert result.periods == ["2019", "2020", "2021", "2022", "2023"]
    by_name = {a.area.name: a for a in result.areas}
    assert sorted(by_name) == ["Berga", "Ryd", "Skäggetorp"]
    assert by_name["Berga"].point.status == "suppressed" and by_name["Berga"].map_class is None
    # Two values: two quantile classes, split at the median.
    assert result.breaks == [55.0, 72.5, 90.0]
    assert by_name["Skäggetorp"].map_class == 1 and by_name["Ryd"].map_class == 2
    assert result.municipality_point.value == 80.0 and result.nation_point.value == 82.0


def test_indicator_map__earlier_period__area_without_row_has_no_point(place):
    indicator = _employment(place)
    result = indicator_map(
        actor=None, municipality=place["municipality"], indicator=indicator, period="2019"
    )
    by_name = {a.area.name: a for a in result.areas}
    assert by_name["Ryd"].point is None and by_name["Ryd"].map_class is None
    assert by_name["Skäggetorp"].point.value == 50.0


def test_class_breaks__quantiles_and_equal_intervals():
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 100.0]
    quantile = class_breaks(values, classes=5)
    equal = class_breaks(values, classes=5, method=EQUAL_INTERVAL)
    assert quantile == [1.0, 3.0, 5.0, 7.0, 9.0, 100.0]
    assert equal == pytest.approx([1.0, 20.8, 40.6, 60.4, 80.2, 100.0])
    assert [class_of(v, quantile) for v in (1.0, 3.0, 3.5, 100.0)] == [1, 1, 2, 5]
    assert [class_of(v, equal) for v in (1.0, 10.0, 100.0)] == [1, 1, 5]
    assert class_breaks([]) == [] and class_of(None, quantile) is None
    assert class_breaks([4.0, 4.0]) == [4.0, 4.0] and class_of(4.0, [4.0, 4.0]) == 1
    assert class_breaks([1.0, 1.0, 1.0, 2.0], classes=5) == [1.0, 2.0]


values_strategy = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=60
)


@given(
    values_strategy, st.integers(min_value=1, max_value=9), st.sampled_from(["quantile", "equal"])
)
def test_class_breaks__any_values__every_value_in_a_class_and_classes_ordered(
    values, classes, method
):
    breaks = class_breaks(values, classes=classes, method=method)
    assert breaks[0] == min(values) and breaks[-1] == max(values)
    single = breaks == [min(values), min(values)]
    assert single or all(a < b for a, b in itertools.pairwise(breaks))
    assert len(breaks) - 1 <= max(classes, 1)
    found = [class_of(v, breaks) for v in sorted(values)]
    assert all(1 <= c <= max(len(breaks) - 1, 1) for c in found)
    assert found == sorted(found)


def test_comparison_and_map__many_areas__few_queries(place, django_assert_max_num_queries):
    indicators = [IndicatorFactory(code=f"ind-{n}") for n in range(4)]
    areas = [AreaFactory(municipality=place["municipality"]) for _ in range(12)]
    for area in areas:
        AreaType.objects.create(area=area, year=2023, index=0.0, area_type=3)
        for indicator in indicators:
            for year in ("2022", "2023"):
                _area(indicator, area, year, 40.0 + area.pk % 7)
    municipality = place["municipality"]
    with django_assert_max_num_queries(4):  # areas, values, catalogue, area types
        table = areas_comparison(actor=None, municipality=municipality)
    assert len(table.columns) == 4 and len(table.rows) == 2 + 12 + 2
    with django_assert_max_num_queries(3):  # areas, values, area types
        result = indicator_map(actor=None, municipality=municipality, indicator=indicators[0])
    assert sum(1 for a in result.areas if a.map_class is not None) == 12
