"""Excel rendering with openpyxl: a summary sheet, then one sheet of plain data per table."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from kvarter.core.spreadsheet import set_text
from kvarter.reports.document import (
    STATUS_COLOURS,
    Cell,
    Chart,
    Document,
    KeyFigures,
    StatusCell,
    Table,
)

_SHEET_NAME_MAX = 31
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
# Excel keeps "History" for itself and compares sheet names without regard to case.
_RESERVED_SHEET_NAMES = {"history"}
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="EEF1F4")


def render_xlsx(doc: Document) -> bytes:
    """The document as a workbook: "Summary" first (title, meta lines, key figures, a list of
    the tables), then each table, a chart's data included, on its own sheet."""
    with translation.override(doc.language):
        book = Workbook()
        summary = book.active
        assert summary is not None  # a new workbook always has one sheet
        taken: set[str] = set()
        summary.title = sheet_name(gettext("Summary"), taken)
        sheets = []
        for block in doc.blocks:
            if isinstance(block, Table | Chart):
                table = block.table if isinstance(block, Chart) else block
                name = sheet_name(table.sheet_name or table.caption, taken)
                sheet = book.create_sheet(name)
                _write_table(sheet, table)
                if isinstance(block, Chart):
                    _add_native_chart(sheet, block)
                sheets.append((table.caption, name))
        _write_summary(summary, doc, sheets)
        out = BytesIO()
        book.save(out)
        return out.getvalue()


def sheet_name(wanted: str, taken: set[str]) -> str:
    """`wanted` made a legal, unused Excel sheet name (≤ 31 characters, none of []:*?/\\,
    no leading or trailing apostrophe, unique regardless of case); records it in `taken`."""
    base = _FORBIDDEN_IN_SHEET_NAME.sub(" ", wanted)
    base = re.sub(r"\s+", " ", base).strip().strip("'").strip() or gettext("Table")
    name, number = base[:_SHEET_NAME_MAX].rstrip("' "), 1
    while name.lower() in taken or name.lower() in _RESERVED_SHEET_NAMES:
        number += 1
        suffix = f" ({number})"
        name = base[: _SHEET_NAME_MAX - len(suffix)].rstrip("' ") + suffix
    taken.add(name.lower())
    return name


def _write_summary(sheet: Worksheet, doc: Document, sheets: list[tuple[str, str]]) -> None:
    _append(sheet, [doc.title])
    sheet["A1"].font = Font(bold=True, size=16)
    if doc.subtitle:
        _append(sheet, [doc.subtitle])
    sheet.append([])
    for label, value in doc.meta:
        _append(sheet, [label, value], bold_first=True)
    for block in doc.blocks:
        if isinstance(block, KeyFigures):
            _write_key_figures(sheet, block)
    if sheets:
        sheet.append([])
        _append(sheet, [gettext("Tables")], bold_first=True)
        for caption, name in sheets:
            _append(sheet, [caption, name])
            link = sheet.cell(row=sheet.max_row, column=2)
            # An internal link: jumps to the sheet, never opens anything outside the file.
            link.hyperlink = f"#{quote_sheetname(name)}!A1"
            link.style = "Hyperlink"
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 40


def _write_key_figures(sheet: Worksheet, block: KeyFigures) -> None:
    sheet.append([])
    if block.caption:
        _append(sheet, [block.caption], bold_first=True)
    for label, value in block.items:
        # Numbers stay numbers so they can be summed; text such as "25 %" stays text.
        _append(sheet, [label, value])


def _append(sheet: Worksheet, values: list[Cell], *, bold_first: bool = False) -> None:
    sheet.append([None] * len(values))
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        _set_value(sheet.cell(row=row, column=column), value)
    if bold_first:
        sheet.cell(row=row, column=1).font = _BOLD


def _write_table(sheet: Worksheet, table: Table) -> None:
    """Header in row 1 (bold, frozen, filterable), then one row per table row."""
    for column, heading in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=column)
        _set_value(cell, heading.label)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            _set_value(sheet.cell(row=row_number, column=column), value)
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    for column, heading in enumerate(table.columns, start=1):
        texts = [heading.label, *(_width_text(row[column - 1]) for row in table.rows)]
        sheet.column_dimensions[get_column_letter(column)].width = _width(heading.width, texts)


def _width_text(value: Cell) -> str:
    return value.label if isinstance(value, StatusCell) else "" if value is None else str(value)


def _width(hint: int | None, texts: Iterable[str]) -> float:
    """A column width in characters: the hint, else the longest text, kept readable."""
    wanted = hint if hint else max((len(text) for text in texts), default=0) + 2
    return float(min(max(wanted, _MIN_WIDTH), _MAX_WIDTH))


def _set_value(cell: SheetCell, value: Cell) -> None:
    if isinstance(value, StatusCell):
        cell.value = value.label
        tint = STATUS_COLOURS[value.code].tint.lstrip("#").upper()
        cell.fill = PatternFill("solid", fgColor=tint)
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        cell.value = value
    elif isinstance(value, str):
        _set_text(cell, value)


def _set_text(cell: SheetCell, text: str) -> None:
    """Store text as text even when it looks like a formula (core.spreadsheet)."""
    set_text(cell, text)


def _add_native_chart(sheet: Worksheet, chart: Chart) -> None:
    """An Excel bar chart of the chart's table, when it is a category column followed by
    number columns; Excel users can then restyle or copy it like any chart of their own."""
    table = chart.table
    kinds = [column.kind for column in table.columns]
    if len(kinds) < 2 or kinds[0] != "text" or any(kind != "number" for kind in kinds[1:]):
        return
    series_columns = len(kinds) - 1
    # A trailing total would double every bar, so it is left out of the stack.
    if series_columns > 1 and _is_total_column(table):
        series_columns -= 1
    rows = len(table.rows) + 1
    bar = BarChart()
    bar.type, bar.grouping, bar.overlap = "bar", "stacked", 100
    bar.title = chart.title
    bar.width, bar.height = 18, max(6.0, 1.2 * len(table.rows) + 3)
    data = Reference(sheet, min_col=2, max_col=1 + series_columns, min_row=1, max_row=rows)
    bar.add_data(data, titles_from_data=True)
    colours = _series_colours(chart.spec)
    for series, column in zip(bar.series, table.columns[1:], strict=False):
        if column.label in colours:
            series.graphicalProperties.solidFill = colours[column.label]
            series.graphicalProperties.line.solidFill = colours[column.label]
    bar.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows))
    bar.y_axis.title = None
    bar.x_axis.scaling.orientation = "maxMin"  # first group at the top, as in the other formats
    sheet.add_chart(bar, f"{get_column_letter(len(kinds) + 2)}2")


def _is_total_column(table: Table) -> bool:
    """Whether the last column is the sum of the other number columns in every row."""
    for row in table.rows:
        numbers = [value for value in row[1:] if isinstance(value, int | Decimal)]
        if len(numbers) != len(row) - 1 or sum(numbers[:-1]) != numbers[-1]:
            return False
    return bool(table.rows)


def _series_colours(spec: Any) -> dict[str, str]:
    """Legend label → colour from the Vega-Lite spec's explicit colour scale, if it has one,
    so Excel's bars wear the same colours as the chart in the other formats."""
    if isinstance(spec, dict):
        domain, colours = spec.get("domain"), spec.get("range")
        if isinstance(domain, list) and isinstance(colours, list) and len(domain) == len(colours):
            pairs = zip(domain, colours, strict=True)
            return {str(d): c.lstrip("#").upper() for d, c in pairs if str(c).startswith("#")}
        for value in spec.values():
            if found := _series_colours(value):
                return found
    elif isinstance(spec, list):
        for value in spec:
            if found := _series_colours(value):
                return found
    return {}
