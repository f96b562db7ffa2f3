"""`kvarter backup` (issue 12 item 12): a backup restored into a fresh database holds the same
rows, and a document built from the restored database is byte for byte the same.

SQLite always; PostgreSQL when the tests run on it (DATABASE_URL=postgres://…), with pg_dump
and pg_restore. The document is the plan export (``kvarter export-plan``), built in this
process from the test database and in a fresh ``kvarter`` process from the restored one.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from tests.factories import AreaFactory, MunicipalityFactory

from kvarter.core.actors import SYSTEM
from kvarter.followup.exporting import export_plan
from kvarter.followup.importers import plan_import
from kvarter.plans.models import Plan

EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "formats" / "action-plan-example.csv"
ROOT = Path(__file__).resolve().parents[2]


def _counts(cursor, tables: list[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from introspection
        counts[table] = cursor.fetchone()[0]
    return counts


def _export_from(database_url: str, out: Path) -> bytes:
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "kvarter.settings.test",
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
    }
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "kvarter.cli",
            "export-plan",
            "--municipality",
            "0999",
            "--plan",
            "Åtgärdsplan 2026",
            "--out",
            str(out),
        ],
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out.read_bytes()


@pytest.mark.django_db(transaction=True)
def test_backup__restored_into_a_fresh_database__same_rows_and_same_document(tmp_path) -> None:
    municipality = MunicipalityFactory(code="0999", name="Norrtuna")
    for name in ("Norrby", "Västerdal", "Åsen"):
        AreaFactory(municipality=municipality, name=name)
    plan_import(
        actor=SYSTEM,
        municipality=municipality,
        plan_name="Åtgärdsplan 2026",
        year=2026,
        raw=EXAMPLE.read_bytes(),
        filename="plan.csv",
    )
    plan = Plan.objects.get(municipality=municipality)
    document = export_plan(plan, fmt="csv")
    tables = sorted(connection.introspection.table_names())
    with connection.cursor() as cursor:
        before = _counts(cursor, tables)
    assert before["plans_measure"] > 0
    backup = tmp_path / "kvarter.backup"

    call_command("backup", out=backup)

    assert backup.stat().st_size > 0
    if connection.vendor == "sqlite":
        restored = tmp_path / "restored.sqlite3"
        source, target = sqlite3.connect(backup), sqlite3.connect(restored)
        with target:
            source.backup(target)  # the README's: sqlite3 restored.sqlite3 ".restore FILE"
        source.close()
        after = _counts(target.cursor(), tables)
        target.close()
        url = f"sqlite:///{restored}"
    else:
        url = _pg_restore(backup)
    try:
        if connection.vendor != "sqlite":
            import psycopg

            with psycopg.connect(url) as restored_db, restored_db.cursor() as cursor:
                after = _counts(cursor, tables)
        assert after == before
        assert _export_from(url, tmp_path / "restored.csv") == document
    finally:
        if connection.vendor != "sqlite":
            _drop(url)


def _pg_restore(backup: Path) -> str:
    """A fresh PostgreSQL database holding the backup; its URL."""
    import psycopg

    settings = connection.settings_dict
    name = f"kvarter_restore_{uuid.uuid4().hex[:8]}"
    user, host = settings.get("USER") or "postgres", settings.get("HOST") or "127.0.0.1"
    port, password = settings.get("PORT") or 5432, settings.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    admin = f"postgresql://{auth}{host}:{port}/postgres"
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql://{auth}{host}:{port}/{name}"
    subprocess.run(  # noqa: S603
        ["pg_restore", "--no-owner", "--dbname", url, str(backup)],  # noqa: S607
        check=True,
        capture_output=True,
        timeout=300,
    )
    return url


def _drop(url: str) -> None:
    import psycopg

    server_url, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_backup__pg_dump_missing__refused_in_the_active_language(monkeypatch, tmp_path) -> None:
    from django.utils import translation

    from kvarter.core import backup

    monkeypatch.setattr(backup.shutil, "which", lambda _name: None)
    with translation.override("sv"), pytest.raises(backup.BackupFailed) as swedish:
        backup._pg_dump({"NAME": "kvarter"}, tmp_path / "out.partial")
    with translation.override("en"), pytest.raises(backup.BackupFailed) as english:
        backup._pg_dump({"NAME": "kvarter"}, tmp_path / "out.partial")

    assert swedish.value.code == english.value.code == "backup_tool_missing"
    assert str(swedish.value) == "pg_dump saknas."
    assert str(english.value) == "pg_dump is not installed."
