"""A seeded, deterministic EST report history for benchmarks and the demo (not for tests only).

``Bänkstad`` is a made-up town of 150,000 inhabitants around SWEREF 99 TM (E 588 000,
N 6 610 000): twenty areas whose boundaries are a relaxed Voronoi tessellation of a 14 × 10 km
box (shared edges, so every position in the box lies in exactly one area), three named places
per area, the usual reporting organisations and the interchange format's categories.

:func:`incident_history_csv` writes ``n`` reports over ``years`` years in the contract format
(``/work/shared/formats/incident-reports.md``): positions clustered around a few hot places
plus noise, more reports on Friday and Saturday evenings, texts on about 30 % of rows (some
long, none with personal data), a mix of WGS 84 and SWEREF 99 TM coordinates, rows named only
by area and place. The same seed gives the same bytes.

:func:`load_incidents` sets up the town in the current database and imports the history through
the real service (:func:`kvarter.safety.history.services.incident_history_import`), so that the
situational-picture and hot-spot benchmarks time their parts on the same data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Point, Polygon, box, mapping

__all__ = [
    "AREA_NAMES",
    "CATEGORIES",
    "ORGANISATIONS",
    "LoadedIncidents",
    "TownSpec",
    "incident_history_csv",
    "load_incidents",
    "town_ensure",
    "town_spec",
]

MUNICIPALITY_CODE = "9150"
MUNICIPALITY_NAME = "Bänkstad"
INHABITANTS = 150_000
DEFAULT_SEED = 20261130
# The history ends on this (local) date; it starts ``years`` × 365 days earlier.
HISTORY_ENDS = dt.date(2026, 1, 1)

AREA_NAMES = (
    "Centrum",
    "Norrby",
    "Söderby",
    "Västerhöjden",
    "Österäng",
    "Ekbacken",
    "Björkhagen",
    "Lindö",
    "Tallbacka",
    "Granlunda",
    "Sjöstaden",
    "Hagaberg",
    "Solbacken",
    "Bergslunda",
    "Ängsvik",
    "Kvarnholmen",
    "Stenhagen",
    "Råby",
    "Skogsäng",
    "Hamnen",
)
PLACE_NAMES = (
    "Torget",
    "Tunneln vid skolan",
    "Busstorget",
    "Idrottsplatsen",
    "Parkeringen vid centrum",
    "Lekplatsen",
    "Fritidsgården",
    "Skolgården",
    "Stationen",
    "Parken",
    "Badplatsen",
    "Återvinningsstationen",
    "Gångbron",
    "Biblioteket",
    "Ishallen",
)
# (name, is_positive, weight): the interchange format's names.
CATEGORIES: tuple[tuple[str, bool, float], ...] = (
    ("Skadegörelse", False, 16),
    ("Klotter", False, 14),
    ("Brand", False, 5),
    ("Bilbrand", False, 2),
    ("Nedskräpning", False, 15),
    ("Samling av ungdomar", False, 14),
    ("Otrygg plats", False, 10),
    ("Narkotikahandel", False, 5),
    ("Stenkastning", False, 2),
    ("Hot mot personal", False, 3),
    ("Belysning ur funktion", False, 8),
    ("Positiv händelse", True, 6),
)
# (name, short name, organisation kind, weight)
ORGANISATIONS: tuple[tuple[str, str, str, float], ...] = (
    ("Kommunvärdar", "KV", "municipal_unit", 30),
    ("Polisen", "POL", "police", 20),
    ("Bostadsbolaget", "BB", "municipal_company", 20),
    ("Väktare", "VKT", "other", 13),
    ("Fältgruppen", "FG", "municipal_unit", 12),
    ("Räddningstjänsten", "RTJ", "rescue_service", 5),
)
# Hour of day weights: quiet nights, busy evenings.
_HOURS = np.array(
    [3, 2, 1.5, 1, 0.7, 0.6, 1, 2, 3, 3, 3, 3.5, 4, 4, 4.5, 5, 6, 7, 8, 9, 9.5, 9, 7, 5]
)
_WEEKDAYS = np.array([0.8, 0.8, 0.85, 0.9, 1.0, 1.0, 0.75])  # Monday … Sunday, as acceptance
_VOCABULARY = (
    "klotter på väggen vid ingången nedskräpning runt containern ungdomar samlades vid "
    "kiosken på kvällen belysningen ur funktion i gångtunneln brand i papperskorg släckt "
    "av räddningstjänsten sten kastad mot buss ingen skadad krossad ruta i entrén "
    "trygghetsvandring genomförd med boende positivt samtal med grupp ungdomar oro bland "
    "boende narkotikahandel misstänkt vid parkeringen hot mot personal på fritidsgården "
    "väktare på plats polisen underrättad kommunvärdar pratade med gruppen lugnt efter "
    "midnatt mopeder i parken skadegörelse på lekplatsen vecka 14 åtgärd 2.13 anmält"
)
_WORDS = tuple(_VOCABULARY.split())
_BOX_SWEREF = (581_000.0, 6_605_000.0, 595_000.0, 6_615_000.0)  # E min, N min, E max, N max
_MARGIN = 60.0  # generated positions stay this far inside the box


@cache
def _to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class PlaceSpec:
    area: str
    name: str
    e: float
    n: float
    weight: float  # share of the clustered reports
    favourite: int  # index into CATEGORIES: what is mostly reported here


@dataclass(frozen=True)
class TownSpec:
    """The town's geometry and catalogue, without the database."""

    areas: dict[str, Polygon]  # name → boundary in SWEREF 99 TM
    populations: dict[str, int]
    places: list[PlaceSpec] = field(default_factory=list)

    def boundary_wgs84(self, name: str) -> dict[str, Any]:
        from kvarter.areas.geometry import SWEREF99TM, to_wgs84_polygon

        return to_wgs84_polygon(mapping(self.areas[name]), SWEREF99TM)


@cache
def town_spec(seed: int = DEFAULT_SEED) -> TownSpec:
    """Bänkstad's twenty areas (Voronoi cells, twice relaxed, edges every 250 m) and places."""
    rng = np.random.default_rng(seed)
    e0, n0, e1, n1 = _BOX_SWEREF
    frame = box(e0, n0, e1, n1)
    seeds = np.column_stack(
        [rng.uniform(e0, e1, len(AREA_NAMES)), rng.uniform(n0, n1, len(AREA_NAMES))]
    )
    cells: list[Polygon] = []
    for _relax in range(3):
        diagram = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=frame)
        by_seed = []
        for point in seeds:
            cell = next(c for c in diagram.geoms if c.covers(Point(point)))
            by_seed.append(cell.intersection(frame))
        cells = by_seed
        seeds = np.array([[c.centroid.x, c.centroid.y] for c in cells])
    areas = {
        name: shapely.segmentize(shapely.normalize(cell), 250.0)
        for name, cell in zip(AREA_NAMES, cells, strict=True)
    }
    weights = rng.uniform(0.5, 1.5, len(AREA_NAMES))
    weights[0] *= 1.6  # the centre is denser
    populations = np.floor(weights / weights.sum() * INHABITANTS).astype(int)
    populations[0] += INHABITANTS - populations.sum()
    places: list[PlaceSpec] = []
    hot = set(rng.choice(len(AREA_NAMES) * 3, size=8, replace=False).tolist())
    for index, (name, cell) in enumerate(areas.items()):
        names = rng.choice(len(PLACE_NAMES), size=3, replace=False)
        inner = cell.buffer(-150.0)
        min_e, min_n, max_e, max_n = inner.bounds
        for k, place_index in enumerate(names):
            while True:
                point = Point(rng.uniform(min_e, max_e), rng.uniform(min_n, max_n))
                if inner.contains(point):
                    break
            number = index * 3 + k
            places.append(
                PlaceSpec(
                    area=name,
                    name=PLACE_NAMES[int(place_index)],
                    e=round(point.x, 1),
                    n=round(point.y, 1),
                    weight=8.0 if number in hot else 1.0,
                    favourite=int(rng.integers(len(CATEGORIES))),
                )
            )
    return TownSpec(
        areas=areas, populations=dict(zip(areas, populations.tolist(), strict=True)), places=places
    )


def _texts(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` report texts: mostly a short sentence, some long, a few near 1,000 chars."""
    words = np.array(_WORDS)
    lengths = rng.integers(4, 26, count)
    long = rng.random(count)
    lengths[long < 0.12] = rng.integers(40, 100, int((long < 0.12).sum()))
    lengths[long < 0.03] = 170
    texts = []
    for length in lengths.tolist():
        text = " ".join(words[rng.integers(0, len(words), length)].tolist())
        texts.append(text[:998].rstrip())  # with the full stop: ≤ 1,000
    return [t[0].upper() + t[1:] + "." for t in texts]


def _times(rng: np.random.Generator, n: int, years: int) -> np.ndarray:
    """Local minutes since the start, sorted: weekday and hour patterns, a slow rise."""
    days = years * 365
    chosen = np.empty(0, dtype=np.int64)
    while len(chosen) < n:
        want = int((n - len(chosen)) * 1.4) + 100
        # A rise of a third over the period: day drawn from a linear density.
        day = np.floor(days * (np.sqrt(1 + rng.random(want) * (1.333**2 - 1)) - 1) / 0.333)
        day = np.clip(day.astype(np.int64), 0, days - 1)
        start = np.datetime64(HISTORY_ENDS, "D") - days
        weekday = ((start + day).astype("datetime64[D]").view("int64") - 4) % 7  # Monday 0
        keep = rng.random(want) < _WEEKDAYS[weekday]
        chosen = np.concatenate([chosen, day[keep]])
    hours = rng.choice(24, size=n, p=_HOURS / _HOURS.sum())
    minutes = chosen[:n] * 1440 + hours * 60 + rng.integers(0, 60, n)
    return np.sort(minutes)


def incident_history_csv(
    n: int = 1_000_000, years: int = 5, seed: int = DEFAULT_SEED, *, spec: TownSpec | None = None
) -> bytes:
    """The history as contract CSV (';', UTF-8 with BOM, Swedish headers), deterministic."""
    spec = spec or town_spec()
    rng = np.random.default_rng(seed)
    e0, n0, e1, n1 = _BOX_SWEREF
    minutes = _times(rng, n, years)
    start = np.datetime64(HISTORY_ENDS, "m") - np.timedelta64(years * 365 * 1440, "m")
    stamps = np.datetime_as_string(start + minutes.astype("timedelta64[m]"), unit="m")

    # Positions: 55 % around a place (σ 120 m), the rest anywhere in the town.
    places = spec.places
    place_weights = np.array([p.weight for p in places])
    clustered = rng.random(n) < 0.55
    place_of = np.where(
        clustered, rng.choice(len(places), size=n, p=place_weights / place_weights.sum()), -1
    )
    place_e = np.array([p.e for p in places])[place_of]
    place_n = np.array([p.n for p in places])[place_of]
    east = np.where(clustered, place_e + rng.normal(0, 120, n), rng.uniform(e0, e1, n))
    north = np.where(clustered, place_n + rng.normal(0, 120, n), rng.uniform(n0, n1, n))
    east = np.clip(east, e0 + _MARGIN, e1 - _MARGIN)
    north = np.clip(north, n0 + _MARGIN, n1 - _MARGIN)
    names = list(spec.areas)
    tree = shapely.STRtree(list(spec.areas.values()))
    hits_in, hits_tree = tree.query(shapely.points(east, north), predicate="intersects")
    area_of = np.full(n, -1)
    area_of[hits_in[::-1]] = hits_tree[::-1]  # the first hit wins
    lon, lat = _to_wgs84().transform(east, north)

    category_weights = np.array([c[2] for c in CATEGORIES])
    category = rng.choice(len(CATEGORIES), size=n, p=category_weights / category_weights.sum())
    favourite = np.array([p.favourite for p in places])[place_of]
    use_favourite = clustered & (rng.random(n) < 0.5)
    category = np.where(use_favourite, favourite, category)
    organisation_weights = np.array([o[3] for o in ORGANISATIONS])
    organisation = rng.choice(
        len(ORGANISATIONS), size=n, p=organisation_weights / organisation_weights.sum()
    )
    short_name = rng.random(n) < 0.1
    how = rng.random(n)  # < 0.65 WGS 84, < 0.9 SWEREF 99 TM, else area (and place) only
    named_area = (how >= 0.9) | (rng.random(n) < 0.3)
    place_area = np.array([names.index(p.area) for p in places])[place_of]
    named_place = clustered & (place_area == area_of) & (rng.random(n) < 0.4)
    has_text = rng.random(n) < 0.3
    pool = _texts(rng, 20_000)
    text_of = rng.integers(0, len(pool), n)
    severity = np.where(rng.random(n) < 0.75, rng.choice(3, size=n, p=[0.5, 0.35, 0.15]) + 1, 0)
    space = rng.random(n) < 0.1

    buffer = io.BytesIO()
    out = io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "id",
            "tidpunkt",
            "kategori",
            "område",
            "plats",
            "lat",
            "lon",
            "n",
            "e",
            "rapportör_organisation",
            "beskrivning",
            "allvarlighet",
        ]
    )
    category_names = [c[0] for c in CATEGORIES]
    organisation_names = [(o[0], o[1]) for o in ORGANISATIONS]
    place_names = [p.name for p in places]
    # Python objects for 100,000 rows at a time: a million at once would take ~0.5 GB.
    for first in range(0, n, 100_000):
        chunk = slice(first, min(first + 100_000, n))
        rows = zip(
            stamps[chunk].tolist(),
            category[chunk].tolist(),
            area_of[chunk].tolist(),
            place_of[chunk].tolist(),
            named_area[chunk].tolist(),
            named_place[chunk].tolist(),
            how[chunk].tolist(),
            lat[chunk].tolist(),
            lon[chunk].tolist(),
            north[chunk].tolist(),
            east[chunk].tolist(),
            organisation[chunk].tolist(),
            short_name[chunk].tolist(),
            has_text[chunk].tolist(),
            text_of[chunk].tolist(),
            severity[chunk].tolist(),
            space[chunk].tolist(),
            strict=True,
        )
        for number, (
            stamp,
            cat,
            area,
            place,
            n_area,
            n_place,
            kind,
            la,
            lo,
            no,
            ea,
            org,
            short,
            text,
            text_index,
            sev,
            spaced,
        ) in enumerate(rows, start=first + 1):
            writer.writerow(
                (
                    f"B{number:07d}",
                    stamp.replace("T", " ") if spaced else stamp,
                    category_names[cat],
                    names[area] if n_area else "",
                    place_names[place] if n_place else "",
                    f"{la:.6f}" if kind < 0.65 else "",
                    f"{lo:.6f}" if kind < 0.65 else "",
                    f"{no:.0f}" if 0.65 <= kind < 0.9 else "",
                    f"{ea:.0f}" if 0.65 <= kind < 0.9 else "",
                    organisation_names[org][1 if short else 0],
                    pool[text_index] if text else "",
                    str(sev) if sev else "",
                )
            )
    out.flush()
    return buffer.getvalue()


@dataclass
class Town:
    municipality: Any
    areas: list[Any]
    categories: list[Any]
    organisations: list[Any]
    places: list[Any]


def town_ensure(spec: TownSpec | None = None) -> Town:
    """Bänkstad in the database: municipality, areas, categories, organisations, places.

    Idempotent (get or create by name). Writes the catalogue directly, not through the
    catalogue services: this is set-up for benchmarks and the demo, with no actor.
    """
    from kvarter.accounts.models import Organisation
    from kvarter.areas.models import Area, Municipality
    from kvarter.safety.models import IncidentCategory, Place

    spec = spec or town_spec()
    municipality, _ = Municipality.objects.get_or_create(
        code=MUNICIPALITY_CODE, defaults={"name": MUNICIPALITY_NAME}
    )
    areas = {}
    for name in spec.areas:
        areas[name], _ = Area.objects.get_or_create(
            municipality=municipality,
            name=name,
            defaults={"boundary": spec.boundary_wgs84(name), "population": spec.populations[name]},
        )
    categories = [
        IncidentCategory.objects.get_or_create(
            municipality=municipality,
            name=name,
            defaults={"is_positive": positive, "order": order},
        )[0]
        for order, (name, positive, _weight) in enumerate(CATEGORIES)
    ]
    organisations = [
        Organisation.objects.get_or_create(
            municipality=municipality, name=name, defaults={"short_name": short, "kind": kind}
        )[0]
        for name, short, kind, _weight in ORGANISATIONS
    ]
    places = []
    lons, lats = _to_wgs84().transform([p.e for p in spec.places], [p.n for p in spec.places])
    for place, lon, lat in zip(spec.places, lons, lats, strict=True):
        lon, lat = round(float(lon), 7), round(float(lat), 7)
        places.append(
            Place.objects.get_or_create(
                area=areas[place.area],
                name=place.name,
                defaults={
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "latitude": lat,
                    "longitude": lon,
                },
            )[0]
        )
    return Town(municipality, list(areas.values()), categories, organisations, places)


@dataclass
class LoadedIncidents:
    """What :func:`load_incidents` made: the town, the file, and its import."""

    town: Town
    data: bytes
    result: Any  # IncidentImportResult
    seconds: float
    cpu_seconds: float
    generate_seconds: float

    @property
    def municipality(self) -> Any:
        return self.town.municipality


def load_incidents(
    n: int = 1_000_000,
    years: int = 5,
    seed: int = DEFAULT_SEED,
    *,
    data: bytes | None = None,
    progress: Any = None,
) -> LoadedIncidents:
    """Set up Bänkstad and import ``n`` generated reports through the real service.

    Call after Django is set up with a database (e.g. a benchmark's throwaway test database).
    Importing the same ``n``/``years``/``seed`` again adds nothing (the ids are the same).
    """
    from kvarter.core.actors import SYSTEM
    from kvarter.safety.history.services import incident_history_import

    town = town_ensure()
    started = time.perf_counter()
    if data is None:
        data = incident_history_csv(n, years, seed)
    generated = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    result = incident_history_import(
        actor=SYSTEM,
        municipality=town.municipality,
        data=data,
        file_name="bankstad-historik.csv",
        progress=progress,
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return LoadedIncidents(town, data, result, seconds, cpu, generated)
