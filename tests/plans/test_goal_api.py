"""The goal hierarchy through the API: the same rules as the pages, matrix-tested."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient
from tests.factories import AreaFactory, IndicatorFactory
from tests.plans.goal_setup import ROLES, goal_world_fixture  # noqa: F401 - the fixture goal_world

from kvarter.core.actors import SYSTEM
from kvarter.indicators.models import IndicatorValue
from kvarter.indicators.own_values_services import own_values_set
from kvarter.plans.models import (
    Goal,
    QualitativeCriterion,
    QuantitativeCriterion,
    Vision,
)

pytestmark = pytest.mark.django_db


def _api(user):
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def _codes(response):
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


# Reading one object (goal, vision, criteria, own figures): who may read the plan; others 404.
READ = {
    "admin": 200,
    "strateg": 200,
    "samordnare": 200,
    "rapportor": 200,
    "est": 200,
    "lasare": 200,
    "anonymous": 401,
    "other_admin": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_goal_api__every_role__read_gives_the_table(goal_world, role):
    w = goal_world
    api = _api(w["users"][role])
    for url in [
        f"/api/v1/goals/{w['goal'].pk}/",
        f"/api/v1/visions/{w['vision'].pk}/",
        f"/api/v1/quantitative-criteria/{w['quantitative'].pk}/",
        f"/api/v1/qualitative-criteria/{w['qualitative'].pk}/",
        f"/api/v1/own-values/?municipality={w['municipality'].code}&indicator={w['own'].code}",
    ]:
        assert api.get(url).status_code == READ[role], (role, url)
    listed = api.get(f"/api/v1/goals/?plan={w['plan'].pk}")
    if READ[role] == 401:
        assert listed.status_code == 401
    else:
        # Lists hold only what the caller may read: nothing of this plan for a stranger.
        expected = ["1.1"] if READ[role] == 200 else []
        assert [g["code"] for g in listed.json()["results"]] == expected, role


def test_goal_api__shapes__decimals_as_strings_and_nested_values(goal_world):
    w = goal_world
    api = _api(w["users"]["lasare"])
    goal = api.get(f"/api/v1/goals/{w['goal'].pk}/").json()
    assert goal == {
        "id": w["goal"].pk,
        "plan": w["plan"].pk,
        "goal_area": w["work"].pk,
        "code": "1.1",
        "number": 1,
        "title": "Ökad sysselsättning",
        "description": "Fler i jobb.",
        "predecessor": None,
        "version": 1,
    }
    criterion = api.get(f"/api/v1/quantitative-criteria/?goal={w['goal'].pk}").json()
    assert criterion["results"][0]["target_value"] == "60.0000"
    assert criterion["results"][0]["indicator"] == "forvarvsfrekvens-test"
    assert criterion["results"][0]["area"] is None
    own_values_set(
        actor=SYSTEM,
        indicator=w["own"],
        municipality=w["municipality"],
        values=[(2024, "K", Decimal("46")), (2024, "T", Decimal("47.5"))],
    )
    own = api.get(
        f"/api/v1/own-values/?municipality={w['municipality'].code}&indicator={w['own'].code}"
    ).json()
    assert (own["municipality"], own["indicator"], own["area"]) == (
        w["municipality"].code,
        w["own"].code,
        None,
    )
    assert {
        "year": 2024,
        "sex": "K",
        "value": 46.0,
        "status": "ok",
        "source": "Egna uppgifter",
        "retrieved_on": own["values"][0]["retrieved_on"],
    } in own["values"]
    assert len(own["values"]) == 2 and len(own["state"]) == 32
    qualitative = api.get(f"/api/v1/qualitative-criteria/?plan={w['plan'].pk}").json()
    assert [(c["letter"], c["text"]) for c in qualitative["results"]] == [
        ("a", "Fler arbetsgivare samverkar med skolan.")
    ]


# Writes: administrators and strategists of the municipality; readers 403; nobody 401; an
# administrator of another municipality cannot see the objects (404) or the goal area and goal
# a new row would hang under (400 not_found), and may not create visions or own figures here.
CREATE = {
    "admin": 201,
    "strateg": 201,
    "samordnare": 403,
    "rapportor": 403,
    "est": 403,
    "lasare": 403,
    "anonymous": 401,
}
EDIT = {
    "admin": 200,
    "strateg": 200,
    "samordnare": 403,
    "rapportor": 403,
    "est": 403,
    "lasare": 403,
    "anonymous": 401,
    "other_admin": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_goal_api__every_role__write_gives_the_table(goal_world, role):
    w = goal_world
    api = _api(w["users"][role])
    code = w["municipality"].code
    creates = [
        (
            "/api/v1/goals/",
            {"goal_area": w["safety"].pk, "number": 1, "title": "Ökad trygghet"},
            400,
            lambda: Goal.objects.filter(title="Ökad trygghet").exists(),
        ),
        (
            "/api/v1/visions/",
            {"municipality": code, "title": "Trygg stadsdel"},
            403,
            lambda: Vision.objects.filter(title="Trygg stadsdel").exists(),
        ),
        (
            "/api/v1/quantitative-criteria/",
            {
                "goal": w["goal"].pk,
                "indicator": w["indicator"].code,
                "baseline_year": 2022,
                "target_year": 2026,
                "target_value_women": "58.5",
            },
            400,
            lambda: QuantitativeCriterion.objects.filter(target_value_women=58.5).exists(),
        ),
        (
            "/api/v1/qualitative-criteria/",
            {"goal": w["goal"].pk, "text": "Unga får sommarjobb."},
            400,
            lambda: QualitativeCriterion.objects.filter(letter="b").exists(),
        ),
    ]
    for url, body, stranger, written in creates:
        answer = api.post(url, body, format="json")
        expected = CREATE.get(role, stranger)
        assert answer.status_code == expected, (role, url, answer.content)
        assert written() == (expected == 201), (role, url)
    edits = [
        (
            f"/api/v1/goals/{w['goal'].pk}/",
            {"version": 1, "title": "Fler i arbete"},
            lambda: Goal.objects.filter(title="Fler i arbete").exists(),
        ),
        (
            f"/api/v1/visions/{w['vision'].pk}/",
            {"version": 1, "description": "Till 2030."},
            lambda: Vision.objects.filter(description="Till 2030.").exists(),
        ),
        (
            f"/api/v1/quantitative-criteria/{w['quantitative'].pk}/",
            {"version": 1, "target_year": 2027},
            lambda: QuantitativeCriterion.objects.filter(target_year=2027).exists(),
        ),
        (
            f"/api/v1/qualitative-criteria/{w['qualitative'].pk}/",
            {"version": 1, "text": "Ny lydelse."},
            lambda: QualitativeCriterion.objects.filter(text="Ny lydelse.").exists(),
        ),
    ]
    for url, body, written in edits:
        answer = api.patch(url, body, format="json")
        assert answer.status_code == EDIT[role], (role, url, answer.content)
        assert written() == (EDIT[role] == 200), (role, url)
    values = api.post(
        "/api/v1/own-values/",
        {
            "municipality": code,
            "indicator": w["own"].code,
            "values": [{"year": 2025, "sex": "T", "value": "58.5"}],
        },
        format="json",
    )
    # A stranger cannot see the municipality's own figures: the body names nothing it may use.
    assert values.status_code == (400 if role == "other_admin" else EDIT[role]), role
    assert IndicatorValue.objects.filter(year=2025).exists() == (EDIT[role] == 200)
    removed = api.delete(f"/api/v1/goals/{w['goal'].pk}/")
    assert removed.status_code == (204 if EDIT[role] == 200 else EDIT[role]), role
    assert Goal.objects.filter(pk=w["goal"].pk).exists() == (EDIT[role] != 200)


def test_goal_api__stale_version__409(goal_world):
    w = goal_world
    api = _api(w["users"]["strateg"])
    url = f"/api/v1/goals/{w['goal'].pk}/"
    assert api.patch(url, {"version": 1, "title": "Först"}, format="json").status_code == 200
    stale = api.patch(url, {"version": 1, "title": "Sist"}, format="json")
    assert stale.status_code == 409
    assert _codes(stale) == [(None, "stale_version")]
    assert Goal.objects.get(pk=w["goal"].pk).title == "Först"
    missing = api.patch(url, {"title": "Utan version"}, format="json")
    assert missing.status_code == 400 and ("version", "required") in _codes(missing)


def _criterion(api, w, **changes):
    body = {
        "goal": w["goal"].pk,
        "indicator": w["indicator"].code,
        "baseline_year": 2022,
        "target_year": 2026,
        "target_value": "60",
    } | changes
    return api.post("/api/v1/quantitative-criteria/", body, format="json")


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"target_value": None}, [("target_value", "target_missing")]),
        ({"target_year": 2020}, [("target_year", "period_reversed")]),
        ({"target_value": "sextio"}, [("target_value", "invalid")]),
        ({"direction": "up"}, [("direction", "invalid_choice")]),
        ({"indicator": "finns-inte"}, [("indicator", "not_found")]),
        ({"area": 999999}, [("area", "not_found")]),
    ],
)
def test_quantitative_api__invalid_criterion__field_errors_with_codes(goal_world, changes, errors):
    w = goal_world
    answer = _criterion(_api(w["users"]["strateg"]), w, **changes)
    assert answer.status_code == 400
    assert _codes(answer) == errors
    assert QuantitativeCriterion.objects.count() == 1


def test_quantitative_api__area_and_indicator__stored_and_area_elsewhere_refused(goal_world):
    w = goal_world
    api = _api(w["users"]["strateg"])
    area = w["municipality"].areas.first()
    own = IndicatorFactory(code="egen-api", source_kind="own")
    made = _criterion(api, w, indicator="egen-api", area=area.pk, target_value="70")
    assert made.status_code == 201, made.content
    assert (made.json()["indicator"], made.json()["area"]) == ("egen-api", area.pk)
    assert QuantitativeCriterion.objects.get(pk=made.json()["id"]).indicator == own
    foreign = _criterion(api, w, area=AreaFactory().pk)
    assert foreign.status_code == 400
    assert _codes(foreign) == [("area", "area_other_municipality")]
    moved = api.patch(
        f"/api/v1/quantitative-criteria/{made.json()['id']}/",
        {"version": 1, "area": None},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["area"] is None


def test_own_values_api__set_remove_all_or_nothing_and_stale_state(goal_world):
    w = goal_world
    api = _api(w["users"]["strateg"])
    code, own = w["municipality"].code, w["own"]
    area = w["municipality"].areas.first()

    def post(values, **extra):
        body = {"municipality": code, "indicator": own.code, "values": values} | extra
        return api.post("/api/v1/own-values/", body, format="json")

    first = post([{"year": 2022, "sex": "T", "value": "61"}])
    assert first.status_code == 200
    answer = post(
        [{"year": 2025, "sex": "K", "value": "63.5"}, {"year": 2022, "sex": "T", "value": None}],
        state=first.json()["state"],
    )
    assert answer.status_code == 200
    values = {(v["year"], v["sex"]): v["value"] for v in answer.json()["values"]}
    assert values == {(2025, "K"): 63.5}
    bad = post(
        [{"year": 2026, "sex": "T", "value": "70"}, {"year": 1800, "sex": "T", "value": "1"}]
    )
    assert bad.status_code == 400
    stale = post([{"year": 2026, "sex": "T", "value": "70"}], state=first.json()["state"])
    assert stale.status_code == 409
    assert not IndicatorValue.objects.filter(year=2026).exists()
    in_area = post([{"year": 2024, "sex": "T", "value": "12"}], area=area.pk)
    assert in_area.status_code == 200 and in_area.json()["area"] == area.pk
    assert IndicatorValue.objects.get(indicator=own, area=area).value == 12.0
    catalogue = api.post(
        "/api/v1/own-values/",
        {"municipality": code, "indicator": w["indicator"].code, "values": []},
        format="json",
    )
    assert catalogue.status_code == 400
    assert _codes(catalogue) == [("indicator", "not_found")]


def test_goal_api__create_needs_fields__400_with_codes(goal_world):
    w = goal_world
    api = _api(w["users"]["strateg"])
    answer = api.post("/api/v1/quantitative-criteria/", {"goal": w["goal"].pk}, format="json")
    assert answer.status_code == 400
    assert sorted(_codes(answer)) == [
        ("baseline_year", "required"),
        ("indicator", "required"),
        ("target_year", "required"),
    ]
    taken = api.post(
        "/api/v1/goals/",
        {"goal_area": w["work"].pk, "number": 1, "title": "Samma nummer"},
        format="json",
    )
    assert taken.status_code == 400
    assert Goal.objects.filter(goal_area=w["work"], number=1).count() == 1
