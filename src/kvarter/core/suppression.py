"""One small-count suppression policy for every table of counts. Pure: no Django imports.

Every count a reader may not see exactly (EST incidents outside the reader's own areas, and
later participant counts of projects) goes through this module, so that the situational
picture, the strategic summary, the exports and the problem places hide the same things by the
same rule (decision 6).

Primary rule
    A *guarded* count (one the reader may not see exactly) below the threshold ``t`` —
    **zero included** — is hidden and shown as ``< t`` (mark ``small``). Zero is hidden too: a
    0 shown beside a ``< t`` would tell that the hidden count is 1 … t−1, i.e. that something
    happened, and a hidden 0 lets the reader learn nothing at all.

Secondary rule
    A table shows sums: a row, column or grand total is the sum of its parts (:class:`Sum`).
    A reader who knows that every ``small`` figure lies in 0 … t−1 and every figure hidden by
    this rule (mark ``secondary``) in t … ∞ can narrow each hidden figure by subtraction along
    every visible sum, over and over (:func:`bounds`). After suppression

    - no hidden figure is pinned to one value by that subtraction (a row, column or total with
      exactly one hidden figure is therefore impossible), and
    - the hidden parts of a sum whose total is shown hold together at least ``t`` (a group
      of hidden figures is never itself a small count).

    Until both hold, the smallest shown guarded figure of an offending sum is hidden as well
    (``secondary``). ``prefer`` says which figure a table gives up first: ``"parts"`` (keep the
    total, hide a cell — the situational picture) or ``"wholes"`` (keep the cells, hide the
    total — tables of details: exports, problem-place history, the strategic summary). The
    guarantee is the same; only what is left visible differs.

Derived figures (means, changes, sums over several periods) are covered by
:func:`derived_hidden`: a figure derived from counts is hidden whenever any count it is
derived from is hidden where that count is shown on its own (decision 6, item 7).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Mark = Literal["", "small", "secondary"]
SHOWN: Mark = ""
SMALL: Mark = "small"
SECONDARY: Mark = "secondary"
Prefer = Literal["parts", "wholes"]

DEFAULT_THRESHOLD = 3
UNBOUNDED = 1 << 62  # the upper bound a reader has for a figure hidden by the secondary rule


def is_small(count: int, threshold: int) -> bool:
    """The primary rule: a guarded count under the threshold is hidden (zero included)."""
    return count < threshold


def small_text(threshold: int) -> str:
    """How a hidden small count reads: '< 3'."""
    return f"< {threshold}"


@dataclass(frozen=True, slots=True)
class Sum:
    """One visible relation of a table: figure ``whole`` is the sum of figures ``parts``."""

    whole: int
    parts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Line:
    """A 1-D list of counts and its total, as marked for a reader."""

    cells: tuple[Mark, ...]
    total: Mark


@dataclass(frozen=True, slots=True)
class Table:
    """A 2-D table of counts with its row totals, column totals and grand total, as marked."""

    cells: tuple[tuple[Mark, ...], ...]
    row_totals: tuple[Mark, ...]
    column_totals: tuple[Mark, ...]
    total: Mark


# --- the reader's view --------------------------------------------------------------------------


def bounds(
    values: Sequence[int],
    sums: Sequence[Sum],
    marks: Sequence[Mark],
    *,
    threshold: int,
    absent: Collection[int] = (),
) -> list[tuple[int, int]]:
    """What a reader can know of each figure: the smallest and largest value consistent with
    what is shown, by subtraction along every sum until nothing narrows further. ``absent``:
    figures the table does not show at all (a grand total left out), known only by the sums."""
    known: list[tuple[int, int]] = [
        (0, UNBOUNDED)
        if i in absent
        else (v, v)
        if m == SHOWN
        else (0, threshold - 1)
        if m == SMALL
        else (threshold, UNBOUNDED)
        for i, (v, m) in enumerate(zip(values, marks, strict=True))
    ]
    changed = True
    while changed:
        changed = False
        for line in sums:
            low_sum = sum(known[p][0] for p in line.parts)
            high_sum = sum(known[p][1] for p in line.parts)
            w_low, w_high = known[line.whole]
            new = (max(w_low, low_sum), min(w_high, high_sum))
            if new != known[line.whole]:
                known[line.whole] = new
                changed = True
            w_low, w_high = new
            for p in line.parts:
                p_low, p_high = known[p]
                narrowed = (
                    max(p_low, w_low - (high_sum - p_high)),
                    min(p_high, w_high - (low_sum - p_low)),
                )
                if narrowed != known[p]:
                    known[p] = narrowed
                    low_sum += narrowed[0] - p_low
                    high_sum += narrowed[1] - p_high
                    changed = True
    return known


def recoverable(
    values: Sequence[int],
    sums: Sequence[Sum],
    marks: Sequence[Mark],
    *,
    threshold: int,
    absent: Collection[int] = (),
) -> list[int]:
    """Hidden figures a reader can work out exactly by subtraction (should be none)."""
    known = bounds(values, sums, marks, threshold=threshold, absent=absent)
    return [
        i
        for i, (low, high) in enumerate(known)
        if marks[i] != SHOWN and i not in absent and low == high
    ]


def _weak_sums(
    values: Sequence[int],
    sums: Sequence[Sum],
    marks: Sequence[Mark],
    threshold: int,
    absent: Collection[int],
) -> list[Sum]:
    """Sums with a shown total whose hidden parts hold together 1 … t−1 or all lie at 0."""
    weak = []
    for line in sums:
        hidden = [p for p in line.parts if marks[p] != SHOWN]
        if marks[line.whole] != SHOWN or line.whole in absent or not hidden:
            continue
        if is_small(sum(values[p] for p in hidden), threshold):
            weak.append(line)
    return weak


# --- the policy ---------------------------------------------------------------------------------


def protect(
    values: Sequence[int],
    sums: Sequence[Sum],
    *,
    threshold: int,
    guarded: Sequence[bool] | None = None,
    marks: Sequence[Mark] | None = None,
    fixed: Iterable[int] = (),
    absent: Collection[int] = (),
    prefer: Prefer = "parts",
) -> tuple[Mark, ...]:
    """Primary and secondary suppression of figures ``values`` tied by ``sums``.

    ``guarded[i]`` False: the reader sees figure i exactly anyway (never hidden); ``marks``:
    marks decided elsewhere, kept; ``fixed``: figures never hidden by the secondary rule here
    (decided in another table); ``absent``: figures not shown at all (see :func:`bounds`).
    """
    count = len(values)
    guard = [True] * count if guarded is None else list(guarded)
    out: list[Mark] = [SHOWN] * count if marks is None else list(marks)
    for i, value in enumerate(values):
        if guard[i] and out[i] == SHOWN and is_small(value, threshold):
            out[i] = SMALL
    frozen = set(fixed) | set(absent)
    while True:
        exposed = set(recoverable(values, sums, out, threshold=threshold, absent=absent))
        offending = [
            line for line in sums if line.whole in exposed or exposed & set(line.parts)
        ] + _weak_sums(values, sums, out, threshold, absent)
        choice = _candidate(values, offending, out, guard, frozen, prefer)
        if choice is None:
            return tuple(out)
        out[choice] = SECONDARY


def _candidate(
    values: Sequence[int],
    offending: Sequence[Sum],
    marks: Sequence[Mark],
    guard: Sequence[bool],
    frozen: set[int],
    prefer: Prefer,
) -> int | None:
    """The figure to hide next: in the first offending sum that has one, the preferred kind
    (its total or its parts), the smallest shown guarded figure."""
    for line in offending:

        def open_(ids: Iterable[int]) -> list[int]:
            return [i for i in ids if marks[i] == SHOWN and guard[i] and i not in frozen]

        parts, whole = open_(line.parts), open_([line.whole])
        for group in (whole, parts) if prefer == "wholes" else (parts, whole):
            if group:
                return min(group, key=lambda i: (values[i], i))
    return None


def suppress_line(
    values: Sequence[int],
    *,
    threshold: int,
    guarded: Sequence[bool] | None = None,
    total_guarded: bool | None = None,
    total_mark: Mark | None = None,
    prefer: Prefer = "parts",
) -> Line:
    """A list of counts and its total (their sum). ``total_mark``: the total was already
    decided in another table (kept, and never hidden here); hidden there, it is still the sum
    of the parts, so the parts are protected against giving it away."""
    n = len(values)
    guard = [True] * n if guarded is None else list(guarded)
    total_guard = any(guard) if total_guarded is None else total_guarded
    marks: list[Mark] = [SHOWN] * (n + 1)
    fixed: tuple[int, ...] = ()
    if total_mark is not None:
        marks[n] = total_mark
        fixed = (n,)
    # A hidden total still ties its parts: shown parts would give it (and its line) away.
    result = protect(
        [*values, sum(values)],
        [Sum(n, tuple(range(n)))],
        threshold=threshold,
        guarded=[*guard, total_guard],
        marks=marks,
        fixed=fixed,
        prefer=prefer,
    )
    return Line(cells=result[:n], total=result[n])


def suppress_table(
    values: Sequence[Sequence[int]],
    *,
    threshold: int,
    guarded: Sequence[Sequence[bool]] | None = None,
    row_totals: bool = True,
    column_totals: bool = True,
    total: bool = True,
    prefer: Prefer = "wholes",
) -> Table:
    """A table of counts (rows × columns) with the totals it shows: row totals, column totals
    and the grand total (each left out with False; a left-out total is marked hidden)."""
    rows = len(values)
    columns = len(values[0]) if rows else 0
    cell_guard = [[True] * columns for _ in range(rows)] if guarded is None else guarded
    figures: list[int] = [v for row in values for v in row]
    guard: list[bool] = [g for row in cell_guard for g in row]

    def cell(r: int, c: int) -> int:
        return r * columns + c

    row_ids = list(range(len(figures), len(figures) + rows))
    figures += [sum(row) for row in values]
    guard += [any(row) for row in cell_guard]
    column_ids = list(range(len(figures), len(figures) + columns))
    figures += [sum(values[r][c] for r in range(rows)) for c in range(columns)]
    guard += [any(cell_guard[r][c] for r in range(rows)) for c in range(columns)]
    grand = len(figures)
    figures.append(sum(figures[i] for i in row_ids))
    guard.append(any(guard[: rows * columns]))
    shows = {i: row_totals for i in row_ids} | {i: column_totals for i in column_ids}
    shows[grand] = total
    sums: list[Sum] = []
    if row_totals:
        sums += [Sum(row_ids[r], tuple(cell(r, c) for c in range(columns))) for r in range(rows)]
    if column_totals:
        sums += [
            Sum(column_ids[c], tuple(cell(r, c) for r in range(rows))) for c in range(columns)
        ]
    # The grand total is the sum of either margin: left out, the reader may still add it up.
    sums.append(Sum(grand, tuple(cell(r, c) for r in range(rows) for c in range(columns))))
    if row_totals:
        sums.append(Sum(grand, tuple(row_ids)))
    if column_totals:
        sums.append(Sum(grand, tuple(column_ids)))
    # A total the table does not show is no figure of it: absent, marked hidden.
    hidden_totals = [i for i, shown in shows.items() if not shown]
    marks: list[Mark] = [SHOWN] * len(figures)
    for i in hidden_totals:
        marks[i] = SECONDARY
    result = protect(
        figures,
        sums,
        threshold=threshold,
        guarded=guard,
        marks=marks,
        absent=hidden_totals,
        prefer=prefer,
    )
    return Table(
        cells=tuple(tuple(result[cell(r, c)] for c in range(columns)) for r in range(rows)),
        row_totals=tuple(result[i] for i in row_ids),
        column_totals=tuple(result[i] for i in column_ids),
        total=result[grand],
    )


def derived_hidden(inputs: Iterable[Mark]) -> bool:
    """A figure derived from counts (a mean, a change, a sum over periods) is hidden whenever
    any of its inputs is hidden where that input is shown on its own."""
    return any(mark != SHOWN for mark in inputs)
