"""Filed incident reports and their events, and the log of every read of raw reports."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kvarter.core.models import TimeStampedModel
from kvarter.safety.catalogue.models import IncidentCategory, Place

TEXT_MAX_LENGTH = 1000


class ReviewState(models.TextChoices):
    PENDING = "pending", _("awaiting review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class IncidentReport(TimeStampedModel):
    """What a reporter files at one time; it holds one or more events."""

    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.PROTECT, related_name="incident_reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident_reports",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("reporting organisation"),
        on_delete=models.PROTECT,
        related_name="incident_reports",
    )
    # Sent by the phone with its draft: a report sent twice (poor connection) is stored once.
    client_key = models.UUIDField(_("client key"), null=True, blank=True, unique=True)
    # The id in the system an imported history came from: re-importing changes nothing.
    source_id = models.CharField(_("source id"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    review_state = models.CharField(
        _("review"), max_length=10, choices=ReviewState.choices, default=ReviewState.APPROVED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "source_id"],
                condition=~Q(source_id=""),
                name="incident_report_source_id_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.submitted_at:%Y-%m-%d %H:%M}"


class Unsafety(models.TextChoices):
    """The reporter's own assessment: does this make people feel unsafe (otrygghet)?"""

    YES = "yes", _("creates unsafety")
    NO = "no", _("does not create unsafety")
    UNSURE = "unsure", _("cannot say")


class IncidentEvent(models.Model):
    """One observation (händelse): category, area, place or position, time, short text."""

    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="events")
    category = models.ForeignKey(IncidentCategory, on_delete=models.PROTECT, related_name="events")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="events")
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    occurred_at = models.DateTimeField(_("occurred"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    text = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    severity = models.PositiveSmallIntegerField(
        _("severity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    unsafety = models.CharField(
        _("creates unsafety"), max_length=6, choices=Unsafety.choices, blank=True
    )

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("text",)
    free_text_vehicles = True  # an EST text: vehicle registrations refused too

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["area", "occurred_at"], name="event_area_time"),
            models.Index(fields=["place", "occurred_at"], name="event_place_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__isnull=True) | Q(severity__gte=1, severity__lte=3),
                name="event_severity_1_to_3",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="event_position_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.occurred_at:%Y-%m-%d %H:%M}"


class RawReadLog(models.Model):
    """Every read of raw reports: who, when, through which door, what and how many.

    Rows are only ever added. ``what`` names the page, API endpoint or export; ``filters`` the
    filter as the reader set it (area ids, week, categories) — never report texts.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("user name"), max_length=150)
    door = models.CharField(_("channel"), max_length=10)
    what = models.CharField(_("what"), max_length=100)
    filters = models.JSONField(_("filter"), default=dict, blank=True)
    count = models.PositiveIntegerField(_("reports read"))

    class Meta:
        verbose_name = _("read of raw reports")
        verbose_name_plural = _("reads of raw reports")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.what} ({self.count})"
