"""The indicator catalogue and its values: area, municipality and nation, over time, by sex.

A value belongs to one indicator, one place, one period and one sex. The place is either a
region that Statistics Sweden or Kolada names by code (the nation, a county, a municipality, a
RegSO or a DeSO) or one of the municipality's own areas (imported by name, summed up from the
DeSO/RegSO units the area is made of, or typed in as the municipality's own figures).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kvarter.areas.models import DESO_RE, REGSO_RE, Area
from kvarter.core.models import Sex, TimeStampedModel, VersionedModel

# Region codes as Statistics Sweden writes them. Kolada writes the nation as '0000'; SCB as '00'
# (some tables: 'SE'). Every importer normalises to NATION_CODE.
NATION_CODE = "00"
COUNTY_RE = re.compile(r"^\d{2}$")
MUNICIPALITY_RE = re.compile(r"^\d{4}$")

# Periods: a year (2021), a half (2021H1), a quarter (2021Q3) or a month (2021M04).
PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:H[12]|Q[1-4]|M(?:0[1-9]|1[0-2]))?$")


class Unit(models.TextChoices):
    PERCENT = "percent", _("percent")
    COUNT = "count", _("count")
    PER_1000 = "per_1000", _("per 1,000 inhabitants")
    PER_100000 = "per_100000", _("per 100,000 inhabitants")
    KRONOR = "kronor", _("kronor")
    INDEX = "index", _("index")
    POINTS = "points", _("points")
    DAYS = "days", _("days")

    @classmethod
    def scale(cls, unit: str) -> int | None:
        """The factor from numerator/denominator to the value, for units that are shares."""
        scales: dict[str, int] = {"percent": 100, "per_1000": 1000, "per_100000": 100000}
        return scales.get(unit)


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("higher is better")
    LOWER_IS_BETTER = "lower", _("lower is better")
    NEUTRAL = "neutral", _("neutral")


class SourceKind(models.TextChoices):
    SCB = "scb", _("Statistics Sweden (SCB)")
    KOLADA = "kolada", "Kolada"
    SURVEY = "survey", _("own survey")
    OWN = "own", _("own figures")
    OTHER = "other", _("other source")


class Periodicity(models.TextChoices):
    YEAR = "year", _("yearly")
    HALF = "half", _("half-yearly")
    QUARTER = "quarter", _("quarterly")
    MONTH = "month", _("monthly")


indicator_code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]{0,49}$",
    _("An indicator code is lower-case letters, digits, '-' and '_', e.g. forvarvsfrekvens."),
    code="invalid_code",
)


class Indicator(VersionedModel):
    """A measured series in the catalogue, e.g. förvärvsfrekvens 20–64 år."""

    code = models.CharField(
        _("code"), max_length=50, unique=True, validators=[indicator_code_validator]
    )
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    source_kind = models.CharField(_("source"), max_length=8, choices=SourceKind.choices)
    kolada_kpi = models.CharField(
        _("Kolada KPI id"), max_length=12, blank=True, db_index=True, help_text=_("e.g. N00914")
    )
    scb_table = models.CharField(
        _("SCB table id"), max_length=60, blank=True, help_text=_("e.g. TAB5813")
    )
    scb_measure = models.CharField(
        _("SCB contents code"),
        max_length=30,
        blank=True,
        db_index=True,
        help_text=_("The ContentsCode of the measure in the SCB table, e.g. 000005PU."),
    )
    source_note = models.TextField(_("source note"), blank=True)
    periodicity = models.CharField(
        _("periodicity"), max_length=8, choices=Periodicity.choices, default=Periodicity.YEAR
    )
    by_sex = models.BooleanField(_("available for women and men"), default=True)
    suppression_rule = models.TextField(
        _("suppression rule"),
        blank=True,
        help_text=_("How the source hides small numbers, e.g. 'fewer than 5 persons'."),
    )
    suppression_threshold = models.PositiveIntegerField(
        _("smallest denominator shown"),
        null=True,
        blank=True,
        help_text=_("A share computed from fewer than this many is kept as suppressed."),
    )
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=1)

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("name_sv", "name_en", "definition", "source_note", "suppression_rule")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name_sv"]

    def __str__(self) -> str:
        return self.name_sv

    @property
    def scale(self) -> int | None:
        return Unit.scale(self.unit)

    def name(self, language: str | None = None) -> str:
        from django.utils.translation import get_language

        language = language or get_language() or "sv"
        return self.name_en if language.startswith("en") and self.name_en else self.name_sv


class Level(models.TextChoices):
    """Where a value was measured, from the whole country down to the municipality's area."""

    NATION = "nation", _("Sweden")
    COUNTY = "county", _("county")
    MUNICIPALITY = "municipality", _("municipality")
    REGSO = "regso", "RegSO"
    DESO = "deso", "DeSO"
    AREA = "area", _("area")


def region_level(code: str) -> Level | None:
    """The level a Statistics Sweden region code names, or None if it names none."""
    if code == NATION_CODE:
        return Level.NATION
    if COUNTY_RE.match(code):
        return Level.COUNTY
    if MUNICIPALITY_RE.match(code):
        return Level.MUNICIPALITY
    if REGSO_RE.match(code):
        return Level.REGSO
    if DESO_RE.match(code):
        return Level.DESO
    return None


class ValueStatus(models.TextChoices):
    OK = "ok", _("ok")
    SUPPRESSED = "suppressed", _("suppressed")
    PRELIMINARY = "preliminary", _("preliminary")
    MISSING = "missing", _("missing")


class ImportBatch(TimeStampedModel):
    """One import of indicator values: what file, from where, by whom, and what it did."""

    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=20)
    source = models.CharField(_("source"), max_length=200)
    retrieved_on = models.DateField(_("retrieved"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added = models.PositiveIntegerField(_("added"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    skipped = models.PositiveIntegerField(_("unchanged"), default=0)
    aggregated = models.PositiveIntegerField(_("area values summed up"), default=0)
    # What the import could not do and why, e.g. an indicator in kronor that is not summed up
    # from DeSO to an area. Each note is one sentence in Swedish and English.
    notes = models.JSONField(_("notes"), default=list, blank=True)

    class Meta:
        verbose_name = _("indicator import")
        verbose_name_plural = _("indicator imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})"


class IndicatorValue(models.Model):
    """One figure. ``value`` is None whenever the status is suppressed or missing — never 0.

    ``numerator`` and ``denominator`` are kept when the source gives them, so that a share for
    an area made of several DeSO can be recomputed from counts instead of averaging shares.
    Values are floats: the sources publish decimals that a double holds exactly as read.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    region_code = models.CharField(
        _("region code"), max_length=12, blank=True, help_text=_("Empty for an area's value.")
    )
    # No single-column indexes on area and batch: the (area, indicator, period) index serves every
    # read by area, a batch is looked up by its values only when deleted, and each extra index
    # cost about a sixth of the time of writing a DeSO table's 900,000 values.
    area = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicator_values",
        db_index=False,
    )
    period = models.CharField(_("period"), max_length=7)
    year = models.PositiveSmallIntegerField(_("year"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.TOTAL)
    value = models.FloatField(_("value"), null=True, blank=True)
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ValueStatus.choices, default=ValueStatus.OK
    )
    source = models.CharField(_("source"), max_length=200)
    retrieved_on = models.DateField(_("retrieved"))
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "level", "region_code", "area", "period", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region_code", "period", "sex"],
                condition=Q(area__isnull=True),
                name="indicator_value_region_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "sex"],
                condition=Q(area__isnull=False),
                name="indicator_value_area_unique",
            ),
            # An area's value has no region code; a region's value has no area.
            models.CheckConstraint(
                condition=(Q(area__isnull=True) & ~Q(region_code=""))
                | (Q(area__isnull=False) & Q(region_code="") & Q(level="area")),
                name="indicator_value_place",
            ),
            # Suppressed and missing figures carry no number, so nothing can read them as 0.
            models.CheckConstraint(
                condition=Q(status__in=["ok", "preliminary"]) | Q(value__isnull=True),
                name="indicator_value_hidden_has_no_value",
            ),
        ]
        indexes = [
            models.Index(fields=["area", "indicator", "period"], name="indicator_value_area"),
            models.Index(
                fields=["region_code", "indicator", "period"], name="indicator_value_region"
            ),
        ]

    def __str__(self) -> str:
        place = self.area or self.region_code
        return f"{self.indicator.code} {place} {self.period} {self.sex}: {self.value}"

    def clean(self) -> None:
        if not PERIOD_RE.match(self.period):
            raise ValidationError(
                {"period": _("A period is e.g. 2021, 2021H1, 2021Q3 or 2021M04.")}
            )


class AreaTypeClass(models.IntegerChoices):
    """The five socio-economic area types (Delegationen mot segregation)."""

    GREAT_CHALLENGES = 1, _("great socio-economic challenges")
    CHALLENGES = 2, _("socio-economic challenges")
    MIXED = 3, _("socio-economically mixed")
    GOOD = 4, _("good socio-economic conditions")
    VERY_GOOD = 5, _("very good socio-economic conditions")


class AreaType(TimeStampedModel):
    """An area's socio-economic index and type for one year, computed from its values."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="area_types")
    year = models.PositiveSmallIntegerField(_("year"))
    index = models.FloatField(_("socio-economic index"))
    area_type = models.PositiveSmallIntegerField(_("area type"), choices=AreaTypeClass.choices)
    inputs = models.JSONField(
        _("inputs"), default=dict, help_text=_("The indicator values the index was computed from.")
    )

    class Meta:
        verbose_name = _("area type")
        verbose_name_plural = _("area types")
        ordering = ["area", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="area_type_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.get_area_type_display()}"
