"""Roll-over and lineage through the pages and the API, per demo role."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from tests.factories import UserFactory
from tests.followup.rollover_support import build_plan, decide

from kvarter.accounts.roles import Role
from kvarter.followup.models import FollowUpRound
from kvarter.plans.models import Measure, Plan

pytestmark = pytest.mark.django_db

NEW_NAME = "Åtgärdsplan för områdesutveckling 2027–2029"


def _round(municipality, year: int) -> FollowUpRound:
    return FollowUpRound.objects.select_related("plan").get(
        plan__municipality=municipality, year=year, kind="yearly"
    )


def _demo_measure(municipality, number: str) -> Measure:
    return Measure.objects.get(plan__municipality=municipality, number=number)


# demo user → may roll over: the page answers 200, the API's dry run 200 (else both 403)
ROLL_OVER_ROLES = [
    ("admin", True),
    ("strateg", True),
    ("samordnare", False),
    ("rapportor", False),
    ("est", False),
    ("lasare", False),
]


@pytest.mark.parametrize(("username", "allowed"), ROLL_OVER_ROLES)
def test_rollover__page_and_api__per_demo_role(
    client, demo_with_plan, demo_users, username, allowed
):
    round_ = _round(demo_with_plan, 2025)
    user = demo_users[username]
    client.force_login(user)
    round_page = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert (f"/rounds/{round_.pk}/roll-over/" in round_page) == allowed
    assert client.get(f"/rounds/{round_.pk}/roll-over/").status_code == (200 if allowed else 403)
    api = _api(user)
    url = f"/api/v1/rounds/{round_.pk}/roll-over/"
    dry = api.post(url, {"dry_run": True}, format="json")
    assert dry.status_code == (200 if allowed else 403)

    confirm = {"name": "Ny plan", "start_year": 2027, "end_year": 2027, "renumber": "keep"}
    answer = client.post(f"/rounds/{round_.pk}/roll-over/", {**confirm, "confirm": "1"})
    assert answer.status_code == (302 if allowed else 403)
    assert Plan.objects.filter(name="Ny plan").exists() == allowed
    if allowed:
        new_plan = Plan.objects.get(name="Ny plan")
        assert new_plan.measures.count() == dry.json()["counts"]["carried"]
    # The API answers the same: refused for the others, already rolled over for these two.
    again = api.post(url, {}, format="json")
    assert again.status_code == (400 if allowed else 403)
    code = "already_rolled_over" if allowed else "permission_denied"
    assert again.json()["errors"][0]["code"] == code


def test_rollover_page__anonymous__sent_to_login(client, demo_with_plan):
    round_ = _round(demo_with_plan, 2025)
    answer = client.get(f"/rounds/{round_.pk}/roll-over/")
    assert answer.status_code == 302 and "login" in answer["Location"]


def test_rollover_page__preview_then_confirm(client, demo_with_plan, demo_users):
    round_ = _round(demo_with_plan, 2025)
    client.force_login(demo_users["strateg"])
    url = f"/rounds/{round_.pk}/roll-over/"
    preview = client.get(url).content.decode()
    assert f'value="{NEW_NAME}"' in preview and 'value="2027"' in preview
    assert 'value="2029"' in preview
    merged = [r for r in round_.reports.select_related("measure", "merged_into") if r.merged_into]
    assert merged, "the demo merges some measures in 2025"
    for report in merged:
        assert f"{report.measure.number} " in preview and report.merged_into.number in preview
    assert Plan.objects.filter(predecessor=round_.plan).count() == 0  # nothing saved yet

    form = {"name": "Plan 2027", "start_year": "2027", "end_year": "2027"}
    renumbered = client.post(url, {**form, "renumber": "consecutive", "preview": "1"})
    assert renumbered.status_code == 200
    assert 'name="renumber" value="consecutive"' in renumbered.content.decode()
    assert not Plan.objects.filter(name="Plan 2027").exists()

    done = client.post(url, {**form, "renumber": "consecutive", "confirm": "1"})
    new_plan = Plan.objects.get(name="Plan 2027")
    assert done.status_code == 302 and done["Location"] == f"/plans/{new_plan.pk}/"
    assert new_plan.predecessor == round_.plan and new_plan.status == "draft"
    numbers = Measure.objects.filter(plan=new_plan, goal_area__number=2).values_list(
        "number", flat=True
    )
    assert sorted(numbers, key=lambda n: int(n.split(".")[1])) == [
        f"2.{i}" for i in range(1, len(numbers) + 1)
    ]
    plan_page = client.get(done["Location"]).content.decode()
    assert 'id="origin-heading"' in plan_page
    for report in merged:
        assert f"{report.measure.number} {report.measure.title}" in plan_page
    # The round now points to the new plan instead of offering another roll-over.
    round_page = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert f"/plans/{new_plan.pk}/" in round_page and "/roll-over/" not in round_page
    again = client.get(url)
    assert again.status_code == 302 and again["Location"] == f"/plans/{new_plan.pk}/"


def test_rollover_page__taken_name__error_and_nothing_saved(client, demo_with_plan, demo_users):
    round_ = _round(demo_with_plan, 2025)
    client.force_login(demo_users["strateg"])
    form = {"name": round_.plan.name.upper(), "start_year": "2027", "end_year": "2029"}
    answer = client.post(
        f"/rounds/{round_.pk}/roll-over/", {**form, "renumber": "keep", "confirm": "1"}
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    assert 'id="error-summary"' in page and 'id="rollover-confirm"' not in page
    assert Plan.objects.count() == 1


def test_rollover_page__bad_years__form_errors(client, demo_with_plan, demo_users):
    round_ = _round(demo_with_plan, 2025)
    client.force_login(demo_users["strateg"])
    form = {"name": "X", "start_year": "2029", "end_year": "2027", "renumber": "keep"}
    answer = client.post(f"/rounds/{round_.pk}/roll-over/", {**form, "confirm": "1"})
    assert answer.status_code == 200 and 'id="error-summary"' in answer.content.decode()
    assert Plan.objects.count() == 1


def test_rollover_page__open_round__back_to_the_round(client, demo_with_plan, demo_users):
    round_ = _round(demo_with_plan, 2026)
    client.force_login(demo_users["strateg"])
    assert "/roll-over/" not in client.get(f"/rounds/{round_.pk}/").content.decode()
    answer = client.get(f"/rounds/{round_.pk}/roll-over/")
    assert answer.status_code == 302 and answer["Location"] == f"/rounds/{round_.pk}/"


# demo user → the lineage of measure 1.2 (Åsen only): 200 or 404
LINEAGE_ROLES = [
    ("admin", 200),
    ("strateg", 200),
    ("samordnare", 200),  # Norrby and Åsen
    ("rapportor", 200),
    ("est", 404),  # Norrby and Västerdal
    ("lasare", 200),
]


@pytest.mark.parametrize(("username", "expected"), LINEAGE_ROLES)
def test_lineage_page_and_api__per_demo_role(
    client, demo_with_plan, demo_users, username, expected
):
    measure = _demo_measure(demo_with_plan, "1.2")
    assert [a.name for a in measure.areas.all()] == ["Åsen"]
    client.force_login(demo_users[username])
    page = client.get(f"/measures/{measure.pk}/lineage/")
    assert page.status_code == expected
    if expected == 200:
        assert measure.title in page.content.decode()
    api = APIClient()
    api.force_authenticate(demo_users[username])
    assert api.get(f"/api/v1/lineage/{measure.pk}/").status_code == expected


def test_lineage_page__anonymous__sent_to_login(client, demo_with_plan):
    measure = _demo_measure(demo_with_plan, "1.2")
    assert client.get(f"/measures/{measure.pk}/lineage/").status_code == 302
    assert APIClient().get(f"/api/v1/lineage/{measure.pk}/").status_code in (401, 403)


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_rollover_api__defaults__next_period_and_name(demo_with_plan, demo_users):
    round_ = _round(demo_with_plan, 2025)
    answer = _api(demo_users["admin"]).post(
        f"/api/v1/rounds/{round_.pk}/roll-over/", {}, format="json"
    )
    assert answer.status_code == 201
    body = answer.json()
    plan = Plan.objects.get(pk=body["plan"])
    assert (plan.name, plan.start_year, plan.end_year) == (NEW_NAME, 2027, 2029)
    assert (body["name"], body["start_year"], body["end_year"]) == (NEW_NAME, 2027, 2029)
    assert plan.measures.count() == body["counts"]["carried"]


def test_rollover_api__dry_run__preview_and_nothing_written(demo_with_plan, demo_users):
    round_ = _round(demo_with_plan, 2025)
    api = _api(demo_users["strateg"])
    answer = api.post(
        f"/api/v1/rounds/{round_.pk}/roll-over/",
        {"dry_run": True, "renumber": "consecutive", "name": "Plan 2027", "start_year": 2027},
        format="json",
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["plan"] is None and body["dry_run"] is True
    assert (body["name"], body["start_year"], body["end_year"]) == ("Plan 2027", 2027, 2029)
    counts = body["counts"]
    assert counts["measures"] == round_.plan.measures.count()
    assert counts["carried"] + counts["merged"] + counts["dropped"] == counts["measures"]
    merged = [s for s in body["steps"] if s["outcome"] == "merged"]
    assert len(merged) == counts["merged"] and all(s["ends_in_new_number"] for s in merged)
    assert Plan.objects.count() == 1


# the request body, the HTTP status, the field and the code of the refusal
API_REFUSALS = [
    ({"renumber": "alphabetical"}, 400, "renumber", "invalid_choice"),
    ({"start_year": 2025}, 400, "start_year", "period_too_early"),
    ({"start_year": "soon"}, 400, "start_year", "invalid"),
    ({"name": ""}, 400, "name", "blank"),
    ({"end_year": 2026, "start_year": 2027}, 400, "end_year", "period_reversed"),
]


@pytest.mark.parametrize(("body", "status", "field", "code"), API_REFUSALS)
def test_rollover_api__bad_input__refused(demo_with_plan, demo_users, body, status, field, code):
    round_ = _round(demo_with_plan, 2025)
    answer = _api(demo_users["strateg"]).post(
        f"/api/v1/rounds/{round_.pk}/roll-over/", body, format="json"
    )
    assert answer.status_code == status
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in answer.json()["errors"]
    ]
    assert Plan.objects.count() == 1


def test_rollover_api__open_round_and_twice__refused(demo_with_plan, demo_users):
    api = _api(demo_users["strateg"])
    open_round = _round(demo_with_plan, 2026)
    answer = api.post(f"/api/v1/rounds/{open_round.pk}/roll-over/", {}, format="json")
    assert answer.status_code == 400 and answer.json()["errors"][0]["code"] == "round_open"
    closed = _round(demo_with_plan, 2025)
    assert api.post(f"/api/v1/rounds/{closed.pk}/roll-over/", {}, format="json").status_code == 201
    again = api.post(
        f"/api/v1/rounds/{closed.pk}/roll-over/", {"name": "Annan"}, format="json"
    )
    assert again.status_code == 400
    assert again.json()["errors"][0]["code"] == "already_rolled_over"


def test_lineage_api__after_a_roll_over__both_plans(demo_with_plan, demo_users):
    round_ = _round(demo_with_plan, 2025)
    api = _api(demo_users["strateg"])
    new_plan_id = api.post(f"/api/v1/rounds/{round_.pk}/roll-over/", {}, format="json").json()[
        "plan"
    ]
    target = next(r.merged_into for r in round_.reports.all() if r.merged_into_id)
    copy = Measure.objects.get(plan_id=new_plan_id, predecessor=target)
    body = api.get(f"/api/v1/lineage/{copy.pk}/").json()
    assert body["subject"] == copy.pk and body["root"] == target.pk
    assert body["ancestors"] == [target.pk]
    nodes = {n["measure"]: n for n in body["nodes"]}
    assert nodes[target.pk]["successors"] == [copy.pk]
    assert [r["year"] for r in nodes[target.pk]["rounds"]] == [2024, 2025, 2026]
    merged_in = nodes[target.pk]["merged_in"]
    # The demo repeats the merge in the 2026 round: listed once, at the round that merged it.
    assert merged_in and all(m["round_year"] == 2025 for m in merged_in)
    assert len({m["measure"] for m in merged_in}) == len(merged_in)
    assert nodes[copy.pk]["is_subject"] and nodes[copy.pk]["rounds"] == []


def test_rollover_page__bad_merges__shown_as_problems_and_left_out(client):
    s = build_plan()
    decide(
        s["round"],
        s["measures"],
        {
            "1.1": ("merged", "1.2"),
            "1.2": "dropped",
            "1.3": ("merged", "1.4"),
            "1.4": ("merged", "1.3"),
            "2.1": "kept",
            "2.2": ("merged", "2.1"),
        },
    )
    client.force_login(UserFactory.create_with_role(Role.STRATEGIST, s["municipality"]))
    url = f"/rounds/{s['round'].pk}/roll-over/"
    preview = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = {
        number: preview.split(f'id="step-{s["measures"][number].pk}"')[1].split("</tr>")[0]
        for number in ("1.1", "1.3", "1.5", "2.2")
    }
    assert "which is dropped" in rows["1.1"] and "1.2" in rows["1.1"]
    assert "in a circle" in rows["1.3"] and "1.4 → 1.3" in rows["1.3"]
    assert "left out" in rows["1.5"]
    assert "2.2 was merged into 2.1; goes on in 2.1" in rows["2.2"]
    assert 'value="Handlingsplan 2026"' in preview

    form = {"name": "Handlingsplan 2026", "start_year": "2026", "end_year": "2026"}
    done = client.post(url, {**form, "renumber": "keep", "confirm": "1"})
    assert done.status_code == 302
    new_plan = Plan.objects.get(name="Handlingsplan 2026")
    assert list(new_plan.measures.values_list("number", flat=True)) == ["2.1"]
