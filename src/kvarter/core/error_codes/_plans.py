"""Codes of action plans, goals and measures."""

from django.utils.translation import gettext_lazy as _

CODES = {
    "plan_name_taken": _("The municipality already has a plan with this name."),
    "goal_area_number_taken": _("The plan already has a goal area with this number."),
    "goal_area_name_taken": _("The plan already has a goal area with this name."),
    "goal_area_conflict": _("The goal area already exists in the plan with another number."),
    "goal_area_name": _("Give the goal area's name."),
    "goal_area_number": _("Give the goal area's number."),
    "unknown_goal_area": _("Unknown goal area."),
    "unit_other_municipality": _("The responsible unit belongs to another municipality."),
    "goal_other_plan": _("The goal belongs to another plan."),
    "other_plan": _("It belongs to another plan."),
    "vision_other_municipality": _("The vision belongs to another municipality."),
    "measure_has_reports": _("The measure has status reports and cannot be removed."),
    "invalid_measure_number": _("A measure number is like 1.1 or 2.13."),
    "number_goal_area_mismatch": _("The measure's number does not match its goal area."),
    "invalid_number": _("Not a measure number like 1.1."),
    "duplicate_number": _("The number appears more than once in the file."),
    "invalid_disposition": _("Unknown next-plan disposition."),
    "invalid_status": _("Unknown status."),
    "invalid_criterion_letter": _("A criterion is named by one letter, a to z."),
    "goal_number_taken": _("The goal area already has a goal with this number."),
    "criterion_number_taken": _("The goal already has a criterion with this number."),
    "criterion_letter_taken": _("The goal already has a criterion with this letter."),
    "target_missing": _("Set a target, for everyone or for women and men."),
    "period_reversed": _("The end cannot come before the start."),
    "indicator_not_by_sex": _("The indicator is not reported for women and men."),
}
