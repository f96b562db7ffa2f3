"""API for the goal hierarchy: visions and goals, and the helpers the criteria
(:mod:`criterion_api`) and the own figures (:mod:`kvarter.indicators.own_values_api`) share.

Reads are for those who may read the municipality's plans (others get 404); writes go through
:mod:`kvarter.plans.goal_services`, so permissions (403), version checks (409) and the audit log
are the same as on the pages. Edits send the ``version`` they read.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kvarter.areas.models import Municipality
from kvarter.core.error_codes import message
from kvarter.plans import goal_services as services
from kvarter.plans.goal_selectors import (
    access,
    visible_goals,
    visible_plan_ids,
    visible_visions,
)
from kvarter.plans.models import (
    Goal,
    GoalArea,
    Vision,
)


def reference(queryset: Any, pk: Any, field: str) -> Any:
    """The row ``pk`` named in a request body, among those the caller may read; else a 400
    on ``field`` with code ``not_found``."""
    found = queryset.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ApiValidationError(
            {field: message("not_found")}, code="not_found"
        )
    return found


def int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError as error:
        raise ApiValidationError({name: gettext("Give an id.")}, code="invalid") from error


class GoalWriteMixin(mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Create (POST) and edit (PATCH, with ``version``); the subclasses call the services."""


class BaseViewSet(viewsets.ReadOnlyModelViewSet):
    requires_login = True
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def visible(self) -> Any:
        raise NotImplementedError

    def get_object(self) -> Any:
        return access(self.visible(), self.kwargs["pk"])


# --- visions -----------------------------------------------------------------------------------


class VisionSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", read_only=True)

    class Meta:
        model = Vision
        fields = ["id", "municipality", "title", "description", "version"]
        read_only_fields = ["id", "version"]


class VisionCreateSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="the municipality's code, e.g. 0580")
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(allow_blank=True, required=False, default="")


class VisionUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(allow_blank=True, required=False)


municipality_filter = OpenApiParameter(
    "municipality", OpenApiTypes.STR, description="the municipality's code"
)


class VisionViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = VisionSerializer
    requires_login = True
    queryset = Vision.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        visions = visible_visions(self.request.user)
        code = self.request.query_params.get("municipality")
        return visions.filter(municipality__code=code) if code else visions

    def get_object(self) -> Vision:
        return access(visible_visions(self.request.user), self.kwargs["pk"])

    @extend_schema(parameters=[municipality_filter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=VisionCreateSerializer, responses={201: VisionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = VisionCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        municipality = Municipality.objects.filter(code=data.pop("municipality")).first()
        if municipality is None:
            raise ApiValidationError(
                {"municipality": gettext("Unknown municipality.")}, code="does_not_exist"
            )
        vision = services.vision_create(actor=request.user, municipality=municipality, **data)
        return Response(VisionSerializer(vision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VisionUpdateSerializer, responses=VisionSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        vision = self.get_object()
        incoming = VisionUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version")
        updated, _ = services.vision_update(
            actor=request.user, vision=vision, data=data, expected_version=version
        )
        return Response(VisionSerializer(updated).data)


# --- goals -------------------------------------------------------------------------------------


class GoalSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="goal_area.plan_id", read_only=True)
    code = serializers.CharField(read_only=True, help_text="'1.2': goal area and goal")

    class Meta:
        model = Goal
        fields = [
            "id",
            "plan",
            "goal_area",
            "code",
            "number",
            "title",
            "description",
            "predecessor",
            "version",
        ]
        read_only_fields = fields


class GoalCreateSerializer(serializers.Serializer):
    goal_area = serializers.IntegerField()
    number = serializers.IntegerField(min_value=1, max_value=999)
    title = serializers.CharField(max_length=500)
    description = serializers.CharField(allow_blank=True, required=False, default="")


class GoalUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    number = serializers.IntegerField(min_value=1, max_value=999, required=False)
    title = serializers.CharField(max_length=500, required=False)
    description = serializers.CharField(allow_blank=True, required=False)


plan_filter = OpenApiParameter("plan", OpenApiTypes.INT, description="the plan's id")
goal_filter = OpenApiParameter("goal", OpenApiTypes.INT, description="the goal's id")


class GoalViewSet(mixins.DestroyModelMixin, GoalWriteMixin, BaseViewSet):
    """The goals of the plans the caller may read; ``?plan=`` keeps one plan's."""

    serializer_class = GoalSerializer
    queryset = Goal.objects.none()

    def visible(self) -> Any:
        return visible_goals(self.request.user)

    def get_queryset(self) -> Any:
        goals = self.visible().order_by("goal_area__plan_id", "goal_area__number", "number")
        plan_id = int_param(self.request, "plan")
        return goals.filter(goal_area__plan_id=plan_id) if plan_id is not None else goals

    @extend_schema(parameters=[plan_filter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=GoalCreateSerializer, responses={201: GoalSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = GoalCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        goal_areas = GoalArea.objects.filter(plan__in=visible_plan_ids(request.user))
        goal_area = reference(goal_areas.select_related("plan"), data.pop("goal_area"), "goal_area")
        goal = services.goal_create(actor=request.user, goal_area=goal_area, data=data)
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GoalUpdateSerializer, responses=GoalSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        goal = self.get_object()
        incoming = GoalUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version")
        updated, _ = services.goal_update(
            actor=request.user, goal=goal, data=data, expected_version=version
        )
        return Response(GoalSerializer(updated).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.goal_delete(actor=request.user, goal=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
