"""API for action plans and their measures.

Reads go through the follow-up selectors (so an area coordinator sees the same measures as on
the pages); writes go through the services (so permissions, version checks and the audit log
are the same whichever door is used).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kvarter.accounts.permissions import resolver_for
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.followup.selectors import visible_measures
from kvarter.plans.models import GoalArea, Measure, Plan
from kvarter.plans.services import measure_update


def visible_plans(user: Any) -> Any:
    """The plans of the municipalities whose plans ``user`` may read."""
    ids = resolver_for(user).municipality_ids_with_plans()
    plans = Plan.objects.select_related("municipality").prefetch_related("goal_areas")
    return plans if ids is None else plans.filter(municipality_id__in=ids)


def plan_or_404(user: Any, plan_id: Any) -> Plan:
    plan = visible_plans(user).filter(pk=int_or_404(plan_id)).first()
    if plan is None:
        raise NotFoundOrForbidden()
    return plan


def int_or_404(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise NotFoundOrForbidden() from error


class GoalAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = GoalArea
        fields = ["id", "number", "name"]


class PlanSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code")
    goal_areas = GoalAreaSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "municipality",
            "name",
            "start_year",
            "end_year",
            "status",
            "decision_reference",
            "predecessor",
            "goal_areas",
            "version",
        ]


class MeasureSerializer(serializers.ModelSerializer):
    goal_area = serializers.IntegerField(source="goal_area.number", read_only=True)
    areas: Any = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    responsible_units: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "plan",
            "number",
            "goal_area",
            "title",
            "description",
            "areas",
            "responsible_text",
            "responsible_units",
            "partners",
            "financing",
            "amount",
            "start_date",
            "end_date",
            "extra",
            "predecessor",
            "version",
        ]
        read_only_fields = ["id", "plan", "number", "goal_area", "predecessor", "version"]


class MeasureUpdateSerializer(serializers.Serializer):
    """The editable text fields; ``version`` is the version the client read."""

    version = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=500, required=False)
    description = serializers.CharField(allow_blank=True, required=False)
    responsible_text = serializers.CharField(max_length=500, allow_blank=True, required=False)
    partners = serializers.CharField(allow_blank=True, required=False)
    financing = serializers.CharField(allow_blank=True, required=False)
    amount = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    start_date = serializers.DateField(allow_null=True, required=False)
    end_date = serializers.DateField(allow_null=True, required=False)


plan_filter = OpenApiParameter("plan", OpenApiTypes.INT, description="the plan's id")


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    requires_login = True
    queryset = Plan.objects.none()

    def get_queryset(self) -> Any:
        return visible_plans(self.request.user)

    def get_object(self) -> Plan:
        return plan_or_404(self.request.user, self.kwargs["pk"])


class MeasureViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Measures of one plan (``?plan=``), limited to the areas the user follows."""

    serializer_class = MeasureSerializer
    requires_login = True
    queryset = Measure.objects.none()
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        plan_id = self.request.query_params.get("plan")
        if plan_id is None:
            raise ApiValidationError({"plan": "Ange planen / Give the plan: ?plan=ID"})
        measures = visible_measures(self.request.user, plan_or_404(self.request.user, plan_id))
        return measures.select_related("goal_area").prefetch_related("areas", "responsible_units")

    def get_object(self) -> Measure:
        measure = (
            Measure.objects.filter(pk=int_or_404(self.kwargs["pk"])).select_related("plan").first()
        )
        if measure is None:
            raise NotFoundOrForbidden()
        plan = plan_or_404(self.request.user, measure.plan_id)
        visible = visible_measures(self.request.user, plan)
        found = visible.filter(pk=measure.pk).first()
        if found is None:
            raise NotFoundOrForbidden()
        return found

    @extend_schema(parameters=[plan_filter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=MeasureUpdateSerializer, responses=MeasureSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        measure = self.get_object()
        incoming = MeasureUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version")
        updated, _ = measure_update(
            acting_user=request.user, measure=measure, data=data, expected_version=version
        )
        return Response(MeasureSerializer(updated).data)
