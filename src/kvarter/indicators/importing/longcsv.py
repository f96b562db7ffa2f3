"""The long CSV (one figure a line) → values, every problem named by line and column.

Columns (Swedish or English names, any case, any order): ``område``/``area``, ``indikator``/
``indicator`` (the catalogue code), ``period``, ``kön``/``sex`` (T/K/M or totalt/kvinnor/män;
empty is T), ``värde``/``value`` (decimal comma or point, spaces between thousands), and
optionally ``status``, ``källa``/``source``, ``täljare``/``numerator`` and ``nämnare``/
``denominator``. The file is read by :func:`kvarter.core.importing.tables.read_table`: UTF-8
(with or without BOM), UTF-16 or Windows-1252, strictly; the delimiter is ';', ',' or a tab,
read from the header line or Excel's ``sep=`` line; or an XLSX file's first sheet.

``område`` is the name of one of the municipality's areas (any case), a DeSO or RegSO code, a
municipality's or county's code, or Riket; the municipality's own name (when no area has it)
stands for its code. A municipality outside SCB's register (the fictional demo municipality
Exempelstad, 9999) may also name its own code and the DeSO/RegSO its areas are made of, and only
those, in a file imported for it. Line numbers count the header as line 1; a figure is named
by the line its record starts on.
"""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kvarter.areas.models import Area, AreaStatisticalUnit, Municipality
from kvarter.core.importing import ImportRejected
from kvarter.core.importing.tables import read_table
from kvarter.indicators.importing._vocab import (
    MISSING,
    OK,
    PRELIMINARY,
    STATUS_WORDS,
    Problems,
    normalise_sex,
    parse_number,
)
from kvarter.indicators.importing.observations import Observation, ParseResult
from kvarter.indicators.importing.periods import normalise_period
from kvarter.indicators.importing.regions import MUNICIPALITIES, normalise_region
from kvarter.indicators.models import Indicator

FILE_FORMAT = "csv"

COLUMNS: dict[str, str] = {
    "område": "area",
    "omrade": "area",
    "area": "area",
    "indikator": "indicator",
    "indicator": "indicator",
    "period": "period",
    "kön": "sex",
    "kon": "sex",
    "sex": "sex",
    "värde": "value",
    "varde": "value",
    "value": "value",
    "status": "status",
    "källa": "source",
    "kalla": "source",
    "source": "source",
    "täljare": "numerator",
    "numerator": "numerator",
    "nämnare": "denominator",
    "denominator": "denominator",
}
REQUIRED = ("area", "indicator", "period", "value")
HIDDEN = frozenset({"suppressed", MISSING})
_CODE_LIKE = re.compile(r"^\d{2,4}(?:[A-Za-z]\d{3,4})?$")


def parse_long_csv(
    data: bytes, *, municipality: Municipality | None = None, file_name: str = ""
) -> ParseResult:
    """Every line of a long CSV as an observation, or every problem that stops it."""
    problems = Problems()
    try:
        table = read_table(data, filename=file_name, numbering="line")
        header = next(table, None)
    except ImportRejected as rejected:
        problems.extend(rejected.problems)
        return ParseResult(file_format=FILE_FORMAT, source="", problems=problems.result())
    columns = _columns(header[1] if header else [], problems)
    if columns is None:
        problems.extend(table.problems)
        return ParseResult(file_format=FILE_FORMAT, source="", problems=problems.result())

    indicators = {code.lower(): pk for code, pk in Indicator.objects.values_list("code", "pk")}
    areas: dict[str, int] = {}
    if municipality is not None:
        areas = {
            name.strip().casefold(): pk
            for name, pk in Area.objects.filter(municipality=municipality).values_list("name", "pk")
        }
    reading = _Reading(columns, indicators, areas, municipality, problems)
    reading.own_codes = _unregistered_own_codes(municipality)
    try:
        for line, row in table:
            reading.row(line, row)
    except ImportRejected as rejected:  # a cap on rows or cells
        problems.extend(rejected.problems)
    problems.extend(table.problems)

    sources = set(reading.sources.values())
    uniform = len(sources) == 1 and len(reading.sources) == len(reading.observations)
    return ParseResult(
        file_format=table.kind,
        source=next(iter(sources))[:200] if uniform else "",
        observations=reading.observations,
        problems=problems.result(),
        row_sources={} if uniform else reading.sources,
    )


def _unregistered_own_codes(municipality: Municipality | None) -> frozenset[str]:
    """The codes a municipality outside SCB's register may use: its own and its areas' units.

    Empty for the 290 real municipalities, whose codes SCB's register already accepts.
    """
    if municipality is None or municipality.code in MUNICIPALITIES:
        return frozenset()
    units = AreaStatisticalUnit.objects.filter(area__municipality=municipality)
    return frozenset({municipality.code, *units.values_list("code", flat=True)})


def _columns(header: list[str], problems: Problems) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for place, name in enumerate(header):
        key = COLUMNS.get(name.strip().lstrip("\ufeff").lower())
        if key is None:
            continue
        if key in columns:
            problems.add(
                1,
                name,
                "duplicate_column",
                _("The column %(name)s is there twice"),
                name=name,
            )
        columns[key] = place
    for key in REQUIRED:
        if key not in columns:
            sv = {"area": "område", "indicator": "indikator", "value": "värde"}.get(key, key)
            problems.add(1, sv, "missing_column", column=sv)
    return None if problems else columns


class _Reading:
    """The state of one file's reading: lookups, what has been seen, what came out."""

    def __init__(
        self,
        columns: dict[str, int],
        indicators: dict[str, int],
        areas: dict[str, int],
        municipality: Municipality | None,
        problems: Problems,
    ) -> None:
        self.columns = columns
        self.indicators = indicators
        self.areas = areas
        self.municipality = municipality
        self.problems = problems
        self.observations: list[Observation] = []
        self.sources: dict[int, str] = {}
        self.seen: dict[tuple[int, str, int | None, str, str], int] = {}
        self.own_codes: frozenset[str] = frozenset()

    def cell(self, row: list[str], key: str) -> str:
        place = self.columns.get(key)
        return row[place].strip() if place is not None and place < len(row) else ""

    def row(self, line: int, row: list[str]) -> None:
        needed = max(self.columns[key] for key in REQUIRED) + 1
        if len(row) < needed:
            self.problems.add(
                line,
                "",
                "short_row",
                _("The line has %(row_count)s fields but the header needs at least %(needed)s"),
                row_count=len(row),
                needed=needed,
            )
            return
        problems_before = len(self.problems)
        indicator_id = self.indicator(line, self.cell(row, "indicator"))
        place = self.place(line, self.cell(row, "area"))
        period_text = self.cell(row, "period")
        period = normalise_period(period_text)
        if period is None:
            self.add(line, "period", "unknown_period", _("Unknown period %(value)s"), period_text)
        sex_text = self.cell(row, "sex")
        sex = normalise_sex(sex_text) if sex_text else "T"
        if sex is None:
            self.add(line, "kön", "unknown_sex", _("Unknown sex %(value)s"), sex_text)
        value, status = self.value_and_status(line, row)
        numerator = self.number(line, row, "numerator", "täljare")
        denominator = self.number(line, row, "denominator", "nämnare")
        if (
            len(self.problems) > problems_before
            or indicator_id is None
            or place is None
            or period is None
            or sex is None
            or status is None
        ):
            return
        region, area_id = place
        key = (indicator_id, region, area_id, period, sex)
        if key in self.seen:
            self.problems.add(
                line,
                "område",
                "duplicate",
                _("The same indicator, area, period and sex is already on line %(seen)s"),
                seen=self.seen[key],
            )
            return
        self.seen[key] = line
        source = self.cell(row, "source")
        if source:
            self.sources[len(self.observations)] = source
        self.observations.append(
            Observation(
                indicator_id, region, area_id, period, sex, value, status, numerator, denominator
            )
        )

    def add(self, line: int, column: str, code: str, message: Promise, text: str) -> None:
        """A problem about the cell ``text``; ``message`` names it as %(value)s."""
        self.problems.add(line, column, code, message, value=repr(text))

    def indicator(self, line: int, text: str) -> int | None:
        found = self.indicators.get(text.lower())
        if found is None:
            self.add(
                line,
                "indikator",
                "unknown_indicator",
                _("Unknown indicator (the catalogue's code) %(value)s"),
                text,
            )
        return found

    def place(self, line: int, text: str) -> tuple[str, int | None] | None:
        """(region code, None) for a code or Riket; ('', area id) for one of the areas."""
        region = normalise_region(text) if text else None
        if region is not None:
            return region, None
        if text.upper() in self.own_codes:
            return text.upper(), None
        area_id = self.areas.get(text.casefold()) if text else None
        if area_id is not None:
            return "", area_id
        municipality = self.municipality
        if municipality is not None and text.casefold() == municipality.name.casefold():
            return municipality.code, None  # the whole municipality, named instead of coded
        if _CODE_LIKE.match(text):
            self.problems.add(
                line,
                "område",
                "unknown_region",
                _("Unknown region code %(text)s"),
                text=text,
            )
        elif self.municipality is None:
            self.problems.add(
                line,
                "område",
                "area_needs_municipality",
                _("The area %(text)s is given by name; choose the municipality to recognise it"),
                text=repr(text),
            )
        else:
            self.problems.add(
                line,
                "område",
                "unknown_area",
                _("Unknown area %(text)s in %(name)s"),
                text=repr(text),
                name=self.municipality.name,
            )
        return None

    def value_and_status(self, line: int, row: list[str]) -> tuple[float | None, str | None]:
        value_text = self.cell(row, "value")
        status_text = self.cell(row, "status")
        status = STATUS_WORDS.get(status_text.lower())
        if status is None:
            self.add(line, "status", "unknown_status", _("Unknown status %(value)s"), status_text)
        symbol = STATUS_WORDS.get(value_text.lower()) if value_text else None
        if symbol in HIDDEN and not status_text:
            return None, symbol  # e.g. '..' written in the value column
        if not value_text:
            return None, MISSING if status in (None, OK, PRELIMINARY) else status
        value = parse_number(value_text)
        if value is None:
            self.add(line, "värde", "not_a_number", _("Not a number %(value)s"), value_text)
            return None, status
        if status in HIDDEN:
            self.problems.add(
                line,
                "värde",
                "hidden_with_value",
                _("A %(status_text)s figure must be left empty, not %(value_text)s"),
                status_text=repr(status_text),
                value_text=value_text,
            )
        return value, status

    def number(self, line: int, row: list[str], key: str, sv: str) -> float | None:
        text = self.cell(row, key)
        if not text:
            return None
        value = parse_number(text)
        if value is None:
            self.add(line, sv, "not_a_number", _("Not a number %(value)s"), text)
        return value
