"""The roll-over outline and the next plan's defaults: pure functions, no database."""

from __future__ import annotations

import pytest

from kvarter.followup.rollover_planning import (
    MeasureFacts,
    Outcome,
    Problem,
    next_period,
    next_plan_name,
    plan_roll_over_outline,
)


def _facts(spec: dict[str, str | tuple[str, str | None]]) -> list[MeasureFacts]:
    """'1.2': 'kept' | ('merged', '1.1') | '' → facts with ids 1, 2, … in the given order."""
    ids = {number: index for index, number in enumerate(spec, start=1)}
    facts = []
    for number, decision in spec.items():
        major, minor = (int(part) for part in number.split("."))
        disposition, target = decision if isinstance(decision, tuple) else (decision, None)
        facts.append(
            MeasureFacts(
                id=ids[number],
                number=number,
                major=major,
                minor=minor,
                title=f"Åtgärd {number}",
                disposition=disposition,
                merged_into_id=ids.get(target) if target else None,
            )
        )
    return facts


def _by_number(outline):
    return {step.old_number: step for step in outline.steps}


def test_outline__four_dispositions__carried_merged_dropped():
    outline = plan_roll_over_outline(
        _facts(
            {"1.1": "kept", "1.2": "developed", "1.3": ("merged", "1.1"), "1.4": "dropped"}
        )
    )
    steps = _by_number(outline)
    assert [s.outcome for s in outline.steps] == [
        Outcome.CARRIED,
        Outcome.CARRIED,
        Outcome.MERGED,
        Outcome.DROPPED,
    ]
    assert steps["1.1"].new_number == "1.1" and steps["1.2"].new_number == "1.2"
    merged = steps["1.3"]
    assert (merged.merged_into_number, merged.ends_in_number, merged.ends_in_new_number) == (
        "1.1",
        "1.1",
        "1.1",
    )
    assert merged.problem is None and merged.new_number is None
    assert outline.counts == {
        "measures": 4,
        "carried": 2,
        "kept": 1,
        "developed": 1,
        "merged": 1,
        "dropped": 1,
        "undecided": 0,
        "undecided_carried": 0,
        "problems": 0,
    }


def test_outline__undecided__listed_and_left_out_unless_asked():
    facts = _facts({"1.1": "kept", "1.2": "", "1.3": "kept"})
    left_out = plan_roll_over_outline(facts)
    assert _by_number(left_out)["1.2"].outcome == Outcome.UNDECIDED
    assert [s.old_number for s in left_out.undecided] == ["1.2"]
    assert left_out.counts["carried"] == 2 and left_out.counts["undecided"] == 1

    carried = plan_roll_over_outline(facts, carry_undecided=True)
    step = _by_number(carried)["1.2"]
    assert step.outcome == Outcome.CARRIED and step.carried_as_kept and step.new_number == "1.2"
    assert carried.counts["undecided_carried"] == 1 and carried.counts["carried"] == 3


def test_outline__consecutive__closes_gaps_within_each_goal_area_in_old_order():
    facts = _facts(
        {
            "1.1": "dropped",
            "1.2": "kept",
            "1.3": ("merged", "1.2"),
            "1.10": "developed",
            "1.4": "kept",
            "2.1": "kept",
            "2.2": "dropped",
            "2.3": "kept",
        }
    )
    consecutive = _by_number(plan_roll_over_outline(facts, renumber="consecutive"))
    assert {n: s.new_number for n, s in consecutive.items() if s.is_carried} == {
        "1.2": "1.1",
        "1.4": "1.2",
        "1.10": "1.3",  # 1.10 comes after 1.4 in the old order (not as text)
        "2.1": "2.1",
        "2.3": "2.2",
    }
    assert consecutive["1.3"].ends_in_new_number == "1.1"  # follows its target's new number
    kept = _by_number(plan_roll_over_outline(facts, renumber="keep"))
    assert {n: s.new_number for n, s in kept.items() if s.is_carried} == {
        "1.2": "1.2",
        "1.4": "1.4",
        "1.10": "1.10",
        "2.1": "2.1",
        "2.3": "2.3",
    }


def test_outline__steps__in_number_order_not_text_order():
    outline = plan_roll_over_outline(_facts({"1.10": "kept", "1.9": "kept", "1.2": "kept"}))
    assert [s.old_number for s in outline.steps] == ["1.2", "1.9", "1.10"]


def test_outline__merge_chain__ends_in_the_first_carried_measure():
    outline = plan_roll_over_outline(
        _facts({"2.1": "kept", "2.2": ("merged", "2.1"), "2.3": ("merged", "2.2")}),
        renumber="consecutive",
    )
    step = _by_number(outline)["2.3"]
    assert step.chain == ("2.2", "2.1")
    assert (step.merged_into_number, step.ends_in_number, step.ends_in_new_number) == (
        "2.2",
        "2.1",
        "2.1",
    )
    assert step.problem is None


# the plan's decisions, the measure asked about, the problem, the chain
BAD_MERGES = [
    ({"1.1": ("merged", "1.2"), "1.2": "dropped"}, "1.1", Problem.INTO_DROPPED, ("1.2",)),
    (
        {"1.1": ("merged", "1.2"), "1.2": ("merged", "1.3"), "1.3": "dropped"},
        "1.1",
        Problem.INTO_DROPPED,
        ("1.2", "1.3"),
    ),
    ({"1.1": ("merged", "1.2"), "1.2": ("merged", "1.1")}, "1.1", Problem.CYCLE, ("1.2", "1.1")),
    (
        {
            "1.1": "kept",
            "1.2": ("merged", "1.3"),
            "1.3": ("merged", "1.4"),
            "1.4": ("merged", "1.3"),
        },
        "1.2",
        Problem.CYCLE,
        ("1.3", "1.4", "1.3"),
    ),
    ({"1.1": ("merged", None)}, "1.1", Problem.NO_TARGET, ()),
    ({"1.1": ("merged", "1.2"), "1.2": ""}, "1.1", Problem.INTO_UNDECIDED, ("1.2",)),
]


@pytest.mark.parametrize(("spec", "number", "problem", "chain"), BAD_MERGES)
def test_outline__bad_merge__reported_and_not_carried(spec, number, problem, chain):
    outline = plan_roll_over_outline(_facts(spec))
    step = _by_number(outline)[number]
    assert step.outcome == Outcome.MERGED
    assert step.problem == problem
    assert step.chain == chain
    assert step.ends_in_new_number is None and not step.is_carried
    assert step in outline.problems and outline.counts["problems"] == len(outline.problems)


def test_outline__merge_into_undecided__carried_when_undecided_are_carried():
    outline = plan_roll_over_outline(
        _facts({"1.1": ("merged", "1.2"), "1.2": ""}), carry_undecided=True
    )
    step = _by_number(outline)["1.1"]
    assert step.problem is None and step.ends_in_new_number == "1.2"


def test_outline__merge_into_another_plans_measure__unknown_target():
    facts = [MeasureFacts(1, "1.1", 1, 1, "A", "merged", merged_into_id=999)]
    step = plan_roll_over_outline(facts).steps[0]
    assert step.problem == Problem.UNKNOWN_TARGET


def test_outline__unknown_renumber__refused():
    with pytest.raises(ValueError, match="renumber"):
        plan_roll_over_outline([], renumber="alphabetical")


@pytest.mark.parametrize(
    ("start", "end", "round_year", "expected"),
    [
        (2024, 2026, 2025, (2027, 2029)),
        (2025, 2025, 2025, (2026, 2026)),
        (2024, 2024, 2025, (2026, 2026)),
    ],
)
def test_next_period__after_the_plan_and_the_round__same_length(start, end, round_year, expected):
    assert next_period(start, end, round_year) == expected


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        ("Åtgärdsplan 2024–2026", (2024, 2026), (2027, 2029), "Åtgärdsplan 2027–2029"),
        ("Åtgärdsplan 2024-2026", (2024, 2026), (2027, 2029), "Åtgärdsplan 2027-2029"),
        ("Åtgärdsplan 2025", (2025, 2025), (2026, 2026), "Åtgärdsplan 2026"),
        ("Plan 2025 för Norrby", (2025, 2025), (2026, 2026), "Plan 2026 för Norrby"),
        ("Plan 2024 till 2025", (2024, 2025), (2025, 2026), "Plan 2025 till 2026"),
        ("Plan från 2024", (2024, 2026), (2027, 2029), "Plan från 2027"),
        ("Stadsdelsplan Norrby", (2025, 2025), (2026, 2026), "Stadsdelsplan Norrby 2026"),
        ("Plan 20245", (2024, 2024), (2025, 2025), "Plan 20245 2025"),
    ],
)
def test_next_plan_name__years_changed(name, old, new, expected):
    assert next_plan_name(name, old, new) == expected
