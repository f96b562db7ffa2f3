"""Shared kernel: base models and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from kvarter.core.doors import Door


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A row that people edit: every save through a service bumps ``version``.

    A form or API call sends back the version it read; a save against an older version is
    refused (see :func:`kvarter.core.services.model_update`) instead of overwriting someone
    else's change.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


DOOR_CHOICES = [
    (Door.WEB.value, _("web")),
    (Door.API.value, "API"),
    (Door.CLI.value, _("command line")),
    (Door.TASK.value, _("background job")),
    (Door.SYSTEM.value, _("system")),
]


class Sex(models.TextChoices):
    """Indicators and goals are followed up for women and men apart wherever the source allows."""

    TOTAL = "T", _("total")
    WOMEN = "K", _("women")
    MEN = "M", _("men")


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")


class AuditEntry(models.Model):
    """One change made through a service: who, when, what, through which door.

    Rows are only ever added. ``changes`` maps field name to ``[old, new]`` (for a create,
    old is null; for a delete, new is null).
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
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    door = models.CharField(_("channel"), max_length=10, choices=DOOR_CHOICES)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
