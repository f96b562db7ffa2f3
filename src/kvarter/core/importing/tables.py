"""One reader for every uploaded table: CSV in any encoding Excel writes, or an XLSX sheet.

:func:`read_table` gives a :class:`Table`, an iterator of rows (:data:`TableRow`: plain
``(number, cells)`` tuples, as a million of them must be cheap) that decodes as it reads, so
a file of a million rows is never held as a list. What it accepts:

- **Encodings**: UTF-8 with or without BOM, UTF-16 (BOM, or the zero bytes of ASCII text
  without one), and Windows-1252 as Excel saves in Sweden. A file whose first non-ASCII
  character is valid UTF-8 is UTF-8; otherwise Windows-1252. Decoding is strict: a byte that
  does not belong to the file's encoding (or UTF-8 inside a Windows-1252 file) is a
  :class:`Problem` naming the row and column, never a replacement character.
- **Separators**: ``;``, ``,`` or tab, the one the header line has most of outside quotes, or
  the one Excel's ``sep=;`` first line names (that line is not part of the table).
- **XLSX**: the named sheet (or the first), read with openpyxl ``read_only=True``, cells as text
  (whole floats without '.0', dates in ISO 8601); rows padded to the header's width.
- **Caps** (:class:`Limits`): the file's size, for XLSX the unpacked size of its parts (read
  from the zip's directory before anything is parsed, so a zip bomb is refused at once), the
  number of rows and the number of cells. Each exceeded cap is one clear problem.

Rows are numbered as a spreadsheet does (header row 1, a ``sep=`` line not counted) or, with
``numbering="line"``, by the text line each record starts on (header line 1). Blank rows are
skipped but counted. Broken quoting is a problem on its row and reading goes on; a quote never
closed ends the file. Fatal problems (encoding, caps, unreadable file) raise ImportRejected;
the others are collected in :attr:`Table.problems` for the importer to report with its own.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kvarter.core.importing import ImportRejected, Problem
from kvarter.core.importing.decoding import (
    CHUNK,
    LOCATED,
    Numbering,
    bad_spans,
    detect_encoding,
    encoding_problems,
)

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "Table",
    "TableRow",
    "parse_number",
    "read_table",
]

MiB = 1 << 20
_DELIMITERS = (";", "\t", ",")
_SEP_LINE = re.compile(r"sep=([;,\t|])\r?\n?")


@dataclass(frozen=True)
class Limits:
    """Caps on one upload; the defaults are documented in docs/architecture.md (Imports)."""

    max_bytes: int = 256 * MiB  # the file as uploaded
    max_unpacked_bytes: int = 128 * MiB  # XLSX: all parts of the zip, unpacked
    max_rows: int = 2_000_000  # rows of the table, the header and blank rows included
    max_cells: int = 30_000_000  # cells of all rows together


DEFAULT_LIMITS = Limits()


TableRow = tuple[int, list[str]]  # (row number as the table counts, the cells as text)


def _problem(
    row: int | None, column: str, code: str, text: Promise, /, **params: Any
) -> Problem:
    """A problem with its own message (lazy: rendered in the reader's language)."""
    return Problem(row, column, code, text, params=params)


def parse_number(text: str) -> float | None:
    """A number as people write it: '1 234,5', '1234.5', '-0,3', '−2'. None if it is no number.

    Spaces (also non-breaking) separate thousands; a comma or a point is the decimal sign. A
    text holding both, or two commas, is refused, since either could be the thousands sign.
    Infinity and NaN are no numbers.
    """
    try:
        number = float(text)  # the common case: '59.1', '-3'
    except ValueError:
        cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if "," in cleaned:
            if "." in cleaned or cleaned.count(",") > 1:
                return None
            cleaned = cleaned.replace(",", ".")
        cleaned = cleaned.replace("\u2212", "-")  # a typographic minus sign
        try:
            number = float(cleaned)
        except ValueError:
            return None
    return number if math.isfinite(number) else None


# --- Reading ------------------------------------------------------------------------


class Table:
    """The rows of one file, read as they are iterated; see :func:`read_table`."""

    def __init__(
        self,
        rows: Iterator[TableRow],
        *,
        kind: Literal["csv", "xlsx"],
        encoding: str,
        delimiter: str | None,
        problems: list[Problem],
        reader: Any = None,
    ) -> None:
        self._rows = rows
        self.kind = kind
        self.encoding = encoding
        self.delimiter = delimiter
        self.problems = problems  # broken quoting; grows while the rows are read
        self._reader = reader

    def __iter__(self) -> Iterator[TableRow]:
        return self._rows

    def __next__(self) -> TableRow:
        return next(self._rows)

    @property
    def lines_read(self) -> int:
        """Text lines read so far (for progress); rows for XLSX."""
        return int(self._reader.line_num) if self._reader is not None else 0


def read_table(
    raw: bytes,
    *,
    filename: str = "",
    limits: Limits = DEFAULT_LIMITS,
    numbering: Numbering = "record",
    sheet: str | None = None,
) -> Table:
    """The rows of a CSV (or, for a name ending in .xlsx, an XLSX) file as a :class:`Table`.

    Raises ImportRejected for what stops the whole file: too large, an encoding problem (each
    bad byte named by row and column), an XLSX that cannot be read. ``sheet`` names the XLSX
    sheet to read if there is one of that name (any case); else the first is read.
    """
    if len(raw) > limits.max_bytes:
        size, cap = f"{len(raw) / MiB:.1f}", f"{limits.max_bytes / MiB:.0f}"
        raise ImportRejected(
            [
                _problem(
                    None,
                    "",
                    "file_too_large",
                    _("The file is %(size)s MB; at most %(cap)s MB is accepted."),
                    size=size,
                    cap=cap,
                )
            ]
        )
    if filename.lower().endswith(".xlsx"):
        from kvarter.core.importing.xlsx import read_xlsx

        rows = _counted(read_xlsx(raw, limits=limits, sheet=sheet), limits)
        return Table(rows, kind="xlsx", encoding="xlsx", delimiter=None, problems=[])
    return _read_csv(raw, limits, numbering)


def _read_csv(raw: bytes, limits: Limits, numbering: Numbering) -> Table:
    encoding = detect_encoding(raw)
    if not encoding.name:
        raise ImportRejected(
            [
                _problem(
                    None,
                    "",
                    "encoding",
                    _("The file is neither UTF-8, UTF-16 nor Windows-1252."),
                )
            ]
        )
    # A first look (bad bytes replaced) for the sep= line and the delimiter; then every byte
    # is checked before a row is read, and the rows are decoded strictly.
    peek = io.TextIOWrapper(io.BytesIO(raw), encoding=encoding.codec, errors="replace", newline="")
    first = peek.readline(CHUNK)  # a file without line breaks is not read whole here
    marker = _SEP_LINE.fullmatch(first)
    if marker:
        delimiter = marker[1]
        text_start = encoding.skip + len(first.encode(encoding.bare))
    else:
        delimiter = _sniff(_first_record(first, peek))
        text_start = encoding.skip
    peek.detach()
    bad = list(itertools.islice(bad_spans(raw, encoding.bare, encoding.skip), LOCATED + 1))
    if bad:
        raise ImportRejected(
            encoding_problems(raw, encoding.bare, text_start, delimiter, bad, numbering)
        )
    stream = io.TextIOWrapper(io.BytesIO(raw), encoding=encoding.codec, newline="")
    if marker:
        stream.readline()
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    problems: list[Problem] = []
    rows = _csv_rows(reader, numbering, problems, limits)
    return Table(
        rows,
        kind="csv",
        encoding=encoding.name,
        delimiter=delimiter,
        problems=problems,
        reader=reader,
    )


def _first_record(first: str, stream: io.TextIOWrapper) -> str:
    """The first lines up to the end of the first non-blank record (quotes may span lines)."""
    text = line = first
    while line and (not text.strip() or text.count('"') % 2) and len(text) < CHUNK:
        line = stream.readline(CHUNK)
        text += line
    return text


def _sniff(header: str) -> str:
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _csv_rows(
    reader: Any, numbering: Numbering, problems: list[Problem], limits: Limits
) -> Iterator[TableRow]:
    """The records as rows, blank ones skipped; one generator, as it runs once per row."""
    by_line = numbering == "line"
    max_rows, max_cells = limits.max_rows, limits.max_cells
    cells_read = 0
    record = 0
    previous = 0  # the last line of the previous record
    while True:
        record += 1
        start = previous + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            end = previous = reader.line_num
            row = start if by_line else record
            if "field larger" in str(error):
                limit = csv.field_size_limit()
                problems.append(
                    _problem(
                        row,
                        "",
                        "field_too_large",
                        _("A field is longer than %(limit)s characters (lines %(start)s–%(end)s)."),
                        limit=limit,
                        start=start,
                        end=end,
                    )
                )
                continue
            if "end of data" in str(error):
                problems.append(
                    _problem(
                        row,
                        "",
                        "broken_quoting",
                        _("A quote is never closed; lines %(start)s–%(end)s could not be read."),
                        start=start,
                        end=end,
                    )
                )
                return
            problems.append(
                _problem(
                    row,
                    "",
                    "broken_quoting",
                    _("Broken quoting (lines %(start)s–%(end)s)."),
                    start=start,
                    end=end,
                )
            )
            continue
        previous = reader.line_num
        number = start if by_line else record
        cells_read += len(cells)
        if number > max_rows or cells_read > max_cells:
            raise _over_caps(number, limits)
        first = cells[0] if cells else ""
        if (first and not first.isspace()) or "".join(cells).strip():
            yield number, cells


def _over_caps(number: int, limits: Limits) -> ImportRejected:
    if number > limits.max_rows:
        return ImportRejected([_problem(number, "", "too_many_rows",
                                        _("The file has more than %(cap)s rows."),
                                        cap=limits.max_rows)])
    return ImportRejected([_problem(number, "", "too_many_cells",
                                    _("The file has more than %(cap)s cells."),
                                    cap=limits.max_cells)])


def _counted(rows: Iterator[TableRow], limits: Limits) -> Iterator[TableRow]:
    """XLSX rows, refused at the first one past the caps on rows and cells."""
    cells = 0
    for number, row in rows:
        cells += len(row)
        if number > limits.max_rows or cells > limits.max_cells:
            raise _over_caps(number, limits)
        yield number, row
