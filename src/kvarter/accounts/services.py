"""Writes for organisations, users and role assignments."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from kvarter.accounts.models import Organisation, OrganisationKind, RoleAssignment, User
from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.roles import AREA_SCOPED_ROLES, Role
from kvarter.areas.models import Area, Municipality
from kvarter.areas.validators import validate_areas_in_municipality
from kvarter.core.error_codes import error
from kvarter.core.errors import PermissionDenied
from kvarter.core.services import model_create, model_update

ORGANISATION_EDITABLE_FIELDS = ("name", "short_name", "kind", "parent")


def organisation_create(
    *,
    actor: Any,
    municipality: Municipality,
    name: str,
    kind: OrganisationKind,
    short_name: str = "",
    parent: Organisation | None = None,
) -> Organisation:
    if not resolver_for(actor).can_create_organisation(municipality):
        raise PermissionDenied()
    return model_create(
        model=Organisation,
        data={
            "municipality": municipality,
            "name": name,
            "short_name": short_name,
            "kind": kind,
            "parent": parent,
        },
        actor=actor,
    )


def organisation_update(
    *,
    actor: Any,
    organisation: Organisation,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> tuple[Organisation, bool]:
    if not resolver_for(actor).can_change_organisation(organisation):
        raise PermissionDenied()
    return model_update(
        instance=organisation,
        fields=ORGANISATION_EDITABLE_FIELDS,
        data=data,
        actor=actor,
        expected_version=expected_version,
    )


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    organisation: Organisation,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """A new person in an organisation; administrators of its municipality may add users."""
    if not resolver_for(actor).can_change_organisation(organisation):
        raise PermissionDenied()
    user = model_create(
        model=User,
        data={
            "username": username,
            "organisation": organisation,
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "password": "!",  # replaced below; full_clean needs a value
        },
        actor=actor,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()  # logs in through SSO only
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def role_assign(
    *,
    actor: Any,
    user: User,
    role: Role,
    municipality: Municipality,
    areas: Iterable[Area] = (),
) -> RoleAssignment:
    """Give ``user`` ``role`` in ``municipality``; area-scoped roles need at least one area."""
    resolver = resolver_for(actor)
    if not resolver.has_role_admin(municipality):
        raise PermissionDenied()
    area_list = list(areas)
    if role in AREA_SCOPED_ROLES and not area_list:
        raise ValidationError(
            {
                "areas": error(
                    "areas_required", gettext_lazy("The role is per area: choose at least one.")
                )
            }
        )
    validate_areas_in_municipality(area_list, municipality.pk)
    existing = RoleAssignment.objects.filter(
        user=user, role=role, municipality=municipality
    ).first()
    if existing is None:
        return model_create(
            model=RoleAssignment,
            data={"user": user, "role": role, "municipality": municipality, "areas": area_list},
            actor=actor,
        )
    updated, _ = model_update(
        instance=existing, fields=["areas"], data={"areas": area_list}, actor=actor
    )
    return updated
