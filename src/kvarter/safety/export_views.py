"""Pages under /est/export/: the filter with its counts on screen, and the downloads.

Every download reads the same query string as the page (see :mod:`kvarter.safety.exports`),
so a file holds what the page shows. Raw files answer 403 unless the user reads raw reports
in every area of the filter; counts are for every user who sees the municipality's aggregates.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kvarter.areas.models import Area
from kvarter.core.web import domain_errors
from kvarter.safety.deployment_views import est_municipality
from kvarter.safety.exports import (
    ExportFilter,
    count_table,
    counts_csv,
    counts_geojson,
    events_csv,
    events_geojson,
    export_filter_from,
    geojson_bytes,
    may_export_raw,
    raw_area_ids,
    require_aggregates,
)
from kvarter.safety.models import IncidentCategory


def _filter(request: HttpRequest) -> ExportFilter:
    municipality = est_municipality(request)
    require_aggregates(request.user, municipality)
    return export_filter_from(request.GET, municipality)


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _name(flt: ExportFilter, kind: str, suffix: str) -> str:
    return f"est-{kind}-{flt.municipality.code}-{flt.start:%Y%m%d}-{flt.end:%Y%m%d}.{suffix}"


@login_required
@domain_errors
def export_page(request: HttpRequest) -> HttpResponse:
    flt = _filter(request)
    table = count_table(request.user, flt)
    raw_ids = raw_area_ids(request.user, flt)
    context = {
        "filter": flt,
        "table": table,
        "areas": Area.objects.filter(municipality=flt.municipality).order_by("name"),
        "categories": IncidentCategory.objects.filter(municipality=flt.municipality).order_by(
            "order", "name"
        ),
        "may_export_raw": may_export_raw(request.user, flt),
        "blocking_areas": [row.area for row in table.rows if row.area.pk not in raw_ids],
        "query": flt.query_string(),
    }
    return render(request, "safety/export.html", context)


@login_required
@domain_errors
def events_csv_view(request: HttpRequest) -> HttpResponse:
    flt = _filter(request)
    return _file(
        events_csv(request.user, flt), "text/csv; charset=utf-8", _name(flt, "rapporter", "csv")
    )


@login_required
@domain_errors
def events_geojson_view(request: HttpRequest) -> HttpResponse:
    flt = _filter(request)
    content = geojson_bytes(events_geojson(request.user, flt))
    return _file(content, "application/geo+json", _name(flt, "rapporter", "geojson"))


@login_required
@domain_errors
def counts_csv_view(request: HttpRequest) -> HttpResponse:
    flt = _filter(request)
    content = counts_csv(count_table(request.user, flt))
    return _file(content, "text/csv; charset=utf-8", _name(flt, "antal", "csv"))


@login_required
@domain_errors
def counts_geojson_view(request: HttpRequest) -> HttpResponse:
    flt = _filter(request)
    content = geojson_bytes(counts_geojson(count_table(request.user, flt)))
    return _file(content, "application/geo+json", _name(flt, "antal", "geojson"))
