"""The one small-count suppression policy, without a database: the primary rule (zero
included), the secondary rule along rows and columns, and an independent audit by linear
programming that no hidden count can be worked out from the visible totals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from kvarter.core.suppression import (
    SECONDARY,
    SHOWN,
    SMALL,
    Sum,
    bounds,
    derived_hidden,
    is_small,
    protect,
    recoverable,
    small_text,
    suppress_line,
    suppress_table,
)

T = 3


def test_primary__zero_is_hidden_with_the_small_counts() -> None:
    assert [is_small(n, T) for n in range(5)] == [True, True, True, False, False]
    assert small_text(T) == "< 3"


def test_line__one_hidden_cell_hides_the_smallest_shown_cell_too() -> None:
    line = suppress_line([2, 4, 6], threshold=T)
    assert line.cells == (SMALL, SECONDARY, SHOWN) and line.total == SHOWN


def test_line__hidden_cells_pinned_at_the_top_are_given_away_so_more_is_hidden() -> None:
    # 10 − 6 = 4 over two cells of at most 2 each: both are 2. One more cell must go.
    line = suppress_line([2, 2, 6], threshold=T)
    assert line.cells == (SMALL, SMALL, SECONDARY)


def test_line__hidden_cells_holding_the_threshold_and_not_pinned_are_enough() -> None:
    line = suppress_line([1, 2, 6], threshold=T)
    assert line.cells == (SMALL, SMALL, SHOWN) and line.total == SHOWN


def test_line__hidden_zeros_alone_are_given_away_by_their_total() -> None:
    line = suppress_line([0, 0, 5, 7], threshold=T)
    assert line.cells.count(SHOWN) == 1 and line.cells[:2] == (SMALL, SMALL)


def test_line__prefer_wholes_hides_the_total_instead() -> None:
    line = suppress_line([2, 4], threshold=T, prefer="wholes")
    assert line.cells == (SMALL, SHOWN) and line.total == SECONDARY


def test_line__counts_the_reader_sees_anyway_are_never_hidden() -> None:
    line = suppress_line([1, 2], threshold=T, guarded=[False, False])
    assert line.cells == (SHOWN, SHOWN) and line.total == SHOWN


def test_line__a_total_decided_elsewhere_is_kept() -> None:
    line = suppress_line([2, 4], threshold=T, total_mark=SECONDARY)
    assert line.total == SECONDARY and line.cells == (SMALL, SHOWN)


def test_table__two_by_two_block_pinned_by_rows_and_columns_is_caught() -> None:
    # Rows and columns each pass on their own, yet a = 1 follows from a + c = 1, a + b = 3.
    values = [1, 2, 0, 1]  # a b / c d
    sums = [Sum(4, (0, 1)), Sum(5, (2, 3)), Sum(6, (0, 2)), Sum(7, (1, 3))]
    figures = [*values, 3, 1, 1, 3]
    marks = [SMALL] * 4 + [SHOWN] * 4
    assert recoverable(figures, sums, marks, threshold=T)
    result = protect(figures, sums, threshold=T, guarded=[True] * 4 + [True] * 4)
    assert not recoverable(figures, sums, result, threshold=T)


def test_bounds__what_subtraction_tells() -> None:
    known = bounds([10, 2, 12], [Sum(2, (0, 1))], [SHOWN, SMALL, SHOWN], threshold=T)
    assert known[1] == (2, 2)


def test_derived__hidden_when_any_input_is() -> None:
    assert derived_hidden([SHOWN, SMALL]) and not derived_hidden([SHOWN, SHOWN])


# --- property: no hidden count can be worked out from what a table shows ---------------------


def _audit(values, sums, marks, absent=()) -> list[int]:
    """Hidden figures whose value is fixed by the shown ones (linear programming: a table's
    sums form a network matrix, so its bounds are whole numbers and exact)."""
    n = len(values)
    rows = []
    for line in sums:
        row = np.zeros(n)
        row[line.whole] = -1
        for p in line.parts:
            row[p] = 1
        rows.append(row)
    a_eq = np.array(rows) if rows else None
    b_eq = np.zeros(len(rows)) if rows else None
    known = {SHOWN: None, SMALL: (0, T - 1), SECONDARY: (T, None)}
    limits = [
        (0, None) if i in absent else known[m] or (v, v)
        for i, (v, m) in enumerate(zip(values, marks, strict=True))
    ]
    pinned = []
    for i, mark in enumerate(marks):
        if mark == SHOWN or i in absent:
            continue
        goal = np.zeros(n)
        goal[i] = 1
        low = linprog(goal, A_eq=a_eq, b_eq=b_eq, bounds=limits, method="highs")
        high = linprog(-goal, A_eq=a_eq, b_eq=b_eq, bounds=limits, method="highs")
        assert low.status == 0, "the true values must be feasible"
        if high.status == 0 and round(low.fun) == round(-high.fun):
            pinned.append(i)
    return pinned


def _table_figures(values, table, row_totals, column_totals, total):
    rows, columns = len(values), len(values[0])
    figures = [v for row in values for v in row]
    marks = [m for row in table.cells for m in row]
    sums = []
    ids = {}
    if row_totals:
        for r in range(rows):
            ids[("row", r)] = len(figures)
            sums.append(Sum(len(figures), tuple(r * columns + c for c in range(columns))))
            figures.append(sum(values[r]))
            marks.append(table.row_totals[r])
    if column_totals:
        for c in range(columns):
            ids[("col", c)] = len(figures)
            sums.append(Sum(len(figures), tuple(r * columns + c for r in range(rows))))
            figures.append(sum(values[r][c] for r in range(rows)))
            marks.append(table.column_totals[c])
    # The grand total: shown, or left out but still the sum of the margins shown.
    grand = len(figures)
    sums.append(Sum(grand, tuple(range(rows * columns))))
    if row_totals:
        sums.append(Sum(grand, tuple(ids[("row", r)] for r in range(rows))))
    if column_totals:
        sums.append(Sum(grand, tuple(ids[("col", c)] for c in range(columns))))
    figures.append(sum(map(sum, values)))
    marks.append(table.total)
    return figures, sums, marks, () if total else (grand,)


tables = st.integers(1, 5).flatmap(
    lambda columns: st.lists(
        st.lists(st.integers(0, 12), min_size=columns, max_size=columns), min_size=1, max_size=5
    )
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=tables,
    row_totals=st.booleans(),
    column_totals=st.booleans(),
    total=st.booleans(),
    prefer=st.sampled_from(["parts", "wholes"]),
)
def test_table__no_hidden_count_can_be_worked_out(
    values, row_totals, column_totals, total, prefer
) -> None:
    table = suppress_table(
        values,
        threshold=T,
        row_totals=row_totals,
        column_totals=column_totals,
        total=total,
        prefer=prefer,
    )
    figures, sums, marks, absent = _table_figures(values, table, row_totals, column_totals, total)
    for figure, mark in zip(figures, marks, strict=True):
        assert mark != SHOWN or figure >= T  # primary: nothing under T, zero included
    for line in sums:
        hidden = [p for p in line.parts if marks[p] != SHOWN]
        if marks[line.whole] == SHOWN and line.whole not in absent:
            assert len(hidden) != 1  # never exactly one hidden cell beside a visible total
            assert not hidden or sum(figures[p] for p in hidden) >= T
    assert _audit(figures, sums, marks, absent) == []


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.integers(0, 9), min_size=1, max_size=12))
def test_line__no_hidden_count_can_be_worked_out(values) -> None:
    line = suppress_line(values, threshold=T)
    figures = [*values, sum(values)]
    marks = [*line.cells, line.total]
    assert _audit(figures, [Sum(len(values), tuple(range(len(values))))], marks) == []


@pytest.mark.parametrize("threshold", [2, 3, 5])
def test_table__threshold_is_the_installations(threshold) -> None:
    table = suppress_table([[threshold - 1, 10], [10, 10]], threshold=threshold)
    assert table.cells[0][0] == SMALL
