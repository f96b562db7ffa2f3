"""API for deployments: /api/v1/est/deployments/ (list for a week and areas, create, edit,
outcome by PATCH of ``outcome``/``outcome_note``).

The same services as the pages: only the area's EST members read and write; a deployment of
another area answers 404 like a missing one; a write elsewhere 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area
from kvarter.core.error_codes import error
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.safety.deployments.selectors import (
    access_deployment_by_id,
    deployment_list,
    iso_week_range,
)
from kvarter.safety.deployments.services import (
    EDITABLE_FIELDS,
    deployment_create,
    deployment_update,
)
from kvarter.safety.deployments.views import parse_week
from kvarter.safety.models import Deployment, Outcome, Place, Resource


class DeploymentSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True, default=None)
    resource_name = serializers.CharField(source="resource.name", read_only=True)

    class Meta:
        model = Deployment
        fields = [
            "id",
            "version",
            "area",
            "area_name",
            "place",
            "place_name",
            "resource",
            "resource_name",
            "starts_on",
            "ends_on",
            "weekdays",
            "time_from",
            "time_to",
            "purpose",
            "decided_on",
            "outcome",
            "outcome_note",
        ]
        read_only_fields = fields


class DeploymentWriteSerializer(serializers.Serializer):
    area = serializers.IntegerField()
    resource = serializers.IntegerField()
    place = serializers.IntegerField(required=False, allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    weekdays = serializers.ListField(child=serializers.IntegerField(), required=False)
    time_from = serializers.TimeField(required=False, allow_null=True)
    time_to = serializers.TimeField(required=False, allow_null=True)
    purpose = serializers.CharField(max_length=1000)


class DeploymentUpdateSerializer(DeploymentWriteSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    outcome_note = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


def _rows(data: dict[str, Any], municipality_id: int) -> dict[str, Any]:
    """Ids → rows of the municipality; an unknown id is refused without saying why."""
    out = dict(data)
    lookups = {
        "area": Area.objects.filter(municipality_id=municipality_id),
        "resource": Resource.objects.filter(municipality_id=municipality_id),
        "place": Place.objects.filter(area__municipality_id=municipality_id),
    }
    for name, queryset in lookups.items():
        if name not in out or out[name] is None:
            continue
        row = queryset.filter(pk=out[name]).first()
        if row is None:
            raise ValidationError({name: error("does_not_exist")})
        out[name] = row
    return out


week_query = OpenApiParameter("week", OpenApiTypes.STR, description="ISO week, e.g. 2026-W48")
area_query = OpenApiParameter("area", OpenApiTypes.INT, many=True, description="area ids")
municipality_query = OpenApiParameter(
    "municipality", OpenApiTypes.INT, description="the municipality's id"
)


class DeploymentViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = DeploymentSerializer
    requires_login = True
    queryset = Deployment.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_object(self) -> Deployment:
        return access_deployment_by_id(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=[municipality_query, week_query, area_query])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not request.user.is_authenticated:
            raise NotFoundOrForbidden()
        municipality = request.query_params.get("municipality")
        if municipality is None or not str(municipality).isdigit():
            organisation = getattr(request.user, "organisation", None)
            if organisation is None:
                raise ApiValidationError(
                    {"municipality": gettext("Give ?municipality=ID")},
                    code="required",
                )
            municipality_id = organisation.municipality_id
        else:
            municipality_id = int(municipality)
        year, week = parse_week(request.query_params.get("week"))
        monday, sunday = iso_week_range(year, week)
        areas = [int(a) for a in request.query_params.getlist("area") if a.isdigit()]
        deployments = deployment_list(
            actor=request.user,
            municipality_id=municipality_id,
            area_ids=areas or None,
            start=monday,
            end=sunday,
        )
        page = self.paginate_queryset(deployments)
        if page is not None:
            return self.get_paginated_response(DeploymentSerializer(page, many=True).data)
        return Response(DeploymentSerializer(deployments, many=True).data)

    @extend_schema(request=DeploymentWriteSerializer, responses={201: DeploymentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = DeploymentWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        area = Area.objects.filter(pk=incoming.validated_data["area"]).first()
        if area is None:
            raise ValidationError({"area": error("does_not_exist")})
        data = _rows(incoming.validated_data, area.municipality_id)
        if not resolver_for(request.user).can_plan_deployments(area):
            raise PermissionDenied(code="not_est_member")
        deployment = deployment_create(actor=request.user, **data)
        return Response(DeploymentSerializer(deployment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DeploymentUpdateSerializer, responses={200: DeploymentSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        deployment = self.get_object()
        incoming = DeploymentUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version", None)
        data = _rows(data, deployment.area.municipality_id)
        data = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
        updated, _changed = deployment_update(
            actor=request.user,
            deployment=deployment,
            data=data,
            expected_version=version,
        )
        return Response(DeploymentSerializer(updated).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)
