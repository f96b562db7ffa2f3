"""The area profile page, its charts (htmx partials) and its downloads.

Charts are drawn on the server (vl-convert SVG) and loaded by htmx after the page, so the page
and the tables (the charts' text alternative) come at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kvarter.areas.models import Area
from kvarter.areas.selectors import access_area_by_id
from kvarter.core.web import domain_errors
from kvarter.indicators import charts
from kvarter.indicators.documents import FORMATS, render_area_profile
from kvarter.indicators.models import AreaTypeClass, Direction, Indicator
from kvarter.indicators.profile import area_profile
from kvarter.indicators.profile_types import IndicatorProfile, Point
from kvarter.indicators.views.filters import (
    group_choices,
    group_from,
    in_group_order,
    sex_filter_choices,
    sexes_from,
)
from kvarter.reports.document import Table
from kvarter.reports.formats import file_response
from kvarter.reports.render import cell_text

DOCUMENT_LABELS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "json": "JSON"}


def table_view(table: Table) -> dict[str, Any]:
    """A document table as the page's template reads it: texts, and which cells are numbers."""
    numeric = [column.kind == "number" for column in table.columns]
    return {
        "caption": table.caption,
        "columns": [
            {"label": c.label, "numeric": n} for c, n in zip(table.columns, numeric, strict=True)
        ],
        "rows": [
            [{"text": cell_text(cell), "numeric": n} for cell, n in zip(row, numeric, strict=True)]
            for row in table.rows
        ],
    }


def _change_text(item: IndicatorProfile) -> str:
    change = charts.decimal_value(item.change_since_baseline, item.indicator)
    if change is None or item.baseline is None:
        return "–"
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    size = number_format(abs(change), decimal_pos=item.indicator.decimals, use_l10n=True)
    unit = _("percentage points") if item.indicator.unit == "percent" else ""
    text = f"{sign}{size}"
    if unit:
        text += f" {unit}"
    return _("%(change)s since %(period)s") % {"change": text, "period": item.baseline.period}


def _point_text(point: Point | None, indicator: Indicator) -> str:
    return charts.format_point(point, indicator)


def _indicator_view(
    area: Area, item: IndicatorProfile, sex_key: str, sexes: Sequence[str]
) -> dict[str, Any]:
    indicator = item.indicator
    has_figures = any(s.points for s in item.series)
    chart_url = reverse("indicators:profile_chart", args=[area.pk, indicator.code])
    return {
        "item": item,
        "indicator": indicator,
        "anchor": f"i-{indicator.code}",
        "unit": charts.unit_label(indicator),
        "direction": Direction(indicator.direction).label
        if indicator.direction in Direction.values
        else "",
        "latest": _point_text(item.latest, indicator),
        "change": _change_text(item),
        "municipality": _point_text(item.municipality_latest, indicator),
        "nation": _point_text(item.nation_latest, indicator),
        "has_figures": has_figures,
        "summary": charts.chart_summary(item, sexes) if has_figures else "",
        "table": table_view(charts.chart_table(item, sexes)) if has_figures else None,
        "chart_url": f"{chart_url}?{urlencode({'kon': sex_key})}",
    }


@domain_errors
def profile_page(request: HttpRequest, area_id: int) -> HttpResponse:
    area = access_area_by_id(request.user, area_id)
    profile = area_profile(actor=request.user, area=area)
    sex_key, sexes = sexes_from(request)
    group = group_from(request)
    items = in_group_order(profile.indicators, group)
    query = urlencode({"kon": sex_key, **({"grupp": group} if group else {})})
    context = {
        "area": area,
        "profile": profile,
        "indicators": [_indicator_view(area, item, sex_key, sexes) for item in items],
        "area_types": [
            (row, AreaTypeClass(row.area_type).label)
            for row in sorted(profile.area_types, key=lambda r: r.year)
        ],
        "groups": group_choices(),
        "group": group,
        "sex_filters": sex_filter_choices(),
        "sex_key": sex_key,
        "downloads": [
            (
                DOCUMENT_LABELS[fmt],
                reverse("indicators:profile_document", args=[area.pk, fmt]) + f"?{query}",
            )
            for fmt in FORMATS
        ],
    }
    template = (
        "indicators/_profile_indicators.html"
        if request.headers.get("HX-Request")
        and request.headers.get("HX-Target") == "profile-indicators"
        else "indicators/profile.html"
    )
    return render(request, template, context)


@domain_errors
def profile_chart(request: HttpRequest, area_id: int, code: str) -> HttpResponse:
    """One indicator's chart (an htmx partial): the SVG, named by its summary."""
    area = access_area_by_id(request.user, area_id)
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404
    profile = area_profile(actor=request.user, area=area, indicators=[indicator])
    _sex_key, sexes = sexes_from(request)
    item = profile.indicators[0]
    svg = None
    if any(s.points for s in item.series):
        spec = charts.indicator_chart(item, sexes)
        svg = charts.accessible_svg(spec, charts.chart_summary(item, sexes))
    return render(request, "indicators/_profile_chart.html", {"svg": svg, "indicator": indicator})


@domain_errors
def profile_document(request: HttpRequest, area_id: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    area = access_area_by_id(request.user, area_id)
    profile = area_profile(actor=request.user, area=area)
    profile = dataclasses.replace(
        profile, indicators=in_group_order(profile.indicators, group_from(request))
    )
    _sex_key, sexes = sexes_from(request)
    body = render_area_profile(
        profile, fmt, sexes=sexes, language=get_language() or "sv", today=dt.date.today()
    )
    return file_response(body, fmt, stem=f"omradesprofil-{area.pk}")
