"""The demo's indicator values: ten invented years for Exempelstad's areas, town and nation.

They go through the real import (long CSV → writer → summing up DeSO into areas), so these
tests read what the import stored and check it against the DeSO it was summed up from.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from tests.factories import AreaFactory, MunicipalityFactory

from kvarter.areas.models import Area, AreaStatisticalUnit
from kvarter.core.actors import SYSTEM
from kvarter.core.importing import ImportRejected
from kvarter.demo import exempelstad
from kvarter.demo import exempelstad_indicators as demo_values
from kvarter.demo.exempelstad import MUNICIPALITY_CODE
from kvarter.indicators import catalogue as cat
from kvarter.indicators.aggregation import AGGREGATE_MARKER
from kvarter.indicators.models import AreaType, ImportBatch, IndicatorValue, Level, Unit
from kvarter.indicators.services import indicator_file_import

SERIES = {spec.code: spec for spec in demo_values.SERIES}
SUMMED = [s for s in demo_values.SERIES if s.kind in ("share", "count")]


@pytest.fixture
def demo(db):
    return exempelstad.build(with_plan=False, with_indicators=True)


def _catalogue() -> dict[str, dict]:
    return {str(row["code"]): row for row in cat.current_catalogue()}


def _areas(demo) -> list[Area]:
    return list(Area.objects.filter(municipality=demo).order_by("name"))


def _value(code: str, year: int, *, sex: str = "T", area=None, region: str = "") -> IndicatorValue:
    values = IndicatorValue.objects.filter(indicator__code=code, period=str(year), sex=sex)
    if area is not None:
        return values.get(area=area)
    return values.get(region_code=region, area__isnull=True)


def test_series__every_catalogue_indicator__given_or_left_out_with_a_reason():
    given = set(SERIES)
    assert given.isdisjoint(demo_values.LEFT_OUT)
    assert given | set(demo_values.LEFT_OUT) == set(_catalogue())
    assert all(reason for reason in demo_values.LEFT_OUT.values())


def test_demo__every_area__every_indicator_ten_years_women_and_men(demo):
    catalogue = _catalogue()
    areas = _areas(demo)
    assert [a.name for a in areas] == sorted(demo_values.COURSES)
    stored = defaultdict(set)
    for code, area_id, region, period, sex in IndicatorValue.objects.values_list(
        "indicator__code", "area_id", "region_code", "period", "sex"
    ):
        stored[(code, area_id or region)].add((period, sex))
    for code, spec in SERIES.items():
        sexes = ("T", "K", "M") if catalogue[code]["by_sex"] else ("T",)
        wanted = {(str(year), sex) for year in spec.years for sex in sexes}
        assert len(spec.years) == (2 if code == "valdeltagande-kommunval" else 10)
        for area in areas:
            assert stored[(code, area.pk)] == wanted, (code, area.name)
        comparison = set() if spec.kind == "survey" else wanted
        assert stored[(code, MUNICIPALITY_CODE)] == comparison, code
        assert stored[(code, "00")] == comparison, code
    assert tuple(range(2016, 2026)) == demo_values.YEARS
    assert not IndicatorValue.objects.filter(indicator__code__in=demo_values.LEFT_OUT).exists()


def test_demo__every_area__made_of_two_to_four_deso_of_its_own(demo):
    for area in _areas(demo):
        codes = list(area.statistical_units.values_list("code", flat=True))
        assert 2 <= len(codes) <= 4, area.name
        assert all(code.startswith(f"{MUNICIPALITY_CODE}C") for code in codes)
    units = AreaStatisticalUnit.objects.filter(area__municipality=demo)
    assert sorted(units.values_list("code", flat=True)) == sorted(demo_values.DESO)


def test_demo__area_values__sum_of_deso_numerators_over_sum_of_denominators(demo):
    units: dict[int, list[str]] = defaultdict(list)
    for area_id, code in AreaStatisticalUnit.objects.values_list("area_id", "code"):
        units[area_id].append(code)
    deso = {
        (v.indicator.code, v.region_code, v.period, v.sex): v
        for v in IndicatorValue.objects.filter(level=Level.DESO).select_related("indicator")
    }
    differs_from_mean = 0
    checked = 0
    for value in IndicatorValue.objects.filter(
        level=Level.AREA, indicator__code__in=[s.code for s in SUMMED]
    ).select_related("indicator"):
        parts = [
            deso[(value.indicator.code, c, value.period, value.sex)] for c in units[value.area_id]
        ]
        assert AGGREGATE_MARKER in value.source and demo_values.SOURCE in value.source
        if any(p.value is None for p in parts):
            assert value.value is None and value.status == "missing"
            continue
        checked += 1
        scale = Unit.scale(value.indicator.unit)
        if scale is None:  # a count: summed
            assert value.value == sum(p.value for p in parts)
            continue
        numerator = sum(p.numerator for p in parts)
        denominator = sum(p.denominator for p in parts)
        assert (value.numerator, value.denominator) == (numerator, denominator)
        assert value.value == pytest.approx(numerator / denominator * scale)
        mean = sum(p.numerator / p.denominator * scale for p in parts) / len(parts)
        differs_from_mean += abs(mean - value.value) > 1e-6
    assert checked > 2000
    assert differs_from_mean > checked / 2  # weighted by people, not a mean of shares


def test_demo__suppressed_cells__stay_missing_never_zero(demo):
    small = demo_values.SMALL_DESO
    kvarnbacken = Area.objects.get(municipality=demo, name="Kvarnbacken")
    for code, year, sex in demo_values.SUPPRESSED:
        cell = _value(code, year, sex=sex, region=small)
        assert (cell.status, cell.value, cell.numerator) == ("suppressed", None, None)
        area_cell = _value(code, year, sex=sex, area=kvarnbacken)
        assert (area_cell.status, area_cell.value) == ("missing", None)
    # The survey's smallest samples (fewer than 30 answers) are suppressed by the catalogue's rule.
    for code in ("trygghet-utomhus-kvall", "attraktivitet"):
        for sex in ("K", "M"):
            cell = _value(code, 2018, sex=sex, area=kvarnbacken)
            assert (cell.status, cell.value) == ("suppressed", None)
        total = _value(code, 2018, area=kvarnbacken)
        assert total.value is not None and total.denominator >= 30
        assert total.source == demo_values.SURVEY_SOURCE
    hidden = IndicatorValue.objects.filter(status__in=["suppressed", "missing"])
    assert 0 < hidden.count() < 30
    assert not hidden.filter(value__isnull=False).exists()


def test_demo__levels__vulnerable_area_municipality_and_nation_as_published(demo):
    vasterdal = Area.objects.get(municipality=demo, name="Västerdal")

    def three(code: str, year: int) -> tuple[float, float, float]:
        return (
            _value(code, year, area=vasterdal).value,
            _value(code, year, region=MUNICIPALITY_CODE).value,
            _value(code, year, region="00").value,
        )

    area, town, nation = three(cat.EMPLOYMENT_RATE, 2016)
    assert 50 < area < 60 and 75 < town < 81 and 78 < nation < 82
    area, town, nation = three(cat.ECONOMIC_ASSISTANCE, 2016)
    assert 12 < area < 18 and 3 < town < 5.5 and 3 < nation < 5.5
    area, town, nation = three("behorighet-yrkesprogram", 2016)
    assert 62 < area < 76 and 82 < town < 88 and 83 < nation < 89
    area, town, nation = three("valdeltagande-kommunval", 2018)
    assert 45 < area < 58 and 77 < town < 84 and 82 < nation < 86
    women = _value(cat.EMPLOYMENT_RATE, 2016, sex="K", area=vasterdal).value
    men = _value(cat.EMPLOYMENT_RATE, 2016, sex="M", area=vasterdal).value
    assert men - women > 8  # the gap is wider in a vulnerable area


def test_demo__trends__one_area_improves_one_is_stuck_one_worsens(demo):
    areas = {a.name: a for a in _areas(demo)}

    def change(name: str, code: str = cat.EMPLOYMENT_RATE) -> float:
        return (
            _value(code, 2025, area=areas[name]).value - _value(code, 2016, area=areas[name]).value
        )

    assert change("Norrby") > 10
    assert abs(change("Västerdal")) < 4
    assert change("Åsen") < -4
    assert change("Åsen", cat.ECONOMIC_ASSISTANCE) > 2
    assert change("Norrby", cat.ECONOMIC_ASSISTANCE) < -4


def test_demo__area_types__computed_every_year_and_moving_with_the_areas(demo):
    types = {(t.area.name, t.year): t for t in AreaType.objects.select_related("area")}
    assert len(types) == len(demo_values.COURSES) * len(demo_values.YEARS)
    assert all(t.inputs["reference"]["kind"] == "given" for t in types.values())
    assert types[("Norrby", 2025)].index < types[("Norrby", 2016)].index - 8
    assert types[("Åsen", 2025)].index > types[("Åsen", 2016)].index + 5
    assert (types[("Norrby", 2016)].area_type, types[("Norrby", 2025)].area_type) == (1, 2)
    assert (types[("Åsen", 2016)].area_type, types[("Åsen", 2025)].area_type) == (2, 1)
    assert {types[("Västerdal", year)].area_type for year in demo_values.YEARS} == {1}


def test_demo__built_again__changes_nothing(demo):
    def snapshot() -> tuple:
        values = IndicatorValue.objects.values_list(
            "pk", "value", "status", "numerator", "denominator", "source", "retrieved_on"
        )
        types = AreaType.objects.values_list("pk", "index", "area_type", "updated_at")
        return sorted(values), sorted(types), ImportBatch.objects.count()

    before = snapshot()
    exempelstad.build(with_plan=False, with_indicators=True)
    assert snapshot() == before
    # The import itself is idempotent too: the same files again add and change nothing.
    batches = demo_values.build_indicators(demo, force=True)
    assert [(b.added, b.changed, b.aggregated) for b in batches] == [(0, 0, 0), (0, 0, 0)]
    assert (
        sum(b.skipped for b in batches)
        == IndicatorValue.objects.exclude(source__contains=AGGREGATE_MARKER).count()
    )
    assert snapshot()[:2] == before[:2]


def test_demo__files__the_same_bytes_every_time_and_marked_invented(demo):
    first = demo_values.indicator_files(demo)
    assert demo_values.indicator_files(demo) == first
    assert {name for name, _ in first} == set(
        ImportBatch.objects.values_list("file_name", flat=True)
    )
    sources = set(IndicatorValue.objects.values_list("source", flat=True))
    assert sources and all("påhittad" in source for source in sources)


def test_long_csv__fictional_municipality__only_its_own_units(demo):
    """The demo's 9999 codes are accepted for Exempelstad's own areas' DeSO, nothing more."""
    header = "område;indikator;period;värde\n"

    def load(line: str, municipality) -> None:
        indicator_file_import(
            actor=SYSTEM,
            data=(header + line).encode(),
            file_name="t.csv",
            municipality=municipality,
        )

    load(f"9999C1010;{cat.POPULATION};2030;5\n", demo)
    assert _value(cat.POPULATION, 2030, region="9999C1010").value == 5
    for line, municipality in (
        (f"9999C1990;{cat.POPULATION};2030;5\n", demo),  # not one of its areas' units
        (f"9999C1010;{cat.POPULATION};2030;5\n", None),  # no municipality chosen
        (f"9999C1010;{cat.POPULATION};2030;5\n", MunicipalityFactory(code="0580")),
    ):
        with pytest.raises(ImportRejected) as rejected:
            load(line, municipality)
        assert rejected.value.problems[0].code == "unknown_region"
    # Another municipality outside the register may not name Exempelstad's units either.
    other = MunicipalityFactory(code="9998")
    AreaFactory(municipality=other)
    with pytest.raises(ImportRejected):
        load(f"9999C1010;{cat.POPULATION};2031;5\n", other)
