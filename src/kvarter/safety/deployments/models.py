"""Deployments (insatser): a resource to a place, on days and hours, and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kvarter.core.models import VersionedModel
from kvarter.safety.catalogue.models import Place, Resource
from kvarter.safety.filing.models import TEXT_MAX_LENGTH


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

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("purpose", "outcome_note")

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
