"""Single sign-on through OpenID Connect (the municipality's identity provider).

Switched on by ``OIDC_RP_CLIENT_ID`` and the ``OIDC_OP_*`` endpoints (see
docs/architecture.md) with the optional ``sso`` extra installed. A person logs in with the
identity provider; Kvarter matches them to an existing user by e-mail address and never creates
users or roles from claims: an administrator grants roles in Kvarter, so a misconfigured
identity provider cannot hand out access.
"""

from __future__ import annotations

from typing import Any

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from kvarter.accounts.models import User


def match_users(claims: dict[str, Any]) -> Any:
    email = (claims.get("email") or "").strip()
    if not email or claims.get("email_verified") is False:
        return User.objects.none()
    return User.objects.filter(email__iexact=email, is_active=True)


class KvarterOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return match_users(claims)

    def create_user(self, claims: dict[str, Any]) -> None:
        return None  # unknown people are refused; see the module docstring
