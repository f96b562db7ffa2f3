"""The shared write path: optimistic versioning and the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override as translation_override

from kvarter.areas.models import Area
from kvarter.areas.services import area_update
from kvarter.core.actors import SYSTEM
from kvarter.core.doors import Door, entered_through
from kvarter.core.errors import StaleVersion
from kvarter.core.models import AuditEntry
from kvarter.core.selectors import audit_entries_for


@pytest.fixture
def norrby(demo) -> Area:
    return Area.objects.get(municipality=demo, name="Norrby")


def test_area_update__two_editors_same_version__second_refused(norrby, demo_users):
    first = Area.objects.get(pk=norrby.pk)
    second = Area.objects.get(pk=norrby.pk)
    read_version = first.version

    area_update(
        actor=demo_users["strateg"],
        area=first,
        data={"population": 1},
        expected_version=read_version,
    )
    with pytest.raises(StaleVersion) as refused:
        area_update(
            actor=demo_users["admin"],
            area=second,
            data={"population": 2},
            expected_version=read_version,
        )

    assert refused.value.code == "stale_version"
    norrby.refresh_from_db()
    assert (norrby.population, norrby.version) == (1, read_version + 1)


def test_area_update__stale_form__web_shows_message_and_keeps_first_save(
    client, norrby, demo_users
):
    read_version = norrby.version
    client.force_login(demo_users["strateg"])
    client.post(
        f"/areas/{norrby.pk}/edit/", {"name": "Norrby", "population": 111, "version": read_version}
    )
    response = client.post(
        f"/areas/{norrby.pk}/edit/", {"name": "Norrby", "population": 222, "version": read_version}
    )
    assert response.status_code == 200
    assert "stale_version" not in response.content.decode()  # a message for people, not a code
    assert "error-summary" in response.content.decode()
    norrby.refresh_from_db()
    assert norrby.population == 111


def test_area_update__no_change__no_audit_entry_and_same_version(norrby):
    before = (AuditEntry.objects.count(), norrby.version)
    _, changed = area_update(actor=SYSTEM, area=norrby, data={"name": "Norrby"})
    norrby.refresh_from_db()
    assert not changed
    assert (AuditEntry.objects.count(), norrby.version) == before


def test_area_update__invalid_boundary__refused_and_nothing_written(norrby):
    before = (norrby.boundary, norrby.version, AuditEntry.objects.count())
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[15, 59], [15.1, 59.1], [15.1, 59], [15, 59.1], [15, 59]]],
    }
    with pytest.raises(ValidationError) as refused:
        area_update(actor=SYSTEM, area=norrby, data={"boundary": bow_tie})
    assert [e.code for e in refused.value.error_dict["boundary"]] == ["invalid_geometry"]
    norrby.refresh_from_db()
    assert (norrby.boundary, norrby.version, AuditEntry.objects.count()) == before


def test_area_update__records_who_what_and_door(norrby, demo_users):
    with entered_through(Door.API):
        area_update(
            actor=demo_users["samordnare"],
            area=norrby,
            data={"population": 7000, "description": "Ny text"},
        )
    entry = audit_entries_for(norrby).first()
    assert entry is not None
    assert (entry.actor, entry.door, entry.action) == (demo_users["samordnare"], "api", "update")
    assert entry.changes == {"population": [6400, 7000], "description": ["", "Ny text"]}


def test_web_edit__audited_as_web_door(client, norrby, demo_users):
    client.force_login(demo_users["admin"])
    client.post(
        f"/areas/{norrby.pk}/edit/", {"name": "Norrby", "population": 5, "version": norrby.version}
    )
    assert audit_entries_for(norrby).first().door == "web"


def test_demo__built_twice__second_build_changes_nothing(demo_with_plan):
    from kvarter.demo import exempelstad

    before = AuditEntry.objects.count()
    exempelstad.build()
    assert AuditEntry.objects.count() == before


def test_area_page__history__field_names_for_people(client, norrby, demo_users):
    client.force_login(demo_users["strateg"])
    with translation_override("sv"):
        page = client.get(f"/areas/{norrby.pk}/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "befolkning" in page
    assert "statistikområden" in page
    assert "statistical_units" not in page
    assert "boundary" not in page
