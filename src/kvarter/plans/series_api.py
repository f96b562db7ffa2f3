"""API for indicator series entered by hand, with their values (year, sex T/K/M, value).
Same rules as :mod:`goal_api`: read for those who may read the plans, write through services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kvarter.areas.models import Area, Municipality
from kvarter.core.models import Sex
from kvarter.plans import goal_services as services
from kvarter.plans.goal_api import (
    BaseViewSet,
    GoalWriteMixin,
    municipality_filter,
    reference,
)
from kvarter.plans.goal_selectors import (
    visible_series,
)
from kvarter.plans.models import (
    IndicatorSeries,
    SeriesValue,
)
from kvarter.plans.series_services import series_values_set

# --- indicator series --------------------------------------------------------------------------


class SeriesValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = SeriesValue
        fields = ["year", "sex", "value"]


class IndicatorSeriesSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", read_only=True)
    values = SeriesValueSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorSeries
        fields = ["id", "municipality", "area", "name", "unit", "description", "values", "version"]
        read_only_fields = fields


class SeriesWriteSerializer(serializers.Serializer):
    """POST needs ``municipality`` (code) and ``name``; PATCH needs ``version``."""

    municipality = serializers.CharField(required=False)
    version = serializers.IntegerField(min_value=1, required=False)
    area = serializers.IntegerField(allow_null=True, required=False)
    name = serializers.CharField(max_length=200, required=False)
    unit = serializers.CharField(max_length=50, allow_blank=True, required=False)
    description = serializers.CharField(allow_blank=True, required=False)


class SeriesValueWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.TOTAL)
    value = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)


class SeriesValuesSerializer(serializers.Serializer):
    """Values to set; ``value: null`` removes that year's value. All or nothing."""

    values = SeriesValueWriteSerializer(many=True)


class IndicatorSeriesViewSet(GoalWriteMixin, BaseViewSet):
    """Indicator series entered by hand, with their values (year, sex T/K/M, value)."""

    serializer_class = IndicatorSeriesSerializer
    queryset = IndicatorSeries.objects.none()

    def visible(self) -> Any:
        return visible_series(self.request.user).prefetch_related("values")

    def get_queryset(self) -> Any:
        series = self.visible()
        code = self.request.query_params.get("municipality")
        return series.filter(municipality__code=code) if code else series

    @extend_schema(parameters=[municipality_filter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _incoming(self, request: Request) -> dict[str, Any]:
        incoming = SeriesWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        if data.get("area") is not None:
            # Areas are public; the model refuses an area of another municipality.
            data["area"] = reference(Area.objects.all(), data["area"], "area")
        return data

    @extend_schema(request=SeriesWriteSerializer, responses={201: IndicatorSeriesSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._incoming(request)
        data.pop("version", None)
        required = ("municipality", "name")
        missing = {f: "Obligatoriskt / Required." for f in required if f not in data}
        if missing:
            raise ApiValidationError(missing, code="required")
        municipality = Municipality.objects.filter(code=data.pop("municipality")).first()
        if municipality is None:
            raise ApiValidationError({"municipality": "Okänd kommun / Unknown municipality."})
        series = services.series_create(
            acting_user=request.user, municipality=municipality, **data
        )
        return Response(IndicatorSeriesSerializer(series).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SeriesWriteSerializer, responses=IndicatorSeriesSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        series = self.get_object()
        data = self._incoming(request)
        data.pop("municipality", None)
        if "version" not in data:
            raise ApiValidationError({"version": "Obligatoriskt / Required."}, code="required")
        version = data.pop("version")
        services.series_update(
            acting_user=request.user, series=series, data=data, expected_version=version
        )
        return Response(IndicatorSeriesSerializer(self.get_object()).data)

    @extend_schema(request=SeriesValuesSerializer, responses=IndicatorSeriesSerializer)
    @action(detail=True, methods=["post"], url_path="values")
    def set_values(self, request: Request, pk: str) -> Response:
        """Set values of the series; ``value: null`` removes one. All are set, or none."""
        series = self.get_object()
        incoming = SeriesValuesSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        series_values_set(
            acting_user=request.user,
            series=series,
            values=[(v["year"], v["sex"], v["value"]) for v in incoming.validated_data["values"]],
        )
        return Response(IndicatorSeriesSerializer(self.get_object()).data)
