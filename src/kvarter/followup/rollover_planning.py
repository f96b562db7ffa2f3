"""What a roll-over will do, worked out without a database (pure; no Django imports).

The preview page, the API's dry run and the service all call :func:`plan_roll_over_outline`, so
what the preview shows is exactly what the service writes.

Per measure of the closed round's plan:

- kept / developed: carried over to the new plan (with its new number);
- merged: not carried itself; its content ends up in the measure it was merged into. Chains are
  followed (2.3 → 2.2 → 2.1). A chain that ends in a dropped measure, in an undecided measure
  that is not carried, in a cycle, or that names no target, is a *problem*: the measure is not
  carried and the problem says why, so the strategist can add it to the draft by hand (the round
  is closed, so its dispositions can no longer be corrected);
- dropped: not carried;
- undecided (no disposition in the round): listed; carried over as if kept only when
  ``carry_undecided`` is set.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

RENUMBER_KEEP = "keep"
RENUMBER_CONSECUTIVE = "consecutive"
RENUMBER_CHOICES = (RENUMBER_KEEP, RENUMBER_CONSECUTIVE)

CARRIED_DISPOSITIONS = frozenset({"kept", "developed"})


class Outcome(StrEnum):
    CARRIED = "carried"
    MERGED = "merged"
    DROPPED = "dropped"
    UNDECIDED = "undecided"  # not carried (carry_undecided=False)


class Problem(StrEnum):
    """Why a merged measure ends up nowhere."""

    NO_TARGET = "merge_target_missing"  # 'merged' but no measure named
    UNKNOWN_TARGET = "merge_target_unknown"  # names a measure that is not in the plan
    INTO_DROPPED = "merge_into_dropped"
    INTO_UNDECIDED = "merge_into_undecided"  # the target has no disposition and is left out
    CYCLE = "merge_cycle"


@dataclass(frozen=True)
class MeasureFacts:
    """One measure of the old plan and its report in the round."""

    id: int
    number: str
    major: int
    minor: int
    title: str
    disposition: str = ""  # kept / developed / merged / dropped / ''
    merged_into_id: int | None = None


@dataclass(frozen=True)
class Step:
    """What happens to one measure of the old plan."""

    measure_id: int
    old_number: str
    title: str
    disposition: str
    outcome: Outcome
    new_number: str | None = None  # carried: its number in the new plan
    merged_into_number: str | None = None  # merged: the old measure named in the round
    chain: tuple[str, ...] = ()  # merged: old numbers followed, from the first target on
    ends_in_id: int | None = None  # merged: the old measure the chain ends in, when carried
    ends_in_number: str | None = None  # merged: that measure's old number
    ends_in_new_number: str | None = None  # merged: and its number in the new plan
    problem: Problem | None = None
    carried_as_kept: bool = False  # undecided, carried because carry_undecided was set

    @property
    def is_carried(self) -> bool:
        return self.outcome == Outcome.CARRIED


@dataclass(frozen=True)
class Outline:
    steps: tuple[Step, ...]
    renumber: str
    carry_undecided: bool
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def carried(self) -> list[Step]:
        return [s for s in self.steps if s.is_carried]

    @property
    def merged(self) -> list[Step]:
        return [s for s in self.steps if s.outcome == Outcome.MERGED]

    @property
    def dropped(self) -> list[Step]:
        return [s for s in self.steps if s.outcome == Outcome.DROPPED]

    @property
    def undecided(self) -> list[Step]:
        """Measures with no disposition, whether carried (as kept) or left out."""
        return [s for s in self.steps if not s.disposition]

    @property
    def problems(self) -> list[Step]:
        return [s for s in self.steps if s.problem is not None]

    def new_number_of(self, measure_id: int) -> str | None:
        for step in self.steps:
            if step.measure_id == measure_id:
                return step.new_number
        return None


def _carried(fact: MeasureFacts, carry_undecided: bool) -> bool:
    if fact.disposition in CARRIED_DISPOSITIONS:
        return True
    return not fact.disposition and carry_undecided


def _new_numbers(carried: list[MeasureFacts], renumber: str) -> dict[int, str]:
    if renumber == RENUMBER_KEEP:
        return {f.id: f.number for f in carried}
    numbers: dict[int, str] = {}
    per_goal_area: dict[int, int] = defaultdict(int)
    for fact in sorted(carried, key=lambda f: (f.major, f.minor)):
        per_goal_area[fact.major] += 1
        numbers[fact.id] = f"{fact.major}.{per_goal_area[fact.major]}"
    return numbers


def _follow(
    fact: MeasureFacts, by_id: dict[int, MeasureFacts], carried_ids: set[int]
) -> tuple[tuple[str, ...], MeasureFacts | None, Problem | None]:
    """Follow a merged measure's chain: the numbers passed, the measure it ends in, a problem."""
    chain: list[str] = []
    seen = {fact.id}
    current = fact
    while True:
        if current.merged_into_id is None:
            return tuple(chain), None, Problem.NO_TARGET
        target = by_id.get(current.merged_into_id)
        if target is None:
            return tuple(chain), None, Problem.UNKNOWN_TARGET
        chain.append(target.number)
        if target.id in seen:
            return tuple(chain), None, Problem.CYCLE
        seen.add(target.id)
        if target.disposition == "merged":
            current = target
            continue
        if target.id in carried_ids:
            return tuple(chain), target, None
        if target.disposition == "dropped":
            return tuple(chain), None, Problem.INTO_DROPPED
        return tuple(chain), None, Problem.INTO_UNDECIDED


def plan_roll_over_outline(
    facts: Iterable[MeasureFacts], *, renumber: str = RENUMBER_KEEP, carry_undecided: bool = False
) -> Outline:
    """The roll-over of ``facts`` (the old plan's measures with their reports), step by step.

    Steps come in the old plan's order. Raises ``ValueError`` for an unknown ``renumber``.
    """
    if renumber not in RENUMBER_CHOICES:
        raise ValueError(f"renumber must be one of {RENUMBER_CHOICES}, not {renumber!r}")
    ordered = sorted(facts, key=lambda f: (f.major, f.minor, f.id))
    by_id = {f.id: f for f in ordered}
    carried = [f for f in ordered if _carried(f, carry_undecided)]
    carried_ids = {f.id for f in carried}
    new_numbers = _new_numbers(carried, renumber)

    steps: list[Step] = []
    for fact in ordered:
        base: dict[str, Any] = {
            "measure_id": fact.id,
            "old_number": fact.number,
            "title": fact.title,
        }
        if fact.id in carried_ids:
            steps.append(
                Step(
                    **base,
                    disposition=fact.disposition,
                    outcome=Outcome.CARRIED,
                    new_number=new_numbers[fact.id],
                    carried_as_kept=not fact.disposition,
                )
            )
        elif fact.disposition == "merged":
            chain, end, problem = _follow(fact, by_id, carried_ids)
            first = by_id.get(fact.merged_into_id) if fact.merged_into_id else None
            steps.append(
                Step(
                    **base,
                    disposition=fact.disposition,
                    outcome=Outcome.MERGED,
                    merged_into_number=first.number if first else None,
                    chain=chain,
                    ends_in_id=end.id if end else None,
                    ends_in_number=end.number if end else None,
                    ends_in_new_number=new_numbers[end.id] if end else None,
                    problem=problem,
                )
            )
        elif fact.disposition == "dropped":
            steps.append(Step(**base, disposition=fact.disposition, outcome=Outcome.DROPPED))
        else:
            steps.append(Step(**base, disposition=fact.disposition, outcome=Outcome.UNDECIDED))
    return Outline(
        steps=tuple(steps),
        renumber=renumber,
        carry_undecided=carry_undecided,
        counts=_counts(steps),
    )


def _counts(steps: list[Step]) -> dict[str, int]:
    counts = {
        "measures": len(steps),
        "carried": sum(s.is_carried for s in steps),
        "kept": sum(s.disposition == "kept" for s in steps),
        "developed": sum(s.disposition == "developed" for s in steps),
        "merged": sum(s.outcome == Outcome.MERGED for s in steps),
        "dropped": sum(s.outcome == Outcome.DROPPED for s in steps),
        "undecided": sum(not s.disposition for s in steps),
        "undecided_carried": sum(s.carried_as_kept for s in steps),
        "problems": sum(s.problem is not None for s in steps),
    }
    return counts


# --- defaults for the next plan ------------------------------------------------------------

_DASHES = "-–—"


def next_period(start_year: int, end_year: int, round_year: int) -> tuple[int, int]:
    """The period after the old plan (and after the round's year), as long as the old one."""
    start = max(end_year, round_year) + 1
    return start, start + (end_year - start_year)


def _period_text(start: int, end: int, dash: str = "–") -> str:
    return str(start) if start == end else f"{start}{dash}{end}"


def next_plan_name(name: str, old: tuple[int, int], new: tuple[int, int]) -> str:
    """The old plan's name with its years changed to the new period.

    'Åtgärdsplan 2024–2026' → 'Åtgärdsplan 2027–2029'; 'Åtgärdsplan 2025' → 'Åtgärdsplan 2026'.
    A name without the old years gets the new period added at the end.
    """
    (old_start, old_end), (new_start, new_end) = old, new
    span = re.compile(rf"(?<!\d){old_start}\s*([{_DASHES}])\s*{old_end}(?!\d)")
    match = span.search(name)
    if match:
        return span.sub(_period_text(new_start, new_end, match[1]), name, count=1)
    single = re.compile(rf"(?<!\d){old_start}(?!\d)")
    if old_start == old_end and single.search(name):
        return single.sub(_period_text(new_start, new_end), name, count=1)
    mapping = {str(old_start): str(new_start), str(old_end): str(new_end)}
    years = re.compile(r"(?<!\d)(\d{4})(?!\d)")
    if any(year in mapping for year in years.findall(name)):
        # All at once, so a year just written is never changed again.
        return years.sub(lambda m: mapping.get(m[1], m[1]), name)
    return f"{name.rstrip()} {_period_text(new_start, new_end)}"
