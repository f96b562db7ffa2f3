"""The verdict in words: trend against last year and standing against the municipality.

Written against the English texts (the msgids); the Swedish ones come from the catalogue.
"""

from __future__ import annotations

import math
import re

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kvarter.indicators.verdict import FAR, NEAR, UNCHANGED, gap, verdict


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_verdict__example_from_the_issue():
    # förvärvsfrekvens: 53 → 55 %, municipality 80 %: 25 points against min(80, 20) = 20.
    text = verdict(direction="higher", latest=55, previous=53, municipality=80, percent=True)
    assert text == "Better than last year, still far below the municipality."


@pytest.mark.parametrize(
    ("direction", "latest", "previous", "municipality", "expected"),
    [
        ("higher", 55, 53, 80, "Better than last year, still far below the municipality."),
        ("higher", 55, 57, 80, "Worse than last year, far below the municipality."),
        ("higher", 85, 87, 80, "Worse than last year, but still far above the municipality."),
        ("higher", 85, 83, 80, "Better than last year, far above the municipality."),
        ("higher", 78, 77, 80, "Better than last year, still below the municipality."),
        ("higher", 80, 77, 80.5, "Better than last year, about the same as the municipality."),
        ("lower", 6, 7, 4, "Better than last year, still far above the municipality."),
        ("lower", 6, 5, 8, "Worse than last year, but still far below the municipality."),
        ("lower", 3.8, 3.8, 4, "Unchanged since last year, below the municipality."),
        ("lower", 3, 3, 4, "Unchanged since last year, far below the municipality."),
        ("neutral", 30, 25, 20, "Higher than last year, far above the municipality."),
        ("neutral", 20, 25, 20, "Lower than last year, about the same as the municipality."),
    ],
)
def test_verdict__trend_and_standing(direction, latest, previous, municipality, expected):
    text = verdict(
        direction=direction,
        latest=latest,
        previous=previous,
        municipality=municipality,
        percent=True,
    )
    assert text == expected


def test_verdict__missing_parts():
    assert verdict(direction="higher", latest=None) == "No figures for the area yet."
    assert verdict(direction="higher", latest=50, municipality=80, percent=True) == (
        "Far below the municipality."
    )
    assert verdict(direction="higher", latest=50, previous=40) == "Better than last year."
    assert verdict(direction="higher", latest=50) == (
        "No figure the period before and none for the municipality to compare with."
    )


def test_verdict__other_periodicity__says_the_period_before():
    text = verdict(direction="lower", latest=10, previous=12, municipality=10, yearly=False)
    assert text == "Better than the period before, about the same as the municipality."


def test_verdict__suppressed_or_missing_newest__said_first_then_the_latest_figure():
    assert verdict(direction="higher", latest=None, hidden_period="2024") == (
        "The figure for 2024 is suppressed (too few to show)."
    )
    text = verdict(
        direction="higher",
        latest=55,
        previous=53,
        municipality=80,
        percent=True,
        latest_period="2023",
        hidden_period="2024",
        hidden_status="missing",
    )
    assert text == (
        "There is no figure for 2024. 2023: better than last year, still far below the "
        "municipality."
    )


def test_gap__percent_rule_is_symmetric_and_counts_near_the_ends():
    assert gap(6, 4, percent=True) == gap(94, 96, percent=True) == 0.5
    assert gap(52, 50, percent=True) == 0.04  # 2 points near the middle
    assert gap(52, 50, percent=False) == 0.04
    assert gap(3, 1, percent=True) == 2.0  # 2 points near the end
    assert gap(5, 5, percent=True) == 0.0
    assert math.isinf(gap(1, 0, percent=False)) and math.isinf(gap(99, 100, percent=True))
    assert gap(300, 200, percent=False) == 0.5
    assert gap(-30, -20, percent=False) == 0.5


@pytest.mark.parametrize(
    ("municipality", "latest", "expected"),
    [
        (100, 100 * (1 - NEAR) + 0.001, "About the same as the municipality."),
        (100, 100 * (1 - NEAR), "Below the municipality."),
        (100, 100 * (1 - FAR) + 0.001, "Below the municipality."),
        (100, 100 * (1 - FAR), "Far below the municipality."),
        (100, 100 * (1 + FAR), "Far above the municipality."),
    ],
)
def test_verdict__thresholds_of_near_and_far(municipality, latest, expected):
    assert verdict(direction="higher", latest=latest, municipality=municipality) == expected


def test_verdict__unchanged_threshold():
    assert verdict(direction="higher", latest=100 * (1 + UNCHANGED) - 0.001, previous=100) == (
        "Unchanged since last year."
    )
    assert verdict(direction="higher", latest=100 * (1 + UNCHANGED), previous=100) == (
        "Better than last year."
    )


# --- properties over all inputs --------------------------------------------------------------

SENTENCE = re.compile(
    r"^(?P<trend>Better than|Worse than|Higher than|Lower than|Unchanged since) last year"
    r"(?:, (?P<join>still |but still )?"
    r"(?P<position>far above|above|about the same as|below|far below) the municipality)?\.$"
    r"|^(?P<only>Far above|Above|About the same as|Below|Far below) the municipality\.$"
)
percent = st.integers(min_value=0, max_value=100).map(float)
optional = st.none() | percent


@given(
    direction=st.sampled_from(["higher", "lower", "neutral"]),
    latest=percent,
    previous=optional,
    municipality=optional,
)
def test_verdict__any_figures__one_sentence_that_agrees_with_the_numbers(
    direction, latest, previous, municipality
):
    with translation.override("en"):
        text = verdict(
            direction=direction,
            latest=latest,
            previous=previous,
            municipality=municipality,
            percent=True,
        )
    if previous is None and municipality is None:
        assert "compare" in text
        return
    match = SENTENCE.match(text)
    assert match, text
    trend, join = match["trend"], match["join"]
    position = (match["position"] or match["only"] or "").lower() or None
    assert (trend is None) == (previous is None), text
    assert (position is None) == (municipality is None), text
    if trend is not None:
        moved = latest - previous
        expected = {
            "higher": {1: "Better than", -1: "Worse than"},
            "lower": {1: "Worse than", -1: "Better than"},
            "neutral": {1: "Higher than", -1: "Lower than"},
        }[direction]
        if gap(latest, previous, percent=True) < UNCHANGED:
            assert trend == "Unchanged since"
        else:
            assert trend == expected[1 if moved > 0 else -1]
    if position is not None:
        if gap(latest, municipality, percent=True) < NEAR:
            assert position == "about the same as"
        else:
            assert position.endswith("above" if latest > municipality else "below")
            assert position.startswith("far") == (gap(latest, municipality, percent=True) >= FAR)
    if join:
        # 'still' joins a better trend to a worse standing, 'but still' the opposite.
        assert direction != "neutral"
        better_standing = (latest > municipality) == (direction == "higher")
        assert (join == "but still ") == better_standing
        assert trend == ("Worse than" if better_standing else "Better than")


@given(latest=percent, previous=percent, municipality=percent)
def test_verdict__share_put_the_other_way__same_verdict_with_above_and_below_swapped(
    latest, previous, municipality
):
    """'andel med' under 'higher is better' says the same as 'andel utan' under 'lower'."""
    with translation.override("en"):
        one = verdict(
            direction="higher",
            latest=latest,
            previous=previous,
            municipality=municipality,
            percent=True,
        )
        other = verdict(
            direction="lower",
            latest=100 - latest,
            previous=100 - previous,
            municipality=100 - municipality,
            percent=True,
        )
    swapped = {"above": "below", "below": "above", "Above": "Below", "Below": "Above"}
    assert re.sub(r"above|below|Above|Below", lambda m: swapped[m[0]], other) == one
