"""Domain errors with stable codes; doors map them to messages and HTTP statuses."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from kvarter.core import error_codes


class NotFoundOrForbidden(Exception):
    """Raised by ``access_*`` helpers: the same for a missing row and one the user may not see."""


class PermissionDenied(Exception):
    """The actor may see the object but not do this to it."""

    def __init__(self, message: str = "", code: str = "permission_denied") -> None:
        super().__init__(message or error_codes.message(code))
        self.code = code


class StaleVersion(ValidationError):
    """Someone else saved the row after this user read it."""

    def __init__(self) -> None:
        super().__init__(error_codes.message("stale_version"), code="stale_version")
