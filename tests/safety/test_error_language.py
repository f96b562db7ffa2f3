"""Every door gives the stable code and the message in the active language only.

The API and the phone's JSON door follow Accept-Language (LocaleMiddleware); the CLI speaks
LANGUAGE_CODE. The same event is refused with the same code through each of them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    MunicipalityFactory,
    OrganisationFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role

pytestmark = pytest.mark.django_db

FUTURE = {"en": "The time is in the future.", "sv": "Tiden ligger i framtiden."}
UNKNOWN_CATEGORY = {
    "en": "The category is not in the municipality's catalogue.",
    "sv": "Kategorin finns inte i kommunens katalog.",
}


@pytest.fixture
def world():
    municipality = MunicipalityFactory(code="9876")
    AreaFactory(municipality=municipality, name="Centrum")
    category = IncidentCategoryFactory(municipality=municipality, name="Klotter")
    OrganisationFactory(municipality=municipality, name="Polisen")
    reporter = UserFactory.create_with_role(Role.EST_REPORTER, municipality)
    return {"municipality": municipality, "category": category, "reporter": reporter}


def _future_event(world) -> dict:
    return {
        "category": world["category"].pk,
        "latitude": 59.005,
        "longitude": 15.005,
        "occurred_at": (timezone.now() + dt.timedelta(days=2)).isoformat(),
    }


@pytest.mark.parametrize("language", ["en", "sv"])
def test_api__refused_event__code_and_message_in_the_accept_language(world, language):
    api = APIClient()
    api.force_authenticate(world["reporter"])
    refused = api.post(
        "/api/v1/incident-reports/",
        {"events": [_future_event(world)]},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "events.0.occurred_at", "code": "occurred_in_future", "message": FUTURE[language]}
    ]


@pytest.mark.parametrize("language", ["en", "sv"])
def test_phone_door__refused_event__code_and_message_in_the_accept_language(world, language):
    client = Client()
    client.force_login(world["reporter"])
    refused = client.post(
        reverse("safety:report_send"),
        {"events": [_future_event(world)]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert [e["code"] for e in errors] == ["occurred_in_future"]
    assert FUTURE[language] in str(errors)
    assert FUTURE["en" if language == "sv" else "sv"] not in str(errors)


@pytest.mark.parametrize("language", ["en", "sv"])
def test_cli__import_problems__in_the_language_code(world, tmp_path, settings, capsys, language):
    settings.LANGUAGE_CODE = language
    path = tmp_path / "historik.csv"
    path.write_text(
        "id;tidpunkt;kategori;område;rapportör_organisation\r\n"
        "k1;2025-03-14T22:15;Inbrott;Centrum;Polisen\r\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("import_incidents", str(path), municipality="9876")
    err = capsys.readouterr().err
    assert UNKNOWN_CATEGORY[language] in err
    assert UNKNOWN_CATEGORY["en" if language == "sv" else "sv"] not in err
