"""Pages of the indicators: an area's profile, the indicator map and the comparison of areas.

Thin doors: each view reads its filters, calls one selector of :mod:`kvarter.indicators.profile`
and hands the result to a template. Charts are drawn on the server (vl-convert SVG) and loaded
by htmx after the page, so the page and the tables (the charts' text alternative) come at once.
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
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area, Municipality
from kvarter.areas.selectors import access_area_by_id, access_municipality_by_code
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.core.web import domain_errors
from kvarter.indicators import catalogue, charts
from kvarter.indicators.models import AreaTypeClass, Direction, Indicator
from kvarter.indicators.profile import (
    ComparisonRow,
    IndicatorMap,
    area_profile,
    areas_comparison,
    indicator_map,
)
from kvarter.indicators.profile_types import IndicatorProfile, Point
from kvarter.reports.area_profile import FORMATS, render_area_profile
from kvarter.reports.document import Table
from kvarter.reports.render import cell_text

# Indicator groups for the filters, by catalogue code; an indicator in none is under 'other'.
GROUPS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "arbete": (
        gettext_lazy("Work and income"),
        (
            catalogue.EMPLOYMENT_RATE,
            catalogue.ECONOMIC_ASSISTANCE,
            catalogue.LONG_TERM_ECONOMIC_ASSISTANCE,
            catalogue.ASSISTANCE_OR_LONG_TERM_UNEMPLOYED,
            catalogue.LOW_ECONOMIC_STANDARD,
            catalogue.MEDIAN_DISPOSABLE_INCOME,
        ),
    ),
    "utbildning": (
        gettext_lazy("Education"),
        (
            catalogue.EDUCATION_PRIMARY,
            catalogue.EDUCATION_SECONDARY,
            catalogue.EDUCATION_TERTIARY,
            "behorighet-yrkesprogram",
            "meritvarde-ak9",
            "alla-amnen-ak9",
        ),
    ),
    "halsa": (gettext_lazy("Health"), ("sjuk-aktivitetsersattning", "ohalsotal")),
    "befolkning": (
        gettext_lazy("Population and housing"),
        (catalogue.POPULATION, "andel-0-19", "utrikes-fodda", "trangboddhet"),
    ),
    "trygghet": (
        gettext_lazy("Safety and participation"),
        (
            "anmalda-brott",
            "anmalda-valdsbrott",
            "trygghet-utomhus-kvall",
            "attraktivitet",
            "valdeltagande-kommunval",
        ),
    ),
}
OTHER_GROUP = "ovrigt"

# The profile's sex filter: the query value → the sexes shown.
SEX_FILTERS: dict[str, tuple[str, ...]] = {"alla": ("T", "K", "M"), "T": ("T",), "KM": ("K", "M")}
MAP_SEXES = ("T", "K", "M")
DOCUMENT_LABELS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "json": "JSON"}


def group_of(indicator: Indicator) -> str:
    for key, (_label, codes) in GROUPS.items():
        if indicator.code in codes:
            return key
    return OTHER_GROUP


def indicator_labels(indicators: Sequence[Indicator]) -> dict[int, str]:
    """Each indicator's name, with its source added where two indicators share a name (a
    catalogue indicator and a municipality's own series of the same name)."""
    names = [i.name() for i in indicators]
    labels = {}
    for indicator, name in zip(indicators, names, strict=True):
        if names.count(name) > 1:
            name = f"{name} ({indicator.get_source_kind_display()})"
        labels[indicator.pk] = name
    return labels


def group_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, (label, _codes) in GROUPS.items()] + [
        (OTHER_GROUP, _("Other"))
    ]


def sex_filter_choices() -> list[tuple[str, str]]:
    return [("alla", _("Total, women and men")), ("T", _("Total")), ("KM", _("Women and men"))]


def _group(request: HttpRequest) -> str:
    """The indicator group the query names; '' (every group) for none or an unknown one."""
    group = request.GET.get("grupp", "")
    return group if group in dict(group_choices()) else ""


def _grouped(items: Sequence[IndicatorProfile], group: str) -> list[IndicatorProfile]:
    """The indicators of ``group`` (every group for ''), group by group as the filter lists
    them, by name within a group."""
    order = [key for key, _label in group_choices()]
    chosen = [i for i in items if not group or group_of(i.indicator) == group]
    return sorted(chosen, key=lambda i: (order.index(group_of(i.indicator)), i.indicator.name()))


def _profile_sexes(request: HttpRequest) -> tuple[str, tuple[str, ...]]:
    key = request.GET.get("kon", "alla")
    if key not in SEX_FILTERS:
        key = "alla"
    return key, SEX_FILTERS[key]


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
    sex_key, sexes = _profile_sexes(request)
    group = _group(request)
    items = _grouped(profile.indicators, group)
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
    _sex_key, sexes = _profile_sexes(request)
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
    profile = dataclasses.replace(profile, indicators=_grouped(profile.indicators, _group(request)))
    _sex_key, sexes = _profile_sexes(request)
    body = render_area_profile(
        profile, fmt, sexes=sexes, language=get_language() or "sv", today=dt.date.today()
    )
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="omradesprofil-{area.pk}.{fmt}"'
    return response


# --- municipality-wide pages -----------------------------------------------------------------


def _municipality(request: HttpRequest) -> Municipality:
    """The municipality the query names, else the first one the user has a role in, else the
    first one there is."""
    code = request.GET.get("kommun", "")
    if code:
        return access_municipality_by_code(request.user, code)
    mine = resolver_for(request.user).municipality_ids
    municipalities = Municipality.objects.order_by("name")
    found = municipalities.filter(pk__in=mine).first() or municipalities.first()
    if found is None:
        raise NotFoundOrForbidden
    return found


def _indicator(request: HttpRequest) -> Indicator:
    code = request.GET.get("indikator", "")
    if code:
        found = Indicator.objects.filter(code=code).first()
        if found is None:
            raise NotFoundOrForbidden
        return found
    found = (
        Indicator.objects.filter(code=catalogue.EMPLOYMENT_RATE).first()
        or Indicator.objects.order_by("name_sv").first()
    )
    if found is None:
        raise NotFoundOrForbidden
    return found


# Sequential blues (ColorBrewer Blues, its near-white step left out so that the lowest class
# stands apart from the white of the 'no data' hatching), light to dark.
MAP_COLOURS = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
AREA_TYPE_COLOURS = {1: "#b2182b", 2: "#ef8a62", 3: "#d9d9d9", 4: "#67a9cf", 5: "#2166ac"}


def class_colours(count: int) -> list[str]:
    """``count`` colours spread over the palette, so three classes are still far apart."""
    if count <= 0:
        return []
    if count == 1:
        return [MAP_COLOURS[2]]
    last = len(MAP_COLOURS) - 1
    return [MAP_COLOURS[round(i * last / (count - 1))] for i in range(count)]


def _map_legend(result: IndicatorMap) -> list[dict[str, Any]]:
    indicator = result.indicator
    colours = class_colours(len(result.breaks) - 1)
    legend = []
    for number, colour in enumerate(colours, start=1):
        low, high = result.breaks[number - 1], result.breaks[number]
        legend.append(
            {
                "class": number,
                "colour": colour,
                "label": " – ".join(charts.format_value(v, indicator) for v in (low, high)),
            }
        )
    return legend


def _map_features(result: IndicatorMap, colours: list[str]) -> dict[str, Any]:
    indicator = result.indicator
    features = []
    for row in result.areas:
        if not row.area.boundary:
            continue
        value = row.point.value if row.point else None
        area_type = row.area_type.area_type if row.area_type else None
        features.append(
            {
                "type": "Feature",
                "id": row.area.pk,
                "geometry": row.area.boundary,
                "properties": {
                    "name": row.area.name,
                    "url": reverse("indicators:profile", args=[row.area.pk]),
                    "value": value,
                    "value_text": charts.format_value(value, indicator),
                    "class": row.map_class,
                    "colour": colours[row.map_class - 1] if row.map_class else None,
                    "area_type": area_type,
                    "area_type_colour": AREA_TYPE_COLOURS.get(area_type) if area_type else None,
                    "area_type_label": (
                        _("type %(number)s") % {"number": area_type} if area_type else ""
                    ),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _labelled(indicators: list[Indicator]) -> list[tuple[Indicator, str]]:
    labels = indicator_labels(indicators)
    return [(i, labels[i.pk]) for i in indicators]


def _status_text(point: Point | None) -> str:
    if point is None:
        return _("no data")
    if point.value is None:
        return _("suppressed") if point.status == "suppressed" else _("no data")
    return ""


@domain_errors
def map_page(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    indicator = _indicator(request)
    sex = request.GET.get("kon", "T")
    if sex not in MAP_SEXES:
        sex = "T"
    period = request.GET.get("period") or None
    result = indicator_map(
        actor=request.user, municipality=municipality, indicator=indicator, period=period, sex=sex
    )
    legend = _map_legend(result)
    colours = [row["colour"] for row in legend]
    rows = [
        {
            "area": row.area,
            "value": charts.format_value(row.point.value if row.point else None, indicator),
            "status": _status_text(row.point),
            "class": row.map_class,
            "classes": len(legend),
            "area_type": AreaTypeClass(row.area_type.area_type).label if row.area_type else "",
            "area_type_year": row.area_type.year if row.area_type else None,
        }
        for row in result.areas
    ]
    context = {
        "municipality": municipality,
        "municipalities": Municipality.objects.order_by("name"),
        "indicator": indicator,
        "indicators": [
            (i.code, label, i.pk == indicator.pk)
            for i, label in _labelled(list(Indicator.objects.order_by("name_sv")))
        ],
        "result": result,
        "sex": sex,
        "sexes": [(key, charts.sex_labels()[key]) for key in MAP_SEXES],
        "legend": legend,
        "area_type_legend": [
            (number, AREA_TYPE_COLOURS[number], label) for number, label in AreaTypeClass.choices
        ],
        "has_area_types": any(row.area_type for row in result.areas),
        "rows": rows,
        "municipality_value": charts.format_value(
            result.municipality_point.value if result.municipality_point else None, indicator
        ),
        "nation_value": charts.format_value(
            result.nation_point.value if result.nation_point else None, indicator
        ),
        "unit": charts.unit_label(indicator),
        "features": _map_features(result, colours),
    }
    return render(request, "indicators/map.html", context)


def _by_value(rows: list[ComparisonRow], index: int, *, descending: bool) -> list[ComparisonRow]:
    """The rows by their figure in column ``index``; rows without a figure last, by name."""

    def value(row: ComparisonRow) -> float | None:
        point = row.cells[index]
        return point.value if point is not None else None

    with_value = [(v, row) for row in rows if (v := value(row)) is not None]
    with_value.sort(key=lambda pair: pair[0], reverse=descending)
    without = sorted((r for r in rows if value(r) is None), key=lambda r: r.label.lower())
    return [row for _v, row in with_value] + without


@domain_errors
def comparison_page(request: HttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    sex = request.GET.get("kon", "T")
    if sex not in MAP_SEXES:
        sex = "T"
    group = _group(request)
    period = request.GET.get("period") or None
    result = areas_comparison(actor=request.user, municipality=municipality, period=period, sex=sex)
    columns = [
        (index, column)
        for index, column in enumerate(result.columns)
        if not group or group_of(column.indicator) == group
    ]
    labels = indicator_labels([column.indicator for _index, column in columns])
    sort = request.GET.get("sortera", "")
    order = "desc" if request.GET.get("ordning") == "desc" else "asc"
    area_rows = [row for row in result.rows if row.level == "area"]
    other_rows = [row for row in result.rows if row.level != "area"]
    sorted_index = next((i for i, c in columns if c.indicator.code == sort), None)
    if sorted_index is not None:
        area_rows = _by_value(area_rows, sorted_index, descending=order == "desc")
    else:
        sort = "namn"
        area_rows.sort(key=lambda r: r.label.lower(), reverse=order == "desc")

    base = {"kommun": municipality.code, "kon": sex}
    if group:
        base["grupp"] = group
    if period:
        base["period"] = period

    def sort_link(key: str) -> dict[str, Any]:
        active = key == sort
        next_order = "desc" if active and order == "asc" else "asc"
        return {
            "url": "?" + urlencode({**base, "sortera": key, "ordning": next_order}),
            "active": active,
            "aria_sort": ("ascending" if order == "asc" else "descending") if active else None,
        }

    def cells(row: Any) -> list[dict[str, Any]]:
        out = []
        for index, column in columns:
            point = row.cells[index]
            value = point.value if point is not None else None
            out.append(
                {
                    "text": charts.format_value(value, column.indicator)
                    if value is not None
                    else (_status_text(point) if point is not None else "–"),
                    "missing": value is None,
                }
            )
        return out

    context = {
        "municipality": municipality,
        "municipalities": Municipality.objects.order_by("name"),
        "result": result,
        "sex": sex,
        "sexes": [(key, charts.sex_labels()[key]) for key in MAP_SEXES],
        "sex_label": charts.sex_labels()[sex].lower(),
        "groups": group_choices(),
        "group": group,
        "columns": [
            {
                "column": column,
                "label": labels[column.indicator.pk],
                "unit": charts.unit_label(column.indicator),
                "sort": sort_link(column.indicator.code),
            }
            for _index, column in columns
        ],
        "name_sort": sort_link("namn"),
        "area_rows": [{"row": row, "cells": cells(row)} for row in area_rows],
        "other_rows": [{"row": row, "cells": cells(row)} for row in other_rows],
    }
    return render(request, "indicators/comparison.html", context)
