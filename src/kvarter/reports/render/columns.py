"""Column widths of a printed table, chosen from its content.

WeasyPrint lays out and draws a table line by line, so the time a PDF takes grows with the
number of lines its cells wrap to, and a reader pays for every line too. Each column therefore
gets the room of its longest word (so no short word has to break), and the rest of the line is
shared so that the long texts wrap to about the same number of lines: one column of eight-line
comments beside columns of two lines makes every row eight lines tall.

A table whose longest words do not fit across a portrait A4 line is printed on a landscape page.
The figures describe the PDF (8.5 pt DejaVu Sans in cells, 18 mm side margins; see pdf.py and
_report.css); on screen the same percentages keep the proportions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kvarter.reports.document import Column

PORTRAIT_MM = 210 - 2 * 18
LANDSCAPE_MM = 297 - 2 * 18
# One character of 8.5 pt DejaVu Sans, a little more than its average, and how much wider the
# bold header letters are; a cell's left and right padding plus its border.
CHAR_MM = 1.8
BOLD = 1.25
CELL_MM = 2.9
MARKER_CHARS = 2  # the status marker and the space after it
LONGEST_UNBROKEN = 14  # longer words may hyphenate rather than widen their column further
# Widths are estimates: if every cell fits on one line in a tenth more than the line, it is
# shared out that way (most cells still fit) rather than wrapping every long cell a little.
ONE_LINE_SLACK = 1.1
_SPACES = re.compile(r"[ \t\n]+")  # not the no-break space: "10 000" stays in one piece
_BISECTIONS = 40


@dataclass(frozen=True, slots=True)
class ColumnLayout:
    """Each column's width in percent of the table, and whether it needs a landscape page."""

    percentages: list[float]
    wide: bool


def column_layout(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> ColumnLayout:
    """Widths for `columns` holding `rows` of cell texts (as printed, numbers formatted)."""
    floors: list[float] = []  # the longest word, in characters
    longest: list[float] = []  # the longest cell
    needs: list[float] = []  # the average filled cell
    for index, column in enumerate(columns):
        extra = MARKER_CHARS if column.kind == "status" else 0
        texts = [row[index] for row in rows]
        words = [len(word) for text in texts for word in _SPACES.split(text)]
        label = [len(word) * BOLD for word in _SPACES.split(column.label)]
        floors.append(min(max(words + label, default=0), LONGEST_UNBROKEN) + extra)
        lengths = [len(text) + extra for text in texts if text]
        longest.append(max(lengths, default=0))
        # Empty cells do not count: a comment column that is mostly empty still needs the
        # room of its comments in the rows that have one.
        needs.append(sum(lengths) / len(lengths) if lengths else 0.0)
    cell = CELL_MM / CHAR_MM
    wide = sum(floors) + cell * len(columns) > PORTRAIT_MM / CHAR_MM
    room = (LANDSCAPE_MM if wide else PORTRAIT_MM) / CHAR_MM - cell * len(columns)
    one_line = [max(pair) for pair in zip(floors, longest, strict=True)]
    if sum(floors) < room < sum(one_line) <= room * ONE_LINE_SLACK:
        # Take the missing room from what the columns have above their longest word.
        share = (room - sum(floors)) / (sum(one_line) - sum(floors))
        chosen = [f + (w - f) * share for f, w in zip(floors, one_line, strict=True)]
    elif sum(one_line) <= room:
        chosen = one_line
    else:
        chosen = _balance(floors, needs, room)
    widths = [width + cell for width in chosen]
    total = sum(widths)
    return ColumnLayout(percentages=[100 * width / total for width in widths], wide=wide)


def _balance(floors: list[float], needs: list[float], room: float) -> list[float]:
    """Widths in characters: each at least its floor, and `need / lines` for the smallest
    number of lines (1 or more) at which they fit in `room`. When even the floors do not fit,
    the floors (the caller scales them down, and long words hyphenate)."""

    def widths(lines: float) -> list[float]:
        return [max(floor, need / lines) for floor, need in zip(floors, needs, strict=True)]

    if sum(floors) >= room:
        return list(floors)
    if sum(widths(1.0)) <= room:
        return widths(1.0)
    low, high = 1.0, max(max(needs), 1.0)
    for _ in range(_BISECTIONS):
        middle = (low + high) / 2
        if sum(widths(middle)) > room:
            low = middle
        else:
            high = middle
    return widths(high)
