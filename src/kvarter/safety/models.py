"""Safety coordination (EST): what reporters file, where, and what the operational group does.

A reporter files an ``IncidentReport`` (rapport) holding one or more ``IncidentEvent``s
(händelser): category, place, time, optional short text. Raw reports are seen only by EST
members of the area (capability VIEW_RAW_INCIDENTS); everyone else sees aggregates with small
counts suppressed. Texts never hold personal data: they are scanned before anything is stored.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kvarter.core.models import TimeStampedModel, VersionedModel

TEXT_MAX_LENGTH = 1000


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

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint("municipality", Lower("name"), name="resource_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


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


class Outcome(models.TextChoices):
    CARRIED_OUT = "done", _("carried out")
    PARTLY = "partly", _("partly carried out")
    NOT_CARRIED_OUT = "not_done", _("not carried out")


class Deployment(VersionedModel):
    """The operational group's decision: a resource to a place, on days and hours, for a purpose."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="deployments")
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="deployments"
    )
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="deployments")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    weekdays = models.JSONField(
        _("weekdays"), default=list, blank=True, help_text=_("ISO weekdays 1–7; empty: every day.")
    )
    time_from = models.TimeField(_("from (time)"), null=True, blank=True)
    time_to = models.TimeField(_("to (time)"), null=True, blank=True)
    purpose = models.TextField(_("purpose"), max_length=TEXT_MAX_LENGTH)
    decided_on = models.DateField(_("decided"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("what came of it"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        ordering = ["-starts_on", "area"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="deployment_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.area} {self.starts_on}–{self.ends_on}"


class ProblemPlaceStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


class ProblemPlace(VersionedModel):
    """A place flagged for long-term work at the tactical level, linked to plan measures."""

    place = models.OneToOneField(Place, on_delete=models.CASCADE, related_name="problem_place")
    flagged_on = models.DateField(_("flagged"))
    reason = models.TextField(_("why"), max_length=TEXT_MAX_LENGTH)
    status = models.CharField(
        _("status"),
        max_length=6,
        choices=ProblemPlaceStatus.choices,
        default=ProblemPlaceStatus.ACTIVE,
    )
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    measures = models.ManyToManyField(
        "plans.Measure", verbose_name=_("measures"), blank=True, related_name="problem_places"
    )

    class Meta:
        verbose_name = _("problem place")
        verbose_name_plural = _("problem places")
        ordering = ["status", "-flagged_on"]

    def __str__(self) -> str:
        return str(self.place)


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


class MonthlyAggregate(models.Model):
    """What remains of raw reports after the retention period: counts per month.

    Before the purge deletes reports older than ``EstSettings.retention_months``, their
    approved events are counted here per municipality, area, place, category and month (the
    month the event occurred, Europe/Stockholm). Counts are added to, never replaced, so the
    count of any month is always ``sum(aggregate rows) + count(live events)`` and trends and the
    strategic summary still work for purged periods. ``unsafe`` counts the events the reporter
    judged to create unsafety. No text, time of day, position or reporter survives.
    """

    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.ForeignKey(IncidentCategory, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    count = models.PositiveIntegerField(_("events"))
    unsafe = models.PositiveIntegerField(_("events creating unsafety"), default=0)

    class Meta:
        verbose_name = _("monthly count of purged reports")
        verbose_name_plural = _("monthly counts of purged reports")
        ordering = ["month", "area", "category"]
        indexes = [
            models.Index(fields=["municipality", "month"], name="aggregate_municipality_month"),
            models.Index(fields=["area", "month"], name="aggregate_area_month"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="aggregate_month_first_day")
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.category_id} {self.month:%Y-%m}: {self.count}"
