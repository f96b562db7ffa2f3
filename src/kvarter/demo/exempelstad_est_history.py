"""Exempelstad's EST report history: about 60 weeks of invented reports, imported for real.

Only ``kvarter demo`` builds it (``exempelstad.build(with_est_history=True)``); the test
fixtures leave it out. The history is written as a CSV in the interchange format
(``/work/shared/formats/incident-reports.md``) and imported through
:func:`kvarter.safety.history.services.incident_history_import`, so the demo also proves the
import path. On top of it, a few recent reports are filed through the reporting service by the
municipal host 'vard' (the CSV format has no column for the reporter's unsafety assessment), the
operational group records deployments for last, this and next week, and the tactical group flags
the hot spot's place as a problem place linked to a plan measure.

Deterministic given the date: the weeks are counted back from the Monday of the current ISO
week, and each week's reports come from a generator seeded with the fixed seed and that week's
ISO year and number, with ids like ``EX-2026W48-007``. Re-running changes nothing (the ids are
skipped on re-import); running again later the same week adds only the reports whose time has
come since (reports are never dated after ``now``), and a run in a later week adds the new weeks.

What it looks like: more reports in the evenings and on Friday and Saturday, a slow seasonal
swing, positions around the named places of each area (and some anywhere in the area, always
inside its boundary), the catalogue's categories with a favourite per place, texts on about a
third of the reports (none with personal data), severity on most, and a hot spot growing at
'Tunneln vid skolan' in Norrby over the latest four weeks.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import uuid
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from django.utils import timezone
from shapely.geometry import Point, Polygon, shape
from shapely.prepared import prep

from kvarter.accounts.models import User
from kvarter.areas.models import Municipality
from kvarter.core.actors import SYSTEM
from kvarter.core.personal_data import contains_personal_data
from kvarter.demo.exempelstad_est import PLACES
from kvarter.plans.models import Measure
from kvarter.safety.deployments.services import deployment_create, deployment_record_outcome
from kvarter.safety.filing.services import incident_report_file
from kvarter.safety.history.import_format import STOCKHOLM
from kvarter.safety.history.services import IncidentImportResult, incident_history_import
from kvarter.safety.models import (
    Deployment,
    IncidentReport,
    Outcome,
    Place,
    ProblemPlace,
    Resource,
)
from kvarter.safety.problem_places.services import problem_place_flag, problem_place_update
from kvarter.safety.synthetic import _HOURS, _to_wgs84

__all__ = ["EstHistory", "build_est_history", "history_csv"]

SEED = 20261130
WEEKS_BACK = 60
HOT_PLACE = ("Norrby", "Tunneln vid skolan")
HOT_WEEKS = 4  # the current week and the three before it
HOT_SD = 110.0  # metres: the hot spot spreads over a few H3 cells round the tunnel
FILE_NAME = "exempelstad-est-historik.csv"
_KEY_NAMESPACE = uuid.UUID("6f1c7d1e-3b52-4d0e-9a51-7d2f3c1e0a77")

# Reports per week in each area on average (Norrby and Västerdal are on the Police's list).
AREA_WEEKLY: dict[str, float] = {
    "Norrby": 7.5,
    "Västerdal": 7.0,
    "Åsen": 5.0,
    "Söderängen": 3.5,
    "Kvarnbacken": 2.5,
}
# Monday … Sunday: Friday and Saturday are the busy days.
WEEKDAYS = np.array([0.8, 0.8, 0.85, 0.95, 1.35, 1.45, 1.0])
# The catalogue's default categories and how common each is.
CATEGORIES: dict[str, float] = {
    "Skadegörelse": 16,
    "Klotter": 14,
    "Brand": 5,
    "Bilbrand": 2,
    "Nedskräpning": 15,
    "Samling av ungdomar": 14,
    "Otrygg plats": 10,
    "Narkotikahandel": 4,
    "Stenkastning": 2,
    "Hot mot personal": 2,
    "Belysning ur funktion": 8,
    "Positiv händelse": 6,
}
# What is mostly reported at each place.
FAVOURITES: dict[str, str] = {
    "Norrby centrum": "Samling av ungdomar",
    "Tunneln vid skolan": "Klotter",
    "Bollplanen": "Nedskräpning",
    "Västerdals torg": "Narkotikahandel",
    "Gångbron": "Belysning ur funktion",
    "Åsens centrum": "Skadegörelse",
    "Parkeringen vid Åsvägen": "Bilbrand",
    "Söderängsskolan": "Klotter",
    "Busshållplatsen Ängsgatan": "Otrygg plats",
    "Kvarnbackens lekplats": "Positiv händelse",
    "Cykelvägen vid kvarnen": "Belysning ur funktion",
}
HOT_CATEGORIES = {
    "Samling av ungdomar": 5,
    "Skadegörelse": 3,
    "Otrygg plats": 3,
    "Stenkastning": 1,
    "Klotter": 2,
}
# (name or short name as the CSV writes it, weight); Räddningstjänsten reports the fires.
ORGANISATIONS: tuple[tuple[str, float], ...] = (
    ("Kultur- och fritidsförvaltningen", 30),  # the municipal hosts (kommunvärdar)
    ("Polisen", 20),
    ("Exempelhem AB", 20),
    ("Socialförvaltningen", 12),  # the outreach team (fältgruppen)
    ("RTJ", 3),
    ("Föreningen Norrby Framåt", 3),
)
RESCUE = "Räddningstjänsten Exempelstad"
# Texts per category: observations, never a person (checked when the file is written).
TEXTS: dict[str, tuple[str, ...]] = {
    "Skadegörelse": (
        "Krossad ruta i entrén.",
        "Papperskorg nedriven och sparkad sönder.",
        "Sönderslagen belysningsarmatur vid gångvägen.",
        "Dörren till soprummet uppbruten.",
    ),
    "Klotter": (
        "Nytt klotter på väggen vid ingången.",
        "Taggar på busskuren, anmält till fastighetsägaren.",
        "Klotter i gångtunneln, stora ytor.",
    ),
    "Brand": (
        "Brand i papperskorg, släckt av räddningstjänsten.",
        "Anlagd brand i container, ingen skadad.",
    ),
    "Bilbrand": ("Bilbrand på parkeringen, räddningstjänsten på plats.",),
    "Nedskräpning": (
        "Mycket skräp runt containrarna.",
        "Nedskräpning efter helgen, glas på marken.",
        "Grovsopor ställda vid återvinningen.",
    ),
    "Samling av ungdomar": (
        "Grupp ungdomar samlades vid kiosken på kvällen, lugnt.",
        "Ett tjugotal ungdomar, mopeder i parken.",
        "Kommunvärdarna pratade med gruppen, de gick vidare.",
        "Stor grupp under kvällen, oro bland boende.",
    ),
    "Otrygg plats": (
        "Boende upplever platsen som otrygg efter mörkrets inbrott.",
        "Mörkt och skymd sikt, flera undviker gångvägen.",
    ),
    "Narkotikahandel": (
        "Misstänkt narkotikahandel vid parkeringen, polisen underrättad.",
        "Återkommande bilar som stannar kort, misstänkt handel.",
    ),
    "Stenkastning": ("Sten kastad mot buss, ingen skadad.",),
    "Hot mot personal": ("Personal på fritidsgården hotades verbalt, polisen kontaktad.",),
    "Belysning ur funktion": (
        "Belysningen ur funktion i gångtunneln.",
        "Flera gatlampor släckta längs cykelvägen, felanmält.",
    ),
    "Positiv händelse": (
        "Trygghetsvandring genomförd med boende.",
        "Fotbollsturnering på planen, många familjer.",
        "Positivt samtal med ungdomar vid fritidsgården.",
    ),
}
HEADER = [
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


@dataclass
class EstHistory:
    """What one run added: the import's result, filed reports, deployments, problem place."""

    imported: IncidentImportResult
    filed: int
    deployments: int
    problem_place: ProblemPlace | None


@dataclass(frozen=True)
class _PlaceSpot:
    area: str
    name: str
    e: float
    n: float


@cache
def _areas_sweref() -> dict[str, Polygon]:
    """Each area's boundary in SWEREF 99 TM metres, from the demo's GeoJSON file."""
    data = json.loads(
        resources.files("kvarter.demo").joinpath("exempelstad-areas.geojson").read_bytes()
    )
    return {f["properties"]["name"]: shape(f["geometry"]) for f in data["features"]}


@cache
def _spots() -> tuple[_PlaceSpot, ...]:
    spots = []
    for area, places in PLACES.items():
        for name, points in places:
            e = sum(p[0] for p in points) / len(points)
            n = sum(p[1] for p in points) / len(points)
            spots.append(_PlaceSpot(area, name, e, n))
    return tuple(spots)


def current_monday(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


def _weights(values: Any) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array / array.sum()


def _point_in(
    rng: np.random.Generator,
    inner: Any,
    bounds: tuple[float, ...],
    near: _PlaceSpot | None,
    sd: float,
) -> tuple[float, float]:
    """A position inside ``inner`` (a prepared polygon): around ``near`` or anywhere."""
    for _try in range(50):
        if near is not None:
            e, n = near.e + rng.normal(0, sd), near.n + rng.normal(0, sd)
        else:
            e, n = rng.uniform(bounds[0], bounds[2]), rng.uniform(bounds[1], bounds[3])
        if inner.contains(Point(e, n)):
            return e, n
    return _point_in(rng, inner, bounds, None, sd)


def _week_rows(monday: dt.date, weeks_ago: int, now: dt.datetime) -> list[list[str]]:
    """One ISO week's reports as CSV rows (without the header), those before ``now`` only."""
    year, week, _ = monday.isocalendar()
    rng = np.random.default_rng([SEED, year, week])
    season = 1.0 + 0.25 * math.sin(2 * math.pi * (week - 14) / 52)  # high in late summer
    areas = _areas_sweref()
    inner = {name: polygon.buffer(-30.0) for name, polygon in areas.items()}
    prepared = {name: prep(polygon) for name, polygon in inner.items()}
    spots = _spots()
    category_names = list(CATEGORIES)
    category_p = _weights(list(CATEGORIES.values()))
    organisation_p = _weights([w for _n, w in ORGANISATIONS])
    weekday_p = _weights(WEEKDAYS)
    hour_p = _weights(_HOURS)
    hot_area, hot_name = HOT_PLACE
    hot_spot = next(s for s in spots if s.area == hot_area and s.name == hot_name)

    # (area, spot or None, category, sd of the scatter) for each report of the week
    drafts: list[tuple[str, _PlaceSpot | None, str, float]] = []
    for area, mean in AREA_WEEKLY.items():
        area_spots = [s for s in spots if s.area == area]
        for _k in range(int(rng.poisson(mean * season))):
            spot = area_spots[int(rng.integers(len(area_spots)))] if rng.random() < 0.65 else None
            category = category_names[int(rng.choice(len(category_names), p=category_p))]
            if spot is not None and rng.random() < 0.45:
                category = FAVOURITES[spot.name]
            drafts.append((area, spot, category, 90.0))
    if weeks_ago < HOT_WEEKS:
        # The hot spot: youths gathering in the tunnel, growing week by week.
        hot_names = list(HOT_CATEGORIES)
        hot_p = _weights(list(HOT_CATEGORIES.values()))
        for _k in range(int(rng.poisson(16 + 6 * (HOT_WEEKS - 1 - weeks_ago)))):
            category = hot_names[int(rng.choice(len(hot_names), p=hot_p))]
            drafts.append((hot_area, hot_spot, category, HOT_SD))

    # (day, hour) fixed for some reports; the rest are drawn below.
    fixed: dict[int, tuple[int, int]] = {}
    if weeks_ago < HOT_WEEKS:
        # Late Sunday night spilling over into Monday: the week has reports from its first hours.
        for _k in range(2):
            fixed[len(drafts)] = (0, int(rng.integers(0, 2)))
            drafts.append((hot_area, hot_spot, "Samling av ungdomar", HOT_SD))

    transformer = _to_wgs84()
    rows: list[tuple[dt.datetime, list[str]]] = []
    for index, (area, spot, category, sd) in enumerate(drafts):
        day = int(rng.choice(7, p=weekday_p))
        hour = int(rng.choice(24, p=hour_p))
        if index in fixed:
            day, hour = fixed[index]
        elif sd == HOT_SD and hour < 17 and rng.random() < 0.7:
            hour = int(rng.integers(18, 24))  # the hot spot is an evening place
        local = dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(hour)) + dt.timedelta(
            minutes=int(rng.integers(60))
        )
        e, n = _point_in(rng, prepared[area], inner[area].bounds, spot, sd)
        organisation = ORGANISATIONS[int(rng.choice(len(ORGANISATIONS), p=organisation_p))][0]
        if category in ("Brand", "Bilbrand") and rng.random() < 0.6:
            organisation = RESCUE
        if organisation == "Föreningen Norrby Framåt" and area != "Norrby":
            organisation = "Exempelhem AB"
        near = spot is not None and math.hypot(e - spot.e, n - spot.n) < 150
        named = near and rng.random() < (0.85 if sd == HOT_SD else 0.5)
        text = ""
        if rng.random() < 0.33 or (sd == HOT_SD and rng.random() < 0.5):
            choices = TEXTS[category]
            text = choices[int(rng.integers(len(choices)))]
        severity = ""
        if rng.random() < 0.6:
            severity = str(int(rng.choice(3, p=[0.55, 0.33, 0.12])) + 1)
        sweref = rng.random() < 0.2  # some rows as the municipality's GIS writes them
        lon, lat = transformer.transform(e, n)
        rows.append(
            (
                local,
                [
                    "",
                    local.strftime("%Y-%m-%dT%H:%M"),
                    category,
                    area,
                    spot.name if named and spot is not None else "",
                    "" if sweref else f"{lat:.6f}",
                    "" if sweref else f"{lon:.6f}",
                    f"{n:.1f}" if sweref else "",
                    f"{e:.1f}" if sweref else "",
                    organisation,
                    text,
                    severity,
                ],
            )
        )
    rows.sort(key=lambda r: r[0])
    shown = []
    for number, (local, row) in enumerate(rows, start=1):
        row[0] = f"EX-{year}W{week:02d}-{number:03d}"
        if local.replace(tzinfo=STOCKHOLM) <= now:
            shown.append(row)
    return shown


def history_csv(now: dt.datetime | None = None, *, weeks: int = WEEKS_BACK) -> bytes:
    """The history as contract CSV (';', UTF-8 with BOM), from ``weeks`` weeks back to ``now``."""
    now = now or timezone.now()
    monday = current_monday(now.astimezone(STOCKHOLM).date())
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for weeks_ago in range(weeks, -1, -1):
        for row in _week_rows(monday - dt.timedelta(weeks=weeks_ago), weeks_ago, now):
            # pragma below: the texts above are clean
            if contains_personal_data(row[10], vehicle_registrations=True):  # pragma: no cover
                raise ValueError(f"Demo text with personal data: row {row[0]}")
            writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- recent reports filed through the reporting service -----------------------------------

# (days before now, hours earlier, area, place, category, text, severity, unsafety)
FILED: tuple[tuple[int, int, str, str, str, str, int | None, str], ...] = (
    (0, 2, "Norrby", "Tunneln vid skolan", "Samling av ungdomar",
     "Stor grupp i tunneln, boende går runt.", 2, "yes"),
    (1, 3, "Norrby", "Tunneln vid skolan", "Stenkastning",
     "Sten kastad mot förbipasserande cykel.", 3, "yes"),
    (2, 1, "Västerdal", "Gångbron", "Belysning ur funktion",
     "Hela bron mörk, felanmält.", 1, "yes"),
    (3, 4, "Åsen", "Åsens centrum", "Positiv händelse",
     "Föräldravandring med ett tiotal vuxna.", None, "no"),
    (5, 2, "Söderängen", "Busshållplatsen Ängsgatan", "Otrygg plats",
     "Flera resenärer säger att de undviker hållplatsen.", 2, "unsure"),
)  # fmt: skip


def _file_recent(municipality: Municipality, now: dt.datetime) -> int:
    """A few reports as the host 'vard' files them from a phone, with unsafety assessed.

    Each has a fixed client key (from its date), so filing it again returns the stored report.
    """
    reporter = User.objects.filter(username="vard").first()
    if reporter is None:
        return 0
    places = {
        (p.area.name, p.name): p
        for p in Place.objects.filter(area__municipality=municipality).select_related("area")
    }
    categories = {c.name: c for c in municipality.incident_categories.all()}
    filed = 0
    for days, hours, area, place, category, text, severity, unsafety in FILED:
        occurred = (now - dt.timedelta(days=days, hours=hours)).replace(second=0, microsecond=0)
        key = uuid.uuid5(
            _KEY_NAMESPACE, f"{municipality.code}-{occurred.date()}-{place}-{category}"
        )
        if IncidentReport.objects.filter(client_key=key).exists():
            continue
        incident_report_file(
            actor=reporter,
            municipality=municipality,
            events=[
                {
                    "category": categories[category],
                    "place": places[(area, place)],
                    "occurred_at": occurred,
                    "text": text,
                    "severity": severity,
                    "unsafety": unsafety,
                }
            ],
            client_key=key,
            submitted_at=occurred + dt.timedelta(minutes=5),
        )
        filed += 1
    return filed


# --- the operational and tactical groups ----------------------------------------------------

# (weeks from this week, area, place, resource, ISO weekdays, from, to, purpose, outcome, note)
DEPLOYMENTS: tuple[tuple[int, str, str, str, tuple[int, ...], int, int, str, str, str], ...] = (
    (-1, "Norrby", "Tunneln vid skolan", "Kommunvärdar", (5, 6), 18, 23,
     "Närvaro i tunneln på fredags- och lördagskvällen efter flera rapporter om grupper.",
     Outcome.CARRIED_OUT,
     "Två kvällar genomförda; samtal med ungdomarna, lugnare efter klockan tjugotvå."),
    (-1, "Västerdal", "Västerdals torg", "Områdespolis", (4, 5), 19, 23,
     "Synlig polis på torget med anledning av misstänkt handel.",
     Outcome.PARTLY,
     "Fredagen genomförd; torsdagen ställdes in för ett larm i en annan kommundel."),
    (0, "Norrby", "Tunneln vid skolan", "Fältgruppen", (3, 5, 6), 17, 23,
     "Uppsökande arbete i och kring tunneln; rapporterna fortsätter öka.",
     "", ""),
    (1, "Norrby", "Tunneln vid skolan", "Väktare", (5, 6), 20, 24,
     "Väktare vid tunneln och skolgården fredag och lördag kväll.",
     "", ""),
)  # fmt: skip

# The action plan's measures (kvarter.demo.exempelstad_plan) the problem place is linked to.
LINKED_MEASURES = ("Effektiv samordning för trygghet (EST)", "Trygghetsvandringar med boende")
PROBLEM_REASON = (
    "Återkommande samlingar, stenkastning och skadegörelse i tunneln under kvällstid de "
    "senaste veckorna; boende undviker gångvägen."
)


def _deploy(municipality: Municipality, monday: dt.date, actor: Any) -> int:
    """Last week's, this week's and next week's decisions; outcomes once a week has begun."""
    places = {
        (p.area.name, p.name): p
        for p in Place.objects.filter(area__municipality=municipality).select_related("area")
    }
    resources_by_name = {r.name: r for r in Resource.objects.filter(municipality=municipality)}
    made = 0
    for offset, area, place, resource, weekdays, start, end, purpose, outcome, note in DEPLOYMENTS:
        starts_on = monday + dt.timedelta(weeks=offset)
        spot = places[(area, place)]
        deployment = Deployment.objects.filter(
            area=spot.area, place=spot, starts_on=starts_on, purpose=purpose
        ).first()
        if deployment is None:
            deployment = deployment_create(
                actor=actor,
                area=spot.area,
                place=spot,
                resource=resources_by_name[resource],
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(days=6),
                weekdays=weekdays,
                time_from=dt.time(start),
                time_to=dt.time(end % 24) if end < 24 else dt.time(23, 59),
                purpose=purpose,
                decided_on=starts_on - dt.timedelta(days=3),  # the Friday meeting before
            )
            made += 1
        if outcome and not deployment.outcome and starts_on <= timezone.localdate():
            deployment_record_outcome(
                actor=actor, deployment=deployment, outcome=outcome, outcome_note=note
            )
    return made


def _flag_problem_place(
    municipality: Municipality, monday: dt.date, actor: Any
) -> ProblemPlace | None:
    """The hot spot's place as a problem place, linked to the plan's first measure (if any)."""
    area, name = HOT_PLACE
    place = Place.objects.filter(
        area__municipality=municipality, area__name=area, name=name
    ).first()
    if place is None:
        return None
    problem = ProblemPlace.objects.filter(place=place).first()
    if problem is None:
        problem = problem_place_flag(
            actor=actor,
            place=place,
            reason=PROBLEM_REASON,
            flagged_on=monday - dt.timedelta(days=3),
        )
    measures = list(
        Measure.objects.filter(plan__municipality=municipality, title__in=LINKED_MEASURES)
    )
    if measures and not problem.measures.exists():
        # The plan is the municipality's; its administrators link it (the EST member may
        # not read every plan).
        problem, _changed = problem_place_update(
            actor=SYSTEM, problem_place=problem, data={"measures": measures}
        )
    return problem


def build_est_history(municipality: Municipality, *, now: dt.datetime | None = None) -> EstHistory:
    """Import the history, file the recent reports, record deployments, flag the hot spot."""
    now = now or timezone.now()
    monday = current_monday(now.astimezone(STOCKHOLM).date())
    imported = incident_history_import(
        actor=SYSTEM, municipality=municipality, data=history_csv(now), file_name=FILE_NAME
    )
    filed = _file_recent(municipality, now)
    est_member = User.objects.filter(username="est").first() or SYSTEM
    deployments = _deploy(municipality, monday, est_member)
    problem = _flag_problem_place(municipality, monday, est_member)
    return EstHistory(imported, filed, deployments, problem)
