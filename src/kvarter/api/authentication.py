"""API tokens that expire: a token older than KVARTER_API_TOKEN_DAYS is refused.

Revocation is deletion (`kvarter revoke-token USERNAME`); a new token resets the age
(`kvarter drf_create_token -r USERNAME`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from kvarter.core import error_codes

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class TokenExpired(exceptions.AuthenticationFailed):
    # The registry's lazy message; the stubs name only _StrPromise.
    default_detail = cast("_StrPromise", error_codes.CODES["token_expired"])
    default_code = "token_expired"


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        lifetime = timedelta(days=settings.KVARTER_API_TOKEN_DAYS)
        if token.created + lifetime <= timezone.now():
            raise TokenExpired()
        return user, token
