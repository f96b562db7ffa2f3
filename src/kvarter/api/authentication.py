"""API tokens that expire: a token older than KVARTER_API_TOKEN_DAYS is refused.

Revocation is deletion (`kvarter revoke-token USERNAME`); a new token resets the age
(`kvarter drf_create_token -r USERNAME`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = _("The API token has expired; ask an administrator for a new one.")
    default_code = "token_expired"


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        lifetime = timedelta(days=settings.KVARTER_API_TOKEN_DAYS)
        if token.created + lifetime <= timezone.now():
            raise TokenExpired()
        return user, token
