"""The EST catalogue: categories, named places and resources of a municipality.

``est_defaults_create`` gives a municipality its EST settings, the Swedish default categories
and the usual resources; it is safe to run again. Places are GeoJSON Points or Polygons in
WGS 84, validated with the areas app's geometry helpers; a place must lie in its area
(:mod:`kvarter.safety.geo`).

Who may change the catalogue: the municipality's administrators, and its EST members (places
only in their own areas). The resolver decides (``can_manage_est_catalogue``,
``can_manage_places_in``, ``can_change_est_settings``); nothing here does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kvarter.accounts.models import Organisation
from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area, Municipality
from kvarter.core.error_codes import error
from kvarter.core.errors import PermissionDenied
from kvarter.core.services import model_create, model_update
from kvarter.safety.geo import AreaLocator, PlaceGeometry, place_geometry_clean
from kvarter.safety.models import EstSettings, IncidentCategory, Place, Resource, ResourceKind

# (name, is_positive), in the order the report form shows them.
DEFAULT_CATEGORIES: tuple[tuple[str, bool], ...] = (
    ("Skadegörelse", False),
    ("Klotter", False),
    ("Brand", False),  # brand och anlagd brand; the interchange format's name
    ("Bilbrand", False),
    ("Nedskräpning", False),
    ("Samling av ungdomar", False),
    ("Otrygg plats", False),
    ("Narkotikahandel", False),  # misstänkt narkotikahandel; the interchange format's name
    ("Stenkastning", False),
    ("Hot mot personal", False),
    ("Belysning ur funktion", False),
    ("Positiv händelse", True),
)

DEFAULT_RESOURCES: tuple[tuple[str, ResourceKind], ...] = (
    ("Kommunvärdar", ResourceKind.MUNICIPAL_HOSTS),
    ("Väktare", ResourceKind.GUARDS),
    ("Områdespolis", ResourceKind.AREA_POLICE),
    ("Fältgruppen", ResourceKind.OUTREACH),
)

CATEGORY_FIELDS = ("name", "is_positive", "order", "active")
RESOURCE_FIELDS = ("name", "kind", "organisation", "active")
PLACE_FIELDS = ("name", "geometry", "latitude", "longitude")

# --- permissions -------------------------------------------------------------------------------


def _require_catalogue_rights(actor: Any, municipality: Municipality) -> None:
    if not resolver_for(actor).can_manage_est_catalogue(municipality.pk):
        raise PermissionDenied()


def _invalid(field: str, code: str) -> ValidationError:
    return ValidationError({field: error(code)})


def _same_name_exists(queryset: Any, name: str, *, exclude: int | None = None) -> bool:
    """Case-blind in Python: SQLite's ``lower()`` folds only A–Z, not Å, Ä, Ö."""
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    wanted = name.strip().casefold()
    return any(
        other.strip().casefold() == wanted for other in queryset.values_list("name", flat=True)
    )


# --- defaults ------------------------------------------------------------------------------


@transaction.atomic
def est_defaults_create(*, actor: Any, municipality: Municipality) -> EstSettings:
    """The municipality's EST settings, default categories and resources; safe to run again.

    A category or resource that already exists by name (whatever its case) is left as it is,
    so a municipality's own edits (a renamed or retired category) survive a re-run.
    """
    _require_catalogue_rights(actor, municipality)
    settings = EstSettings.objects.filter(municipality=municipality).first()
    if settings is None:
        settings = model_create(
            model=EstSettings, data={"municipality": municipality}, actor=actor
        )
    categories = IncidentCategory.objects.filter(municipality=municipality)
    for order, (name, is_positive) in enumerate(DEFAULT_CATEGORIES, start=1):
        if not _same_name_exists(categories, name):
            model_create(
                model=IncidentCategory,
                data={
                    "municipality": municipality,
                    "name": name,
                    "is_positive": is_positive,
                    "order": order * 10,
                },
                actor=actor,
            )
    resources = Resource.objects.filter(municipality=municipality)
    for name, kind in DEFAULT_RESOURCES:
        if not _same_name_exists(resources, name):
            model_create(
                model=Resource,
                data={"municipality": municipality, "name": name, "kind": kind},
                actor=actor,
            )
    return settings


SETTINGS_FIELDS = ("review_required",)


@transaction.atomic
def est_settings_update(
    *, actor: Any, municipality: Municipality, data: Mapping[str, Any]
) -> tuple[EstSettings, bool]:
    """Switch the review step on or off: the municipality's administrators only."""
    if not resolver_for(actor).can_change_est_settings(municipality.pk):
        raise PermissionDenied()
    settings = EstSettings.objects.filter(municipality=municipality).first()
    if settings is None:
        settings = model_create(
            model=EstSettings, data={"municipality": municipality}, actor=actor
        )
    return model_update(instance=settings, fields=SETTINGS_FIELDS, data=data, actor=actor)


# --- categories ----------------------------------------------------------------------------


def _check_category_name(municipality_id: int, name: str, exclude: int | None = None) -> None:
    others = IncidentCategory.objects.filter(municipality_id=municipality_id)
    if _same_name_exists(others, name, exclude=exclude):
        raise _invalid("name", "category_name_taken")


@transaction.atomic
def category_create(
    *,
    actor: Any,
    municipality: Municipality,
    name: str,
    is_positive: bool = False,
    order: int | None = None,
    active: bool = True,
) -> IncidentCategory:
    _require_catalogue_rights(actor, municipality)
    name = name.strip()
    _check_category_name(municipality.pk, name)
    if order is None:
        last = IncidentCategory.objects.filter(municipality=municipality).order_by("-order").first()
        order = (last.order if last else 0) + 10
    return model_create(
        model=IncidentCategory,
        data={
            "municipality": municipality,
            "name": name,
            "is_positive": is_positive,
            "order": order,
            "active": active,
        },
        actor=actor,
    )


@transaction.atomic
def category_update(
    *, actor: Any, category: IncidentCategory, data: Mapping[str, Any]
) -> tuple[IncidentCategory, bool]:
    """Rename, reorder, mark positive or retire (``active=False``) a category.

    A category is never deleted here: old reports keep it, the form stops offering it.
    """
    _require_catalogue_rights(actor, category.municipality)
    data = dict(data)
    if "name" in data:
        data["name"] = str(data["name"]).strip()
        _check_category_name(category.municipality_id, data["name"], exclude=category.pk)
    return model_update(instance=category, fields=CATEGORY_FIELDS, data=data, actor=actor)


# --- resources -----------------------------------------------------------------------------


def _check_resource(municipality_id: int, data: Mapping[str, Any], exclude: int | None) -> None:
    if "name" in data:
        others = Resource.objects.filter(municipality_id=municipality_id)
        if _same_name_exists(others, data["name"], exclude=exclude):
            raise _invalid("name", "resource_name_taken")
    organisation = data.get("organisation")
    if isinstance(organisation, Organisation) and organisation.municipality_id != municipality_id:
        raise _invalid("organisation", "organisation_not_in_municipality")


@transaction.atomic
def resource_create(
    *,
    actor: Any,
    municipality: Municipality,
    name: str,
    kind: str,
    organisation: Organisation | None = None,
    active: bool = True,
) -> Resource:
    _require_catalogue_rights(actor, municipality)
    data = {"name": name.strip(), "kind": kind, "organisation": organisation, "active": active}
    _check_resource(municipality.pk, data, exclude=None)
    return model_create(
        model=Resource, data={"municipality": municipality, **data}, actor=actor
    )


@transaction.atomic
def resource_update(
    *, actor: Any, resource: Resource, data: Mapping[str, Any]
) -> tuple[Resource, bool]:
    _require_catalogue_rights(actor, resource.municipality)
    data = dict(data)
    if "name" in data:
        data["name"] = str(data["name"]).strip()
    _check_resource(resource.municipality_id, data, exclude=resource.pk)
    return model_update(instance=resource, fields=RESOURCE_FIELDS, data=data, actor=actor)


# --- places --------------------------------------------------------------------------------


def _require_place_rights(actor: Any, area: Area) -> None:
    if not resolver_for(actor).can_manage_places_in(area):
        raise PermissionDenied()


def _check_place_name(area: Area, name: str, exclude: int | None = None) -> None:
    if _same_name_exists(Place.objects.filter(area=area), name, exclude=exclude):
        raise _invalid("name", "place_name_taken")


@transaction.atomic
def place_create(*, actor: Any, area: Area, name: str, geometry: Any) -> Place:
    _require_place_rights(actor, area)
    name = name.strip()
    _check_place_name(area, name)
    cleaned = place_geometry_clean(geometry, area)
    return model_create(
        model=Place,
        data={
            "area": area,
            "name": name,
            "geometry": cleaned.geometry,
            "latitude": cleaned.latitude,
            "longitude": cleaned.longitude,
        },
        actor=actor,
    )


@transaction.atomic
def place_update(
    *,
    actor: Any,
    place: Place,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[Place, bool]:
    """Rename a place or move it (its point follows its geometry); version-checked."""
    _require_place_rights(actor, place.area)
    data = dict(data)
    if "name" in data:
        data["name"] = str(data["name"]).strip()
        _check_place_name(place.area, data["name"], exclude=place.pk)
    if "geometry" in data:
        cleaned = place_geometry_clean(data["geometry"], place.area)
        data |= {
            "geometry": cleaned.geometry,
            "latitude": cleaned.latitude,
            "longitude": cleaned.longitude,
        }
    return model_update(
        instance=place,
        fields=PLACE_FIELDS,
        data=data,
        actor=actor,
        expected_version=expected_version,
    )


__all__ = [
    "AreaLocator",
    "PlaceGeometry",
    "category_create",
    "category_update",
    "est_defaults_create",
    "est_settings_update",
    "place_create",
    "place_geometry_clean",
    "place_update",
    "resource_create",
    "resource_update",
]
