"""Indicator imports: the reads — where the actor may import, and the imports they may see.

The import itself is in :mod:`kvarter.indicators.services`, which may import from here; this
module never imports from services (that would be circular). The own-value reads are in
:mod:`kvarter.indicators.own_values_selectors`, an area's indicator profile in
:mod:`kvarter.indicators.profile`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.roles import Capability
from kvarter.areas.models import Municipality
from kvarter.indicators.models import ImportBatch


def importable_municipalities(actor: Any) -> QuerySet[Municipality]:
    """The municipalities ``actor`` may import indicator values for, by name."""
    return resolver_for(actor).municipalities_with(Capability.IMPORT_INDICATORS)


def import_batches_visible(*, actor: Any) -> QuerySet[ImportBatch]:
    """Imports the actor may see.

    Superusers see all; others see imports made by the installation (CLI, jobs) and by people
    holding a role in a municipality where the actor may import.
    """
    batches = ImportBatch.objects.select_related("imported_by").order_by("-created_at")
    if resolver_for(actor).is_superuser:
        return batches
    municipalities = importable_municipalities(actor)
    return batches.filter(
        Q(imported_by__isnull=True)
        | Q(imported_by__role_assignments__municipality__in=municipalities)
    ).distinct()


def import_batch_list(*, actor: Any, limit: int = 20) -> QuerySet[ImportBatch]:
    """The most recent imports the actor may see."""
    return import_batches_visible(actor=actor)[:limit]
