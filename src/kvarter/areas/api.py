"""Read-only API for municipalities and areas (public information)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kvarter.areas.geojson import feature_collection
from kvarter.areas.models import Area, Municipality
from kvarter.areas.selectors import (
    access_area_by_id,
    access_municipality_by_code,
    area_list,
    current_classification,
    municipality_list,
)


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["code", "name"]


class PoliceClassificationSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    classification = serializers.CharField()


class AreaSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code")
    statistical_units = serializers.SerializerMethodField()
    police_classification = serializers.SerializerMethodField()
    police_classification_history = PoliceClassificationSerializer(
        source="police_classifications", many=True
    )

    class Meta:
        model = Area
        fields = [
            "id",
            "municipality",
            "name",
            "description",
            "population",
            "population_year",
            "statistical_units",
            "police_classification",
            "police_classification_history",
            "boundary",
            "version",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_statistical_units(self, area: Area) -> list[str]:
        return [unit.code for unit in area.statistical_units.all()]

    @extend_schema_field(PoliceClassificationSerializer(allow_null=True))
    def get_police_classification(self, area: Area) -> dict[str, Any] | None:
        current = current_classification(area)
        return {"year": current.year, "classification": current.classification} if current else None


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MunicipalitySerializer
    lookup_field = "code"

    def get_queryset(self) -> Any:
        return municipality_list(actor=self.request.user)

    def get_object(self) -> Municipality:
        return access_municipality_by_code(self.request.user, self.kwargs["code"])


municipality_filter = OpenApiParameter(
    "municipality", OpenApiTypes.STR, description="four-digit municipality code"
)


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AreaSerializer

    def get_queryset(self) -> Any:
        areas = area_list(actor=self.request.user)
        code = self.request.query_params.get("municipality")
        return areas.filter(municipality__code=code) if code else areas

    def get_object(self) -> Area:
        return access_area_by_id(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=[municipality_filter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[municipality_filter],
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT},
    )
    @action(detail=False, url_path="geojson")
    def geojson(self, request: Request) -> Response:
        """All areas as a GeoJSON FeatureCollection (WGS 84)."""
        return Response(feature_collection(self.get_queryset()))
