"""``kvarter demo``: load the fictional municipality Exempelstad and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kvarter.demo import exempelstad


class Command(BaseCommand):
    help = "Load the demo municipality Exempelstad (idempotent) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even when DEBUG is off (never on a production installation)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demodata med kända lösenord läses inte in när DEBUG är av / Demo data with known "
                "passwords is not loaded when DEBUG is off (use --force on a test installation)."
            )
        municipality = exempelstad.build(with_indicators=True, with_est_history=True)
        self.stdout.write(self.style.SUCCESS(f"Demo: {municipality} ({municipality.code})"))
        self.stdout.write(f"Inloggning / login — lösenord / password: {exempelstad.DEMO_PASSWORD}")
        for user in exempelstad.DEMO_USERS:
            role = user.role.label if user.role else "-"
            areas = f" ({', '.join(user.areas)})" if user.areas else ""
            self.stdout.write(f"  {user.username:<12} {role}{areas}")
