"""Input that used to end in a server error (issue 12, item 7) or be read wrongly (item 11).

Run on both SQLite and PostgreSQL: the out-of-range LIMIT and the NUL character only failed
on PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient
from tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory

from kvarter.accounts.roles import Role
from kvarter.core.actors import SYSTEM
from kvarter.core.json_input import MAX_DEPTH, TooDeeplyNested, loads, nesting_depth
from kvarter.followup.models import StatusReport
from kvarter.followup.services import round_open
from kvarter.plans.models import Measure
from kvarter.plans.services import goal_area_ensure, measure_create, plan_create

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
DEEP = "[" * 50_000 + "]" * 50_000

LIST_ENDPOINTS = [
    "municipalities/",
    "areas/",
    "organisations/",
    "plans/",
    "goal-areas/",
    "measures/",
    "rounds/",
    "visions/",
    "goals/",
    "quantitative-criteria/",
    "qualitative-criteria/",
    "assessments/",
    "indicators/",
    "incident-reports/",
    "est/deployments/",
]
ANONYMOUS_LIST_ENDPOINTS = ["municipalities/", "areas/", "indicators/"]
MUNICIPALITY_ENDPOINTS = [
    "areas/",
    "areas/geojson/",
    "visions/",
    "incident-reports/",
    "est/deployments/",
    "est/categories/",
    "est/places/",
    "own-values/",
]


def _plan(municipality):
    plan = plan_create(actor=SYSTEM, municipality=municipality, name="Plan", start_year=2025)
    goal_area = goal_area_ensure(actor=SYSTEM, plan=plan, number=1, name="Trygghet")
    for number in ("1.1", "1.2"):
        measure_create(
            actor=SYSTEM,
            plan=plan,
            data={"number": number, "goal_area": goal_area, "title": f"Åtgärd {number}"},
        )
    return plan


@pytest.fixture
def world():
    municipality = MunicipalityFactory()
    organisation = OrganisationFactory(municipality=municipality)
    administrator = UserFactory.create_with_role(
        Role.ADMINISTRATOR, municipality, organisation=organisation
    )
    plan = _plan(municipality)
    api = APIClient()
    api.force_authenticate(administrator)
    round_open(actor=SYSTEM, plan=plan, year=2025)
    return {"municipality": municipality, "plan": plan, "user": administrator, "api": api}


def _codes(response):
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
@pytest.mark.parametrize("parameter", ["limit", "offset"])
def test_list__huge_limit_or_offset__400_out_of_range(world, endpoint, parameter):
    plan, round_ = world["plan"].pk, world["plan"].rounds.get().pk
    required = {"goal-areas/": f"plan={plan}&", "measures/": f"plan={plan}&"}
    query = {**required, "assessments/": f"round={round_}&"}.get(endpoint, "")
    response = world["api"].get(f"/api/v1/{endpoint}?{query}{parameter}={HUGE}")
    assert response.status_code == 400, response.content
    assert _codes(response) == [(parameter, "out_of_range")]


@pytest.mark.parametrize("endpoint", ANONYMOUS_LIST_ENDPOINTS)
def test_list__huge_limit_anonymous__400(db, endpoint):
    response = APIClient().get(f"/api/v1/{endpoint}?limit={HUGE}")
    assert response.status_code == 400
    assert _codes(response) == [("limit", "out_of_range")]


@pytest.mark.parametrize(("query", "count"), [("limit=1", 1), ("limit=1000", 2), ("", 2)])
def test_list__limit_within_bounds__served(world, query, count):
    response = world["api"].get(f"/api/v1/measures/?plan={world['plan'].pk}&{query}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "limit=x", "offset=-1"])
def test_list__limit_outside_the_schema__400(world, query):
    assert world["api"].get(f"/api/v1/measures/?{query}").status_code == 400


@pytest.mark.parametrize("endpoint", MUNICIPALITY_ENDPOINTS)
def test_query__nul_character__400_plain_sentence(world, endpoint):
    response = world["api"].get(f"/api/v1/{endpoint}?municipality=%00")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["code"] == "null_character"
    assert "\\x00" not in error["message"] and "'" not in error["message"]


def test_path_and_web_page__nul_character__400(world, client):
    assert APIClient().get("/api/v1/municipalities/%00/").status_code == 400
    answer = client.get("/indikatorer/?kommun=%00")
    assert answer.status_code == 400
    swedish = "Adressen innehåller ett null-tecken, vilket inte är tillåtet."
    english = "The address contains a null character, which is not allowed."
    assert answer.content.decode() == swedish
    in_english = client.get("/indikatorer/?kommun=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert in_english.content.decode() == english


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/plans/"),
        ("post", "/api/v1/measures/"),
        ("patch", "/api/v1/plans/{plan}/"),
        ("post", "/api/v1/rounds/"),
        ("post", "/api/v1/own-values/"),
        ("post", "/api/v1/incident-reports/"),
    ],
)
def test_json_body__nested_50000_deep__400(world, method, url):
    response = getattr(world["api"], method)(
        url.format(plan=world["plan"].pk), DEEP, content_type="application/json"
    )
    assert response.status_code == 400
    assert _codes(response) == [(None, "parse_error")]


def test_phone_form__nested_50000_deep__400(world, client):
    client.force_login(world["user"])
    response = client.post("/est/rapportera/skicka/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "malformed_json"


def test_json_input__depth_counted_outside_strings():
    assert nesting_depth('{"a": ["[[[[", {"b": "]]"}]}') == 3
    assert loads('["' + "[" * 1000 + '"]') == ["[" * 1000]
    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    with pytest.raises(TooDeeplyNested):
        loads("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    with pytest.raises(ValueError, match="NaN"):
        loads("[NaN]")


def test_form_patch__invalid_utf8__refused_not_stored(world):
    measure = world["plan"].measures.get(number="1.1")
    response = world["api"].patch(
        f"/api/v1/measures/{measure.pk}/",
        b"title=%C3%85tg%E4rd&version=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert _codes(response) == [(None, "parse_error")]
    assert Measure.objects.get(pk=measure.pk).title == "Åtgärd 1.1"
    fine = world["api"].patch(
        f"/api/v1/measures/{measure.pk}/",
        "title=%C3%85tg%C3%A4rd&version=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert fine.status_code == 200 and fine.json()["title"] == "Åtgärd"


def test_json_body__invalid_utf8__400(world):
    response = world["api"].post(
        "/api/v1/plans/", b'{"name": "\xe4"}', content_type="application/json"
    )
    assert response.status_code == 400


def test_status_report__merged_into_other_municipality__400(world):
    round_ = world["plan"].rounds.get()
    foreign = _plan(MunicipalityFactory()).measures.get(number="1.1")
    own = world["plan"].measures.get(number="1.1")
    url = f"/api/v1/rounds/{round_.pk}/reports/"
    body = {"measure": own.pk, "version": 0, "disposition": "merged"}
    for target in (foreign.pk, 2**31 - 1):
        response = world["api"].post(url, {**body, "merged_into": target}, format="json")
        assert response.status_code == 400, response.content
        assert _codes(response) == [("merged_into", "merged_into_other_plan")]
    assert not StatusReport.objects.exists()
    sibling = world["plan"].measures.get(number="1.2")
    merged = world["api"].post(url, {**body, "merged_into": sibling.pk}, format="json")
    assert merged.status_code == 200 and merged.json()["merged_into"] == sibling.pk


def test_round_reports__get__paginated(world):
    round_ = world["plan"].rounds.get()
    url = f"/api/v1/rounds/{round_.pk}/reports/"
    for measure in world["plan"].measures.all():
        body = {"measure": measure.pk, "version": 0, "status": "done"}
        assert world["api"].post(url, body, format="json").status_code == 200
    page = world["api"].get(f"{url}?limit=1").json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]
    assert page["results"][0]["measure_number"] == "1.1"


def test_schema__own_values_object_and_comparison_cells_nullable(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(out))
    schema = json.loads(out.read_text())
    own = schema["paths"]["/api/v1/own-values/"]["get"]["responses"]["200"]
    assert own["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/OwnValues"
    }
    cells = schema["components"]["schemas"]["ComparisonRow"]["properties"]["cells"]
    assert cells["items"]["nullable"] is True
    reports = schema["paths"]["/api/v1/rounds/{id}/reports/"]["get"]["responses"]["200"]
    assert reports["content"]["application/json"]["schema"]["$ref"].endswith(
        "PaginatedStatusReportList"
    )


def test_error__nested_field__flat_path_and_plain_sentence(world):
    """A nested field's error named by its path, not the Python repr of DRF's error dict."""
    indicator = "egna-" + "x"
    response = world["api"].post(
        "/api/v1/own-values/",
        {
            "municipality": world["municipality"].code,
            "indicator": indicator,
            "values": [{"year": 2024, "value": 1}, {"year": 2024, "value": "abc"}],
        },
        format="json",
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "values.1.value" and error["code"] == "invalid"
    assert "ErrorDetail" not in error["message"] and "{" not in error["message"]


def test_schema__patch_body_requires_version(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(out))
    schema = json.loads(out.read_text())
    body = schema["paths"]["/api/v1/measures/{id}/"]["patch"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "version" in schema["components"]["schemas"][ref]["required"]


def test_api__address_no_route_takes__json_404(db):
    response = APIClient().get("/api/v1/areas/2.5/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
    assert APIClient().get("/api/v1/areas").status_code == 301
