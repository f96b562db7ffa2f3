"""Reads of the audit log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet

from kvarter.core.models import AuditEntry


def audit_entries_for(instance: models.Model, *, limit: int = 50) -> QuerySet[AuditEntry]:
    """The latest changes to one row; the caller decides whether the actor may see them."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).select_related("actor")[:limit]


def field_labels(model: type[models.Model], names: list[str]) -> list[str]:
    """The people-facing names of changed fields, for history tables."""
    labels = []
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            labels.append(name.replace("_", " "))
            continue
        verbose_name = getattr(field, "verbose_name", None)
        related = field.related_model
        if verbose_name:
            labels.append(str(verbose_name))
        elif related is not None and not isinstance(related, str):
            # A reverse relation (an area's statistical units): name it after the related rows.
            labels.append(str(related._meta.verbose_name_plural))
        else:
            labels.append(name.replace("_", " "))
    return labels
