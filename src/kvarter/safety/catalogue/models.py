"""The EST catalogue: settings per municipality, report categories, places and resources."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kvarter.core.models import TimeStampedModel, VersionedModel


class EstSettings(TimeStampedModel):
    """An installation's EST rules, per municipality."""

    municipality = models.OneToOneField(
        "areas.Municipality", on_delete=models.CASCADE, related_name="est_settings"
    )
    review_required = models.BooleanField(
        _("reports are reviewed before the situational picture"), default=False
    )
    retention_months = models.PositiveSmallIntegerField(
        _("raw reports kept (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    h3_resolution = models.PositiveSmallIntegerField(
        _("hot-spot cell size (H3 resolution)"),
        default=9,
        validators=[MinValueValidator(6), MaxValueValidator(11)],
        help_text=_("9 is about 0.1 km² per cell, 8 about 0.7 km²."),
    )
    smallest_count_shown = models.PositiveSmallIntegerField(
        _("smallest count shown to non-members"),
        default=3,
        help_text=_("Counts below this are shown as '< N' to anyone who may not see raw reports."),
    )

    class Meta:
        verbose_name = _("EST settings")
        verbose_name_plural = _("EST settings")

    def __str__(self) -> str:
        return f"EST {self.municipality}"


class IncidentCategory(TimeStampedModel):
    """A category of the installation's catalogue, e.g. skadegörelse, klotter, positiv händelse."""

    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.CASCADE, related_name="incident_categories"
    )
    name = models.CharField(_("name"), max_length=100)
    is_positive = models.BooleanField(_("positive event"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("name",)

    class Meta:
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")
        ordering = ["municipality", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                "municipality", Lower("name"), name="incident_category_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Place(VersionedModel):
    """A named place in an area (Centrumtorget, Tunneln vid skolan): a point or a polygon."""

    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("name"), max_length=100)
    geometry = models.JSONField(
        _("location"), help_text=_("GeoJSON Point or Polygon in WGS 84 (longitude, latitude).")
    )
    # A representative point, for maps and for placing a report made 'at' the place.
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("name",)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["area", "name"]
        constraints = [models.UniqueConstraint("area", Lower("name"), name="place_name_unique")]

    def __str__(self) -> str:
        return self.name


class ResourceKind(models.TextChoices):
    MUNICIPAL_HOSTS = "hosts", _("municipal hosts")
    GUARDS = "guards", _("security guards")
    AREA_POLICE = "police", _("area police")
    OUTREACH = "outreach", _("outreach team")
    OTHER = "other", _("other")


class Resource(TimeStampedModel):
    """Who can be deployed to a place and time: kommunvärdar, väktare, områdespolis, fältgrupp."""

    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.CASCADE, related_name="est_resources"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="est_resources",
    )
    active = models.BooleanField(_("in use"), default=True)

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("name",)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint("municipality", Lower("name"), name="resource_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
