"""Read the EST report interchange format (CSV) and check every row against a catalogue.

See ``/work/shared/formats/incident-reports.md``. :func:`parse_incidents` takes the file's
bytes and a :class:`Catalogue` (the municipality's categories, areas with boundaries, places
and organisations, loaded by :mod:`kvarter.safety.history.services`) and returns the rows as
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
- Free text with personal data is refused naming the row, the column and the kind of finding,
  never the text or the number. A message echoes a cell (an unknown category, a bad time) only
  if the cell itself holds no personal data, and never echoes a text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from pyproj import Transformer

from kvarter.core.importing import ImportRejected, Problem
from kvarter.core.importing.tables import read_table
from kvarter.core.personal_data import describe, scan
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
    coordinate_problem,
    key,
    parse_number,
    parse_time,
    problem,
    range_problem,
    shown,
)
from kvarter.safety.models import TEXT_MAX_LENGTH

__all__ = [
    "HEADERS",
    "MAX_PROBLEMS",
    "Catalogue",
    "ParsedIncidents",
    "parse_incidents",
]

COORDINATE_DECIMALS = 7  # as area boundaries: about 1 cm

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
    now = (now or dt.datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None) + dt.timedelta(days=1)
    offsets: dict[str, dt.timedelta] = {}
    table = read_table(raw)  # refuses a bad byte (by row and column) or a file over the caps
    reader = iter(table)
    total = raw.count(b"\n") or 1
    problems: list[Problem] = []
    first_number, header = next(reader, (0, []))
    if first_number != 1:  # a blank first line, or broken quoting in the header
        header = []
    if not any(h.strip() for h in header):
        raise ImportRejected(
            [problem(None, "", "empty_file", "Filen saknar rubrikrad", "The file has no header")]
        )
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
            problems.append(
                problem(
                    row,
                    "",
                    "field_count",
                    f"Raden har {len(cells)} fält men rubrikraden {width}",
                    f"The row has {len(cells)} fields but the header {width}",
                )
            )
            continue
        before = len(problems)

        source_id = cells[i_id] if i_id is not None else ""
        if source_id:
            source_id = source_id.strip()
            first = seen_ids.setdefault(source_id, row)
            if first != row and source_id:
                problems.append(
                    problem(
                        row,
                        col["id"],
                        "duplicate_id",
                        f"Id {shown(source_id)} finns redan på rad {first}",
                        f"The id {shown(source_id)} is already used on row {first}",
                    )
                )
            if len(source_id) > 100:
                problems.append(
                    problem(
                        row,
                        col["id"],
                        "id_too_long",
                        "Id får vara högst 100 tecken",
                        "The id may be at most 100 characters",
                    )
                )

        value = cells[i_time]
        occurred = parse_time(value, now, offsets)
        if occurred is None and value != value.strip():
            value = value.strip()
            occurred = parse_time(value, now, offsets)
        if occurred is None:
            if not value and not any(c.strip() for c in cells):
                continue  # an empty row, as spreadsheets write them
            problems.append(
                problem(
                    row,
                    col["occurred_at"],
                    "invalid_time",
                    f"{shown(value)} är ingen tidpunkt som 2025-03-14T22:15 (eller i framtiden)",
                    f"{shown(value)} is not a time like 2025-03-14T22:15 (or in the future)",
                )
            )

        value = cells[i_cat]
        category = categories.get(value, 0)
        if category == 0:
            category = categories[value] = catalogue.categories.get(key(value))
        if category is None:
            problems.append(
                problem(
                    row,
                    col["category"],
                    "unknown_category" if value.strip() else "required",
                    f"Kategorin {shown(value.strip())} finns inte i kommunens katalog",
                    f"The category {shown(value.strip())} is not in the municipality's catalogue",
                )
            )

        value = cells[i_org]
        organisation = organisations.get(value, 0)
        if organisation == 0:
            organisation = organisations[value] = catalogue.organisations.get(key(value))
        if organisation is None:
            problems.append(
                problem(
                    row,
                    col["reporter_org"],
                    "unknown_organisation" if value.strip() else "required",
                    f"Organisationen {shown(value.strip())} finns inte i kommunen",
                    f"The organisation {shown(value.strip())} is not one of the municipality's",
                )
            )

        area: int | None = None
        value = cells[i_area] if i_area is not None else ""
        if value:
            area = areas.get(value, 0)
            if area == 0:
                area = areas[value] = catalogue.areas.get(key(value)) if value.strip() else -1
            if area is None:
                problems.append(
                    problem(
                        row,
                        col["area"],
                        "unknown_area",
                        f"Området {shown(value.strip())} finns inte i kommunen",
                        f"The area {shown(value.strip())} is not one of the municipality's",
                    )
                )
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
            a, b = parse_number(first_text), parse_number(second_text)
            if a is None or b is None:
                problems.append(coordinate_problem(row, col["lat"], col["lon"]))
            elif not (LAT[0] <= a <= LAT[1] and LON[0] <= b <= LON[1]):
                problems.append(range_problem(row, col["lat"], "WGS 84"))
            else:
                kind, x, y = 1, b, a
        first_text = cells[i_n] if i_n is not None else ""
        second_text = cells[i_e] if i_e is not None else ""
        if (first_text or second_text) and (first_text.strip() or second_text.strip()):
            a, b = parse_number(first_text), parse_number(second_text)
            if kind:
                problems.append(
                    problem(
                        row,
                        col["n"],
                        "two_positions",
                        "Ange antingen lat/lon eller n/e, inte båda",
                        "Give either lat/lon or n/e, not both",
                    )
                )
            elif a is None or b is None:
                problems.append(coordinate_problem(row, col["n"], col["e"]))
            elif not (NORTH[0] <= a <= NORTH[1] and EAST[0] <= b <= EAST[1]):
                problems.append(range_problem(row, col["n"], "SWEREF 99 TM"))
            else:
                kind, x, y = 2, b, a
        if not kind and area is None and not place and len(problems) == before:
            problems.append(
                problem(
                    row,
                    "",
                    "no_location",
                    "Ange område, plats eller koordinater",
                    "Give an area, a place or coordinates",
                )
            )

        description = cells[i_text] if i_text is not None else ""
        if description:
            description = description.strip()
        if description:
            if len(description) > TEXT_MAX_LENGTH:
                problems.append(
                    problem(
                        row,
                        col["text"],
                        "text_too_long",
                        f"Texten har {len(description)} tecken; högst {TEXT_MAX_LENGTH} får plats",
                        f"The text has {len(description)} characters; at most {TEXT_MAX_LENGTH}",
                    )
                )
            findings = scan(description, vehicle_registrations=True)
            if findings:
                problems.append(Problem(row, col["text"], "personal_data", describe(findings)))

        value = cells[i_sev] if i_sev is not None else ""
        severity = SEVERITIES.get(value, 0)
        if severity == 0:
            value = value.strip()
            severity = SEVERITIES.get(value, 0)
        if severity == 0:
            problems.append(
                problem(
                    row,
                    col["severity"],
                    "invalid_severity",
                    f"Allvarlighet är 1, 2 eller 3, inte {shown(value)}",
                    f"Severity is 1, 2 or 3, not {shown(value)}",
                )
            )

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
                problems.append(
                    problem(
                        row,
                        col["lat"] if position == 1 else col["n"],
                        "outside_areas",
                        "Positionen ligger utanför kommunens alla områden",
                        "The position is outside every area of the municipality",
                    )
                )
            elif area is None:
                area = out_area[index] = hits[index]
        place_id = None
        if place:
            name = key(place)
            if area is not None:
                found_place = catalogue.places.get((area, name))
                if found_place is None:
                    problems.append(
                        problem(
                            row,
                            col["place"],
                            "unknown_place",
                            f"Platsen {shown(place)} finns inte i området",
                            f"The place {shown(place)} is not a place of the area",
                        )
                    )
                else:
                    place_id = found_place[0]
                    if lat is None:
                        lat, lon = found_place[1], found_place[2]
            elif position == 0:
                named = by_name.get(name, [])
                if len(named) == 1:
                    out_area[index], place_id, lat, lon = named[0]
                else:
                    problems.append(
                        problem(
                            row,
                            col["place"],
                            "unknown_place" if not named else "ambiguous_place",
                            f"Platsen {shown(place)} finns inte"
                            if not named
                            else f"Det finns flera platser {shown(place)}; ange området",
                            f"The place {shown(place)} does not exist"
                            if not named
                            else f"There are several places {shown(place)}; give the area",
                        )
                    )
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
