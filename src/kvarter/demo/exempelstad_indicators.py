"""Exempelstad's indicator values: ten invented years (2016–2025) for its areas, town and nation.

Nothing here is real statistics. Every figure is generated — seeded, so each run gives the same
files — and stored with the source 'Exempeldata (påhittad)' (the survey: 'Exempelstads
trygghets- och attraktivitetsenkät (påhittad)') so that no one takes it for SCB's or Kolada's.
The figures go through the same import as a user's file
(:func:`kvarter.indicators.services.indicator_file_import`), as two long CSV files:

1. counts per DeSO (numerator and denominator, women and men; totals are their sums), which the
   import sums up into the areas made of those DeSO — a few cells of the smallest DeSO are
   suppressed ('prickad'), as SCB does with small counts, so the area is missing there too;
2. values for the municipality (9999) and the nation, for comparison; one value per area for
   the measures that cannot be summed up (points, days, kronor); and the municipality's own
   survey (trygghet, attraktivitet) per area only, with the number of answers.

Then the area types are computed against an invented national distribution (:data:`REFERENCE`).

The story the figures tell: Norrby improves clearly (it leaves the police's list in 2025),
Västerdal stays where it was, Åsen gets worse (a risk area that became vulnerable in 2023),
Söderängen has challenges and Kvarnbacken is mixed. Levels are the orders of magnitude the
published figures show for a vulnerable area, a municipality and Sweden (employment 20–64 about
55 / 78 / 80 %, economic assistance 15 / 4 / 4 %, turnout in the municipal election 50 / 80 /
84 %).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from kvarter.areas.models import Area, Municipality
from kvarter.core.actors import SYSTEM
from kvarter.indicators import catalogue as cat
from kvarter.indicators.area_types import Reference, area_types_compute
from kvarter.indicators.models import ImportBatch, Indicator, Unit
from kvarter.indicators.services import indicator_file_import

YEARS: tuple[int, ...] = tuple(range(2016, 2026))
FIRST, LAST = YEARS[0], YEARS[-1]
ELECTION_YEARS = (2018, 2022)
SOURCE = "Exempeldata (påhittad)"
SURVEY_SOURCE = "Exempelstads trygghets- och attraktivitetsenkät (påhittad)"
RETRIEVED_ON = dt.date(2026, 3, 2)
FILE_PREFIX = "exempelstad-indikatorer"
NATION = "Riket"
SEED = "exempelstad"

# An invented national distribution of the socio-economic index over all RegSO (mean, standard
# deviation), given by hand as an installation would from SCB's publication: the demo has no
# national RegSO table to compute it from.
REFERENCE = Reference(mean=11.0, sd=7.0, kind="given", count=0)

# Left out on purpose, with the reason (the tests hold every catalogue indicator to this).
LEFT_OUT: dict[str, str] = {
    cat.SOCIOECONOMIC_INDEX: (
        "SCB publishes the index per RegSO only; Kvarter computes each area's own index (area type)"
    ),
}


@dataclass(frozen=True)
class Course:
    """Where an area stands, year by year: 0 is the municipality's level, 1 a vulnerable area's."""

    start: float
    end: float

    def at(self, year: int) -> float:
        return self.start + (self.end - self.start) * (year - FIRST) / (LAST - FIRST)


COURSES: dict[str, Course] = {
    "Norrby": Course(1.15, 0.6),  # improves clearly
    "Västerdal": Course(1.0, 1.02),  # stuck
    "Åsen": Course(0.5, 0.92),  # gets worse
    "Söderängen": Course(0.6, 0.5),
    "Kvarnbacken": Course(0.35, 0.3),
}

# Each DeSO: its share of its area's population and how far it lies from the area's course.
DESO: dict[str, tuple[float, float]] = {
    "9999C1010": (0.40, 0.08),
    "9999C1020": (0.33, -0.02),
    "9999C1030": (0.27, -0.08),
    "9999C1040": (0.55, 0.05),
    "9999C1050": (0.45, -0.06),
    "9999C1060": (0.52, 0.06),
    "9999C1070": (0.48, -0.06),
    "9999C1080": (0.38, 0.07),
    "9999C1090": (0.34, 0.0),
    "9999C1100": (0.28, -0.09),
    "9999C1110": (0.68, 0.03),
    "9999C1120": (0.32, -0.06),
}
SMALL_DESO = "9999C1120"
# (indicator, year, sex) published as '..' for the smallest DeSO: its counts are small.
SUPPRESSED: frozenset[tuple[str, int, str]] = frozenset(
    {
        (cat.LONG_TERM_ECONOMIC_ASSISTANCE, 2017, "K"),
        (cat.LONG_TERM_ECONOMIC_ASSISTANCE, 2017, "M"),
        ("behorighet-yrkesprogram", 2019, "M"),
        ("alla-amnen-ak9", 2019, "M"),
        ("sjuk-aktivitetsersattning", 2024, "M"),
    }
)
# The survey got few answers in Kvarnbacken in 2018: fewer than 30 women and 30 men.
LOW_RESPONSE: frozenset[tuple[str, int]] = frozenset({("Kvarnbacken", 2018)})

# Denominators as shares of the population: (at the municipality's level, change towards 1).
BASES: dict[str, tuple[float, float]] = {
    "pop": (1.0, 0.0),
    "20-64": (0.57, -0.02),
    "16-64": (0.63, -0.02),
    "25-64": (0.51, -0.02),
    "pupils": (0.0115, 0.003),  # pupils in year 9
    "voters": (0.76, -0.16),  # entitled to vote in the municipal election
    "households": (0.98, 0.0),
}
WOMEN_SHARE = 0.493


@dataclass(frozen=True)
class Series:
    """How one indicator is invented. Levels are for 2016; ``drift`` is the change per year.

    ``kind``: 'share' and 'count' are given per DeSO (and summed up by the import), 'level' per
    area (a measure that cannot be summed), 'survey' per area only; all but the survey also for
    the municipality and the nation. ``gap`` is women minus men.
    """

    code: str
    kind: str
    municipality: float
    nation: float
    vulnerable: float
    drift: float = 0.0
    gap: float = 0.0
    gap_vulnerable: float = 0.0
    base: str = "pop"
    dip_2020: float = 0.0  # the pandemic year, stronger where x is larger
    steady: bool = False  # population structure: stays as it was while the area changes
    years: tuple[int, ...] = YEARS
    # Upper secondary education is what remains of 100 % after these and the unknown level
    # (whose share the level fields then give).
    remainder_of: tuple[str, ...] = ()

    def level(self, x: float, year: int, *, nation: bool = False) -> float:
        passed = self.drift * (year - FIRST)
        dip = self.dip_2020 * (1 + max(x, 0.0)) if year == 2020 else 0.0
        if nation:
            return self.nation + passed + dip
        own, vulnerable = self.municipality + passed, self.vulnerable + passed
        return own + x * (vulnerable - own) + dip

    def women_minus_men(self, x: float) -> float:
        return self.gap + x * (self.gap_vulnerable - self.gap)


S = Series
SERIES: tuple[Series, ...] = (
    S(cat.EMPLOYMENT_RATE, "share", 78.0, 79.5, 55.0, 0.25, -3.0, -14.0, "20-64", dip_2020=-1.2),
    S(cat.ECONOMIC_ASSISTANCE, "share", 4.3, 4.2, 15.5, -0.1, 0.2, 0.6),
    S(cat.LONG_TERM_ECONOMIC_ASSISTANCE, "share", 38.0, 36.0, 48.0, 0.3, 1.0, -2.0, "recipients"),
    S(cat.ASSISTANCE_OR_LONG_TERM_UNEMPLOYED, "share", 5.5, 5.0, 20.0, -0.15, base="20-64",
      dip_2020=0.6),
    S("sjuk-aktivitetsersattning", "share", 5.0, 4.8, 8.5, -0.12, 1.2, 2.0, "16-64"),
    S(cat.EDUCATION_PRIMARY, "share", 11.0, 10.5, 30.0, -0.25, -1.0, 3.0, "25-64"),
    S(cat.EDUCATION_TERTIARY, "share", 43.0, 44.0, 25.0, 0.55, 11.0, 3.0, "25-64"),
    S(cat.EDUCATION_SECONDARY, "share", 1.5, 1.5, 5.0, base="25-64",
      remainder_of=(cat.EDUCATION_PRIMARY, cat.EDUCATION_TERTIARY)),
    S(cat.EDUCATION_PRIMARY_20_64, "share", 12.0, 11.5, 32.0, -0.2, base="20-64"),
    S("behorighet-yrkesprogram", "share", 85.0, 86.0, 70.0, -0.1, 2.0, 4.0, "pupils"),
    S("alla-amnen-ak9", "share", 76.0, 76.5, 55.0, 0.0, 4.0, 6.0, "pupils"),
    S("valdeltagande-kommunval", "share", 81.0, 84.1, 52.0, -0.7, base="voters",
      years=ELECTION_YEARS),
    S(cat.POPULATION, "count", 0.0, 0.0, 0.0),
    S("andel-0-19", "share", 23.0, 23.2, 30.0, 0.0, -0.5, -0.8, steady=True),
    S("utrikes-fodda", "share", 20.0, 18.5, 55.0, 0.35, 0.5, 0.5, steady=True),
    S("trangboddhet", "share", 14.5, 14.0, 42.0, 0.1, base="households"),
    S("anmalda-brott", "share", 12500.0, 14000.0, 17000.0, -100.0),
    S("anmalda-valdsbrott", "share", 950.0, 1000.0, 1900.0, 5.0),
    S(cat.LOW_ECONOMIC_STANDARD, "share", 15.0, 14.5, 45.0, 0.1),
    S("meritvarde-ak9", "level", 225.0, 229.0, 185.0, 0.5, 20.0, 22.0),
    S("ohalsotal", "level", 29.0, 27.5, 40.0, -0.8, 8.0, 10.0),
    S(cat.MEDIAN_DISPOSABLE_INCOME, "level", 250_000.0, 255_000.0, 150_000.0, 6_000.0),
    S("trygghet-utomhus-kvall", "survey", 75.0, 0.0, 50.0, 0.3, -15.0, -22.0),
    S("attraktivitet", "survey", 82.0, 0.0, 55.0, 0.2, 2.0, 1.0),
)  # fmt: skip
MUNICIPALITY_POPULATION = 84_000  # 2016; grows 0.8 % a year
NATION_POPULATION = 9_995_000  # 2016; grows 0.65 % a year


@dataclass(frozen=True)
class _Info:
    """What the catalogue says of an indicator."""

    by_sex: bool
    scale: int | None
    decimals: int
    smallest: int | None  # the suppression threshold: fewer answers are not shown


Row = tuple[str, str, str, str, str, str, str, str, str]
HEADER = ("område", "indikator", "period", "kön", "värde", "status", "täljare", "nämnare", "källa")


def _rng(*parts: str) -> random.Random:
    return random.Random("|".join((SEED, *parts)))  # noqa: S311 - a repeatable demo, not a secret


def _number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _noise(rng: random.Random, spec: Series, part: float = 1.0) -> float:
    return rng.gauss(0.0, (abs(spec.vulnerable - spec.municipality) * 0.02 + 0.05) * part)


def _deso_population(area_population: int, share: float, year: int) -> dict[str, int]:
    total = area_population * share * (1 - 0.006 * (LAST - year))
    women = round(total * WOMEN_SHARE)
    return {"K": women, "M": round(total) - women}


@dataclass
class _Deso:
    """One DeSO's invented counts, women and men apart, indicator after indicator."""

    code: str
    course: dict[int, float]  # year -> x
    population: dict[int, dict[str, int]]  # year -> sex -> inhabitants
    counts: dict[tuple[str, int, str], int] = field(default_factory=dict)  # numerators so far

    def rows(self, spec: Series, info: _Info) -> Iterator[Row]:
        rng = _rng(spec.code, self.code)
        for year in spec.years:
            x = self.course[FIRST] if spec.steady else self.course[year]
            shared = _noise(rng, spec)
            total = [0, 0]
            for sex, sign in (("K", 0.5), ("M", -0.5)):
                value = spec.level(x, year) + sign * spec.women_minus_men(x) + shared
                value += _noise(rng, spec, 0.4)
                numerator, denominator = self._count(spec, info, year, sex, x, value)
                total = [total[0] + numerator, total[1] + denominator]
                if info.by_sex:
                    yield _count_row(spec, info, self.code, year, sex, numerator, denominator)
            yield _count_row(spec, info, self.code, year, "T", *total)

    def _count(
        self, spec: Series, info: _Info, year: int, sex: str, x: float, value: float
    ) -> tuple[int, int]:
        people = self.population[year][sex]
        if spec.kind == "count":
            return people, 0
        if spec.base == "recipients":  # adults among those with economic assistance
            denominator = round(self.counts[(cat.ECONOMIC_ASSISTANCE, year, sex)] * 0.6)
        else:
            first, change = BASES[spec.base]
            denominator = round(people * (first + change * x))
        if spec.remainder_of:
            others = sum(self.counts[(code, year, sex)] for code in spec.remainder_of)
            numerator = denominator - others - round(denominator * spec.level(x, year) / 100)
        else:
            scale = info.scale or 100
            numerator = round(denominator * min(max(value, 0.2), 0.995 * scale) / scale)
        self.counts[(spec.code, year, sex)] = numerator
        return numerator, denominator


def _deso_rows(municipality: Municipality, infos: dict[str, _Info]) -> Iterator[Row]:
    areas = {a.name: a for a in Area.objects.filter(municipality=municipality)}
    for area_name, course in COURSES.items():
        area = areas[area_name]
        for code in sorted(area.statistical_units.values_list("code", flat=True)):
            share, offset = DESO[code]
            deso = _Deso(
                code,
                {year: course.at(year) + offset for year in YEARS},
                {y: _deso_population(area.population or 2000, share, y) for y in YEARS},
            )
            for spec in SERIES:
                if spec.kind in ("share", "count"):
                    yield from deso.rows(spec, infos[spec.code])


def _row(place: str, spec: Series, year: int, sex: str, value: str, *rest: str) -> Row:
    """A CSV line: place, indicator, period, sex, value, then status, numerator, denominator."""
    status, numerator, denominator = (*rest, "", "", "")[:3]
    source = SURVEY_SOURCE if spec.kind == "survey" else SOURCE
    return (place, spec.code, str(year), sex, value, status, numerator, denominator, source)


def _count_row(
    spec: Series, info: _Info, place: str, year: int, sex: str, numerator: int, denominator: int
) -> Row:
    if spec.kind == "count":
        return _row(place, spec, year, sex, str(numerator))
    hidden = (place == SMALL_DESO and (spec.code, year, sex) in SUPPRESSED) or denominator <= 0
    if hidden or (info.smallest is not None and denominator < info.smallest):
        return _row(place, spec, year, sex, "", "prickad")
    value = _number(numerator / denominator * (info.scale or 100), info.decimals)
    return _row(place, spec, year, sex, value, "", str(numerator), str(denominator))


def _by_sex(total: float, women_minus_men: float) -> tuple[tuple[str, float], ...]:
    half = women_minus_men / 2
    return (("T", total), ("K", total + half), ("M", total - half))


def _comparison_rows(municipality: Municipality, infos: dict[str, _Info]) -> Iterator[Row]:
    """The municipality's and the nation's values (no counts: as Kolada publishes them)."""
    for spec in SERIES:
        if spec.kind == "survey":
            continue
        info = infos[spec.code]
        for place, nation in ((municipality.code, False), (NATION, True)):
            rng = _rng(spec.code, place)
            for year in spec.years:
                for sex, value in _comparison_values(spec, year, nation, rng):
                    if sex == "T" or info.by_sex:
                        yield _row(place, spec, year, sex, _number(value, info.decimals))


def _comparison_values(
    spec: Series, year: int, nation: bool, rng: random.Random
) -> tuple[tuple[str, float], ...]:
    if spec.kind == "count":
        first, growth = (NATION_POPULATION, 0.0065) if nation else (MUNICIPALITY_POPULATION, 0.008)
        people = round(first * (1 + growth) ** (year - FIRST))
        women = round(people * WOMEN_SHARE)
        return (("T", people), ("K", women), ("M", people - women))
    if spec.remainder_of:
        others = [s for s in SERIES if s.code in spec.remainder_of]
        rest = 100 - spec.level(0.0, year, nation=nation)
        total = rest - sum(o.level(0.0, year, nation=nation) for o in others)
        return _by_sex(total, -sum(o.gap for o in others))
    return _by_sex(spec.level(0.0, year, nation=nation) + _noise(rng, spec, 0.3), spec.gap)


def _area_rows(municipality: Municipality, infos: dict[str, _Info]) -> Iterator[Row]:
    """Per area: the measures that cannot be summed up, and the survey with its answers."""
    areas = {a.name: a for a in Area.objects.filter(municipality=municipality)}
    for spec in SERIES:
        info = infos[spec.code]
        for name, course in COURSES.items():
            rng = _rng(spec.code, name)
            for year in spec.years if spec.kind == "level" else ():
                x = course.at(year)
                total = spec.level(x, year) + _noise(rng, spec)
                for sex, value in _by_sex(total, spec.women_minus_men(x)):
                    if sex == "T" or info.by_sex:
                        yield _row(name, spec, year, sex, _number(value, info.decimals))
            if spec.kind == "survey":
                yield from _survey_rows(spec, info, areas[name], course, rng)


def _survey_rows(
    spec: Series, info: _Info, area: Area, course: Course, rng: random.Random
) -> Iterator[Row]:
    """The own survey: answers from about 1.4 % of the inhabitants a year, women and men."""
    for year in spec.years:
        x = course.at(year)
        factor = 0.55 if (area.name, year) in LOW_RESPONSE else rng.uniform(0.9, 1.15)
        shared = _noise(rng, spec)
        asked = round((area.population or 2000) * 0.014 * factor)
        answers = {"T": (0, 0)}
        for sex, share in _by_sex(spec.level(x, year) + shared, spec.women_minus_men(x))[1:]:
            yes = round(asked * min(max(share, 1.0), 99.0) / 100)
            answers[sex] = (yes, asked)
            answers["T"] = (answers["T"][0] + yes, answers["T"][1] + asked)
        for sex in ("T", "K", "M") if info.by_sex else ("T",):
            yield _count_row(spec, info, area.name, year, sex, *answers[sex])


def _csv(rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def indicator_files(municipality: Municipality) -> list[tuple[str, bytes]]:
    """The demo's long CSV files (UTF-8, ';'), the same bytes every time for the same areas.

    Two files, as an installation gets them from two sources: the DeSO counts (which the import
    sums up into the areas), then the values of the municipality, the nation and the areas
    themselves. Apart, the DeSO import's summing up sees only the measures given per DeSO.
    """
    fields = ("code", "by_sex", "unit", "decimals", "suppression_threshold")
    catalogue = Indicator.objects.filter(code__in=[s.code for s in SERIES]).values_list(*fields)
    infos = {
        code: _Info(by_sex, Unit.scale(unit), decimals, threshold)
        for code, by_sex, unit, decimals, threshold in catalogue
    }
    files = [
        ("deso", _deso_rows(municipality, infos)),
        (
            "kommun-riket-omraden",
            chain(_comparison_rows(municipality, infos), _area_rows(municipality, infos)),
        ),
    ]
    named = []
    for name, rows in files:
        data = _csv(rows)
        digest = hashlib.sha256(data).hexdigest()[:12]
        named.append((f"{FILE_PREFIX}-{name}-{digest}.csv", data))
    return named


def build_indicators(municipality: Municipality, *, force: bool = False) -> list[ImportBatch]:
    """Import the demo's values and compute the area types; safe to run again.

    A file already imported (the same name, which holds its checksum) is not imported again
    unless ``force`` (the import then adds and changes nothing). Returns the new batches.
    """
    batches = []
    for file_name, data in indicator_files(municipality):
        if force or not ImportBatch.objects.filter(file_name=file_name, source=SOURCE).exists():
            batch = indicator_file_import(
                actor=SYSTEM,
                data=data,
                file_name=file_name,
                file_format="csv",
                municipality=municipality,
                retrieved_on=RETRIEVED_ON,
                source=SOURCE,
            )
            batches.append(batch)
    area_types_compute(
        areas=Area.objects.filter(municipality=municipality, name__in=COURSES),
        reference=REFERENCE,
    )
    return batches
