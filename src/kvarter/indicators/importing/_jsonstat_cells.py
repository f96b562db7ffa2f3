"""Walking a JSON-stat dataset's cells: one observation each, then SCB's status symbols.

Symbols (Statistikdatabasen's teckenförklaring; the PX file format's DATASYMBOL1–6 and
DATASYMBOLNIL): ``..`` not available or too uncertain to publish → suppressed; ``.`` cannot
occur, ``...`` and the longer dot codes → missing; ``-`` nil → 0 (SCB publishes it as 'noll', a
real zero); ``*`` and ``p`` → preliminary. A null value without a symbol is missing, never 0.
"""

from __future__ import annotations

import gc
import math
from itertools import product
from operator import itemgetter
from typing import Any

from django.utils.translation import gettext_lazy as _

from kvarter.indicators.importing._jsonstat_dims import Dimension
from kvarter.indicators.importing._vocab import (
    MISSING,
    OK,
    PRELIMINARY,
    SUPPRESSED,
    Problems,
)
from kvarter.indicators.importing.observations import Observation

NIL = "nil"

SCB_SYMBOLS: dict[str, str] = {
    "..": SUPPRESSED,
    ".": MISSING,
    "...": MISSING,
    "....": MISSING,
    ".....": MISSING,
    "......": MISSING,
    "-": NIL,
    "–": NIL,
    "*": PRELIMINARY,
    "p": PRELIMINARY,
    "P": PRELIMINARY,
}


_ROLE_ORDER = ("metric", "geo", "time", "sex")


def cells(
    dimensions: list[Dimension],
    roles: dict[str, Dimension],
    columns: dict[str, list[Any]],
    values: list[Any],
) -> list[Observation]:
    """One observation per cell, walking the cells in ``value`` order with one product.

    The dimensions that are no role hold a single category, so leaving them out keeps the
    order; roles the table lacks are constants appended at the end.
    """
    role_of = {id(dimension): role for role, dimension in roles.items()}
    ordered = [role_of[id(d)] for d in dimensions if id(d) in role_of]
    ordered += [role for role in _ROLE_ORDER if role not in ordered]
    pick = itemgetter(*(ordered.index(role) for role in _ROLE_ORDER))
    cells = product(*(columns[role] for role in ordered))
    observations: list[Observation] = []
    append = observations.append
    make = tuple.__new__  # Observation(...) without its keyword-handling wrapper
    cls = Observation
    # A million new tuples would set off the cyclic garbage collector again and again for
    # nothing: none of them can be part of a cycle.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for combination, value in zip(cells, values, strict=True):
            indicator_id, region, period, sex = pick(combination)
            kind = type(value)
            if kind is float:
                cell = (indicator_id, region, None, period, sex, value, OK, None, None)
            elif kind is int:
                cell = (indicator_id, region, None, period, sex, float(value), OK, None, None)
            else:
                # null (missing) or something to look at after the loop: no number either way.
                cell = (indicator_id, region, None, period, sex, None, MISSING, None, None)
            append(make(cls, cell))
    finally:
        if collecting:
            gc.enable()
    return observations


def bad_values(values: list[Any], observations: list[Observation], problems: Problems) -> None:
    """Cells whose value is neither a number nor null: a numeric string, a symbol, or a problem."""
    for position, value in enumerate(values):
        kind = type(value)
        if value is None or kind is float or kind is int:
            continue
        if isinstance(value, str):
            symbol = SCB_SYMBOLS.get(value.strip())
            if symbol is not None:
                _apply_symbol(observations, position, symbol)
                continue
            try:
                number = float(value)
            except ValueError:
                number = math.nan
            if math.isfinite(number):
                observations[position] = observations[position]._replace(value=number, status=OK)
                continue
        problems.add(
            None,
            f"value[{position}]",
            "not_a_number",
            _("The value %(value)s (%(cell)s) is not a number"),
            value=repr(value),
            cell=_cell(observations[position]),
        )


def apply_statuses(statuses: Any, observations: list[Observation], problems: Problems) -> None:
    if isinstance(statuses, str):
        items: Any = ((position, statuses) for position in range(len(observations)))
    elif isinstance(statuses, list):
        if len(statuses) == 1 and len(observations) != 1:
            items = ((position, statuses[0]) for position in range(len(observations)))
        else:
            items = enumerate(statuses)
    else:
        items = ((int(key), symbol) for key, symbol in statuses.items())
    for position, symbol in items:
        if symbol is None or symbol == "":
            continue
        kind = SCB_SYMBOLS.get(symbol.strip()) if isinstance(symbol, str) else None
        if kind is None:
            problems.add(
                None,
                f"status.{position}",
                "unknown_status",
                _("Unknown status symbol %(symbol)s (%(cell)s)"),
                symbol=repr(symbol),
                cell=_cell(observations[position]),
            )
            continue
        _apply_symbol(observations, position, kind)


def _apply_symbol(observations: list[Observation], position: int, kind: str) -> None:
    observation = observations[position]
    if kind == NIL:
        value = 0.0 if observation.value is None else observation.value
        observations[position] = observation._replace(value=value, status=OK)
    elif kind == PRELIMINARY:
        if observation.value is not None:
            observations[position] = observation._replace(status=PRELIMINARY)
    else:
        observations[position] = observation._replace(value=None, status=kind)


def _cell(observation: Observation) -> str:
    return f"{observation.region_code} {observation.period} {observation.sex}"
