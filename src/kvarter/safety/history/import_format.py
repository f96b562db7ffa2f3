"""The EST report interchange format, cell by cell: columns, decoding, values, problems.

What :mod:`kvarter.safety.history.importers` needs to read one row without the catalogue: the header
names (Swedish and English), times and numbers, and the bilingual problems. The file's
encoding and delimiter are read by :func:`kvarter.core.importing.tables.read_table`. See
``/work/shared/formats/incident-reports.md``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from zoneinfo import ZoneInfo

from kvarter.core.importing import Problem
from kvarter.core.importing.tables import parse_number as parse_number  # decimal comma or point
from kvarter.core.personal_data import contains_personal_data

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC
MAX_PROBLEMS = 1000  # listed; the rest are counted

# Contract key → the Swedish header the export writes.
HEADERS: dict[str, str] = {
    "id": "id",
    "occurred_at": "tidpunkt",
    "category": "kategori",
    "area": "område",
    "place": "plats",
    "lat": "lat",
    "lon": "lon",
    "n": "n",
    "e": "e",
    "reporter_org": "rapportör_organisation",
    "text": "beskrivning",
    "severity": "allvarlighet",
}
REQUIRED = ("occurred_at", "category", "reporter_org")
_ALIASES: dict[str, str] = {}
for _key, _header in HEADERS.items():
    _ALIASES[_header] = _key
    _ALIASES[_key] = _key
_ALIASES.update(
    {
        "area": "area",
        "place": "place",
        "text": "text",
        "severity": "severity",
        "category": "category",
        "omrade": "area",
        "latitude": "lat",
        "longitude": "lon",
        "lng": "lon",
        "northing": "n",
        "easting": "e",
        "rapportor_organisation": "reporter_org",
        "rapportör organisation": "reporter_org",
        "reporter_organisation": "reporter_org",
        "description": "text",
    }
)
SEVERITIES = {"": None, "1": 1, "2": 2, "3": 3}
# Plausible ranges for Sweden: outside them the pair is most likely swapped or in another CRS.
LAT, LON = (55.0, 69.5), (10.0, 24.5)
NORTH, EAST = (6_100_000.0, 7_700_000.0), (250_000.0, 950_000.0)


def key(text: str) -> str:
    """How names are compared: NFC, whitespace collapsed, casefolded."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def problem(row: int | None, column: str, code: str, sv: str, en: str) -> Problem:
    return Problem(row, column, code, f"{sv} / {en}.")


def shown(value: str) -> str:
    """A cell's value for a message: shortened, and never one holding personal data."""
    if contains_personal_data(value, vehicle_registrations=True):
        return "(värdet visas inte / value not shown)"
    return repr(value if len(value) <= 60 else value[:57] + "…")


def columns_of(
    header: list[str],
) -> tuple[dict[str, int], dict[str, str], list[str], list[Problem]]:
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    unknown: list[str] = []
    problems: list[Problem] = []
    for index, name in enumerate(header):
        norm = key(name)
        if "[" in norm and norm.endswith("]"):  # 'tidpunkt [occurred_at]'
            norm = norm.split("[", 1)[0].strip()
        column = _ALIASES.get(norm)
        if column is None:
            if norm:
                unknown.append(name.strip())
            continue
        if column in columns:
            problems.append(
                problem(
                    None,
                    name,
                    "duplicate_column",
                    f"Kolumnen '{name}' förekommer flera gånger",
                    f"The column '{name}' appears more than once",
                )
            )
            continue
        columns[column] = index
        names[column] = name.strip()
    for column in REQUIRED:
        if column not in columns:
            sv, en = HEADERS[column], column
            problems.append(
                problem(
                    None,
                    sv,
                    "missing_column",
                    f"Kolumnen '{sv}' saknas",
                    f"The column '{sv}' [{en}] is missing",
                )
            )
    for a, b in (("lat", "lon"), ("n", "e")):
        if (a in columns) != (b in columns):
            missing = b if a in columns else a
            problems.append(
                problem(
                    None,
                    HEADERS[missing],
                    "missing_column",
                    f"Kolumnen '{HEADERS[missing]}' saknas (koordinater kommer i par)",
                    f"The column '{HEADERS[missing]}' is missing (coordinates come in pairs)",
                )
            )
    return columns, names, unknown, problems


def parse_time(text: str, now: dt.datetime, offsets: dict[str, dt.timedelta]) -> dt.datetime | None:
    """The time as naive UTC, or None. ``offsets`` caches Stockholm's offset per local hour."""
    if len(text) < 16:  # a date alone, or nothing ISO 8601 can read
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        # Sweden changes its offset on whole hours, so the hour (the text's first 13
        # characters) decides it; fold=0 as zoneinfo: the first of a repeated hour.
        hour = text[:13]
        offset = offsets.get(hour)
        if offset is None:
            offset = offsets[hour] = value.replace(tzinfo=STOCKHOLM).utcoffset()  # type: ignore[assignment]
        value = value - offset  # type: ignore[operator]
    else:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value if value <= now else None


def coordinate_problem(row: int, first: str, second: str) -> Problem:
    return problem(
        row,
        f"{first}/{second}",
        "invalid_coordinates",
        "Koordinaterna måste vara två tal (båda ifyllda)",
        "The coordinates must be two numbers (both filled in)",
    )


def range_problem(row: int, column: str, system: str) -> Problem:
    return problem(
        row,
        column,
        "coordinates_out_of_range",
        f"Koordinaterna ligger inte i Sverige i {system}; är de omkastade?",
        f"The coordinates are not in Sweden in {system}; are they swapped?",
    )


def capped(problems: list[Problem]) -> list[Problem]:
    problems.sort(key=lambda p: -1 if p.row is None else p.row)
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [
        *problems[:MAX_PROBLEMS],
        problem(
            None,
            "",
            "more_problems",
            f"… och {rest} fel till (de första {MAX_PROBLEMS} visas)",
            f"… and {rest} more problems (the first {MAX_PROBLEMS} are shown)",
        ),
    ]
