"""Intent-named constructors shared by the test modules."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import factory
from django.utils import timezone

from kvarter.accounts.models import Organisation, OrganisationKind, RoleAssignment, User
from kvarter.accounts.roles import Role
from kvarter.areas.models import Area, Municipality
from kvarter.core.actors import SYSTEM
from kvarter.followup.models import FollowUpRound
from kvarter.followup.services import round_open
from kvarter.plans.models import Measure, Plan
from kvarter.plans.services import goal_area_ensure, measure_create, plan_create

# The contract's own example file, beside this checkout (../shared/formats/).
ACTION_PLAN_EXAMPLE = (
    Path(__file__).resolve().parents[2] / "shared" / "formats" / "action-plan-example.csv"
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[15.0, 59.0], [15.01, 59.0], [15.01, 59.01], [15.0, 59.01], [15.0, 59.0]]],
}


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Testkommun {n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Område {n}")
    boundary = SQUARE
    population = 1000


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Förvaltning {n}")
    kind = OrganisationKind.MUNICIPAL_UNIT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("correct horse battery")

    @classmethod
    def create_with_role(cls, role: Role, municipality: Municipality, areas=(), **kwargs) -> User:
        user = cls.create(organisation__municipality=municipality, **kwargs)
        assignment = RoleAssignment.objects.create(user=user, role=role, municipality=municipality)
        assignment.areas.set(areas)
        return user


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indicators.Indicator"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"testindikator-{n}")
    name_sv = factory.Sequence(lambda n: f"Testindikator {n}")
    name_en = factory.Sequence(lambda n: f"Test indicator {n}")
    unit = "percent"
    direction = "higher"
    source_kind = "scb"


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    """A region's value by default; pass ``area=`` (and ``region_code=""``) for an area's."""

    class Meta:
        model = "indicators.IndicatorValue"

    indicator = factory.SubFactory(IndicatorFactory)
    level = factory.LazyAttribute(lambda o: "area" if o.area is not None else "municipality")
    region_code = factory.LazyAttribute(lambda o: "" if o.area is not None else "0580")
    area = None
    period = "2024"
    year = factory.LazyAttribute(lambda o: int(o.period[:4]))
    sex = "T"
    value = 50.0
    status = "ok"
    source = "SCB (test)"
    retrieved_on = datetime.date(2025, 3, 1)


class IncidentCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "safety.IncidentCategory"

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Kategori {n}")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "safety.Place"

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Plats {n}")
    latitude = 59.005
    longitude = 15.005
    geometry = factory.LazyAttribute(
        lambda o: {"type": "Point", "coordinates": [o.longitude, o.latitude]}
    )


class IncidentReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "safety.IncidentReport"

    municipality = factory.SubFactory(MunicipalityFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, municipality=factory.SelfAttribute("..municipality")
    )
    submitted_at = factory.LazyFunction(timezone.now)


class IncidentEventFactory(factory.django.DjangoModelFactory):
    """An event in an area of the report's municipality, at the area's square by default."""

    class Meta:
        model = "safety.IncidentEvent"

    area = factory.SubFactory(AreaFactory)
    report = factory.SubFactory(
        IncidentReportFactory, municipality=factory.SelfAttribute("..area.municipality")
    )
    category = factory.SubFactory(
        IncidentCategoryFactory, municipality=factory.SelfAttribute("..area.municipality")
    )
    occurred_at = factory.LazyAttribute(lambda o: o.report.submitted_at)
    latitude = 59.005
    longitude = 15.005


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "safety.Resource"

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Resurs {n}")
    kind = "hosts"


# --- intent-named set-ups: what a test needs, said in the glossary's words -------------------
# They go through the services (as SYSTEM), as the application would.

MeasureSpec = tuple[str, Sequence[Area], Sequence[Organisation]]  # number, areas, units


def user_with_role(
    role: Role, municipality: Municipality, *areas: Area, **kwargs: Any
) -> User:
    """A user holding ``role`` in ``municipality`` (area-bound to ``areas``, if any)."""
    return UserFactory.create_with_role(role, municipality, areas=areas, **kwargs)


def est_member_of(*areas: Area, **kwargs: Any) -> User:
    """An EST member of ``areas`` (all in one municipality)."""
    return user_with_role(Role.EST_MEMBER, areas[0].municipality, *areas, **kwargs)


def area_coordinator_of(*areas: Area, **kwargs: Any) -> User:
    """An area coordinator of ``areas`` (all in one municipality)."""
    return user_with_role(Role.AREA_COORDINATOR, areas[0].municipality, *areas, **kwargs)


def unit_reporter_in(organisation: Organisation, **kwargs: Any) -> User:
    """A unit reporter of ``organisation`` (who reports on its measures)."""
    return user_with_role(
        Role.UNIT_REPORTER, organisation.municipality, organisation=organisation, **kwargs
    )


def plan_with_measures(
    municipality: Municipality,
    measures: Sequence[MeasureSpec],
    *,
    name: str = "Plan",
    start_year: int = 2025,
    goal_area: str = "Trygghet",
) -> tuple[Plan, dict[str, Measure]]:
    """A plan of ``municipality`` with goal area 1 and one measure per spec, by number."""
    plan = plan_create(actor=SYSTEM, municipality=municipality, name=name, start_year=start_year)
    area_1 = goal_area_ensure(actor=SYSTEM, plan=plan, number=1, name=goal_area)
    created = {
        number: measure_create(
            actor=SYSTEM,
            plan=plan,
            data={
                "number": number,
                "goal_area": area_1,
                "title": f"Åtgärd {number}",
                "areas": list(areas),
                "responsible_units": list(units),
            },
        )
        for number, areas, units in measures
    }
    return plan, created


def open_round(plan: Plan, *, year: int | None = None, **kwargs: Any) -> FollowUpRound:
    """An open follow-up round of ``plan`` (its first year unless ``year`` is given)."""
    return round_open(actor=SYSTEM, plan=plan, year=year or plan.start_year, **kwargs)
