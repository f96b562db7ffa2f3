"""The EST catalogue: defaults once, categories, resources, places inside their area, rights."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PlaceFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role
from kvarter.areas.models import Area
from kvarter.core.actors import SYSTEM
from kvarter.core.errors import PermissionDenied, StaleVersion
from kvarter.core.models import AuditEntry
from kvarter.demo.exempelstad_est import PLACES
from kvarter.safety.catalogue.services import (
    DEFAULT_CATEGORIES,
    DEFAULT_RESOURCES,
    AreaLocator,
    category_create,
    category_update,
    est_defaults_create,
    place_create,
    place_update,
    resource_create,
    resource_update,
)
from kvarter.safety.models import EstSettings, IncidentCategory, Place, Resource

pytestmark = pytest.mark.django_db

POINT_IN = {"type": "Point", "coordinates": [15.004, 59.006]}
POINT_OUT = {"type": "Point", "coordinates": [15.05, 59.006]}
POLYGON_IN = {
    "type": "Polygon",
    "coordinates": [
        [[15.001, 59.001], [15.003, 59.001], [15.003, 59.003], [15.001, 59.003], [15.001, 59.001]]
    ],
}
POLYGON_ACROSS = {
    "type": "Polygon",
    "coordinates": [
        [[15.008, 59.001], [15.02, 59.001], [15.02, 59.003], [15.008, 59.003], [15.008, 59.001]]
    ],
}


def test_defaults__twice__created_once_with_a_positive_category():
    municipality = MunicipalityFactory()
    est_defaults_create(actor=SYSTEM, municipality=municipality)
    audit = AuditEntry.objects.count()
    settings = est_defaults_create(actor=SYSTEM, municipality=municipality)
    assert AuditEntry.objects.count() == audit
    assert EstSettings.objects.filter(municipality=municipality).count() == 1
    assert settings.review_required is False
    names = list(
        IncidentCategory.objects.filter(municipality=municipality).values_list(
            "name", "is_positive"
        )
    )
    assert names == list(DEFAULT_CATEGORIES)
    assert [n for n, positive in names if positive] == ["Positiv händelse"]
    assert Resource.objects.filter(municipality=municipality).count() == len(DEFAULT_RESOURCES)


def test_defaults__a_renamed_or_retired_category_survives_a_rerun():
    municipality = MunicipalityFactory()
    est_defaults_create(actor=SYSTEM, municipality=municipality)
    klotter = IncidentCategory.objects.get(municipality=municipality, name="Klotter")
    category_update(actor=SYSTEM, category=klotter, data={"active": False})
    est_defaults_create(actor=SYSTEM, municipality=municipality)
    assert (
        IncidentCategory.objects.filter(municipality=municipality, name__iexact="klotter").count()
        == 1
    )
    assert not IncidentCategory.objects.get(pk=klotter.pk).active


def test_defaults__by_someone_without_rights__denied():
    municipality = MunicipalityFactory()
    reader = UserFactory.create_with_role(Role.READER, municipality)
    with pytest.raises(PermissionDenied):
        est_defaults_create(actor=reader, municipality=municipality)


def test_category__same_name_other_case__refused():
    municipality = MunicipalityFactory()
    IncidentCategoryFactory(municipality=municipality, name="Skadegörelse")
    with pytest.raises(ValidationError) as caught:
        category_create(actor=SYSTEM, municipality=municipality, name="SKADEGÖRELSE")
    assert caught.value.error_dict["name"][0].code == "category_name_taken"


def test_category__created_last_in_order():
    municipality = MunicipalityFactory()
    IncidentCategoryFactory(municipality=municipality, order=30)
    created = category_create(actor=SYSTEM, municipality=municipality, name="Fyrverkerier")
    assert created.order == 40


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.EST_MEMBER, True),
        (Role.STRATEGIST, False),
        (Role.EST_REPORTER, False),
        (Role.READER, False),
    ],
)
def test_category_and_resource__rights_by_role(role, allowed):
    municipality = MunicipalityFactory()
    area = AreaFactory(municipality=municipality)
    user = UserFactory.create_with_role(role, municipality, areas=[area])
    if allowed:
        category_create(actor=user, municipality=municipality, name="Ny")
        resource_create(actor=user, municipality=municipality, name="Nattvandrare", kind="other")
    else:
        with pytest.raises(PermissionDenied):
            category_create(actor=user, municipality=municipality, name="Ny")
        with pytest.raises(PermissionDenied):
            resource_create(actor=user, municipality=municipality, name="Ny", kind="other")


def test_resource__organisation_of_another_municipality__refused():
    municipality = MunicipalityFactory()
    resource = resource_create(
        actor=SYSTEM, municipality=municipality, name="Väktare", kind="guards"
    )
    with pytest.raises(ValidationError) as caught:
        resource_update(
            actor=SYSTEM, resource=resource, data={"organisation": OrganisationFactory()}
        )
    assert caught.value.error_dict["organisation"][0].code == "organisation_not_in_municipality"


def test_place__point_and_polygon_inside__stored_with_a_point_inside():
    area = AreaFactory()
    point = place_create(actor=SYSTEM, area=area, name="Kiosken", geometry=POINT_IN)
    assert (point.longitude, point.latitude) == (15.004, 59.006)
    polygon = place_create(actor=SYSTEM, area=area, name="Torget", geometry=POLYGON_IN)
    assert 15.001 < polygon.longitude < 15.003 and 59.001 < polygon.latitude < 59.003


@pytest.mark.parametrize(
    ("geometry", "code"),
    [
        (POINT_OUT, "place_outside_area"),
        (POLYGON_ACROSS, "place_outside_area"),
        (
            {"type": "LineString", "coordinates": [[15.0, 59.0], [15.1, 59.1]]},
            "not_point_or_polygon",
        ),
        ({"type": "Point", "coordinates": [15.0]}, "malformed_geometry"),
        ({"type": "Point", "coordinates": [515000, 6565000]}, "coordinates_out_of_range"),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [15.001, 59.001],
                        [15.003, 59.003],
                        [15.001, 59.003],
                        [15.003, 59.001],
                        [15.001, 59.001],
                    ]
                ],
            },
            "invalid_geometry",
        ),
    ],
)
def test_place__bad_or_outside_geometry__refused_with_code(geometry, code):
    area = AreaFactory()
    with pytest.raises(ValidationError) as caught:
        place_create(actor=SYSTEM, area=area, name="Fel", geometry=geometry)
    assert caught.value.error_dict["geometry"][0].code == code
    assert not Place.objects.exists()


def test_place__moved__point_follows_and_stale_version_refused():
    place = place_create(actor=SYSTEM, area=AreaFactory(), name="Kiosken", geometry=POINT_IN)
    moved, changed = place_update(
        actor=SYSTEM,
        place=place,
        data={"geometry": {"type": "Point", "coordinates": [15.002, 59.002]}},
        expected_version=1,
    )
    assert changed and (moved.longitude, moved.latitude) == (15.002, 59.002)
    with pytest.raises(StaleVersion):
        place_update(
            actor=SYSTEM, place=Place.objects.get(), data={"name": "X"}, expected_version=1
        )


def test_place__est_member_in_own_area_only():
    municipality = MunicipalityFactory()
    own, other = AreaFactory(municipality=municipality), AreaFactory(municipality=municipality)
    member = UserFactory.create_with_role(Role.EST_MEMBER, municipality, areas=[own])
    place_create(actor=member, area=own, name="Kiosken", geometry=POINT_IN)
    with pytest.raises(PermissionDenied):
        place_create(actor=member, area=other, name="Kiosken", geometry=POINT_IN)


def test_place__same_name_in_area__refused():
    place = PlaceFactory(name="Torget")
    with pytest.raises(ValidationError):
        place_create(actor=SYSTEM, area=place.area, name="torget", geometry=POINT_IN)


def test_locator__finds_the_area_and_nothing_outside():
    municipality = MunicipalityFactory()
    area = AreaFactory(municipality=municipality)
    AreaFactory(municipality=municipality, boundary=None)
    locator = AreaLocator.for_municipality(municipality.pk)
    assert locator.area_at(15.005, 59.005) == area.pk
    assert locator.area_at(16.0, 59.005) is None
    assert locator.contains(area.pk, 15.01, 59.005)  # on the edge
    assert not locator.contains(area.pk, 15.02, 59.005)


def test_demo__places_inside_their_areas_and_the_reporter_can_file(demo, demo_users):
    for area_name, places in PLACES.items():
        area = Area.objects.get(municipality=demo, name=area_name)
        stored = set(Place.objects.filter(area=area).values_list("name", flat=True))
        assert stored == {name for name, _ in places}
    assert IncidentCategory.objects.filter(municipality=demo).count() == len(DEFAULT_CATEGORIES)
    assert demo_users["vard"].permissions.can_file_incidents(demo.pk)
    assert not demo_users["vard"].permissions.raw_incident_area_ids(demo.pk)


# --- pages -------------------------------------------------------------------------------------

CATALOGUE_PAGE = {
    "admin": 200,
    "est": 200,
    "strateg": 403,
    "samordnare": 403,
    "rapportor": 403,
    "lasare": 403,
    "vard": 403,
}


@pytest.mark.parametrize("role", sorted(CATALOGUE_PAGE))
def test_catalogue_page__by_role(client, demo, demo_users, role):
    client.force_login(demo_users[role])
    assert client.get("/est/katalog/").status_code == CATALOGUE_PAGE[role]
    assert client.get("/est/katalog/kategorier/ny/").status_code == CATALOGUE_PAGE[role]


def test_catalogue_page__anonymous_to_login(client, demo):
    response = client.get("/est/katalog/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_place_form__member_adds_in_own_area_and_outside_is_refused(client, demo, demo_users):
    client.force_login(demo_users["est"])  # EST member of Norrby and Västerdal
    norrby = Area.objects.get(municipality=demo, name="Norrby")
    centre = Place.objects.get(area=norrby, name="Norrby centrum")
    inside = {"type": "Point", "coordinates": [centre.longitude, centre.latitude]}
    page = client.get("/est/katalog/platser/ny/").content.decode()
    assert "Norrby" in page and "Söderängen" not in page
    response = client.post(
        "/est/katalog/platser/ny/",
        {"name": "Kiosken", "area": norrby.pk, "geometry": json.dumps(inside)},
    )
    assert response.status_code == 302
    assert Place.objects.filter(area=norrby, name="Kiosken").exists()
    outside = {"type": "Point", "coordinates": [10.0, 59.0]}
    response = client.post(
        "/est/katalog/platser/ny/",
        {"name": "Långt bort", "area": norrby.pk, "geometry": json.dumps(outside)},
    )
    assert response.status_code == 422
    assert "Norrby" in response.content.decode()
    soderangen = Area.objects.get(municipality=demo, name="Söderängen")
    response = client.post(
        "/est/katalog/platser/ny/",
        {"name": "Fel område", "area": soderangen.pk, "geometry": json.dumps(inside)},
    )
    assert response.status_code == 422  # not a choice for this member
    assert not Place.objects.filter(name="Fel område").exists()


def test_review_switch__admin_only(client, demo, demo_users):
    client.force_login(demo_users["est"])
    assert client.post("/est/katalog/installningar/", {"review_required": "on"}).status_code == 403
    client.force_login(demo_users["admin"])
    assert client.post("/est/katalog/installningar/", {"review_required": "on"}).status_code == 302
    assert EstSettings.objects.get(municipality=demo).review_required


def test_category_form__rename_and_retire(client, demo, demo_users):
    client.force_login(demo_users["admin"])
    klotter = IncidentCategory.objects.get(municipality=demo, name="Klotter")
    response = client.post(
        f"/est/katalog/kategorier/{klotter.pk}/",
        {"name": "Klotter och tags", "order": 20},
    )
    assert response.status_code == 302
    klotter.refresh_from_db()
    assert (klotter.name, klotter.active) == ("Klotter och tags", False)
