"""The situational picture's pure rules: ISO weeks in Stockholm time, the change rule and the
suppression of small counts. No Django imports; tested without a database.

Weeks
    An ISO week runs from Monday 00:00 to the next Monday 00:00 *Stockholm time*; across a
    change to or from summer time the week is 167 or 169 hours long. 'The same week last year'
    is the same ISO week number a year earlier; a week 53 compares with week 52 of a year that
    has none.

Change
    A week's count ``x`` is compared with a baseline ``b`` (the mean of the previous four weeks,
    or the same week last year). The direction is *same* when they differ by less than half an
    event, else *up* or *down*. A change is **notable** when it is at least 3 events *and* at
    least 50 % of the baseline (from a baseline of 0, any rise of 3 or more): small counts swing
    a lot by chance, so a change of one or two events is never flagged.

Suppression
    For an area whose raw reports the reader may not see, a count below the installation's
    threshold ``t`` (default 3, zero included) is shown as '< t', never as its number
    (*primary* suppression). A table with a total would let a reader work out a hidden count by
    subtraction, so every *line* — the cells of one column that together make up a shown total
    (categories, areas, the places of an area with its 'no named place', the 168 hours of the
    timeline) — is protected by the one policy of :mod:`kvarter.core.suppression`: the smallest
    shown cells are hidden too (*secondary* suppression, shown as '×') until no hidden cell can
    be worked out from the total and the hidden cells together hold at least ``t`` events; only
    when no cell is left to hide is the total hidden. Only the part of a count that comes from
    areas the reader may not see raw (``n``) decides; a count wholly from the reader's own areas
    is always shown. A change is shown only when every count consistent with what is shown
    gives the same direction and the same 'notable', so the change arrow never tells more than
    the cells do; a number for a change is shown only when both sides are shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from kvarter.core.suppression import derived_hidden, is_small, suppress_line

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOTABLE_EVENTS = 3
NOTABLE_SHARE = 0.5

Direction = Literal["up", "down", "same", ""]
Hidden = Literal["", "small", "secondary"]

WEEK, PREVIOUS, LAST_YEAR = 0, 1, 2
WINDOWS = (WEEK, PREVIOUS, LAST_YEAR)  # the columns of a row
PREVIOUS_WEEKS = 4
# The four previous weeks one by one: the four-week mean is a figure derived from them, shown
# to a suppressed reader only when each is shown in its own week's picture (decision 6).
SUB_WEEKS = tuple(range(3, 3 + PREVIOUS_WEEKS))
ALL_WINDOWS = (*WINDOWS, *SUB_WEEKS)

_WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


class WeekError(ValueError):
    """An unreadable week; ``code`` is stable for the doors."""

    code = "invalid_week"


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    def __post_init__(self) -> None:
        last = dt.date(self.year, 12, 28).isocalendar().week
        if not 1 <= self.week <= last:
            raise WeekError(f"{self.year} has no week {self.week}")

    @classmethod
    def parse(cls, value: str | dt.date | IsoWeek) -> IsoWeek:
        """'2026-W48', '2026W48', a date ('2026-11-23' or a ``date``): the week it falls in."""
        if isinstance(value, IsoWeek):
            return value
        if isinstance(value, dt.datetime):
            value = value.astimezone(STOCKHOLM).date() if value.tzinfo else value.date()
        if isinstance(value, dt.date):
            iso = value.isocalendar()
            return cls(iso.year, iso.week)
        match = _WEEK_RE.match(value)
        if match:
            return cls(int(match.group(1)), int(match.group(2)))
        try:
            return cls.parse(dt.date.fromisoformat(value.strip()))
        except ValueError as error:
            raise WeekError(f"not a week: {value!r}") from error

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def start(self) -> dt.datetime:
        """Monday 00:00 in Stockholm, as an aware datetime in UTC (so that subtraction and
        comparison count real hours, not wall-clock ones)."""
        local = dt.datetime.combine(self.monday, dt.time(0), tzinfo=STOCKHOLM)
        return local.astimezone(dt.UTC)

    @property
    def end(self) -> dt.datetime:
        return self.shifted(1).start

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.parse(self.monday + dt.timedelta(weeks=weeks))

    def same_week_last_year(self) -> IsoWeek:
        year = self.year - 1
        last = dt.date(year, 12, 28).isocalendar().week
        return IsoWeek(year, min(self.week, last))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


def local_slot(moment: dt.datetime) -> tuple[int, int]:
    """(weekday 0 = Monday … 6, hour 0–23) of an aware time, in Stockholm."""
    local = moment.astimezone(STOCKHOLM)
    return local.weekday(), local.hour


def change_of(x: float, base: float) -> tuple[Direction, bool]:
    """Direction and 'notable' of a count ``x`` against a baseline ``base`` (module rule)."""
    diff = x - base
    if abs(diff) < 0.5:
        return "same", False
    direction: Direction = "up" if diff > 0 else "down"
    notable = abs(diff) >= NOTABLE_EVENTS and abs(diff) >= NOTABLE_SHARE * base
    return direction, notable


def change_from_bounds(
    x: Iterable[float] | None, base: Iterable[float] | None
) -> tuple[Direction, bool]:
    """The change when a side is only known as a set of possible values (None: unknown).

    Every pair of possible values must agree on direction and 'notable', else ``("", False)``.
    """
    if x is None or base is None:
        return "", False
    outcomes = {change_of(a, b) for a in x for b in list(base)}
    if len(outcomes) != 1:
        return "", False
    return next(iter(outcomes))


@dataclass
class Cell:
    """One count being decided: ``c`` the count, ``n`` its part from areas the reader may not see
    raw, ``guarded`` whether any such area is in the cell's scope at all."""

    c: int
    n: int
    guarded: bool
    hidden: Hidden = ""
    listed: bool = True  # False: a cell the reader never sees a row for (a dropped place)


def primary(cell: Cell, threshold: int) -> None:
    if cell.guarded and is_small(cell.n, threshold):
        cell.hidden = "small"


def protect_line(total: Cell, cells: Sequence[Cell], threshold: int) -> None:
    """Primary and secondary suppression of one line; ``cells`` must partition ``total``.

    The policy is :func:`kvarter.core.suppression.suppress_line` on the guarded parts ``n``;
    a total already hidden (in another line that shares it) leaves only the primary rule."""
    primary(total, threshold)
    line = suppress_line(
        [cell.n for cell in cells],
        threshold=threshold,
        guarded=[cell.guarded for cell in cells],
        total_guarded=total.guarded,
        total_mark=total.hidden or None,
        prefer="parts",
    )
    for cell, mark in zip(cells, line.cells, strict=True):
        cell.hidden = cell.hidden or mark
    total.hidden = total.hidden or line.total


def derive(cell: Cell, inputs: Sequence[Cell]) -> None:
    """A figure derived from counts (the four-week mean from its weeks) is hidden whenever
    any input is (:func:`kvarter.core.suppression.derived_hidden`)."""
    if cell.guarded and not cell.hidden and derived_hidden(i.hidden for i in inputs):
        cell.hidden = "secondary"


def possible_counts(cell: Cell, threshold: int, *, scale: float = 1.0) -> list[float] | None:
    """Values a reader cannot tell apart from what is shown (None: nothing is known)."""
    if not cell.hidden:
        return [cell.c / scale]
    if cell.hidden == "small" and cell.c == cell.n:
        return [value / scale for value in range(threshold)]
    return None


class WindowCounts:
    """Counters per window: all events, and the part from areas not seen raw."""

    def __init__(self, area_ids: Sequence[int], raw_ids: frozenset[int]) -> None:
        self.raw_ids = raw_ids
        # Any chosen area not seen raw puts every count over all chosen areas under the rules.
        self.guarded_selection = any(a not in raw_ids for a in area_ids)
        self.c: dict[int, Counter[tuple[str, Any]]] = {w: Counter() for w in ALL_WINDOWS}
        self.n: dict[int, Counter[tuple[str, Any]]] = {w: Counter() for w in ALL_WINDOWS}
        self.week_raw = 0

    def add(
        self,
        window: int,
        category_id: int,
        area_id: int,
        place_id: int | None,
        slot: tuple[int, int] | None,
    ) -> None:
        keys: list[tuple[str, Any]] = [
            ("total", None),
            ("category", category_id),
            ("area", area_id),
            ("place", (area_id, place_id)),
        ]
        if slot is not None:
            keys.append(("slot", slot))
        guarded = area_id not in self.raw_ids
        if window == WEEK and not guarded:
            self.week_raw += 1
        for key in keys:
            self.c[window][key] += 1
            if guarded:
                self.n[window][key] += 1

    def cell(self, window: int, key: tuple[str, Any], guarded: bool) -> Cell:
        return Cell(c=self.c[window][key], n=self.n[window][key], guarded=guarded)
