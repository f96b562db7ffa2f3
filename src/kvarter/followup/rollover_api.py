"""API for the roll-over (``POST /api/v1/rounds/{id}/roll-over/``, with a dry run) and a
measure's lineage (``GET /api/v1/lineage/{measure_id}/``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from kvarter.followup.lineage import Lineage, measure_lineage
from kvarter.followup.models import FollowUpRound
from kvarter.followup.rollover import plan_roll_over, plan_roll_over_check, roll_over_defaults
from kvarter.followup.rollover_planning import RENUMBER_CHOICES, RENUMBER_KEEP, Outcome, Problem
from kvarter.plans.selectors import access_measure_by_id


class RollOverRequestSerializer(serializers.Serializer):
    """Name and years default to the next period, with the years in the name changed."""

    name = serializers.CharField(max_length=200, required=False)
    start_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    end_year = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False, allow_null=True
    )
    renumber = serializers.ChoiceField(choices=RENUMBER_CHOICES, default=RENUMBER_KEEP)
    carry_undecided = serializers.BooleanField(default=False)
    dry_run = serializers.BooleanField(
        default=False, help_text="Only check and return the preview; nothing is written."
    )


class StepSerializer(serializers.Serializer):
    measure = serializers.IntegerField(source="measure_id")
    old_number = serializers.CharField()
    title = serializers.CharField()
    disposition = serializers.CharField(help_text="kept, developed, merged, dropped or ''")
    outcome = serializers.ChoiceField(choices=[o.value for o in Outcome])
    new_number = serializers.CharField(allow_null=True)
    merged_into_number = serializers.CharField(allow_null=True)
    chain = serializers.ListField(child=serializers.CharField())
    ends_in_new_number = serializers.CharField(allow_null=True)
    problem = serializers.ChoiceField(choices=[p.value for p in Problem], allow_null=True)
    carried_as_kept = serializers.BooleanField()


class RollOverCountsSerializer(serializers.Serializer):
    measures = serializers.IntegerField()
    carried = serializers.IntegerField()
    kept = serializers.IntegerField()
    developed = serializers.IntegerField()
    merged = serializers.IntegerField()
    dropped = serializers.IntegerField()
    undecided = serializers.IntegerField()
    undecided_carried = serializers.IntegerField()
    problems = serializers.IntegerField()


class RollOverResultSerializer(serializers.Serializer):
    plan = serializers.IntegerField(allow_null=True, help_text="The new plan; null on a dry run.")
    dry_run = serializers.BooleanField()
    name = serializers.CharField()
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    counts = RollOverCountsSerializer()
    steps = StepSerializer(many=True)


def roll_over_response(request: Request, round_: FollowUpRound) -> Response:
    """The body of ``RoundViewSet.roll_over``: check (dry run) or roll over."""
    incoming = RollOverRequestSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    data = dict(incoming.validated_data)
    dry_run = data.pop("dry_run")
    defaults = roll_over_defaults(round_)
    data.setdefault("name", defaults.name)
    data.setdefault("start_year", defaults.start_year)
    if data.get("end_year") is None:  # as long as the old plan's period, like the service
        data["end_year"] = data["start_year"] + (round_.plan.end_year - round_.plan.start_year)
    if dry_run:
        outline = plan_roll_over_check(actor=request.user, round=round_, **data)
        plan_id = None
    else:
        plan, outline = plan_roll_over(actor=request.user, round=round_, **data)
        plan_id = plan.pk
    body = {
        "plan": plan_id,
        "dry_run": dry_run,
        "name": data["name"].strip(),
        "start_year": data["start_year"],
        "end_year": data["end_year"],
        "counts": outline.counts,
        "steps": outline.steps,
    }
    answer = status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED
    return Response(RollOverResultSerializer(body).data, status=answer)


class RoundEntrySerializer(serializers.Serializer):
    round = serializers.IntegerField(source="round_id")
    year = serializers.IntegerField()
    kind = serializers.CharField()
    state = serializers.CharField()
    status = serializers.CharField(help_text="done, in_progress, not_done or '' (not reported)")
    disposition = serializers.CharField()
    merged_into_number = serializers.CharField()


class MergedInSerializer(serializers.Serializer):
    measure = serializers.IntegerField(source="measure_id")
    number = serializers.CharField()
    title = serializers.CharField()
    round_year = serializers.IntegerField()


class LineageNodeSerializer(serializers.Serializer):
    measure = serializers.IntegerField(source="measure_id")
    plan = serializers.IntegerField(source="plan_id")
    plan_name = serializers.CharField()
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    number = serializers.CharField(help_text="Empty when the measure is outside your areas.")
    title = serializers.CharField()
    visible = serializers.BooleanField()
    is_subject = serializers.BooleanField()
    is_ancestor = serializers.BooleanField()
    successors = serializers.SerializerMethodField()
    rounds = RoundEntrySerializer(many=True)
    merged_in = MergedInSerializer(many=True)

    def get_successors(self, node: Any) -> list[int]:
        return [child.measure_id for child in node.successors]


class LineageSerializer(serializers.Serializer):
    """The lineage as a flat list of nodes, oldest plan first; ``successors`` link the tree."""

    subject = serializers.IntegerField(source="subject.measure_id")
    # DRF pops declared fields off the class, so this does not shadow Field.root.
    root = serializers.IntegerField(source="root.measure_id")  # type: ignore[assignment]
    ancestors = serializers.SerializerMethodField()
    nodes = LineageNodeSerializer(many=True)

    def get_ancestors(self, lineage: Lineage) -> list[int]:
        return [node.measure_id for node in lineage.ancestors]


class LineageViewSet(viewsets.ViewSet):
    """A measure's lineage across plans (ancestors, successors, measures merged into it)."""

    requires_login = True
    lookup_value_regex = r"[0-9]+"

    @extend_schema(
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="measure")
        ],
        responses=LineageSerializer,
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        measure = access_measure_by_id(request.user, pk)
        return Response(LineageSerializer(measure_lineage(request.user, measure)).data)
