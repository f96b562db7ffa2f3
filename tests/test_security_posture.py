"""Production posture (issue 12, item 8): CSP and Permissions-Policy, no caching of raw EST
data, staff-only admin and API docs, session lifetimes, expiring and revocable API tokens,
and a login lockout that sees the client's address behind the reverse proxy."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.authtoken.models import Token
from tests.factories import UserFactory

from kvarter.accounts.lockout import client_ip
from kvarter.core import security

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "kvarter" / "templates"


@pytest.mark.django_db
def test_every_page__headers__csp_without_inline_script_and_permissions_policy(client):
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp)
    assert script_src is not None
    assert script_src.group(1) == "'self'"
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "geolocation=()" in response.headers["Permissions-Policy"]


def test_csp__tile_server_configured__its_images_allowed():
    csp = security.content_security_policy("https://{s}.tile.example.se/{z}/{x}/{y}.png")
    assert "img-src 'self' data: https://*.tile.example.se" in csp


def test_templates__no_inline_script_or_event_handler():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(
            r"\son[a-z]+\s*=", text
        ):
            offenders.append(str(template))
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/est/rapportera/",
        "/est/granskning/",
        "/est/lagesbild/",
        "/est/export/rapporter.csv",
        "/api/v1/incident-reports/",
        "/api/v1/est/places/",
        "/api/v1/municipalities/0000/situational-picture/",
    ],
)
def test_raw_est_answers__cache_control__no_store(client, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert "no-store" in response.headers["Cache-Control"], response.status_code


@pytest.mark.django_db
def test_other_pages__cache_control__not_forced(client):
    response = client.get("/health/")
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/django-admin/", "/api/docs/", "/api/schema/"])
def test_staff_tools__production__only_logged_in_staff(client, settings, path):
    settings.KVARTER_STAFF_ONLY_TOOLS = True
    anonymous = client.get(path)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get(path).status_code == 403
    client.force_login(UserFactory(is_staff=True))
    assert client.get(path).status_code in (200, 302)  # the admin may still ask for rights


@pytest.mark.django_db
def test_api_docs__page__has_no_inline_script(client):
    client.force_login(UserFactory(is_staff=True))
    page = client.get("/api/docs/").content.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None


def _session_age(client, **ages: int) -> None:
    session = client.session
    now = int(timezone.now().timestamp())
    if "started" in ages:
        session[security.SESSION_STARTED] = now - ages["started"]
    if "seen" in ages:
        session[security.SESSION_SEEN] = now - ages["seen"]
    session.save()


@pytest.mark.django_db
def test_session__older_than_absolute_lifetime__logged_out(client, settings):
    client.force_login(UserFactory())
    client.get("/")
    _session_age(client, started=settings.KVARTER_SESSION_SECONDS + 1, seen=0)
    client.get("/")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_session__idle_too_long__logged_out(client, settings):
    client.force_login(UserFactory())
    client.get("/")
    _session_age(client, started=60, seen=settings.KVARTER_SESSION_IDLE_SECONDS + 1)
    client.get("/")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_session__active_within_limits__stays(client, settings):
    client.force_login(UserFactory())
    client.get("/")
    _session_age(client, started=settings.KVARTER_SESSION_SECONDS - 120, seen=120)
    client.get("/")
    assert "_auth_user_id" in client.session


def test_session_defaults__eight_hours_idle_one_hour(settings):
    assert settings.KVARTER_SESSION_SECONDS == 8 * 3600
    assert settings.KVARTER_SESSION_IDLE_SECONDS == 3600


@pytest.mark.django_db
def test_api_token__older_than_lifetime__refused(client, settings):
    token = Token.objects.create(user=UserFactory())
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get("/api/v1/municipalities/", **auth).status_code == 200
    Token.objects.filter(pk=token.pk).update(
        created=timezone.now() - timedelta(days=settings.KVARTER_API_TOKEN_DAYS, seconds=1)
    )
    response = client.get("/api/v1/municipalities/", **auth)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "token_expired"
    assert response.json()["errors"][0]["message"] == (
        "API-token har gått ut; be en administratör om en ny."
    )


@pytest.mark.django_db
def test_revoke_token__command__token_stops_working(client):
    user = UserFactory()
    token = Token.objects.create(user=user)
    out = StringIO()
    call_command("revoke_token", user.username, stdout=out)
    assert not Token.objects.filter(user=user).exists()
    response = client.get("/api/v1/municipalities/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401


def test_client_ip__behind_one_proxy__the_address_the_proxy_saw(settings):
    settings.KVARTER_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    # 6.6.6.6 was made up by the client; the proxy appended the address it saw.
    assert client_ip(request) == "198.51.100.7"


def test_client_ip__no_proxy_configured__forwarded_header_ignored(settings):
    settings.KVARTER_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "198.51.100.7"


@pytest.mark.django_db
def test_login_behind_proxy__attacker_locked__same_user_from_elsewhere_logs_in(client, settings):
    settings.KVARTER_TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": user.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.66",
            **proxy,
        )
    locked = client.post(
        "/accounts/login/",
        {"username": user.username, "password": "correct horse battery"},
        HTTP_X_FORWARDED_FOR="203.0.113.66",
        **proxy,
    )
    assert locked.status_code == 429
    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": "correct horse battery"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_login__one_try_each_across_many_usernames__address_refused(client, settings):
    settings.KVARTER_LOGIN_SPRAY_LIMIT = 4
    user = UserFactory()
    for number in range(settings.KVARTER_LOGIN_SPRAY_LIMIT):
        client.post("/accounts/login/", {"username": f"guess{number}", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "correct horse battery"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
