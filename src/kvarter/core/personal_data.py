"""Personal-data scanner for free text (incident reports, proposals).

Kvarter refuses free text that contains personal data. This module finds
Swedish personal identity numbers (personnummer), coordination numbers
(samordningsnummer), phone numbers and e-mail addresses, and on request (EST
incident texts) vehicle registrations. Text is folded before it is read (NFKC,
digits of every script to ASCII, invisible format characters dropped), so
full-width or Arabic-Indic digits and soft hyphens do not hide a number.

Privacy by design: a Finding holds only the kind and the span, never the
matched text, so a finding can be logged or shown without leaking the data.
Callers must not log ``text[finding.start:finding.end]`` either.

The scanner leans towards flagging: refusing a harmless text costs the user a
rewrite, letting a personnummer through costs a data breach. Still, ordinary
municipal numbers (dates, amounts, measure numbers, decision references,
postcodes, times) must pass, or nobody could write a report.

Pure Python, precompiled regexes, one linear pass per pattern: the bulk
import runs it on tens of thousands of short texts per second.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from kvarter.core.text import join_list
from kvarter.core.text_fold import fold

__all__ = ["Finding", "Kind", "contains_personal_data", "describe", "luhn_valid", "scan"]


class Kind(StrEnum):
    PERSONAL_IDENTITY_NUMBER = "personal_identity_number"
    COORDINATION_NUMBER = "coordination_number"
    PHONE_NUMBER = "phone_number"
    EMAIL_ADDRESS = "email_address"
    VEHICLE_REGISTRATION = "vehicle_registration"


@dataclass(frozen=True, slots=True)
class Finding:
    """Where personal data was found. Deliberately holds no text."""

    kind: Kind
    start: int
    end: int


# --- Luhn --------------------------------------------------------------------

# Value of a digit after doubling and adding the digits of the product.
_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_valid(digits: str) -> bool:
    """True if an ASCII digit string passes the Luhn (mod 10) check."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        total += _LUHN_DOUBLED[digit] if position % 2 else digit
    return total % 10 == 0


# --- Personnummer and samordningsnummer --------------------------------------

# YYMMDD[-+ ]NNNN or CCYYMMDD[-+ ]NNNN as a whole digit run. The text is folded
# first (kvarter.core.text_fold: NFKC, digits of every script to ASCII, soft
# hyphens and zero-width characters dropped), and the separator may be any short
# run of characters that are neither letters nor digits: what Word or a web form
# turned "-" into (no-break space, en or em dash, minus sign), or what a person
# typed to get past a filter (".", "/", "_", "--", a newline). The lookarounds
# stop matches inside longer digit runs and inside decimals/dotted numbers
# ("3.8501011234"); letters and other punctuation around are fine, so
# "pnr:198501011234," and "(850101-1234)" are caught. A space or comma before
# is allowed on purpose, so lists like "850101-1234, 850202-2345" are caught.
# Only a regex candidate; the date and the Luhn digit are checked in Python.
_IDENTITY_NUMBER = re.compile(
    r"""
    (?P<date>
        [0-9]                              # first: lets the engine skip to digits fast
        (?<![0-9][0-9])(?<![0-9]\.[0-9])   # ... then check what came before it
        [0-9]{5}(?:[0-9]{2})?              # YYMMDD or CCYYMMDD
    )
    (?:[^\w()\[\]{}<>]|_){0,6}            # separator: a short non-alphanumeric run,
                                           # not brackets: "20180606 (2012-2013)"
    (?P<serial>[0-9]{4})
    (?![0-9])(?!\.[0-9])
    """,
    re.VERBOSE,
)

# Centuries of people alive or in archives; "21…" is not a year of birth yet.
_CENTURIES = frozenset({"18", "19", "20"})

# Samordningsnummer add 60 to the day of birth.
_COORDINATION_DAY_OFFSET = 60


def _days_in_month(century: str | None, yy: int, month: int) -> int:
    # Without a century we cannot know if the year is a leap year, so accept
    # 29 February rather than miss a real number.
    if century is None:
        return 29 if month == 2 else calendar.monthrange(2001, month)[1]
    return calendar.monthrange(int(century) * 100 + yy, month)[1]


def _identity_kind(match: re.Match[str]) -> Kind | None:
    """Kind for a candidate match, or None if the date or Luhn digit is wrong."""
    date = match["date"]
    century = None
    if len(date) == 8:
        century, date = date[:2], date[2:]
        if century not in _CENTURIES:
            return None
    month = int(date[2:4])
    if not 1 <= month <= 12:
        return None
    day = int(date[4:6])
    kind = Kind.PERSONAL_IDENTITY_NUMBER
    if day > _COORDINATION_DAY_OFFSET:
        day -= _COORDINATION_DAY_OFFSET
        kind = Kind.COORDINATION_NUMBER
    if not 1 <= day <= _days_in_month(century, int(date[:2]), month):
        return None
    # The check digit is computed over the ten-digit form YYMMDDNNNN only.
    if not luhn_valid(date + match["serial"]):
        return None
    return kind


def _scan_identity_numbers(text: str) -> Iterator[Finding]:
    # Skipping past a rejected candidate is safe: a candidate is bounded by
    # non-digits and its only inner non-digit is the separator, after which
    # just four digits follow – too short to start another candidate.
    for match in _IDENTITY_NUMBER.finditer(text):
        kind = _identity_kind(match)
        if kind is not None:
            yield Finding(kind, match.start(), match.end())


# A number the text itself calls a personnummer is refused even when its check
# digit (or date) is wrong: people mistype, and the text says what it is. The
# name must come shortly before the number with no other digits in between:
# "pnr", "p-nr", "pers.nr", "person nr", "personnummer", "personnumret",
# "samordningsnummer", "födelsenummer", "personal identity number", "ssn".
_NAMED_IDENTITY = re.compile(
    r"""
    (?<![^\W\d_])
    (?:
        (?:p(?:ers(?:on)?)?|samordnings|födelse)[\W_]{0,2}n(?:r|um(?:mer|ret|ren)\w*)
      | personal\ identity\ numbers? | social\ security\ numbers? | ssn
    )
    (?![^\W\d_])
    [^0-9]{0,30}
    """,
    re.VERBOSE | re.IGNORECASE,
)


# Cheap pre-check: without six digits in a row there is no number to name.
_SIX_DIGITS = re.compile(r"[0-9]{6}")


def _scan_named_identity_numbers(text: str) -> Iterator[Finding]:
    if not _SIX_DIGITS.search(text):
        return
    for name in _NAMED_IDENTITY.finditer(text):
        match = _IDENTITY_NUMBER.match(text, name.end())
        if match is None:
            continue
        day = int(match["date"][-2:])
        kind = (
            Kind.COORDINATION_NUMBER
            if day > _COORDINATION_DAY_OFFSET
            else Kind.PERSONAL_IDENTITY_NUMBER
        )
        yield Finding(kind, match.start(), match.end())


# --- Vehicle registrations (EST incident texts only) -------------------------
#
# Swedish plates: three letters (no I, Q, V) and three digits, or since 2019 two
# digits and a letter (no O), with an optional space or hyphen: "ABC 123",
# "ABC 12A", "ABC-123", "ABC123". Only capitals count: plates are written in
# capitals, and lower case would refuse "rum 101" or "bil 123". The incident
# format (formats/incident-reports.md) refuses them; plan texts are not scanned
# for them, as "LSS 123" or "KLF 123" there is an acronym and a number, not a car.
_VEHICLE = re.compile(
    # A plain class first, the lookbehind after it: lets the engine skip ahead fast.
    r"[A-HJ-PR-UW-Z](?<![^\W_][A-HJ-PR-UW-Z])[A-HJ-PR-UW-Z]{2}[\ \u00a0-]?[0-9]{2}"
    r"[0-9A-HJ-NPR-UW-Z](?![^\W_])"
)


def _scan_vehicle_registrations(text: str) -> Iterator[Finding]:
    for match in _VEHICLE.finditer(text):
        yield Finding(Kind.VEHICLE_REGISTRATION, match.start(), match.end())


# --- Phone numbers -----------------------------------------------------------
#
# Heuristic (documented because it is a trade-off, not a standard):
#
# * A phone number is a run of digit groups joined by one separator each: a
#   space, a no-break space, "-" or " - ". It may not be glued to other digits,
#   nor follow "digit-", "digit.", "digit/", "digit:", nor a space after a run
#   of 1–3 digits: so the "03" in "2025-03-14" or "14.03.2025" and the
#   "012 944 680" in the amount "2 012 944 680 kr" never start a number.
# * Swedish national numbers start with "0" + a non-zero digit ("00" is the
#   international prefix) and have 7–9 digits after the leading 0 (8 for most).
#   The area code may be in parentheses: "(08) 123 456 78".
#   If the number is split into groups, the first group (the area code, "0" +
#   1–3 digits) is 2–4 digits long. This is what keeps "050312-1235" (the shape
#   of a personnummer with a wrong check digit) from being read as a number.
# * International numbers start with "+" or "00" and a country code. For +46
#   the national part (without "(0)" or a stray leading 0) has 7–9 digits; for
#   other countries the whole number has 9–15 digits (E.164 allows at most 15;
#   fewer than 9 is more often a reference number than a phone number).
# * If the digit groups run on past the maximum ("070-123 45 67 2024"), trailing
#   groups are dropped until the number fits, so a phone number followed by a
#   year is still caught. The regexes take at most as many groups as a number
#   can have digits, which keeps long runs of digit groups linear.
#
# Amounts ("1 234 567 kr") and postcodes ("582 22") never start with 0, and
# dates/times use separators ("-" after a digit, ":", "/", ".") that cannot
# start a number, which is why they pass.

# Space, no-break space, narrow no-break space, thin space: all seen in pasted text.
_SPACES = "[ \u00a0\u202f\u2009]"
_SEP = rf"(?:{_SPACES}?-{_SPACES}?|{_SPACES})"
_NATIONAL_BODY = rf"""
    (?P<number>
        (?:\(0[1-9][0-9]{{0,2}}\){_SPACES}?[0-9]+ | 0[1-9][0-9]*)
        (?:{_SEP}[0-9]+){{0,9}}
    )
    (?![0-9])
"""

_INTERNATIONAL_BODY = rf"""
    (?P<number>
        (?:\+|00)[1-9][0-9]*
        (?:(?:{_SEP}|(?:-|{_SPACES})?\([0-9]{{1,4}}\)(?:-|{_SPACES})?)[0-9]+){{0,15}}
    )
    (?![0-9])
"""

# The finders are the bodies above with the "not after a number" rule. They
# start with a plain character class and check what came before only after
# it: Python's regex engine can then skip ahead to candidate characters, which
# made scanning several times faster than a pattern starting with lookbehinds.
# The lookbehinds are fixed-width (Python requires that) and include the
# already consumed first character: not after a digit or "+", "digit-",
# "digit.", "digit/", "digit:". After "digit space" see _continues_amount below.
_NOT_AFTER_NUMBER = r"(?<![0-9+][0(+])(?<![0-9][-./:][0(+])"

# After "digits space", a candidate made only of space-separated three-digit groups is the
# rest of an amount ("2 012 944 680 kr", "1 050 000 kr"), not a phone number; anything else
# there ("vecka 14 070-123 45 67") is still a phone number.
_AFTER_DIGIT_AND_SPACE = re.compile(rf"[0-9]{_SPACES}\Z")
_THOUSANDS_GROUPS = re.compile(rf"[0-9]{{3}}(?:{_SPACES}[0-9]{{3}})*\Z")


def _continues_amount(text: str, start: int, end: int) -> bool:
    if not _AFTER_DIGIT_AND_SPACE.search(text, max(0, start - 2), start):
        return False
    return bool(_THOUSANDS_GROUPS.match(text[start:end]))
_NATIONAL_FINDER_PATTERN = rf"""
    (?P<number>
        [0(]{_NOT_AFTER_NUMBER}
        (?:(?<=\()0[1-9][0-9]{{0,2}}\){_SPACES}?[0-9]+ | (?<=0)[1-9][0-9]*)
        (?:{_SEP}[0-9]+){{0,9}}
    )
    (?![0-9])
"""
_INTERNATIONAL_FINDER_PATTERN = rf"""
    (?P<number>
        [+0]{_NOT_AFTER_NUMBER}
        (?:(?<=\+)|(?<=0)0)[1-9][0-9]*
        (?:(?:{_SEP}|(?:-|{_SPACES})?\([0-9]{{1,4}}\)(?:-|{_SPACES})?)[0-9]+){{0,15}}
    )
    (?![0-9])
"""

# "Finders" look for a number anywhere; "followers" look for a second number
# right after an accepted one ("08-123 456 78 070-123 45 67"), which the
# finder's lookbehind would refuse because it follows "78 ".
_NATIONAL_FINDER = re.compile(_NATIONAL_FINDER_PATTERN, re.VERBOSE)
_NATIONAL_FOLLOWER = re.compile(_SEP + _NATIONAL_BODY, re.VERBOSE)
_INTERNATIONAL_FINDER = re.compile(_INTERNATIONAL_FINDER_PATTERN, re.VERBOSE)
_INTERNATIONAL_FOLLOWER = re.compile(_SEP + _INTERNATIONAL_BODY, re.VERBOSE)

_DIGITS = re.compile(r"[0-9]+")

_SWEDISH_NATIONAL_DIGITS = (7, 9)  # after the leading 0 / after +46
_INTERNATIONAL_DIGITS = (9, 15)  # country code included
_AREA_CODE_GROUP = (2, 4)  # "08" … "0980"


def _digit_groups(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [group.span() for group in _DIGITS.finditer(text, start, end)]


def _digit_count(groups: list[tuple[int, int]]) -> int:
    return sum(end - start for start, end in groups)


def _fit_groups(groups: list[tuple[int, int]], maximum: int) -> list[tuple[int, int]]:
    """Drop trailing groups until the digits fit (e.g. a year after the number)."""
    count = _digit_count(groups)
    while len(groups) > 1 and count > maximum:
        start, end = groups.pop()
        count -= end - start
    return groups


def _national_phone_end(text: str, start: int, end: int) -> int | None:
    low, high = _SWEDISH_NATIONAL_DIGITS
    groups = _fit_groups(_digit_groups(text, start, end), high + 1)
    if not low + 1 <= _digit_count(groups) <= high + 1:
        return None
    first_start, first_end = groups[0]
    if len(groups) > 1 and not (
        _AREA_CODE_GROUP[0] <= first_end - first_start <= _AREA_CODE_GROUP[1]
    ):
        return None
    return groups[-1][1]


def _international_phone_end(text: str, start: int, end: int) -> int | None:
    if text.count("(", start, end) > 1:
        return None  # one pair of parentheses at most
    prefix = 1 if text[start] == "+" else 2
    groups = _digit_groups(text, start + prefix, end)
    # "(0)" is the trunk prefix written for national callers; it is not dialled.
    groups = [(s, e) for s, e in groups if not (text[s - 1] == "(" and text[s:e] == "0")]
    digits = "".join(text[s:e] for s, e in groups)
    if digits.startswith("46"):
        national_zero = 1 if digits[2:3] == "0" else 0  # "+46 070-…", a common slip
        low, high = _SWEDISH_NATIONAL_DIGITS
        low, high = low + 2 + national_zero, high + 2 + national_zero
    else:
        low, high = _INTERNATIONAL_DIGITS
    groups = _fit_groups(groups, high)
    if not low <= _digit_count(groups) <= high:
        return None
    return groups[-1][1]


_PhoneEnd = Callable[[str, int, int], int | None]


def _scan_phone_pattern(
    text: str, finder: re.Pattern[str], follower: re.Pattern[str], end_of: _PhoneEnd
) -> Iterator[Finding]:
    # Not finditer(): a candidate may run on into the next number or be
    # rejected while a real number starts inside it, so resume after the
    # accepted (trimmed) end or just after a rejected start. The lookbehinds
    # keep resumed searches at the start of digit groups.
    position = 0
    while match := finder.search(text, position):
        start = match.start("number")
        end = end_of(text, start, match.end("number"))
        if end is None or _continues_amount(text, start, end):
            position = start + 1
            continue
        yield Finding(Kind.PHONE_NUMBER, start, end)
        position = end
        while follow := follower.match(text, position):
            start = follow.start("number")
            end = end_of(text, start, follow.end("number"))
            if end is None:
                break
            yield Finding(Kind.PHONE_NUMBER, start, end)
            position = end


def _scan_phone_numbers(text: str) -> Iterator[Finding]:
    yield from _scan_phone_pattern(
        text, _INTERNATIONAL_FINDER, _INTERNATIONAL_FOLLOWER, _international_phone_end
    )
    yield from _scan_phone_pattern(text, _NATIONAL_FINDER, _NATIONAL_FOLLOWER, _national_phone_end)


# --- E-mail addresses --------------------------------------------------------

# Pragmatic RFC 5322 subset: dot-atom local part (\w covers å, ä, ö) and a
# domain of hostname labels with an alphabetic top-level domain. Quoted local
# parts, IP-literal domains and obfuscations ("anna at kommun.se") are out of
# scope. The lookbehind makes matches start only at the start of a token, which
# keeps the search linear on long words without "@".
_ATOM = r"[\w!#$%&'*+/=?^`{|}~-]"
_EMAIL = re.compile(
    rf"""
    (?<![\w.!#$%&'*+/=?^`{{|}}~-])
    {_ATOM}+(?:\.{_ATOM}+)*
    @
    (?:[^\W_](?:[\w-]{{0,61}}[^\W_])?\.)+
    [^\W\d_]{{2,63}}
    (?![\w-])
    """,
    re.VERBOSE,
)


def _scan_emails(text: str) -> Iterator[Finding]:
    if "@" not in text:  # cheap pre-check; most texts have no "@"
        return
    for match in _EMAIL.finditer(text):
        yield Finding(Kind.EMAIL_ADDRESS, match.start(), match.end())


# --- Public API --------------------------------------------------------------


def _overlaps(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def scan(text: str, *, vehicle_registrations: bool = False) -> list[Finding]:
    """All personal data in text, sorted by start and non-overlapping.

    The text is folded first (see kvarter.core.text_fold); the spans are those
    of the original text. When findings overlap, identity numbers win over
    e-mail addresses, which win over vehicle registrations and phone numbers:
    "0503121234" with a valid check digit is reported as a personnummer, and
    digits inside an e-mail address are not a phone. Vehicle registrations are
    looked for only with ``vehicle_registrations=True`` (EST incident texts).
    """
    folded, origin = fold(text)
    findings = list(_scan_identity_numbers(folded))
    scanners: list[Iterator[Finding]] = [
        _scan_named_identity_numbers(folded),
        _scan_emails(folded),
    ]
    if vehicle_registrations:
        scanners.append(_scan_vehicle_registrations(folded))
    scanners.append(_scan_phone_numbers(folded))
    for candidates in scanners:
        for candidate in candidates:
            if not any(_overlaps(candidate, kept) for kept in findings):
                findings.append(candidate)
    findings.sort(key=lambda finding: finding.start)
    if origin is not None:
        findings = [
            Finding(f.kind, origin[f.start], origin[f.end - 1] + 1) for f in findings
        ]
    return findings


def contains_personal_data(text: str, *, vehicle_registrations: bool = False) -> bool:
    """True if scan() finds anything."""
    return bool(scan(text, vehicle_registrations=vehicle_registrations))


# (Swedish singular, Swedish plural, English singular, English plural) per kind.
# Plurals say "flera"/"several" rather than a count, so the message holds no
# digits at all and can never be mistaken for (part of) the data itself.
_NAMES: dict[Kind, tuple[str, str, str, str]] = {
    Kind.PERSONAL_IDENTITY_NUMBER: (
        "ett personnummer",
        "flera personnummer",
        "a personal identity number",
        "several personal identity numbers",
    ),
    Kind.COORDINATION_NUMBER: (
        "ett samordningsnummer",
        "flera samordningsnummer",
        "a coordination number",
        "several coordination numbers",
    ),
    Kind.PHONE_NUMBER: (
        "ett telefonnummer",
        "flera telefonnummer",
        "a phone number",
        "several phone numbers",
    ),
    Kind.EMAIL_ADDRESS: (
        "en e-postadress",
        "flera e-postadresser",
        "an e-mail address",
        "several e-mail addresses",
    ),
    Kind.VEHICLE_REGISTRATION: (
        "ett registreringsnummer",
        "flera registreringsnummer",
        "a vehicle registration number",
        "several vehicle registration numbers",
    ),
}


def describe(findings: Iterable[Finding]) -> str:
    """Bilingual user message naming what was found, never echoing the data."""
    counts = {kind: 0 for kind in Kind}
    for finding in findings:
        counts[finding.kind] += 1
    found = [(kind, count) for kind, count in counts.items() if count]
    if not found:
        return "Texten innehåller inga personuppgifter. / The text contains no personal data."
    swedish = join_list([_NAMES[kind][0 if count == 1 else 1] for kind, count in found])
    english = join_list([_NAMES[kind][2 if count == 1 else 3] for kind, count in found], "and")
    single = len(found) == 1 and found[0][1] == 1
    if single:
        # Swedish pronoun follows the noun's gender: ett nummer → det, en adress → den.
        pronoun = "den" if found[0][0] is Kind.EMAIL_ADDRESS else "det"
        return (
            f"Texten innehåller {swedish}. Ta bort {pronoun} och försök igen. / "
            f"The text contains {english}. Remove it and try again."
        )
    return (
        f"Texten innehåller {swedish}. Ta bort dem och försök igen. / "
        f"The text contains {english}. Remove them and try again."
    )
