"""The one permission resolver: every door asks it, nothing else decides access.

A user's role assignments are read once (one query) and kept on the resolver, which lives as
long as the user object, i.e. one request. Capabilities come from
:data:`kvarter.accounts.roles.ROLE_CAPABILITIES`; this module only decides where they apply.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from kvarter.accounts.roles import AREA_SCOPED_ROLES, ROLE_CAPABILITIES, Capability, Role
from kvarter.core.actors import SYSTEM

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from kvarter.accounts.models import Organisation
    from kvarter.areas.models import Area, Municipality

# For these, an area-scoped role (area coordinator, EST member) holds the capability only in
# its own areas. Every other capability of a role holds in the whole municipality.
AREA_BOUND = frozenset(
    {
        Capability.CHANGE_AREA,
        Capability.VIEW_RAW_INCIDENTS,
        Capability.VIEW_PLANS,
        Capability.REVIEW_REPORTS,
        Capability.MANAGE_EST_CATALOGUE,
        Capability.PLAN_DEPLOYMENTS,
        Capability.MANAGE_PROBLEM_PLACES,
    }
)

# Area-bound capabilities that also cover what belongs to no area: an area-scoped role holds
# them in its municipality even with no areas (plan measures that name no area concern the
# whole municipality, so every area's coordinator follows them).
HELD_WITHOUT_AREAS = frozenset({Capability.VIEW_PLANS})


class PermissionResolver:
    def __init__(self, user: Any) -> None:
        is_person = user is not None and user.is_authenticated
        self.user = user if is_person or user is SYSTEM else None

    @cached_property
    def is_superuser(self) -> bool:
        return bool(self.user and self.user.is_active and self.user.is_superuser)

    @property
    def is_system(self) -> bool:
        return self.user is SYSTEM

    @cached_property
    def _grants(self) -> dict[int, dict[Role, frozenset[int] | None]]:
        """municipality id → role → the role's areas (None: the whole municipality)."""
        if self.user is None or self.is_system or not self.user.is_active:
            return {}
        grants: dict[int, dict[Role, frozenset[int] | None]] = defaultdict(dict)
        assignments = self.user.role_assignments.prefetch_related("areas")
        for assignment in assignments:
            role = Role(assignment.role)
            areas = (
                frozenset(a.pk for a in assignment.areas.all())
                if role in AREA_SCOPED_ROLES
                else None
            )
            grants[assignment.municipality_id][role] = areas
        return dict(grants)

    def roles_in(self, municipality_id: int) -> dict[Role, frozenset[int] | None]:
        return self._grants.get(municipality_id, {})

    @property
    def municipality_ids(self) -> set[int]:
        return set(self._grants)

    def has(
        self, capability: Capability, *, municipality_id: int, area_id: int | None = None
    ) -> bool:
        if self.is_superuser:
            return True
        for role, areas in self.roles_in(municipality_id).items():
            if capability not in ROLE_CAPABILITIES[role]:
                continue
            if capability in AREA_BOUND and areas is not None:
                if area_id is not None and area_id in areas:
                    return True
                continue
            return True
        return False

    def area_ids_with(self, capability: Capability, municipality_id: int) -> frozenset[int] | None:
        """The areas where ``capability`` holds; None means all areas of the municipality."""
        if self.is_superuser:
            return None
        scoped: set[int] = set()
        for role, areas in self.roles_in(municipality_id).items():
            if capability not in ROLE_CAPABILITIES[role]:
                continue
            if capability in AREA_BOUND and areas is not None:
                scoped |= areas
            else:
                return None
        return frozenset(scoped)

    def holds_in(self, capability: Capability, municipality_id: int) -> bool:
        """Whether ``capability`` holds anywhere in the municipality.

        An area-bound capability holds there when the role has at least one area, or when the
        capability also covers what belongs to no area (:data:`HELD_WITHOUT_AREAS`).
        """
        if self.is_superuser:
            return True
        for role, areas in self.roles_in(municipality_id).items():
            if capability not in ROLE_CAPABILITIES[role]:
                continue
            if (
                capability in AREA_BOUND
                and areas is not None
                and not areas
                and capability not in HELD_WITHOUT_AREAS
            ):
                continue
            return True
        return False

    def municipality_ids_with(self, *capabilities: Capability) -> set[int] | None:
        """Municipalities where any of ``capabilities`` holds; None means every municipality."""
        if self.is_superuser:
            return None
        return {
            m
            for m in self._grants
            if any(self.holds_in(capability, m) for capability in capabilities)
        }

    def municipalities_with(self, *capabilities: Capability) -> QuerySet[Municipality]:
        """The municipalities (by name) where the user may do what any of ``capabilities``
        allows: the one answer to 'the municipalities where the user may X'."""
        from kvarter.areas.models import Municipality

        ids = self.municipality_ids_with(*capabilities)
        municipalities = Municipality.objects.order_by("name")
        return municipalities if ids is None else municipalities.filter(pk__in=ids)

    # Named capabilities: what doors and templates ask.

    def can_view_area(self, area: Area) -> bool:
        # Area names, boundaries and the police classification are public information; the
        # public page per area depends on it.
        return True

    def can_change_area(self, area: Area) -> bool:
        return self.has(
            Capability.CHANGE_AREA, municipality_id=area.municipality_id, area_id=area.pk
        )

    def can_create_area(self, municipality: Municipality) -> bool:
        return self.has(Capability.CREATE_AREA, municipality_id=municipality.pk)

    def can_view_organisation(self, organisation: Organisation) -> bool:
        return self.has(
            Capability.VIEW_MUNICIPALITY_INTERNALS, municipality_id=organisation.municipality_id
        )

    def can_change_organisation(self, organisation: Organisation) -> bool:
        return self.has(
            Capability.CHANGE_ORGANISATION, municipality_id=organisation.municipality_id
        )

    def can_create_organisation(self, municipality: Municipality) -> bool:
        return self.has(Capability.CHANGE_ORGANISATION, municipality_id=municipality.pk)

    def has_role_admin(self, municipality: Municipality) -> bool:
        """May give and take roles in the municipality (administrators)."""
        return self.has(Capability.CHANGE_ORGANISATION, municipality_id=municipality.pk)

    def can_change_plans_of(self, municipality_id: int) -> bool:
        """May create and edit the municipality's action plans (administrators, strategists)."""
        return self.has(Capability.CHANGE_PLAN, municipality_id=municipality_id)

    def can_manage_rounds_of(self, municipality_id: int) -> bool:
        """May open and close follow-up rounds and report on any measure (strategists)."""
        return self.has(Capability.MANAGE_ROUNDS, municipality_id=municipality_id)

    def measure_area_ids(self, municipality_id: int) -> frozenset[int] | None:
        """Areas whose measures the user may read; None: every measure of the municipality.

        An empty set still admits measures that name no area: those concern the whole
        municipality, so every area's coordinator follows them.
        """
        return self.area_ids_with(Capability.VIEW_PLANS, municipality_id)

    def municipality_ids_with_plans(self) -> set[int] | None:
        """Municipalities whose plans the user may read; None means every municipality."""
        return self.municipality_ids_with(Capability.VIEW_PLANS)

    def can_view_plans_of(self, municipality_id: int) -> bool:
        municipalities = self.municipality_ids_with_plans()
        return municipalities is None or municipality_id in municipalities

    def can_report_on(self, measure: Any, unit_ids: Iterable[int]) -> bool:
        """May report status on ``measure``, whose responsible units are ``unit_ids``."""
        municipality_id = measure.plan.municipality_id
        if self.can_manage_rounds_of(municipality_id):
            return True
        if not self.has(Capability.REPORT_STATUS, municipality_id=municipality_id):
            return False
        own = getattr(self.user, "organisation_id", None)
        return own is not None and own in set(unit_ids)

    def can_import_shared_figures(self) -> bool:
        """May import national and county figures, shared by every municipality."""
        return self.is_superuser or any(
            self.has(Capability.IMPORT_SHARED_FIGURES, municipality_id=municipality_id)
            for municipality_id in self.municipality_ids
        )

    def can_view_audit_log(self, municipality: Municipality) -> bool:
        return self.has(Capability.VIEW_AUDIT_LOG, municipality_id=municipality.pk)

    def can_view_raw_incidents(self, area: Area) -> bool:
        return self.has(
            Capability.VIEW_RAW_INCIDENTS, municipality_id=area.municipality_id, area_id=area.pk
        )

    def raw_incident_area_ids(self, municipality_id: int) -> frozenset[int] | None:
        """Areas whose raw reports the user may read (None: all); empty: aggregates only."""
        return self.area_ids_with(Capability.VIEW_RAW_INCIDENTS, municipality_id)

    def can_file_incidents(self, municipality_id: int) -> bool:
        return self.has(Capability.FILE_INCIDENTS, municipality_id=municipality_id)

    def can_view_incident_aggregates(self, municipality_id: int) -> bool:
        """Counts with small numbers suppressed: every signed-in user of the municipality."""
        return self.has(Capability.VIEW_MUNICIPALITY_INTERNALS, municipality_id=municipality_id)

    def can_review_reports(self, municipality_id: int) -> bool:
        """May review pending EST reports somewhere in the municipality (EST members)."""
        return self.holds_in(Capability.REVIEW_REPORTS, municipality_id)

    def review_area_ids(self, municipality_id: int) -> frozenset[int] | None:
        """Areas whose pending reports the user may review (None: all)."""
        return self.area_ids_with(Capability.REVIEW_REPORTS, municipality_id)

    def can_manage_est_catalogue(self, municipality_id: int) -> bool:
        """May change the EST categories and resources (administrators; EST members)."""
        return self.holds_in(Capability.MANAGE_EST_CATALOGUE, municipality_id)

    def can_manage_places_in(self, area: Area) -> bool:
        """May change the named places of ``area`` (administrators; the area's EST members)."""
        return self.has(
            Capability.MANAGE_EST_CATALOGUE, municipality_id=area.municipality_id, area_id=area.pk
        )

    def can_change_est_settings(self, municipality_id: int) -> bool:
        """May switch the review step on or off (administrators)."""
        return self.has(Capability.CHANGE_EST_SETTINGS, municipality_id=municipality_id)

    def can_import_incident_history(self, municipality_id: int) -> bool:
        """May import earlier EST reports (administrators, EST members)."""
        return self.has(Capability.IMPORT_INCIDENT_HISTORY, municipality_id=municipality_id)

    def can_plan_deployments(self, area: Area) -> bool:
        """May decide, record and read deployments in ``area`` (its EST members)."""
        return self.has(
            Capability.PLAN_DEPLOYMENTS, municipality_id=area.municipality_id, area_id=area.pk
        )

    def deployment_area_ids(self, municipality_id: int) -> frozenset[int] | None:
        """Areas whose deployments the user may read and decide (None: all)."""
        return self.area_ids_with(Capability.PLAN_DEPLOYMENTS, municipality_id)

    def can_manage_problem_places_in(self, area: Area) -> bool:
        """May flag, edit, link and close problem places in ``area`` (its EST members)."""
        return self.has(
            Capability.MANAGE_PROBLEM_PLACES,
            municipality_id=area.municipality_id,
            area_id=area.pk,
        )

    def problem_place_area_ids(self, municipality_id: int) -> frozenset[int] | None:
        """Areas where the user may flag and edit problem places (None: all)."""
        return self.area_ids_with(Capability.MANAGE_PROBLEM_PLACES, municipality_id)

    def can_import_indicators(self, municipality_id: int | None) -> bool:
        """May import indicator values for the municipality (None: for any region, which only
        superusers and the installation itself may)."""
        if municipality_id is None:
            return self.is_superuser
        return self.has(Capability.IMPORT_INDICATORS, municipality_id=municipality_id)


def resolver_for(user: Any) -> PermissionResolver:
    """The resolver of a logged-in user (cached on it) or a fresh one for the anonymous public."""
    if user is not None and user.is_authenticated:
        resolver: PermissionResolver = user.permissions
        return resolver
    return PermissionResolver(user if user is SYSTEM else None)
