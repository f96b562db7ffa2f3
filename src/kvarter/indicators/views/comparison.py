"""The comparison table: every area × indicator, with the municipality and Sweden, sortable
by plain links."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Municipality
from kvarter.core.web import domain_errors
from kvarter.indicators import charts
from kvarter.indicators.profile import ComparisonRow, areas_comparison
from kvarter.indicators.views.filters import (
    MAP_SEXES,
    group_choices,
    group_from,
    group_of,
    indicator_labels,
    municipality_from,
    status_text,
)


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
    municipality = municipality_from(request)
    sex = request.GET.get("kon", "T")
    if sex not in MAP_SEXES:
        sex = "T"
    group = group_from(request)
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
                    else (status_text(point) if point is not None else "–"),
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
        # Where those who keep the figures up to date find the import.
        "can_import": resolver_for(request.user).can_import_indicators(municipality.pk),
    }
    return render(request, "indicators/comparison.html", context)
