"""Plans, goal areas and measures through their services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from tests.factories import AreaFactory, MunicipalityFactory

from kvarter.accounts.models import Organisation
from kvarter.areas.models import Area
from kvarter.core.actors import SYSTEM
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.core.models import AuditEntry
from kvarter.core.selectors import audit_entries_for
from kvarter.followup.services import round_open, status_report
from kvarter.plans.goal_services import goal_create
from kvarter.plans.models import Measure, Plan
from kvarter.plans.services import (
    goal_area_create,
    goal_area_ensure,
    goal_area_update,
    measure_create,
    measure_delete,
    measure_update,
    plan_create,
    plan_update,
)


@pytest.fixture
def plan(demo, demo_users):
    return plan_create(
        actor=demo_users["strateg"],
        municipality=demo,
        name="Åtgärdsplan 2026",
        start_year=2026,
        decision_reference="KS 2025-754",
    )


def _measure(plan, user, number, goal_area, **data):
    return measure_create(
        actor=user,
        plan=plan,
        data={"number": number, "goal_area": goal_area, "title": f"Åtgärd {number}", **data},
    )


def test_measure_create__areas_and_units__stored_and_audited(plan, demo_users):
    goal_area = goal_area_ensure(
        actor=demo_users["strateg"], plan=plan, number=1, name="Trygghet"
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
        actor=demo_users["strateg"], plan=plan, number=1, name="Trygghet"
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
        actor=demo_users["strateg"], plan=plan, number=1, name="Trygghet"
    )
    with pytest.raises(ValidationError) as refused:
        _measure(plan, demo_users["strateg"], number, goal_area)
    assert code in [e.code for e in refused.value.error_dict["number"]]
    assert not Measure.objects.exists()


def test_measure_create__area_of_other_municipality__refused(plan, demo_users):
    goal_area = goal_area_ensure(
        actor=demo_users["strateg"], plan=plan, number=1, name="Trygghet"
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
        plan_create(actor=demo_users[role], municipality=demo, name="P", start_year=2026)
    else:
        with pytest.raises(PermissionDenied):
            plan_create(actor=demo_users[role], municipality=demo, name="P", start_year=2026)


def test_measure_update__stale_version__refused(plan, demo_users):
    goal_area = goal_area_ensure(
        actor=demo_users["strateg"], plan=plan, number=1, name="Trygghet"
    )
    measure = _measure(plan, demo_users["strateg"], "1.1", goal_area)
    read = measure.version
    measure_update(
        actor=demo_users["strateg"],
        measure=measure,
        data={"title": "Ny"},
        expected_version=read,
    )
    with pytest.raises(StaleVersion):
        measure_update(
            actor=demo_users["admin"],
            measure=Measure.objects.get(pk=measure.pk),
            data={"title": "Annan"},
            expected_version=read,
        )
    assert Measure.objects.get(pk=measure.pk).title == "Ny"


def test_plan_update__stale_version_and_rights__refused(plan, demo_users):
    read = plan.version
    updated, changed = plan_update(
        actor=demo_users["admin"],
        plan=plan,
        data={"status": "adopted", "end_year": 2027},
        expected_version=read,
    )
    assert changed and (updated.status, updated.end_year, updated.version) == ("adopted", 2027, 2)
    with pytest.raises(StaleVersion):
        plan_update(
            actor=demo_users["strateg"],
            plan=Plan.objects.get(pk=plan.pk),
            data={"name": "Annat"},
            expected_version=read,
        )
    with pytest.raises(PermissionDenied):
        plan_update(actor=demo_users["lasare"], plan=plan, data={"name": "X"})
    [entry] = [e for e in audit_entries_for(plan) if e.action == "update"]
    assert entry.changes["status"] == ["draft", "adopted"]


def test_plan_create__same_name_any_case__refused(plan, demo, demo_users):
    with pytest.raises(ValidationError) as refused:
        plan_create(
            actor=demo_users["strateg"],
            municipality=demo,
            name="ÅTGÄRDSPLAN 2026",
            start_year=2026,
        )
    assert refused.value.error_dict["name"][0].code == "plan_name_taken"


def test_goal_area_create__taken_number_or_name__refused_with_code(plan, demo_users):
    user = demo_users["strateg"]
    goal_area_create(actor=user, plan=plan, number=1, name="Trygghet")
    for number, name, field, code in [
        (1, "Annat", "number", "goal_area_number_taken"),
        (2, "trygghet", "name", "goal_area_name_taken"),
    ]:
        with pytest.raises(ValidationError) as refused:
            goal_area_create(actor=user, plan=plan, number=number, name=name)
        assert refused.value.error_dict[field][0].code == code
    assert plan.goal_areas.count() == 1
    with pytest.raises(PermissionDenied):
        goal_area_create(actor=demo_users["samordnare"], plan=plan, number=3, name="X")


def test_goal_area_update__renumbered__measures_follow_and_are_audited(plan, demo_users):
    user = demo_users["strateg"]
    first = goal_area_create(actor=user, plan=plan, number=1, name="Trygghet")
    goal_area_create(actor=user, plan=plan, number=2, name="Arbete")
    measures = [_measure(plan, user, n, first) for n in ("1.1", "1.2", "1.10")]
    with pytest.raises(ValidationError):
        goal_area_update(actor=user, goal_area=first, data={"number": 2})
    first.refresh_from_db()
    goal_area_update(
        actor=user, goal_area=first, data={"number": 3}, expected_version=first.version
    )
    assert [m.number for m in Measure.objects.filter(plan=plan)] == ["3.1", "3.2", "3.10"]
    [entry] = [e for e in audit_entries_for(measures[2]) if e.action == "update"]
    assert entry.changes["number"] == ["1.10", "3.10"]


def test_measure_update__number_of_another_goal_area__refused(plan, demo_users):
    user = demo_users["strateg"]
    first = goal_area_create(actor=user, plan=plan, number=1, name="Trygghet")
    second = goal_area_create(actor=user, plan=plan, number=2, name="Arbete")
    measure = _measure(plan, user, "1.1", first)
    with pytest.raises(ValidationError) as refused:
        measure_update(actor=user, measure=measure, data={"number": "2.1"})
    assert refused.value.error_dict["number"][0].code == "number_goal_area_mismatch"
    fresh = Measure.objects.get(pk=measure.pk)
    assert (fresh.number, fresh.version) == ("1.1", 1)
    moved, _ = measure_update(
        actor=user, measure=fresh, data={"number": "2.1", "goal_area": second}
    )
    assert (moved.number_major, moved.number_minor, moved.goal_area) == (2, 1, second)


def test_measure_update__goal_of_another_plan__refused(plan, demo, demo_users):
    user = demo_users["strateg"]
    first = goal_area_create(actor=user, plan=plan, number=1, name="Trygghet")
    measure = _measure(plan, user, "1.1", first)
    other = plan_create(actor=user, municipality=demo, name="Annan", start_year=2025)
    foreign = goal_create(
        actor=user,
        goal_area=goal_area_create(actor=user, plan=other, number=1, name="X"),
        data={"number": 1, "title": "Annat mål"},
    )
    with pytest.raises(ValidationError) as refused:
        measure_update(actor=user, measure=measure, data={"goals": [foreign]})
    assert refused.value.error_dict["goals"][0].code == "goal_other_plan"
    own = goal_create(actor=user, goal_area=first, data={"number": 1, "title": "Mål"})
    measure_update(actor=user, measure=measure, data={"goals": [own]})
    assert list(measure.goals.all()) == [own]


def test_measure_delete__reported__refused_otherwise_deleted_and_audited(plan, demo_users):
    user = demo_users["strateg"]
    first = goal_area_create(actor=user, plan=plan, number=1, name="Trygghet")
    reported, merged_into, free = (_measure(plan, user, n, first) for n in ("1.1", "1.2", "1.3"))
    round_ = round_open(actor=SYSTEM, plan=plan, year=2026)
    status_report(
        actor=SYSTEM,
        round=round_,
        measure=reported,
        data={"status": "done", "disposition": "merged", "merged_into": merged_into},
    )
    for measure in (reported, merged_into):  # its own report; another's report names it
        with pytest.raises(ValidationError) as refused:
            measure_delete(actor=user, measure=measure)
        assert refused.value.code == "measure_has_reports"
    with pytest.raises(PermissionDenied):
        measure_delete(actor=demo_users["lasare"], measure=free)
    with pytest.raises(StaleVersion):
        measure_delete(actor=user, measure=free, expected_version=5)
    free_id = free.pk
    measure_delete(actor=user, measure=free, expected_version=1)
    assert sorted(Measure.objects.values_list("number", flat=True)) == ["1.1", "1.2"]
    entry = AuditEntry.objects.get(action="delete", object_id=str(free_id))
    assert entry.changes["number"] == ["1.3", None] and entry.actor == user
