"""What remains of raw reports after the retention period: counts per month."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kvarter.safety.catalogue.models import IncidentCategory, Place


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
