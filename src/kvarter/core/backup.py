"""A backup of the configured database, in the form its own restore tool reads.

- PostgreSQL: ``pg_dump -Fc`` (custom format), restored with ``pg_restore`` into a new
  database: ``createdb kvarter_restored && pg_restore --no-owner -d kvarter_restored FILE``.
- SQLite: SQLite's online backup API (what the shell's ``.backup`` does), consistent while the
  server runs; the file is itself a database: copy it in place of the old one while the server
  is stopped, or ``sqlite3 NEW.sqlite3 ".restore FILE"``.

The restore procedure is in the README ("Backup and restore").
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from kvarter.core import error_codes

__all__ = ["BackupFailed", "database_backup"]


class BackupFailed(Exception):
    """The backup could not be written; ``code`` says why, the message in the active language."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def _failed(code: str, /, **params: Any) -> BackupFailed:
    return BackupFailed(error_codes.message(code, **params), code=code)


def database_backup(out: Path, *, using: str = "default") -> str:
    """Write a backup of the database ``using`` to ``out``; returns the method used.

    The file appears only when the backup is whole: it is written beside ``out`` and renamed.
    """
    connection = connections[using]
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if connection.vendor == "sqlite":
            method = _sqlite_backup(connection, partial)
        elif connection.vendor == "postgresql":
            method = _pg_dump(connection.settings_dict, partial)
        else:
            raise _failed("backup_unsupported_database", vendor=connection.vendor)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return method


def _sqlite_backup(connection: BaseDatabaseWrapper, partial: Path) -> str:
    connection.ensure_connection()
    source: sqlite3.Connection = connection.connection
    target = sqlite3.connect(partial)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
    return "sqlite backup"


def _pg_dump(settings: dict[str, Any], partial: Path) -> str:
    program = shutil.which("pg_dump")
    if program is None:
        raise _failed("backup_tool_missing")
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings.get(key):
            environment[variable] = str(settings[key])
    done = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
        [program, "--format=custom", "--file", str(partial), "--dbname", settings["NAME"]],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise _failed("backup_failed", detail=done.stderr.strip())
    return "pg_dump -Fc"
