"""API for the criteria of goals: quantitative (a catalogue indicator in the municipality or one
of its areas, against a target) and
qualitative (a written criterion assessed in each round). Same rules as :mod:`goal_api`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kvarter.areas.models import Area
from kvarter.core.error_codes import message
from kvarter.indicators.models import Indicator
from kvarter.plans import goal_services as services
from kvarter.plans.goal_api import (
    BaseViewSet,
    GoalWriteMixin,
    goal_filter,
    int_param,
    plan_filter,
    reference,
)
from kvarter.plans.goal_selectors import (
    visible_goals,
    visible_qualitative,
    visible_quantitative,
)
from kvarter.plans.models import (
    Direction,
    Goal,
    QualitativeCriterion,
    QuantitativeCriterion,
)

# --- criteria ----------------------------------------------------------------------------------


def _indicator(code: str) -> Indicator:
    """The catalogue indicator with ``code``; else a 400 on ``indicator``."""
    found = Indicator.objects.filter(code=code).first()
    if found is None:
        raise ApiValidationError(
            {"indicator": gettext("No indicator with that code.")},
            code="not_found",
        )
    return found


class QuantitativeCriterionSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(
        source="indicator.code", read_only=True, help_text="the catalogue indicator's code"
    )

    class Meta:
        model = QuantitativeCriterion
        fields = [
            "id",
            "goal",
            "position",
            "indicator",
            "area",
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
    indicator = serializers.CharField(
        max_length=50, required=False, help_text="the catalogue indicator's code"
    )
    area = serializers.IntegerField(
        allow_null=True, required=False, help_text="null: the whole municipality"
    )
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
        missing = {f: message("required") for f in required if f not in data}
        if missing:
            raise ApiValidationError(missing, code="required")
        if "indicator" in data:
            # The catalogue is public; look the indicator up by its code.
            data["indicator"] = _indicator(data["indicator"])
        if data.get("area") is not None:
            # Areas are public; the criterion refuses an area of another municipality.
            data["area"] = reference(Area.objects.all(), data["area"], "area")
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
        services.criterion_delete(actor=request.user, criterion=self.get_object())
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
    create_required = ("goal", "indicator", "baseline_year", "target_year")
    queryset = QuantitativeCriterion.objects.none()

    def visible(self) -> Any:
        return visible_quantitative(self.request.user)

    def create_criterion(self, request: Request, goal: Goal, data: dict[str, Any]) -> Any:
        return services.quantitative_criterion_create(
            actor=request.user, goal=goal, data=data
        )

    def update_criterion(
        self, request: Request, criterion: Any, data: dict[str, Any], version: int
    ) -> Any:
        return services.quantitative_criterion_update(
            actor=request.user, criterion=criterion, data=data, expected_version=version
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
        return services.qualitative_criterion_create(actor=request.user, goal=goal, data=data)

    def update_criterion(
        self, request: Request, criterion: Any, data: dict[str, Any], version: int
    ) -> Any:
        return services.qualitative_criterion_update(
            actor=request.user, criterion=criterion, data=data, expected_version=version
        )
