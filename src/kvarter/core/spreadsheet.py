"""Cells for the CSV and XLSX files Kvarter writes, safe from formula injection (OWASP).

A spreadsheet reads a cell starting with ``=``, ``+``, ``-`` or ``@`` (and, in some tools, a
tab or a carriage return) as a formula, so a report text such as ``=HYPERLINK(…)`` would run
when the file is opened. Every writer passes its cells through this module:

- CSV: :func:`csv_cell` prefixes such a text with a single quote (``'=HYPERLINK(…)``), OWASP's
  rule; a text that already starts with quotes before a trigger gets one more, so that
  :func:`csv_uncell` (used by importers that read Kvarter's own files back) gives back exactly
  the text that was written: ``-10 % buller`` → ``'-10 % buller`` → ``-10 % buller``.
- XLSX: :func:`set_text` stores every text as a string (never a live formula), with Excel's
  quote prefix on texts that start with a trigger; the cell keeps the exact text.

A plain number (``-3``, ``-0,5``, ``+12.25``) is left alone: it is no formula, and numeric
columns must stay numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")

__all__ = [
    "FORMULA_TRIGGERS",
    "csv_cell",
    "csv_row",
    "csv_uncell",
    "looks_like_formula",
    "safe_csv_writer",
    "set_text",
]


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula (a plain number never)."""
    return text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text)


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell: a text that could be a formula gets a leading single quote."""
    if isinstance(value, str) and looks_like_formula(value.lstrip("'")):
        return "'" + value
    return value


def csv_uncell(text: str) -> str:
    """The text :func:`csv_cell` was given: one neutralising quote is taken off again."""
    if text.startswith("'") and looks_like_formula(text.lstrip("'")):
        return text[1:]
    return text


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


class _SafeWriter:
    """A ``csv.writer`` whose every cell passes :func:`csv_cell`."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, values: Iterable[Any]) -> Any:
        return self._writer.writerow(csv_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.writerow(values)


def safe_csv_writer(out: Any, **options: Any) -> _SafeWriter:
    """``csv.writer(out, **options)`` that neutralises formula-like cells."""
    return _SafeWriter(out, **options)


def set_text(cell: Any, text: str) -> None:
    """Store ``text`` in an openpyxl cell as a string, never as a formula.

    openpyxl turns any string starting with "=" into a formula, so the type is forced to
    string; the quote prefix is Excel's own marker for "typed with a leading apostrophe", which
    keeps the text when a user edits the cell, as Excel would otherwise evaluate it then.
    """
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
