"""``kvarter backup --out FILE``: a backup of the configured database (see kvarter.core.backup).

PostgreSQL: ``pg_dump -Fc`` (restore with ``pg_restore``); SQLite: the online backup API (the
file is a database). The README's "Backup and restore" has the restore procedure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kvarter.core.backup import BackupFailed, database_backup


class Command(BaseCommand):
    help = "Back up the database: pg_dump -Fc for PostgreSQL, the SQLite backup API for SQLite."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="the backup file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        try:
            method = database_backup(out)
        except (BackupFailed, OSError) as error:
            raise CommandError(str(error)) from error
        size = out.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"{out} ({method}, {size} B)"))
