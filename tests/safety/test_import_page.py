"""/est/import/: the web door to the history import — who may use it, all or nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    MunicipalityFactory,
    OrganisationFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role
from kvarter.safety.models import IncidentReport

pytestmark = pytest.mark.django_db

HEADER = "id;tidpunkt;kategori;område;rapportör_organisation;beskrivning"
PERSONNUMMER = "19850101-1236"


@pytest.fixture
def town():
    municipality = MunicipalityFactory(code="9876")
    area = AreaFactory(municipality=municipality, name="Centrum")
    IncidentCategoryFactory(municipality=municipality, name="Klotter")
    OrganisationFactory(municipality=municipality, name="Polisen")
    return municipality, area


def _upload(*rows: str) -> SimpleUploadedFile:
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    return SimpleUploadedFile("historik.csv", text.encode("utf-8"), content_type="text/csv")


def _post(client, municipality, upload, check_only: bool):
    data = {"municipality": municipality.pk, "file": upload}
    if check_only:
        data["check_only"] = "on"
    return client.post(reverse("safety:history_import"), data, follow=True)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADMINISTRATOR, 200),
        (Role.EST_MEMBER, 200),
        (Role.READER, 403),
        (Role.EST_REPORTER, 403),
    ],
)
def test_import_page__who_may_open_it(client, town, role, status) -> None:
    municipality, area = town
    client.force_login(UserFactory.create_with_role(role, municipality, areas=[area]))
    assert client.get(reverse("safety:history_import")).status_code == status


def test_import_page__check_then_import(client, town) -> None:
    municipality, area = town
    client.force_login(UserFactory.create_with_role(Role.EST_MEMBER, municipality, areas=[area]))
    row = "w1;2025-03-14T22:15;Klotter;Centrum;Polisen;Klotter på väggen"
    response = _post(client, municipality, _upload(row), check_only=True)
    assert "1 tillagda/added" in response.content.decode()  # the service's summary
    assert IncidentReport.objects.count() == 0
    _post(client, municipality, _upload(row), check_only=False)
    assert IncidentReport.objects.get().source_id == "w1"


def test_import_page__problems__listed_nothing_saved_text_never_shown(client, town) -> None:
    municipality, _area = town
    client.force_login(UserFactory.create_with_role(Role.ADMINISTRATOR, municipality))
    upload = _upload(
        "w1;2025-03-14T22:15;Klotter;Centrum;Polisen;Ok",
        f"w2;2025-03-14T22:15;Klotter;Centrum;Polisen;Pnr {PERSONNUMMER}",
    )
    response = _post(client, municipality, upload, check_only=False)
    assert response.status_code == 422
    page = response.content.decode()
    assert "personal identity number" in page and "<td>3</td>" in page
    assert PERSONNUMMER not in page and "850101" not in page
    assert IncidentReport.objects.count() == 0
