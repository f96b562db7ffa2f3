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
    EST_REPORTER = "est_reporter", _("EST reporter")
    READER = "reader", _("reader")


class Capability(StrEnum):
    VIEW_MUNICIPALITY_INTERNALS = "view_municipality_internals"  # organisations, internal pages
    CHANGE_AREA = "change_area"
    CREATE_AREA = "create_area"
    CHANGE_ORGANISATION = "change_organisation"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_RAW_INCIDENTS = "view_raw_incidents"
    CHANGE_PLAN = "change_plan"  # create and edit action plans, goal areas and measures
    VIEW_PLANS = "view_plans"  # read plans, measures and follow-up (area-bound for scoped roles)
    REPORT_STATUS = "report_status"  # report on the measures of one's own organisation
    MANAGE_ROUNDS = "manage_rounds"  # open and close follow-up rounds, report on any measure
    FILE_INCIDENTS = "file_incidents"  # file EST incident reports (and see one's own)
    REVIEW_REPORTS = "review_reports"  # approve or reject pending EST reports (granskning)
    MANAGE_EST_CATALOGUE = "manage_est_catalogue"  # EST categories, resources, named places
    CHANGE_EST_SETTINGS = "change_est_settings"  # the municipality's EST settings (review step)
    IMPORT_INCIDENT_HISTORY = "import_incident_history"  # import earlier EST reports from a file
    PLAN_DEPLOYMENTS = "plan_deployments"  # decide deployments, record outcomes, read them
    MANAGE_PROBLEM_PLACES = "manage_problem_places"  # flag, edit, link and close problem places
    IMPORT_INDICATORS = "import_indicators"  # import indicator values for the municipality
    # Import the nation's (region 00) and the counties' figures, which every municipality of the
    # installation shares: an installation operator's right, so no municipal role holds it and
    # only superusers (and the installation itself: CLI, jobs) have it.
    IMPORT_SHARED_FIGURES = "import_shared_figures"


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
            Capability.VIEW_PLANS,
            Capability.MANAGE_ROUNDS,
            Capability.MANAGE_EST_CATALOGUE,
            Capability.CHANGE_EST_SETTINGS,
            Capability.IMPORT_INCIDENT_HISTORY,
            Capability.IMPORT_INDICATORS,
        }
    ),
    Role.STRATEGIST: frozenset(
        {
            Capability.VIEW_MUNICIPALITY_INTERNALS,
            Capability.CHANGE_AREA,
            Capability.VIEW_AUDIT_LOG,
            Capability.CHANGE_PLAN,
            Capability.VIEW_PLANS,
            Capability.MANAGE_ROUNDS,
            Capability.IMPORT_INDICATORS,
        }
    ),
    # Area-scoped: CHANGE_AREA holds for the coordinator's own areas only.
    Role.AREA_COORDINATOR: frozenset(
        {Capability.VIEW_MUNICIPALITY_INTERNALS, Capability.CHANGE_AREA, Capability.VIEW_PLANS}
    ),
    # REPORT_STATUS holds for measures the reporter's own organisation is responsible for.
    Role.UNIT_REPORTER: frozenset(
        {Capability.VIEW_MUNICIPALITY_INTERNALS, Capability.VIEW_PLANS, Capability.REPORT_STATUS}
    ),
    # Area-scoped: raw incident reports, review, places of the catalogue, deployments and
    # problem places of the member's own areas only (the operational group of EST). The
    # categories and resources of the catalogue, and the history import, are the whole
    # municipality's: a member of any of its areas may change them.
    Role.EST_MEMBER: frozenset(
        {
            Capability.VIEW_MUNICIPALITY_INTERNALS,
            Capability.VIEW_RAW_INCIDENTS,
            Capability.VIEW_PLANS,
            Capability.FILE_INCIDENTS,
            Capability.REVIEW_REPORTS,
            Capability.MANAGE_EST_CATALOGUE,
            Capability.IMPORT_INCIDENT_HISTORY,
            Capability.PLAN_DEPLOYMENTS,
            Capability.MANAGE_PROBLEM_PLACES,
        }
    ),
    # A trained reporter of an actor (kommunvärd, väktare, fältgrupp) files observations anywhere
    # in the municipality but reads no one else's raw reports.
    Role.EST_REPORTER: frozenset({Capability.FILE_INCIDENTS}),
    Role.READER: frozenset({Capability.VIEW_MUNICIPALITY_INTERNALS, Capability.VIEW_PLANS}),
}
