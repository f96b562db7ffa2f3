"""Serializers of the plans API: what is read, and what each write accepts.

Writes name related rows by id (areas, responsible units, goals) except the goal area, which is
named by its number in the plan, as the measure's number and every read do.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from kvarter.plans.models import GoalArea, Measure, Plan, PlanStatus


class GoalAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = GoalArea
        fields = ["id", "number", "name"]


class GoalAreaDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = GoalArea
        fields = ["id", "plan", "number", "name", "version"]
        read_only_fields = fields


class GoalAreaCreateSerializer(serializers.Serializer):
    plan = serializers.IntegerField(help_text="The plan's id.")
    number = serializers.IntegerField(min_value=1, max_value=99)
    name = serializers.CharField(max_length=200)


class GoalAreaUpdateSerializer(serializers.Serializer):
    """``version`` is the version the client read; a new number renumbers the measures."""

    version = serializers.IntegerField(min_value=1)
    number = serializers.IntegerField(min_value=1, max_value=99, required=False)
    name = serializers.CharField(max_length=200, required=False)


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


class PlanCreateSerializer(serializers.Serializer):
    municipality = serializers.CharField(max_length=10, help_text="The municipality's code.")
    name = serializers.CharField(max_length=200)
    start_year = serializers.IntegerField(min_value=2000, max_value=2100)
    end_year = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    decision_reference = serializers.CharField(max_length=100, allow_blank=True, default="")


class PlanUpdateSerializer(serializers.Serializer):
    """``version`` is the version the client read."""

    version = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=200, required=False)
    start_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    end_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    status = serializers.ChoiceField(choices=PlanStatus.choices, required=False)
    decision_reference = serializers.CharField(max_length=100, allow_blank=True, required=False)


class MeasureSerializer(serializers.ModelSerializer):
    goal_area = serializers.IntegerField(source="goal_area.number", read_only=True)
    areas: Any = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    area_ids: Any = serializers.PrimaryKeyRelatedField(source="areas", many=True, read_only=True)
    responsible_units: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    goals: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

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
            "area_ids",
            "responsible_text",
            "responsible_units",
            "goals",
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


def _ids(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=help_text
    )


class MeasureFieldsSerializer(serializers.Serializer):
    """The fields a measure is written with; every one optional (PATCH sends only changes)."""

    number = serializers.CharField(max_length=10, required=False, help_text="e.g. 2.13")
    goal_area = serializers.IntegerField(
        min_value=1, required=False, help_text="The goal area's number in the plan."
    )
    title = serializers.CharField(max_length=500, required=False)
    description = serializers.CharField(allow_blank=True, required=False)
    areas = _ids("Ids of the areas; empty: the whole municipality.")
    responsible_units = _ids("Ids of the responsible organisations.")
    goals = _ids("Ids of the plan's goals the measure serves.")
    responsible_text = serializers.CharField(max_length=500, allow_blank=True, required=False)
    partners = serializers.CharField(allow_blank=True, required=False)
    financing = serializers.CharField(allow_blank=True, required=False)
    amount = serializers.IntegerField(
        min_value=0, allow_null=True, required=False, help_text="Whole kronor."
    )
    start_date = serializers.DateField(allow_null=True, required=False)
    end_date = serializers.DateField(allow_null=True, required=False)


class MeasureCreateSerializer(MeasureFieldsSerializer):
    plan = serializers.IntegerField(help_text="The plan's id.")
    number = serializers.CharField(max_length=10, help_text="e.g. 2.13")
    goal_area = serializers.IntegerField(min_value=1, help_text="The goal area's number.")
    title = serializers.CharField(max_length=500)


class MeasureUpdateSerializer(MeasureFieldsSerializer):
    """The fields to change; ``version`` is the version the client read."""

    version = serializers.IntegerField(min_value=1)
