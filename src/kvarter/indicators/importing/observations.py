"""What every indicator parser hands to the writer: one figure each, already validated.

Parsers turn a file into ``Observation`` rows and a list of
:class:`kvarter.core.importing.Problem`; they touch no table except to read the catalogue and
the areas. The writer (``kvarter.indicators.importing.writer``) stores a parse result all or
nothing. Observations are plain tuples because a DeSO table holds close to a million of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from kvarter.core.importing import Problem


class Observation(NamedTuple):
    indicator_id: int
    # A normalised Statistics Sweden region code ('00', '05', '0581', '0581R001', '0581C1010'),
    # or '' when the figure belongs to one of the municipality's own areas.
    region_code: str
    area_id: int | None
    period: str  # normalised: 2021, 2021H1, 2021Q3, 2021M04
    sex: str  # T, K or M
    value: float | None  # None whenever status is suppressed or missing
    status: str  # a kvarter.indicators.models.ValueStatus value
    numerator: float | None = None
    denominator: float | None = None


@dataclass
class ParseResult:
    """A parsed file: its figures, or the problems that stop it (then nothing is written)."""

    file_format: str  # 'json-stat2', 'kolada', 'csv'
    source: str  # e.g. 'SCB TAB5813', 'Kolada N00914', or the CSV's källa when uniform
    observations: list[Observation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Per-row sources when a CSV names them row by row: index into observations -> source.
    row_sources: dict[int, str] = field(default_factory=dict)
    # What the import left out and why (in the language active at the import); kept on the batch.
    notes: list[str] = field(default_factory=list)
