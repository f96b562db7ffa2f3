"""The indicator API: catalogue, area profile (JSON and CSV), comparison of areas (JSON and
CSV) and the indicator map (GeoJSON); every role; bad parameters; the OpenAPI schema."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient
from tests.factories import (
    AreaFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MunicipalityFactory,
    UserFactory,
)

from kvarter.accounts.roles import Role
from kvarter.areas.models import Area
from kvarter.indicators.api_serializers import AreaProfileSerializer, profile_data
from kvarter.indicators.models import AreaType
from kvarter.indicators.profile import area_profile

ROLES = ["anonymous", "admin", "strateg", "samordnare", "rapportor", "est", "lasare", "other_admin"]


def _value(indicator, period, value, *, area=None, code=None, sex="T", status="ok"):
    level = "area" if area else ("nation" if code == "00" else "municipality")
    return IndicatorValueFactory(
        indicator=indicator,
        area=area,
        region_code="" if area else code,
        level=level,
        period=period,
        sex=sex,
        value=value,
        status=status,
        source="SCB TAB5813",
    )


@pytest.fixture
def world(demo, demo_users):
    """Exempelstad (9999) with förvärvsfrekvens and ekonomiskt bistånd for its areas, the
    municipality and the nation; Annanstad with an area of its own."""
    other = MunicipalityFactory(code="9998", name="Annanstad")
    users = dict(demo_users)
    users["other_admin"] = UserFactory.create_with_role(Role.ADMINISTRATOR, other)
    users["anonymous"] = None
    areas = {a.name: a for a in Area.objects.filter(municipality=demo)}
    employment = IndicatorFactory(
        code="forvarvsfrekvens", name_sv="Förvärvsfrekvens 20–64 år", unit="percent"
    )
    assistance = IndicatorFactory(
        code="ekonomiskt-bistand", name_sv="Ekonomiskt bistånd", direction="lower"
    )
    for n, (_name, area) in enumerate(sorted(areas.items())):
        for year in range(2019, 2024):
            _value(employment, str(year), 50.0 + n * 5 + (year - 2019), area=area)
            _value(employment, str(year), 48.0 + n * 5, area=area, sex="K")
            _value(employment, str(year), 52.0 + n * 5, area=area, sex="M")
            _value(assistance, str(year), 10.0 - n, area=area)
    norrby = areas["Norrby"]
    _value(employment, "2024", None, area=norrby, status="suppressed")
    for year in range(2019, 2025):
        _value(employment, str(year), 78.5, code="9999")
        _value(employment, str(year), 80.25, code="00")
        _value(assistance, str(year), 4.0, code="9999")
    AreaType.objects.create(area=norrby, year=2022, index=-1.2, area_type=1)
    other_area = AreaFactory(municipality=other, name="Annanbacken")
    _value(employment, "2023", 70.0, area=other_area)
    return {
        "municipality": demo,
        "other": other,
        "users": users,
        "areas": areas,
        "norrby": norrby,
        "other_area": other_area,
        "employment": employment,
        "assistance": assistance,
    }


def _api(user=None):
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


# --- permission matrix -----------------------------------------------------------------------

# Indicator values are public statistics, read under the areas app's rules: every role (and
# the anonymous public) reads every area's profile, in any municipality; a missing area or
# municipality is 404 for all. The API is read-only: writes are refused (401 anonymous, 405).
READS = {role: (200, 200, 200, 200, 200, 404, 404) for role in ROLES}
WRITES = {role: 401 if role == "anonymous" else 405 for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_indicator_api__every_role__reads_public_statistics_and_writes_nothing(world, role):
    api = _api(world["users"][role])
    norrby, other_area = world["norrby"], world["other_area"]
    urls = [
        f"/api/v1/areas/{norrby.pk}/profile/",
        f"/api/v1/areas/{other_area.pk}/profile/",
        "/api/v1/municipalities/9999/indicator-map/?indicator=forvarvsfrekvens",
        "/api/v1/municipalities/9998/area-comparison/",
        "/api/v1/indicators/forvarvsfrekvens/",
        "/api/v1/areas/999999/profile/",
        "/api/v1/municipalities/0000/area-comparison/",
    ]
    assert tuple(api.get(url).status_code for url in urls) == READS[role]
    for url in urls[:5]:
        assert api.post(url, {}).status_code == WRITES[role], (role, url)
        assert api.delete(url).status_code == WRITES[role], (role, url)


# --- catalogue -------------------------------------------------------------------------------


def test_indicators__catalogue__list_and_detail_by_code(world, client):
    listed = client.get("/api/v1/indicators/").json()
    assert {i["code"] for i in listed["results"]} >= {"forvarvsfrekvens", "ekonomiskt-bistand"}
    detail = client.get("/api/v1/indicators/ekonomiskt-bistand/").json()
    assert (detail["direction"], detail["unit"]) == ("lower", "percent")
    assert client.get("/api/v1/indicators/no-such/").status_code == 404


# --- profile ---------------------------------------------------------------------------------


def test_area_profile_api__json__same_figures_as_the_selector(world, client):
    norrby = world["norrby"]
    response = client.get(f"/api/v1/areas/{norrby.pk}/profile/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["area"] == {"id": norrby.pk, "name": "Norrby"}
    assert data["municipality"] == {"code": "9999", "name": world["municipality"].name}
    assert [(t["year"], t["area_type"]) for t in data["area_types"]] == [(2022, 1)]

    profile = area_profile(actor=None, area=norrby)
    assert [i["indicator"]["code"] for i in data["indicators"]] == [
        p.indicator.code for p in profile.indicators
    ]
    employment = next(i for i in data["indicators"] if i["indicator"]["code"] == "forvarvsfrekvens")
    expected = next(p for p in profile.indicators if p.indicator.code == "forvarvsfrekvens")
    assert [(s["level"], s["sex"]) for s in employment["series"]] == [
        (s.level, s.sex) for s in expected.series
    ]
    assert employment["latest"] == {
        "period": "2023",
        "year": 2023,
        "value": expected.latest.value,
        "status": "ok",
        "source": "SCB TAB5813",
    }
    assert employment["series"][0]["points"][-1]["status"] == "suppressed"
    assert employment["series"][0]["points"][-1]["value"] is None
    assert employment["previous"]["period"] == "2022"
    assert employment["baseline"]["period"] == "2019"
    assert employment["change_since_baseline"] == expected.change_since_baseline == 4.0
    assert employment["municipality_latest"]["value"] == 78.5
    assert employment["nation_latest"]["value"] == 80.25
    assert employment["verdict"].startswith("The figure for 2024 is suppressed")


def test_area_profile_api__hand_built_json__equals_the_documented_serializer(world):
    profile = area_profile(actor=None, area=world["norrby"])
    assert profile_data(profile) == AreaProfileSerializer(profile).data


def test_area_profile_api__baseline_year_and_chosen_indicators(world, client):
    url = f"/api/v1/areas/{world['norrby'].pk}/profile/"
    data = client.get(url, {"baseline_year": 2021, "indicator": "forvarvsfrekvens"}).json()
    [one] = data["indicators"]
    assert one["baseline"]["period"] == "2021" and one["change_since_baseline"] == 2.0


@pytest.mark.parametrize("how", ["format", "accept"])
def test_area_profile_api__csv__long_rows_in_the_import_columns(world, client, how):
    norrby = world["norrby"]
    url = f"/api/v1/areas/{norrby.pk}/profile/"
    if how == "format":
        response = client.get(url, {"format": "csv"})
    else:
        response = client.get(url, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="omradesprofil-norrby.csv"' in response["Content-Disposition"]
    rows = _csv(response)
    assert list(rows[0]) == [
        "indikator",
        "område",
        "nivå",
        "period",
        "kön",
        "värde",
        "status",
        "källa",
    ]
    profile = area_profile(actor=None, area=norrby)
    assert len(rows) == sum(len(s.points) for p in profile.indicators for s in p.series)
    places = {(r["område"], r["nivå"]) for r in rows}
    assert places == {("Norrby", "area"), ("9999", "municipality"), ("Riket", "nation")}
    suppressed = [r for r in rows if r["status"] == "suppressed"]
    assert [(r["indikator"], r["period"], r["värde"]) for r in suppressed] == [
        ("forvarvsfrekvens", "2024", "")
    ]
    nation_2023 = next(
        r
        for r in rows
        if r["område"] == "Riket" and r["period"] == "2023" and r["indikator"] == "forvarvsfrekvens"
    )
    assert (nation_2023["kön"], nation_2023["värde"], nation_2023["källa"]) == (
        "T",
        "80.25",
        "SCB TAB5813",
    )


def test_area_profile_api__csv__imports_again_as_the_same_figures(db, client):
    """The downloaded CSV goes through the long-CSV importer: every figure is read back as
    stored, and storing it adds and changes nothing. (Linköping, a real municipality code: the
    importer knows the country's 290 codes, and the demo's 9999 is not one of them.)"""
    from kvarter.core.actors import SYSTEM
    from kvarter.indicators.importing.longcsv import parse_long_csv
    from kvarter.indicators.importing.writer import store_parse_result
    from kvarter.indicators.models import IndicatorValue

    linkoping = MunicipalityFactory(code="0580", name="Linköping")
    area = AreaFactory(municipality=linkoping, name="Skäggetorp")
    employment = IndicatorFactory(code="forvarvsfrekvens", unit="percent")
    for year in range(2020, 2024):
        for sex, shift in (("T", 0.0), ("K", -2.5), ("M", 2.5)):
            _value(employment, str(year), 55.1 + shift + year % 7, area=area, sex=sex)
            _value(employment, str(year), 77.3 + shift, code="0580", sex=sex)
        _value(employment, str(year), 80.25, code="00")
    _value(employment, "2024", None, area=area, status="suppressed")
    _value(employment, "2024", 78.0, code="0580", status="preliminary")

    url = f"/api/v1/areas/{area.pk}/profile/"
    data = client.get(url, {"format": "csv"}).content
    parsed = parse_long_csv(data, municipality=linkoping)
    assert parsed.problems == []
    stored = {
        (v.indicator_id, v.region_code, v.area_id, v.period, v.sex): (v.value, v.status)
        for v in IndicatorValue.objects.all()
    }
    read = {
        (o.indicator_id, o.region_code, o.area_id, o.period, o.sex): (o.value, o.status)
        for o in parsed.observations
    }
    assert read == stored and len(read) == 4 * 7 + 2
    batch = store_parse_result(
        parsed,
        file_name="omradesprofil-skaggetorp.csv",
        retrieved_on=dt.date(2025, 3, 1),
        source=None,
        actor=SYSTEM,
        aggregate=False,
    )
    assert (batch.added, batch.changed, batch.skipped) == (0, 0, len(read))


def test_area_profile_api__bad_parameters__one_error_shape(world, client):
    url = f"/api/v1/areas/{world['norrby'].pk}/profile/"
    response = client.get(url, {"indicator": "no-such"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unknown_indicator"
    response = client.get(url, {"baseline_year": "last year"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "baseline_year"
    missing = client.get("/api/v1/areas/999999/profile/", {"format": "csv"})
    assert missing.status_code == 404 and _csv(missing)[0]["code"] == "not_found"


def test_area_profile_api__few_queries(world, client, django_assert_max_num_queries):
    url = f"/api/v1/areas/{world['norrby'].pk}/profile/"
    with django_assert_max_num_queries(8):  # area (+2 prefetches), values, catalogue, types
        assert client.get(url).status_code == 200


# --- comparison ------------------------------------------------------------------------------


def test_area_comparison_api__json_and_csv(world, client):
    url = "/api/v1/municipalities/9999/area-comparison/"
    data = client.get(url).json()
    codes = [c["indicator"]["code"] for c in data["columns"]]
    assert [c["period"] for c in data["columns"]] == ["2023", "2023"]
    labels = [r["label"] for r in data["rows"]]
    assert labels[:5] == sorted(world["areas"]) and [r["level"] for r in data["rows"][5:]] == [
        "municipality",
        "nation",
    ]
    norrby = next(r for r in data["rows"] if r["label"] == "Norrby")
    assert norrby["area"] == {"id": world["norrby"].pk, "name": "Norrby"}
    assert norrby["area_type"]["area_type"] == 1
    assert norrby["cells"][codes.index("ekonomiskt-bistand")]["value"] is not None
    municipality = data["rows"][5]
    assert municipality["cells"][codes.index("forvarvsfrekvens")]["value"] == 78.5
    assert data["rows"][6]["cells"][codes.index("ekonomiskt-bistand")] is None

    rows = _csv(client.get(url, {"format": "csv", "period": "2020", "sex": "K"}))
    assert {(r["indikator"], r["period"], r["kön"]) for r in rows} == {
        ("forvarvsfrekvens", "2020", "K")
    }
    assert len(rows) == 5  # one per area; no K figures for the municipality or the nation
    assert client.get(url, {"period": "förra året"}).json()["errors"][0]["code"] == (
        "invalid_period"
    )


# --- map -------------------------------------------------------------------------------------


def test_indicator_map_api__geojson_features_with_value_status_and_class(world, client):
    url = "/api/v1/municipalities/9999/indicator-map/"
    response = client.get(url, {"indicator": "forvarvsfrekvens"})
    data = response.json()
    assert data["type"] == "FeatureCollection" and data["period"] == "2023"
    assert data["periods"] == ["2019", "2020", "2021", "2022", "2023", "2024"]
    assert data["method"] == "quantile" and len(data["breaks"]) == 6
    assert data["municipality"]["value"] == 78.5 and data["nation"]["value"] == 80.25
    features = {f["properties"]["area"]: f for f in data["features"]}
    assert sorted(features) == sorted(world["areas"])
    values = sorted((f["properties"]["value"], f["properties"]["class"]) for f in features.values())
    assert [c for _, c in values] == [1, 2, 3, 4, 5]
    norrby = features["Norrby"]
    assert norrby["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert norrby["properties"]["area_type"] == 1 and norrby["properties"]["status"] == "ok"

    suppressed = client.get(url, {"indicator": "forvarvsfrekvens", "period": "2024"}).json()
    props = {f["properties"]["area"]: f["properties"] for f in suppressed["features"]}
    assert (props["Norrby"]["status"], props["Norrby"]["class"]) == ("suppressed", None)
    assert (props["Åsen"]["status"], props["Åsen"]["value"]) == ("missing", None)

    geo = client.get(url, {"indicator": "forvarvsfrekvens"}, HTTP_ACCEPT="application/geo+json")
    assert geo["Content-Type"] == "application/geo+json" and geo.json() == data

    equal = client.get(url, {"indicator": "forvarvsfrekvens", "method": "equal", "classes": 4})
    assert equal.json()["method"] == "equal" and len(equal.json()["breaks"]) == 5


def test_indicator_map_api__bad_parameters(world, client):
    url = "/api/v1/municipalities/9999/indicator-map/"
    assert client.get(url).json()["errors"][0]["field"] == "indicator"
    assert client.get(url, {"indicator": "x"}).json()["errors"][0]["code"] == "unknown_indicator"
    bad_sex = client.get(url, {"indicator": "forvarvsfrekvens", "sex": "X"})
    assert bad_sex.status_code == 400 and bad_sex.json()["errors"][0]["field"] == "sex"


# --- schema ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_schema__indicator_paths__documented(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text())["paths"]
    for path in [
        "/api/v1/indicators/",
        "/api/v1/indicators/{code}/",
        "/api/v1/areas/{id}/profile/",
        "/api/v1/municipalities/{code}/area-comparison/",
        "/api/v1/municipalities/{code}/indicator-map/",
    ]:
        assert path in paths, path
    profile = paths["/api/v1/areas/{id}/profile/"]["get"]
    assert set(profile["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    properties = yaml.safe_load(out.read_text())["components"]["schemas"]["MapFeatureProperties"][
        "properties"
    ]
    assert {"area", "value", "status", "class"} <= set(properties)
