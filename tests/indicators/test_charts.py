"""Charts of an area profile: small multiples over time, gaps for hidden figures, a table and a
summary with the same figures. Built from AreaProfile objects made here (no database)."""

from __future__ import annotations

import re
from decimal import Decimal

import altair as alt
import jsonschema
import pytest
from django.utils import translation

from kvarter.areas.models import Area, Municipality
from kvarter.indicators import charts
from kvarter.indicators.models import Indicator
from kvarter.indicators.profile_types import AreaProfile, IndicatorProfile, Point, Series

PLACES = (
    ("area", "Skäggetorp", 0.0),
    ("municipality", "Linköping", 15.0),
    ("nation", "Riket", 20.0),
)


def make_profile(
    *,
    sexes: tuple[str, ...] = ("T", "K", "M"),
    years: range = range(2015, 2025),
    hidden: dict[tuple[str, str, int], str] | None = None,
    unit: str = "percent",
    decimals: int = 1,
    area_name: str = "Skäggetorp",
) -> IndicatorProfile:
    """Figures rising by 0.7 a year; ``hidden`` maps (level, sex, year) to 'suppressed' (a row
    without a value) or 'absent' (no row at all)."""
    hidden = hidden or {}
    indicator = Indicator(
        code="forvarvsfrekvens",
        name_sv="Förvärvsfrekvens 20–64 år",
        name_en="Employment rate 20–64",
        unit=unit,
        direction="higher",
        decimals=decimals,
    )
    series = []
    for sex in sexes:
        for level, label, offset in PLACES:
            label = area_name if level == "area" else label
            points = []
            for year in years:
                what = hidden.get((level, sex, year))
                if what == "absent":
                    continue
                value = None if what else 50 + offset + {"T": 0, "K": -3, "M": 3}[sex]
                if value is not None:
                    value = round(value + (year - years[0]) * 0.7, 2)
                points.append(Point(str(year), year, value, what or "ok"))
            series.append(Series(level, label, sex, points))
    area_total = series[0]
    return IndicatorProfile(
        indicator=indicator,
        series=series,
        latest=area_total.latest(),
        previous=None,
        baseline=next(p for p in area_total.points if p.value is not None),
        change_since_baseline=6.3,
        municipality_latest=series[1].latest(),
        nation_latest=series[2].latest(),
        verdict="Bättre än förra året, fortfarande långt under kommunen.",
    )


def make_area_profile(*items: IndicatorProfile) -> AreaProfile:
    municipality = Municipality(code="0580", name="Linköping")
    area = Area(name="Skäggetorp", municipality=municipality)
    return AreaProfile(area=area, municipality=municipality, indicators=list(items), area_types=[])


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def _data(spec: dict) -> list[dict]:
    return spec["data"]["values"]


def test_chart_rows__a_gap_is_a_row_without_a_value_never_zero() -> None:
    profile = make_profile(
        hidden={("area", "T", 2017): "absent", ("area", "K", 2019): "suppressed"}
    )
    rows = charts.chart_rows(profile)
    assert len(rows) == 3 * 3 * 10  # every place, sex and period, gaps included
    absent = [r for r in rows if (r.level, r.sex, r.year) == ("area", "T", 2017)]
    assert [(r.value, r.status) for r in absent] == [(None, "missing")]
    hidden = [r for r in rows if (r.level, r.sex, r.year) == ("area", "K", 2019)]
    assert [(r.value, r.status) for r in hidden] == [(None, "suppressed")]
    assert all(r.value != 0 for r in rows)


def test_indicator_chart__one_panel_per_sex_and_lines_told_apart_without_colour() -> None:
    spec = charts.indicator_chart(make_profile())
    assert spec["facet"]["column"]["field"] == "sex"
    assert spec["facet"]["column"]["sort"] == ["Totalt", "Kvinnor", "Män"]
    lines, points = spec["spec"]["layer"]
    encodings = {**lines["encoding"], **points["encoding"]}
    domain = encodings["color"]["scale"]["domain"]
    assert domain == ["Skäggetorp", "Linköping", "Riket"]
    # Colour, dash and marker each differ between the three places, with one legend.
    for channel in ("color", "strokeDash", "shape"):
        scale = encodings[channel]["scale"]
        assert scale["domain"] == domain
        assert len({str(v) for v in scale["range"]}) == 3, channel
    assert spec["description"] == charts.chart_summary(make_profile())


def test_indicator_chart__a_valid_vega_lite_spec() -> None:
    # The chart is built without Altair's validation (for speed); the schema is checked here.
    for sexes in (None, ["K", "M"]):
        alt.TopLevelSpec.validate(charts.indicator_chart(make_profile(), sexes=sexes))
    broken = charts.indicator_chart(make_profile()) | {"mark": 7}
    with pytest.raises(jsonschema.ValidationError):
        alt.TopLevelSpec.validate(broken)


def test_indicator_chart__only_the_sexes_asked_for() -> None:
    spec = charts.indicator_chart(make_profile(), sexes=["K", "M"])
    assert spec["facet"]["column"]["sort"] == ["Kvinnor", "Män"]
    assert {row["sex"] for row in _data(spec)} == {"Kvinnor", "Män"}
    only_total = charts.indicator_chart(make_profile(sexes=("T",)))
    assert only_total["facet"]["column"]["sort"] == ["Totalt"]


def test_indicator_chart__svg_line_breaks_at_the_gap() -> None:
    profile = make_profile(sexes=("T",), hidden={("area", "T", 2019): "suppressed"})
    svg = charts.to_svg(charts.indicator_chart(profile))
    paths = re.findall(r'<g class="mark-line[^"]*"[^>]*><path d="([^"]*)"', svg)
    assert len(paths) == 3
    # The area's line is drawn in two pieces; the others are whole.
    assert sorted(d.count("M") for d in paths) == [1, 1, 2]


def test_line_colours__contrast_at_least_3_to_1_on_white() -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for style in charts.LINE_STYLES.values():
        assert (1.05) / (luminance(style.colour) + 0.05) >= 3.0, style


def test_chart_table__holds_exactly_the_figures_of_the_chart() -> None:
    profile = make_profile(
        hidden={("area", "T", 2017): "absent", ("area", "K", 2019): "suppressed"}
    )
    spec = charts.indicator_chart(profile)
    table = charts.chart_table(profile)
    headers = [column.label for column in table.columns]
    rows = {row[0]: row for row in table.rows}
    assert len(rows) == 10
    for record in _data(spec):
        cell = rows[record["period"]][headers.index(f"{record['place']}, {record['sex'].lower()}")]
        if record["value"] is None:
            assert isinstance(cell, str) and cell == record["status"]
        else:
            assert cell == Decimal(str(record["value"])).quantize(Decimal("0.1"))


def test_chart_table__only_total_uses_the_place_names_alone() -> None:
    table = charts.chart_table(make_profile(sexes=("T",)))
    assert [c.label for c in table.columns] == ["Period", "Skäggetorp", "Linköping", "Riket"]
    assert [c.kind for c in table.columns] == ["text", "number", "number", "number"]


def test_chart_summary__latest_comparison_women_men_and_gaps() -> None:
    profile = make_profile(hidden={("area", "M", 2016): "suppressed"})
    summary = charts.chart_summary(profile)
    assert "Förvärvsfrekvens 20–64 år" in summary and "Skäggetorp" in summary
    assert "2015–2024" in summary
    assert "56,3\xa0%" in summary  # the area's latest total
    assert "71,3\xa0%" in summary and "76,3\xa0%" in summary  # municipality, nation
    assert "53,3\xa0% (2024)" in summary and "59,3\xa0% (2024)" in summary  # women, men
    assert summary.count(".") >= 3
    without_gaps = charts.chart_summary(make_profile())
    assert len(without_gaps) < len(summary)


def test_places__the_same_name_twice_is_told_apart() -> None:
    profile = make_profile(area_name="Linköping")
    names = charts.places(profile)
    assert len(set(names.values())) == 3
    spec = charts.indicator_chart(profile)
    assert len(set(spec["spec"]["layer"][0]["encoding"]["color"]["scale"]["domain"])) == 3


def test_accessible_svg__one_image_named_by_its_escaped_summary() -> None:
    spec = charts.indicator_chart(make_profile(sexes=("T",)))
    svg = charts.accessible_svg(spec, 'Andel "under" <5>')
    opening = svg[: svg.index(">") + 1]
    assert 'role="img"' in opening
    assert 'aria-label="Andel &quot;under&quot; &lt;5&gt;"' in opening
    assert "<title>Andel &quot;under&quot; &lt;5&gt;</title>" in svg


@pytest.mark.parametrize(
    ("unit", "decimals", "value", "expected"),
    [
        ("percent", 1, 55.25, "55,3\xa0%"),
        ("percent", 1, 55.349, "55,3\xa0%"),
        ("kronor", 0, 23456.0, "23\xa0456\xa0kr"),
        ("points", 1, 212.04, "212,0"),
        ("percent", 1, None, "–"),
    ],
)
def test_format_value__unit_and_decimals(unit, decimals, value, expected) -> None:
    indicator = Indicator(unit=unit, decimals=decimals)
    assert charts.format_value(value, indicator) == expected


def test_decimal_value__rounds_halves_up_from_the_written_number() -> None:
    indicator = Indicator(unit="percent", decimals=1)
    assert charts.decimal_value(0.1 + 0.2, indicator) == Decimal("0.3")
    assert charts.decimal_value(2.675, indicator) == Decimal("2.7")
    assert charts.decimal_value(-0.05, indicator) == Decimal("-0.1")
    assert charts.decimal_value(None, indicator) is None
