"""Codes of follow-up rounds, assessments and the roll-over to the next plan."""

from django.utils.translation import gettext_lazy as _

CODES = {
    "round_closed": _("The follow-up round is closed."),
    "round_open": _("Close the follow-up round first."),
    "already_rolled_over": _("The plan has already been rolled over."),
    "invalid_renumber": _("The new numbers are not valid."),
    "period_too_early": _("The new plan cannot start before the old one ends."),
    "merged_into_self": _("A measure cannot be merged into itself."),
    "merged_into_other_plan": _("The measure it is merged into belongs to another plan."),
    "assessment_taken": _("The criterion is already assessed in this round."),
}
