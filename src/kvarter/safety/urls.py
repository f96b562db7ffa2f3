"""EST pages under /est/: each helper module adds its own patterns here."""

from __future__ import annotations

from django.urls import URLPattern, path

from kvarter.safety.catalogue import views as catalogue_views
from kvarter.safety.deployments import views as deployment_views
from kvarter.safety.filing import views as report_views
from kvarter.safety.history import export_views, import_views
from kvarter.safety.picture import views as picture_views
from kvarter.safety.problem_places import views as problem_place_views

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

# The reporter's side: the report form, its JSON door for the phone, my reports, the review.
urlpatterns += [
    path("rapportera/", report_views.report_form, name="report"),
    path("rapportera/skicka/", report_views.report_send, name="report_send"),
    path("mina-rapporter/", report_views.my_reports_page, name="my_reports"),
    path("granskning/", report_views.review_page, name="review"),
    path("granskning/<int:report_id>/", report_views.review_decide, name="review_decide"),
]

# Problem places (tactical level): flagged for long-term work, linked to plan measures.
urlpatterns += [
    path("problemplatser/", problem_place_views.problem_place_list_view, name="problem_places"),
    path("problemplatser/ny/", problem_place_views.problem_place_new, name="problem_place_new"),
    path(
        "problemplatser/<int:problem_place_id>/",
        problem_place_views.problem_place_detail,
        name="problem_place",
    ),
    path(
        "problemplatser/<int:problem_place_id>/andra/",
        problem_place_views.problem_place_edit,
        name="problem_place_edit",
    ),
    path(
        "problemplatser/<int:problem_place_id>/avsluta/",
        problem_place_views.problem_place_close_view,
        name="problem_place_close",
    ),
]

# Exports: the filter with its counts on screen; raw files only for the areas' EST members.
urlpatterns += [
    path("export/", export_views.export_page, name="export"),
    path("export/rapporter.csv", export_views.events_csv_view, name="export_events_csv"),
    path(
        "export/rapporter.geojson",
        export_views.events_geojson_view,
        name="export_events_geojson",
    ),
    path("export/antal.csv", export_views.counts_csv_view, name="export_counts_csv"),
    path("export/antal.geojson", export_views.counts_geojson_view, name="export_counts_geojson"),
    # The management group's documents: strategic summary and crime-prevention draft.
    path("strategi/", export_views.strategic_page, name="strategic"),
    path("strategi/hamta/", export_views.strategic_download, name="strategic_download"),
]

# The weekly situational picture (lägesbild) and its one-page PDF for the Friday meeting.
urlpatterns += [
    path("lagesbild/", picture_views.picture_page, name="picture"),
    path("lagesbild/lagesbild.pdf", picture_views.picture_pdf, name="picture_pdf"),
]

# The catalogue: categories, resources, named places and the review switch.
urlpatterns += [
    path("katalog/", catalogue_views.catalogue_page, name="catalogue"),
    path("katalog/standard/", catalogue_views.defaults_create, name="catalogue_defaults"),
    path("katalog/installningar/", catalogue_views.settings_edit, name="catalogue_settings"),
    path("katalog/kategorier/ny/", catalogue_views.category_new, name="category_new"),
    path(
        "katalog/kategorier/<int:category_id>/",
        catalogue_views.category_edit,
        name="category_edit",
    ),
    path("katalog/resurser/ny/", catalogue_views.resource_new, name="resource_new"),
    path(
        "katalog/resurser/<int:resource_id>/", catalogue_views.resource_edit, name="resource_edit"
    ),
    path("katalog/platser/ny/", catalogue_views.place_new, name="place_new"),
    path("katalog/platser/<int:place_id>/", catalogue_views.place_edit, name="place_edit"),
]

# History import: the web door to `kvarter import-incidents` (administrators, EST members).
urlpatterns += [path("import/", import_views.history_import, name="history_import")]
