"""Read the EST report interchange format (CSV) and check every row against a catalogue.

See ``/work/shared/formats/incident-reports.md``. :func:`parse_incidents` takes the file's
bytes and a :class:`Catalogue` (the municipality's categories, areas with boundaries, places
and organisations, loaded by :mod:`kvarter.safety.history.selectors`) and returns the rows as
columns ready to store, or raises :class:`ImportRejected` with every problem found at once.
Reading single cells (headers, encoding, times, numbers, problem texts) is in
:mod:`kvarter.safety.history.import_format`.

Fast on purpose (≥ 30,000 rows/s with the personal-data scan on): one pass over the rows of
:func:`kvarter.core.importing.tables.read_table` (the csv module over lines decoded as they are
read; encodings, the ``sep=`` line and the caps are its business), keeping only converted
columns; look-ups cached by the text as written; Stockholm's offset cached per hour;
coordinates transformed from SWEREF 99 TM in one pyproj call and areas found by testing all
positions inside each prepared boundary's bounding box at once (``shapely.intersects_xy``);
the scanner runs only on non-empty texts.

Rules beyond the contract, decided here:

- Row numbers count records as a spreadsheet does: the header is row 1, the first report row 2
  (an Excel 'sep=;' line before the header is not counted).
- A named area wins over the position: the position must lie in some area of the municipality
  but is not checked against the named one.
- A place without an area or a position must be unique in the municipality; a row given only a
  place (or an area and a place) gets the place's representative point as its position.
- A time without an offset is Europe/Stockholm; a date without a time and a time more than a
  day ahead are refused.
- Every field is checked by the validators of :mod:`kvarter.safety.event_rules`, as a report
  filed from a phone is, with the same error codes; a problem names the row, the column and the
  code's message in the active language, and never echoes a cell.
- Free text with personal data is refused naming the row, the column and the kind of finding,
  never the text or the number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from pyproj import Transformer

from kvarter.core.error_codes import problem
from kvarter.core.importing import ImportRejected, Problem
from kvarter.core.importing.tables import read_table
from kvarter.safety import event_rules as rules
from kvarter.safety.geo import AreaLocator
from kvarter.safety.history.import_format import (
    EAST,
    HEADERS,
    LAT,
    LON,
    MAX_PROBLEMS,
    NORTH,
    SEVERITIES,
    UTC,
    capped,
    columns_of,
    key,
    parse_number,
    parse_time,
    problems_from,
)

__all__ = [
    "HEADERS",
    "MAX_PROBLEMS",
    "Catalogue",
    "ParsedIncidents",
    "parse_incidents",
]

COORDINATE_DECIMALS = 7  # as area boundaries: about 1 cm
# History is not filed from a phone: a day ahead allows for any clock and time zone mix-up.
FUTURE_TOLERANCE = dt.timedelta(days=1)
ID_MAX_LENGTH = 100

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Catalogue:
    """What rows are matched against: one municipality's catalogue, keys casefolded."""

    categories: dict[str, int]  # name → id
    areas: dict[str, int]  # name → id
    locator: AreaLocator  # the areas' boundaries, for finding an area by position
    places: dict[tuple[int, str], tuple[int, float, float]]  # (area, name) → (id, lat, lon)
    organisations: dict[str, int]  # name or short name → id

    @property
    def places_by_name(self) -> dict[str, list[tuple[int, int, float, float]]]:
        by_name: dict[str, list[tuple[int, int, float, float]]] = {}
        for (area_id, name), (place_id, lat, lon) in self.places.items():
            by_name.setdefault(name, []).append((area_id, place_id, lat, lon))
        return by_name


@dataclass
class ParsedIncidents:
    """The file's rows as columns, every value checked; one entry per report row."""

    rows: list[int] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)
    occurred_at: list[dt.datetime] = field(default_factory=list)  # naive UTC
    category_ids: list[int] = field(default_factory=list)
    area_ids: list[int | None] = field(default_factory=list)
    place_ids: list[int | None] = field(default_factory=list)
    latitudes: list[float | None] = field(default_factory=list)
    longitudes: list[float | None] = field(default_factory=list)
    organisation_ids: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    severities: list[int | None] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ";"
    unknown_columns: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


@cache
def _sweref_to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)


def parse_incidents(  # one hot loop, kept flat for speed
    raw: bytes,
    catalogue: Catalogue,
    *,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> ParsedIncidents:
    """Every row of the file checked and converted; :class:`ImportRejected` lists all problems."""
    now = (now or dt.datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    offsets: dict[str, dt.timedelta] = {}
    table = read_table(raw)  # refuses a bad byte (by row and column) or a file over the caps
    reader = iter(table)
    total = raw.count(b"\n") or 1
    problems: list[Problem] = []
    first_number, header = next(reader, (0, []))
    if first_number != 1:  # a blank first line, or broken quoting in the header
        header = []
    if not any(h.strip() for h in header):
        raise ImportRejected([problem(None, "", "empty_file")])
    columns, names, unknown, problems = columns_of(header)
    if problems:
        raise ImportRejected(problems)
    width = len(header)
    get = columns.get
    i_id, i_time, i_cat, i_org = (
        get("id"),
        columns["occurred_at"],
        columns["category"],
        columns["reporter_org"],
    )
    i_area, i_place, i_text, i_sev = get("area"), get("place"), get("text"), get("severity")
    i_lat, i_lon, i_n, i_e = get("lat"), get("lon"), get("n"), get("e")
    col = {k: names.get(k, HEADERS[k]) for k in HEADERS}

    parsed = ParsedIncidents(
        encoding=table.encoding, delimiter=table.delimiter or ";", unknown_columns=unknown
    )
    categories: dict[str, int | None] = {}
    areas: dict[str, int | None] = {}
    organisations: dict[str, int | None] = {}
    seen_ids: dict[str, int] = {}
    # Positions, by kind: 1 WGS 84, 2 SWEREF 99 TM; x/y as written (lon/lat or e/n).
    position_kind: list[int] = []
    xs: list[float] = []
    ys: list[float] = []
    place_names: list[str] = []
    out = parsed
    for read, (row, cells) in enumerate(reader, start=1):  # blank rows skipped, counted
        if progress is not None and read % 50_000 == 0:
            progress("parse", table.lines_read, total)
        if len(cells) != width:
            problems.append(problem(row, "", "field_count", found=len(cells), expected=width))
            continue
        before = len(problems)

        source_id = cells[i_id] if i_id is not None else ""
        if source_id:
            source_id = source_id.strip()
            first = seen_ids.setdefault(source_id, row)
            if first != row and source_id:
                problems.append(problem(row, col["id"], "duplicate_id", first=first))
            if len(source_id) > ID_MAX_LENGTH:
                problems.append(problem(row, col["id"], "id_too_long", limit=ID_MAX_LENGTH))

        value = cells[i_time]
        occurred = parse_time(value, offsets)
        if occurred is None and value != value.strip():
            value = value.strip()
            occurred = parse_time(value, offsets)
        if occurred is None and not value and not any(c.strip() for c in cells):
            continue  # an empty row, as spreadsheets write them
        try:
            rules.validate_occurred_at(occurred, now=now, future_tolerance=FUTURE_TOLERANCE)
        except ValidationError as refused:
            problems += problems_from(row, col["occurred_at"], refused)

        value = cells[i_cat]
        category = categories.get(value, 0)
        if category == 0:
            category = categories[value] = catalogue.categories.get(key(value))
        if category is None:
            try:
                rules.validate_category(given=bool(value.strip()), found=False)
            except ValidationError as refused:
                problems += problems_from(row, col["category"], refused)

        value = cells[i_org]
        organisation = organisations.get(value, 0)
        if organisation == 0:
            organisation = organisations[value] = catalogue.organisations.get(key(value))
        if organisation is None:
            try:
                rules.validate_organisation(given=bool(value.strip()), found=False)
            except ValidationError as refused:
                problems += problems_from(row, col["reporter_org"], refused)

        area: int | None = None
        value = cells[i_area] if i_area is not None else ""
        if value:
            area = areas.get(value, 0)
            if area == 0:
                area = areas[value] = catalogue.areas.get(key(value)) if value.strip() else -1
            if area is None:
                try:
                    rules.validate_area(found=False)
                except ValidationError as refused:
                    problems += problems_from(row, col["area"], refused)
            elif area == -1:
                area = None
        place = cells[i_place] if i_place is not None else ""
        if place:
            place = place.strip()

        kind = 0
        x = y = 0.0
        first_text = cells[i_lat] if i_lat is not None else ""
        second_text = cells[i_lon] if i_lon is not None else ""
        if (first_text or second_text) and (first_text.strip() or second_text.strip()):
            try:
                a, b = rules.validate_coordinates(
                    parse_number(first_text),
                    parse_number(second_text),
                    ranges=(LAT, LON),
                    system="WGS 84",
                )
            except ValidationError as refused:
                problems += problems_from(row, f"{col['lat']}/{col['lon']}", refused)
            else:
                kind, x, y = 1, b, a
        first_text = cells[i_n] if i_n is not None else ""
        second_text = cells[i_e] if i_e is not None else ""
        if (first_text or second_text) and (first_text.strip() or second_text.strip()):
            if kind:
                problems.append(problem(row, col["n"], "two_positions"))
            else:
                try:
                    a, b = rules.validate_coordinates(
                        parse_number(first_text),
                        parse_number(second_text),
                        ranges=(NORTH, EAST),
                        system="SWEREF 99 TM",
                    )
                except ValidationError as refused:
                    problems += problems_from(row, f"{col['n']}/{col['e']}", refused)
                else:
                    kind, x, y = 2, b, a
        if not kind and area is None and not place and len(problems) == before:
            try:
                rules.validate_where(area=False, place=False, position=False)
            except ValidationError as refused:
                problems += problems_from(row, "", refused)

        description = cells[i_text] if i_text is not None else ""
        if description:
            description = description.strip()
        if description:
            try:
                rules.validate_text(description)
            except ValidationError as refused:
                problems += problems_from(row, col["text"], refused)

        value = cells[i_sev] if i_sev is not None else ""
        severity = SEVERITIES.get(value, 0)
        if severity == 0:
            value = value.strip()
            severity = SEVERITIES.get(value, 0)
        if severity == 0:
            try:
                rules.validate_severity(0)
            except ValidationError as refused:
                problems += problems_from(row, col["severity"], refused)

        if len(problems) > before:
            continue
        out.rows.append(row)
        out.source_ids.append(source_id)
        out.occurred_at.append(occurred)  # type: ignore[arg-type]
        out.category_ids.append(category)  # type: ignore[arg-type]
        out.organisation_ids.append(organisation)  # type: ignore[arg-type]
        out.area_ids.append(area)
        out.texts.append(description)
        out.severities.append(severity)
        position_kind.append(kind)
        xs.append(x)
        ys.append(y)
        place_names.append(place)

    problems += table.problems  # broken quoting
    if progress is not None:
        progress("parse", total, total)
    _locate(parsed, catalogue, position_kind, xs, ys, place_names, col, problems)
    if problems:
        raise ImportRejected(capped(problems))
    return parsed


def _locate(
    parsed: ParsedIncidents,
    catalogue: Catalogue,
    kinds: list[int],
    xs: list[float],
    ys: list[float],
    place_names: list[str],
    col: dict[str, str],
    problems: list[Problem],
) -> None:
    """Positions to WGS 84 and their areas (vectorised), then named places."""
    kind = np.asarray(kinds, dtype=np.int8)
    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    sweref = np.flatnonzero(kind == 2)
    if len(sweref):
        east_to_lon, north_to_lat = _sweref_to_wgs84().transform(x[sweref], y[sweref])
        x[sweref], y[sweref] = east_to_lon, north_to_lat
    x = np.round(x, COORDINATE_DECIMALS)
    y = np.round(y, COORDINATE_DECIMALS)
    # Area by position for the whole file at once; rows without a position stay -1.
    hit = np.full(len(kind), -1, dtype=np.int64)
    located = np.flatnonzero(kind > 0)
    hit[located] = catalogue.locator.areas_at(x[located], y[located])
    latitudes = y.tolist()
    longitudes = x.tolist()
    hits = hit.tolist()
    by_name = catalogue.places_by_name if any(place_names) else {}
    out_area, out_place = parsed.area_ids, parsed.place_ids
    out_lat, out_lon = parsed.latitudes, parsed.longitudes
    for index, (row, position, area, place) in enumerate(
        zip(parsed.rows, kinds, out_area, place_names, strict=True)
    ):
        lat: float | None = None
        lon: float | None = None
        if position:
            lat, lon = latitudes[index], longitudes[index]
            if hits[index] < 0:
                column = col["lat"] if position == 1 else col["n"]
                problems.append(problem(row, column, "position_outside_areas"))
            elif area is None:
                area = out_area[index] = hits[index]
        place_id = None
        if place:
            name = key(place)
            if area is not None:
                found_place = catalogue.places.get((area, name))
                if found_place is None:
                    try:
                        rules.validate_place(found=False)
                    except ValidationError as refused:
                        problems += problems_from(row, col["place"], refused)
                else:
                    place_id = found_place[0]
                    if lat is None:
                        lat, lon = found_place[1], found_place[2]
            elif position == 0:
                named = by_name.get(name, [])
                if len(named) == 1:
                    out_area[index], place_id, lat, lon = named[0]
                elif named:
                    problems.append(problem(row, col["place"], "ambiguous_place"))
                else:
                    try:
                        rules.validate_place(found=False)
                    except ValidationError as refused:
                        problems += problems_from(row, col["place"], refused)
        out_place.append(place_id)
        out_lat.append(lat)
        out_lon.append(lon)


def catalogue_from(
    *,
    categories: list[tuple[int, str]],
    areas: list[tuple[int, str, Any]],
    places: list[tuple[int, int, str, float, float]],
    organisations: list[tuple[int, str, str]],
) -> Catalogue:
    """Build a :class:`Catalogue` from plain rows (ids, names, GeoJSON boundaries)."""
    organisation_keys: dict[str, int] = {}
    for pk, name, _short in organisations:
        organisation_keys.setdefault(key(name), pk)
    for pk, _name, short in organisations:
        if short:
            organisation_keys.setdefault(key(short), pk)
    return Catalogue(
        categories={key(name): pk for pk, name in categories},
        areas={key(name): pk for pk, name, _ in areas},
        locator=AreaLocator.from_boundaries([(pk, boundary) for pk, _name, boundary in areas]),
        places={(area, key(name)): (pk, lat, lon) for pk, area, name, lat, lon in places},
        organisations=organisation_keys,
    )
