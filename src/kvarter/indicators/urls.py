"""Pages of the indicators app, under /indikatorer/."""

from django.urls import path

from kvarter.indicators import import_views, own_values_views, views

app_name = "indicators"
OWN = "own/<str:municipality>/"
urlpatterns = [
    path(OWN, own_values_views.own_values_list, name="own_values"),
    path(f"{OWN}new/", own_values_views.own_indicator_new, name="own_indicator_new"),
    path(
        f"{OWN}<str:indicator>/edit/",
        own_values_views.own_indicator_edit,
        name="own_indicator_edit",
    ),
    path(f"{OWN}<str:indicator>/", own_values_views.own_values_grid, name="own_values_grid"),
    path(
        f"{OWN}<str:indicator>/area/<int:area_id>/",
        own_values_views.own_values_grid,
        name="own_values_grid_area",
    ),
    # Area profiles, the indicator map and the comparison of all areas.
    path("omraden/<int:area_id>/", views.profile_page, name="profile"),
    path(
        "omraden/<int:area_id>/diagram/<str:code>/",
        views.profile_chart,
        name="profile_chart",
    ),
    path(
        "omraden/<int:area_id>/profil.<str:fmt>",
        views.profile_document,
        name="profile_document",
    ),
    path("karta/", views.map_page, name="map"),
    path("jamforelse/", views.comparison_page, name="comparison"),
    # Importing indicator files (SCB JSON-stat, Kolada, long CSV) with a preview.
    path("import/", import_views.indicator_import, name="import"),
    path("import/<int:batch_id>/", import_views.import_batch_detail, name="import_batch"),
]
