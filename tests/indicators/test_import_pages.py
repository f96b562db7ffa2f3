"""The upload page: who may use it, preview before anything is stored, confirm, problems."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.factories import AreaFactory, IndicatorFactory, MunicipalityFactory, UserFactory
from tests.indicators import generated

from kvarter.accounts.roles import Role
from kvarter.indicators.models import ImportBatch, IndicatorValue

pytestmark = pytest.mark.django_db

URL = "/indikatorer/import/"
MEASURE = "000005PU"
REGIONS = ["0580C1010", "0580C1020", "0580", "00"]


@pytest.fixture
def municipality():
    return MunicipalityFactory(code="0580", name="Linköping")


@pytest.fixture
def indicator():
    return IndicatorFactory(code="test-andel", name_sv="Testandel", scb_measure=MEASURE)


@pytest.fixture
def strategist(municipality):
    return UserFactory.create_with_role(Role.STRATEGIST, municipality)


def _upload(content: bytes, name: str = "tab.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def _table() -> bytes:
    return generated.jsonstat_bytes(
        regions=REGIONS, years=["2023", "2024"], measures=(MEASURE,), suppress_every=6
    )


def _post_file(client, municipality, content: bytes, name: str = "tab.json", **extra):
    data = {
        "file": _upload(content, name),
        "file_format": "",
        "municipality": municipality.pk,
        "retrieved_on": "2025-03-01",
        "source": "",
        **extra,
    }
    return client.post(URL, data)


def test_import_url_is_under_indikatorer() -> None:
    assert reverse("indicators:import") == URL


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADMINISTRATOR, 200),
        (Role.STRATEGIST, 200),
        (Role.AREA_COORDINATOR, 403),
        (Role.UNIT_REPORTER, 403),
        (Role.EST_MEMBER, 403),
        (Role.READER, 403),
        (None, 403),
    ],
)
def test_import_page__by_role(client, municipality, role, status) -> None:
    if role is None:
        user = UserFactory(organisation__municipality=municipality)
    else:
        user = UserFactory.create_with_role(
            role, municipality, areas=[AreaFactory(municipality=municipality)]
        )
    client.force_login(user)

    assert client.get(URL).status_code == status
    response = _post_file(client, municipality, b"")
    assert response.status_code == status


def test_import_page__anonymous_is_sent_to_log_in(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_import_page__preview_then_confirm(client, municipality, indicator, strategist) -> None:
    client.force_login(strategist)

    preview = _post_file(client, municipality, _table())

    assert preview.status_code == 200
    assert not IndicatorValue.objects.exists() and not ImportBatch.objects.exists()
    page = preview.content.decode()
    assert 'id="preview-heading"' in page
    summary = preview.context["summary"]
    # The nation's 6 figures (region 00) are shared: a municipality's import leaves them out.
    assert (summary.values, summary.hidden) == (18, 3)
    assert summary.indicators == ["Testandel"]
    assert summary.places == {"deso": 2, "municipality": 1}
    assert summary.periods == ["2023", "2024"]
    assert len(preview.context["sexes"]) == 3  # everyone, women, men: in that order, by name
    assert preview.context["outcome"].added == 18
    assert "6 värden för riket och län (00) importerades inte" in page
    assert 'name="confirm"' in page

    done = client.post(URL, {"confirm": "1"})

    batch = ImportBatch.objects.get()
    assert done.status_code == 302 and done["Location"] == f"{URL}{batch.pk}/"
    assert (batch.added, batch.imported_by, batch.retrieved_on) == (
        18,
        strategist,
        dt.date(2025, 3, 1),
    )
    assert IndicatorValue.objects.count() == 18
    assert not IndicatorValue.objects.filter(region_code="00").exists()
    assert len(batch.notes) == 1 and "(00)" in batch.notes[0]
    detail = client.get(done["Location"])
    assert detail.status_code == 200 and "tab.json" in detail.content.decode()
    listing = client.get(URL)
    assert list(listing.context["batches"]) == [batch]

    # Confirming again without a new preview stores nothing more.
    again = client.post(URL, {"confirm": "1"})
    assert again.status_code == 302 and again["Location"] == URL
    assert ImportBatch.objects.count() == 1


def test_import_page__a_bad_file_lists_problems_and_stores_nothing(
    client, municipality, indicator, strategist
) -> None:
    client.force_login(strategist)
    csv = "område;indikator;period;kön;värde\n0580;test-andel;2024;T;abc\n0580;okänd;2024;T;1\n"

    response = _post_file(client, municipality, csv.encode(), name="values.csv")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    problems = response.context["summary"].problems
    assert {p.row for p in problems} == {2, 3}
    assert response.context["outcome"] is None
    assert not IndicatorValue.objects.exists()
    assert client.post(URL, {"confirm": "1"})["Location"] == URL  # nothing pending


def test_import_page__form_errors_link_to_their_fields(client, municipality, strategist) -> None:
    client.force_login(strategist)

    response = client.post(
        URL, {"municipality": municipality.pk, "retrieved_on": "2999-01-01", "file_format": ""}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_file"' in page and 'href="#id_retrieved_on"' in page
    assert 'aria-invalid="true"' in page
    assert '<label for="id_file">' in page


def test_import_page__values_outside_the_municipality_are_a_problem(
    client, municipality, indicator, strategist
) -> None:
    client.force_login(strategist)
    other = generated.jsonstat_bytes(regions=["0581C1010"], years=["2024"], measures=(MEASURE,))

    response = _post_file(client, municipality, other)

    assert [p.code for p in response.context["summary"].problems] == ["outside_municipality"]
    assert not IndicatorValue.objects.exists()


def test_import_batch_page__hidden_from_other_municipalities(
    client, municipality, indicator, strategist
) -> None:
    client.force_login(strategist)
    _post_file(client, municipality, _table())
    client.post(URL, {"confirm": "1"})
    batch = ImportBatch.objects.get()
    stranger = UserFactory.create_with_role(Role.STRATEGIST, MunicipalityFactory(code="0581"))
    client.force_login(stranger)

    assert client.get(f"{URL}{batch.pk}/").status_code == 404
    assert list(client.get(URL).context["batches"]) == []
