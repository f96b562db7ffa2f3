"""``kvarter serve``: run Kvarter under gunicorn (the production server)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Kvarter with gunicorn (collects static files first unless DEBUG)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("KVARTER_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("KVARTER_WORKERS", "3"))
        )
        parser.add_argument("--timeout", type=int, default=120)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "kvarter.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--timeout",
            str(options["timeout"]),
            "--access-logfile",
            "-",
        ]
        self.stdout.write(f"Kvarter serves at http://{options['bind']}/ (Ctrl+C stops)")
        sys.stdout.flush()
        # Replace this process so that signals from a supervisor reach gunicorn directly.
        os.execv(sys.executable, argv)  # noqa: S606
