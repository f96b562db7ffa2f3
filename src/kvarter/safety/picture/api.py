"""GET /api/v1/municipalities/{code}/situational-picture/?week=2026-W48&area=ID&area=ID

The weekly situational picture as JSON: the same selector as the page and the PDF, so the same
suppression of small counts and the same raw-read log (door ``api``). The reports list is
present only for the areas the caller may read raw, else null.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kvarter.areas.selectors import access_municipality_by_code
from kvarter.core.error_codes import message
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.safety.documents.picture import picture_data
from kvarter.safety.picture.rules import IsoWeek, WeekError
from kvarter.safety.picture.selectors import situational_picture

_EXAMPLE = {
    "municipality": "0999",
    "week": "2026-W48",
    "start": "2026-11-22T23:00:00+00:00",
    "end": "2026-11-29T23:00:00+00:00",
    "areas": [{"id": 3, "name": "Norrby"}],
    "raw_areas": [],
    "smallest_count_shown": 3,
    "suppressed": True,
    "total": {
        "id": None,
        "name": "Alla valda områden",
        "week": {"value": 12, "text": "12", "hidden": None},
        "mean": {"value": 9.5, "text": "9,5", "hidden": None},
        "last_year": {"value": None, "text": "< 3", "hidden": "small"},
        "vs_mean": {"direction": "up", "notable": False, "difference": 2.5, "text": "upp +2,5"},
        "vs_last_year": {"direction": "up", "notable": True, "difference": None, "text": "…"},
    },
    "categories": ["… rows like total …"],
    "by_area": [],
    "places": [],
    "timeline": {"weekdays": ["mån", "…"], "hours": [0, "…", 23], "counts": [["…"]]},
    "reports": None,
    "deployments_during_week": [],
    "deployments_next_week": [],
    "rules": "…",
}


class SituationalPictureView(APIView):
    """The week's counts per category, area, place and weekday × hour against the four weeks
    before and the same week last year, the change (direction, 'notable'), the week's
    deployments and their outcome, and those decided for the next week.

    For areas whose raw reports the caller may not read, a count below the municipality's
    smallest count shown is given as ``value: null`` with ``text: "< 3"`` and
    ``hidden: "small"``; a count hidden so that a small one cannot be worked out by
    subtraction has ``hidden: "secondary"``, as has a four-week mean when any of its weeks is
    hidden in that week's own picture (decision 6). ``reports`` is null unless the caller may read
    raw reports of a chosen area; each read that includes raw counts or reports is logged."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="situational_picture",
        parameters=[
            OpenApiParameter(
                "week",
                OpenApiTypes.STR,
                description="ISO week (2026-W48) or a date in it; default: the current week",
            ),
            OpenApiParameter(
                "area",
                OpenApiTypes.INT,
                many=True,
                description="area ids (repeat); default: every area of the municipality",
            ),
        ],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="The situational picture",
                examples=[OpenApiExample("A reader of aggregates", value=_EXAMPLE)],
            ),
            400: OpenApiResponse(description="unreadable week or area (code invalid_week)"),
            404: OpenApiResponse(description="no such municipality, or no access to it"),
        },
    )
    def get(self, request: Request, code: str) -> Response:
        if not request.user or not request.user.is_authenticated:
            raise NotAuthenticated
        try:
            week = IsoWeek.parse(request.query_params.get("week") or _today())
        except WeekError as error:
            raise ValidationError(
                {"week": [message("invalid_week")]}, code="invalid_week"
            ) from error
        raw_areas = request.query_params.getlist("area")
        if any(not value.isdigit() for value in raw_areas):
            raise ValidationError({"area": [message("invalid_area")]}, code="invalid_area")
        try:
            municipality = access_municipality_by_code(request.user, code)
            picture = situational_picture(
                actor=request.user,
                municipality=municipality,
                week=week,
                areas=[int(v) for v in raw_areas] or None,
                door="api",
            )
        except NotFoundOrForbidden as error:
            raise NotFound from error
        return Response(picture_data(picture))


def _today() -> Any:
    import datetime as dt

    from kvarter.safety.picture.rules import STOCKHOLM

    return dt.datetime.now(tz=STOCKHOLM).date()
