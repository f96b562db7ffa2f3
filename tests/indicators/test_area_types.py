"""Area types: the index and the five types (pure), and the service that stores them per year."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any, cast

import pytest
from django.core.management import call_command
from tests.factories import AreaFactory, IndicatorFactory, IndicatorValueFactory

from kvarter.areas.models import Area
from kvarter.core.models import AuditEntry
from kvarter.indicators import area_types as at
from kvarter.indicators.area_types import (
    INPUT_CODES,
    Reference,
    area_type_history,
    area_type_label,
    area_types_compute,
    area_types_compute_run,
    area_types_in_year,
    classify,
    reference_from,
    socioeconomic_index,
    thresholds,
)
from kvarter.indicators.catalogue import SOCIOECONOMIC_INDEX
from kvarter.indicators.models import AreaType, Indicator, IndicatorValue

LOW, EDU, ASSIST = INPUT_CODES
REF = Reference(mean=10.0, sd=2.0, kind="given", count=0)

# --- pure ----------------------------------------------------------------------------------


def test_index__is_the_mean_of_the_three_shares() -> None:
    assert socioeconomic_index(10.0, 20.0, 6.0) == 12.0
    assert socioeconomic_index(0.0, 0.0, 0.0) == 0.0
    assert socioeconomic_index(9.0, 16.5, 4.5) == pytest.approx(10.0)


@pytest.mark.parametrize("bad", [-0.1, 100.5])
def test_index__refuses_a_share_outside_0_to_100(bad: float) -> None:
    with pytest.raises(ValueError, match="percentage"):
        socioeconomic_index(bad, 10.0, 10.0)


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (30.0, 1),
        (14.0, 1),  # μ + 2σ belongs to type 1
        (13.999, 2),
        (12.0, 2),  # μ + σ belongs to type 2
        (11.999, 3),
        (10.0, 3),  # μ belongs to type 3
        (9.999, 4),
        (8.0, 4),  # μ − σ belongs to type 4
        (7.999, 5),
        (0.0, 5),
    ],
)
def test_classify__boundaries(index: float, expected: int) -> None:
    assert classify(index, REF) == expected


def test_thresholds__are_mean_plus_whole_standard_deviations() -> None:
    assert thresholds(REF) == {"1": 14.0, "2": 12.0, "3": 10.0, "4": 8.0}


def test_reference__hand_computed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(at, "MIN_REFERENCE_REGIONS", 3)
    reference = reference_from([8.0, 10.0, 12.0], kind="regso")
    assert reference == Reference(mean=10.0, sd=2.0, kind="regso", count=3)  # sample sd


def test_reference__too_few_regions_or_no_spread_is_none() -> None:
    assert reference_from([10.0] * (at.MIN_REFERENCE_REGIONS - 1), kind="regso") is None
    assert reference_from([10.0] * at.MIN_REFERENCE_REGIONS, kind="regso") is None


# --- the service ---------------------------------------------------------------------------

needs_db = pytest.mark.django_db


def _area(**kwargs: Any) -> Area:
    return cast(Area, AreaFactory(**kwargs))


def _indicators() -> dict[str, Indicator]:
    return {code: cast(Indicator, IndicatorFactory(code=code)) for code in INPUT_CODES}


def _area_values(area: Area, year: int, shares: dict[str, float]) -> None:
    for code, value in shares.items():
        IndicatorValueFactory(
            indicator=IndicatorFactory(code=code),
            area=area,
            period=str(year),
            value=value,
            source=f"SCB {code}",
        )


def _regions(level: str, year: int, indices: list[float]) -> None:
    """One region per index, all three shares equal to the index (so its index is that value)."""
    indicators = _indicators()
    rows = []
    for n, index in enumerate(indices):
        code = f"0580R{n:03d}" if level == "regso" else f"0580C{n:04d}"
        for indicator in indicators.values():
            rows.append(
                IndicatorValue(
                    indicator=indicator,
                    level=level,
                    region_code=code,
                    period=str(year),
                    year=year,
                    sex="T",
                    value=index,
                    status="ok",
                    source="SCB test",
                    retrieved_on=dt.date(2025, 3, 1),
                )
            )
    IndicatorValue.objects.bulk_create(rows)


@needs_db
def test_compute__types_an_area_against_the_regso_distribution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(at, "MIN_REFERENCE_REGIONS", 3)
    _regions("regso", 2023, [8.0, 10.0, 12.0])  # μ = 10, σ = 2
    area = _area()
    _area_values(area, 2023, {EDU: 12.0, LOW: 18.0, ASSIST: 6.0})  # index 12 → type 2

    [row] = area_types_compute(year=2023, areas=[area])

    assert (row.area, row.year, row.index, row.area_type) == (area, 2023, 12.0, 2)
    assert row.inputs["reference"] == {
        "kind": "regso",
        "count": 3,
        "mean": 10.0,
        "sd": 2.0,
        "year": 2023,
    }
    recorded = {v["indicator"]: v for v in row.inputs["values"]}
    assert recorded[LOW]["value"] == 18.0
    assert recorded[LOW]["period"] == "2023"
    assert recorded[LOW]["source"] == f"SCB {LOW}"
    assert row.inputs["method"] == at.METHOD


@needs_db
def test_compute__prefers_the_index_scb_publishes_per_regso(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(at, "MIN_REFERENCE_REGIONS", 3)
    _regions("regso", 2023, [8.0, 10.0, 12.0])  # computed from inputs: μ = 10, σ = 2
    published = cast(Indicator, IndicatorFactory(code=SOCIOECONOMIC_INDEX, unit="index"))
    for n, index in enumerate([20.0, 30.0, 40.0]):  # published: μ = 30, σ = 10
        IndicatorValueFactory(
            indicator=published,
            level="regso",
            region_code=f"0580R{n:03d}",
            period="2023",
            value=index,
        )
    area = _area()
    _area_values(area, 2023, {EDU: 12.0, LOW: 12.0, ASSIST: 12.0})
    [row] = area_types_compute(year=2023, areas=[area])
    assert row.inputs["reference"]["kind"] == "regso-published"
    assert (row.inputs["reference"]["mean"], row.inputs["reference"]["sd"]) == (30.0, 10.0)
    assert row.area_type == 5  # 12 < μ − σ = 20


@needs_db
def test_compute__uses_the_real_minimum_of_regions() -> None:
    indices = [5.0 + (n % 11) for n in range(at.MIN_REFERENCE_REGIONS)]
    _regions("regso", 2022, indices)
    area = _area()
    _area_values(area, 2022, {EDU: 40.0, LOW: 40.0, ASSIST: 40.0})
    [row] = area_types_compute(year=2022, areas=[area])
    assert row.area_type == 1
    assert row.inputs["reference"]["count"] == at.MIN_REFERENCE_REGIONS


@needs_db
def test_compute__falls_back_to_deso_and_not_to_too_few_regso(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(at, "MIN_REFERENCE_REGIONS", 3)
    _regions("regso", 2023, [10.0, 12.0])  # too few
    _regions("deso", 2023, [4.0, 6.0, 8.0])  # μ = 6, σ = 2
    area = _area()
    _area_values(area, 2023, {EDU: 6.0, LOW: 6.0, ASSIST: 6.0})
    [row] = area_types_compute(year=2023, areas=[area])
    assert row.inputs["reference"]["kind"] == "deso"
    assert row.area_type == 3


@needs_db
def test_compute__missing_input_gives_no_type_and_removes_an_old_one() -> None:
    _indicators()
    complete, partial = _area(), _area()
    _area_values(complete, 2023, {EDU: 10.0, LOW: 10.0, ASSIST: 10.0})
    _area_values(partial, 2023, {EDU: 10.0, LOW: 10.0})
    IndicatorValueFactory(
        indicator=IndicatorFactory(code=ASSIST),
        area=partial,
        period="2023",
        value=None,
        status="suppressed",
    )
    AreaType.objects.create(area=partial, year=2023, index=1.0, area_type=5, inputs={})

    run = area_types_compute_run(year=2023, areas=[complete, partial], reference=REF)

    assert [r.area for r in run.area_types] == [complete]
    assert run.missing_inputs == [(partial, 2023, [ASSIST])]
    assert run.removed == 1
    assert not AreaType.objects.filter(area=partial).exists()
    assert AuditEntry.objects.filter(action="delete", object_repr__contains="2023").exists()


@needs_db
def test_compute__a_year_without_a_national_distribution_gets_no_types() -> None:
    area = _area()
    _area_values(area, 2023, {EDU: 10.0, LOW: 10.0, ASSIST: 10.0})
    run = area_types_compute_run(year=2023, areas=[area])
    assert run.area_types == []
    assert run.years_without_reference == [2023]
    assert not AreaType.objects.exists()


@needs_db
def test_compute__is_idempotent_and_updates_in_place() -> None:
    area = _area()
    _area_values(area, 2022, {EDU: 10.0, LOW: 10.0, ASSIST: 10.0})
    _area_values(area, 2023, {EDU: 16.0, LOW: 16.0, ASSIST: 16.0})

    first = area_types_compute_run(areas=[area], reference=REF)  # every year with inputs
    audits = AuditEntry.objects.count()
    second = area_types_compute_run(areas=[area], reference=REF)

    assert [(r.year, r.area_type) for r in first.area_types] == [(2022, 3), (2023, 1)]
    assert [r.pk for r in second.area_types] == [r.pk for r in first.area_types]
    assert second.unchanged == 2
    assert AreaType.objects.count() == 2
    assert AuditEntry.objects.count() == audits  # nothing changed, nothing recorded

    IndicatorValue.objects.filter(area=area, year=2023).update(value=9.0)
    third = area_types_compute_run(year=2023, areas=[area], reference=REF)
    assert third.unchanged == 0
    assert AreaType.objects.get(area=area, year=2023).area_type == 4
    assert AreaType.objects.count() == 2


@needs_db
def test_compute__records_the_nation_index_when_the_nation_has_all_inputs() -> None:
    area = _area()
    _area_values(area, 2023, {EDU: 10.0, LOW: 10.0, ASSIST: 10.0})
    for code, value in {EDU: 9.0, LOW: 15.0, ASSIST: 6.0}.items():
        IndicatorValueFactory(
            indicator=IndicatorFactory(code=code),
            level="nation",
            region_code="00",
            period="2023",
            value=value,
        )
    [row] = area_types_compute(year=2023, areas=[area], reference=REF)
    assert row.inputs["nation_index"] == 10.0


@needs_db
def test_command__computes_with_a_given_reference() -> None:
    area = _area()
    _area_values(area, 2023, {EDU: 30.0, LOW: 30.0, ASSIST: 30.0})
    out = StringIO()
    call_command(
        "compute_area_types",
        "--year=2023",
        "--reference-mean=10",
        "--reference-sd=2",
        stdout=out,
        stderr=StringIO(),
    )
    assert AreaType.objects.get(area=area, year=2023).area_type == 1
    assert "1 nya eller ändrade" in out.getvalue()


@needs_db
def test_command__needs_both_reference_numbers() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("compute_area_types", "--reference-mean=10", stdout=StringIO())


@needs_db
def test_selectors__history_oldest_first_and_latest_per_area() -> None:
    area = _area()
    other = _area(municipality=area.municipality)
    for year, kind in [(2023, 2), (2021, 4), (2022, 3)]:
        AreaType.objects.create(area=area, year=year, index=float(year - 2000), area_type=kind)
    AreaType.objects.create(area=other, year=2021, index=5.0, area_type=5)

    history = area_type_history(actor=None, area=area)
    assert [r.year for r in history] == [2021, 2022, 2023]

    latest = area_types_in_year(actor=None, municipality=area.municipality)
    assert {k: (v.year, v.area_type) for k, v in latest.items()} == {
        area.pk: (2023, 2),
        other.pk: (2021, 5),
    }
    in_2021 = area_types_in_year(actor=None, municipality=area.municipality, year=2021)
    assert {k: v.area_type for k, v in in_2021.items()} == {area.pk: 4, other.pk: 5}
    assert at.area_type_years(municipality=area.municipality) == [2021, 2022, 2023]
    assert area_type_label(1)  # a non-empty label in the active language
