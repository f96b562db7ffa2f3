"""Production settings pass Django's deployment checklist; the health check answers."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def test_prod_settings__check_deploy__no_issues(tmp_path):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="kvarter.settings.prod",
        SECRET_KEY="x" * 20 + "-production-like-secret-key-for-the-check-only-123",
        ALLOWED_HOSTS="kvarter.example.se",
        KVARTER_DATA_DIR=str(tmp_path),
    )
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "kvarter.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_prod_settings__without_secret_key__refuse_to_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="kvarter.settings.prod", KVARTER_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "kvarter.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_health__database_answers__ok(client):
    assert client.get("/health/").json() == {"status": "ok"}
