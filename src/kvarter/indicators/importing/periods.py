"""Periods as the sources write them, normalised to the catalogue's form.

SCB writes years ('2021'), quarters ('2021K3'), months ('2021M04') and halves ('2021H1'); Kolada
writes years as numbers (2021). The catalogue keeps 2021, 2021H1, 2021Q3 and 2021M04
(:data:`kvarter.indicators.models.PERIOD_RE`).
"""

from __future__ import annotations

import re

_PERIOD = re.compile(
    r"^(?P<year>\d{4})(?:(?P<kind>[HKQM])(?P<number>\d{1,2}))?$",
    re.IGNORECASE,
)
_LIMITS = {"H": 2, "Q": 4, "M": 12}


def normalise_period(code: object) -> str | None:
    """'2021', '2021K3' → '2021Q3', '2021M4' → '2021M04', '2021H1'; None if it is no period."""
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        code = str(code)
    if not isinstance(code, str):
        return None
    match = _PERIOD.match(code.strip())
    if match is None:
        return None
    year = match["year"]
    kind = match["kind"]
    if kind is None:
        return year
    kind = kind.upper()
    if kind == "K":  # kvartal
        kind = "Q"
    number = int(match["number"])
    if not 1 <= number <= _LIMITS[kind]:
        return None
    if kind == "M":
        return f"{year}M{number:02d}"
    if len(match["number"]) != 1:
        return None
    return f"{year}{kind}{number}"
