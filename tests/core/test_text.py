"""Tests for kvarter.core.text: Swedish lists and numbers."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kvarter.core.text import format_decimal, join_list, parse_decimal, parse_list

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
THIN_SPACE = "\u2009"
MINUS = "\u2212"

# --- parse_list ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Berga, Ryd och Skäggetorp", ["Berga", "Ryd", "Skäggetorp"]),
        ("Berga; Ryd", ["Berga", "Ryd"]),
        ("Berga och Ryd", ["Berga", "Ryd"]),
        ("Berga, Ryd, och Skäggetorp", ["Berga", "Ryd", "Skäggetorp"]),
        ("Berga & Ryd", ["Berga", "Ryd"]),
        ("Berga and Ryd", ["Berga", "Ryd"]),
        ("Berga samt Ryd", ["Berga", "Ryd"]),
        ("Berga OCH Ryd", ["Berga", "Ryd"]),
        ("Berga\nRyd\r\nSkäggetorp", ["Berga", "Ryd", "Skäggetorp"]),
        ("Berga, Ryd och Skäggetorp.", ["Berga", "Ryd", "Skäggetorp"]),
        ("  Berga ,  Ryd  ", ["Berga", "Ryd"]),
        ("Berga,, Ryd;", ["Berga", "Ryd"]),
        ("Berga, berga, BERGA och Ryd", ["Berga", "Ryd"]),
        ("Ryd, Berga", ["Ryd", "Berga"]),
        ("KLF (säkerhet, brott), SOF", ["KLF (säkerhet, brott)", "SOF"]),
        ("KLF (säkerhet; brott) och SOF", ["KLF (säkerhet; brott)", "SOF"]),
        ("Fritid (idrott och kultur), SOF", ["Fritid (idrott och kultur)", "SOF"]),
        ("Berga", ["Berga"]),
    ],
)
def test_parse_list__swedish_spellings__split(text: str, expected: list[str]) -> None:
    assert parse_list(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Stockholm-Ochsenfurt",  # "och" only splits as a whole word
        "AT&T",  # "&" only splits with spaces around
        "Andersberg",
        "Sandby samtal",
    ],
)
def test_parse_list__separator_inside_word__not_split(text: str) -> None:
    assert parse_list(text) == [text]


@pytest.mark.parametrize("text", ["", "   ", "\n\t", ",;", " , och "])
def test_parse_list__empty__returns_empty(text: str) -> None:
    assert parse_list(text) == []


def test_parse_list__unclosed_parenthesis__still_splits() -> None:
    assert parse_list("Berga (norra, Ryd och Skäggetorp") == ["Berga (norra", "Ryd", "Skäggetorp"]


def test_parse_list__stray_closing_parenthesis__still_splits() -> None:
    assert parse_list("Berga), Ryd") == ["Berga)", "Ryd"]


# --- join_list -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        (["A"], "A"),
        (["A", "B"], "A och B"),
        (["A", "B", "C"], "A, B och C"),
    ],
)
def test_join_list__items__swedish_prose(items: list[str], expected: str) -> None:
    assert join_list(items) == expected


def test_join_list__english_conjunction__used() -> None:
    assert join_list(["A", "B", "C"], "and") == "A, B and C"


_SEPARATOR_WORDS = re.compile(r"(?i)(?:^|\s)(?:och|samt|and)(?:\s|$)")

# Items "without separators": letters (Swedish included), digits, inner
# spaces and hyphens; no list punctuation, no conjunction words.
_items = (
    st.text(
        alphabet=st.sampled_from(
            "abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖéü0123456789 -"
        ),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(lambda item: item != "" and not _SEPARATOR_WORDS.search(item))
    # An item ending in a hyphen reads as Swedish elision ("Kultur- och …"): one name.
    .filter(lambda item: not item.endswith("-"))
)


def _unique_casefold(items: list[str]) -> bool:
    return len({item.casefold() for item in items}) == len(items)


@given(st.lists(_items, max_size=8).filter(_unique_casefold))
def test_join_list__parse_list__round_trip(items: list[str]) -> None:
    assert parse_list(join_list(items)) == items


@given(st.lists(_items, min_size=1, max_size=8).filter(_unique_casefold))
def test_parse_list__any_separator_style__same_items(items: list[str]) -> None:
    for separator in (", ", "; ", "\n", " & ", " samt "):
        assert parse_list(separator.join(items)) == items


@given(st.text(max_size=200))
def test_parse_list__arbitrary_text__items_clean(text: str) -> None:
    items = parse_list(text)
    assert all(item and item == item.strip() and not item.endswith(".") for item in items)
    assert _unique_casefold(items)


# --- parse_decimal ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", "0"),
        ("12", "12"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1 234", "1234"),
        ("1 234 567,89", "1234567.89"),
        (f"1{NBSP}234,5", "1234.5"),
        (f"1{NARROW_NBSP}234,5", "1234.5"),
        (f"1{THIN_SPACE}234,5", "1234.5"),
        ("1 234.5", "1234.5"),
        ("1234", "1234"),
        ("1,234", "1.234"),  # Swedish reading: decimal comma
        ("-3,5", "-3.5"),
        (f"{MINUS}3,5", "-3.5"),
        (f"{MINUS}1{NBSP}234,6", "-1234.6"),
        ("+7", "7"),
        ("  42,0  ", "42.0"),
        ("007", "7"),
    ],
)
def test_parse_decimal__valid__parsed(text: str, expected: str) -> None:
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "1,234.5",
        "1.234,5",
        "1.234.567",
        "12,5 %",
        "12%",
        "nan",
        "NaN",
        "inf",
        "-Infinity",
        "1e5",
        "abc",
        "12 34",  # not a group of three
        "1 2345",
        "1  234",
        "- 5",
        "--5",
        "+-5",
        "5,",
        ",5",
        "1,2,3",
        "\u0661\u0662",  # Arabic-Indic digits
        "12 kr",
    ],
)
def test_parse_decimal__invalid__raises_bilingual(text: str) -> None:
    with pytest.raises(ValueError, match="Ogiltigt tal / Invalid number: '"):
        parse_decimal(text)


def test_parse_decimal__error__quotes_input() -> None:
    with pytest.raises(ValueError, match=re.escape("'1,234.5'")):
        parse_decimal("1,234.5")


# --- format_decimal --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("-1234.56"), 1, f"{MINUS}1{NBSP}234,6"),
        (Decimal("1234567.891"), 2, f"1{NBSP}234{NBSP}567,89"),
        (Decimal("0.05"), 1, "0,1"),  # half up, not half even
        (Decimal("0.25"), 1, "0,3"),
        (Decimal("-0.25"), 1, f"{MINUS}0,3"),
        (Decimal("-0.04"), 1, "0,0"),  # no minus on a rounded zero
        (Decimal("999.95"), 1, f"1{NBSP}000,0"),
        (12, 0, "12"),
        (1234, 2, f"1{NBSP}234,00"),
        (2.675, 2, "2,68"),  # float via its repr, not its binary value
        (-0.5, 0, f"{MINUS}1"),
        (Decimal("1E+30"), 1, f"1{NBSP}{f'000{NBSP}' * 9}000,0"),
    ],
)
def test_format_decimal__values__swedish(
    value: Decimal | int | float, decimals: int, expected: str
) -> None:
    assert format_decimal(value, decimals) == expected


def test_format_decimal__default__one_decimal() -> None:
    assert format_decimal(Decimal("3.14159")) == "3,1"


@pytest.mark.parametrize(
    "value", [Decimal("NaN"), Decimal("Infinity"), float("nan"), float("-inf")]
)
def test_format_decimal__not_finite__raises(value: Decimal | float) -> None:
    with pytest.raises(ValueError, match="Invalid number"):
        format_decimal(value)


def test_format_decimal__negative_decimals__raises() -> None:
    with pytest.raises(ValueError, match="decimals"):
        format_decimal(1, -1)


def test_format_decimal__bool__raises() -> None:
    with pytest.raises(TypeError):
        format_decimal(True)


_finite_decimals = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False, allow_infinity=False
)


@given(_finite_decimals, st.integers(min_value=0, max_value=6))
def test_format_decimal__parse_decimal__round_trip(value: Decimal, decimals: int) -> None:
    expected = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert parse_decimal(format_decimal(value, decimals)) == expected


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_format_decimal__integers__round_trip(value: int) -> None:
    assert parse_decimal(format_decimal(value, 0)) == value


@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=4),
)
def test_format_decimal__floats__round_trip_at_precision(value: float, decimals: int) -> None:
    expected = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert parse_decimal(format_decimal(value, decimals)) == expected


@given(st.text(max_size=50))
def test_parse_decimal__arbitrary_text__value_error_or_finite(text: str) -> None:
    try:
        value = parse_decimal(text)
    except ValueError:
        return
    assert value.is_finite()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kultur- och fritidsförvaltningen", ["Kultur- och fritidsförvaltningen"]),
        ("Kultur- och fritidsförvaltningen, SOF", ["Kultur- och fritidsförvaltningen", "SOF"]),
        (
            "Kultur-, fritids- och idrottsnämnden och UAF",
            ["Kultur-, fritids- och idrottsnämnden", "UAF"],
        ),
    ],
)
def test_parse_list__swedish_elision__kept_as_one_name(text, expected):
    assert parse_list(text) == expected
