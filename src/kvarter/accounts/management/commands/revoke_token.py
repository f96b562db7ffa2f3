"""``kvarter revoke-token USERNAME``: delete the user's API token; it stops working at once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Revoke (delete) a user's API token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called %(username)s.") % {"username": username})
        deleted, _rows = Token.objects.filter(user=user).delete()
        if deleted:
            message = _("The API token of %(username)s is revoked.")
        else:
            message = _("%(username)s has no API token.")
        self.stdout.write(message % {"username": username})
