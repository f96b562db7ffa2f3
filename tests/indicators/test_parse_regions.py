"""Region codes and periods as the sources write them, normalised; no database needed."""

from __future__ import annotations

import pytest

from kvarter.indicators.importing.periods import normalise_period
from kvarter.indicators.importing.regions import COUNTIES, MUNICIPALITIES, normalise_region


def test_municipalities__all_290_each_in_one_of_the_21_counties() -> None:
    assert len(MUNICIPALITIES) == 290
    assert len(COUNTIES) == 21
    assert {code[:2] for code in MUNICIPALITIES} == set(COUNTIES)
    assert MUNICIPALITIES["0114"] == "Upplands Väsby"
    assert MUNICIPALITIES["0580"] == "Linköping"
    assert MUNICIPALITIES["2584"] == "Kiruna"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("0000", "00"),
        ("00", "00"),
        ("SE", "00"),
        ("Riket", "00"),
        (" riket ", "00"),
        ("05", "05"),
        ("0005", "05"),  # Kolada's county council
        ("0580", "0580"),
        (" 0580 ", "0580"),
        ("0580C1010", "0580C1010"),
        ("0580c1010", "0580C1010"),
        ("0580C1010_DeSO2025", "0580C1010"),
        ("0580R001", "0580R001"),
        ("0999", None),
        ("0999C1010", None),
        ("0999R001", None),
        ("11", None),
        ("0580X1010", None),
        ("Linköping", None),
        ("", None),
    ],
)
def test_normalise_region(code: str, expected: str | None) -> None:
    assert normalise_region(code) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2021", "2021"),
        (2021, "2021"),
        ("2021K3", "2021Q3"),
        ("2021Q3", "2021Q3"),
        ("2021M4", "2021M04"),
        ("2021M04", "2021M04"),
        ("2021H1", "2021H1"),
        ("2021H3", None),
        ("2021K5", None),
        ("2021M13", None),
        ("2021M00", None),
        ("21", None),
        (True, None),
        (None, None),
    ],
)
def test_normalise_period(code: object, expected: str | None) -> None:
    assert normalise_period(code) == expected
