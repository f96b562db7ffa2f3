from django.urls import path

from kvarter.followup import rollover_views, views

app_name = "followup"
urlpatterns = [
    path("plans/", views.plan_list, name="plans"),
    path("plans/import/", views.plan_import_view, name="plan_import"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/close/", views.round_close_view, name="round_close"),
    path("rounds/<int:round_id>/reminders/", views.round_remind_view, name="round_remind"),
    path(
        "rounds/<int:round_id>/measures/<int:measure_id>/",
        views.status_report_edit,
        name="report",
    ),
    path("rounds/<int:round_id>/report.<str:fmt>", views.round_document, name="document"),
    path(
        "rounds/<int:round_id>/roll-over/",
        rollover_views.round_roll_over,
        name="round_roll_over",
    ),
    path(
        "measures/<int:measure_id>/lineage/",
        rollover_views.measure_lineage_view,
        name="measure_lineage",
    ),
]
