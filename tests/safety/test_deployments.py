"""Deployments: only the area's EST members decide and read them; texts are scanned; versions
are checked; the pages and the API go through the same services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from tests.factories import AreaFactory, PlaceFactory, ResourceFactory, UserFactory

from kvarter.accounts.roles import Role
from kvarter.core.errors import NotFoundOrForbidden, PermissionDenied, StaleVersion
from kvarter.core.models import AuditEntry
from kvarter.safety.deployments.selectors import access_deployment_by_id, deployment_list
from kvarter.safety.deployments.services import (
    deployment_create,
    deployment_record_outcome,
    deployment_update,
)
from kvarter.safety.models import Deployment

pytestmark = pytest.mark.django_db

PNR = "19850101-1236"  # Luhn-valid personnummer


@pytest.fixture
def setup():
    area = AreaFactory()
    other = AreaFactory(municipality=area.municipality)
    member = UserFactory.create_with_role(Role.EST_MEMBER, area.municipality, areas=[area])
    return {
        "area": area,
        "other": other,
        "member": member,
        "place": PlaceFactory(area=area),
        "resource": ResourceFactory(municipality=area.municipality),
    }


def _create(s, **kw):
    today = timezone.localdate()
    data = {
        "actor": s["member"],
        "area": s["area"],
        "resource": s["resource"],
        "place": s["place"],
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=6),
        "weekdays": [5, 6, 5],
        "time_from": dt.time(20),
        "time_to": dt.time(2),
        "purpose": "Närvaro vid torget på kvällstid",
    } | kw
    return deployment_create(**data)


def test_deployment__create_by_area_member__stored_and_audited(setup) -> None:
    deployment = _create(setup)
    assert deployment.weekdays == [5, 6]
    assert deployment.decided_by == setup["member"]
    assert AuditEntry.objects.filter(object_id=str(deployment.pk), action="create").exists()


@pytest.mark.parametrize(
    "role", [Role.ADMINISTRATOR, Role.STRATEGIST, Role.READER, Role.EST_REPORTER]
)
def test_deployment__create_by_non_member__refused(setup, role) -> None:
    user = UserFactory.create_with_role(role, setup["area"].municipality, areas=[setup["area"]])
    with pytest.raises(PermissionDenied):
        _create(setup, actor=user)


def test_deployment__member_of_other_area__neither_creates_nor_sees(setup) -> None:
    deployment = _create(setup)
    outsider = UserFactory.create_with_role(
        Role.EST_MEMBER, setup["area"].municipality, areas=[setup["other"]]
    )
    with pytest.raises(PermissionDenied):
        _create(setup, actor=outsider)
    with pytest.raises(NotFoundOrForbidden):
        access_deployment_by_id(outsider, deployment.pk)
    listed = deployment_list(actor=outsider, municipality_id=setup["area"].municipality_id)
    assert list(listed) == []


def test_deployment__purpose_with_personal_data__refused_without_echo(setup) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(setup, purpose=f"Prata med {PNR} vid torget")
    assert caught.value.error_dict["purpose"][0].code == "personal_data"
    assert "1985" not in str(caught.value)
    assert not Deployment.objects.exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"ends_on": dt.date(2000, 1, 1)}, "dates_out_of_order"),
        ({"time_to": None}, "half_time_span"),
        ({"weekdays": [8]}, "invalid_weekday"),
        ({"purpose": "  "}, "purpose_required"),
    ],
)
def test_deployment__invalid_plan__refused_with_code(setup, change, code) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(setup, **change)
    assert code in str([e.code for errors in caught.value.error_dict.values() for e in errors])


def test_deployment__place_of_another_area__refused(setup) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(setup, place=PlaceFactory(area=setup["other"]))
    assert caught.value.error_dict["place"][0].code == "place_other_area"


def test_deployment__outcome__recorded_after_start_only(setup) -> None:
    future = _create(
        setup,
        starts_on=timezone.localdate() + dt.timedelta(days=3),
        ends_on=timezone.localdate() + dt.timedelta(days=4),
    )
    with pytest.raises(ValidationError) as caught:
        deployment_record_outcome(actor=setup["member"], deployment=future, outcome="done")
    assert caught.value.error_dict["outcome"][0].code == "outcome_before_start"

    now = _create(setup)
    saved, changed = deployment_record_outcome(
        actor=setup["member"],
        deployment=now,
        outcome="partly",
        outcome_note="Lugnt fredag, stökigt lördag",
        expected_version=now.version,
    )
    assert changed and saved.outcome == "partly" and saved.version == 2


def test_deployment__outcome_note_with_email__refused(setup) -> None:
    deployment = _create(setup)
    with pytest.raises(ValidationError) as caught:
        deployment_record_outcome(
            actor=setup["member"],
            deployment=deployment,
            outcome="done",
            outcome_note="skriv till nisse@example.se",
        )
    assert caught.value.error_dict["outcome_note"][0].code == "personal_data"
    deployment.refresh_from_db()
    assert deployment.outcome_note == ""


def test_deployment__stale_version__refused(setup) -> None:
    deployment = _create(setup)
    deployment_update(
        actor=setup["member"],
        deployment=deployment,
        data={"purpose": "Ny text"},
        expected_version=1,
    )
    stale = Deployment.objects.get(pk=deployment.pk)
    with pytest.raises(StaleVersion):
        deployment_update(
            actor=setup["member"],
            deployment=stale,
            data={"purpose": "Annan text"},
            expected_version=1,
        )


def test_deployment_list__week_overlap(setup) -> None:
    monday = dt.date(2026, 11, 23)
    inside = _create(setup, starts_on=monday - dt.timedelta(days=2), ends_on=monday)
    _create(setup, starts_on=monday - dt.timedelta(days=9), ends_on=monday - dt.timedelta(days=1))
    listed = deployment_list(
        actor=setup["member"],
        municipality_id=setup["area"].municipality_id,
        start=monday,
        end=monday + dt.timedelta(days=6),
    )
    assert list(listed) == [inside]


def test_deployment_pages__member_creates_and_records_outcome(client, setup) -> None:
    client.force_login(setup["member"])
    code = setup["area"].municipality.code
    page = client.get(
        reverse("safety:deployment_new") + f"?kommun={code}&plats={setup['place'].pk}"
    )
    assert page.status_code == 200
    today = timezone.localdate()
    response = client.post(
        reverse("safety:deployment_new"),
        {
            "kommun": code,
            "area": setup["area"].pk,
            "resource": setup["resource"].pk,
            "place": setup["place"].pk,
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
            "weekdays": ["5"],
            "time_from": "20:00",
            "time_to": "23:00",
            "purpose": "Synas vid tunneln",
        },
    )
    assert response.status_code == 302
    deployment = Deployment.objects.get()
    week = today.isocalendar()
    listing = client.get(
        reverse("safety:deployments") + f"?kommun={code}&vecka={week.year}-W{week.week:02d}"
    )
    assert "Synas vid tunneln" in listing.content.decode()
    response = client.post(
        reverse("safety:deployment", args=[deployment.pk]),
        {"outcome": "done", "outcome_note": "Lugnt", "version": deployment.version},
    )
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.outcome == "done"


def test_deployment_pages__personal_data__refused_and_not_shown_again(client, setup) -> None:
    client.force_login(setup["member"])
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("safety:deployment_new"),
        {
            "kommun": setup["area"].municipality.code,
            "area": setup["area"].pk,
            "resource": setup["resource"].pk,
            "starts_on": today,
            "ends_on": today,
            "purpose": f"Ring 070-123 45 67 eller {PNR}",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "070-123 45 67" not in body and PNR not in body
    assert not Deployment.objects.exists()


def test_deployment_pages__non_member__forbidden(client, setup) -> None:
    deployment = _create(setup)
    reader = UserFactory.create_with_role(Role.ADMINISTRATOR, setup["area"].municipality)
    client.force_login(reader)
    code = setup["area"].municipality.code
    assert client.get(reverse("safety:deployments") + f"?kommun={code}").status_code == 403
    assert client.get(reverse("safety:deployment", args=[deployment.pk])).status_code == 404


def test_deployment_api__create_list_and_outcome(setup) -> None:
    api = APIClient()
    api.force_authenticate(setup["member"])
    today = timezone.localdate()
    response = api.post(
        "/api/v1/est/deployments/",
        {
            "area": setup["area"].pk,
            "resource": setup["resource"].pk,
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
            "weekdays": [1, 2],
            "purpose": "Fältgruppen vid skolan",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    week = today.isocalendar()
    listed = api.get(
        "/api/v1/est/deployments/",
        {"municipality": setup["area"].municipality_id, "week": f"{week.year}-W{week.week}"},
    )
    assert [d["id"] for d in listed.json()["results"]] == [pk]
    response = api.patch(
        f"/api/v1/est/deployments/{pk}/",
        {"outcome": "not_done", "outcome_note": "Sjukdom", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == "not_done"
    stale = api.patch(f"/api/v1/est/deployments/{pk}/", {"purpose": "x", "version": 1})
    assert stale.status_code == 409


def test_deployment_api__non_member__403_on_create_404_on_read(setup) -> None:
    deployment = _create(setup)
    outsider = UserFactory.create_with_role(
        Role.EST_MEMBER, setup["area"].municipality, areas=[setup["other"]]
    )
    api = APIClient()
    api.force_authenticate(outsider)
    assert api.get(f"/api/v1/est/deployments/{deployment.pk}/").status_code == 404
    today = timezone.localdate().isoformat()
    response = api.post(
        "/api/v1/est/deployments/",
        {
            "area": setup["area"].pk,
            "resource": setup["resource"].pk,
            "starts_on": today,
            "ends_on": today,
            "purpose": "x",
        },
        format="json",
    )
    assert response.status_code == 403


def test_deployment_form__from_the_picture__next_week_and_place(client, setup) -> None:
    client.force_login(setup["member"])
    code = setup["area"].municipality.code
    page = client.get(
        reverse("safety:deployment_new")
        + f"?kommun={code}&vecka=2026-W48&plats={setup['place'].pk}"
    )
    form = page.context["form"]
    assert form.initial["starts_on"] == dt.date(2026, 11, 30)  # Monday of week 49
    assert form.initial["ends_on"] == dt.date(2026, 12, 6)
    assert form.initial["place"] == setup["place"].pk
    assert form.initial["area"] == setup["area"].pk
