from django.urls import path

from kvarter.areas import views

app_name = "areas"
urlpatterns = [
    path("municipalities/<str:code>/", views.municipality_detail, name="municipality"),
    path("municipalities/<str:code>/map/", views.area_map, name="map"),
    path("areas/<int:area_id>/", views.area_detail, name="detail"),
    path("areas/<int:area_id>/edit/", views.area_edit, name="edit"),
    path(
        "areas/<int:area_id>/police-classification/",
        views.police_classification_add,
        name="police_classification",
    ),
]
