"""Incident history: the reads. The import itself is in :mod:`kvarter.safety.history.services`,
the exports in :mod:`kvarter.safety.history.exports`.
"""

from __future__ import annotations

from kvarter.accounts.models import Organisation
from kvarter.areas.models import Area, Municipality
from kvarter.safety.history.importers import Catalogue, catalogue_from
from kvarter.safety.models import IncidentCategory, Place


def load_catalogue(municipality: Municipality) -> Catalogue:
    """The municipality's categories, areas with boundaries, places and organisations."""
    return catalogue_from(
        categories=list(
            IncidentCategory.objects.filter(municipality=municipality)
            .order_by("pk")
            .values_list("pk", "name")
        ),
        areas=list(
            Area.objects.filter(municipality=municipality)
            .order_by("pk")
            .values_list("pk", "name", "boundary")
        ),
        places=list(
            Place.objects.filter(area__municipality=municipality).values_list(
                "pk", "area_id", "name", "latitude", "longitude"
            )
        ),
        organisations=list(
            Organisation.objects.filter(municipality=municipality)
            .order_by("pk")
            .values_list("pk", "name", "short_name")
        ),
    )
