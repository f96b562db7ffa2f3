"""Pages under /est/export/: the filter with its counts on screen, and the downloads; and
/est/strategi/: the strategic summary and the crime-prevention draft for the management group
(counts with small ones hidden outside the user's own EST areas), shown and downloaded.

Every download reads the same query string as the page (see :mod:`kvarter.safety.history.exports`),
so a file holds what the page shows. Raw files answer 403 unless the user reads raw reports
in every area of the filter; counts are for every user who sees the municipality's aggregates.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area
from kvarter.core.web import domain_errors
from kvarter.reports.formats import file_format
from kvarter.reports.formats import render as render_document
from kvarter.reports.render.html import render_html, report_css
from kvarter.safety.deployments.views import est_municipality
from kvarter.safety.documents import STRATEGIC_FORMATS
from kvarter.safety.documents.strategic import (
    crime_prevention_document,
    est_strategic_document,
)
from kvarter.safety.history.exports import (
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


# --- the strategic documents (management group) --------------------------------------------------


def _strategic_request(request: HttpRequest) -> tuple[Any, str, int, int | None, list[int]]:
    """Municipality, document, year, quarter and the areas the user reads exactly."""
    municipality = est_municipality(request)
    require_aggregates(request.user, municipality)
    document = request.GET.get("dokument", "strategic")
    if document not in STRATEGIC_FORMATS:
        document = "strategic"
    today = timezone.localdate()
    year_text = request.GET.get("ar", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else today.year
    quarter_text = request.GET.get("kvartal", "")
    quarter = int(quarter_text) if quarter_text in ("1", "2", "3", "4") else None
    allowed = resolver_for(request.user).raw_incident_area_ids(municipality.pk)
    areas = Area.objects.filter(municipality=municipality)
    exact = list(
        (areas if allowed is None else areas.filter(pk__in=allowed)).values_list("pk", flat=True)
    )
    return municipality, document, year, quarter, exact


def _strategic_document(request: HttpRequest) -> tuple[Any, str, Any]:
    municipality, document, year, quarter, exact = _strategic_request(request)
    language = translation.get_language() or "sv"
    language = "sv" if language.startswith("sv") else "en"
    if document == "crime-prevention":
        doc = crime_prevention_document(
            municipality=municipality, year=year, exact_area_ids=exact, language=language
        )
    else:
        doc = est_strategic_document(
            municipality=municipality,
            year=year,
            quarter=quarter,
            exact_area_ids=exact,
            language=language,
        )
    return municipality, document, doc


@login_required
@domain_errors
def strategic_page(request: HttpRequest) -> HttpResponse:
    municipality, document, doc = _strategic_document(request)
    context = {
        "municipality": municipality,
        "document": document,
        "year": request.GET.get("ar", str(timezone.localdate().year)),
        "quarter": request.GET.get("kvartal", ""),
        "formats": STRATEGIC_FORMATS[document],
        "report_html": render_html(doc, standalone=False),
        "report_css": report_css(),
        "query": request.GET.urlencode(),
    }
    return render(request, "safety/strategic.html", context)


@login_required
@domain_errors
def strategic_download(request: HttpRequest) -> HttpResponse:
    municipality, document, doc = _strategic_document(request)
    fmt = request.GET.get("format", "pdf")
    if fmt not in STRATEGIC_FORMATS[document]:
        fmt = STRATEGIC_FORMATS[document][0]
    file = file_format(fmt)
    name = file.filename(f"est-{document}-{municipality.code}-{request.GET.get('ar', '')}")
    return _file(render_document(doc, fmt), file.content_type, name)
