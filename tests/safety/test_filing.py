"""Filing a report: every event validated, all or nothing, once per client key, review state."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PlaceFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role
from kvarter.core.actors import SYSTEM
from kvarter.core.errors import PermissionDenied
from kvarter.core.models import AuditEntry
from kvarter.safety.catalogue.services import est_defaults_create
from kvarter.safety.filing.services import incident_report_file
from kvarter.safety.models import EstSettings, IncidentEvent, IncidentReport, ReviewState

pytestmark = pytest.mark.django_db

EAST = {
    "type": "Polygon",
    "coordinates": [[[15.02, 59.0], [15.03, 59.0], [15.03, 59.01], [15.02, 59.01], [15.02, 59.0]]],
}


@pytest.fixture
def world():
    municipality = MunicipalityFactory()
    west = AreaFactory(municipality=municipality, name="Väster")
    east = AreaFactory(municipality=municipality, name="Öster", boundary=EAST)
    category = IncidentCategoryFactory(municipality=municipality, name="Klotter")
    place = PlaceFactory(area=west, name="Torget", latitude=59.002, longitude=15.002)
    reporter = UserFactory.create_with_role(Role.EST_REPORTER, municipality)
    return {
        "municipality": municipality,
        "west": west,
        "east": east,
        "category": category,
        "place": place,
        "reporter": reporter,
    }


def _event(world, **changes):
    event = {
        "category": world["category"].pk,
        "latitude": 59.005,
        "longitude": 15.005,
        "occurred_at": timezone.now() - dt.timedelta(minutes=5),
    }
    event.update(changes)
    return event


def _file(world, events, key=None, actor=None):
    return incident_report_file(
        actor=actor or world["reporter"],
        municipality=world["municipality"],
        events=events,
        client_key=key,
    )


def _codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def test_file__position_only__area_found_by_point_in_polygon(world):
    report = _file(world, [_event(world), _event(world, latitude=59.005, longitude=15.025)])
    areas = sorted(report.events.values_list("area__name", flat=True))
    assert areas == ["Väster", "Öster"]
    assert report.reporter == world["reporter"]
    assert report.organisation == world["reporter"].organisation
    assert report.review_state == ReviewState.APPROVED


def test_file__named_place_without_position__area_and_point_from_the_place(world):
    report = _file(world, [_event(world, latitude=None, longitude=None, place=world["place"].pk)])
    event = report.events.get()
    assert event.area == world["west"]
    assert (event.latitude, event.longitude) == (59.002, 15.002)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"category": None}, "category", "category_required"),
        ({"category": 999999}, "category", "unknown_category"),
        ({"latitude": 58.0, "longitude": 14.0}, "latitude", "position_outside_areas"),
        ({"latitude": 59.005, "longitude": None}, "latitude", "invalid_position"),
        ({"latitude": 95.0, "longitude": 15.0}, "latitude", "coordinates_out_of_range"),
        ({"latitude": None, "longitude": None}, "area", "where_required"),
        ({"occurred_at": None}, "occurred_at", "occurred_at_required"),
        ({"occurred_at": "igår"}, "occurred_at", "occurred_at_required"),
        ({"severity": 4}, "severity", "invalid_severity"),
        ({"severity": 0}, "severity", "invalid_severity"),
        ({"unsafety": "kanske"}, "unsafety", "invalid_unsafety"),
        ({"text": "x" * 1001}, "text", "text_too_long"),
        ({"text": "Ring mig på 070-123 45 67"}, "text", "personal_data"),
    ],
)
def test_file__bad_event__refused_with_the_field_and_code(world, changes, field, code):
    with pytest.raises(ValidationError) as caught:
        _file(world, [_event(world, **changes)])
    assert code in _codes(caught.value)[f"events.0.{field}"]
    assert IncidentReport.objects.count() == 0


def test_file__time_in_the_future_or_too_old__refused(world):
    now = timezone.now()
    with pytest.raises(ValidationError) as caught:
        _file(
            world,
            [
                _event(world, occurred_at=now + dt.timedelta(hours=1)),
                _event(world, occurred_at=now - dt.timedelta(days=31)),
                _event(world, occurred_at=now + dt.timedelta(minutes=2)),  # a fast clock: fine
            ],
        )
    codes = _codes(caught.value)
    assert codes == {
        "events.0.occurred_at": ["occurred_in_future"],
        "events.1.occurred_at": ["occurred_too_long_ago"],
    }


def test_file__naive_time__read_as_stockholm(world):
    local = timezone.localtime() - dt.timedelta(hours=1)
    naive = local.replace(tzinfo=None, microsecond=0).isoformat()
    report = _file(world, [_event(world, occurred_at=naive)])
    assert report.events.get().occurred_at == local.replace(microsecond=0)


def test_file__place_of_another_area_or_position_outside_given_area__refused(world):
    with pytest.raises(ValidationError) as caught:
        _file(
            world,
            [
                _event(world, area=world["east"].pk, place=world["place"].pk),
                _event(world, area=world["east"].pk),  # the position is in the west
            ],
        )
    codes = _codes(caught.value)
    assert codes["events.0.place"] == ["place_not_in_area"]
    assert codes["events.1.latitude"] == ["position_outside_area"]


def test_file__area_or_category_or_place_of_another_municipality__refused(world):
    other = MunicipalityFactory()
    other_area = AreaFactory(municipality=other)
    other_category = IncidentCategoryFactory(municipality=other)
    other_place = PlaceFactory(area=other_area)
    with pytest.raises(ValidationError) as caught:
        _file(
            world,
            [
                _event(world, area=other_area.pk),
                _event(world, category=other_category.pk),
                _event(world, place=other_place.pk),
            ],
        )
    codes = _codes(caught.value)
    assert codes["events.0.area"] == ["unknown_area"]
    assert codes["events.1.category"] == ["unknown_category"]
    assert codes["events.2.place"] == ["unknown_place"]


def test_file__inactive_category__refused(world):
    world["category"].active = False
    world["category"].save()
    with pytest.raises(ValidationError) as caught:
        _file(world, [_event(world)])
    assert _codes(caught.value)["events.0.category"] == ["category_inactive"]


def test_file__one_bad_event_of_three__nothing_stored(world):
    events = [_event(world), _event(world, text="mejla a.b@example.se"), _event(world)]
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        _file(world, events)
    assert list(_codes(caught.value)) == ["events.1.text"]
    assert IncidentReport.objects.count() == 0
    assert IncidentEvent.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before


def test_file__no_events__refused(world):
    with pytest.raises(ValidationError) as caught:
        _file(world, [])
    assert _codes(caught.value) == {"events": ["events_required"]}


def test_file__same_client_key_twice__stored_once_and_the_first_report_returned(world):
    key = uuid.uuid4()
    first = _file(world, [_event(world, text="Nytt klotter på muren")], key=key)
    audit_count = AuditEntry.objects.count()
    again = _file(world, [_event(world, text="Nytt klotter på muren")], key=key)
    assert again.pk == first.pk
    assert IncidentReport.objects.count() == 1
    assert IncidentEvent.objects.count() == 1
    assert AuditEntry.objects.count() == audit_count


def test_file__key_as_string__same_report(world):
    key = uuid.uuid4()
    first = _file(world, [_event(world)], key=key)
    assert _file(world, [_event(world)], key=str(key)).pk == first.pk


def test_file__another_reporters_key__refused_and_that_report_not_returned(world):
    key = uuid.uuid4()
    _file(world, [_event(world)], key=key)
    other = UserFactory.create_with_role(
        Role.EST_REPORTER, world["municipality"], organisation=world["reporter"].organisation
    )
    with pytest.raises(ValidationError) as caught:
        _file(world, [_event(world)], key=key, actor=other)
    assert _codes(caught.value) == {"client_key": ["client_key_taken"]}
    assert IncidentReport.objects.count() == 1


def test_file__review_required__pending_else_approved(world):
    est_defaults_create(actor=SYSTEM, municipality=world["municipality"])
    assert _file(world, [_event(world)]).review_state == ReviewState.APPROVED
    EstSettings.objects.filter(municipality=world["municipality"]).update(review_required=True)
    assert _file(world, [_event(world)]).review_state == ReviewState.PENDING


@pytest.mark.parametrize("role", [Role.READER, Role.ADMINISTRATOR, Role.UNIT_REPORTER])
def test_file__role_without_file_incidents__denied(world, role):
    user = UserFactory.create_with_role(role, world["municipality"])
    with pytest.raises(PermissionDenied):
        _file(world, [_event(world)], actor=user)


def test_file__reporter_of_another_municipality__denied(world):
    other = UserFactory.create_with_role(Role.EST_REPORTER, MunicipalityFactory())
    with pytest.raises(PermissionDenied):
        _file(world, [_event(world)], actor=other)


def test_file__another_organisation_than_ones_own__refused(world):
    other_org = OrganisationFactory(municipality=world["municipality"])
    with pytest.raises(ValidationError) as caught:
        incident_report_file(
            actor=world["reporter"],
            municipality=world["municipality"],
            organisation=other_org,
            events=[_event(world)],
            client_key=None,
        )
    assert _codes(caught.value) == {"organisation": ["organisation_not_yours"]}


def test_file__audit_entry_without_the_text(world):
    report = _file(world, [_event(world, text="Krossad busskurdsruta vid hållplatsen")])
    entry = AuditEntry.objects.get(object_id=str(report.pk), content_type__model="incidentreport")
    assert entry.actor == world["reporter"]
    assert "busskur" not in str(entry.changes)
    assert entry.changes["events"] == [None, 1]
