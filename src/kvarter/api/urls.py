"""Wires each app's ``api.py`` into /api/v1/, with the OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from kvarter.accounts.api import OrganisationViewSet
from kvarter.areas.api import AreaViewSet, MunicipalityViewSet
from kvarter.followup.api import RoundViewSet
from kvarter.followup.rollover_api import LineageViewSet
from kvarter.plans.api import MeasureViewSet, PlanViewSet

router = DefaultRouter()
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("areas", AreaViewSet, basename="area")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("plans", PlanViewSet, basename="plan")
router.register("measures", MeasureViewSet, basename="measure")
router.register("rounds", RoundViewSet, basename="round")
router.register("lineage", LineageViewSet, basename="lineage")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
