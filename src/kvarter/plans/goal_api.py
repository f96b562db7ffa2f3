"""API for the goal hierarchy: visions, goals, their criteria and hand-entered indicator series.

Reads are for those who may read the municipality's plans (others get 404); writes go through
:mod:`kvarter.plans.goal_services`, so permissions (403), version checks (409) and the audit log
are the same as on the pages. Edits send the ``version`` they read.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kvarter.areas.models import Area, Municipality
from kvarter.core.models import Sex
from kvarter.plans import goal_services as services
from kvarter.plans.goal_selectors import (
    access,
    visible_goals,
    visible_plan_ids,
    visible_qualitative,
    visible_quantitative,
    visible_series,
    visible_visions,
)
from kvarter.plans.models import (
    Direction,
    Goal,
    GoalArea,
    IndicatorSeries,
    QualitativeCriterion,
    QuantitativeCriterion,
    SeriesValue,
    Vision,
)


def reference(queryset: Any, pk: Any, field: str) -> Any:
    """The row ``pk`` named in a request body, among those the caller may read; else a 400
    on ``field`` with code ``not_found``."""
    found = queryset.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ApiValidationError(
            {field: "Finns inte / Not found (or not yours to use)."}, code="not_found"
        )
    return found


def int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError as error:
        raise ApiValidationError({name: "Ange ett id / Give an id."}, code="invalid") from error


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
            raise ApiValidationError({"municipality": "Okänd kommun / Unknown municipality."})
        vision = services.vision_create(
            acting_user=request.user, municipality=municipality, **data
        )
        return Response(VisionSerializer(vision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VisionUpdateSerializer, responses=VisionSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        vision = self.get_object()
        incoming = VisionUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version")
        updated, _ = services.vision_update(
            acting_user=request.user, vision=vision, data=data, expected_version=version
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
        goal = services.goal_create(acting_user=request.user, goal_area=goal_area, data=data)
        return Response(GoalSerializer(goal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GoalUpdateSerializer, responses=GoalSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        goal = self.get_object()
        incoming = GoalUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version")
        updated, _ = services.goal_update(
            acting_user=request.user, goal=goal, data=data, expected_version=version
        )
        return Response(GoalSerializer(updated).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.goal_delete(acting_user=request.user, goal=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- criteria ----------------------------------------------------------------------------------


class QuantitativeCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuantitativeCriterion
        fields = [
            "id",
            "goal",
            "position",
            "series",
            "direction",
            "baseline_year",
            "target_year",
            "target_value",
            "target_value_women",
            "target_value_men",
            "predecessor",
            "version",
        ]
        read_only_fields = fields


def _target() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14, decimal_places=4, allow_null=True, required=False
    )


class QuantitativeWriteSerializer(serializers.Serializer):
    """POST needs ``goal``; PATCH needs ``version`` (the one read)."""

    goal = serializers.IntegerField(required=False)
    version = serializers.IntegerField(min_value=1, required=False)
    position = serializers.IntegerField(min_value=1, max_value=99, required=False)
    series = serializers.IntegerField(required=False)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    baseline_year = serializers.IntegerField(min_value=1900, max_value=2100, required=False)
    target_year = serializers.IntegerField(min_value=1900, max_value=2100, required=False)
    target_value = _target()
    target_value_women = _target()
    target_value_men = _target()


class QualitativeCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = QualitativeCriterion
        fields = ["id", "goal", "letter", "text", "predecessor", "version"]
        read_only_fields = fields


class QualitativeWriteSerializer(serializers.Serializer):
    """POST needs ``goal`` and ``text``; PATCH needs ``version`` (the one read)."""

    goal = serializers.IntegerField(required=False)
    version = serializers.IntegerField(min_value=1, required=False)
    letter = serializers.CharField(max_length=2, required=False)
    text = serializers.CharField(required=False)


class CriterionViewSet(mixins.DestroyModelMixin, GoalWriteMixin, BaseViewSet):
    """Shared by both kinds of criteria: ``?goal=`` or ``?plan=`` narrows the list."""

    write_serializer: type[serializers.Serializer]
    create_required: tuple[str, ...] = ("goal",)

    def get_queryset(self) -> Any:
        criteria = self.visible()
        goal_id, plan_id = int_param(self.request, "goal"), int_param(self.request, "plan")
        if goal_id is not None:
            criteria = criteria.filter(goal_id=goal_id)
        if plan_id is not None:
            criteria = criteria.filter(goal__goal_area__plan_id=plan_id)
        return criteria

    @extend_schema(parameters=[goal_filter, plan_filter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _incoming(self, request: Request, required: tuple[str, ...]) -> dict[str, Any]:
        incoming = self.write_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        missing = {f: "Obligatoriskt / Required." for f in required if f not in data}
        if missing:
            raise ApiValidationError(missing, code="required")
        if "series" in data:
            data["series"] = reference(visible_series(request.user), data["series"], "series")
        return data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._incoming(request, self.create_required)
        data.pop("version", None)
        goal = reference(visible_goals(request.user), data.pop("goal"), "goal")
        created = self.create_criterion(request, goal, data)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        criterion = self.get_object()
        data = self._incoming(request, ("version",))
        data.pop("goal", None)
        version = data.pop("version")
        updated, _ = self.update_criterion(request, criterion, data, version)
        return Response(self.get_serializer(updated).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.criterion_delete(acting_user=request.user, criterion=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def create_criterion(self, request: Request, goal: Goal, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update_criterion(
        self, request: Request, criterion: Any, data: dict[str, Any], version: int
    ) -> Any:
        raise NotImplementedError


@extend_schema(
    methods=["post"],
    request=QuantitativeWriteSerializer,
    responses={201: QuantitativeCriterionSerializer},
)
@extend_schema(
    methods=["patch"],
    request=QuantitativeWriteSerializer,
    responses=QuantitativeCriterionSerializer,
)
class QuantitativeCriterionViewSet(CriterionViewSet):
    serializer_class = QuantitativeCriterionSerializer
    write_serializer = QuantitativeWriteSerializer
    create_required = ("goal", "series", "baseline_year", "target_year")
    queryset = QuantitativeCriterion.objects.none()

    def visible(self) -> Any:
        return visible_quantitative(self.request.user)

    def create_criterion(self, request: Request, goal: Goal, data: dict[str, Any]) -> Any:
        return services.quantitative_criterion_create(
            acting_user=request.user, goal=goal, data=data
        )

    def update_criterion(
        self, request: Request, criterion: Any, data: dict[str, Any], version: int
    ) -> Any:
        return services.quantitative_criterion_update(
            acting_user=request.user, criterion=criterion, data=data, expected_version=version
        )


@extend_schema(
    methods=["post"],
    request=QualitativeWriteSerializer,
    responses={201: QualitativeCriterionSerializer},
)
@extend_schema(
    methods=["patch"],
    request=QualitativeWriteSerializer,
    responses=QualitativeCriterionSerializer,
)
class QualitativeCriterionViewSet(CriterionViewSet):
    serializer_class = QualitativeCriterionSerializer
    write_serializer = QualitativeWriteSerializer
    create_required = ("goal", "text")
    queryset = QualitativeCriterion.objects.none()

    def visible(self) -> Any:
        return visible_qualitative(self.request.user)

    def create_criterion(self, request: Request, goal: Goal, data: dict[str, Any]) -> Any:
        return services.qualitative_criterion_create(
            acting_user=request.user, goal=goal, data=data
        )

    def update_criterion(
        self, request: Request, criterion: Any, data: dict[str, Any], version: int
    ) -> Any:
        return services.qualitative_criterion_update(
            acting_user=request.user, criterion=criterion, data=data, expected_version=version
        )


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
        with transaction.atomic():
            for item in incoming.validated_data["values"]:
                services.series_value_set(acting_user=request.user, series=series, **item)
        return Response(IndicatorSeriesSerializer(self.get_object()).data)
