"""The indicator map: the areas of a municipality coloured by an indicator's class, with the
same figures in a table, and the area types as a second layer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kvarter.areas.models import Municipality
from kvarter.core.web import domain_errors
from kvarter.indicators import charts
from kvarter.indicators.models import AreaTypeClass, Indicator
from kvarter.indicators.profile import IndicatorMap, indicator_map
from kvarter.indicators.views.filters import (
    MAP_SEXES,
    indicator_from,
    labelled,
    municipality_from,
    status_text,
)

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


@domain_errors
def map_page(request: HttpRequest) -> HttpResponse:
    municipality = municipality_from(request)
    indicator = indicator_from(request)
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
            "status": status_text(row.point),
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
            for i, label in labelled(list(Indicator.objects.order_by("name_sv")))
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
