"""API for reporters: file a report, read one's own, and the catalogue the phone form needs.

- ``POST /api/v1/incident-reports/`` files through the same service as the pages: 201 with the
  report; 200 with the report stored before when the ``client_key`` was seen already; 400 with
  ``{"errors": [{"field": "events.0.text", "code": "personal_data", "message": …}]}`` — the
  message names the kind of personal data, never the text or the number.
- ``GET /api/v1/incident-reports/`` lists the caller's own reports only.
- ``GET /api/v1/est/categories/`` and ``/api/v1/est/places/`` list a municipality's active
  categories and named places, for whoever may file or read aggregates there.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.roles import Capability
from kvarter.areas.models import Municipality
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied
from kvarter.safety.filing.selectors import access_own_report, my_reports
from kvarter.safety.filing.services import incident_report_file
from kvarter.safety.models import IncidentCategory, IncidentEvent, IncidentReport, Place

municipality_query = OpenApiParameter(
    "municipality",
    OpenApiTypes.STR,
    description="the municipality's code (e.g. 0580); needed when you file in several",
)


class IncidentEventSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True, default=None)

    class Meta:
        model = IncidentEvent
        fields = [
            "category",
            "category_name",
            "area",
            "area_name",
            "place",
            "place_name",
            "occurred_at",
            "latitude",
            "longitude",
            "text",
            "severity",
            "unsafety",
        ]
        read_only_fields = fields


class IncidentReportSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    events = IncidentEventSerializer(many=True, read_only=True)

    class Meta:
        model = IncidentReport
        fields = [
            "id",
            "client_key",
            "municipality",
            "organisation",
            "organisation_name",
            "submitted_at",
            "review_state",
            "events",
        ]
        read_only_fields = fields


class IncidentEventInputSerializer(serializers.Serializer):
    """One event. Say where with ``place``, ``area`` or ``latitude``/``longitude`` (WGS 84);
    the area is found from the position when not given. Checked by the filing service."""

    category = serializers.IntegerField()
    occurred_at = serializers.DateTimeField(
        help_text="ISO 8601; without an offset, Europe/Stockholm time. At most 30 days ago."
    )
    place = serializers.IntegerField(required=False, allow_null=True)
    area = serializers.IntegerField(required=False, allow_null=True)
    latitude = serializers.FloatField(required=False, allow_null=True)
    longitude = serializers.FloatField(required=False, allow_null=True)
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=True,
        help_text="At most 1,000 characters; no names, personal identity numbers, phone "
        "numbers or e-mail addresses (the report is refused).",
    )
    severity = serializers.IntegerField(required=False, allow_null=True, help_text="1–3")
    unsafety = serializers.CharField(
        required=False, allow_blank=True, help_text="yes, no or unsure"
    )


class IncidentReportInputSerializer(serializers.Serializer):
    municipality = serializers.CharField(
        required=False, help_text="the municipality's code; needed when you file in several"
    )
    client_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Made once per draft on the phone: a report sent again with the same key is "
        "stored once (the answer is 200 with the first report).",
    )
    events = IncidentEventInputSerializer(many=True)


def _filing_municipality(user: Any, code: str | None) -> Municipality:
    municipalities = resolver_for(user).municipalities_with(Capability.FILE_INCIDENTS)
    if code:
        municipalities = municipalities.filter(code=code)
    municipality = municipalities.first()
    if municipality is None:
        raise PermissionDenied()
    return municipality


class IncidentReportViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Incident reports: file one, read your own."""

    serializer_class = IncidentReportSerializer
    queryset = IncidentReport.objects.none()
    requires_login = True

    def get_queryset(self) -> QuerySet[IncidentReport]:
        return my_reports(actor=self.request.user)

    def get_object(self) -> IncidentReport:
        return access_own_report(self.request.user, self.kwargs["pk"])

    @extend_schema(
        summary="Your own reports",
        parameters=[municipality_query],
        responses=IncidentReportSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        reports = my_reports(actor=request.user)
        code = request.query_params.get("municipality")
        if code:
            reports = reports.filter(municipality__code=code)
        page = self.paginate_queryset(reports)
        return self.get_paginated_response(IncidentReportSerializer(page, many=True).data)

    @extend_schema(summary="One of your own reports")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        return Response(IncidentReportSerializer(self.get_object()).data)

    @extend_schema(
        summary="File a report (one or more events)",
        request=IncidentReportInputSerializer,
        responses={
            201: IncidentReportSerializer,
            200: OpenApiResponse(
                IncidentReportSerializer,
                description="The client key was seen before: the report stored then.",
            ),
            400: OpenApiResponse(
                description="Refused, nothing stored; every problem of every event listed, "
                "e.g. personal data in a text (named by kind only)."
            ),
            403: OpenApiResponse(description="You may not file reports in this municipality."),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        incoming = IncidentReportInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        municipality = _filing_municipality(request.user, data.get("municipality"))
        key = data.get("client_key")
        existed = (
            key is not None
            and IncidentReport.objects.filter(client_key=key, reporter=request.user).exists()
        )
        report = incident_report_file(
            actor=request.user,
            municipality=municipality,
            events=[dict(event) for event in data["events"]],
            client_key=key,
        )
        report = my_reports(actor=request.user).get(pk=report.pk)
        return Response(
            IncidentReportSerializer(report).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


# --- the catalogue for the phone form ----------------------------------------------------------


class IncidentCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentCategory
        fields = ["id", "name", "is_positive", "order"]
        read_only_fields = fields


class PlaceSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Place
        fields = ["id", "name", "area", "area_name", "geometry", "latitude", "longitude"]
        read_only_fields = fields


def _catalogue_municipality_ids(user: Any, code: str | None) -> list[int]:
    """Municipalities whose catalogue the user may read: where they file or read aggregates."""
    municipalities = resolver_for(user).municipalities_with(
        Capability.FILE_INCIDENTS, Capability.VIEW_MUNICIPALITY_INTERNALS
    )
    if code:
        municipalities = municipalities.filter(code=code)
    return list(municipalities.values_list("pk", flat=True))


class IncidentCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The active report categories of the municipalities you work in."""

    serializer_class = IncidentCategorySerializer
    queryset = IncidentCategory.objects.none()
    requires_login = True
    pagination_class = None

    def get_queryset(self) -> QuerySet[IncidentCategory]:
        if not self.request.user.is_authenticated:
            raise NotAuthenticated()
        ids = _catalogue_municipality_ids(
            self.request.user, self.request.query_params.get("municipality")
        )
        return IncidentCategory.objects.filter(municipality_id__in=ids, active=True)

    def get_object(self) -> IncidentCategory:
        row = self.get_queryset().filter(pk=_int(self.kwargs["pk"])).first()
        if row is None:
            raise NotFoundOrForbidden()
        return row

    @extend_schema(parameters=[municipality_query])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class PlaceViewSet(viewsets.ReadOnlyModelViewSet):
    """Named places of the municipalities you work in (a point or polygon, and its point)."""

    serializer_class = PlaceSerializer
    queryset = Place.objects.none()
    requires_login = True
    pagination_class = None

    def get_queryset(self) -> QuerySet[Place]:
        if not self.request.user.is_authenticated:
            raise NotAuthenticated()
        ids = _catalogue_municipality_ids(
            self.request.user, self.request.query_params.get("municipality")
        )
        places = Place.objects.filter(area__municipality_id__in=ids).select_related("area")
        area = self.request.query_params.get("area")
        if area:
            places = places.filter(area_id=_int(area))
        return places.order_by("area__name", "name")

    def get_object(self) -> Place:
        row = self.get_queryset().filter(pk=_int(self.kwargs["pk"])).first()
        if row is None:
            raise NotFoundOrForbidden()
        return row

    @extend_schema(
        parameters=[
            municipality_query,
            OpenApiParameter("area", OpenApiTypes.INT, description="only this area's places"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise NotFoundOrForbidden() from error
