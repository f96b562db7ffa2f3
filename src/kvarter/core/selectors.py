"""Reads of the audit log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from kvarter.core.models import AuditEntry


def audit_entries_for(instance: models.Model, *, limit: int = 50) -> QuerySet[AuditEntry]:
    """The latest changes to one row; the caller decides whether the actor may see them."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).select_related("actor")[:limit]
