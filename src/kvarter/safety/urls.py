"""EST pages under /est/: each helper module adds its own patterns here."""

from __future__ import annotations

from django.urls import URLPattern, path

from kvarter.safety import deployment_views

app_name = "safety"

urlpatterns: list[URLPattern] = []

# Deployments (insatser): the operational group's decisions and their outcome.
urlpatterns += [
    path("insatser/", deployment_views.deployment_list_view, name="deployments"),
    path("insatser/ny/", deployment_views.deployment_new, name="deployment_new"),
    path("insatser/<int:deployment_id>/", deployment_views.deployment_detail, name="deployment"),
    path(
        "insatser/<int:deployment_id>/andra/",
        deployment_views.deployment_edit,
        name="deployment_edit",
    ),
]
