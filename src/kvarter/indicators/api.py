"""Read-only API of the indicators: the catalogue, area profiles (JSON and CSV), the comparison
of all areas of a municipality (JSON and CSV) and the indicator map (GeoJSON).

Indicator values are public statistics; every read follows the areas app's rules (the same
'not found' for a missing and a hidden area or municipality). The CSV is the import contract's
long format (``indikator``, ``område``, ``period``, ``kön``, ``värde``, ``status``, ``källa``
and ``nivå``), so a downloaded file can be imported again: ``område`` holds the area's name,
the municipality's four-digit code or ``Riket``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kvarter.areas.selectors import access_area_by_id, access_municipality_by_code
from kvarter.core.models import Sex
from kvarter.core.spreadsheet import safe_csv_writer
from kvarter.indicators import api_serializers as out
from kvarter.indicators.models import PERIOD_RE, Indicator, Level
from kvarter.indicators.profile import (
    EQUAL_INTERVAL,
    QUANTILE,
    AreaComparison,
    IndicatorMap,
    area_profile,
    areas_comparison,
    indicator_map,
)
from kvarter.indicators.profile_types import AreaProfile, Point

CSV_COLUMNS = ["indikator", "område", "nivå", "period", "kön", "värde", "status", "källa"]
NATION_PLACE = "Riket"  # how the import contract names the nation in the område column


class CSVRenderer(BaseRenderer):
    """A table (a list of rows, the header first) as CSV; an error answer as a small table."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, dict):  # an error, in the API's one error shape
            errors = data.get("errors", [])
            data = [["code", "field", "message"]] + [
                [e.get("code", ""), e.get("field") or "", e.get("message", "")] for e in errors
            ]
        buffer = io.StringIO()
        writer = safe_csv_writer(buffer, lineterminator="\r\n")
        writer.writerows(data or [])
        return buffer.getvalue().encode("utf-8")


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


def _number(value: float | None) -> str:
    """The value with a decimal point and no exponent; empty for a hidden figure."""
    return "" if value is None else format(Decimal(repr(value)), "f")


def _row(indicator: Indicator, place: str, level: str, sex: str, point: Point) -> list[str]:
    return [
        indicator.code,
        place,
        level,
        point.period,
        sex,
        _number(point.value),
        point.status,
        point.source,
    ]


def _place(level: str, area_name: str, municipality_code: str) -> str:
    if level == Level.AREA:
        return area_name
    return municipality_code if level == Level.MUNICIPALITY else NATION_PLACE


def profile_csv(profile: AreaProfile) -> list[list[str]]:
    rows = [CSV_COLUMNS]
    for one in profile.indicators:
        for series in one.series:
            place = _place(series.level, profile.area.name, profile.municipality.code)
            rows += [_row(one.indicator, place, series.level, series.sex, p) for p in series.points]
    return rows


def comparison_csv(comparison: AreaComparison) -> list[list[str]]:
    rows = [CSV_COLUMNS]
    code = comparison.municipality.code
    for line in comparison.rows:
        place = _place(line.level, line.label, code)
        for column, point in zip(comparison.columns, line.cells, strict=True):
            if point is not None:
                rows.append(_row(column.indicator, place, line.level, comparison.sex, point))
    return rows


def map_geojson(result: IndicatorMap) -> dict[str, Any]:
    features = []
    for item in result.areas:
        point, area_type = item.point, item.area_type
        features.append(
            {
                "type": "Feature",
                "id": item.area.pk,
                "geometry": item.area.boundary,
                "properties": {
                    "id": item.area.pk,
                    "area": item.area.name,
                    "value": point.value if point else None,
                    "status": point.status if point else "missing",
                    "period": result.period,
                    "class": item.map_class,
                    "area_type": area_type.area_type if area_type else None,
                    "area_type_label": str(area_type.get_area_type_display()) if area_type else "",
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "indicator": out.IndicatorBriefSerializer(result.indicator).data,
        "period": result.period,
        "periods": result.periods,
        "sex": result.sex,
        "method": result.method,
        "breaks": result.breaks,
        "municipality": out.point_data(result.municipality_point),
        "nation": out.point_data(result.nation_point),
    }


# --- query parameters --------------------------------------------------------------------------


def validate_period(value: str) -> None:
    if not PERIOD_RE.match(value):
        raise serializers.ValidationError(
            gettext("A period is e.g. 2021, 2021H1, 2021Q3 or 2021M04."), code="invalid_period"
        )


def indicator_by_code(code: str) -> Indicator:
    try:
        return Indicator.objects.get(code=code)
    except Indicator.DoesNotExist as error:
        raise serializers.ValidationError(
            gettext("Unknown indicator: %(code)s") % {"code": code}, code="unknown_indicator"
        ) from error


class ProfileQuery(serializers.Serializer):
    baseline_year = serializers.IntegerField(
        required=False, min_value=1900, max_value=2100, help_text="the year of the baseline"
    )
    indicator = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="catalogue codes; repeat for several (default: all with values for the area)",
    )

    def validate_indicator(self, codes: list[str]) -> list[Indicator]:
        return [indicator_by_code(code) for code in codes]


class ComparisonQuery(serializers.Serializer):
    period = serializers.CharField(required=False, validators=[validate_period])
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.TOTAL)


class MapQuery(ComparisonQuery):
    indicator = serializers.CharField(help_text="the indicator's catalogue code")
    method = serializers.ChoiceField(
        choices=[QUANTILE, EQUAL_INTERVAL],
        default=QUANTILE,
        help_text="quantile: about as many areas in each class; equal: classes of equal width",
    )
    classes = serializers.IntegerField(default=5, min_value=2, max_value=9)

    def validate_indicator(self, code: str) -> Indicator:
        return indicator_by_code(code)


def _query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    params: dict[str, Any] = {
        key: request.query_params.get(key) for key in request.query_params if key != "format"
    }
    if "indicator" in params and serializer_class is ProfileQuery:
        params["indicator"] = request.query_params.getlist("indicator")
    query = serializer_class(data=params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _wants_csv(request: Request) -> bool:
    return request.accepted_renderer.format == CSVRenderer.format


def _csv_response(rows: list[list[str]], name: str) -> Response:
    response = Response(rows)
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "export"}.csv"'
    return response


TABLE_RENDERERS: list[type[BaseRenderer]] = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
CSV_RESPONSE = OpenApiResponse(OpenApiTypes.STR, description="long CSV (import format)")


# --- views ---------------------------------------------------------------------------------


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The indicator catalogue."""

    serializer_class = out.IndicatorSerializer
    queryset = Indicator.objects.all()
    lookup_field = "code"


class AreaProfileView(APIView):
    """An area's indicators over time beside its municipality and the nation, by sex, with
    latest value, change since the baseline and the verdict in words.
    ``?format=csv`` (or ``Accept: text/csv``) gives the same figures as a long CSV."""

    renderer_classes = TABLE_RENDERERS

    @extend_schema(
        operation_id="area_profile",
        parameters=[ProfileQuery],
        responses={
            (200, "application/json"): out.AreaProfileSerializer,
            (200, "text/csv"): CSV_RESPONSE,
        },
    )
    def get(self, request: Request, pk: str) -> Response:
        area = access_area_by_id(request.user, pk)
        query = _query(ProfileQuery, request)
        profile = area_profile(
            actor=request.user,
            area=area,
            indicators=query.get("indicator"),
            baseline_year=query.get("baseline_year"),
        )
        if _wants_csv(request):
            return _csv_response(profile_csv(profile), f"omradesprofil-{area.name}")
        return Response(out.profile_data(profile))


class AreaComparisonView(APIView):
    """All areas of a municipality × indicators, with the municipality and the nation. Each
    column compares one period (``period`` or the latest with figures). JSON or long CSV."""

    renderer_classes = TABLE_RENDERERS

    @extend_schema(
        operation_id="area_comparison",
        parameters=[ComparisonQuery],
        responses={
            (200, "application/json"): out.AreaComparisonSerializer,
            (200, "text/csv"): CSV_RESPONSE,
        },
    )
    def get(self, request: Request, code: str) -> Response:
        municipality = access_municipality_by_code(request.user, code)
        query = _query(ComparisonQuery, request)
        comparison = areas_comparison(
            actor=request.user,
            municipality=municipality,
            period=query.get("period"),
            sex=query["sex"],
        )
        if _wants_csv(request):
            name = f"omradesjamforelse-{municipality.name}"
            return _csv_response(comparison_csv(comparison), name)
        return Response(out.AreaComparisonSerializer(comparison).data)


class IndicatorMapView(APIView):
    """Every area of a municipality coloured by one indicator: a GeoJSON FeatureCollection
    (WGS 84) whose features carry the area's value, status and class (null: no data), with
    the class breaks, the period and the municipality's and nation's figures beside it."""

    renderer_classes: list[type[BaseRenderer]] = [JSONRenderer, GeoJSONRenderer]

    @extend_schema(
        operation_id="indicator_map",
        parameters=[MapQuery],
        responses={
            (200, "application/json"): out.IndicatorMapSerializer,
            (200, "application/geo+json"): out.IndicatorMapSerializer,
        },
    )
    def get(self, request: Request, code: str) -> Response:
        municipality = access_municipality_by_code(request.user, code)
        query = _query(MapQuery, request)
        result = indicator_map(
            actor=request.user,
            municipality=municipality,
            indicator=query["indicator"],
            period=query.get("period"),
            sex=query["sex"],
            method=query["method"],
            classes=query["classes"],
        )
        return Response(map_geojson(result))


api_urlpatterns = [
    path("areas/<str:pk>/profile/", AreaProfileView.as_view(), name="area-profile"),
    path(
        "municipalities/<str:code>/area-comparison/",
        AreaComparisonView.as_view(),
        name="area-comparison",
    ),
    path(
        "municipalities/<str:code>/indicator-map/",
        IndicatorMapView.as_view(),
        name="indicator-map",
    ),
]
