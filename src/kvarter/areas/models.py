"""Municipalities, their areas, boundaries, statistical units and police classification."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kvarter.areas.geometry import GeometryError, validate_geojson_geometry
from kvarter.core import error_codes
from kvarter.core.models import TimeStampedModel, VersionedModel

municipality_code_validator = RegexValidator(
    r"^\d{4}$", _("A municipality code is four digits, e.g. 0580."), code="invalid_code"
)

# DeSO: municipality code, area letter A/B/C, four digits (0580C1010).
# RegSO: municipality code, 'R', three digits (0580R001).
DESO_RE = re.compile(r"^\d{4}[ABC]\d{4}$")
REGSO_RE = re.compile(r"^\d{4}R\d{3}$")


class Municipality(TimeStampedModel):
    code = models.CharField(
        _("municipality code"), max_length=4, unique=True, validators=[municipality_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("name",)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(VersionedModel):
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="areas"
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    boundary = models.JSONField(
        _("boundary"),
        null=True,
        blank=True,
        help_text=_("GeoJSON Polygon or MultiPolygon in WGS 84 (longitude, latitude)."),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("name", "description")

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                "municipality", Lower("name"), name="area_name_unique_in_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.boundary is not None:
            try:
                validate_geojson_geometry(self.boundary)
            except GeometryError as error:
                # Nested so that the stable code reaches callers (a dict drops the outer code).
                raise ValidationError(
                    {"boundary": error_codes.error(error.code, **error.params)}
                ) from error


class StatisticalUnitKind(models.TextChoices):
    DESO = "deso", "DeSO"
    REGSO = "regso", "RegSO"


def statistical_unit_kind(code: str) -> StatisticalUnitKind | None:
    if DESO_RE.match(code):
        return StatisticalUnitKind.DESO
    if REGSO_RE.match(code):
        return StatisticalUnitKind.REGSO
    return None


class AreaStatisticalUnit(models.Model):
    """An area is often the union of Statistics Sweden's DeSO or RegSO units."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="statistical_units")
    code = models.CharField(_("code"), max_length=9, db_index=True)
    kind = models.CharField(_("kind"), max_length=5, choices=StatisticalUnitKind.choices)

    class Meta:
        verbose_name = _("statistical unit")
        verbose_name_plural = _("statistical units")
        ordering = ["code"]
        constraints = [models.UniqueConstraint("area", "code", name="area_unit_unique")]

    def __str__(self) -> str:
        return self.code


class PoliceClass(models.TextChoices):
    NONE = "none", _("not on the list")
    VULNERABLE = "vulnerable", _("vulnerable area")
    RISK = "risk", _("risk area")
    ESPECIALLY_VULNERABLE = "especially_vulnerable", _("especially vulnerable area")


class PoliceClassification(models.Model):
    """The Police's national list, year by year; an area can leave it."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="police_classifications")
    year = models.PositiveSmallIntegerField(_("year"))
    classification = models.CharField(
        _("police classification"), max_length=24, choices=PoliceClass.choices
    )

    class Meta:
        verbose_name = _("police classification")
        verbose_name_plural = _("police classifications")
        ordering = ["area", "-year"]
        constraints = [
            models.UniqueConstraint("area", "year", name="police_classification_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.get_classification_display()}"
