"""Pages of the goal hierarchy: the forms for visions, goals and their criteria.

Part of the ``goals`` namespace, which ``kvarter.urls`` composes from these and
``kvarter.followup.goal_urls`` (the goals judged in a round), so plans needs no followup.
"""

from django.urls import path

from kvarter.plans import criterion_views, goal_views

P = "plans/<int:plan_id>/"
urlpatterns = [
    path(f"{P}goals/new/", goal_views.goal_new, name="goal_new"),
    path(f"{P}goals/<int:goal_id>/", goal_views.goal_edit, name="goal_edit"),
    path(f"{P}goals/<int:goal_id>/delete/", goal_views.goal_delete, name="goal_delete"),
    path(
        f"{P}goals/<int:goal_id>/quantitative/new/",
        criterion_views.quantitative_new,
        name="quantitative_new",
    ),
    path(
        f"{P}quantitative/<int:criterion_id>/",
        criterion_views.quantitative_edit,
        name="quantitative_edit",
    ),
    path(
        f"{P}quantitative/<int:criterion_id>/delete/",
        criterion_views.quantitative_delete,
        name="quantitative_delete",
    ),
    path(
        f"{P}goals/<int:goal_id>/qualitative/new/",
        criterion_views.qualitative_new,
        name="qualitative_new",
    ),
    path(
        f"{P}qualitative/<int:criterion_id>/",
        criterion_views.qualitative_edit,
        name="qualitative_edit",
    ),
    path(
        f"{P}qualitative/<int:criterion_id>/delete/",
        criterion_views.qualitative_delete,
        name="qualitative_delete",
    ),
    path(f"{P}visions/new/", goal_views.vision_new, name="vision_new"),
    path(f"{P}visions/<int:vision_id>/", goal_views.vision_edit, name="vision_edit"),
    path(
        f"{P}goal-areas/<int:goal_area_id>/vision/",
        goal_views.goal_area_vision,
        name="goal_area_vision",
    ),
]
