"""Follow-up rounds: each round gives every measure of a plan a status, a comment and a
next-plan disposition."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kvarter.core.models import TimeStampedModel, VersionedModel


class RoundKind(models.TextChoices):
    YEARLY = "yearly", _("yearly follow-up")
    DR1 = "dr1", _("interim report 1 (DR1)")
    DR2 = "dr2", _("interim report 2 (DR2)")


class RoundState(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Status(models.TextChoices):
    """Shown as green / yellow / red, always with the word beside the colour."""

    DONE = "done", _("done")
    IN_PROGRESS = "in_progress", _("in progress")
    NOT_DONE = "not_done", _("not done")


class Disposition(models.TextChoices):
    KEPT = "kept", _("kept")
    DEVELOPED = "developed", _("developed")
    MERGED = "merged", _("merged into another measure")
    DROPPED = "dropped", _("dropped")


class FollowUpRound(VersionedModel):
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=RoundKind.choices, default=RoundKind.YEARLY
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=RoundState.choices, default=RoundState.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminder_sent_on = models.DateField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up round")
        verbose_name_plural = _("follow-up rounds")
        ordering = ["plan", "-year", "-kind"]
        constraints = [
            models.UniqueConstraint("plan", "year", "kind", name="round_unique_per_plan"),
        ]

    def __str__(self) -> str:
        if self.kind == RoundKind.YEARLY:
            return f"{self.plan} – {self.year}"
        return f"{self.plan} – {self.get_kind_display()} {self.year}"

    @property
    def is_closed(self) -> bool:
        return self.state == RoundState.CLOSED


class StatusReport(VersionedModel):
    """One measure's report in one round. Absent or with no status: not yet reported."""

    round = models.ForeignKey(
        FollowUpRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="reports"
    )
    measure = models.ForeignKey(
        "plans.Measure",
        verbose_name=_("measure"),
        on_delete=models.CASCADE,
        related_name="status_reports",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    disposition = models.CharField(
        _("next plan"), max_length=10, choices=Disposition.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "plans.Measure",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_reports",
        help_text=_("The measure of the same plan that takes this one over."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("comment",)

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        constraints = [
            models.UniqueConstraint("round", "measure", name="status_report_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.number} ({self.round})"

    def clean(self) -> None:
        if self.disposition != Disposition.MERGED:
            self.merged_into = None
            return
        if self.merged_into_id is None:
            return  # the import may name the target only in the comment
        if self.merged_into_id == self.measure_id:
            raise ValidationError(
                {
                    "merged_into": ValidationError(
                        _("A measure cannot be merged into itself."), code="merged_into_self"
                    )
                }
            )
        if self.merged_into is not None and self.merged_into.plan_id != self.measure.plan_id:
            raise ValidationError(
                {
                    "merged_into": ValidationError(
                        _("The measure merged into must belong to the same plan."),
                        code="merged_into_other_plan",
                    )
                }
            )


class Assessment(models.TextChoices):
    """How far a qualitative criterion is met; shown with the traffic light and its word."""

    MET = "met", _("met")
    PARTLY_MET = "partly_met", _("partly met")
    NOT_MET = "not_met", _("not met")


class CriterionAssessment(VersionedModel):
    """A person's assessment of one qualitative criterion in one round, with a motivation."""

    round = models.ForeignKey(
        FollowUpRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    criterion = models.ForeignKey(
        "plans.QualitativeCriterion",
        verbose_name=_("criterion"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    assessment = models.CharField(_("assessment"), max_length=12, choices=Assessment.choices)
    motivation = models.TextField(_("motivation"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("motivation",)

    class Meta:
        verbose_name = _("criterion assessment")
        verbose_name_plural = _("criterion assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "criterion"],
                name="assessment_once_per_round",
                violation_error_code="assessment_taken",
                violation_error_message=(
                    "Kriteriet är redan bedömt i uppföljningen. / "
                    "The criterion is already assessed in the round."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} ({self.round})"

    def clean(self) -> None:
        if (
            self.round_id
            and self.criterion_id
            and self.criterion.goal.goal_area.plan_id != self.round.plan_id
        ):
            raise ValidationError(
                {
                    "criterion": ValidationError(
                        _("The criterion belongs to another plan."), code="other_plan"
                    )
                }
            )


class Reminder(TimeStampedModel):
    """One unit reminded by e-mail of one round on one day; at most one per unit and day."""

    round = models.ForeignKey(
        FollowUpRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="reminders"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("responsible unit"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_on = models.DateField(_("sent on"))
    recipients_count = models.PositiveIntegerField(_("recipients"))
    measure_count = models.PositiveIntegerField(_("unreported measures"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["round", "-sent_on", "organisation"]
        constraints = [
            models.UniqueConstraint(
                "round", "organisation", "sent_on", name="reminder_once_per_unit_and_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.sent_on:%Y-%m-%d} ({self.round})"
