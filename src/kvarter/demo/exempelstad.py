"""Exempelstad: areas, organisations and one user per role.

Built only through services, so the demo also proves that the write path works, and re-running
it changes nothing. Tests reuse it (``tests/conftest.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from django.db import transaction

from kvarter.accounts.models import Organisation, OrganisationKind, User
from kvarter.accounts.roles import Role
from kvarter.accounts.services import organisation_create, role_assign, user_create
from kvarter.areas.importers import parse_areas
from kvarter.areas.models import Area, Municipality, PoliceClass
from kvarter.areas.services import areas_import, police_classification_set
from kvarter.core.actors import SYSTEM
from kvarter.demo.exempelstad_est import build_est
from kvarter.demo.exempelstad_est_history import build_est_history
from kvarter.demo.exempelstad_indicators import build_indicators
from kvarter.demo.exempelstad_plan import build_plan

MUNICIPALITY_CODE = "9999"
MUNICIPALITY_NAME = "Exempelstad"
DEMO_PASSWORD = "exempelstad-demo"  # noqa: S105 - printed on purpose; demo refuses production

ORGANISATIONS: list[tuple[str, str, OrganisationKind]] = [
    ("Exempelstads kommun", "", OrganisationKind.MUNICIPALITY),
    ("Kommunledningsförvaltningen", "KLF", OrganisationKind.MUNICIPAL_UNIT),
    ("Socialförvaltningen", "SOF", OrganisationKind.MUNICIPAL_UNIT),
    ("Utbildnings- och arbetsmarknadsförvaltningen", "UAF", OrganisationKind.MUNICIPAL_UNIT),
    ("Kultur- och fritidsförvaltningen", "KoF", OrganisationKind.MUNICIPAL_UNIT),
    ("Miljö- och samhällsbyggnadsförvaltningen", "MoS", OrganisationKind.MUNICIPAL_UNIT),
    ("Lokalpolisområde Exempelstad", "Polisen", OrganisationKind.POLICE),
    ("Räddningstjänsten Exempelstad", "RTJ", OrganisationKind.RESCUE_SERVICE),
    ("Exempelhem AB", "Exempelhem", OrganisationKind.HOUSING_COMPANY),
    ("Föreningen Norrby Framåt", "", OrganisationKind.CIVIL_SOCIETY),
]

# The Police's list, as an area's history might look; Norrby has left the list.
POLICE_HISTORY: dict[str, list[tuple[int, PoliceClass]]] = {
    "Norrby": [
        (2015, PoliceClass.VULNERABLE),
        (2017, PoliceClass.ESPECIALLY_VULNERABLE),
        (2019, PoliceClass.ESPECIALLY_VULNERABLE),
        (2021, PoliceClass.VULNERABLE),
        (2023, PoliceClass.VULNERABLE),
        (2025, PoliceClass.NONE),
    ],
    "Västerdal": [(year, PoliceClass.VULNERABLE) for year in (2015, 2017, 2019, 2021, 2023, 2025)],
    "Åsen": [
        (2019, PoliceClass.RISK),
        (2021, PoliceClass.RISK),
        (2023, PoliceClass.VULNERABLE),
        (2025, PoliceClass.VULNERABLE),
    ],
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    organisation: str
    role: Role | None
    areas: tuple[str, ...] = ()
    is_superuser: bool = False


DEMO_USERS = [
    DemoUser("admin", "Alva", "Admin", "Kommunledningsförvaltningen", Role.ADMINISTRATOR),
    DemoUser("strateg", "Sara", "Strateg", "Kommunledningsförvaltningen", Role.STRATEGIST),
    DemoUser(
        "samordnare",
        "Omar",
        "Samordnare",
        "Kommunledningsförvaltningen",
        Role.AREA_COORDINATOR,
        ("Norrby", "Åsen"),
    ),
    DemoUser("rapportor", "Rita", "Rapportör", "Socialförvaltningen", Role.UNIT_REPORTER),
    DemoUser(
        "est",
        "Erik",
        "Områdespolis",
        "Lokalpolisområde Exempelstad",
        Role.EST_MEMBER,
        ("Norrby", "Västerdal"),
    ),
    DemoUser("lasare", "Lena", "Läsare", "Föreningen Norrby Framåt", Role.READER),
    # A municipal host who files EST reports from a phone anywhere in the municipality.
    DemoUser("vard", "Vera", "Värd", "Kultur- och fritidsförvaltningen", Role.EST_REPORTER),
]


def areas_file_bytes() -> bytes:
    return resources.files("kvarter.demo").joinpath("exempelstad-areas.geojson").read_bytes()


@transaction.atomic
def build(
    *, with_plan: bool = True, with_indicators: bool = False, with_est_history: bool = False
) -> Municipality:
    """Create (or bring up to date) Exempelstad; safe to run again.

    ``with_plan=False`` leaves out the action plan and its follow-up rounds, for tests that
    need a municipality without plans. ``with_indicators=True`` (as ``kvarter demo`` does)
    imports ten years of invented indicator values and computes the area types, before the
    plan so that its goals can read them (:mod:`kvarter.demo.exempelstad_indicators`).
    ``with_est_history=True`` (as ``kvarter demo`` does) imports about 60 weeks of EST reports
    up to now, with deployments and a problem place, after the plan
    (:mod:`kvarter.demo.exempelstad_est_history`).
    """
    municipality, _ = areas_import(
        actor=SYSTEM,
        municipality_code=MUNICIPALITY_CODE,
        municipality_name=MUNICIPALITY_NAME,
        rows=parse_areas(areas_file_bytes()),
    )
    areas = {a.name: a for a in Area.objects.filter(municipality=municipality)}
    for area_name, history in POLICE_HISTORY.items():
        for year, classification in history:
            police_classification_set(
                actor=SYSTEM, area=areas[area_name], year=year, classification=classification
            )

    organisations = {o.name: o for o in Organisation.objects.filter(municipality=municipality)}
    parent = organisations.get(ORGANISATIONS[0][0])
    for name, short_name, kind in ORGANISATIONS:
        if name in organisations:
            continue
        organisations[name] = organisation_create(
            actor=SYSTEM,
            municipality=municipality,
            name=name,
            short_name=short_name,
            kind=kind,
            parent=parent if kind == OrganisationKind.MUNICIPAL_UNIT else None,
        )
        if kind == OrganisationKind.MUNICIPALITY:
            parent = organisations[name]

    for demo_user in DEMO_USERS:
        user = User.objects.filter(username=demo_user.username).first()
        if user is None:
            user = user_create(
                actor=SYSTEM,
                username=demo_user.username,
                password=DEMO_PASSWORD,
                organisation=organisations[demo_user.organisation],
                first_name=demo_user.first_name,
                last_name=demo_user.last_name,
            )
        if demo_user.role is not None:
            role_assign(
                actor=SYSTEM,
                user=user,
                role=demo_user.role,
                municipality=municipality,
                areas=[areas[name] for name in demo_user.areas],
            )
    build_est(municipality)
    if with_indicators:
        build_indicators(municipality)
    if with_plan:
        build_plan(municipality)
    if with_est_history:
        build_est_history(municipality)
    return municipality
