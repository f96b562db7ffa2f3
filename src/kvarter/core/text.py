"""Swedish text helpers: lists and numbers as Swedish officials write them.

Municipal staff paste lists ("Berga, Ryd och Skäggetorp") and numbers
("1 234,5", "−3,2") from Word, Excel and e-mail. These helpers turn that text
into Python values and back, strictly enough that an ambiguous number is
refused rather than silently misread.

Pure Python on purpose (no Django), so importers and the CLI can use it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Context, Decimal

__all__ = ["format_decimal", "join_list", "parse_decimal", "parse_list"]

# --- Lists -----------------------------------------------------------------

# One separator, tried only outside parentheses. A comma/semicolon/newline may
# be followed by a conjunction ("Berga, Ryd, och Skäggetorp" – the serial comma
# some writers use), which belongs to the separator, not to the next item.
# Conjunctions must have whitespace on both sides so "Ryd-Och" or "AT&T" stay whole.
# Never after a hyphen: Swedish elision ("Kultur- och fritidsförvaltningen", "Kultur-,
# fritids- och …") joins the parts of one name.
_LIST_SEPARATOR = re.compile(
    r"""
      (?<!-)\s*[,;\n]\s*(?:(?:och|samt|and|&)(?:\s+|$))?
    | (?<!-)\s+(?:och|samt|and|&)\s+
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Characters at which a separator can start; checking this first keeps the
# splitter from calling the regex at every position.
_SEPARATOR_START = frozenset(",;\n") | frozenset(" \t\r\f\v\u00a0\u202f\u2009")


def _split_outside_parentheses(text: str, *, respect_parentheses: bool) -> list[str] | None:
    """Split text on list separators; None if parentheses never close.

    Returning None lets the caller retry without parenthesis protection, so a
    typo like "Berga (norra, Ryd" still yields a usable list.
    """
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        char = text[i]
        if respect_parentheses and char == "(":
            depth += 1
        elif respect_parentheses and char == ")":
            depth = max(0, depth - 1)  # a stray ")" must not disable splitting forever
        elif depth == 0 and (char in _SEPARATOR_START or char.isspace()):
            match = _LIST_SEPARATOR.match(text, i)
            if match:
                parts.append(text[start:i])
                start = i = match.end()
                continue
        i += 1
    if depth > 0:
        return None
    parts.append(text[start:])
    return parts


def _clean_item(item: str) -> str:
    """Strip whitespace and one trailing full stop (end of the sentence)."""
    item = item.strip()
    if item.endswith("."):
        item = item[:-1].rstrip()
    return item


def parse_list(text: str) -> list[str]:
    """Parse a list the way Swedish officials write it.

    >>> parse_list("Berga, Ryd och Skäggetorp.")
    ['Berga', 'Ryd', 'Skäggetorp']
    >>> parse_list("KLF (säkerhet, brott), SOF")
    ['KLF (säkerhet, brott)', 'SOF']
    """
    if not text or text.isspace():
        return []
    parts = _split_outside_parentheses(text, respect_parentheses=True)
    if parts is None:
        parts = _split_outside_parentheses(text, respect_parentheses=False) or []
    items: list[str] = []
    seen: set[str] = set()
    for part in parts:
        item = _clean_item(part)
        key = item.casefold()
        # Duplicates are usually copy-paste slips; keep the first spelling.
        if item and key not in seen:
            seen.add(key)
            items.append(item)
    return items


def join_list(items: Sequence[str], conjunction: str = "och") -> str:
    """Join items as Swedish prose: 'A', 'A och B', 'A, B och C' (no serial comma)."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


# --- Numbers ---------------------------------------------------------------

MINUS_SIGN = "\u2212"
NO_BREAK_SPACE = "\u00a0"

# Thousands separators seen in pasted text: space, no-break space (Word/Excel),
# narrow no-break space (newer locale data) and thin space (typeset documents).
_THOUSANDS = "[ \u00a0\u202f\u2009]"

# [0-9] rather than \d: \d also matches e.g. Arabic-Indic digits, which Decimal
# would happily accept but nobody types in a Swedish municipality.
# Grouped integers must use groups of exactly three so that "12 34" (likely two
# numbers, or a postcode) is refused instead of read as 1234. Only one kind of
# decimal mark is allowed, which is what rejects "1,234.5" and "1.234,5".
_NUMBER = re.compile(
    rf"""
    (?P<sign>[+\-\u2212])?
    (?P<integer>[0-9]{{1,3}}(?:{_THOUSANDS}[0-9]{{3}})+|[0-9]+)
    (?:[.,](?P<fraction>[0-9]+))?
    """,
    re.VERBOSE,
)
_THOUSANDS_RE = re.compile(_THOUSANDS)


def _invalid_number(text: str) -> ValueError:
    return ValueError(f"Ogiltigt tal / Invalid number: '{text}'")


def parse_decimal(text: str) -> Decimal:
    """Parse a number written the Swedish or the English way.

    Accepts decimal comma or point, space-like thousands separators, '-', '−'
    and a leading '+'. Refuses anything ambiguous with a bilingual ValueError.
    """
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        raise _invalid_number(text)
    integer = _THOUSANDS_RE.sub("", match["integer"])
    fraction = match["fraction"]
    sign = "-" if match["sign"] in ("-", MINUS_SIGN) else ""
    literal = f"{sign}{integer}.{fraction}" if fraction else f"{sign}{integer}"
    return Decimal(literal)


def _to_decimal(value: Decimal | int | float) -> Decimal:
    # bool is an int subclass; formatting True as "1,0" would hide a bug.
    if isinstance(value, bool):
        raise TypeError("format_decimal() expects a number, not bool")
    # str() of a float is its shortest round-tripping repr, so 2.675 formats
    # as the 2.68 a reader expects, not as the binary 2.67499999….
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"Ogiltigt tal / Invalid number: '{value}'")
    return number


def format_decimal(value: Decimal | int | float, decimals: int = 1) -> str:
    """Format a number the Swedish way: '−1 234,6' (no-break space, Unicode minus).

    Rounds half up, as people expect from school and Excel.
    """
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    number = _to_decimal(value)
    # Enough precision for the integer digits plus the requested decimals;
    # the default 28 digits would raise on very large values.
    precision = max(28, number.adjusted() + decimals + 2)
    rounded = number.quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=Context(prec=precision)
    )
    digits = f"{abs(rounded):,.{decimals}f}"  # e.g. '1,234.6'
    swedish = digits.replace(",", NO_BREAK_SPACE).replace(".", ",")
    # A value that rounds to zero gets no minus: '−0,0' only confuses readers.
    return f"{MINUS_SIGN}{swedish}" if rounded < 0 else swedish
