"""Action plans: a plan for a period holds numbered goal areas and numbered measures."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kvarter.core.models import VersionedModel

MEASURE_NUMBER_RE = re.compile(r"^(\d+)\.(\d+)$")
measure_number_validator = RegexValidator(
    MEASURE_NUMBER_RE.pattern,
    _("A measure number is the goal area's number, a dot and a number, e.g. 2.13."),
    code="invalid_measure_number",
)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ADOPTED = "adopted", _("adopted")
    CLOSED = "closed", _("closed")


class Plan(VersionedModel):
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    name = models.CharField(_("name"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    decision_reference = models.CharField(
        _("decision reference"), max_length=100, blank=True, help_text=_("For example KS 2020-754.")
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("previous plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("name",)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["municipality", "-start_year", "name"]
        constraints = [
            models.UniqueConstraint("municipality", Lower("name"), name="plan_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError(
                {
                    "end_year": ValidationError(
                        _("The last year cannot come before the first year."),
                        code="period_reversed",
                    )
                }
            )


class GoalArea(VersionedModel):
    """A theme of the plan (målområde, utvecklingsområde), numbered 1, 2, 3 …"""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goal_areas")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    vision = models.ForeignKey(
        "plans.Vision",
        verbose_name=_("vision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goal_areas",
        help_text=_("The vision or overarching goal the goal area serves."),
    )

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("name",)

    class Meta:
        verbose_name = _("goal area")
        verbose_name_plural = _("goal areas")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint("plan", "number", name="goal_area_number_unique"),
            models.UniqueConstraint("plan", Lower("name"), name="goal_area_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Measure(VersionedModel):
    """A numbered measure (åtgärd) of a plan: 1.1, 2.13."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    goal_area = models.ForeignKey(GoalArea, on_delete=models.PROTECT, related_name="measures")
    number = models.CharField(_("number"), max_length=10, validators=[measure_number_validator])
    # The two parts of the number, so that 1.2 sorts before 1.10.
    number_major = models.PositiveSmallIntegerField(editable=False, default=0)
    number_minor = models.PositiveSmallIntegerField(editable=False, default=0)
    title = models.CharField(_("measure"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    areas = models.ManyToManyField(
        "areas.Area",
        verbose_name=_("areas"),
        blank=True,
        related_name="measures",
        help_text=_("None means the whole municipality."),
    )
    responsible_text = models.CharField(_("responsible"), max_length=500, blank=True)
    responsible_units = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("responsible units"),
        blank=True,
        related_name="measures",
    )
    partners = models.TextField(_("partners"), blank=True)
    financing = models.TextField(_("financing and timeframe"), blank=True)
    amount = models.PositiveBigIntegerField(_("amount (kronor)"), null=True, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    extra = models.JSONField(
        _("other columns"),
        default=dict,
        blank=True,
        help_text=_("Columns from an imported file that Kvarter has no field for."),
    )
    goals = models.ManyToManyField(
        "plans.Goal",
        verbose_name=_("goals"),
        blank=True,
        related_name="measures",
        help_text=_("The goals of the plan that the measure serves."),
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("previous year's measure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("title", "description", "responsible_text", "partners", "financing")

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["plan", "number_major", "number_minor"]
        constraints = [
            models.UniqueConstraint("plan", "number", name="measure_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self) -> None:
        match = MEASURE_NUMBER_RE.match(self.number or "")
        if match is None:
            return  # the field validator reports it
        self.number_major, self.number_minor = int(match[1]), int(match[2])
        if self.goal_area_id and self.goal_area.number != self.number_major:
            message = _("Measure %(number)s does not belong to goal area %(goal_area)s.") % {
                "number": self.number,
                "goal_area": self.goal_area.number,
            }
            raise ValidationError(
                {"number": ValidationError(message, code="number_goal_area_mismatch")}
            )
        if self.goal_area_id and self.plan_id and self.goal_area.plan_id != self.plan_id:
            raise ValidationError(
                {
                    "goal_area": ValidationError(
                        _("The goal area belongs to another plan."), code="other_plan"
                    )
                }
            )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {
                    "end_date": ValidationError(
                        _("The end cannot come before the start."), code="period_reversed"
                    )
                }
            )
