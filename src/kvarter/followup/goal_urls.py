"""Pages of the goals judged in follow-up rounds: a plan's goals page, a round's fulfilment and
the assessment of qualitative criteria.

Part of the ``goals`` namespace, which ``kvarter.urls`` composes from these and
``kvarter.plans.goal_urls`` (the goal hierarchy's forms).
"""

from django.urls import path

from kvarter.followup import assessment_views

urlpatterns = [
    path("plans/<int:plan_id>/goals/", assessment_views.plan_goals, name="plan_goals"),
    path("rounds/<int:round_id>/goals/", assessment_views.round_goals, name="round_goals"),
    path(
        "rounds/<int:round_id>/criteria/<int:criterion_id>/",
        assessment_views.assessment_edit,
        name="assess",
    ),
]
