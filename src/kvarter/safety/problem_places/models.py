"""Problem places: a place flagged for long-term work at the tactical level."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kvarter.core.models import VersionedModel
from kvarter.safety.catalogue.models import Place
from kvarter.safety.filing.models import TEXT_MAX_LENGTH


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

    # Scanned for personal data on every write (kvarter.core.free_text).
    free_text_fields = ("reason",)

    class Meta:
        verbose_name = _("problem place")
        verbose_name_plural = _("problem places")
        ordering = ["status", "-flagged_on"]

    def __str__(self) -> str:
        return str(self.place)
