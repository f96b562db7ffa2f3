"""Charts of an area profile: per indicator, small multiples over time (total, women, men),
each panel drawing the area, the municipality and the nation.

One list of rows (:func:`chart_rows`) feeds the Vega-Lite spec, the chart's data table and its
spoken summary, so the picture and its text alternative cannot disagree. A missing or
suppressed figure is a row without a value: the line breaks there and the table says why; it is
never drawn as 0. Lines differ in colour (Okabe–Ito, safe for colour-blind readers), dash and
marker shape, and the legend names the places, so colour alone never carries the meaning.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

import altair as alt
import vl_convert
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kvarter.indicators.models import Indicator, Unit, ValueStatus
from kvarter.indicators.profile_types import IndicatorProfile, Point, Series
from kvarter.reports.charts import CHART_FONT
from kvarter.reports.document import Cell, Column, Table

LEVELS = ("area", "municipality", "nation")
SEXES = ("T", "K", "M")


@dataclass(frozen=True, slots=True)
class LineStyle:
    colour: str
    dash: tuple[int, int]
    shape: str


# Okabe–Ito blue and vermilion and a near-black: apart for every kind of colour blindness, and
# each line also has its own dash and marker.
LINE_STYLES = {
    "area": LineStyle("#0072B2", (1, 0), "circle"),
    "municipality": LineStyle("#D55E00", (6, 3), "square"),
    "nation": LineStyle("#333333", (2, 2), "triangle-up"),
}
CHART_WIDTH = 540
PANEL_HEIGHT = 150
_PANEL_GAP = 24


def sex_labels() -> dict[str, str]:
    """The panel titles, in the active language."""
    return {"T": _("Total"), "K": _("Women"), "M": _("Men")}


def unit_label(indicator: Indicator) -> str:
    return str(Unit(indicator.unit).label) if indicator.unit in Unit.values else indicator.unit


@dataclass(frozen=True, slots=True)
class ChartRow:
    """One place's figure for one period and sex; ``value`` None is a gap (``status`` says why)."""

    period: str
    year: int
    level: str
    place: str
    sex: str
    value: float | None
    status: str


def shown_sexes(profile: IndicatorProfile, sexes: Sequence[str] | None = None) -> list[str]:
    """The sexes (T, K, M order) the profile has series for, narrowed to ``sexes`` if given."""
    present = {s.sex for s in profile.series if s.points}
    wanted = set(sexes) if sexes else set(SEXES)
    return [sex for sex in SEXES if sex in present and sex in wanted]


def _ordered_series(profile: IndicatorProfile, sexes: Sequence[str]) -> list[Series]:
    order = {level: i for i, level in enumerate(LEVELS)}
    chosen = [s for s in profile.series if s.sex in sexes and s.level in order]
    return sorted(chosen, key=lambda s: (SEXES.index(s.sex), order[s.level]))


def places(profile: IndicatorProfile) -> dict[str, str]:
    """Level → the name a reader sees (the area's, the municipality's, 'Riket'), kept unique
    so that the legend can name each line."""
    names: dict[str, str] = {}
    for series in profile.series:
        names.setdefault(series.level, series.label)
    seen: set[str] = set()
    for level in LEVELS:
        if level in names:
            if names[level] in seen:
                names[level] = f"{names[level]} ({level})"
            seen.add(names[level])
    return {level: names[level] for level in LEVELS if level in names}


def chart_rows(profile: IndicatorProfile, sexes: Sequence[str] | None = None) -> list[ChartRow]:
    """Every place × sex × period of the chart, with a row (value None) where a figure is
    missing, so a line breaks at a gap instead of bridging it."""
    chosen = shown_sexes(profile, sexes)
    series = _ordered_series(profile, chosen)
    periods: dict[str, int] = {}
    for s in series:
        for point in s.points:
            periods[point.period] = point.year
    names = places(profile)
    rows = []
    for s in series:
        by_period = {p.period: p for p in s.points}
        for period in sorted(periods):
            found = by_period.get(period)
            rows.append(
                ChartRow(
                    period=period,
                    year=periods[period],
                    level=s.level,
                    place=names[s.level],
                    sex=s.sex,
                    value=found.value if found is not None else None,
                    status=found.status if found is not None else ValueStatus.MISSING.value,
                )
            )
    return rows


def indicator_chart(
    profile: IndicatorProfile, sexes: Sequence[str] | None = None
) -> dict[str, Any]:
    """A Vega-Lite spec with inline data: one panel per sex, a line per place."""
    rows = chart_rows(profile, sexes)
    panels = shown_sexes(profile, sexes) or ["T"]
    labels = sex_labels()
    names = places(profile)
    levels = [level for level in LEVELS if level in names]
    domain = [names[level] for level in levels]
    values = [
        {
            "period": row.period,
            "place": row.place,
            "sex": labels[row.sex],
            "value": row.value,
            "status": str(ValueStatus(row.status).label)
            if row.status in ValueStatus.values
            else row.status,
        }
        for row in rows
    ]
    place = alt.Legend(title=None, orient="bottom", labelFontSize=12, symbolSize=90)
    base = alt.Chart().encode(
        x=alt.X("period:O", title=None, axis=alt.Axis(labelAngle=0, labelOverlap="greedy")),
        y=alt.Y(
            "value:Q",
            title=unit_label(profile.indicator),
            scale=alt.Scale(zero=False, nice=True),
        ),
        color=alt.Color(
            "place:N",
            scale=alt.Scale(domain=domain, range=[LINE_STYLES[lv].colour for lv in levels]),
            legend=place,
        ),
        strokeDash=alt.StrokeDash(
            "place:N",
            scale=alt.Scale(domain=domain, range=[list(LINE_STYLES[lv].dash) for lv in levels]),
            legend=place,
        ),
    )
    # Marks carry no ARIA of their own: the whole chart is one image, named by its summary,
    # and a mark per point would make the SVG (and the PDF) much heavier for nothing.
    lines = base.mark_line(strokeWidth=2.5, aria=False)
    points = base.mark_point(filled=True, size=45, opacity=1, aria=False).encode(
        shape=alt.Shape(
            "place:N",
            scale=alt.Scale(domain=domain, range=[LINE_STYLES[lv].shape for lv in levels]),
            legend=place,
        ),
        tooltip=[
            alt.Tooltip("place:N", title=_("Place")),
            alt.Tooltip("sex:N", title=_("Sex")),
            alt.Tooltip("period:O", title=_("Period")),
            alt.Tooltip("value:Q", title=unit_label(profile.indicator)),
        ],
    )
    width = (CHART_WIDTH - _PANEL_GAP * (len(panels) - 1)) // len(panels)
    chart = (
        alt.layer(lines, points, data=alt.Data(values=values))
        .properties(width=width, height=PANEL_HEIGHT)
        .facet(
            column=alt.Column(
                "sex:N",
                sort=[labels[sex] for sex in panels],
                title=None,
                header=alt.Header(labelFontSize=13, labelFontWeight="bold"),
            ),
            spacing=_PANEL_GAP,
        )
        .properties(description=chart_summary(profile, sexes))
    )
    spec = (
        chart.configure(font=CHART_FONT)
        .configure_view(stroke="#cccccc")
        .configure_axis(aria=False)
        .configure_legend(aria=False)
        # Validating a faceted layer against the Vega-Lite schema took 60 ms per chart, most of
        # a two-dozen-chart profile's build; tests/indicators/test_charts.py validates instead.
        .to_dict(validate=False)
    )
    return dict(spec)


def decimal_value(value: float | None, indicator: Indicator) -> Decimal | None:
    """A figure rounded to the indicator's decimals, as the documents and pages print it.

    Rounded from the number as written (repr), halves upwards, as statistics tables do:
    55.25 → 55.3, not the 55.2 a binary float or banker's rounding would give."""
    if value is None:
        return None
    step = Decimal(1).scaleb(-indicator.decimals)
    return Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP)


def format_value(value: float | None, indicator: Indicator) -> str:
    """A figure with its unit for running text ('55,1 %'); '–' when there is none."""
    number = decimal_value(value, indicator)
    if number is None:
        return "–"
    text = number_format(number, decimal_pos=indicator.decimals, use_l10n=True, force_grouping=True)
    if indicator.unit == Unit.PERCENT:
        return f"{text}\u00a0%"
    if indicator.unit == Unit.KRONOR:
        return f"{text}\u00a0kr"
    return text


def format_point(point: Point | None, indicator: Indicator) -> str:
    if point is None:
        return "–"
    return f"{format_value(point.value, indicator)} ({point.period})"


def chart_summary(profile: IndicatorProfile, sexes: Sequence[str] | None = None) -> str:
    """What the chart shows, in one or two sentences: the screen reader's name for it."""
    indicator = profile.indicator
    rows = chart_rows(profile, sexes)
    periods = sorted({row.period for row in rows})
    names = places(profile)
    parts = [
        _("%(indicator)s in %(area)s, %(first)s–%(last)s.")
        % {
            "indicator": indicator.name(),
            "area": names.get("area", ""),
            "first": periods[0] if periods else "",
            "last": periods[-1] if periods else "",
        }
    ]
    if profile.latest is not None:
        parts.append(
            _(
                "Latest %(value)s in %(period)s; the municipality %(municipality)s, "
                "Sweden %(nation)s."
            )
            % {
                "value": format_value(profile.latest.value, indicator),
                "period": profile.latest.period,
                "municipality": format_value(
                    profile.municipality_latest.value if profile.municipality_latest else None,
                    indicator,
                ),
                "nation": format_value(
                    profile.nation_latest.value if profile.nation_latest else None, indicator
                ),
            }
        )
    else:
        parts.append(_("The area has no figure yet."))
    by_sex = {s.sex: s.latest() for s in profile.series if s.level == "area"}
    chosen = shown_sexes(profile, sexes)
    if "K" in chosen and "M" in chosen and (by_sex.get("K") or by_sex.get("M")):
        women, men = by_sex.get("K"), by_sex.get("M")
        parts.append(
            _("Women %(women)s, men %(men)s.")
            % {"women": format_point(women, indicator), "men": format_point(men, indicator)}
        )
    gaps = sum(1 for row in rows if row.value is None and row.level == "area")
    if gaps:
        parts.append(_("Gaps in the lines are missing or suppressed figures."))
    return " ".join(parts)


def _status_text(status: str) -> str:
    if status in ValueStatus.values:
        return str(ValueStatus(status).label)
    return status


def chart_table(
    profile: IndicatorProfile,
    sexes: Sequence[str] | None = None,
    *,
    sheet_name: str | None = None,
) -> Table:
    """The chart's figures as a table: a row per period, a column per place and sex.

    A gap in the chart is a word here ('suppressed', 'missing'), never an empty cell or 0.
    """
    indicator = profile.indicator
    rows = chart_rows(profile, sexes)
    names = places(profile)
    chosen = shown_sexes(profile, sexes)
    labels = sex_labels()
    keys = [
        (level, sex)
        for level in LEVELS
        if level in names
        for sex in chosen
        if any(r.level == level and r.sex == sex for r in rows)
    ]
    cells: dict[str, dict[tuple[str, str], Cell]] = {}
    for row in rows:
        number = decimal_value(row.value, indicator)
        cells.setdefault(row.period, {})[(row.level, row.sex)] = (
            number if number is not None else _status_text(row.status)
        )

    def label(level: str, sex: str) -> str:
        if chosen == ["T"]:
            return names[level]
        return f"{names[level]}, {labels[sex].lower()}"

    columns = [
        Column(_("Period"), "text", 7),
        *(Column(label(level, sex), "number", 10) for level, sex in keys),
    ]
    missing = _status_text(ValueStatus.MISSING.value)
    body: list[list[Cell]] = [
        [period, *(by_key.get(key, missing) for key in keys)]
        for period, by_key in sorted(cells.items())
    ]
    caption = _("%(indicator)s (%(unit)s): figures of the chart") % {
        "indicator": indicator.name(),
        "unit": unit_label(indicator),
    }
    return Table(caption=caption, columns=columns, rows=body, sheet_name=sheet_name)


@lru_cache(maxsize=512)
def _svg(spec_json: str) -> str:
    return str(vl_convert.vegalite_to_svg(json.loads(spec_json), allowed_base_urls=[]))


def to_svg(spec: dict[str, Any]) -> str:
    """The chart drawn as SVG, offline; the same spec is drawn once per process."""
    return _svg(json.dumps(spec, sort_keys=True))


def accessible_svg(spec: dict[str, Any], label: str) -> SafeString:
    """The chart's SVG as one image for assistive technology, named by ``label``; its data is in
    the table beside it. vl-convert escapes the chart's own text; ``label`` is escaped here."""
    svg = to_svg(spec)
    start = svg.index("<svg")
    end = svg.index(">", start)
    name = escape(label)
    opening = f'{svg[start:end]} role="img" aria-label="{name}" focusable="false">'
    return mark_safe(f"{opening}<title>{name}</title>{svg[end + 1 :]}")  # noqa: S308
