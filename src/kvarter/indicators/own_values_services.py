"""The municipality's own figures: indicators with the source "own figures" and their values,
typed in by the municipality's strategists and administrators (docs/decisions/0004).

Only own-source indicators take typed values: SCB and Kolada figures come through the imports
alone, so a typed number can never pass for official statistics. Values are set a grid at a
time — all or none — and a grid read earlier carries the fingerprint of the values it showed
(:func:`~kvarter.indicators.own_values_selectors.values_fingerprint`); it is refused when
someone has changed the values at that place since.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area, Municipality
from kvarter.areas.validators import validate_areas_in_municipality
from kvarter.core.error_codes import error
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.core.models import Sex
from kvarter.core.services import model_create, model_delete, model_update
from kvarter.indicators.models import Indicator, IndicatorValue, SourceKind, ValueStatus
from kvarter.indicators.own_values_selectors import (
    municipalities_using,
    place_values,
    values_fingerprint,
)

OWN_SOURCE = "Egna uppgifter"
OWN_INDICATOR_FIELDS = ("name_sv", "name_en", "definition", "unit", "direction", "by_sex")
CODE_MAX = 50


def _require_editor(actor: Any, municipality_id: int) -> None:
    """Own figures are typed by those who edit the municipality's plans, municipality-wide."""
    if not resolver_for(actor).can_change_plans_of(municipality_id):
        raise PermissionDenied()


def validate_own_indicator(indicator: Indicator) -> None:
    if indicator.source_kind != SourceKind.OWN:
        raise ValidationError(
            "Bara indikatorer med egna uppgifter kan fyllas i för hand; SCB:s och Koladas "
            "värden kommer genom import. / Only own-figures indicators take typed values; "
            "SCB and Kolada values come through imports.",
            code="not_own_indicator",
        )


def own_code(name: str) -> str:
    """'egen-<slug of the name>', with '-2', '-3' … when the code is taken."""
    slug = slugify(re.sub(r"[–—/]", "-", name)) or "indikator"
    base = f"egen-{slug}"
    if len(base) > CODE_MAX:  # cut at a word, not inside one
        cut = base[:CODE_MAX]
        base = cut[: cut.rfind("-")] if cut.rfind("-") > 20 else cut
    base = base.rstrip("-_")
    taken = set(
        Indicator.objects.filter(code__startswith=base[: CODE_MAX - 4]).values_list(
            "code", flat=True
        )
    )
    code, n = base, 1
    while code in taken:
        n += 1
        suffix = f"-{n}"
        code = base[: CODE_MAX - len(suffix)].rstrip("-_") + suffix
    return code


def own_indicator_create(
    *, actor: Any, municipality: Municipality, data: Mapping[str, Any]
) -> Indicator:
    """A new indicator of the municipality's own figures; the code comes from the name."""
    _require_editor(actor, municipality.pk)
    values = {k: v for k, v in data.items() if k in OWN_INDICATOR_FIELDS}
    name = str(values.get("name_sv") or "")
    values.setdefault("name_en", "")
    if not values["name_en"]:
        values["name_en"] = name
    return model_create(
        model=Indicator,
        data={
            **values,
            "code": own_code(name),
            "source_kind": SourceKind.OWN,
            "periodicity": "year",
            "source_note": f"Egna uppgifter, inmatade i Kvarter ({municipality.name}).",
        },
        actor=actor,
    )


def own_indicator_update(
    *,
    actor: Any,
    municipality: Municipality,
    indicator: Indicator,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[Indicator, bool]:
    """Rename or redefine an own-figures indicator that no other municipality uses."""
    _require_editor(actor, municipality.pk)
    validate_own_indicator(indicator)
    if municipalities_using(indicator) - {municipality.pk}:
        raise ValidationError(
            "Indikatorn används av en annan kommun och kan bara ändras av en administratör "
            "för katalogen. / Another municipality uses this indicator; only a catalogue "
            "administrator may change it.",
            code="indicator_shared",
        )
    return model_update(
        instance=indicator,
        fields=OWN_INDICATOR_FIELDS,
        data=data,
        actor=actor,
        expected_version=expected_version,
    )


def own_value_set(
    *,
    actor: Any,
    indicator: Indicator,
    municipality: Municipality,
    area: Area | None,
    year: int,
    value: Decimal | None,
    sex: str = Sex.TOTAL,
    today: dt.date | None = None,
) -> IndicatorValue | None:
    """Set (or, with ``value`` None, remove) one year's own figure at the place; an unchanged
    value writes nothing. Called by :func:`own_values_set`, which checks and locks."""
    if not 1900 <= year <= 2100:
        raise error("invalid_year")
    existing = place_values(indicator, municipality, area).filter(year=year, sex=sex).first()
    if value is None:
        # An empty cell removes a typed value; a figure hidden at the source stays as it is.
        if existing is not None and existing.value is not None:
            model_delete(instance=existing, actor=actor)
        return None
    number = float(value)
    fields = {
        "value": number,
        "status": ValueStatus.OK,
        "source": OWN_SOURCE,
        "retrieved_on": today or dt.date.today(),
    }
    if existing is None:
        place: dict[str, Any] = (
            {"level": "area", "area": area, "region_code": ""}
            if area is not None
            else {"level": "municipality", "area": None, "region_code": municipality.code}
        )
        return model_create(
            model=IndicatorValue,
            data={
                "indicator": indicator,
                "period": str(year),
                "year": year,
                "sex": sex,
                **place,
                **fields,
            },
            actor=actor,
        )
    if existing.value == number and existing.status == ValueStatus.OK:
        return existing
    updated, _ = model_update(
        instance=existing, fields=list(fields), data=fields, actor=actor
    )
    return updated


@transaction.atomic
def own_values_set(
    *,
    actor: Any,
    indicator: Indicator,
    municipality: Municipality,
    area: Area | None = None,
    values: Iterable[tuple[int, str, Decimal | None]],
    expected_state: str | None = None,
) -> Indicator:
    """Set each (year, sex, value) at the place; None removes that year's value for that sex.
    All are set or none; a stale grid (``expected_state``) is refused."""
    _require_editor(actor, municipality.pk)
    validate_own_indicator(indicator)
    if area is not None:
        validate_areas_in_municipality([area], municipality.pk, field="area")
    # Lock the indicator so that two grids saved at once are checked one after the other.
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if expected_state is not None and expected_state != values_fingerprint(
        locked, municipality, area
    ):
        raise StaleVersion()
    for year, sex, value in values:
        if sex != Sex.TOTAL and not locked.by_sex:
            if value is None:
                continue
            raise ValidationError(
                "Indikatorn redovisas inte för kvinnor och män. / The indicator is not given "
                "for women and men.",
                code="not_by_sex",
            )
        own_value_set(
            actor=actor,
            indicator=locked,
            municipality=municipality,
            area=area,
            year=year,
            sex=sex,
            value=value,
        )
    return locked
