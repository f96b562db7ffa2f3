"""``kvarter add-user USERNAME …``: a person in an organisation, with a role (audited as CLI).

Run again for an existing user to give another role. The password is read from standard input
(``--password-stdin``) or asked for; ``--no-password`` makes an SSO-only account.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kvarter.accounts.models import Organisation, User
from kvarter.accounts.roles import Role
from kvarter.accounts.services import role_assign, user_create
from kvarter.areas.models import Area, Municipality
from kvarter.core.actors import SYSTEM
from kvarter.core.text import parse_list


class Command(BaseCommand):
    help = "Create a user in an organisation and/or give them a role in a municipality."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--municipality", required=True, help="four-digit code")
        parser.add_argument("--organisation", help="name or abbreviation (new users)")
        parser.add_argument("--role", choices=[r.value for r in Role])
        parser.add_argument("--areas", default="", help="for area-scoped roles: 'Norrby och Åsen'")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        password = parser.add_mutually_exclusive_group()
        password.add_argument("--password-stdin", action="store_true")
        password.add_argument("--no-password", action="store_true", help="SSO-only account")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(code=options["municipality"]).first()
        if municipality is None:
            raise CommandError(
                _("No such municipality: %(code)s.") % {"code": options["municipality"]}
            )
        try:
            with transaction.atomic():
                user = User.objects.filter(username=options["username"]).first()
                if user is None:
                    user = self._create(options, municipality)
                if options["role"]:
                    role_assign(
                        actor=SYSTEM,
                        user=user,
                        role=Role(options["role"]),
                        municipality=municipality,
                        areas=self._areas(options["areas"], municipality),
                    )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"{user.username}: ok"))

    def _create(self, options: dict[str, Any], municipality: Municipality) -> User:
        key = (options["organisation"] or "").strip()
        organisation = Organisation.objects.filter(
            Q(name__iexact=key) | Q(short_name__iexact=key), municipality=municipality
        ).first()
        if not key or organisation is None:
            raise CommandError(
                _(
                    "No organisation '%(name)s' in %(municipality)s (give --organisation with "
                    "its name or abbreviation)."
                )
                % {"name": key, "municipality": municipality}
            )
        password = self._password(options)
        if password is not None:
            validate_password(password)
        return user_create(
            actor=SYSTEM,
            username=options["username"],
            password=password,
            organisation=organisation,
            first_name=options["first_name"],
            last_name=options["last_name"],
            email=options["email"],
        )

    def _password(self, options: dict[str, Any]) -> str | None:
        if options["no_password"]:
            return None
        if options["password_stdin"]:
            return sys.stdin.readline().rstrip("\n")
        return getpass.getpass(_("Password: "))

    def _areas(self, text: str, municipality: Municipality) -> list[Area]:
        names = parse_list(text)
        areas = {a.name.lower(): a for a in Area.objects.filter(municipality=municipality)}
        unknown = [n for n in names if n.lower() not in areas]
        if unknown:
            raise CommandError(_("Unknown areas: %(names)s") % {"names": ", ".join(unknown)})
        return [areas[n.lower()] for n in names]
