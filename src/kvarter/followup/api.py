"""API for follow-up rounds, status reports and a round's summary.

Plans and measures are in :mod:`kvarter.plans.api`.

Reads go through the follow-up selectors (so an area coordinator sees the same measures as on
the pages); writes go through the services (so permissions, version checks and the audit log
are the same whichever door is used).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kvarter.core.errors import NotFoundOrForbidden
from kvarter.followup.goal_fulfilment import round_report_summary
from kvarter.followup.models import Disposition, FollowUpRound, RoundKind, Status, StatusReport
from kvarter.followup.rollover_api import (
    RollOverRequestSerializer,
    RollOverResultSerializer,
    roll_over_response,
)
from kvarter.followup.selectors import access_round_by_id, visible_measures
from kvarter.followup.services import round_close, round_open, status_report
from kvarter.plans.selectors import access_plan_by_id, id_or_not_found, visible_plans


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpRound
        fields = ["id", "plan", "year", "kind", "deadline", "state", "closed_at", "version"]
        read_only_fields = ["id", "state", "closed_at", "version"]


class RoundCreateSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    kind = serializers.ChoiceField(choices=RoundKind.choices, default=RoundKind.YEARLY)
    deadline = serializers.DateField(required=False, allow_null=True)


class StatusReportSerializer(serializers.ModelSerializer):
    measure_number = serializers.CharField(source="measure.number", read_only=True)

    class Meta:
        model = StatusReport
        fields = [
            "id",
            "round",
            "measure",
            "measure_number",
            "status",
            "comment",
            "disposition",
            "merged_into",
            "reported_at",
            "version",
        ]
        read_only_fields = fields


class StatusReportWriteSerializer(serializers.Serializer):
    """``version``: the report's version the client read; 0 when there was no report yet."""

    measure = serializers.IntegerField()
    version = serializers.IntegerField(min_value=0)
    status = serializers.ChoiceField(choices=Status.choices, required=False, allow_blank=True)
    comment = serializers.CharField(allow_blank=True, max_length=4000, required=False)
    disposition = serializers.ChoiceField(choices=[("", ""), *Disposition.choices], required=False)
    merged_into = serializers.IntegerField(allow_null=True, required=False)


class CountsSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_done = serializers.IntegerField()
    not_reported = serializers.IntegerField()


class GoalAreaCountsSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    counts = CountsSerializer()


class DispositionCountsSerializer(serializers.Serializer):
    kept = serializers.IntegerField()
    developed = serializers.IntegerField()
    merged = serializers.IntegerField()
    dropped = serializers.IntegerField()


class FulfilmentCountsSerializer(serializers.Serializer):
    met = serializers.IntegerField()
    on_track = serializers.IntegerField()
    not_met = serializers.IntegerField()
    no_data = serializers.IntegerField()


class AssessmentCountsSerializer(serializers.Serializer):
    met = serializers.IntegerField()
    partly_met = serializers.IntegerField()
    not_met = serializers.IntegerField()
    not_assessed = serializers.IntegerField()


class FulfilmentTargetSerializer(serializers.Serializer):
    goal = serializers.CharField(help_text="e.g. 1.2")
    criterion = serializers.IntegerField(help_text="the criterion's number within the goal")
    indicator = serializers.CharField(help_text="the catalogue indicator's code")
    indicator_name = serializers.CharField()
    unit = serializers.CharField()
    area = serializers.IntegerField(allow_null=True, help_text="null: the whole municipality")
    place = serializers.CharField()
    sex = serializers.ChoiceField(choices=["T", "K", "M"])
    baseline_year = serializers.IntegerField()
    baseline = serializers.FloatField(allow_null=True)
    target_year = serializers.IntegerField()
    target = serializers.FloatField()
    latest_year = serializers.IntegerField(allow_null=True)
    latest = serializers.FloatField(allow_null=True)
    status = serializers.ChoiceField(choices=["met", "on_track", "not_met", "no_data"])


class GoalFulfilmentSerializer(serializers.Serializer):
    quantitative = FulfilmentCountsSerializer(help_text="one per criterion and sex with a target")
    qualitative = AssessmentCountsSerializer()
    targets = FulfilmentTargetSerializer(many=True)


class SummarySerializer(serializers.Serializer):
    total = CountsSerializer()
    goal_areas = GoalAreaCountsSerializer(many=True)
    dispositions = DispositionCountsSerializer()
    goal_fulfilment = GoalFulfilmentSerializer(allow_null=True)


plan_filter = OpenApiParameter("plan", OpenApiTypes.INT, description="the plan's id")
round_filter = OpenApiParameter("round", OpenApiTypes.INT, description="the round's id")


def _merge_target(round_: FollowUpRound, target: int | None) -> Any:
    """The measure of the round's plan with id ``target``; an id outside the plan (another
    plan's or municipality's measure, or none at all) is refused, never silently dropped."""
    if target is None:
        return None
    measure = round_.plan.measures.filter(pk=target).first()
    if measure is None:
        raise ValidationError(
            {
                "merged_into": ValidationError(
                    _("The measure merged into must belong to the same plan."),
                    code="merged_into_other_plan",
                )
            }
        )
    return measure


class RoundViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RoundSerializer
    requires_login = True
    queryset = FollowUpRound.objects.none()

    def get_queryset(self) -> Any:
        rounds = FollowUpRound.objects.filter(plan__in=visible_plans(self.request.user))
        plan_id = self.request.query_params.get("plan")
        return rounds.filter(plan_id=id_or_not_found(plan_id)) if plan_id else rounds

    def get_object(self) -> FollowUpRound:
        return access_round_by_id(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=[plan_filter])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=RoundCreateSerializer, responses={201: RoundSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = RoundCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        plan = access_plan_by_id(request.user, data.pop("plan"))
        created = round_open(actor=request.user, plan=plan, **data)
        return Response(RoundSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close the round; it is read-only afterwards."""
        closed = round_close(actor=request.user, round=self.get_object())
        return Response(RoundSerializer(closed).data)

    @extend_schema(
        request=RollOverRequestSerializer,
        responses={200: RollOverResultSerializer, 201: RollOverResultSerializer},
    )
    @action(detail=True, methods=["post"], url_path="roll-over")
    def roll_over(self, request: Request, pk: str) -> Response:
        """Create the next plan from this closed round (201), or with ``dry_run`` only check
        and preview what would carry over (200)."""
        return roll_over_response(request, self.get_object())

    @extend_schema(responses=SummarySerializer)
    @action(detail=True)
    def summary(self, request: Request, pk: str) -> Response:
        """The counts the follow-up report shows, over the measures the user may see."""
        round_ = self.get_object()
        measures = visible_measures(request.user, round_.plan)
        return Response(round_report_summary(round_, measures))

    @extend_schema(methods=["get"], responses=StatusReportSerializer(many=True))
    @extend_schema(
        methods=["post"], request=StatusReportWriteSerializer, responses=StatusReportSerializer
    )
    @action(detail=True, methods=["get", "post"])
    def reports(self, request: Request, pk: str) -> Response:
        """GET: the round's status reports; POST: report on one measure (with its version)."""
        round_ = self.get_object()
        measures = visible_measures(request.user, round_.plan)
        if request.method == "GET":
            reports = (
                round_.reports.filter(measure__in=measures)
                .select_related("measure")
                .order_by("measure__number", "pk")
            )
            page = self.paginate_queryset(reports)
            return self.get_paginated_response(StatusReportSerializer(page, many=True).data)
        incoming = StatusReportWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        measure = measures.filter(pk=data.pop("measure")).first()
        if measure is None:
            raise NotFoundOrForbidden()
        version = data.pop("version")
        if "merged_into" in data:
            data["merged_into"] = _merge_target(round_, data.pop("merged_into"))
        report, _ = status_report(
            actor=request.user,
            round=round_,
            measure=measure,
            data=data,
            expected_version=version,
        )
        return Response(StatusReportSerializer(report).data)
