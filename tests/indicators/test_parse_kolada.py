"""Kolada parser: v2 and v3 data responses, nation and county codes, every malformed row."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import translation
from tests.factories import IndicatorFactory
from tests.indicators.generated import cell_value, is_suppressed, kolada_bytes, kolada_rows

from kvarter.indicators.importing.kolada import parse_kolada
from kvarter.indicators.importing.observations import Observation
from kvarter.indicators.models import Indicator

pytestmark = pytest.mark.django_db

@pytest.fixture(autouse=True)
def _swedish():
    """Messages are asserted in Swedish, whatever language an earlier test left active."""
    with translation.override("sv"):
        yield



def _dump(rows: list[dict[str, Any]]) -> bytes:
    return json.dumps({"values": rows, "count": len(rows)}).encode("utf-8")


def _codes(result: Any) -> list[str]:
    return [problem.code for problem in result.problems]


@pytest.mark.parametrize("version", [2, 3])
def test_parse_kolada__v2_and_v3__every_gender_and_missing_never_zero(version: int) -> None:
    employed = Indicator.objects.get(kolada_kpi="N00914")  # the starter catalogue's row
    raw = kolada_bytes(
        version=version,
        kpis=["N00914"],
        municipalities=["0580", "0000"],
        years=[2022, 2023],
        suppress_every=5,
    )

    result = parse_kolada(raw)

    assert result.problems == []
    assert result.source == "Kolada N00914"
    assert len(result.observations) == 2 * 2 * 3
    assert result.observations[0] == Observation(
        employed.pk, "0580", None, "2022", "T", cell_value(0), "ok"
    )
    assert {o.region_code for o in result.observations} == {"0580", "00"}
    for position, observation in enumerate(result.observations):
        if is_suppressed(position, 5):
            assert (observation.value, observation.status) == (None, "missing")
        else:
            assert (observation.value, observation.status) == (cell_value(position), "ok")


def test_parse_kolada__county_council_code__is_the_county() -> None:
    rows = kolada_rows(kpis=["N00914"], municipalities=["0005"], years=[2023], genders=["T"])

    result = parse_kolada(_dump(rows))

    assert [o.region_code for o in result.observations] == ["05"]


def test_parse_kolada__null_value_with_empty_status__is_missing() -> None:
    rows = [
        {
            "kpi": "N00914",
            "municipality": "0580",
            "period": 2023,
            "values": [{"count": 1, "gender": "K", "status": "", "value": None}],
        }
    ]

    result = parse_kolada(_dump(rows))

    assert [(o.sex, o.value, o.status) for o in result.observations] == [("K", None, "missing")]


def test_parse_kolada__unknown_kpi__named_once_with_its_first_row() -> None:
    rows = kolada_rows(kpis=["N00914", "U99999"], municipalities=["0580"], years=[2022, 2023])

    result = parse_kolada(_dump(rows))

    assert _codes(result) == ["unknown_indicator"]
    assert result.problems[0].row == 3
    assert result.problems[0].field == "values[2].kpi"
    assert "U99999" in result.problems[0].message


def test_parse_kolada__every_bad_row_is_reported() -> None:
    good = {"count": 1, "gender": "T", "status": "", "value": 1.5}
    rows = [
        {"kpi": "N00914", "municipality": "0999", "period": 2023, "values": [good]},
        {"kpi": "N00914", "municipality": "0580", "period": "20x3", "values": [good]},
        {
            "kpi": "N00914",
            "municipality": "0580",
            "period": 2023,
            "values": [{**good, "gender": "X"}],
        },
        {
            "kpi": "N00914",
            "municipality": "0580",
            "period": 2023,
            "values": [{**good, "value": "n/a"}],
        },
        {
            "kpi": "N00914",
            "municipality": "0580",
            "period": 2024,
            "values": [{**good, "status": "Odd"}],
        },
        {"kpi": "N00914", "ou": "V15E144001301", "period": 2023, "values": [good]},
    ]

    result = parse_kolada(_dump(rows))

    assert [(p.row, p.code) for p in result.problems] == [
        (1, "unknown_region"),
        (2, "unknown_period"),
        (3, "unknown_sex"),
        (4, "not_a_number"),
        (5, "unknown_status"),
        (6, "not_supported"),
    ]
    assert "Okänd regionkod 0999" in result.problems[0].message
    with translation.override("en"):
        assert "Unknown region code 0999" in result.problems[0].message


def test_parse_kolada__same_cell_twice__is_a_duplicate() -> None:
    rows = kolada_rows(kpis=["N00914"], municipalities=["0580"], years=[2023], genders=["T"])

    result = parse_kolada(_dump(rows + rows))

    assert _codes(result) == ["duplicate"]
    assert result.problems[0].row == 2
    assert "rad 1" in result.problems[0].message


def test_parse_kolada__truncated_and_foreign_json__are_problems() -> None:
    raw = kolada_bytes(kpis=["N00914"], municipalities=["0580"], years=[2023])

    assert _codes(parse_kolada(raw[:-40])) == ["not_json"]
    assert _codes(parse_kolada(b'{"values": [{"id": "N00914", "title": "x"}]}')) == ["not_kolada"]


def test_parse_kolada__kpi_on_two_catalogue_rows__is_refused_not_guessed() -> None:
    IndicatorFactory(code="forvarvsfrekvens-kopia", kolada_kpi="N00914")
    rows = kolada_rows(kpis=["N00914"], municipalities=["0580"], years=[2023])

    assert _codes(parse_kolada(_dump(rows))) == ["ambiguous_indicator"]


def test_parse_kolada__rows_without_kpi__need_the_indicator_argument() -> None:
    rows = kolada_rows(kpis=["N00914"], municipalities=["0580"], years=[2023], genders=["T"])
    for row in rows:
        del row["kpi"]
    indicator = IndicatorFactory()

    assert _codes(parse_kolada(_dump(rows))) == ["no_indicator"]
    result = parse_kolada(_dump(rows), indicator=indicator)
    assert result.problems == []
    assert [o.indicator_id for o in result.observations] == [indicator.pk]
