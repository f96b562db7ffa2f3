"""API for action plans, their goal areas and measures.

Reads go through the plans' selectors (so an area coordinator sees the same measures as on
the pages); writes go through the services (so permissions, version checks and the audit log
are the same whichever door is used). A plan the user may not read answers 404, like a missing
one; a write the user may not make, 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kvarter.accounts.models import Organisation
from kvarter.areas.models import Area, Municipality
from kvarter.core.error_codes import error
from kvarter.plans.api_serializers import (
    GoalAreaCreateSerializer,
    GoalAreaDetailSerializer,
    GoalAreaUpdateSerializer,
    MeasureCreateSerializer,
    MeasureSerializer,
    MeasureUpdateSerializer,
    PlanCreateSerializer,
    PlanSerializer,
    PlanUpdateSerializer,
)
from kvarter.plans.models import Goal, GoalArea, Measure, Plan
from kvarter.plans.selectors import (
    access_goal_area_by_id,
    access_measure_by_id,
    access_plan_by_id,
    id_or_not_found,
    visible_measures,
    visible_plans,
)
from kvarter.plans.services import (
    goal_area_create,
    goal_area_update,
    measure_create,
    measure_delete,
    measure_update,
    plan_create,
    plan_update,
)


def _plan_query(request: Request) -> Plan:
    plan_id = request.query_params.get("plan")
    if plan_id is None:
        raise ApiValidationError({"plan": gettext("Give the plan: ?plan=ID")}, code="required")
    return access_plan_by_id(request.user, plan_id)


def _invalid(
    field: str, code: str, message: Promise | None = None, **params: Any
) -> ValidationError:
    return ValidationError({field: error(code, message, **params)})


def _all_found(field: str, queryset: QuerySet[Any], ids: list[int]) -> list[Any]:
    """The rows with ``ids`` among ``queryset``; an id not there is refused (no hint why)."""
    found = list(queryset.filter(pk__in=ids))
    missing = sorted(set(ids) - {row.pk for row in found})
    if missing:
        raise _invalid(
            field,
            "does_not_exist",
            gettext_lazy("Unknown id: %(ids)s"),
            ids=", ".join(map(str, missing)),
        )
    return found


def _measure_data(plan: Plan, incoming: dict[str, Any]) -> dict[str, Any]:
    """Validated API fields → the services' data: numbers and ids become rows."""
    data = dict(incoming)
    if "goal_area" in data:
        goal_area = plan.goal_areas.filter(number=data["goal_area"]).first()
        if goal_area is None:
            raise _invalid("goal_area", "unknown_goal_area")
        data["goal_area"] = goal_area
    if "areas" in data:
        # Areas are public: one of another municipality is named as such by the service.
        data["areas"] = _all_found("areas", Area.objects.all(), data["areas"])
    if "responsible_units" in data:
        units = Organisation.objects.filter(municipality_id=plan.municipality_id)
        data["responsible_units"] = _all_found(
            "responsible_units", units, data["responsible_units"]
        )
    if "goals" in data:
        goals = Goal.objects.filter(goal_area__plan=plan).select_related("goal_area")
        data["goals"] = _all_found("goals", goals, data["goals"])
    return data


plan_filter = OpenApiParameter(
    "plan", OpenApiTypes.INT, description="the plan's id", required=True
)
version_query = OpenApiParameter(
    "version", OpenApiTypes.INT, description="the version the client read; checked when given"
)


class PlanViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    requires_login = True
    queryset = Plan.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return visible_plans(self.request.user)

    def get_object(self) -> Plan:
        return access_plan_by_id(self.request.user, self.kwargs["pk"])

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = PlanCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        municipality = Municipality.objects.filter(code=data.pop("municipality")).first()
        if municipality is None:
            raise _invalid(
                "municipality", "does_not_exist", gettext_lazy("Unknown municipality code.")
            )
        plan = plan_create(actor=request.user, municipality=municipality, **data)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanUpdateSerializer, responses=PlanSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        plan = self.get_object()
        incoming = PlanUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version")
        updated, _ = plan_update(
            actor=request.user, plan=plan, data=data, expected_version=version
        )
        return Response(PlanSerializer(access_plan_by_id(request.user, updated.pk)).data)


class GoalAreaViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Goal areas of one plan (``?plan=``)."""

    serializer_class = GoalAreaDetailSerializer
    requires_login = True
    queryset = GoalArea.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return _plan_query(self.request).goal_areas.order_by("number")

    def get_object(self) -> GoalArea:
        return access_goal_area_by_id(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=[plan_filter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=GoalAreaCreateSerializer, responses={201: GoalAreaDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = GoalAreaCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        plan = access_plan_by_id(request.user, data.pop("plan"))
        created = goal_area_create(actor=request.user, plan=plan, **data)
        return Response(GoalAreaDetailSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GoalAreaUpdateSerializer, responses=GoalAreaDetailSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        goal_area = self.get_object()
        incoming = GoalAreaUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version")
        updated, _ = goal_area_update(
            actor=request.user, goal_area=goal_area, data=data, expected_version=version
        )
        return Response(GoalAreaDetailSerializer(updated).data)


class MeasureViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Measures of one plan (``?plan=``), limited to the areas the user follows."""

    serializer_class = MeasureSerializer
    requires_login = True
    queryset = Measure.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        measures = visible_measures(self.request.user, _plan_query(self.request))
        return measures.select_related("goal_area").prefetch_related(
            "areas", "responsible_units", "goals"
        )

    def get_object(self) -> Measure:
        return access_measure_by_id(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=[plan_filter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=MeasureCreateSerializer, responses={201: MeasureSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = MeasureCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        plan = access_plan_by_id(request.user, data.pop("plan"))
        created = measure_create(
            actor=request.user, plan=plan, data=_measure_data(plan, data)
        )
        return Response(MeasureSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeasureUpdateSerializer, responses=MeasureSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        measure = self.get_object()
        incoming = MeasureUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version")
        updated, _ = measure_update(
            actor=request.user,
            measure=measure,
            data=_measure_data(measure.plan, data),
            expected_version=version,
        )
        return Response(MeasureSerializer(updated).data)

    @extend_schema(parameters=[version_query], responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete a measure; refused (``measure_has_reports``) once a round has reported on it."""
        measure = self.get_object()
        version = request.query_params.get("version")
        measure_delete(
            actor=request.user,
            measure=measure,
            expected_version=id_or_not_found(version) if version is not None else None,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
