"""Roles and the capabilities each role gives: the one table to read for 'who may do what'.

A capability is named for what it allows. Whether it applies to a given object (its
municipality, its areas) is decided by :mod:`kvarter.accounts.permissions`.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("administrator")
    STRATEGIST = "strategist", _("strategist")
    AREA_COORDINATOR = "area_coordinator", _("area coordinator")
    UNIT_REPORTER = "unit_reporter", _("unit reporter")
    EST_MEMBER = "est_member", _("EST member")
    READER = "reader", _("reader")


class Capability(StrEnum):
    VIEW_MUNICIPALITY_INTERNALS = "view_municipality_internals"  # organisations, internal pages
    CHANGE_AREA = "change_area"
    CREATE_AREA = "create_area"
    CHANGE_ORGANISATION = "change_organisation"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_RAW_INCIDENTS = "view_raw_incidents"
    CHANGE_PLAN = "change_plan"  # create and edit action plans, goal areas and measures


# Roles whose assignment is limited to named areas; for the others the areas are ignored and
# the role holds in the whole municipality.
AREA_SCOPED_ROLES = frozenset({Role.AREA_COORDINATOR, Role.EST_MEMBER})

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.ADMINISTRATOR: frozenset(
        {
            Capability.VIEW_MUNICIPALITY_INTERNALS,
            Capability.CHANGE_AREA,
            Capability.CREATE_AREA,
            Capability.CHANGE_ORGANISATION,
            Capability.VIEW_AUDIT_LOG,
            Capability.CHANGE_PLAN,
        }
    ),
    Role.STRATEGIST: frozenset(
        {
            Capability.VIEW_MUNICIPALITY_INTERNALS,
            Capability.CHANGE_AREA,
            Capability.VIEW_AUDIT_LOG,
            Capability.CHANGE_PLAN,
        }
    ),
    # Area-scoped: CHANGE_AREA holds for the coordinator's own areas only.
    Role.AREA_COORDINATOR: frozenset(
        {Capability.VIEW_MUNICIPALITY_INTERNALS, Capability.CHANGE_AREA}
    ),
    Role.UNIT_REPORTER: frozenset({Capability.VIEW_MUNICIPALITY_INTERNALS}),
    # Area-scoped: raw incident reports of the member's own areas only.
    Role.EST_MEMBER: frozenset(
        {Capability.VIEW_MUNICIPALITY_INTERNALS, Capability.VIEW_RAW_INCIDENTS}
    ),
    Role.READER: frozenset({Capability.VIEW_MUNICIPALITY_INTERNALS}),
}
