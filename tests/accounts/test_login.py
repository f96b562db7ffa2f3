"""Login with username and password, rate-limited by django-axes."""

from __future__ import annotations

import pytest
from django.conf import settings

from kvarter.demo.exempelstad import DEMO_PASSWORD


def test_login__right_password__reaches_start_page(client, demo_users):
    response = client.post("/accounts/login/", {"username": "strateg", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "strateg"


def test_login__too_many_failures__even_right_password_refused(client, demo_users):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "lasare", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "lasare", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login__lockout__other_users_unaffected(client, demo_users):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "lasare", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "strateg", "password": DEMO_PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_logout__post__ends_session(client, demo_users):
    client.force_login(demo_users["admin"])
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
