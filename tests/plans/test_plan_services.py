"""Plans, goal areas and measures through their services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from tests.factories import AreaFactory, MunicipalityFactory

from kvarter.accounts.models import Organisation
from kvarter.areas.models import Area
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.core.selectors import audit_entries_for
from kvarter.plans.models import Measure
from kvarter.plans.services import goal_area_ensure, measure_create, measure_update, plan_create


@pytest.fixture
def plan(demo, demo_users):
    return plan_create(
        acting_user=demo_users["strateg"],
        municipality=demo,
        name="Åtgärdsplan 2026",
        start_year=2026,
        decision_reference="KS 2025-754",
    )


def _measure(plan, user, number, goal_area, **data):
    return measure_create(
        acting_user=user,
        plan=plan,
        data={"number": number, "goal_area": goal_area, "title": f"Åtgärd {number}", **data},
    )


def test_measure_create__areas_and_units__stored_and_audited(plan, demo_users):
    goal_area = goal_area_ensure(
        acting_user=demo_users["strateg"], plan=plan, number=1, name="Trygghet"
    )
    areas = list(Area.objects.filter(name__in=["Norrby", "Åsen"]))
    units = list(Organisation.objects.filter(short_name__in=["SOF", "KLF"]))
    measure = _measure(
        plan,
        demo_users["strateg"],
        "1.1",
        goal_area,
        areas=areas,
        responsible_units=units,
        responsible_text="SOF, KLF",
        amount=250_000,
    )
    assert sorted(a.name for a in measure.areas.all()) == ["Norrby", "Åsen"]
    assert sorted(u.short_name for u in measure.responsible_units.all()) == ["KLF", "SOF"]
    [entry] = [e for e in audit_entries_for(measure) if e.action == "create"]
    assert entry.changes["number"] == [None, "1.1"]


def test_measures__numbered_1_2_and_1_10__sorted_as_numbers(plan, demo_users):
    goal_area = goal_area_ensure(
        acting_user=demo_users["strateg"], plan=plan, number=1, name="Trygghet"
    )
    for number in ["1.10", "1.2", "1.1"]:
        _measure(plan, demo_users["strateg"], number, goal_area)
    assert [m.number for m in Measure.objects.filter(plan=plan)] == ["1.1", "1.2", "1.10"]


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("2.1", "number_goal_area_mismatch"),
        ("1", "invalid_measure_number"),
        ("1.a", "invalid_measure_number"),
    ],
)
def test_measure_create__bad_number__refused_with_code(plan, demo_users, number, code):
    goal_area = goal_area_ensure(
        acting_user=demo_users["strateg"], plan=plan, number=1, name="Trygghet"
    )
    with pytest.raises(ValidationError) as refused:
        _measure(plan, demo_users["strateg"], number, goal_area)
    assert code in [e.code for e in refused.value.error_dict["number"]]
    assert not Measure.objects.exists()


def test_measure_create__area_of_other_municipality__refused(plan, demo_users):
    goal_area = goal_area_ensure(
        acting_user=demo_users["strateg"], plan=plan, number=1, name="Trygghet"
    )
    foreign = AreaFactory(municipality=MunicipalityFactory(code="9998"))
    with pytest.raises(ValidationError):
        _measure(plan, demo_users["strateg"], "1.1", goal_area, areas=[foreign])


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("strateg", True),
        ("samordnare", False),
        ("rapportor", False),
        ("est", False),
        ("lasare", False),
    ],
)
def test_plan_create__every_role__only_administrators_and_strategists(
    demo, demo_users, role, allowed
):
    if allowed:
        plan_create(acting_user=demo_users[role], municipality=demo, name="P", start_year=2026)
    else:
        with pytest.raises(PermissionDenied):
            plan_create(acting_user=demo_users[role], municipality=demo, name="P", start_year=2026)


def test_measure_update__stale_version__refused(plan, demo_users):
    goal_area = goal_area_ensure(
        acting_user=demo_users["strateg"], plan=plan, number=1, name="Trygghet"
    )
    measure = _measure(plan, demo_users["strateg"], "1.1", goal_area)
    read = measure.version
    measure_update(
        acting_user=demo_users["strateg"],
        measure=measure,
        data={"title": "Ny"},
        expected_version=read,
    )
    with pytest.raises(StaleVersion):
        measure_update(
            acting_user=demo_users["admin"],
            measure=Measure.objects.get(pk=measure.pk),
            data={"title": "Annan"},
            expected_version=read,
        )
    assert Measure.objects.get(pk=measure.pk).title == "Ny"
