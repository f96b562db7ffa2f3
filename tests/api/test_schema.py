"""The OpenAPI 3 schema is valid and documents what the API serves."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_schema__generated__valid_openapi(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/areas/",
        "/api/v1/areas/{id}/",
        "/api/v1/areas/geojson/",
        "/api/v1/organisations/",
        "/api/v1/municipalities/{code}/",
    ]:
        assert path in schema["paths"], path


def test_api__token_auth__sees_own_organisations(demo_users):
    token = Token.objects.create(user=demo_users["lasare"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get("/api/v1/organisations/")
    assert response.status_code == 200
    assert response.json()["count"] == 10


def test_api__geojson__feature_per_area_in_wgs84(client, demo):
    response = client.get("/api/v1/areas/geojson/?municipality=9999")
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert sorted(f["properties"]["name"] for f in data["features"]) == [
        "Kvarnbacken",
        "Norrby",
        "Söderängen",
        "Västerdal",
        "Åsen",
    ]
    lon, lat = data["features"][0]["geometry"]["coordinates"][0][0]
    assert 10 < lon < 25 and 55 < lat < 70


def test_api__error_shape__one_json_shape(client, db):
    response = client.get("/api/v1/areas/999999/")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"field": None, "code": "not_found", "message": "Not found."}]
    }
