from django.urls import path

from kvarter.plans import views

app_name = "plans"
urlpatterns = [
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/goal-areas/", views.goal_areas, name="goal_areas"),
    path("goal-areas/<int:goal_area_id>/edit/", views.goal_area_edit, name="goal_area_edit"),
    path("plans/<int:plan_id>/measures/new/", views.measure_new, name="measure_new"),
    path("measures/<int:measure_id>/", views.measure_detail, name="measure"),
    path("measures/<int:measure_id>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:measure_id>/row/", views.measure_row, name="measure_row"),
    path("measures/<int:measure_id>/delete/", views.measure_delete_view, name="measure_delete"),
]
