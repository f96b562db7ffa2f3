"""Checks on observations before anything is written: each distinct value checked once.

A parser hands over validated rows, so these are the database's guard: an unknown indicator,
region, area, period, sex or status, a hidden figure carrying a number, or the same figure
given twice is named (once per distinct value, not once per row) and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvarter.areas.models import Area
from kvarter.core.importing import Problem
from kvarter.core.models import Sex
from kvarter.indicators.importing.observations import Observation
from kvarter.indicators.models import PERIOD_RE, Indicator, Level, ValueStatus, region_level

MAX_PROBLEMS = 200  # a broken file names its first problems, not a million of them

HIDDEN = frozenset({ValueStatus.SUPPRESSED.value, ValueStatus.MISSING.value})
STATUSES = frozenset(s.value for s in ValueStatus)
SEXES = frozenset(s.value for s in Sex)


def _describe(o: Observation) -> str:
    place = o.region_code or gettext("area %(id)s") % {"id": o.area_id}
    return f"{place} {o.period} {o.sex}"


def _problem(field: str, code: str, message: Promise, /, **params: Any) -> Problem:
    return Problem(None, field, code, message, params=params)


@dataclass
class Checked:
    """What validation learnt on the way: each distinct place and period checked once."""

    levels: dict[Any, str]  # place (region code or area id) -> level
    years: dict[str, int]
    problems: list[Problem]


def validate_observations(observations: Sequence[Observation]) -> Checked:
    """Check every distinct indicator, place, period, sex and status once, and hidden figures.

    A parser hands over validated rows, so this is a guard for the database's sake: it names
    each wrong value once (not once per row) and nothing is written when it finds anything.
    """
    problems: list[Problem] = []
    indicator_ids = {o[0] for o in observations}
    known = set(Indicator.objects.filter(pk__in=indicator_ids).values_list("pk", flat=True))
    for pk in sorted(indicator_ids - known):
        problems.append(
            _problem("indicator", "unknown_indicator", _("Unknown indicator %(id)s"), id=pk)
        )
    levels: dict[Any, str] = {}
    for code in sorted({o[1] for o in observations if o[2] is None}):
        level = region_level(code)
        if level is None:
            problems.append(
                _problem("region", "unknown_region", _("Unknown region code %(code)s"), code=code)
            )
        else:
            levels[code] = level.value
    area_ids = {o[2] for o in observations if o[2] is not None}
    known_areas = set(Area.objects.filter(pk__in=area_ids).values_list("pk", flat=True))
    for pk in sorted(area_ids - known_areas):
        problems.append(_problem("area", "unknown_area", _("Unknown area %(id)s"), id=pk))
    levels.update((pk, Level.AREA.value) for pk in known_areas)
    if any(o[2] is not None and o[1] for o in observations):
        problems.append(
            _problem(
                "region",
                "area_with_region_code",
                _("An area's value also has a region code"),
            )
        )
    years: dict[str, int] = {}
    for period in sorted({o[3] for o in observations}):
        match = PERIOD_RE.match(period)
        if match is None:
            problems.append(
                _problem("period", "invalid_period", _("Invalid period %(period)s"), period=period)
            )
        else:
            years[period] = int(match["year"])
    for sex in sorted({o[4] for o in observations} - SEXES):
        problems.append(_problem("sex", "invalid_sex", _("Invalid sex %(sex)s"), sex=sex))
    for status in sorted({o[6] for o in observations} - STATUSES):
        problems.append(
            _problem("status", "invalid_status", _("Invalid status %(status)s"), status=status)
        )
    hidden_with_number = [o for o in observations if o[5] is not None and o[6] in HIDDEN]
    for o in hidden_with_number[:MAX_PROBLEMS]:
        problems.append(
            _problem(
                "value",
                "hidden_value_has_number",
                _("A suppressed or missing value cannot carry a number: %(value)s"),
                value=_describe(o),
            )
        )
    return Checked(levels=levels, years=years, problems=problems)


def duplicate(o: Observation) -> Problem:
    return _problem(
        "",
        "duplicate_value",
        _("The same indicator, place, period and sex appears more than once: %(value)s"),
        value=_describe(o),
    )


def duplicates(
    observations: Sequence[Observation], places: Sequence[Any], groups: dict[Any, Sequence[int]]
) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    problems: list[Problem] = []
    for place in places:
        for i in groups[place]:
            o = observations[i]
            key = (place, o.indicator_id, o.period, o.sex)
            if key in seen and len(problems) < MAX_PROBLEMS:
                problems.append(duplicate(o))
            seen.add(key)
    return problems
