"""The generic document model every report format is rendered from.

A report builder fills a `Document` from the database; the renderers in `kvarter.reports.render`
turn the same `Document` into HTML, PDF, Word and Excel. Keeping one model means the formats
cannot drift apart: a count is computed once, by the builder, and only *laid out* here.

Nothing in this module imports Django, so documents can be built and tested without settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, TypeAlias, get_args

StatusCode = Literal[
    "done",
    "in_progress",
    "not_done",
    "not_reported",
    "met",
    "partly_met",
    "not_met",
    "on_track",
]
STATUS_CODES: frozenset[str] = frozenset(get_args(StatusCode))

ColumnKind = Literal["text", "number", "status"]


@dataclass(frozen=True, slots=True)
class StatusCell:
    """A status shown as a coloured marker *and* its label; colour alone never carries meaning."""

    code: StatusCode
    label: str

    def __post_init__(self) -> None:
        if self.code not in STATUS_CODES:
            raise ValueError(f"unknown status code {self.code!r}")
        if not self.label.strip():
            raise ValueError("a status needs a visible text label")


Cell: TypeAlias = str | int | Decimal | StatusCell | None


@dataclass(frozen=True, slots=True)
class Column:
    """A table column. `width` is a relative hint in characters (used for Word and Excel widths)."""

    label: str
    kind: ColumnKind = "text"
    width: int | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading; level 1 is the highest level *below* the document title."""

    text: str
    level: int = 1

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3):
            raise ValueError(f"heading level must be 1, 2 or 3, not {self.level}")


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class KeyFigures:
    """A row of big numbers, each `(label, value)`, e.g. `("Genomförda åtgärder", "42")`."""

    items: Sequence[tuple[str, str | int | Decimal]]
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    caption: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Cell]]
    # Excel sheet name; the renderer sanitises it (or the caption) to Excel's rules.
    sheet_name: str | None = None

    def __post_init__(self) -> None:
        width = len(self.columns)
        for number, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(
                    f"row {number} of {self.caption!r} has {len(row)} cells, not {width}"
                )


@dataclass(frozen=True, slots=True)
class Chart:
    """A Vega-Lite chart with inline data, plus the same data as a table.

    `description` is the text alternative read by screen readers; `table` serves readers who
    need the numbers and becomes a sheet in Excel.
    """

    spec: dict[str, Any]
    title: str
    description: str
    table: Table


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


Block: TypeAlias = Heading | Paragraph | KeyFigures | Table | Chart | PageBreak


@dataclass(frozen=True, slots=True)
class Document:
    """A whole report: a title page (title, subtitle, meta lines) followed by blocks.

    `meta` holds `(label, value)` lines such as `("Beslut", "KS 2020-754")`. `language` is the
    language code the renderers' own words (page numbers, headings of the summary) are shown in.
    """

    title: str
    subtitle: str = ""
    meta: Sequence[tuple[str, str]] = ()
    blocks: Sequence[Block] = field(default_factory=tuple)
    language: str = "sv"


@dataclass(frozen=True, slots=True)
class StatusColour:
    """`strong` marks a status (chart bars, HTML squares); `tint` shades a cell behind black text.

    Every tint keeps black text at a contrast of at least 4.5:1 (WCAG 1.4.3); the tests check it.
    """

    strong: str
    tint: str


_GREEN = StatusColour(strong="#2e7d32", tint="#c8e6c9")
_AMBER = StatusColour(strong="#f2b705", tint="#ffeeb0")
_RED = StatusColour(strong="#c62828", tint="#ffcdd2")
_GREY = StatusColour(strong="#9e9e9e", tint="#e0e0e0")

# The glossary's traffic light: done is green, in progress yellow, not done red. Goal statuses
# follow the same light ("on track" is a good sign, hence green); unreported is neutral grey.
STATUS_COLOURS: dict[str, StatusColour] = {
    "done": _GREEN,
    "met": _GREEN,
    "on_track": _GREEN,
    "in_progress": _AMBER,
    "partly_met": _AMBER,
    "not_done": _RED,
    "not_met": _RED,
    "not_reported": _GREY,
}
