"""Long CSV parser: names, codes and Riket; encodings, delimiters, numbers; every bad line."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from tests.factories import AreaFactory, IndicatorFactory, MunicipalityFactory
from tests.indicators.generated import long_csv_bytes

from kvarter.indicators.importing.longcsv import parse_long_csv
from kvarter.indicators.importing.observations import Observation

pytestmark = pytest.mark.django_db

@pytest.fixture(autouse=True)
def _swedish():
    """Messages are asserted in Swedish, whatever language an earlier test left active."""
    with translation.override("sv"):
        yield



def _codes(result: Any) -> list[str]:
    return [problem.code for problem in result.problems]


@pytest.fixture
def place() -> dict[str, Any]:
    municipality = MunicipalityFactory(code="0580", name="Linköping")
    area = AreaFactory(municipality=municipality, name="Skäggetorp")
    indicator = IndicatorFactory(code="forvarvsfrekvens")
    return {"municipality": municipality, "area": area, "indicator": indicator}


def test_parse_long_csv__areas_codes_and_riket__one_observation_a_line(place: dict) -> None:
    indicator, area = place["indicator"], place["area"]
    raw = long_csv_bytes(
        [
            ["skäggetorp", "forvarvsfrekvens", "2023", "kvinnor", "61,4", "", "SCB"],
            ["0580", "forvarvsfrekvens", "2023", "", "1 234,5", "", "SCB"],
            ["0580C1010", "forvarvsfrekvens", "2023K2", "M", "70.2", "preliminär", "SCB"],
            ["Riket", "FORVARVSFREKVENS", "2023", "män", "", "prickad", "SCB"],
        ]
    )

    result = parse_long_csv(raw, municipality=place["municipality"])

    assert result.problems == []
    assert result.source == "SCB"
    assert result.row_sources == {}
    pk = indicator.pk
    assert result.observations == [
        Observation(pk, "", area.pk, "2023", "K", 61.4, "ok"),
        Observation(pk, "0580", None, "2023", "T", 1234.5, "ok"),
        Observation(pk, "0580C1010", None, "2023Q2", "M", 70.2, "preliminary"),
        Observation(pk, "00", None, "2023", "M", None, "suppressed"),
    ]


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "utf-8-sig"), (",", "utf-8"), ("\t", "utf-8"), (";", "cp1252"), ("\t", "utf-16")],
)
def test_parse_long_csv__delimiters_and_encodings__read_alike(
    place: dict, delimiter: str, encoding: str
) -> None:
    raw = long_csv_bytes(
        [["Skäggetorp", "forvarvsfrekvens", "2022", "T", "58.0", "", "Kommunens egen"]],
        delimiter=delimiter,
        encoding=encoding,
    )

    result = parse_long_csv(raw, municipality=place["municipality"])

    assert result.problems == []
    assert result.observations[0].area_id == place["area"].pk
    assert result.source == "Kommunens egen"


def test_parse_long_csv__english_headers_counts_and_row_sources(place: dict) -> None:
    raw = long_csv_bytes(
        [
            ["0580", "forvarvsfrekvens", "2021", "total", "50", "120", "240", "SCB"],
            ["0580", "forvarvsfrekvens", "2022", "total", "52", "", "", "Kolada"],
        ],
        header=(
            "Area",
            "Indicator",
            "Period",
            "Sex",
            "Value",
            "Numerator",
            "Denominator",
            "Source",
        ),
    )

    result = parse_long_csv(raw)

    assert result.problems == []
    assert (result.observations[0].numerator, result.observations[0].denominator) == (120, 240)
    assert result.source == ""
    assert result.row_sources == {0: "SCB", 1: "Kolada"}


def test_parse_long_csv__dots_in_the_value_column__are_suppressed_not_zero(place: dict) -> None:
    raw = long_csv_bytes([["0580", "forvarvsfrekvens", "2021", "T", "..", "", ""]])

    result = parse_long_csv(raw)

    assert [(o.value, o.status) for o in result.observations] == [(None, "suppressed")]


def test_parse_long_csv__every_bad_line_named_with_its_line_number(place: dict) -> None:
    raw = long_csv_bytes(
        [
            ["0999", "forvarvsfrekvens", "2021", "T", "1", "", ""],  # line 2
            ["Ryd", "forvarvsfrekvens", "2021", "T", "1", "", ""],  # line 3
            ["0580", "nosuch", "2021", "T", "1", "", ""],  # line 4
            ["0580", "forvarvsfrekvens", "2021Q5", "T", "1", "", ""],  # line 5
            ["0580", "forvarvsfrekvens", "2021", "X", "1", "", ""],  # line 6
            ["0580", "forvarvsfrekvens", "2022", "T", "tolv", "", ""],  # line 7
            ["0580", "forvarvsfrekvens", "2023", "T", "1.234,5", "", ""],  # line 8
            ["0580", "forvarvsfrekvens", "2024", "T", "3", "prickad", ""],  # line 9
            ["0580", "forvarvsfrekvens", "2025", "T", "3", "konstig", ""],  # line 10
            ["0580", "forvarvsfrekvens", "2026", "T", "3", "", ""],  # line 11
            ["0580", "forvarvsfrekvens", "2026", "totalt", "4", "", ""],  # line 12
        ]
    )

    result = parse_long_csv(raw, municipality=place["municipality"])

    assert [(p.row, p.field, p.code) for p in result.problems] == [
        (2, "område", "unknown_region"),
        (3, "område", "unknown_area"),
        (4, "indikator", "unknown_indicator"),
        (5, "period", "unknown_period"),
        (6, "kön", "unknown_sex"),
        (7, "värde", "not_a_number"),
        (8, "värde", "not_a_number"),
        (9, "värde", "hidden_with_value"),
        (10, "status", "unknown_status"),
        (12, "område", "duplicate"),
    ]
    assert result.problems[0].message == "Okänd regionkod 0999"
    with translation.override("en"):
        assert result.problems[0].message == "Unknown region code 0999"
    assert "rad 11" in result.problems[-1].message


def test_parse_long_csv__area_name_without_municipality__asks_for_it(place: dict) -> None:
    raw = long_csv_bytes([["Skäggetorp", "forvarvsfrekvens", "2021", "T", "1", "", ""]])

    assert _codes(parse_long_csv(raw)) == ["area_needs_municipality"]


def test_parse_long_csv__missing_columns__named_on_the_header_line(place: dict) -> None:
    raw = long_csv_bytes([["0580", "2021"]], header=("område", "år"))

    result = parse_long_csv(raw)

    assert [(p.row, p.code) for p in result.problems] == [
        (1, "missing_column"),
        (1, "missing_column"),
        (1, "missing_column"),
    ]


def test_parse_long_csv__quoted_line_break__keeps_line_numbers_right(place: dict) -> None:
    raw = long_csv_bytes(
        [
            ["0580", "forvarvsfrekvens", "2021", "T", "1", "", "SCB\nrad två"],
            ["0580", "forvarvsfrekvens", "2021", "T", "2", "", ""],
        ]
    )

    result = parse_long_csv(raw)

    assert [(p.row, p.code) for p in result.problems] == [(4, "duplicate")]


def test_parse_long_csv__the_municipality_by_name__is_its_code(place: dict) -> None:
    raw = long_csv_bytes([["linköping", "forvarvsfrekvens", "2021", "T", "77", "", ""]])

    result = parse_long_csv(raw, municipality=place["municipality"])

    assert [(o.region_code, o.area_id) for o in result.observations] == [("0580", None)]


def test_parse_long_csv__a_cut_off_line__is_a_problem_not_a_missing_value(place: dict) -> None:
    raw = long_csv_bytes([["0580", "forvarvsfrekvens", "2021", "T", "5", "", ""]])
    raw += b"0580;forvarvsfrekvens;2022\r\n"

    result = parse_long_csv(raw)

    assert [(p.row, p.code) for p in result.problems] == [(3, "short_row")]


def test_parse_long_csv__excel_sep_line__names_the_delimiter(place: dict) -> None:
    raw = b"sep=,\r\n" + long_csv_bytes(
        [["0580", "forvarvsfrekvens", "2021", "T", "5", "", ""]], delimiter=","
    )

    result = parse_long_csv(raw)

    assert result.problems == []
    assert [o.value for o in result.observations] == [5.0]


def test_parse_long_csv__a_bad_byte__named_by_line_and_column_not_replaced(place: dict) -> None:
    raw = long_csv_bytes(
        [
            ["Skäggetorp", "forvarvsfrekvens", "2021", "T", "5", "", ""],
            ["0580", "forvarvsfrekvens", "2022", "T", "6", "", "SCB"],
        ]
    ).replace(b"SCB", b"S\xe5B")

    result = parse_long_csv(raw)

    assert [(p.row, p.field, p.code) for p in result.problems] == [(3, "källa", "encoding")]
    assert result.observations == []


def test_parse_long_csv__xlsx__read_as_the_same_table(place: dict) -> None:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["område", "indikator", "period", "kön", "värde"])
    sheet.append(["0580", "forvarvsfrekvens", 2021, "T", 61.5])
    sheet.append(["0580", "forvarvsfrekvens", 2022, "T", "62,5"])
    out = io.BytesIO()
    workbook.save(out)

    result = parse_long_csv(out.getvalue(), file_name="figures.xlsx")

    assert (result.file_format, result.problems) == ("xlsx", [])
    assert [(o.period, o.value) for o in result.observations] == [("2021", 61.5), ("2022", 62.5)]
