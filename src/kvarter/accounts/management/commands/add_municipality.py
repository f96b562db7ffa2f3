"""``kvarter add-municipality CODE NAME``: a new municipality, ready for its first administrator.

Creates the municipality, its own organisation (``--organisation``, default NAME) and the
default EST catalogue (categories and resource types, editable afterwards), all or nothing,
audited as coming through the CLI. Then ``kvarter import-organisations`` and ``kvarter
add-user … --organisation NAME --role administrator``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kvarter.accounts.onboarding import municipality_onboard
from kvarter.core.actors import SYSTEM


class Command(BaseCommand):
    help = "Create a municipality with its own organisation and the default EST catalogue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="four-digit municipality code, e.g. 0580")
        parser.add_argument("name", help="e.g. Linköping")
        parser.add_argument("--organisation", default="", help="default: NAME")
        parser.add_argument("--abbreviation", default="", help="the organisation's, e.g. LK")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            municipality, organisation = municipality_onboard(
                actor=SYSTEM,
                code=options["code"],
                name=options["name"],
                organisation_name=options["organisation"],
                short_name=options["abbreviation"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{municipality.code} {municipality.name}: organisation/organisation "
                f"{organisation.name!r}, EST-katalog/EST catalogue ok"
            )
        )
