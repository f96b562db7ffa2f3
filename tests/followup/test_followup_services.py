"""Follow-up rounds: who may report on which measure, closed rounds, concurrent saves."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from tests.factories import AreaFactory, MunicipalityFactory, OrganisationFactory, UserFactory

from kvarter.accounts.roles import Role
from kvarter.core.actors import SYSTEM
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.core.models import AuditEntry
from kvarter.followup.models import StatusReport
from kvarter.followup.services import round_close, round_open, status_report
from kvarter.plans.services import goal_area_ensure, measure_create, plan_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    municipality = MunicipalityFactory()
    area = AreaFactory(municipality=municipality)
    own_unit = OrganisationFactory(municipality=municipality)
    other_unit = OrganisationFactory(municipality=municipality)
    plan = plan_create(actor=SYSTEM, municipality=municipality, name="Plan", start_year=2025)
    goal_area = goal_area_ensure(actor=SYSTEM, plan=plan, number=1, name="Trygghet")
    measure = measure_create(
        actor=SYSTEM,
        plan=plan,
        data={
            "number": "1.1",
            "goal_area": goal_area,
            "title": "Trygghetsvandringar",
            "areas": [area],
            "responsible_units": [own_unit],
        },
    )
    round_ = round_open(actor=SYSTEM, plan=plan, year=2025)
    return {
        "municipality": municipality,
        "area": area,
        "own_unit": own_unit,
        "other_unit": other_unit,
        "plan": plan,
        "measure": measure,
        "round": round_,
    }


def _user(setting, role: Role, *, own_unit: bool = True, in_area: bool = True):
    unit = setting["own_unit"] if own_unit else setting["other_unit"]
    areas = [setting["area"]] if in_area else []
    return UserFactory.create_with_role(
        role, setting["municipality"], areas=areas, organisation=unit
    )


# (role, user's organisation is the responsible unit, may report)
REPORT_MATRIX = [
    (Role.ADMINISTRATOR, False, True),
    (Role.STRATEGIST, False, True),
    (Role.UNIT_REPORTER, True, True),
    (Role.UNIT_REPORTER, False, False),
    (Role.AREA_COORDINATOR, True, False),
    (Role.EST_MEMBER, True, False),
    (Role.READER, True, False),
]


@pytest.mark.parametrize(("role", "own_unit", "allowed"), REPORT_MATRIX)
def test_who_may_report_status(setting, role, own_unit, allowed):
    user = _user(setting, role, own_unit=own_unit)
    call = lambda: status_report(  # noqa: E731
        actor=user,
        round=setting["round"],
        measure=setting["measure"],
        data={"status": "done", "comment": "Klart."},
    )
    if allowed:
        report, changed = call()
        assert changed and report.status == "done" and report.reported_by == user
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert not StatusReport.objects.exists()


def test_user_of_another_municipality_may_not_report(setting):
    stranger = UserFactory.create_with_role(Role.STRATEGIST, MunicipalityFactory())
    with pytest.raises(PermissionDenied):
        status_report(
            actor=stranger,
            round=setting["round"],
            measure=setting["measure"],
            data={"status": "done"},
        )


def test_second_save_from_a_stale_form_is_refused(setting):
    first = _user(setting, Role.UNIT_REPORTER)
    second = _user(setting, Role.STRATEGIST)
    # Both open the form while nothing is reported (version 0).
    status_report(
        actor=first,
        round=setting["round"],
        measure=setting["measure"],
        data={"status": "in_progress", "comment": "Pågår"},
        expected_version=0,
    )
    with pytest.raises(StaleVersion) as refused:
        status_report(
            actor=second,
            round=setting["round"],
            measure=setting["measure"],
            data={"status": "done", "comment": "Klar"},
            expected_version=0,
        )
    assert refused.value.code == "stale_version"
    assert "Någon annan har ändrat" in str(refused.value.message)  # Swedish is the default
    report = StatusReport.objects.get()
    assert (report.status, report.comment, report.version) == ("in_progress", "Pågår", 1)
    # With the version it read, the next edit goes through; the stale one again does not.
    status_report(
        actor=second,
        round=setting["round"],
        measure=setting["measure"],
        data={"status": "done"},
        expected_version=1,
    )
    with pytest.raises(StaleVersion):
        status_report(
            actor=first,
            round=setting["round"],
            measure=setting["measure"],
            data={"status": "not_done"},
            expected_version=1,
        )
    assert StatusReport.objects.get().status == "done"


def test_closed_round_is_read_only(setting):
    reporter = _user(setting, Role.UNIT_REPORTER)
    status_report(
        actor=reporter,
        round=setting["round"],
        measure=setting["measure"],
        data={"status": "in_progress"},
    )
    closed = round_close(actor=SYSTEM, round=setting["round"])
    assert closed.is_closed and closed.closed_at is not None
    with pytest.raises(ValidationError) as refused:
        status_report(
            actor=reporter, round=closed, measure=setting["measure"], data={"status": "done"}
        )
    assert refused.value.code == "round_closed"
    with pytest.raises(ValidationError):
        round_close(actor=SYSTEM, round=closed)
    assert StatusReport.objects.get().status == "in_progress"


def test_only_strategists_open_and_close_rounds(setting):
    reporter = _user(setting, Role.UNIT_REPORTER)
    with pytest.raises(PermissionDenied):
        round_open(actor=reporter, plan=setting["plan"], year=2026)
    with pytest.raises(PermissionDenied):
        round_close(actor=reporter, round=setting["round"])
    strategist = _user(setting, Role.STRATEGIST)
    assert round_open(actor=strategist, plan=setting["plan"], year=2026, kind="dr1").pk


def test_same_report_twice_records_nothing(setting):
    reporter = _user(setting, Role.UNIT_REPORTER)
    data = {"status": "done", "comment": "Klart.", "disposition": "kept"}
    status_report(
        actor=reporter, round=setting["round"], measure=setting["measure"], data=data
    )
    entries = AuditEntry.objects.count()
    report, changed = status_report(
        actor=reporter, round=setting["round"], measure=setting["measure"], data=data
    )
    assert not changed and report.version == 1
    assert AuditEntry.objects.count() == entries


def test_merged_into_must_be_another_measure_of_the_plan(setting):
    other_plan = plan_create(
        actor=SYSTEM, municipality=setting["municipality"], name="Annan plan", start_year=2025
    )
    goal_area = goal_area_ensure(actor=SYSTEM, plan=other_plan, number=1, name="X")
    foreign = measure_create(
        actor=SYSTEM,
        plan=other_plan,
        data={"number": "1.1", "goal_area": goal_area, "title": "Y"},
    )
    for target, code in (
        (setting["measure"], "merged_into_self"),
        (foreign, "merged_into_other_plan"),
    ):
        with pytest.raises(ValidationError) as refused:
            status_report(
                actor=SYSTEM,
                round=setting["round"],
                measure=setting["measure"],
                data={"disposition": "merged", "merged_into": target},
            )
        assert refused.value.error_dict["merged_into"][0].code == code
