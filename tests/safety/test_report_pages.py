"""The reporter's pages: every role × the form, its JSON door, my reports, the review queue.

The expected answers are written out here, independently of the resolver, as in
tests/accounts/test_permission_matrix.py.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.utils import timezone
from tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory

from kvarter.accounts.roles import Role
from kvarter.areas.models import Area
from kvarter.core.actors import SYSTEM
from kvarter.safety.filing.services import incident_report_file
from kvarter.safety.models import (
    EstSettings,
    IncidentCategory,
    IncidentReport,
    Place,
    RawReadLog,
    ReviewState,
)

ROLES = [
    "anonymous",
    "admin",
    "strateg",
    "samordnare",
    "rapportor",
    "est",
    "lasare",
    "vard",
    "other_reporter",
]

# The form, the JSON door and 'my reports': whoever may file in Exempelstad.
FORM = {
    "anonymous": "login",
    "admin": 403,
    "strateg": 403,
    "samordnare": 403,
    "rapportor": 403,
    "est": 200,
    "lasare": 403,
    "vard": 200,
    "other_reporter": 403,  # asks for Exempelstad by code: not theirs
}
SEND = {
    "anonymous": 401,
    "admin": 403,
    "strateg": 403,
    "samordnare": 403,
    "rapportor": 403,
    "est": 201,
    "lasare": 403,
    "vard": 201,
    "other_reporter": 403,
}
# The review queue: EST members only (the reporter files but reviews nothing).
REVIEW = {
    "anonymous": "login",
    "admin": 403,
    "strateg": 403,
    "samordnare": 403,
    "rapportor": 403,
    "est": 200,
    "lasare": 403,
    "vard": 403,
    "other_reporter": 403,
}


@pytest.fixture
def world(demo, demo_users):
    other = MunicipalityFactory(code="9998", name="Annanstad")
    users = dict(demo_users)
    users["other_reporter"] = UserFactory.create_with_role(
        Role.EST_REPORTER, other, organisation=OrganisationFactory(municipality=other)
    )
    users["anonymous"] = None
    return {
        "municipality": demo,
        "users": users,
        "norrby": Area.objects.get(municipality=demo, name="Norrby"),
        "soderangen": Area.objects.get(municipality=demo, name="Söderängen"),
        "klotter": IncidentCategory.objects.get(municipality=demo, name="Klotter"),
    }


def _outcome(response):
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _payload(world, area="norrby", text="Nytt klotter på muren", key=None):
    place = Place.objects.filter(area=world[area]).order_by("name").first()
    return {
        "client_key": str(key or uuid.uuid4()),
        "kommun": "9999",
        "events": [
            {
                "category": world["klotter"].pk,
                "place": place.pk,
                "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "text": text,
            }
        ],
    }


def _send(client, payload):
    return client.post(
        "/est/rapportera/skicka/", json.dumps(payload), content_type="application/json"
    )


@pytest.mark.parametrize("role", ROLES)
def test_report_pages__every_role__answer_the_table(client, world, role):
    web = _client(client, world["users"][role])
    assert _outcome(web.get("/est/rapportera/?kommun=9999")) == FORM[role], role
    assert _outcome(web.get("/est/mina-rapporter/?kommun=9999")) == FORM[role], role
    assert _send(web, _payload(world)).status_code == SEND[role], role
    assert _outcome(web.get("/est/granskning/")) == REVIEW[role], role


def test_form__plain_post_without_javascript__files_and_goes_to_my_reports(client, world):
    vard = world["users"]["vard"]
    client.force_login(vard)
    page = client.get("/est/rapportera/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="e0-category"' in html and "Klotter" in html
    assert "Tunneln vid skolan" in html  # named places for the no-map fallback
    place = Place.objects.get(name="Tunneln vid skolan")
    response = client.post(
        "/est/rapportera/",
        {
            "events": "1",
            "action": "send",
            "client_key": str(uuid.uuid4()),
            "e0-category": world["klotter"].pk,
            "e0-place": place.pk,
            "e0-occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "e0-text": "Nytt klotter i tunneln",
            "e0-severity": "2",
            "e0-unsafety": "yes",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/est/mina-rapporter/"
    event = IncidentReport.objects.get(reporter=vard).events.get()
    assert (event.area.name, event.place, event.severity, event.unsafety) == (
        "Norrby",
        place,
        2,
        "yes",
    )
    mine = client.get("/est/mina-rapporter/").content.decode()
    assert "Nytt klotter i tunneln" in mine


def test_form__missing_place__422_with_the_error_linked_to_the_field(client, world):
    client.force_login(world["users"]["vard"])
    response = client.post(
        "/est/rapportera/",
        {
            "events": "1",
            "action": "send",
            "e0-category": world["klotter"].pk,
            "e0-occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'href="#e0-where"' in html
    assert 'id="e0-where-error"' in html and 'aria-describedby="e0-where-error"' in html
    assert not IncidentReport.objects.exists()


def test_form__add_another_event_without_javascript__two_event_blocks(client, world):
    client.force_login(world["users"]["vard"])
    response = client.post(
        "/est/rapportera/",
        {"events": "1", "action": "add", "e0-category": world["klotter"].pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="e1"' in html and 'name="events" value="2"' in html
    assert not IncidentReport.objects.exists()


def test_send__same_key_twice__201_then_200_and_stored_once(client, world):
    client.force_login(world["users"]["vard"])
    payload = _payload(world)
    first = _send(client, payload)
    second = _send(client, payload)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert IncidentReport.objects.count() == 1


def test_my_reports__only_ones_own(client, world):
    est = world["users"]["est"]
    incident_report_file(
        actor=est,
        municipality=world["municipality"],
        events=_payload(world, text="Den andras text")["events"],
        client_key=None,
    )
    client.force_login(world["users"]["vard"])
    assert "Den andras text" not in client.get("/est/mina-rapporter/").content.decode()


def test_review__member_approves_pending_in_own_area_only_and_the_read_is_logged(client, world):
    EstSettings.objects.filter(municipality=world["municipality"]).update(review_required=True)
    vard = world["users"]["vard"]
    in_norrby = incident_report_file(
        actor=vard,
        municipality=world["municipality"],
        events=_payload(world, text="I Norrby")["events"],
        client_key=None,
    )
    in_soderangen = incident_report_file(
        actor=vard,
        municipality=world["municipality"],
        events=_payload(world, area="soderangen", text="I Söderängen")["events"],
        client_key=None,
    )
    assert in_norrby.review_state == ReviewState.PENDING
    client.force_login(world["users"]["est"])  # EST member of Norrby and Västerdal
    page = client.get("/est/granskning/").content.decode()
    assert "I Norrby" in page and "I Söderängen" not in page
    log = RawReadLog.objects.get(what="review_queue")
    assert (log.actor, log.count) == (world["users"]["est"], 1)

    assert (
        client.post(f"/est/granskning/{in_soderangen.pk}/", {"decision": "approve"}).status_code
        == 404
    )
    response = client.post(f"/est/granskning/{in_norrby.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    in_norrby.refresh_from_db()
    assert in_norrby.review_state == ReviewState.APPROVED
    assert in_norrby.reviewed_by == world["users"]["est"]
    in_soderangen.refresh_from_db()
    assert in_soderangen.review_state == ReviewState.PENDING


def test_review__reporter_may_not_decide(client, world):
    EstSettings.objects.filter(municipality=world["municipality"]).update(review_required=True)
    report = incident_report_file(
        actor=SYSTEM,
        municipality=world["municipality"],
        organisation=world["users"]["vard"].organisation,
        events=_payload(world)["events"],
        client_key=None,
    )
    client.force_login(world["users"]["vard"])
    assert client.post(f"/est/granskning/{report.pk}/", {"decision": "approve"}).status_code == 403
    report.refresh_from_db()
    assert report.review_state == ReviewState.PENDING


# The API: the same service, the same table.
API_SEND = {**SEND, "anonymous": 401}
API_CATALOGUE = {
    "anonymous": 401,
    "admin": 200,
    "strateg": 200,
    "samordnare": 200,
    "rapportor": 200,
    "est": 200,
    "lasare": 200,
    "vard": 200,
    "other_reporter": 0,  # answers, but with nothing of Exempelstad
}


def _api(user):
    from rest_framework.test import APIClient

    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


@pytest.mark.parametrize("role", ROLES)
def test_api__every_role__file_and_catalogue_give_the_table(world, role):
    api = _api(world["users"][role])
    payload = _payload(world)
    payload["municipality"] = payload.pop("kommun")
    assert (
        api.post("/api/v1/incident-reports/", payload, format="json").status_code
        == (API_SEND[role])
    ), role
    categories = api.get("/api/v1/est/categories/?municipality=9999")
    places = api.get("/api/v1/est/places/?municipality=9999")
    expected = API_CATALOGUE[role]
    if expected == 0:
        assert categories.json() == [] and places.json() == []
    else:
        assert categories.status_code == places.status_code == expected, role
    if expected == 200:
        assert "Klotter" in {c["name"] for c in categories.json()}
        assert "Tunneln vid skolan" in {p["name"] for p in places.json()}


def test_api__repeat_key_200_own_reports_only_and_refusal_400(world):
    vard, est = world["users"]["vard"], world["users"]["est"]
    payload = _payload(world)
    payload["municipality"] = payload.pop("kommun")
    api = _api(vard)
    first = api.post("/api/v1/incident-reports/", payload, format="json")
    again = api.post("/api/v1/incident-reports/", payload, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["events"][0]["area_name"] == "Norrby"

    other = _api(est)
    other_payload = _payload(world, text="Den andras rapport")
    other_payload["municipality"] = other_payload.pop("kommun")
    assert other.post("/api/v1/incident-reports/", other_payload, format="json").status_code == 201
    own = api.get("/api/v1/incident-reports/").json()["results"]
    assert [r["id"] for r in own] == [first.json()["id"]]
    others_id = IncidentReport.objects.get(reporter=est).pk
    assert api.get(f"/api/v1/incident-reports/{others_id}/").status_code == 404

    refused_payload = _payload(world, text="Mejla olle@example.se")
    refused_payload["municipality"] = refused_payload.pop("kommun")
    refused = api.post("/api/v1/incident-reports/", refused_payload, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "events.0.text"
    assert refused.json()["errors"][0]["code"] == "personal_data"
    assert "olle" not in refused.content.decode()


@pytest.mark.parametrize(
    ("role", "link"),
    [
        ("anonymous", None),
        ("vard", "/est/rapportera/"),
        ("est", "/est/lagesbild/"),
        ("lasare", "/est/lagesbild/"),
    ],
)
def test_menu__est_link_for_those_who_file_or_see_est(client, world, role, link):
    page = _client(client, world["users"][role]).get("/").content.decode()
    found = re.search(r'<li><a href="([^"]+)"[^>]*>EST</a></li>', page)
    assert (found.group(1) if found else None) == link
