"""Tests for kvarter.core.personal_data: the personal-data scanner.

The corpus tests are deterministic (fixed seed) so a failure can be reproduced.
Test data is synthetic: generated numbers, and the classic Skatteverket
example 811218-9876, which belongs to no real person.
"""

from __future__ import annotations

import calendar
import dataclasses
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kvarter.core.personal_data import (
    Finding,
    Kind,
    contains_personal_data,
    describe,
    luhn_valid,
    scan,
)

SEED = 20261123
CORPUS_SIZE = 1_000
NBSP = "\u00a0"
EN_DASH = "\u2013"
MINUS = "\u2212"


# --- Generators ------------------------------------------------------------------


def luhn_check_digit(nine_digits: str) -> int:
    """Check digit the way Skatteverket describes it (weights 2,1,2,… from the left).

    Written independently of luhn_valid() so the tests do not trust the code
    under test to generate their own data.
    """
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


@dataclasses.dataclass(frozen=True)
class IdentityNumber:
    text: str
    kind: Kind


def make_identity_number(rng: random.Random, *, valid: bool = True) -> IdentityNumber:
    """A personnummer/samordningsnummer in a random spelling.

    With valid=False the date is still valid but the check digit is wrong.
    """
    year = rng.randint(1850, 2025)
    month = rng.randint(1, 12)
    day = rng.randint(1, calendar.monthrange(year, month)[1])
    coordination = rng.random() < 0.3
    date = f"{year % 100:02d}{month:02d}{day + 60 if coordination else day:02d}"
    serial = f"{rng.randrange(1000):03d}"
    check = luhn_check_digit(date + serial)
    if not valid:
        check = (check + rng.randint(1, 9)) % 10  # Luhn catches every single-digit change
    century = f"{year // 100}" if rng.random() < 0.5 else ""
    separator = rng.choice(["-", "+", " ", ""])
    kind = Kind.COORDINATION_NUMBER if coordination else Kind.PERSONAL_IDENTITY_NUMBER
    return IdentityNumber(f"{century}{date}{separator}{serial}{check}", kind)


# Sentences from incident reports and proposals, with punctuation right
# against the number. Some carry harmless numbers too, which must not be flagged.
SENTENCE_TEMPLATES = [
    "{}",
    "Personnummer {}.",
    "pnr:{},",
    "Den boende ({}) kontaktade oss.",
    "Anmälare: {}; hörd den 2025-03-14.",
    "Uppgiften gällde {}!",
    '"{}" stod på lappen.',
    "[{}]",
    "Vårdnadshavare, {}, medverkade vid mötet kl. 22:15.",
    "Ärendet KS 2020-754 avser {} och ett belopp om 12 500,50 kr.",
    "Se bilaga/{}/skannad",
    "Ungdomen {} deltog i åtgärd 3.12 under 2020{}2023.".replace("{}2023", EN_DASH + "2023"),
    "Elev med pnr {}\nbor i området 582 22.",
    "\t{}\t",
    "Kostnaden blev 1 234 567 kr för {} enligt Q1/2021.",
    "«{}»",
    "Samordningsnummer {}?",
    "Namn Namnsson {} – se tidigare anteckning.",
    "ID={}&typ=1",
    "Personen, född {}, var 17 år.",
    "Insatsen omfattade 250 000 kronor; kontakt {}.",
    "Enligt 2.13 ska {} inte anges.",
    "{}: mål 1.1 uppfyllt till 45 %.",
    "Tel. saknas, pnr {}, adress saknas",
    "Ring inte – {} – utan skriv.",
]


def make_valid_text(rng: random.Random) -> tuple[str, IdentityNumber, int]:
    """Sentence with one valid number; returns text, number and its start offset."""
    number = make_identity_number(rng)
    template = rng.choice(SENTENCE_TEMPLATES)
    before, after = template.split("{}", 1)
    return before + number.text + after, number, len(before)


def _date_spelling(rng: random.Random) -> str:
    year = rng.randint(1990, 2030)
    month = rng.randint(1, 12)
    day = rng.randint(1, calendar.monthrange(year, month)[1])
    months = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
              "september", "oktober", "november", "december"]  # fmt: skip
    return rng.choice(
        [
            f"{year}-{month:02d}-{day:02d}",
            f"{year}{month:02d}{day:02d}",
            f"{day}/{month} {year}",
            f"{day} {months[month - 1]} {year}",
            f"{day:02d}.{month:02d}.{year}",
            f"{year}-{month:02d}-{day:02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        ]
    )


def _amount_spelling(rng: random.Random) -> str:
    value = rng.choice(
        [rng.randint(1, 999), rng.randint(1_000, 999_999), rng.randint(10**6, 10**10)]
    )
    grouped = f"{value:,}".replace(",", rng.choice([" ", NBSP]))
    return rng.choice(
        [
            f"{grouped} kr",
            f"{grouped} kronor",
            f"{grouped},{rng.randint(0, 99):02d} kr",
            f"{value} kr",
            f"{rng.randint(1, 99)},{rng.randint(1, 9)} mnkr",
            f"{grouped} tkr",
            f"{MINUS}{grouped} kr",
        ]
    )


def _other_harmless_number(rng: random.Random) -> str:
    year = rng.randint(1995, 2030)
    return rng.choice(
        [
            f"{rng.randint(1, 9)}.{rng.randint(1, 20)}",
            f"åtgärd {rng.randint(1, 9)}.{rng.randint(1, 20)}",
            f"mål {rng.randint(1, 9)}.{rng.randint(1, 9)}.{rng.randint(1, 9)}",
            f"{year}{EN_DASH}{year + rng.randint(1, 4)}",
            f"{year}-{year + rng.randint(1, 4)}",
            f"Q{rng.randint(1, 4)}/{year}",
            f"KS {year}-{rng.randint(1, 9999)}",
            f"Dnr SN {year}/{rng.randint(1, 999)}",
            f"§ {rng.randint(1, 300)}",
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
            f"kl. {rng.randint(0, 23):02d}.{rng.randint(0, 59):02d}",
            f"{rng.randint(0, 100)} %",
            f"{rng.randint(0, 99)},{rng.randint(0, 9)} %",
            f"{rng.randint(100, 999)} {rng.randint(10, 99)} Linköping",
            f"{rng.randint(100, 999)} {rng.randint(10, 99)}",
            f"år {year}",
            f"{rng.randint(1, 500)} deltagare",
        ]
    )


def make_invalid_identity_number(rng: random.Random) -> str:
    """A Luhn-invalid number in any spelling, except one that is really a phone number.

    Ten digits in a row starting with 0 ("0503121235") is exactly how people
    write Swedish phone numbers (0503-12 12 35); the scanner rightly reports it
    as a phone number (see test_scan__luhn_invalid_phone_shaped__phone_only).
    """
    while True:
        text = make_identity_number(rng, valid=False).text
        if not (len(text) == 10 and text.isdigit() and text.startswith("0")):
            return text


NEGATIVE_TEMPLATES = [
    "Den {} beslutades om {} enligt {}.",
    "Ärendet ({}) gällde {}; se {}!",
    "{}, {} och {}",
    "Beslut: {}\nBelopp: {}\nHänvisning: {}",
    "Summa {} ({}), jfr {}.",
    "Enligt {} ska {} fördelas, se {}",
    '"{}" – {} – {}',
]


def make_harmless_text(rng: random.Random) -> str:
    """A sentence with a Luhn-invalid number and other harmless numbers."""
    pieces = [make_invalid_identity_number(rng), _date_spelling(rng)]
    pieces += [rng.choice([_amount_spelling, _other_harmless_number])(rng)]
    rng.shuffle(pieces)
    return rng.choice(NEGATIVE_TEMPLATES).format(*pieces)


def _fmt(text: str, findings: list[Finding]) -> list[tuple[str, str]]:
    return [(finding.kind.value, text[finding.start : finding.end]) for finding in findings]


# --- Luhn ------------------------------------------------------------------------


@pytest.mark.parametrize("digits", ["8112189876", "79927398713", "0", "18", "4539578763621486"])
def test_luhn_valid__valid__true(digits: str) -> None:
    assert luhn_valid(digits)


@pytest.mark.parametrize("digits", ["8112189875", "79927398710", "", "81121898a6", "\u0661\u0668"])
def test_luhn_valid__invalid__false(digits: str) -> None:
    assert not luhn_valid(digits)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_luhn_valid__generated_check_digit__agrees(nine: str) -> None:
    check = luhn_check_digit(nine)
    assert luhn_valid(nine + str(check))
    assert not luhn_valid(nine + str((check + 1) % 10))


# --- Personnummer: acceptance corpus ----------------------------------------------


def test_scan__valid_personnummer_corpus__all_found_with_exact_span() -> None:
    rng = random.Random(SEED)
    misses = []
    for _ in range(CORPUS_SIZE):
        text, number, start = make_valid_text(rng)
        expected = [Finding(number.kind, start, start + len(number.text))]
        if scan(text) != expected:
            misses.append((text, number, _fmt(text, scan(text))))
    assert misses == []


def test_scan__harmless_numbers_corpus__nothing_flagged() -> None:
    rng = random.Random(SEED)
    flagged = []
    for _ in range(CORPUS_SIZE):
        text = make_harmless_text(rng)
        if scan(text):
            flagged.append((text, _fmt(text, scan(text))))
    assert flagged == []


def test_describe__corpus__never_echoes_the_data() -> None:
    rng = random.Random(SEED)
    for _ in range(200):
        text, number, _ = make_valid_text(rng)
        message = describe(scan(text))
        assert number.text not in message
        assert not any(char.isdigit() for char in message)


# --- Personnummer: examples ---------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "811218-9876",
        "811218+9876",
        "811218 9876",
        "8112189876",
        "19811218-9876",
        "19811218 9876",
        "198112189876",
        f"811218{NBSP}9876",  # separators Word and web forms produce
        "811218\u20119876",
        f"811218{EN_DASH}9876",
        f"811218{MINUS}9876",
    ],
)
def test_scan__valid_personnummer__found(number: str) -> None:
    text = f"Anmälare ({number}), se ovan."
    start = text.index(number)
    assert scan(text) == [Finding(Kind.PERSONAL_IDENTITY_NUMBER, start, start + len(number))]


def test_scan__valid_personnummer_glued_to_letters__found() -> None:
    text = "pnr:198112189876,"
    assert scan(text) == [Finding(Kind.PERSONAL_IDENTITY_NUMBER, 4, 16)]


def test_scan__samordningsnummer__coordination_kind() -> None:
    date = "811278"  # 18 December 1981 + 60
    number = f"{date}-987{luhn_check_digit(date + '987')}"
    assert scan(number) == [Finding(Kind.COORDINATION_NUMBER, 0, len(number))]


def test_scan__several_numbers_in_list__all_found() -> None:
    first = "811218-9876"
    second = f"811278-987{luhn_check_digit('811278987')}"  # samordningsnummer
    text = f"{first},{second} och 198112189876"
    assert [f.kind for f in scan(text)] == [
        Kind.PERSONAL_IDENTITY_NUMBER,
        Kind.COORDINATION_NUMBER,
        Kind.PERSONAL_IDENTITY_NUMBER,
    ]


@pytest.mark.parametrize(
    "date",
    [
        "811318",  # month 13
        "810018",  # month 00
        "811200",  # day 00
        "811232",  # day 32
        "810431",  # 31 April
        "810230",  # 30 February
        "811292",  # coordination day 92 (= 32)
        "811260",  # coordination day 60 (= 0)
    ],
)
def test_scan__impossible_date__not_flagged(date: str) -> None:
    number = f"{date}-123{luhn_check_digit(date + '123')}"
    assert scan(f"Nummer {number}.") == []


def test_scan__29_february__leap_year_rules() -> None:
    short = f"010229-123{luhn_check_digit('010229123')}"
    assert [f.kind for f in scan(short)] == [Kind.PERSONAL_IDENTITY_NUMBER]  # year unknown
    assert scan(f"20{short}") == []  # 2001 is not a leap year
    leap = f"20000229-123{luhn_check_digit('000229123')}"
    assert [f.kind for f in scan(leap)] == [Kind.PERSONAL_IDENTITY_NUMBER]


def test_scan__unknown_century__not_flagged() -> None:
    assert scan("21811218-9876") == []  # century 21 does not exist yet


@pytest.mark.parametrize(
    "text",
    [
        "1811218-98765",  # inside longer digit runs
        "0811218-9876",
        "811218-98761",
        "3.8112189876",  # decimal tail
        "8112189876.5",
        "12345678112189876",
    ],
)
def test_scan__inside_longer_number__not_flagged(text: str) -> None:
    assert [f for f in scan(text) if f.kind is Kind.PERSONAL_IDENTITY_NUMBER] == []


def test_scan__luhn_invalid_phone_shaped__phone_only() -> None:
    # Ten digits starting with 0 and a wrong check digit: a valid phone shape.
    assert [f.kind for f in scan("0503121235")] == [Kind.PHONE_NUMBER]
    # The same digits with a valid check digit are a personnummer, not a phone.
    valid = f"050312123{luhn_check_digit('050312123')}"
    assert [f.kind for f in scan(valid)] == [Kind.PERSONAL_IDENTITY_NUMBER]


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-14",
        "20250314",
        "14/3 2025",
        "14.03.2025",
        "1 234 567 kr",
        "250 000 kronor",
        "12 500,50 kr",
        "3,5 mnkr",
        "1.1",
        "2.13",
        "åtgärd 3.12",
        f"2020{EN_DASH}2023",
        "2020-2023",
        "Q1/2021",
        "KS 2020-754",
        "22:15",
        "08:00-17:00",
        "öppet 08-17",
        "45 %",
        "12,5%",
        "582 22",
        "582 22 Linköping",
        "Beslut 2024-05-02 § 154, dnr KS 2023/0451",
        "Budget 2024: 1 250 000 kr, utfall 987 654,32 kr (79 %).",
        "Mellan 2019 och 2023 minskade andelen från 12,3 % till 9,8 %.",
    ],
)
def test_scan__harmless_numbers__not_flagged(text: str) -> None:
    assert scan(text) == []


# --- Phone numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "070-123 45 67",
        "070-1234567",
        "0701234567",
        "070 123 45 67",
        "0701-23 45 67",
        "08-123 456 78",
        "08-123 45 67",
        "08 123 456 78",
        "08-12345678",
        "013-12 34 56",
        "013 - 12 34 56",
        "013-123456",
        "0140-123 45",
        "(08) 123 456 78",
        "(013) 12 34 56",
        "0771-123 123",
        f"070{NBSP}123{NBSP}45{NBSP}67",
        "+46 70 123 45 67",
        "+46701234567",
        "+46 (0)70-123 45 67",
        "+46 8 123 456 78",
        "+46 070-123 45 67",
        "0046 70 123 45 67",
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "+358 40 123 4567",
        "0044 20 7946 0958",
    ],
)
def test_scan__phone_number__found_with_exact_span(phone: str) -> None:
    text = f"Ring mig på {phone}, tack."
    start = text.index(phone)
    assert scan(text) == [Finding(Kind.PHONE_NUMBER, start, start + len(phone))]


@pytest.mark.parametrize("template", ["tel:{}", "({})", "{}.", "Tel {}\nMvh", "{}/{}"])
def test_scan__phone_number_with_punctuation__found(template: str) -> None:
    text = template.format("070-123 45 67", "08-123 456 78")
    assert scan(text)
    assert all(finding.kind is Kind.PHONE_NUMBER for finding in scan(text))


def test_scan__two_phones_separated_by_space__both_found() -> None:
    text = "Ring 08-123 456 78 070-123 45 67"
    assert _fmt(text, scan(text)) == [
        ("phone_number", "08-123 456 78"),
        ("phone_number", "070-123 45 67"),
    ]


def test_scan__phone_after_personnummer__both_found() -> None:
    text = "811218-9876 070-123 45 67"
    assert [f.kind for f in scan(text)] == [Kind.PERSONAL_IDENTITY_NUMBER, Kind.PHONE_NUMBER]


def test_scan__amount_group_starting_with_zero__not_a_phone() -> None:
    assert scan(f"Totalt 2{NBSP}012{NBSP}944{NBSP}680 kr och 1 004 670 123 kr") == []


def test_scan__phone_followed_by_year__year_not_included() -> None:
    text = "Ring 070-123 45 67 2024"
    assert _fmt(text, scan(text)) == [("phone_number", "070-123 45 67")]


@pytest.mark.parametrize(
    "text",
    [
        "1 234 567 kr",
        "250 000 kronor",
        "070 kr",
        "0,5 procent",
        "0701",  # too short
        "08-123",
        "0123456",  # 0 + 6 digits
        "01234567890",  # 0 + 10 digits
        "+44 20 79",  # international, too short
        "00 12 34",
        "+46 70 12",
        "2025-03-14 12 34 56",
        "05:30",
    ],
)
def test_scan__not_a_phone_number__not_flagged(text: str) -> None:
    assert scan(text) == []


# --- E-mail addresses -------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "anna.svensson@linkoping.se",
        "åsa.öberg@kommun.se",
        "ÄRENDE+kvarter@example.org",
        "a_b-c@sub.domain.example.com",
        "x@y.io",
        "förnamn.efternamn@malmö.se",
    ],
)
def test_scan__email__found_with_exact_span(address: str) -> None:
    text = f"Kontakta <{address}>."
    start = text.index(address)
    assert scan(text) == [Finding(Kind.EMAIL_ADDRESS, start, start + len(address))]


@pytest.mark.parametrize(
    "text",
    ["anna at kommun punkt se", "@kommun", "anna@", "anna@kommun", "a@b.c", "Möte @ 10:00"],
)
def test_scan__not_an_email__not_flagged(text: str) -> None:
    assert [f for f in scan(text) if f.kind is Kind.EMAIL_ADDRESS] == []


def test_scan__digits_in_email__reported_as_email_only() -> None:
    text = "Skriv till nr0701234567@sms.example.se"
    assert [f.kind for f in scan(text)] == [Kind.EMAIL_ADDRESS]


# --- describe, Finding, contains_personal_data --------------------------------------


def test_describe__personnummer_and_phone__bilingual_message() -> None:
    findings = scan("811218-9876 eller 070-123 45 67")
    assert describe(findings) == (
        "Texten innehåller ett personnummer och ett telefonnummer. Ta bort dem och försök igen."
        " / The text contains a personal identity number and a phone number."
        " Remove them and try again."
    )


def test_describe__single_email__singular_pronouns() -> None:
    assert describe([Finding(Kind.EMAIL_ADDRESS, 0, 5)]) == (
        "Texten innehåller en e-postadress. Ta bort den och försök igen."
        " / The text contains an e-mail address. Remove it and try again."
    )


def test_describe__several_of_a_kind__no_counts_and_plural() -> None:
    findings = [Finding(Kind.PHONE_NUMBER, 0, 5), Finding(Kind.PHONE_NUMBER, 6, 9)]
    message = describe(findings)
    assert "flera telefonnummer" in message
    assert "several phone numbers" in message
    assert "Remove them" in message


def test_describe__all_kinds__listed_in_fixed_order() -> None:
    findings = [Finding(kind, index, index + 1) for index, kind in enumerate(reversed(Kind))]
    message = describe(findings)
    assert (
        "ett personnummer, ett samordningsnummer, ett telefonnummer, en e-postadress"
        " och ett registreringsnummer" in message
    )
    assert (
        "a personal identity number, a coordination number, a phone number, an e-mail address"
        " and a vehicle registration number" in message
    )


def test_describe__nothing__says_so() -> None:
    assert "inga personuppgifter" in describe([])


def test_finding__fields__hold_no_text() -> None:
    assert [field.name for field in dataclasses.fields(Finding)] == ["kind", "start", "end"]
    finding = scan("Ring 070-123 45 67")[0]
    assert not hasattr(finding, "__dict__")  # slots: no place to stash the text
    assert "123" not in repr(finding)


def test_finding__frozen__cannot_be_changed() -> None:
    finding = Finding(Kind.PHONE_NUMBER, 0, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Ring 070-123 45 67", True), ("Budget 1 250 000 kr", False), ("", False)],
)
def test_contains_personal_data__text__bool(text: str, expected: bool) -> None:
    assert contains_personal_data(text) is expected


def test_scan__mixed_text__sorted_and_all_kinds() -> None:
    text = "Mail a@b.se, ring +46 70 123 45 67 eller 08-123 456 78, pnr 811218-9876."
    assert _fmt(text, scan(text)) == [
        ("email_address", "a@b.se"),
        ("phone_number", "+46 70 123 45 67"),
        ("phone_number", "08-123 456 78"),
        ("personal_identity_number", "811218-9876"),
    ]


# --- Properties -----------------------------------------------------------------------


def _check_invariants(text: str, findings: list[Finding]) -> None:
    previous_end = 0
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.start >= previous_end  # sorted and non-overlapping
        previous_end = finding.end


@given(st.text(max_size=300))
def test_scan__arbitrary_text__never_raises_and_well_formed(text: str) -> None:
    _check_invariants(text, scan(text))


@given(st.text(alphabet="0123456789 -+()@.:/,;åa\u00a0\n", max_size=120))
def test_scan__number_like_text__never_raises_and_well_formed(text: str) -> None:
    _check_invariants(text, scan(text))


_context = st.text(alphabet="abcåäö XYZ,;:!?()[]\"'-/\n\t", max_size=30)


@given(st.randoms(use_true_random=False), _context, _context)
def test_scan__valid_number_in_any_context__found(
    rng: random.Random, before: str, after: str
) -> None:
    number = make_identity_number(rng)
    text = before + number.text + after
    expected = Finding(number.kind, len(before), len(before) + len(number.text))
    assert expected in scan(text)


@pytest.mark.parametrize(
    "text",
    ["vecka 14 070-123 45 67", "rum 12 070 123 45 67", "kl 22 08-123 456 78 ring"],
)
def test_scan__phone_number_after_short_number__found(text):
    assert [f.kind for f in scan(text)] == [Kind.PHONE_NUMBER]


@pytest.mark.parametrize("text", ["2 012 944 680 kr", "1 050 000 kr", "totalt 3 000 000 kronor"])
def test_scan__amount_with_zero_group__not_flagged(text):
    assert scan(text) == []


# --- Spellings that hid numbers from the scanner (issue 12, item 1) ----------------

PNR10 = "8112189876"  # Skatteverket's example, Luhn-valid
COORD10 = "8112781235"  # day 18 + 60, Luhn-valid
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EXTENDED_ARABIC_INDIC = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
SEPARATORS = {
    "soft_hyphen": "\u00ad",
    "zero_width_space": "\u200b",
    "dot": ".",
    "slash": "/",
    "double_hyphen": "--",
    "em_dash": "\u2014",
    "spaced_em_dash": " \u2014 ",
    "underscore": "_",
    "newline": "\n",
    "crlf": "\r\n",
    "full_width_hyphen": "\uff0d",
    "non_breaking_hyphen": "\u2011",
}


def _spellings(ten: str) -> dict[str, str]:
    twelve = "19" + ten
    spellings = {}
    for name, separator in SEPARATORS.items():
        spellings[f"10_{name}"] = f"{ten[:6]}{separator}{ten[6:]}"
        spellings[f"12_{name}"] = f"{twelve[:8]}{separator}{twelve[8:]}"
    spellings["full_width_12"] = f"{twelve[:8]}-{twelve[8:]}".translate(FULL_WIDTH)
    spellings["full_width_10_plain"] = ten.translate(FULL_WIDTH)
    spellings["arabic_indic_10"] = f"{ten[:6]}-{ten[6:]}".translate(ARABIC_INDIC)
    spellings["arabic_indic_12_plain"] = twelve.translate(ARABIC_INDIC)
    spellings["extended_arabic_indic"] = ten.translate(EXTENDED_ARABIC_INDIC)
    spellings["devanagari"] = twelve.translate(DEVANAGARI)
    spellings["mixed_scripts"] = ten[:3].translate(FULL_WIDTH) + ten[3:].translate(ARABIC_INDIC)
    spellings["zero_width_inside_date"] = f"{ten[:3]}\u200b{ten[3:6]}-{ten[6:]}"
    spellings["soft_hyphens_everywhere"] = "\u00ad".join(ten)
    return spellings


@pytest.mark.parametrize(
    ("ten", "kind"), [(PNR10, Kind.PERSONAL_IDENTITY_NUMBER), (COORD10, Kind.COORDINATION_NUMBER)]
)
@pytest.mark.parametrize("spelling", sorted(_spellings(PNR10)))
def test_scan__obfuscated_spelling__found_with_original_span(
    ten: str, kind: Kind, spelling: str
) -> None:
    number = _spellings(ten)[spelling]
    text = f"En av dem sa {number} och sprang."
    assert luhn_valid(ten)
    assert [(f.kind, text[f.start : f.end]) for f in scan(text)] == [(kind, number)]


@pytest.mark.parametrize(
    "text",
    [
        "pnr 811218-9875",
        "Pnr: 811218-9870",
        "p-nr 19811218 9871",
        "pers.nr 811218-9872",
        "person nr 811218/9873",
        "personnummer 811218-9874",
        "hans personnummer är 19811218-9877",
        "Personnumret 811218.9878",
        "samordningsnummer 811278-1231",
        "personal identity number 811218-9879",
    ],
)
def test_scan__named_number_with_wrong_check_digit__found(text: str) -> None:
    digits = "".join(c for c in text if c.isdigit())[-10:]
    assert not luhn_valid(digits)
    findings = scan(text)
    assert len(findings) == 1
    assert findings[0].kind in {Kind.PERSONAL_IDENTITY_NUMBER, Kind.COORDINATION_NUMBER}


@pytest.mark.parametrize(
    "text",
    [
        "811218-9875 är ett ärendenummer",  # not named, wrong check digit
        "pnr saknas; ärende 2024-1234",  # named, but no number of that shape
        "personnummer behövs inte, ärende 12 811218-9875",  # other digits in between
    ],
)
def test_scan__wrong_check_digit_not_named__not_flagged(text: str) -> None:
    assert scan(text) == []


@pytest.mark.parametrize("plate", ["ABC 123", "ABC 12A", "ABC123", "ABC-12B", "XYZ\u00a0999"])
def test_scan__vehicle_registration__found_only_when_asked(plate: str) -> None:
    text = f"En bil med {plate} körde iväg."
    assert scan(text) == []
    findings = scan(text, vehicle_registrations=True)
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [
        (Kind.VEHICLE_REGISTRATION, plate)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Rum 101 var låst.",  # lower case
        "ABCD 123",  # four letters
        "ABC 1234",  # four digits
        "IQV 123",  # letters not used on plates
        "ABC 12O",  # O is not used as the last character
        "Mötet i KS 2024/123.",
    ],
)
def test_scan__not_a_vehicle_registration__not_flagged(text: str) -> None:
    assert scan(text, vehicle_registrations=True) == []


def test_scan__harmless_corpus_with_vehicles__nothing_flagged() -> None:
    rng = random.Random(SEED)
    texts = [make_harmless_text(rng) for _ in range(CORPUS_SIZE)]
    assert [t for t in texts if scan(t, vehicle_registrations=True)] == []


def test_scan__harmless_text_in_full_width__nothing_flagged() -> None:
    rng = random.Random(SEED)
    texts = [make_harmless_text(rng).translate(FULL_WIDTH) for _ in range(200)]
    assert [t for t in texts if scan(t)] == []


def test_fold__fast_path_characters__fold_to_themselves() -> None:
    """fold() skips text made only of characters it believes fold to themselves: check that."""
    from kvarter.core.text_fold import _MAY_FOLD, fold, fold_char

    skipped = [chr(c) for c in range(0x80, 0x10000) if not _MAY_FOLD.match(chr(c))]
    assert [c for c in skipped if fold_char(c) != c] == []
    assert fold("Åsa ät välling – “bra” — ok")[1] is None
    assert fold("１２")[0] == "12"
