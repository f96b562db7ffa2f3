"""Intent-named constructors shared by the test modules."""

from __future__ import annotations

import datetime
from pathlib import Path

import factory
from django.utils import timezone

from kvarter.accounts.models import Organisation, OrganisationKind, RoleAssignment, User
from kvarter.accounts.roles import Role
from kvarter.areas.models import Area, Municipality

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
