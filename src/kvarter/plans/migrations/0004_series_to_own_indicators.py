"""Every hand-entered indicator series becomes a catalogue indicator with the source "own
figures", its values become indicator values, and every criterion points at the indicator and
the series' place (docs/decisions/0004, amendment of 2026-11-30).

- Series with the same name, unit and definition (say, one for the whole municipality and one
  for an area, or the same figure in two municipalities) become one indicator with values at
  each place; otherwise each series is an indicator of its own.
- The code is ``egen-`` and the name as a slug, with ``-2``, ``-3`` … where it is taken.
- The free-text unit becomes a catalogue unit only where it clearly names one (procent, antal,
  per 1 000 invånare, kronor …); anything else becomes ``index`` and the text is kept in the
  definition, so nothing is silently re-labelled.
- A value keeps its number exactly; its status is ok, its source "Egna uppgifter" and its
  retrieval date the day it was typed in.

Self-contained on purpose: a migration must not import code that may change later.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import migrations
from django.utils.text import slugify

OWN_SOURCE = "Egna uppgifter"
CODE_MAX = 50

# Free-text unit (lower case, spaces squeezed) → catalogue unit.
_UNIT_PATTERNS: list[tuple[str, str]] = [
    (r"(procent|percent|%|andel\s*\(%\)|andel i procent|procentenheter)", "percent"),
    (r"per\s*1\s?000\s*(inv(ånare)?\.?)?", "per_1000"),
    (r"per\s*100\s?000\s*(inv(ånare)?\.?)?", "per_100000"),
    (r"(antal|st|st\.|stycken|personer|count|number)", "count"),
    (r"(kr|kronor|sek|kr\.)", "kronor"),
    (r"index", "index"),
    (r"(poäng|points|meritpoäng)", "points"),
    (r"(dagar|days)", "days"),
]


def catalogue_unit(text: str) -> str | None:
    """The catalogue unit the free text clearly names, or None."""
    squeezed = " ".join(text.lower().split())
    for pattern, unit in _UNIT_PATTERNS:
        if re.fullmatch(pattern, squeezed):
            return unit
    return None


def own_code(name: str, taken: set[str]) -> str:
    """'egen-forvarvsfrekvens-20-64-ar', unique among ``taken`` (which it joins)."""
    slug = slugify(re.sub(r"[–—/]", "-", name)) or "indikator"
    base = f"egen-{slug}"
    if len(base) > CODE_MAX:  # cut at a word, not inside one
        cut = base[:CODE_MAX]
        base = cut[: cut.rfind("-")] if cut.rfind("-") > 20 else cut
    base = base.rstrip("-_")
    code, n = base, 1
    while code in taken:
        n += 1
        suffix = f"-{n}"
        code = base[: CODE_MAX - len(suffix)].rstrip("-_") + suffix
    taken.add(code)
    return code


def _decimals(values: list[Decimal]) -> int:
    """The decimals the typed values need (0–4), so that 63,5 is not shown as 63,50."""
    needed = 0
    for value in values:
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int):
            needed = max(needed, -exponent)
    return min(needed, 4)


def _direction(directions: set[str]) -> str:
    if directions == {"increase"}:
        return "higher"
    if directions == {"decrease"}:
        return "lower"
    return "neutral"


def _targets_by_sex(criteria) -> bool:
    """Whether any of the criteria sets a target for women or men."""
    return any(c.target_value_women is not None or c.target_value_men is not None for c in criteria)


def series_to_indicators(apps, schema_editor):
    IndicatorSeries = apps.get_model("plans", "IndicatorSeries")
    SeriesValue = apps.get_model("plans", "SeriesValue")
    QuantitativeCriterion = apps.get_model("plans", "QuantitativeCriterion")
    Indicator = apps.get_model("indicators", "Indicator")
    IndicatorValue = apps.get_model("indicators", "IndicatorValue")

    taken = set(Indicator.objects.values_list("code", flat=True))
    by_key: dict[tuple[str, str, str], object] = {}
    for series in IndicatorSeries.objects.select_related("municipality", "area").order_by("pk"):
        values = list(SeriesValue.objects.filter(series=series).order_by("year", "sex"))
        criteria = QuantitativeCriterion.objects.filter(series=series)
        key = (series.name.strip().lower(), series.unit.strip(), series.description.strip())
        indicator = by_key.get(key)
        if indicator is None:
            unit = catalogue_unit(series.unit)
            definition = series.description.strip()
            if unit is None:
                note = (
                    f"Enhet i den handinmatade serien: {series.unit.strip()}."
                    if series.unit.strip()
                    else "Den handinmatade serien angav ingen enhet."
                )
                definition = f"{definition}\n\n{note}".strip()
            indicator = Indicator.objects.create(
                code=own_code(series.name, taken),
                name_sv=series.name.strip()[:200],
                name_en=series.name.strip()[:200],
                definition=definition,
                unit=unit or "index",
                direction=_direction(set(criteria.values_list("direction", flat=True))),
                source_kind="own",
                source_note=(
                    "Kommunens egna uppgifter, först inmatade som indikatorserie i Kvarter "
                    f"({series.municipality.name})."
                ),
                periodicity="year",
                by_sex=any(v.sex != "T" for v in values) or _targets_by_sex(criteria),
                decimals=_decimals([v.value for v in values]) if values else 1,
            )
            by_key[key] = indicator
        elif not indicator.by_sex and (
            any(v.sex != "T" for v in values) or _targets_by_sex(criteria)
        ):
            indicator.by_sex = True
            indicator.save(update_fields=["by_sex"])
        place = (
            {"level": "area", "area_id": series.area_id, "region_code": ""}
            if series.area_id
            else {"level": "municipality", "area": None, "region_code": series.municipality.code}
        )
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(
                    indicator=indicator,
                    period=str(v.year),
                    year=v.year,
                    sex=v.sex,
                    value=float(v.value),
                    status="ok",
                    source=OWN_SOURCE,
                    retrieved_on=v.created_at.date(),
                    **place,
                )
                for v in values
            ]
        )
        criteria.update(indicator=indicator, area_id=series.area_id)


def indicators_to_series(apps, schema_editor):
    """Back: one series per criterion's indicator and place, with the yearly values there."""
    IndicatorSeries = apps.get_model("plans", "IndicatorSeries")
    SeriesValue = apps.get_model("plans", "SeriesValue")
    QuantitativeCriterion = apps.get_model("plans", "QuantitativeCriterion")
    IndicatorValue = apps.get_model("indicators", "IndicatorValue")

    made: dict[tuple[int, int, int | None], object] = {}
    criteria = QuantitativeCriterion.objects.select_related(
        "indicator", "goal__goal_area__plan__municipality"
    )
    for criterion in criteria:
        municipality = criterion.goal.goal_area.plan.municipality
        key = (criterion.indicator_id, municipality.pk, criterion.area_id)
        series = made.get(key)
        if series is None:
            indicator = criterion.indicator
            series = IndicatorSeries.objects.create(
                municipality=municipality,
                area_id=criterion.area_id,
                name=indicator.name_sv,
                unit=indicator.unit,
                description=indicator.definition,
            )
            values = IndicatorValue.objects.filter(indicator=indicator, value__isnull=False)
            if criterion.area_id:
                values = values.filter(area_id=criterion.area_id)
            else:
                values = values.filter(area__isnull=True, region_code=municipality.code)
            SeriesValue.objects.bulk_create(
                [
                    SeriesValue(series=series, year=v.year, sex=v.sex, value=Decimal(str(v.value)))
                    for v in values
                    if v.period == str(v.year)
                ]
            )
            made[key] = series
        criterion.series = series
        criterion.save(update_fields=["series"])


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("plans", "0003_quantitative_criterion_indicator"),
    ]

    operations = [migrations.RunPython(series_to_indicators, indicators_to_series)]
