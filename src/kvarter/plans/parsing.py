"""Read and write the action plan interchange format (CSV or XLSX), without Django.

See ``/work/shared/formats/action-plan.md``. ``parse_plan_file`` checks everything that can be
checked without the database and raises ``ImportRejected`` with every problem found at once.
Area names are not checked here; the database step does that. The bytes are read by
:func:`kvarter.core.importing.tables.read_table` (encodings, separators, caps); rows are
numbered by the text line each starts on, as an editor shows them.

In Excel, ``Nr`` should be a text cell: a numeric cell 1.10 is stored as 1.1 and read as '1.1'.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kvarter.core.importing import ImportRejected, Problem
from kvarter.core.importing.tables import Table, read_table
from kvarter.core.spreadsheet import csv_uncell, safe_csv_writer, set_text
from kvarter.core.text import join_list, parse_list

__all__ = [
    "Disposition",
    "MeasureRow",
    "ParsedPlan",
    "Status",
    "parse_plan_file",
    "write_plan_csv",
    "write_plan_xlsx",
]


class Status(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_DONE = "not_done"


class Disposition(StrEnum):
    KEPT = "kept"
    DEVELOPED = "developed"
    MERGED = "merged"
    DROPPED = "dropped"


@dataclass(frozen=True)
class MeasureRow:
    row: int
    number: str
    goal_area_number: int
    goal_area: str
    title: str
    description: str
    area_names: tuple[str, ...]
    responsible: str
    responsible_units: tuple[str, ...]
    financing: str
    status: Status | None
    comment: str
    disposition: Disposition | None
    disposition_year: int | None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedPlan:
    rows: list[MeasureRow]
    unknown_columns: list[str]
    encoding: str
    delimiter: str | None


# Contract column key -> Swedish header (as exported).
HEADERS: dict[str, str] = {
    "number": "Nr",
    "goal_area": "Utvecklingsområde",
    "title": "Åtgärd",
    "description": "Beskrivning",
    "areas": "Område",
    "responsible": "Ansvarig",
    "financing": "Finansiering och tid",
    "status": "Status",
    "comment": "Kommentar",
    "next_plan": "Hantering nästa plan",
}
REQUIRED = ("number", "goal_area", "title")

_ALIASES: dict[str, str] = {}
for _key, _header in HEADERS.items():
    _ALIASES[_header.casefold()] = _key
    _ALIASES[_key] = _key
_ALIASES["målområde"] = "goal_area"
_HANDLING_YEAR = re.compile(r"hantering ([0-9]{4})")
_BRACKETED = re.compile(r"(.*?)\s*\[(.*)\]")
_NUMBER = re.compile(r"([0-9]+)\.([0-9]+)")
_SPACES = re.compile(r"\s+")

STATUS_SV = {
    Status.DONE: "Genomförd",
    Status.IN_PROGRESS: "Pågår",
    Status.NOT_DONE: "Ej genomförd",
}
DISPOSITION_SV = {
    Disposition.KEPT: "Vidmakthållen",
    Disposition.DEVELOPED: "Vidareutvecklad",
    Disposition.MERGED: "Ingår i annan åtgärd",
    Disposition.DROPPED: "Utgår",
}
_STATUS_WORDS = {
    **{sv.casefold(): s for s, sv in STATUS_SV.items()},
    "done": Status.DONE,
    "in progress": Status.IN_PROGRESS,
    "in_progress": Status.IN_PROGRESS,
    "not done": Status.NOT_DONE,
    "not_done": Status.NOT_DONE,
}
_DISPOSITION_WORDS = {
    **{sv.casefold(): d for d, sv in DISPOSITION_SV.items()},
    **{d.value: d for d in Disposition},
}


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def _column_key(header: str) -> tuple[str | None, int | None]:
    """Map a header to (contract key, disposition year); (None, None) if unknown."""
    candidates = [_norm(header)]
    bracketed = _BRACKETED.fullmatch(candidates[0])
    if bracketed:  # 'Nr [number]'
        candidates += [bracketed[1], bracketed[2]]
    for name in candidates:
        if name in _ALIASES:
            return _ALIASES[name], None
        year = _HANDLING_YEAR.fullmatch(name)
        if year:
            return "next_plan", int(year[1])
    return None, None


# --- Reading raw records ---------------------------------------------------------

Record = tuple[int, list[str]]  # (row number as the user counts, cell texts)


def _read(raw: bytes, filename: str, problems: list[Problem]) -> tuple[list[Record], Table]:
    """The file's non-blank rows, numbered by the text line each starts on (CSV) or sheet row."""
    table = read_table(raw, filename=filename, numbering="line", sheet="Åtgärder")
    # A CSV cell Kvarter wrote as '-10 % buller (formula injection, core.spreadsheet) reads
    # back as -10 % buller; XLSX keeps the text itself and needs no such step.
    unquote = csv_uncell if not filename.lower().endswith(".xlsx") else str
    records = [(row, [_clean(unquote(cell)) for cell in cells]) for row, cells in table]
    problems.extend(table.problems)
    return records, table


def _clean(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _problem(
    row: int | None, column: str, code: str, message: str | Promise = "", /, **params: Any
) -> Problem:
    """A problem with ``message`` (an English msgid, lazy) or else the code's own message."""
    return Problem(row, column, code, message, params=params)


# --- Parsing ----------------------------------------------------------------------


def parse_plan_file(raw: bytes, filename: str) -> ParsedPlan:
    """Parse a .csv or .xlsx action plan; raise ImportRejected with every problem found."""
    problems: list[Problem] = []
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix not in ("csv", "xlsx"):
        raise ImportRejected(
            [
                _problem(None, "", "unsupported_file_type", _("The file must be .csv or .xlsx"))
            ]
        )
    records, table = _read(raw, filename, problems)
    records = [(row, cells) for row, cells in records if any(cells)]
    if not records:
        if not problems:
            problems.append(
                _problem(None, "", "empty_file", _("The file has no header row"))
            )
        raise ImportRejected(problems)
    rows, unknown = _parse_records(records, is_csv=suffix == "csv", problems=problems)
    if problems:
        raise ImportRejected(problems)
    return ParsedPlan(
        rows=rows, unknown_columns=unknown, encoding=table.encoding, delimiter=table.delimiter
    )


def _parse_records(
    records: list[Record], *, is_csv: bool, problems: list[Problem]
) -> tuple[list[MeasureRow], list[str]]:
    (_header_row, header), body = records[0], records[1:]
    width = len(header)
    if not is_csv:  # Excel pads rows to the used range; trailing empty headers mean nothing
        while width and not header[width - 1]:
            width -= 1
    columns: dict[str, int] = {}  # contract key -> index
    extra_columns: dict[str, int] = {}  # unknown header -> index
    seen: dict[str, str] = {}  # normalised name -> header as written
    year: int | None = None
    for index, name in enumerate(header[:width]):
        if not name:
            if any(index < len(cells) and cells[index] for _, cells in body):
                name = f"Kolumn {index + 1}"
            else:
                continue
        key, header_year = _column_key(name)
        identity = key or _norm(name)
        if identity in seen:
            problems.append(
                _problem(
                    None,
                    name,
                    "duplicate_column",
                    _("The column '%(name)s' appears more than once (also '%(seen)s')"),
                    name=name,
                    seen=seen[identity],
                )
            )
            continue
        seen[identity] = name
        if key is None:
            extra_columns[name] = index
        else:
            columns[key] = index
            if key == "next_plan":
                year = header_year
    for key in REQUIRED:
        if key not in columns:
            problems.append(
                _problem(
                    None,
                    HEADERS[key],
                    "missing_column",
                    _("The column '%(column)s' [%(key)s] is missing"),
                    column=HEADERS[key],
                    key=key,
                )
            )
    names = {key: header[index] for key, index in columns.items()}

    rows: list[MeasureRow] = []
    numbers: dict[str, int] = {}
    area_by_name: dict[str, tuple[int, int, str]] = {}  # name -> (number, row, name)
    area_by_number: dict[int, tuple[str, int]] = {}  # number -> (name, row)
    for row, cells in body:
        if len(cells) != len(header) and (is_csv or any(cells[width:])):
            problems.append(
                _problem(
                    row,
                    "",
                    "field_count",
                    _("The row has %(cells_count)s fields but the header %(header_count)s"),
                    cells_count=len(cells),
                    header_count=len(header),
                )
            )
            continue

        def get(key: str, cells: list[str] = cells) -> str:
            return cells[columns[key]] if key in columns and columns[key] < len(cells) else ""

        before = len(problems)
        for key in REQUIRED:
            if key in columns and not get(key):
                problems.append(
                    _problem(
                        row,
                        names[key],
                        "required",
                        _("'%(column)s' is required"),
                        column=names[key],
                    )
                )
        number = get("number")
        goal_area = get("goal_area")
        match = _NUMBER.fullmatch(number)
        if number and not match:
            problems.append(
                _problem(
                    row,
                    names["number"],
                    "invalid_number",
                    _("'%(number)s' is not a measure number like 1.1"),
                    number=number,
                )
            )
        if number and number in numbers:
            problems.append(
                _problem(
                    row,
                    names["number"],
                    "duplicate_number",
                    _("Number %(number)s is already used on row %(first)s (and row %(row)s)"),
                    number=number,
                    first=numbers[number],
                    row=row,
                )
            )
        elif number:
            numbers[number] = row
        goal_number = int(match[1]) if match else 0
        if match and goal_area:
            _check_goal_area(
                row,
                names["goal_area"],
                goal_area,
                goal_number,
                area_by_name,
                area_by_number,
                problems,
            )
        status = _choice(
            row,
            names.get("status", ""),
            get("status"),
            _STATUS_WORDS,
            STATUS_SV.values(),
            "invalid_status",
            problems,
        )
        disposition = _choice(
            row,
            names.get("next_plan", ""),
            get("next_plan"),
            _DISPOSITION_WORDS,
            DISPOSITION_SV.values(),
            "invalid_disposition",
            problems,
        )
        if len(problems) > before:
            continue
        responsible = get("responsible")
        rows.append(
            MeasureRow(
                row=row,
                number=number,
                goal_area_number=goal_number,
                goal_area=goal_area,
                title=get("title"),
                description=get("description"),
                area_names=_list(get("areas")),
                responsible=responsible,
                responsible_units=_list(responsible),
                financing=get("financing"),
                status=status,
                comment=get("comment"),
                disposition=disposition,
                disposition_year=year,
                extra={
                    name: (cells[i] if i < len(cells) else "") for name, i in extra_columns.items()
                },
            )
        )
    return rows, list(extra_columns)


def _list(text: str) -> tuple[str, ...]:
    return tuple(parse_list(text))


def _check_goal_area(
    row: int,
    column: str,
    name: str,
    number: int,
    by_name: dict[str, tuple[int, int, str]],
    by_number: dict[int, tuple[str, int]],
    problems: list[Problem],
) -> None:
    key = _norm(name)
    if key in by_name and by_name[key][0] != number:
        known, first, _name = by_name[key]
        problems.append(
            _problem(
                row,
                column,
                "goal_area_number",
                _("'%(name)s' has number %(known)s on row %(first)s but %(number)s here"),
                name=name,
                known=known,
                first=first,
                number=number,
            )
        )
    if number in by_number and _norm(by_number[number][0]) != key:
        known_name, first = by_number[number]
        problems.append(
            _problem(
                row,
                column,
                "goal_area_name",
                _("Number %(number)s belongs to '%(known_name)s' (row %(first)s), not '%(name)s'"),
                number=number,
                known_name=known_name,
                first=first,
                name=name,
            )
        )
    by_name.setdefault(key, (number, row, name))
    by_number.setdefault(number, (name, row))


def _choice(
    row: int,
    column: str,
    value: str,
    words: dict[str, Any],
    accepted: Any,
    code: str,
    problems: list[Problem],
) -> Any:
    if not value:
        return None
    key = _norm(value).removesuffix(".").strip()
    if key in words:
        return words[key]
    allowed = ", ".join(accepted)
    problems.append(
        _problem(
            row,
            column,
            code,
            _("'%(value)s' is not a valid value; accepted: %(allowed)s"),
            value=value,
            allowed=allowed,
        )
    )
    return None


# --- Writing ----------------------------------------------------------------------


def _table(rows: Sequence[MeasureRow], extra_columns: Sequence[str]) -> list[list[str]]:
    extras = list(extra_columns)
    for measure in rows:  # never drop an extra column silently
        extras += [name for name in measure.extra if name not in extras]
    for name in extras:
        if _column_key(name)[0] is not None:
            raise ValueError(f"Extra column {name!r} clashes with a contract column")
    years = {measure.disposition_year for measure in rows}
    handling = HEADERS["next_plan"]
    if len(years) == 1 and None not in years:
        handling = f"Hantering {years.pop()}"
    header = [*list(HEADERS.values())[:-1], handling, *extras]
    table = [header]
    for m in rows:
        table.append(
            [
                m.number,
                m.goal_area,
                m.title,
                m.description,
                join_list(m.area_names),
                m.responsible,
                m.financing,
                STATUS_SV[m.status] if m.status else "",
                m.comment,
                DISPOSITION_SV[m.disposition] if m.disposition else "",
                *(m.extra.get(name, "") for name in extras),
            ]
        )
    return table


def write_plan_csv(rows: Sequence[MeasureRow], *, extra_columns: Sequence[str] = ()) -> bytes:
    """Write the contract columns (';', UTF-8 with BOM, Swedish values) as Excel opens them.

    Extra columns are ``extra_columns`` followed by any other key found in a row's ``extra``.
    The disposition header is 'Hantering <year>' when every row has that year, else
    'Hantering nästa plan', so that export → import keeps ``disposition_year``.
    """
    out = io.StringIO(newline="")
    writer = safe_csv_writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(_table(rows, extra_columns))
    return out.getvalue().encode("utf-8-sig")


def write_plan_xlsx(rows: Sequence[MeasureRow], *, extra_columns: Sequence[str] = ()) -> bytes:
    """Write the same table as ``write_plan_csv`` to a sheet 'Åtgärder'."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    table = _table(rows, extra_columns)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Åtgärder"
    for row_number, values in enumerate(table, start=1):
        for column_number, value in enumerate(values, start=1):
            if value:  # every value is text, never a live formula
                set_text(sheet.cell(row=row_number, column=column_number), value)
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    for column_cells in sheet.iter_cols():
        for cell in column_cells:
            cell.alignment = wrap
        column_cells[0].font = bold
    for cell in sheet["A"]:
        cell.number_format = "@"  # Nr is text: 1.10 must not become 1.1
    for index, column in enumerate(zip(*table, strict=True), start=1):
        longest = max(len(line) for value in column for line in value.split("\n"))
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 50)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
