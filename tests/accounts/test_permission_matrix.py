"""Every role × every area/organisation object × read/write, through the API and the pages;
and every capability × role × scope (own area, other area, other municipality) through the
resolver.

The expected answers are written out as tables here, independently of the resolver, so that
a change to the role → capability map that is not also made here fails loudly.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from tests.factories import AreaFactory, MunicipalityFactory, OrganisationFactory, UserFactory

from kvarter.accounts.models import Organisation
from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.roles import Capability, Role
from kvarter.areas.models import Area
from kvarter.core.actors import SYSTEM

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


# Capability × role × scope, as the resolver must answer. Each cell holds three answers: the
# role's own area (Norrby, where the coordinator and the EST member work) / another area of
# the same municipality (Söderängen) / an area of another municipality. Y holds, - does not.
# anon: not logged in; other_admin: the administrator of the other municipality.
CAPABILITY_MATRIX = """
capability                  anon admin strateg samordnare rapportor est lasare vard other_admin
view_municipality_internals ---  YY-   YY-     YY-        YY-       YY- YY-    ---  --Y
change_area                 ---  YY-   YY-     Y--        ---       --- ---    ---  --Y
create_area                 ---  YY-   ---     ---        ---       --- ---    ---  --Y
change_organisation         ---  YY-   ---     ---        ---       --- ---    ---  --Y
view_audit_log              ---  YY-   YY-     ---        ---       --- ---    ---  --Y
view_raw_incidents          ---  ---   ---     ---        ---       Y-- ---    ---  ---
change_plan                 ---  YY-   YY-     ---        ---       --- ---    ---  --Y
view_plans                  ---  YY-   YY-     Y--        YY-       Y-- YY-    ---  --Y
report_status               ---  ---   ---     ---        YY-       --- ---    ---  ---
manage_rounds               ---  YY-   YY-     ---        ---       --- ---    ---  --Y
file_incidents              ---  ---   ---     ---        ---       YY- ---    YY-  ---
review_reports              ---  ---   ---     ---        ---       Y-- ---    ---  ---
manage_est_catalogue        ---  YY-   ---     ---        ---       Y-- ---    ---  --Y
change_est_settings         ---  YY-   ---     ---        ---       --- ---    ---  --Y
import_incident_history     ---  YY-   ---     ---        ---       YY- ---    ---  --Y
plan_deployments            ---  ---   ---     ---        ---       Y-- ---    ---  ---
manage_problem_places       ---  ---   ---     ---        ---       Y-- ---    ---  ---
import_indicators           ---  YY-   YY-     ---        ---       --- ---    ---  --Y
import_shared_figures       ---  ---   ---     ---        ---       --- ---    ---  ---
"""
SCOPES = ["norrby", "soderangen", "other_area"]


def _user(world, role):
    return world["users"]["anonymous" if role == "anon" else role]


def _matrix(text: str) -> dict[str, dict[str, tuple[bool, bool, bool]]]:
    header, *rows = [line.split() for line in text.strip().splitlines()]
    table = {}
    for capability, *cells in rows:
        assert len(cells) == len(header) - 1, capability
        table[capability] = {
            role: tuple(mark == "Y" for mark in cell)
            for role, cell in zip(header[1:], cells, strict=True)
        }
    return table


def _within(ids, area) -> bool:
    return ids is None or area.pk in ids


# The named question a door asks for each capability (where there is one).
NAMED = {
    "view_municipality_internals": lambda r, a: r.can_view_incident_aggregates(a.municipality_id),
    "change_area": lambda r, a: r.can_change_area(a),
    "create_area": lambda r, a: r.can_create_area(a.municipality),
    "change_organisation": lambda r, a: r.has_role_admin(a.municipality),
    "view_audit_log": lambda r, a: r.can_view_audit_log(a.municipality),
    "view_raw_incidents": lambda r, a: r.can_view_raw_incidents(a),
    "change_plan": lambda r, a: r.can_change_plans_of(a.municipality_id),
    "view_plans": lambda r, a: _within(r.measure_area_ids(a.municipality_id), a),
    "manage_rounds": lambda r, a: r.can_manage_rounds_of(a.municipality_id),
    "file_incidents": lambda r, a: r.can_file_incidents(a.municipality_id),
    "review_reports": lambda r, a: _within(r.review_area_ids(a.municipality_id), a),
    "manage_est_catalogue": lambda r, a: r.can_manage_places_in(a),
    "change_est_settings": lambda r, a: r.can_change_est_settings(a.municipality_id),
    "import_incident_history": lambda r, a: r.can_import_incident_history(a.municipality_id),
    "plan_deployments": lambda r, a: r.can_plan_deployments(a),
    "manage_problem_places": lambda r, a: r.can_manage_problem_places_in(a),
    "import_indicators": lambda r, a: r.can_import_indicators(a.municipality_id),
    "import_shared_figures": lambda r, a: r.can_import_shared_figures(),
}


def test_capability_matrix__names_every_capability_once():
    assert sorted(_matrix(CAPABILITY_MATRIX)) == sorted(c.value for c in Capability)


def test_capability_matrix__every_role_and_scope__the_resolver_gives_the_table(world):
    wrong = []
    for capability, by_role in _matrix(CAPABILITY_MATRIX).items():
        for role, expected in by_role.items():
            resolver = resolver_for(_user(world, role))
            for key, want in zip(SCOPES, expected, strict=True):
                area = world["areas"][key]
                got = resolver.has(
                    Capability(capability), municipality_id=area.municipality_id, area_id=area.pk
                )
                if got != want:
                    wrong.append(f"{capability} {role} {key}: has() says {got}")
                ask = NAMED.get(capability)
                if ask is not None and bool(ask(resolver, area)) != want:
                    wrong.append(f"{capability} {role} {key}: the named check disagrees")
    assert wrong == []


def test_capability_matrix__municipalities_with__holds_where_the_table_says(world):
    wrong = []
    for capability, by_role in _matrix(CAPABILITY_MATRIX).items():
        for role, (own, other, elsewhere) in by_role.items():
            found = set(resolver_for(_user(world, role)).municipalities_with(capability))
            municipality = world["areas"]["norrby"].municipality
            other_municipality = world["areas"]["other_area"].municipality
            if (municipality in found) != (own or other):
                wrong.append(f"{capability} {role}: own municipality")
            if (other_municipality in found) != elsewhere:
                wrong.append(f"{capability} {role}: other municipality")
    assert wrong == []


@pytest.mark.parametrize("actor", ["superuser", "system"])
def test_capability_matrix__superuser_and_the_installation__hold_everything(world, actor):
    user = SYSTEM if actor == "system" else UserFactory(is_superuser=True)
    resolver = resolver_for(user)
    for capability in Capability:
        for area in world["areas"].values():
            assert resolver.has(capability, municipality_id=area.municipality_id, area_id=area.pk)
            assert NAMED.get(capability, lambda r, a: True)(resolver, area), capability
        assert resolver.municipality_ids_with(capability) is None
