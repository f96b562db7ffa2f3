"""Serializers of the indicator API: the catalogue, area profiles, the comparison of areas and
the indicator map. They only shape what :mod:`kvarter.indicators.profile` returns.

``Point`` is serialised by hand (a profile holds hundreds of them); its schema is still the
``PointSerializer`` below.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kvarter.core.models import Sex
from kvarter.indicators.models import AreaType, Indicator
from kvarter.indicators.profile_types import AreaProfile, Point


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_sv",
            "name_en",
            "definition",
            "unit",
            "direction",
            "source_kind",
            "kolada_kpi",
            "scb_table",
            "scb_measure",
            "source_note",
            "periodicity",
            "by_sex",
            "suppression_rule",
            "suppression_threshold",
            "decimals",
        ]
        read_only_fields = fields


class IndicatorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "name_sv", "name_en", "unit", "direction", "periodicity", "decimals"]
        read_only_fields = fields


class PointSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="2021, 2021H1, 2021Q3 or 2021M04")
    year = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True, help_text="null when suppressed or missing")
    status = serializers.ChoiceField(choices=["ok", "suppressed", "preliminary", "missing"])
    source = serializers.CharField()  # type: ignore[assignment]


def point_data(point: Point | None) -> dict[str, Any] | None:
    if point is None:
        return None
    return {
        "period": point.period,
        "year": point.year,
        "value": point.value,
        "status": point.status,
        "source": point.source,
    }


@extend_schema_field(PointSerializer(allow_null=True))
class PointField(serializers.Field):
    def to_representation(self, value: Point | None) -> dict[str, Any] | None:
        return point_data(value)


@extend_schema_field(PointSerializer(many=True))
class PointsField(serializers.Field):
    def to_representation(self, value: list[Point]) -> list[dict[str, Any] | None]:
        return [point_data(p) for p in value]


class SeriesSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["area", "municipality", "nation"])
    label = serializers.CharField()  # type: ignore[assignment]
    sex = serializers.ChoiceField(choices=Sex.choices)
    points = PointsField()


class IndicatorProfileSerializer(serializers.Serializer):
    indicator = IndicatorBriefSerializer()
    series = SeriesSerializer(many=True)
    latest = PointField(help_text="the area's latest total with a value")
    previous = PointField(help_text="the area's total the period before latest")
    baseline = PointField(help_text="the area's first total, or the total of baseline_year")
    change_since_baseline = serializers.FloatField(allow_null=True)
    municipality_latest = PointField(help_text="the municipality's total in latest's period")
    nation_latest = PointField(help_text="the nation's total in latest's period")
    verdict = serializers.CharField()


class AreaTypeSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_area_type_display")  # type: ignore[assignment]

    class Meta:
        model = AreaType
        fields = ["year", "index", "area_type", "label"]
        read_only_fields = fields


class AreaBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MunicipalityBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class AreaProfileSerializer(serializers.Serializer):
    area = AreaBriefSerializer()
    municipality = MunicipalityBriefSerializer()
    area_types = AreaTypeSerializer(many=True, help_text="newest first")
    indicators = IndicatorProfileSerializer(many=True)


def _indicator_brief(indicator: Indicator) -> dict[str, Any]:
    return {name: getattr(indicator, name) for name in IndicatorBriefSerializer.Meta.fields}


def profile_data(profile: AreaProfile) -> dict[str, Any]:
    """What :class:`AreaProfileSerializer` gives, built directly: a profile holds hundreds of
    points and DRF's field machinery costs more than the selector (the test compares both)."""
    return {
        "area": {"id": profile.area.pk, "name": profile.area.name},
        "municipality": {"code": profile.municipality.code, "name": profile.municipality.name},
        "area_types": AreaTypeSerializer(profile.area_types, many=True).data,
        "indicators": [
            {
                "indicator": _indicator_brief(one.indicator),
                "series": [
                    {
                        "level": s.level,
                        "label": s.label,
                        "sex": s.sex,
                        "points": [point_data(p) for p in s.points],
                    }
                    for s in one.series
                ],
                "latest": point_data(one.latest),
                "previous": point_data(one.previous),
                "baseline": point_data(one.baseline),
                "change_since_baseline": one.change_since_baseline,
                "municipality_latest": point_data(one.municipality_latest),
                "nation_latest": point_data(one.nation_latest),
                "verdict": one.verdict,
            }
            for one in profile.indicators
        ],
    }


class ComparisonColumnSerializer(serializers.Serializer):
    indicator = IndicatorBriefSerializer()
    period = serializers.CharField(allow_null=True, help_text="the period the column compares")


class ComparisonRowSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["area", "municipality", "nation"])
    label = serializers.CharField()  # type: ignore[assignment]
    area = AreaBriefSerializer(allow_null=True)
    area_type = AreaTypeSerializer(allow_null=True, help_text="the area's latest area type")
    cells = serializers.SerializerMethodField()

    # One cell per column, in the columns' order; null where the place has no figure.
    # (Written out: drf-spectacular drops allow_null on a list's child serializer.)
    @extend_schema_field(
        {
            "type": "array",
            "items": {"allOf": [{"$ref": "#/components/schemas/Point"}], "nullable": True},
        }
    )
    def get_cells(self, row: Any) -> list[dict[str, Any] | None]:
        return [point_data(p) for p in row.cells]


class AreaComparisonSerializer(serializers.Serializer):
    municipality = MunicipalityBriefSerializer()
    sex = serializers.CharField()
    columns = ComparisonColumnSerializer(many=True)
    rows = ComparisonRowSerializer(many=True, help_text="areas, then municipality and nation")


class MapFeaturePropertiesSerializer(serializers.Serializer):
    """For the schema: the properties of each feature of the indicator map."""

    id = serializers.IntegerField()
    area = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    status = serializers.CharField(help_text="'missing' when the area has no row for the period")
    period = serializers.CharField(allow_null=True)
    # 'class' is a Python keyword: declared as map_class, named 'class' by get_fields.
    map_class = serializers.IntegerField(allow_null=True, help_text="1 = lowest; null: no data")
    area_type = serializers.IntegerField(allow_null=True)
    area_type_label = serializers.CharField()

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["class"] = fields.pop("map_class")
        return fields


class MapFeatureSerializer(serializers.Serializer):
    type = serializers.CharField(default="Feature")
    id = serializers.IntegerField()
    geometry = serializers.JSONField(allow_null=True, help_text="Polygon or MultiPolygon, WGS 84")
    properties = MapFeaturePropertiesSerializer()


class IndicatorMapSerializer(serializers.Serializer):
    """A GeoJSON FeatureCollection; the map's own facts are foreign members beside it."""

    type = serializers.CharField(default="FeatureCollection")
    features = MapFeatureSerializer(many=True)
    indicator = IndicatorBriefSerializer()
    period = serializers.CharField(allow_null=True)
    periods = serializers.ListField(child=serializers.CharField())
    sex = serializers.CharField()
    method = serializers.ChoiceField(choices=["quantile", "equal"])
    breaks = serializers.ListField(
        child=serializers.FloatField(), help_text="class boundaries [min, b1, …, max]"
    )
    municipality = PointSerializer(allow_null=True)
    nation = PointSerializer(allow_null=True)
