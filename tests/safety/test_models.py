"""The safety tables' own rules: severity 1–3, a position is whole, a client key is stored once."""

from __future__ import annotations

import uuid

import pytest
from django.db import IntegrityError, transaction
from tests.factories import (
    AreaFactory,
    IncidentEventFactory,
    IncidentReportFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_event__severity_outside_1_to_3__refused() -> None:
    IncidentEventFactory(severity=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentEventFactory(severity=4)


def test_event__half_a_position__refused() -> None:
    IncidentEventFactory(latitude=None, longitude=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentEventFactory(latitude=59.0, longitude=None)


def test_report__same_client_key_twice__refused() -> None:
    key = uuid.uuid4()
    IncidentReportFactory(client_key=key)
    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentReportFactory(client_key=key)


@pytest.mark.parametrize(
    ("role", "files", "raw_own_area", "raw_other_area", "aggregates"),
    [
        (Role.ADMINISTRATOR, False, False, False, True),
        (Role.STRATEGIST, False, False, False, True),
        (Role.AREA_COORDINATOR, False, False, False, True),
        (Role.UNIT_REPORTER, False, False, False, True),
        (Role.EST_MEMBER, True, True, False, True),
        (Role.EST_REPORTER, True, False, False, False),
        (Role.READER, False, False, False, True),
    ],
)
def test_resolver__est_capabilities_per_role(
    role, files, raw_own_area, raw_other_area, aggregates
) -> None:
    own, other = AreaFactory(), None
    other = AreaFactory(municipality=own.municipality)
    user = UserFactory.create_with_role(role, own.municipality, areas=[own])
    resolver = user.permissions
    municipality_id = own.municipality_id
    assert resolver.can_file_incidents(municipality_id) is files
    assert resolver.can_view_raw_incidents(own) is raw_own_area
    assert resolver.can_view_raw_incidents(other) is raw_other_area
    assert resolver.can_view_incident_aggregates(municipality_id) is aggregates
    stranger = AreaFactory()
    assert resolver.can_file_incidents(stranger.municipality_id) is False
    assert resolver.can_view_raw_incidents(stranger) is False
