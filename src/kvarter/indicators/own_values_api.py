"""API for the municipality's own figures: read and set the yearly values of an own-figures
indicator at one place (the whole municipality or one of its areas), by sex.

``GET /api/v1/own-values/?municipality=0580&indicator=<code>[&area=<id>]`` lists the values;
``POST`` to the same list with ``{"municipality", "indicator", "area", "values": [{"year",
"sex", "value"}], "state"?}`` sets them, all or none (``value: null`` removes one). ``state``,
when sent, is the ``state`` read with the values; a save after someone else's change is
refused (409). Only own-figures indicators take values here; SCB and Kolada come by import.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kvarter.api.schema import AutoSchema
from kvarter.areas.models import Area, Municipality
from kvarter.core.error_codes import message
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.core.models import Sex
from kvarter.indicators.models import Indicator
from kvarter.indicators.own_values_selectors import (
    access_area,
    access_own_indicator,
    access_own_values_municipality,
    place_values,
    values_fingerprint,
)
from kvarter.indicators.own_values_services import own_values_set


class OwnValueSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.TOTAL)
    value = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)


class OwnValueReadSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    sex = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    status = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    retrieved_on = serializers.DateField()


class OwnValuesSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="the municipality's code, e.g. 0580")
    indicator = serializers.CharField(help_text="the own-figures indicator's code")
    area = serializers.IntegerField(allow_null=True, help_text="null: the whole municipality")
    state = serializers.CharField(help_text="send it back to refuse a save over a change")
    values = OwnValueReadSerializer(many=True)


class OwnValuesWriteSerializer(serializers.Serializer):
    municipality = serializers.CharField()
    indicator = serializers.CharField()
    area = serializers.IntegerField(allow_null=True, required=False)
    state = serializers.CharField(required=False)
    values = OwnValueSerializer(many=True)


def _place(user: Any, municipality: Any, indicator: Any, area: Any) -> tuple[Any, ...]:
    found = access_own_values_municipality(user, municipality)
    return found, access_own_indicator(str(indicator or "")), access_area(found, area)


def _answer(municipality: Municipality, indicator: Indicator, area: Area | None) -> dict:
    return {
        "municipality": municipality.code,
        "indicator": indicator.code,
        "area": area.pk if area else None,
        "state": values_fingerprint(indicator, municipality, area),
        "values": [
            {
                "year": v.year,
                "sex": v.sex,
                "value": v.value,
                "status": v.status,
                "source": v.source,
                "retrieved_on": v.retrieved_on,
            }
            for v in place_values(indicator, municipality, area)
        ],
    }


class _OnePlaceSchema(AutoSchema):
    """``GET`` on the list answers one object (one place's values), not an array of them."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class OwnValuesViewSet(viewsets.ViewSet):
    """The municipality's own figures for one indicator and place."""

    requires_login = True
    schema = _OnePlaceSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter("municipality", OpenApiTypes.STR, required=True),
            OpenApiParameter("indicator", OpenApiTypes.STR, required=True),
            OpenApiParameter("area", OpenApiTypes.INT, description="empty: the municipality"),
        ],
        responses=OwnValuesSerializer,
    )
    def list(self, request: Request) -> Response:
        params = request.query_params
        municipality, indicator, area = _place(
            request.user, params.get("municipality"), params.get("indicator"), params.get("area")
        )
        return Response(OwnValuesSerializer(_answer(municipality, indicator, area)).data)

    @extend_schema(request=OwnValuesWriteSerializer, responses=OwnValuesSerializer)
    def create(self, request: Request) -> Response:
        incoming = OwnValuesWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            municipality, indicator, area = _place(
                request.user, data["municipality"], data["indicator"], data.get("area")
            )
        except NotFoundOrForbidden as error:
            raise ApiValidationError(
                {"indicator": message("not_found")}, code="not_found"
            ) from error
        own_values_set(
            actor=request.user,
            indicator=indicator,
            municipality=municipality,
            area=area,
            values=[(v["year"], v["sex"], v["value"]) for v in data["values"]],
            expected_state=data.get("state"),
        )
        return Response(OwnValuesSerializer(_answer(municipality, indicator, area)).data)
