"""Writes for municipalities and areas; every door calls these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.importers import AreaRow
from kvarter.areas.models import (
    Area,
    AreaStatisticalUnit,
    Municipality,
    PoliceClass,
    PoliceClassification,
    statistical_unit_kind,
)
from kvarter.core.error_codes import problem
from kvarter.core.errors import PermissionDenied
from kvarter.core.importing import ImportRejected, ImportSummary
from kvarter.core.models import AuditAction
from kvarter.core.services import audit_record, model_create, model_update

AREA_EDITABLE_FIELDS = ("name", "description", "boundary", "population", "population_year")


def municipality_create(*, actor: Any, code: str, name: str) -> Municipality:
    if not resolver_for(actor).is_superuser:
        raise PermissionDenied()
    return model_create(
        model=Municipality, data={"code": code, "name": name}, actor=actor
    )


def area_create(
    *,
    actor: Any,
    municipality: Municipality,
    name: str,
    boundary: dict[str, Any] | None = None,
    population: int | None = None,
    description: str = "",
    statistical_unit_codes: Iterable[str] = (),
) -> Area:
    if not resolver_for(actor).can_create_area(municipality):
        raise PermissionDenied()
    with transaction.atomic():
        area = model_create(
            model=Area,
            data={
                "municipality": municipality,
                "name": name,
                "boundary": boundary,
                "population": population,
                "description": description,
            },
            actor=actor,
        )
        area_set_statistical_units(actor=actor, area=area, codes=statistical_unit_codes)
    return area


def area_update(
    *, actor: Any, area: Area, data: Mapping[str, Any], expected_version: int | None = None
) -> tuple[Area, bool]:
    if not resolver_for(actor).can_change_area(area):
        raise PermissionDenied()
    return model_update(
        instance=area,
        fields=AREA_EDITABLE_FIELDS,
        data=data,
        actor=actor,
        expected_version=expected_version,
    )


@transaction.atomic
def area_set_statistical_units(*, actor: Any, area: Area, codes: Iterable[str]) -> bool:
    """Replace the area's DeSO/RegSO list; return whether it changed."""
    if not resolver_for(actor).can_change_area(area):
        raise PermissionDenied()
    wanted = sorted(set(codes))
    for code in wanted:
        if statistical_unit_kind(code) is None:
            raise ImportRejected(
                [
                    problem(None, "deso", "invalid_statistical_unit", code=repr(code))
                ]
            )
    current = sorted(area.statistical_units.values_list("code", flat=True))
    if current == wanted:
        return False
    area.statistical_units.exclude(code__in=wanted).delete()
    AreaStatisticalUnit.objects.bulk_create(
        AreaStatisticalUnit(area=area, code=code, kind=str(statistical_unit_kind(code)))
        for code in wanted
        if code not in current
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=area,
        changes={"statistical_units": [current, wanted]},
    )
    return True


@transaction.atomic
def police_classification_set(
    *, actor: Any, area: Area, year: int, classification: PoliceClass
) -> PoliceClassification:
    if not resolver_for(actor).can_change_area(area):
        raise PermissionDenied()
    existing = PoliceClassification.objects.filter(area=area, year=year).first()
    if existing is None:
        return model_create(
            model=PoliceClassification,
            data={"area": area, "year": year, "classification": classification},
            actor=actor,
        )
    updated, _ = model_update(
        instance=existing,
        fields=["classification"],
        data={"classification": classification},
        actor=actor,
    )
    return updated


@transaction.atomic
def areas_import(
    *,
    actor: Any,
    municipality_code: str,
    rows: list[AreaRow],
    municipality_name: str | None = None,
) -> tuple[Municipality, ImportSummary]:
    """Create or update the municipality's areas from validated rows, all or nothing.

    An area is matched by name (case-insensitive): a re-import updates its boundary,
    population and statistical units, and changes nothing when the file is the same.
    """
    municipality = Municipality.objects.filter(code=municipality_code).first()
    if municipality is None:
        if not municipality_name:
            raise ImportRejected(
                [
                    problem(None, "municipality", "unknown_municipality", code=municipality_code)
                ]
            )
        municipality = municipality_create(
            actor=actor, code=municipality_code, name=municipality_name
        )
    if not resolver_for(actor).can_create_area(municipality):
        raise PermissionDenied()

    existing = {a.name.lower(): a for a in municipality.areas.all()}
    summary = ImportSummary()
    for row in rows:
        area = existing.get(row.name.lower())
        if area is None:
            area_create(
                actor=actor,
                municipality=municipality,
                name=row.name,
                boundary=row.boundary,
                population=row.population,
                statistical_unit_codes=row.statistical_unit_codes,
            )
            summary.created.append(row.name)
            continue
        data: dict[str, Any] = {"boundary": row.boundary}
        if row.population is not None:
            data["population"] = row.population
        _, changed = area_update(actor=actor, area=area, data=data)
        units_changed = (
            area_set_statistical_units(
                actor=actor, area=area, codes=row.statistical_unit_codes
            )
            if row.statistical_unit_codes
            else False
        )
        (summary.updated if changed or units_changed else summary.unchanged).append(row.name)
    return municipality, summary
