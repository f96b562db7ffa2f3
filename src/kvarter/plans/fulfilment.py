"""Quantitative goal fulfilment: where an indicator stands against its target. Pure; no Django.

The rule, in the words the follow-up report uses:

- **met** (uppfyllt): the latest value has reached the target (at or above it when higher is
  better, at or below when lower is better);
- **on track** (på väg): not yet reached, but at least as far from the baseline as a straight
  line from the baseline to the target would be by the latest value's year;
- **not met** (ej uppfyllt): behind that line, moving the wrong way, or a value for the target
  year (or later) is known and the target is not reached. Statistics come a year or two late, so
  a round after the target year still judges by the line while the target year's value is
  missing;
- **no data** (underlag saknas): no value up to the round's year, no baseline value, or no value
  after the baseline year to tell a direction from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

FulfilmentStatus = Literal["met", "on_track", "not_met", "no_data"]


@dataclass(frozen=True, slots=True)
class Fulfilment:
    status: FulfilmentStatus
    target: Decimal
    baseline: Decimal | None = None
    latest_year: int | None = None
    latest: Decimal | None = None
    # Where a straight line from the baseline to the target is in ``latest_year``.
    expected: Decimal | None = None


def assess(
    values: Mapping[int, Decimal],
    *,
    target: Decimal,
    direction: Literal["increase", "decrease"],
    baseline_year: int,
    target_year: int,
    year: int,
) -> Fulfilment:
    """Fulfilment in ``year`` of reaching ``target`` by ``target_year``, given year → value."""
    sign = 1 if direction == "increase" else -1
    known = {y: v for y, v in values.items() if y <= year}
    baseline = values.get(baseline_year)
    if not known:
        return Fulfilment("no_data", target, baseline)
    latest_year = max(known)
    latest = known[latest_year]
    reached = sign * (latest - target) >= 0
    if reached:
        return Fulfilment("met", target, baseline, latest_year, latest)
    if latest_year >= target_year:
        return Fulfilment("not_met", target, baseline, latest_year, latest)
    if baseline is None or latest_year <= baseline_year:
        return Fulfilment("no_data", target, baseline, latest_year, latest)
    # baseline_year < latest_year < target_year here, so the span is never zero.
    share = Decimal(latest_year - baseline_year) / Decimal(target_year - baseline_year)
    expected = baseline + (target - baseline) * share
    status: FulfilmentStatus = "on_track" if sign * (latest - expected) >= 0 else "not_met"
    return Fulfilment(status, target, baseline, latest_year, latest, expected)
