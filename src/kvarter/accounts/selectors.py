"""Reads of organisations and users, scoped to what the actor may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kvarter.accounts.models import Organisation, RoleAssignment, User
from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.roles import ROLE_CAPABILITIES, Capability
from kvarter.core.errors import NotFoundOrForbidden


def organisation_list(*, actor: Any, municipality_id: int | None = None) -> QuerySet[Organisation]:
    visible = resolver_for(actor).municipality_ids_with(Capability.VIEW_MUNICIPALITY_INTERNALS)
    organisations = Organisation.objects.select_related("municipality", "parent")
    if visible is not None:
        organisations = organisations.filter(municipality_id__in=visible)
    if municipality_id is not None:
        organisations = organisations.filter(municipality_id=municipality_id)
    return organisations


def access_organisation_by_id(actor: Any, organisation_id: Any) -> Organisation:
    try:
        return organisation_list(actor=actor).get(pk=int(organisation_id))
    except (Organisation.DoesNotExist, TypeError, ValueError) as error:
        raise NotFoundOrForbidden from error


def users_with(capability: Capability, *, municipality_id: int) -> QuerySet[User]:
    """People holding a role that gives ``capability`` in the municipality (wherever in it it
    applies), e.g. whom to remind of a follow-up round: those who may report status."""
    roles = [role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities]
    return User.objects.filter(
        role_assignments__role__in=roles, role_assignments__municipality_id=municipality_id
    )


def role_assignments_of(user: Any) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(user=user)
        .select_related("municipality")
        .prefetch_related("areas")
        .order_by("municipality__name", "role")
    )
