"""API for the assessments of qualitative criteria in a follow-up round.

``GET /assessments/?round=`` lists a round's assessments (for those who may read the plan);
``POST`` assesses a criterion and ``PUT /assessments/{id}/`` changes an assessment, both through
:func:`kvarter.followup.services.criterion_assess` with the version read (0: none seen yet), so
a stale write answers 409 ``stale_version`` and a closed round 400 ``round_closed``.
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

from kvarter.followup.models import Assessment, CriterionAssessment, FollowUpRound
from kvarter.followup.services import criterion_assess
from kvarter.plans.goal_api import int_param, reference
from kvarter.plans.goal_selectors import access, visible_plan_ids
from kvarter.plans.models import QualitativeCriterion


def visible_rounds(user: Any) -> Any:
    return FollowUpRound.objects.filter(plan__in=visible_plan_ids(user)).select_related("plan")


def visible_assessments(user: Any) -> Any:
    return CriterionAssessment.objects.filter(round__in=visible_rounds(user)).select_related(
        "round__plan", "criterion__goal__goal_area"
    )


class CriterionAssessmentSerializer(serializers.ModelSerializer):
    criterion_code = serializers.SerializerMethodField(help_text="e.g. '1.2a'")

    class Meta:
        model = CriterionAssessment
        fields = [
            "id",
            "round",
            "criterion",
            "criterion_code",
            "assessment",
            "motivation",
            "assessed_at",
            "version",
        ]
        read_only_fields = fields

    def get_criterion_code(self, obj: CriterionAssessment) -> str:
        return f"{obj.criterion.goal.code}{obj.criterion.letter}"


class AssessmentUpdateSerializer(serializers.Serializer):
    """``version``: the assessment's version the client read."""

    version = serializers.IntegerField(min_value=0)
    assessment = serializers.ChoiceField(choices=Assessment.choices)
    motivation = serializers.CharField(allow_blank=True, max_length=4000, required=False)


class AssessmentCreateSerializer(AssessmentUpdateSerializer):
    """``version``: 0 when the client saw no assessment of the criterion in the round yet."""

    round = serializers.IntegerField()
    criterion = serializers.IntegerField()


round_filter = OpenApiParameter(
    "round", OpenApiTypes.INT, description="the round's id", required=True
)


class CriterionAssessmentViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = CriterionAssessmentSerializer
    requires_login = True
    queryset = CriterionAssessment.objects.none()
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self) -> Any:
        round_id = int_param(self.request, "round")
        if round_id is None:
            raise ApiValidationError(
                {"round": gettext("Give the round: ?round=ID")}, code="required"
            )
        round_ = access(visible_rounds(self.request.user), round_id)
        return visible_assessments(self.request.user).filter(round=round_).order_by("pk")

    def get_object(self) -> CriterionAssessment:
        return access(visible_assessments(self.request.user), self.kwargs["pk"])

    @extend_schema(parameters=[round_filter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=AssessmentCreateSerializer,
        responses={200: CriterionAssessmentSerializer, 201: CriterionAssessmentSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Assess a criterion in an open round (201), or change its assessment (200)."""
        incoming = AssessmentCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        round_ = reference(visible_rounds(request.user), data["round"], "round")
        criteria = QualitativeCriterion.objects.filter(goal__goal_area__plan=round_.plan)
        criterion = reference(criteria, data["criterion"], "criterion")
        saved, _ = self._assess(request, round_, criterion, data)
        # Version 0 succeeds only when there was no assessment yet: a new one.
        code = status.HTTP_201_CREATED if data["version"] == 0 else status.HTTP_200_OK
        return Response(CriterionAssessmentSerializer(saved).data, status=code)

    @extend_schema(request=AssessmentUpdateSerializer, responses=CriterionAssessmentSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        existing = self.get_object()
        incoming = AssessmentUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        saved, _ = self._assess(
            request, existing.round, existing.criterion, dict(incoming.validated_data)
        )
        return Response(CriterionAssessmentSerializer(saved).data)

    def _assess(
        self,
        request: Request,
        round_: FollowUpRound,
        criterion: QualitativeCriterion,
        data: dict[str, Any],
    ) -> tuple[CriterionAssessment, bool]:
        return criterion_assess(
            actor=request.user,
            round=round_,
            criterion=criterion,
            assessment=data["assessment"],
            motivation=data.get("motivation", ""),
            expected_version=data["version"],
        )
