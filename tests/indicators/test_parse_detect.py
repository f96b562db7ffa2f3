"""The one door: formats sniffed from the bytes, and every real file in shared/data/statistics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.factories import IndicatorFactory
from tests.indicators.generated import jsonstat_bytes, kolada_bytes, long_csv_bytes

from kvarter.indicators.importing.detect import parse_indicator_file

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "statistics"
SHARED_FILES = (
    sorted(p for p in SHARED.rglob("*") if p.suffix.lower() in {".json", ".csv"})
    if SHARED.is_dir()
    else []
)


def _codes(result: Any) -> list[str]:
    return [problem.code for problem in result.problems]


def test_parse_indicator_file__sniffs_jsonstat_kolada_and_csv() -> None:
    IndicatorFactory(code="forvarv", scb_measure="000005PU")
    jsonstat = jsonstat_bytes(regions=["0580"], years=["2021"])
    kolada = kolada_bytes(kpis=["N00914"], municipalities=["0580"], years=[2021])
    csv = long_csv_bytes([["0580", "forvarv", "2021", "T", "1,5", "", ""]])

    assert parse_indicator_file(jsonstat, file_name="uttag.json").file_format == "json-stat2"
    assert parse_indicator_file(kolada, file_name="kolada.json").file_format == "kolada"
    assert parse_indicator_file(csv, file_name="egna.csv").file_format == "csv"
    for raw in (jsonstat, kolada, csv):
        result = parse_indicator_file(raw, file_name="x")
        assert result.problems == []
        assert len(result.observations) >= 1


def test_parse_indicator_file__jsonstat_with_bom_and_named_format() -> None:
    indicator = IndicatorFactory()
    raw = b"\xef\xbb\xbf" + jsonstat_bytes(regions=["0580"], years=["2021"], sexes=["T"])

    result = parse_indicator_file(
        raw, file_name="data", file_format="json-stat2", indicator=indicator
    )

    assert result.problems == []
    assert result.observations[0].indicator_id == indicator.pk


def test_parse_indicator_file__truncated_json__is_not_read_as_csv() -> None:
    raw = kolada_bytes(kpis=["N00914"], municipalities=["0580"], years=[2021])

    result = parse_indicator_file(raw[:50], file_name="kolada.json")

    assert _codes(result) == ["not_json"]


def test_parse_indicator_file__unknown_format_and_foreign_json__are_problems() -> None:
    assert _codes(parse_indicator_file(b"{}", file_name="x", file_format="xlsx")) == [
        "unknown_format"
    ]
    assert _codes(parse_indicator_file(b'{"a": 1}', file_name="x.json")) == ["unknown_json"]


@pytest.mark.skipif(not SHARED_FILES, reason="no real files in shared/data/statistics yet")
@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.name)
def test_shared_statistics_file__parses_without_problems(path: Path, demo: Any) -> None:
    raw = path.read_bytes()

    result = parse_indicator_file(raw, file_name=path.name, municipality=demo)

    assert result.problems == []
    assert result.observations
    if result.file_format == "json-stat2":
        values = json.loads(raw).get("value")
        if isinstance(values, list):
            # Observations follow value's order: three cells straight from the file.
            for position in (0, len(values) // 2, len(values) - 1):
                if isinstance(values[position], (int, float)):
                    assert result.observations[position].value == values[position]
