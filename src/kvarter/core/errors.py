"""Domain errors with stable codes; doors map them to messages and HTTP statuses."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class NotFoundOrForbidden(Exception):
    """Raised by ``access_*`` helpers: the same for a missing row and one the user may not see."""


class PermissionDenied(Exception):
    """The actor may see the object but not do this to it."""

    def __init__(self, message: str = "", code: str = "permission_denied") -> None:
        super().__init__(message or str(_("You do not have permission to do this.")))
        self.code = code


class StaleVersion(ValidationError):
    """Someone else saved the row after this user read it."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else has changed this since you opened it. Reload the page to see "
                "their change, then make yours again."
            ),
            code="stale_version",
        )
