"""Writing plans, goal areas and measures through the API: every role, versions, bad input."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from kvarter.core.actors import SYSTEM
from kvarter.followup.services import round_open, status_report
from kvarter.plans.models import GoalArea, Measure, Plan
from kvarter.plans.services import goal_area_ensure

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "admin", "strateg", "samordnare", "rapportor", "est", "lasare", "other_admin"]

WRITES = [
    "plan_create",
    "plan_patch",
    "goal_area_create",
    "goal_area_patch",
    "measure_create",
    "measure_patch",
    "measure_patch_other_area",
    "measure_delete",
]
# HTTP status per write. 404: the plan or measure is not one the user may read (the same as a
# missing one); 403: readable but not writable. Measure 1.2 is in Söderängen, which neither the
# coordinator nor the EST member follows; 2.1 names no area.
EDITOR = (201, 200, 201, 200, 201, 200, 200, 204)
READER = (403,) * 8
API_WRITES = {
    "anonymous": (401,) * 8,
    "admin": EDITOR,
    "strateg": EDITOR,
    "samordnare": (403,) * 6 + (404, 403),
    "rapportor": READER,
    "est": (403,) * 6 + (404, 403),
    "lasare": READER,
    # Exempelstad's plans are not Annanstad's administrator's to read, nor to create.
    "other_admin": (403,) + (404,) * 7,
}


def _api(user):
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def _writes(w):
    """write → (method, url, body, did it take effect?)."""
    plan, m11, m12, m21 = (w["plan"], *(w["measures"][n] for n in ("1.1", "1.2", "2.1")))
    one = w["goal_areas"][1]
    return {
        "plan_create": (
            "post",
            "/api/v1/plans/",
            {"municipality": w["municipality"].code, "name": "API-plan", "start_year": 2027},
            lambda: Plan.objects.filter(name="API-plan").exists(),
        ),
        "plan_patch": (
            "patch",
            f"/api/v1/plans/{plan.pk}/",
            {"version": plan.version, "status": "adopted", "decision_reference": "KS 2026-1"},
            lambda: Plan.objects.get(pk=plan.pk).status == "adopted",
        ),
        "goal_area_create": (
            "post",
            "/api/v1/goal-areas/",
            {"plan": plan.pk, "number": 3, "name": "Utbildning"},
            lambda: plan.goal_areas.filter(number=3).exists(),
        ),
        "goal_area_patch": (
            "patch",
            f"/api/v1/goal-areas/{one.pk}/",
            {"version": one.version, "name": "Trygghet och hälsa"},
            lambda: GoalArea.objects.get(pk=one.pk).name == "Trygghet och hälsa",
        ),
        "measure_create": (
            "post",
            "/api/v1/measures/",
            {
                "plan": plan.pk,
                "number": "1.3",
                "goal_area": 1,
                "title": "Nattvandring",
                "areas": [w["areas"]["Norrby"].pk],
                "responsible_units": [w["units"]["SOF"].pk],
                "amount": 40_000,
            },
            lambda: Measure.objects.filter(number="1.3", amount=40_000).exists(),
        ),
        "measure_patch": (
            "patch",
            f"/api/v1/measures/{m11.pk}/",
            {"version": m11.version, "title": "Ny titel"},
            lambda: Measure.objects.get(pk=m11.pk).title == "Ny titel",
        ),
        "measure_patch_other_area": (
            "patch",
            f"/api/v1/measures/{m12.pk}/",
            {"version": m12.version, "title": "Ny titel 1.2"},
            lambda: Measure.objects.get(pk=m12.pk).title == "Ny titel 1.2",
        ),
        "measure_delete": (
            "delete",
            f"/api/v1/measures/{m21.pk}/?version={m21.version}",
            None,
            lambda: not Measure.objects.filter(pk=m21.pk).exists(),
        ),
    }


@pytest.mark.parametrize("role", ROLES)
def test_plan_api__every_role__writes_answer_the_table(world, role):
    api = _api(world["users"][role])
    writes = _writes(world)
    for write, expected in zip(WRITES, API_WRITES[role], strict=True):
        method, url, body, took_effect = writes[write]
        response = getattr(api, method)(url, body, format="json")
        assert response.status_code == expected, (role, write, response.content)
        assert took_effect() == (expected < 300), (role, write)
        if expected >= 400:
            assert response.json()["errors"][0]["code"], (role, write)


def test_plan_api__created_measure__read_back_in_the_same_shape(world):
    api = _api(world["users"]["strateg"])
    created = api.post(
        "/api/v1/measures/",
        {
            "plan": world["plan"].pk,
            "number": "2.2",
            "goal_area": 2,
            "title": "Jobbspår",
            "areas": [world["areas"]["Åsen"].pk],
            "responsible_units": [world["units"]["UAF"].pk],
            "start_date": "2026-02-01",
            "end_date": "2026-11-30",
        },
        format="json",
    ).json()
    assert created["goal_area"] == 2 and created["areas"] == ["Åsen"]
    assert created["area_ids"] == [world["areas"]["Åsen"].pk] and created["version"] == 1
    listed = api.get(f"/api/v1/measures/?plan={world['plan'].pk}").json()["results"]
    assert [m["number"] for m in listed] == ["1.1", "1.2", "2.1", "2.2"]
    areas = api.get(f"/api/v1/goal-areas/?plan={world['plan'].pk}").json()["results"]
    assert [(g["number"], g["name"]) for g in areas] == [(1, "Trygghet"), (2, "Arbete")]


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("plans/{plan}/", {"name": "Annan"}),
        ("goal-areas/{goal_area}/", {"name": "Annat"}),
        ("measures/{measure}/", {"title": "Annan"}),
    ],
)
def test_plan_api__stale_version__409_stale_version(world, url, body):
    api = _api(world["users"]["strateg"])
    ids = {
        "plan": world["plan"].pk,
        "goal_area": world["goal_areas"][1].pk,
        "measure": world["measures"]["1.1"].pk,
    }
    target = "/api/v1/" + url.format(**ids)
    assert api.patch(target, {**body, "version": 1}, format="json").status_code == 200
    stale = api.patch(target, {**body, "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["code"] == "stale_version"


def test_plan_api__reported_measure__delete_refused(world):
    measure = world["measures"]["1.1"]
    round_ = round_open(actor=SYSTEM, plan=world["plan"], year=2026)
    status_report(actor=SYSTEM, round=round_, measure=measure, data={"status": "done"})
    api = _api(world["users"]["strateg"])
    refused = api.delete(f"/api/v1/measures/{measure.pk}/")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "measure_has_reports"
    assert Measure.objects.filter(pk=measure.pk).exists()
    stale = api.delete(f"/api/v1/measures/{world['measures']['2.1'].pk}/?version=7")
    assert stale.status_code == 409 and Measure.objects.filter(number="2.1").exists()


# body change, field, code
BAD_MEASURES = [
    ({"number": "2.5"}, "number", "number_goal_area_mismatch"),
    ({"number": "1"}, "number", "invalid_measure_number"),
    ({"goal_area": 9}, "goal_area", "unknown_goal_area"),
    ({"start_date": "2026-06-01", "end_date": "2026-01-01"}, "end_date", "period_reversed"),
    ({"amount": "en miljon"}, "amount", "invalid"),
    ({"amount": -5}, "amount", "min_value"),
    ({"areas": "other_area"}, "areas", "area_other_municipality"),
    ({"responsible_units": "other_unit"}, "responsible_units", "does_not_exist"),
    ({"goals": [999_999]}, "goals", "does_not_exist"),
]


@pytest.mark.parametrize(("change", "field", "code"), BAD_MEASURES)
def test_plan_api__bad_measure__400_naming_field_and_code(world, change, field, code):
    change = {
        k: [world[v].pk] if v in ("other_area", "other_unit") else v for k, v in change.items()
    }
    api = _api(world["users"]["strateg"])
    body = {"plan": world["plan"].pk, "number": "1.5", "goal_area": 1, "title": "T", **change}
    created = api.post("/api/v1/measures/", body, format="json")
    assert created.status_code == 400, created.content
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in created.json()["errors"]
    ]
    assert not Measure.objects.filter(title="T").exists()
    measure = world["measures"]["1.1"]
    patched = api.patch(
        f"/api/v1/measures/{measure.pk}/", {"version": measure.version, **change}, format="json"
    )
    assert patched.status_code == 400 and patched.json()["errors"][0]["field"] == field
    assert Measure.objects.get(pk=measure.pk).version == measure.version


def test_plan_api__duplicate_goal_area_and_plan_name__refused_with_codes(world):
    api = _api(world["users"]["strateg"])
    plan = world["plan"]
    taken = api.post(
        "/api/v1/goal-areas/", {"plan": plan.pk, "number": 1, "name": "Ny"}, format="json"
    )
    assert taken.json()["errors"] == [
        {
            "field": "number",
            "code": "goal_area_number_taken",
            "message": "Planen har redan ett målområde med det numret.",
        }
    ]
    again = api.post(
        "/api/v1/plans/",
        {"municipality": world["municipality"].code, "name": plan.name.upper(), "start_year": 2026},
        format="json",
    )
    assert again.status_code == 400 and again.json()["errors"][0]["code"] == "plan_name_taken"
    reversed_ = api.patch(
        f"/api/v1/plans/{plan.pk}/", {"version": plan.version, "end_year": 2020}, format="json"
    )
    assert reversed_.json()["errors"][0]["code"] == "period_reversed"


def test_plan_api__goal_area_renumbered__measures_renumbered(world):
    api = _api(world["users"]["admin"])
    one = world["goal_areas"][1]
    answer = api.patch(
        f"/api/v1/goal-areas/{one.pk}/", {"version": one.version, "number": 4}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["number"] == 4
    numbers = api.get(f"/api/v1/measures/?plan={world['plan'].pk}").json()["results"]
    assert sorted(m["number"] for m in numbers) == ["2.1", "4.1", "4.2"]


def test_plan_api__goals__linked_only_within_the_plan(world):
    from kvarter.plans.goal_services import goal_create
    from kvarter.plans.services import plan_create

    goal = goal_create(
        actor=SYSTEM,
        goal_area=world["goal_areas"][1],
        data={"number": 1, "title": "Ökad trygghet"},
    )
    other_plan = plan_create(
        actor=SYSTEM, municipality=world["municipality"], name="Annan", start_year=2025
    )
    foreign = goal_create(
        actor=SYSTEM,
        goal_area=goal_area_ensure(actor=SYSTEM, plan=other_plan, number=1, name="X"),
        data={"number": 1, "title": "Annat mål"},
    )
    api = _api(world["users"]["strateg"])
    measure = world["measures"]["1.1"]
    url = f"/api/v1/measures/{measure.pk}/"
    ok = api.patch(url, {"version": measure.version, "goals": [goal.pk]}, format="json")
    assert ok.status_code == 200 and ok.json()["goals"] == [goal.pk]
    refused = api.patch(url, {"version": 2, "goals": [foreign.pk]}, format="json")
    assert refused.json()["errors"][0] == {
        "field": "goals",
        "code": "does_not_exist",
        "message": f"Okänt id: {foreign.pk}",
    }
    assert list(Measure.objects.get(pk=measure.pk).goals.all()) == [goal]
