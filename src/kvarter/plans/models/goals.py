"""The goal hierarchy: visions, goals under the plan's goal areas, and fulfilment criteria.

A goal is fulfilled by quantitative criteria (an indicator series against a target, women and
men apart where the plan sets targets for them) and qualitative criteria (a written criterion
that a person assesses in each follow-up round, see ``followup.CriterionAssessment``).

Until the indicator catalogue exists, a quantitative criterion reads an :class:`IndicatorSeries`
whose values are entered by hand (see docs/decisions/0004-goal-hierarchy.md).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kvarter.areas.validators import validate_areas_in_municipality
from kvarter.core.models import Sex, VersionedModel

__all__ = [
    "Direction",
    "Goal",
    "IndicatorSeries",
    "QualitativeCriterion",
    "QuantitativeCriterion",
    "SeriesValue",
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


class IndicatorSeries(VersionedModel):
    """A measured series entered by hand: the municipality's own figures for a criterion."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="indicator_series",
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_series",
        help_text=_("None means the whole municipality."),
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True, help_text=_("e.g. percent"))
    description = models.TextField(_("definition and source"), blank=True)

    class Meta:
        verbose_name = _("indicator series")
        verbose_name_plural = _("indicator series")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(
                "municipality",
                Lower("name"),
                condition=Q(area__isnull=True),
                name="series_name_unique_municipality",
            ),
            models.UniqueConstraint(
                "municipality",
                "area",
                Lower("name"),
                condition=Q(area__isnull=False),
                name="series_name_unique_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.area})" if self.area_id else self.name

    def clean(self) -> None:
        if self.area is not None and self.municipality_id:
            validate_areas_in_municipality([self.area], self.municipality_id, field="area")


class SeriesValue(VersionedModel):
    """One year's value of a series, for everyone (T) or for women (K) or men (M)."""

    series = models.ForeignKey(IndicatorSeries, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1900)])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.TOTAL)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)

    class Meta:
        verbose_name = _("series value")
        verbose_name_plural = _("series values")
        ordering = ["series", "year", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "sex"],
                name="series_value_unique",
                violation_error_code="series_value_taken",
                violation_error_message=(
                    "Serien har redan ett värde för det året och den gruppen. / "
                    "The series already has a value for that year and group."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year} {self.sex}: {self.value}"


class QuantitativeCriterion(VersionedModel):
    """An indicator against a target: reach ``target_value`` by ``target_year`` from the baseline.

    Targets for women and men are optional and followed up apart when set; at least one of the
    three targets must be set.
    """

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="quantitative_criteria")
    position = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    series = models.ForeignKey(
        IndicatorSeries,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="criteria",
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
        return f"{self.goal.code}:{self.position} {self.series.name}"

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
        if (
            self.series_id
            and self.goal_id
            and self.series.municipality_id != self.goal.goal_area.plan.municipality_id
        ):
            errors["series"] = ValidationError(
                _("The indicator belongs to another municipality."),
                code="series_other_municipality",
            )
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
