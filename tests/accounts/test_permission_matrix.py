"""Every role × every area/organisation object × read/write, through the API and the pages.

The expected answers are written out as tables here, independently of the resolver, so that
a change to the role → capability map that is not also made here fails loudly.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from tests.factories import AreaFactory, MunicipalityFactory, OrganisationFactory, UserFactory

from kvarter.accounts.models import Organisation
from kvarter.accounts.roles import Role
from kvarter.areas.models import Area

ROLES = ["anonymous", "admin", "strateg", "samordnare", "rapportor", "est", "lasare", "other_admin"]
AREAS = ["norrby", "soderangen", "other_area"]  # coordinator's area, not theirs, other kommun
ORGS = ["own_org", "other_org"]

# Web edit of an area: ok = saved, forbidden = 403, login = sent to log in.
AREA_EDIT = {
    "anonymous": ("login", "login", "login"),
    "admin": ("ok", "ok", "forbidden"),
    "strateg": ("ok", "ok", "forbidden"),
    "samordnare": ("ok", "forbidden", "forbidden"),
    "rapportor": ("forbidden", "forbidden", "forbidden"),
    "est": ("forbidden", "forbidden", "forbidden"),
    "lasare": ("forbidden", "forbidden", "forbidden"),
    "other_admin": ("forbidden", "forbidden", "ok"),
}
# Reading an area (page and API) is public: every role gets it.
AREA_READ = {role: (200, 200, 200) for role in ROLES}

# Organisations: visible to users of the same municipality; hidden (404) from others.
ORG_API_READ = {
    "anonymous": (401, 401),
    "admin": (200, 404),
    "strateg": (200, 404),
    "samordnare": (200, 404),
    "rapportor": (200, 404),
    "est": (200, 404),
    "lasare": (200, 404),
    "other_admin": (404, 200),
}
ORG_EDIT = {
    "anonymous": ("login", "login"),
    "admin": ("ok", "hidden"),
    "strateg": ("forbidden", "hidden"),
    "samordnare": ("forbidden", "hidden"),
    "rapportor": ("forbidden", "hidden"),
    "est": ("forbidden", "hidden"),
    "lasare": ("forbidden", "hidden"),
    "other_admin": ("hidden", "ok"),
}
# The API is read-only for now: writes are refused for everybody.
API_WRITE = {role: (401 if role == "anonymous" else 405) for role in ROLES}


@pytest.fixture
def world(demo, demo_users):
    other = MunicipalityFactory(code="9998", name="Annanstad")
    other_area = AreaFactory(municipality=other, name="Annanbacken")
    other_org = OrganisationFactory(municipality=other, name="Annanstads socialförvaltning")
    users = dict(demo_users)
    users["other_admin"] = UserFactory.create_with_role(Role.ADMINISTRATOR, other)
    users["anonymous"] = None
    return {
        "users": users,
        "areas": {
            "norrby": Area.objects.get(municipality=demo, name="Norrby"),
            "soderangen": Area.objects.get(municipality=demo, name="Söderängen"),
            "other_area": other_area,
        },
        "orgs": {
            "own_org": Organisation.objects.get(municipality=demo, short_name="SOF"),
            "other_org": other_org,
        },
    }


def _web(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _api(user):
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def _outcome(response, expected_redirect: str) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if "/accounts/login/" in location:
            return "login"
        assert location == expected_redirect, location
        return "ok"
    return {403: "forbidden", 404: "hidden"}.get(response.status_code, str(response.status_code))


@pytest.mark.parametrize("role", ROLES)
def test_area__every_role_and_area__read_and_write_give_the_table(client, world, role):
    user = world["users"][role]
    web, api = _web(client, user), _api(user)
    for index, key in enumerate(AREAS):
        area = world["areas"][key]
        expected_read = AREA_READ[role][index]
        assert web.get(f"/areas/{area.pk}/").status_code == expected_read, (role, key)
        assert api.get(f"/api/v1/areas/{area.pk}/").status_code == expected_read, (role, key)
        listed = {a["id"] for a in api.get("/api/v1/areas/?limit=1000").json()["results"]}
        assert area.pk in listed

        response = web.post(
            f"/areas/{area.pk}/edit/",
            {"name": area.name, "population": 4321, "version": area.version},
        )
        outcome = _outcome(response, f"/areas/{area.pk}/")
        assert outcome == AREA_EDIT[role][index], (role, key)
        area.refresh_from_db()
        assert (area.population == 4321) == (outcome == "ok"), (role, key)

        patch = api.patch(f"/api/v1/areas/{area.pk}/", {"population": 1}, format="json")
        assert patch.status_code == API_WRITE[role], (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_organisation__every_role_and_organisation__read_and_write_give_the_table(
    client, world, role
):
    user = world["users"][role]
    web, api = _web(client, user), _api(user)
    listed_api = api.get("/api/v1/organisations/?limit=1000")
    page = web.get("/accounts/organisations/")
    for index, key in enumerate(ORGS):
        organisation = world["orgs"][key]
        expected = ORG_API_READ[role][index]
        assert api.get(f"/api/v1/organisations/{organisation.pk}/").status_code == expected, (
            role,
            key,
        )
        if expected == 200:
            assert organisation.pk in {o["id"] for o in listed_api.json()["results"]}
            assert organisation.name in page.content.decode()
        elif role != "anonymous":
            assert organisation.pk not in {o["id"] for o in listed_api.json()["results"]}
            assert organisation.name not in page.content.decode()

        response = web.post(
            f"/accounts/organisations/{organisation.pk}/edit/",
            {
                "name": organisation.name + " (ny)",
                "kind": organisation.kind,
                "short_name": organisation.short_name,
                "version": organisation.version,
            },
        )
        outcome = _outcome(response, "/accounts/organisations/")
        assert outcome == ORG_EDIT[role][index], (role, key)
        organisation.refresh_from_db()
        assert organisation.name.endswith("(ny)") == (outcome == "ok"), (role, key)

        patch = api.patch(f"/api/v1/organisations/{organisation.pk}/", {"name": "x"}, format="json")
        assert patch.status_code == API_WRITE[role], (role, key)
