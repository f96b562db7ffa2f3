"""The goal hierarchy: visions, goals under the plan's goal areas, and fulfilment criteria.

A goal is fulfilled by quantitative criteria (a catalogue indicator, measured in the whole
municipality or in one of its areas, against a target, women and men apart where the plan sets
targets for them) and qualitative criteria (a written criterion that a person assesses in each
follow-up round, see ``followup.CriterionAssessment``). The municipality's own figures are
catalogue indicators too, with the source "own figures" (docs/decisions/0004).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kvarter.core import error_codes
from kvarter.core.models import Sex, VersionedModel

__all__ = [
    "Direction",
    "Goal",
    "QualitativeCriterion",
    "QuantitativeCriterion",
    "Sex",
    "Vision",
]

criterion_letter_validator = RegexValidator(
    r"^[a-zåäö]{1,2}$",
    _("A qualitative criterion is lettered a, b, c …"),
    code="invalid_criterion_letter",
)


class Direction(models.TextChoices):
    INCREASE = "increase", _("higher is better")
    DECREASE = "decrease", _("lower is better")


class Vision(VersionedModel):
    """A vision or overarching goal of the municipality's work (top of the goal hierarchy)."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="visions",
    )
    title = models.CharField(_("vision"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("title", "description")

    class Meta:
        verbose_name = _("vision")
        verbose_name_plural = _("visions")
        ordering = ["municipality", "title"]
        constraints = [
            models.UniqueConstraint("municipality", Lower("title"), name="vision_title_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Goal(VersionedModel):
    """A goal (mål) in one goal area of a plan, numbered within the goal area: 'Mål 1.2'."""

    goal_area = models.ForeignKey(
        "plans.GoalArea",
        verbose_name=_("goal area"),
        on_delete=models.PROTECT,
        related_name="goals",
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("goal"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("previous plan's goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("title", "description")

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["goal_area__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal_area", "number"],
                name="goal_number_unique",
                violation_error_code="goal_number_taken",
                violation_error_message=(
                    "Målområdet har redan ett mål med det numret. / "
                    "The goal area already has a goal with that number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        """'1.2': the goal area's number and the goal's."""
        return f"{self.goal_area.number}.{self.number}"


class QuantitativeCriterion(VersionedModel):
    """An indicator against a target: reach ``target_value`` by ``target_year`` from the baseline.

    Targets for women and men are optional and followed up apart when set; at least one of the
    three targets must be set.
    """

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="quantitative_criteria")
    position = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="criteria",
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quantitative_criteria",
        help_text=_("Where the target is set; empty means the whole municipality."),
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    target_year = models.PositiveSmallIntegerField(_("target year"))
    target_value = models.DecimalField(
        _("target"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    target_value_women = models.DecimalField(
        _("target for women"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    target_value_men = models.DecimalField(
        _("target for men"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("previous plan's criterion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )

    class Meta:
        verbose_name = _("quantitative criterion")
        verbose_name_plural = _("quantitative criteria")
        ordering = ["goal", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "position"],
                name="quantitative_position_unique",
                violation_error_code="criterion_number_taken",
                violation_error_message=(
                    "Målet har redan ett kriterium med det numret. / "
                    "The goal already has a criterion with that number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code}:{self.position} {self.indicator.name_sv}"

    def targets(self) -> dict[str, object]:
        """Sex code → target, for the targets that are set (T, then K and M)."""
        pairs = [
            (Sex.TOTAL, self.target_value),
            (Sex.WOMEN, self.target_value_women),
            (Sex.MEN, self.target_value_men),
        ]
        return {str(sex): value for sex, value in pairs if value is not None}

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if not self.targets():
            errors["target_value"] = ValidationError(
                _("Set a target, for everyone or for women and men."), code="target_missing"
            )
        if self.baseline_year and self.target_year and self.target_year < self.baseline_year:
            errors["target_year"] = ValidationError(
                _("The target year cannot come before the baseline year."),
                code="period_reversed",
            )
        indicator = self.indicator if self.indicator_id else None
        if indicator is not None and not indicator.by_sex:
            for name in ("target_value_women", "target_value_men"):
                if getattr(self, name) is not None:
                    errors[name] = ValidationError(
                        _(
                            "The indicator is not given for women and men; set a target for "
                            "everyone."
                        ),
                        code="indicator_not_by_sex",
                    )
        if (
            self.area is not None
            and self.goal_id
            and self.area.municipality_id != self.goal.goal_area.plan.municipality_id
        ):
            errors["area"] = error_codes.error("area_other_municipality")
        if errors:
            raise ValidationError(errors)


class QualitativeCriterion(VersionedModel):
    """A written criterion (a, b, c …) that a person assesses in each follow-up round."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="qualitative_criteria")
    letter = models.CharField(_("letter"), max_length=2, validators=[criterion_letter_validator])
    text = models.TextField(_("criterion"))
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("previous plan's criterion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("text",)

    class Meta:
        verbose_name = _("qualitative criterion")
        verbose_name_plural = _("qualitative criteria")
        ordering = ["goal", "letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "letter"],
                name="qualitative_letter_unique",
                violation_error_code="criterion_letter_taken",
                violation_error_message=(
                    "Målet har redan ett kriterium med den bokstaven. / "
                    "The goal already has a criterion with that letter."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code}{self.letter} {self.text[:60]}"
