"""The EST catalogue: the reads. The writes (categories, places, resources, settings) are in
:mod:`kvarter.safety.catalogue.services`.
"""

from __future__ import annotations

from kvarter.safety.models import EstSettings


def est_settings_for(municipality_id: int) -> EstSettings:
    """The stored settings, or the defaults (unsaved) for a municipality without EST set up."""
    settings = EstSettings.objects.filter(municipality_id=municipality_id).first()
    return settings or EstSettings(municipality_id=municipality_id)
