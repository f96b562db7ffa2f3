"""Wires each app's ``api.py`` into /api/v1/, with the OpenAPI schema and its docs page."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from kvarter.accounts.api import OrganisationViewSet
from kvarter.areas.api import AreaViewSet, MunicipalityViewSet
from kvarter.followup.api import RoundViewSet
from kvarter.followup.assessment_api import CriterionAssessmentViewSet
from kvarter.followup.rollover_api import LineageViewSet
from kvarter.indicators.api import IndicatorViewSet
from kvarter.indicators.api import api_urlpatterns as indicator_api_urls
from kvarter.indicators.own_values_api import OwnValuesViewSet
from kvarter.plans.api import GoalAreaViewSet, MeasureViewSet, PlanViewSet
from kvarter.plans.criterion_api import QualitativeCriterionViewSet, QuantitativeCriterionViewSet
from kvarter.plans.goal_api import GoalViewSet, VisionViewSet
from kvarter.safety.deployments.api import DeploymentViewSet
from kvarter.safety.filing.api import (
    IncidentCategoryViewSet,
    IncidentReportViewSet,
    PlaceViewSet,
)
from kvarter.safety.picture.api import SituationalPictureView

router = DefaultRouter()
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("areas", AreaViewSet, basename="area")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("plans", PlanViewSet, basename="plan")
router.register("goal-areas", GoalAreaViewSet, basename="goal-area")
router.register("measures", MeasureViewSet, basename="measure")
router.register("rounds", RoundViewSet, basename="round")
router.register("visions", VisionViewSet, basename="vision")
router.register("goals", GoalViewSet, basename="goal")
router.register(
    "quantitative-criteria", QuantitativeCriterionViewSet, basename="quantitative-criterion"
)
router.register(
    "qualitative-criteria", QualitativeCriterionViewSet, basename="qualitative-criterion"
)
router.register("own-values", OwnValuesViewSet, basename="own-values")
router.register("assessments", CriterionAssessmentViewSet, basename="assessment")
router.register("lineage", LineageViewSet, basename="lineage")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("est/deployments", DeploymentViewSet, basename="est-deployment")
router.register("incident-reports", IncidentReportViewSet, basename="incident-report")
router.register("est/categories", IncidentCategoryViewSet, basename="est-category")
router.register("est/places", PlaceViewSet, basename="est-place")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/", include(indicator_api_urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start script as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# The weekly situational picture (lägesbild) of a municipality.
urlpatterns += [
    path(
        "v1/municipalities/<str:code>/situational-picture/",
        SituationalPictureView.as_view(),
        name="picture-api",
    ),
]


@csrf_exempt  # it changes nothing; a PUT with a session cookie gets the 404 too, not a 403 page
def not_found(request: HttpRequest) -> JsonResponse:
    """Any other address under /api/ (e.g. ``/areas/2.5/``, which no route takes) answers in
    the API's error shape, not with the HTML page. Only addresses ending in '/', so that
    APPEND_SLASH still redirects ``/api/v1/areas`` to ``/api/v1/areas/``."""
    error = {"field": None, "code": "not_found", "message": "Not found."}
    return JsonResponse({"errors": [error]}, status=404)


# Last: it takes whatever the patterns above did not.
urlpatterns += [re_path(r"^.*/$", not_found)]
