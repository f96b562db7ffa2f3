"""An area profile (nulägesbild) as a `Document` for PDF, Word and Excel, and as JSON.

Every figure comes from one :class:`kvarter.indicators.profile_types.AreaProfile`, which the
profile page shows too; the charts and their tables come from :mod:`kvarter.indicators.charts`,
so a chart, its table and the summary cannot disagree in any format.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from kvarter.indicators import charts
from kvarter.indicators.models import AreaTypeClass, Indicator, SourceKind
from kvarter.indicators.profile_types import AreaProfile, IndicatorProfile, Point
from kvarter.reports.document import (
    Block,
    Cell,
    Chart,
    Column,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Table,
)
from kvarter.reports.formats import render


def area_profile_document(
    profile: AreaProfile,
    *,
    sexes: Sequence[str] | None = None,
    language: str = "sv",
    today: dt.date | None = None,
    charts_as_pictures: bool = True,
) -> Document:
    """The profile as a report: a summary table, women and men apart, area types, then per
    indicator its verdict, chart and the chart's figures.

    ``charts_as_pictures=False`` (for Excel) gives each chart as its table alone: Excel's
    renderer would draw a chart's table as stacked bars, which misreads a time series.
    """
    with translation.override(language):
        blocks: list[Block] = [
            Heading(_("Summary")),
            summary_table(profile),
            Paragraph(
                _(
                    "Each indicator's latest figure for the area, its change since the first "
                    "year with a figure (the baseline), and the municipality and Sweden in the "
                    "same period."
                )
            ),
        ]
        by_sex = sex_table(profile)
        if by_sex.rows:
            blocks += [Heading(_("Women and men"), level=2), by_sex]
        if profile.area_types:
            blocks += [Heading(_("Area type over time"), level=2), area_type_table(profile)]
        blocks.append(PageBreak())
        blocks.append(Heading(_("Indicators over time")))
        for item in profile.indicators:
            blocks += _indicator_blocks(item, sexes, charts_as_pictures=charts_as_pictures)
        periods = sorted(
            {p.period for item in profile.indicators for s in item.series for p in s.points}
        )
        subtitle = profile.municipality.name
        if periods:
            subtitle += f", {periods[0]}–{periods[-1]}"
        return Document(
            title=_("Area profile: %(area)s") % {"area": profile.area.name},
            subtitle=subtitle,
            meta=[
                (_("Area"), profile.area.name),
                (_("Municipality"), f"{profile.municipality.name} ({profile.municipality.code})"),
                (_("Indicators"), str(len(profile.indicators))),
                (_("Date"), (today or dt.date.today()).isoformat()),
            ],
            blocks=tuple(blocks),
            language=language,
        )


def _value(point: Point | None, indicator: Indicator) -> Cell:
    if point is None:
        return None
    return charts.decimal_value(point.value, indicator)


def _change(item: IndicatorProfile) -> Cell:
    if item.change_since_baseline is None:
        return None
    return charts.decimal_value(item.change_since_baseline, item.indicator)


def summary_table(profile: AreaProfile) -> Table:
    columns = [
        Column(_("Indicator"), "text", 30),
        Column(_("Period"), "text", 7),
        Column(profile.area.name, "number", 10),
        Column(_("Baseline"), "text", 7),
        Column(_("Change since baseline"), "number", 10),
        Column(profile.municipality.name, "number", 10),
        Column(_("Sweden"), "number", 10),
        Column(_("Verdict"), "text", 30),
    ]
    rows: list[list[Cell]] = []
    for item in profile.indicators:
        indicator = item.indicator
        rows.append(
            [
                f"{indicator.name()} ({charts.unit_label(indicator)})",
                item.latest.period if item.latest else None,
                _value(item.latest, indicator),
                item.baseline.period if item.baseline else None,
                _change(item),
                _value(item.municipality_latest, indicator),
                _value(item.nation_latest, indicator),
                item.verdict,
            ]
        )
    return Table(
        caption=_("Indicators: latest figure, change and comparison"),
        columns=columns,
        rows=rows,
        sheet_name=_("Indicators"),
    )


def _latest_by(item: IndicatorProfile, level: str, sex: str, period: str) -> Cell:
    for series in item.series:
        if series.level == level and series.sex == sex:
            for point in series.points:
                if point.period == period:
                    return charts.decimal_value(point.value, item.indicator)
    return None


def sex_table(profile: AreaProfile) -> Table:
    """Women and men apart: each indicator's figures in the area's latest period with a figure
    for women or men, beside the municipality and Sweden in the same period."""
    columns = [
        Column(_("Indicator"), "text", 26),
        Column(_("Period"), "text", 7),
        Column(_("%(place)s, women") % {"place": profile.area.name}, "number", 11),
        Column(_("%(place)s, men") % {"place": profile.area.name}, "number", 11),
        Column(_("%(place)s, women") % {"place": profile.municipality.name}, "number", 11),
        Column(_("%(place)s, men") % {"place": profile.municipality.name}, "number", 11),
        Column(_("Sweden, women"), "number", 11),
        Column(_("Sweden, men"), "number", 11),
    ]
    rows: list[list[Cell]] = []
    for item in profile.indicators:
        latest = [s.latest() for s in item.series if s.level == "area" and s.sex in ("K", "M")]
        periods = [p.period for p in latest if p is not None]
        if not periods:
            continue
        period = max(periods)
        rows.append(
            [
                item.indicator.name(),
                period,
                *(
                    _latest_by(item, level, sex, period)
                    for level in ("area", "municipality", "nation")
                    for sex in ("K", "M")
                ),
            ]
        )
    return Table(
        caption=_("Women and men in the latest period"),
        columns=columns,
        rows=rows,
        sheet_name=_("Women and men"),
    )


def area_type_table(profile: AreaProfile) -> Table:
    rows: list[list[Cell]] = [
        [
            str(row.year),
            Decimal(repr(row.index)).quantize(Decimal("0.01")),
            str(AreaTypeClass(row.area_type).label),
        ]
        for row in sorted(profile.area_types, key=lambda r: r.year)
    ]
    return Table(
        caption=_("Socio-economic index and area type per year"),
        columns=[
            Column(_("Year"), "text", 8),
            Column(_("Socio-economic index"), "number", 14),
            Column(_("Area type"), "text", 36),
        ],
        rows=rows,
        sheet_name=_("Area types"),
    )


def source_text(indicator: Indicator) -> str:
    """'Källa: SCB, TAB5813' and the like, from the catalogue."""
    source = (
        str(SourceKind(indicator.source_kind).label)
        if indicator.source_kind in SourceKind.values
        else indicator.source_kind
    )
    ids = [i for i in (indicator.scb_table, indicator.kolada_kpi) if i]
    return _("Source: %(source)s") % {"source": ", ".join([source, *ids])}


def _indicator_blocks(
    item: IndicatorProfile, sexes: Sequence[str] | None, *, charts_as_pictures: bool
) -> list[Block]:
    """The indicator's heading, then its chart (the verdict as the chart's title, so heading,
    verdict and chart stay on one page), then its definition and source."""
    indicator = item.indicator
    blocks: list[Block] = [Heading(indicator.name(), level=2)]
    if not any(s.points for s in item.series):
        blocks.append(Paragraph(_("No figures yet.")))
    else:
        table = charts.chart_table(item, sexes, sheet_name=indicator.code)
        if charts_as_pictures:
            blocks.append(
                Chart(
                    spec=charts.indicator_chart(item, sexes),
                    title=item.verdict or indicator.name(),
                    description=charts.chart_summary(item, sexes),
                    table=table,
                )
            )
        else:
            if item.verdict:
                blocks.append(Paragraph(item.verdict))
            blocks.append(table)
    if indicator.definition:
        blocks.append(Paragraph(indicator.definition))
    blocks.append(Paragraph(source_text(indicator)))
    return blocks


def area_profile_data(profile: AreaProfile) -> dict[str, Any]:
    """The profile as JSON data: the same shape as the API's area profile (one JSON for both)."""
    from kvarter.indicators.api_serializers import profile_data

    return profile_data(profile)


# The formats an area profile comes in (content types in kvarter.reports.formats).
FORMATS = ("pdf", "docx", "xlsx", "json")


def render_area_profile(
    profile: AreaProfile,
    fmt: str,
    *,
    sexes: Sequence[str] | None = None,
    language: str = "sv",
    today: dt.date | None = None,
) -> bytes:
    """The profile as a file in ``fmt`` (pdf, docx, xlsx or json), the same for page and CLI."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if fmt == "json":
        with translation.override(language):
            data = area_profile_data(profile)
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    doc = area_profile_document(
        profile,
        sexes=sexes,
        language=language,
        today=today,
        charts_as_pictures=fmt != "xlsx",
    )
    return render(doc, fmt)


def area_profile_file(options: Mapping[str, Any]) -> bytes:
    """``kvarter report profile AREA_ID --format pdf|docx|xlsx|json``: an area profile as SYSTEM
    sees it (every indicator of the area); registered with :mod:`kvarter.reports.registry`."""
    from django.core.management.base import CommandError

    from kvarter.areas.selectors import access_area_by_id
    from kvarter.core.actors import SYSTEM
    from kvarter.core.errors import NotFoundOrForbidden
    from kvarter.indicators.profile import area_profile

    fmt: str = options["format"]
    if fmt not in FORMATS:
        raise CommandError(
            _("An area profile comes as %(formats)s") % {"formats": ", ".join(FORMATS)}
        )
    try:
        area = access_area_by_id(SYSTEM, options.get("plan"))
    except NotFoundOrForbidden as error:
        raise CommandError(
            _("No such area: %(name)s") % {"name": options.get("plan")}
        ) from error
    profile = area_profile(actor=SYSTEM, area=area)
    return render_area_profile(profile, fmt, language=options.get("language") or "sv")
