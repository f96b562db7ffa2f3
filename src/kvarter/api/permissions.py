"""DRF permission classes; the decisions themselves are the resolver's."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from kvarter.accounts.permissions import resolver_for


class ResolverPermission(BasePermission):
    """Reads are decided by the selectors (what a user can see); writes need a login and the
    view's ``write_capability`` for the object."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return not getattr(view, "requires_login", False) or bool(
                request.user and request.user.is_authenticated
            )
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True  # the object came through a selector scoped to the user
        capability = getattr(view, "write_capability", None)
        if not isinstance(capability, str):
            return False
        return bool(getattr(resolver_for(request.user), capability)(obj))
