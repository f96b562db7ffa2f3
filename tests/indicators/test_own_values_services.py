"""The municipality's own figures: who may type them, all or nothing, stale grids, the audit
trail, and that SCB/Kolada figures and hidden figures cannot be typed over by accident."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from tests.factories import AreaFactory, IndicatorFactory, IndicatorValueFactory
from tests.plans.goal_setup import ROLES, goal_world_fixture  # noqa: F401 - the fixture goal_world

from kvarter.core.actors import SYSTEM
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.core.models import AuditEntry
from kvarter.indicators.models import IndicatorValue
from kvarter.indicators.own_values_selectors import values_fingerprint
from kvarter.indicators.own_values_services import (
    own_indicator_create,
    own_indicator_update,
    own_values_set,
)

pytestmark = pytest.mark.django_db

MAY_SET = {"admin": True, "strateg": True}


@pytest.fixture
def own(goal_world):
    return own_indicator_create(
        actor=SYSTEM,
        municipality=goal_world["municipality"],
        data={
            "name_sv": "Andel 7–20 år i föreningslivet",
            "unit": "percent",
            "direction": "higher",
        },
    )


def _set(world, indicator, values, **kwargs):
    return own_values_set(
        actor=kwargs.pop("user", SYSTEM),
        indicator=indicator,
        municipality=world["municipality"],
        values=values,
        **kwargs,
    )


def test_own_indicator_create__code_from_name__unique_and_own(goal_world, own):
    again = own_indicator_create(
        actor=SYSTEM,
        municipality=goal_world["municipality"],
        data={
            "name_sv": "Andel 7–20 år i föreningslivet",
            "unit": "percent",
            "direction": "higher",
        },
    )
    assert own.code == "egen-andel-7-20-ar-i-foreningslivet"
    assert again.code == "egen-andel-7-20-ar-i-foreningslivet-2"
    assert (own.source_kind, own.name_en) == ("own", own.name_sv)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_own_values_set__every_role__only_municipality_wide_editors(goal_world, own, role):
    user = goal_world["users"][role]
    if MAY_SET.get(role):
        _set(goal_world, own, [], user=user)
    else:
        with pytest.raises(PermissionDenied):
            _set(goal_world, own, [], user=user)


def test_own_values_set__catalogue_indicator__refused(goal_world):
    scb = IndicatorFactory(source_kind="scb")
    with pytest.raises(ValidationError) as caught:
        _set(goal_world, scb, [(2024, "T", Decimal(50))])
    assert caught.value.code == "not_own_indicator"
    assert not IndicatorValue.objects.filter(indicator=scb).exists()


def test_own_values_set__stale_state__refused_and_nothing_written(goal_world, own):
    municipality = goal_world["municipality"]
    state = values_fingerprint(own, municipality, None)
    _set(goal_world, own, [(2023, "T", Decimal(53))])
    assert values_fingerprint(own, municipality, None) != state
    with pytest.raises(StaleVersion):
        _set(goal_world, own, [(2025, "T", Decimal(58))], expected_state=state)
    assert not IndicatorValue.objects.filter(indicator=own, year=2025).exists()


def test_own_values_set__one_bad_value__none_written(goal_world, own):
    with pytest.raises(ValidationError):
        _set(goal_world, own, [(2025, "T", Decimal(58)), (1800, "T", Decimal(1))])
    assert not IndicatorValue.objects.filter(indicator=own).exists()


def test_own_values_set__municipality_and_area__kept_apart(goal_world, own):
    w = goal_world
    area = w["municipality"].areas.first()
    _set(w, own, [(2024, "K", Decimal("41.5"))])
    _set(w, own, [(2024, "K", Decimal("33"))], area=area)
    values = IndicatorValue.objects.filter(indicator=own).order_by("level")
    assert [(v.level, v.region_code, v.area_id, v.period, v.sex, v.value) for v in values] == [
        ("area", "", area.pk, "2024", "K", 33.0),
        ("municipality", w["municipality"].code, None, "2024", "K", 41.5),
    ]
    assert {(v.status, v.source) for v in values} == {("ok", "Egna uppgifter")}


def test_own_values_set__area_of_other_municipality__refused(goal_world, own):
    with pytest.raises(ValidationError):
        _set(goal_world, own, [(2024, "T", Decimal(1))], area=AreaFactory())


def test_own_values_set__set_change_same_remove__audited_once_each(goal_world, own):
    def audit_count() -> int:
        return AuditEntry.objects.filter(content_type__model="indicatorvalue").count()

    _set(goal_world, own, [(2024, "T", Decimal("58.2")), (2024, "K", Decimal("52.1"))])
    _set(goal_world, own, [(2024, "T", Decimal("58.2"))])
    assert audit_count() == 2  # the same value again writes nothing
    _set(goal_world, own, [(2024, "T", Decimal("59")), (2024, "K", None)])
    assert audit_count() == 4
    assert list(IndicatorValue.objects.filter(indicator=own).values_list("sex", "value")) == [
        ("T", 59.0)
    ]


def test_own_values_set__empty_cell_over_hidden_figure__figure_kept(goal_world, own):
    hidden = IndicatorValueFactory(
        indicator=own,
        region_code=goal_world["municipality"].code,
        period="2023",
        value=None,
        status="suppressed",
    )
    _set(goal_world, own, [(2023, "T", None)])
    hidden.refresh_from_db()
    assert (hidden.status, hidden.value) == ("suppressed", None)


def test_own_values_set__women_and_men_on_indicator_without__refused(goal_world):
    total_only = own_indicator_create(
        actor=SYSTEM,
        municipality=goal_world["municipality"],
        data={"name_sv": "Antal", "unit": "count", "direction": "neutral", "by_sex": False},
    )
    with pytest.raises(ValidationError) as caught:
        _set(goal_world, total_only, [(2024, "T", Decimal(3)), (2024, "K", Decimal(1))])
    assert caught.value.code == "not_by_sex"
    assert not IndicatorValue.objects.filter(indicator=total_only).exists()


def test_own_indicator_update__used_by_other_municipality__refused(goal_world, own):
    w = goal_world
    IndicatorValueFactory(indicator=own, region_code=w["other"].code)
    with pytest.raises(ValidationError) as caught:
        own_indicator_update(
            actor=SYSTEM,
            municipality=w["municipality"],
            indicator=own,
            data={"name_sv": "Nytt namn"},
            expected_version=own.version,
        )
    assert caught.value.code == "indicator_shared"
