"""Follow-up through the API: the same rules as the pages, matrix-tested."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from tests.factories import UserFactory

from kvarter.accounts.roles import Role
from kvarter.followup.models import FollowUpRound, StatusReport

pytestmark = pytest.mark.django_db


def _client(s, role, *, unit="sof", areas=()):
    user = UserFactory.create_with_role(role, s["municipality"], areas=areas, organisation=s[unit])
    client = APIClient()
    client.force_authenticate(user)
    return client


def _numbers(response):
    return sorted(m["number"] for m in response.json()["results"])


# role, unit, area names the role is limited to, measures listed
VIEW_MATRIX = [
    (Role.STRATEGIST, "klf", (), ["1.1", "1.2", "1.3"]),
    (Role.READER, "klf", (), ["1.1", "1.2", "1.3"]),
    (Role.UNIT_REPORTER, "sof", (), ["1.1", "1.2", "1.3"]),
    (Role.AREA_COORDINATOR, "klf", ("north",), ["1.1", "1.3"]),
    (Role.AREA_COORDINATOR, "klf", ("south",), ["1.2", "1.3"]),
    (Role.EST_MEMBER, "klf", ("north",), ["1.1", "1.3"]),
]


@pytest.mark.parametrize(("role", "unit", "areas", "expected"), VIEW_MATRIX)
def test_measures_listed_per_role(plan_setup, role, unit, areas, expected):
    s = plan_setup
    client = _client(s, role, unit=unit, areas=[s[a] for a in areas])
    assert _numbers(client.get(f"/api/v1/measures/?plan={s['plan'].pk}")) == expected
    summary = client.get(f"/api/v1/rounds/{s['round'].pk}/summary/").json()
    assert summary["total"]["not_reported"] == len(expected)


# role, unit, measure, expected HTTP status
REPORT_MATRIX = [
    (Role.UNIT_REPORTER, "sof", "1.1", 200),
    (Role.UNIT_REPORTER, "sof", "1.2", 403),
    (Role.UNIT_REPORTER, "klf", "1.2", 200),
    (Role.STRATEGIST, "klf", "1.1", 200),
    (Role.READER, "sof", "1.1", 403),
    (Role.AREA_COORDINATOR, "sof", "1.1", 403),
]


@pytest.mark.parametrize(("role", "unit", "number", "expected"), REPORT_MATRIX)
def test_who_may_report_through_the_api(plan_setup, role, unit, number, expected):
    s = plan_setup
    client = _client(s, role, unit=unit, areas=[s["north"], s["south"]])
    answer = client.post(
        f"/api/v1/rounds/{s['round'].pk}/reports/",
        {"measure": s["measures"][number].pk, "version": 0, "status": "done"},
        format="json",
    )
    assert answer.status_code == expected, answer.content
    assert StatusReport.objects.filter(status="done").count() == (1 if expected == 200 else 0)


def test_summary_shape_and_stale_report(plan_setup):
    s = plan_setup
    client = _client(s, Role.STRATEGIST, unit="klf")
    url = f"/api/v1/rounds/{s['round'].pk}/reports/"
    first = {
        "measure": s["measures"]["1.1"].pk,
        "version": 0,
        "status": "done",
        "disposition": "kept",
    }
    assert client.post(url, first, format="json").status_code == 200
    stale = client.post(url, {**first, "status": "not_done"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["code"] == "stale_version"
    summary = client.get(f"/api/v1/rounds/{s['round'].pk}/summary/").json()
    assert summary == {
        "total": {"done": 1, "in_progress": 0, "not_done": 0, "not_reported": 2},
        "goal_areas": [
            {
                "number": 1,
                "name": "Trygghet",
                "counts": {"done": 1, "in_progress": 0, "not_done": 0, "not_reported": 2},
            }
        ],
        "dispositions": {"kept": 1, "developed": 0, "merged": 0, "dropped": 0},
        # The plan has no goals: every goal count is zero.
        "goal_fulfilment": {
            "quantitative": {"met": 0, "on_track": 0, "not_met": 0, "no_data": 0},
            "qualitative": {"met": 0, "partly_met": 0, "not_met": 0, "not_assessed": 0},
            "targets": [],
        },
    }


def test_rounds_open_and_close_only_for_strategists(plan_setup):
    s = plan_setup
    reporter = _client(s, Role.UNIT_REPORTER)
    assert (
        reporter.post(
            "/api/v1/rounds/", {"plan": s["plan"].pk, "year": 2026}, format="json"
        ).status_code
        == 403
    )
    assert reporter.post(f"/api/v1/rounds/{s['round'].pk}/close/").status_code == 403
    strategist = _client(s, Role.STRATEGIST, unit="klf")
    created = strategist.post(
        "/api/v1/rounds/", {"plan": s["plan"].pk, "year": 2026, "kind": "dr1"}, format="json"
    )
    assert created.status_code == 201 and created.json()["kind"] == "dr1"
    assert strategist.post(f"/api/v1/rounds/{s['round'].pk}/close/").json()["state"] == "closed"
    refused = strategist.post(
        f"/api/v1/rounds/{s['round'].pk}/reports/",
        {"measure": s["measures"]["1.1"].pk, "version": 0, "status": "done"},
        format="json",
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "round_closed"
    assert FollowUpRound.objects.count() == 2


def test_other_municipality_and_anonymous_see_nothing(plan_setup):
    from tests.factories import MunicipalityFactory

    s = plan_setup
    stranger = APIClient()
    stranger.force_authenticate(
        UserFactory.create_with_role(Role.STRATEGIST, MunicipalityFactory())
    )
    assert stranger.get("/api/v1/plans/").json()["results"] == []
    assert stranger.get(f"/api/v1/rounds/{s['round'].pk}/summary/").status_code == 404
    assert stranger.get(f"/api/v1/measures/?plan={s['plan'].pk}").status_code == 404
    assert APIClient().get("/api/v1/plans/").status_code in (401, 403)


def test_measure_patch_needs_plan_rights_and_current_version(plan_setup):
    s = plan_setup
    measure = s["measures"]["1.1"]
    url = f"/api/v1/measures/{measure.pk}/"
    reporter = _client(s, Role.UNIT_REPORTER)
    assert reporter.patch(url, {"version": 1, "title": "Ny"}, format="json").status_code == 403
    strategist = _client(s, Role.STRATEGIST, unit="klf")
    ok = strategist.patch(url, {"version": 1, "title": "Ny titel"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert strategist.patch(url, {"version": 1, "title": "X"}, format="json").status_code == 409
