"""The import service: parse + store through one door, who may import, dry run, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from tests.factories import AreaFactory, IndicatorFactory, MunicipalityFactory, UserFactory
from tests.indicators import generated

from kvarter.accounts.roles import Role
from kvarter.core.actors import SYSTEM
from kvarter.core.errors import PermissionDenied
from kvarter.core.importing import ImportRejected
from kvarter.indicators.models import ImportBatch, IndicatorValue
from kvarter.indicators.selectors import import_batch_list, importable_municipalities
from kvarter.indicators.services import indicator_file_import

pytestmark = pytest.mark.django_db

REGIONS = ["0580C1010", "0580C1020", "0580R001", "0580", "05", "00"]
YEARS = ["2023", "2024"]
MEASURE = "000005PU"
RETRIEVED = dt.date(2025, 3, 1)


@pytest.fixture
def municipality():
    return MunicipalityFactory(code="0580", name="Linköping")


@pytest.fixture
def indicator():
    return IndicatorFactory(code="test-andel", scb_measure=MEASURE, scb_table="TAB9999")


def _file(regions=REGIONS, suppress_every=5) -> bytes:
    return generated.jsonstat_bytes(
        regions=regions, years=YEARS, measures=(MEASURE,), suppress_every=suppress_every
    )


def _import(actor, municipality, data=None, file_name="tab.json", **kwargs):
    return indicator_file_import(
        actor=actor,
        data=_file() if data is None else data,
        file_name=file_name,
        municipality=municipality,
        retrieved_on=RETRIEVED,
        **kwargs,
    )


def test_import__stores_every_cell_as_the_file_has_it(municipality, indicator) -> None:
    batch = _import(SYSTEM, municipality)

    cells = len(REGIONS) * 3 * len(YEARS)
    assert (batch.added, batch.changed, batch.skipped) == (cells, 0, 0)
    assert batch.source == "SCB TAB9999" and batch.pk is not None
    # Region × Kon × ContentsCode × Tid, row-major: 0580 is region 3, K is Kon 1, 2024 is Tid 1.
    position = ((3 * 3 + 1) * 1 + 0) * 2 + 1
    value = IndicatorValue.objects.get(region_code="0580", sex="K", period="2024")
    assert value.value == generated.cell_value(position)
    assert (value.level, value.retrieved_on, value.source) == (
        "municipality",
        RETRIEVED,
        "SCB TAB9999",
    )
    hidden = IndicatorValue.objects.filter(status="suppressed")
    assert hidden.count() == cells // 5
    assert set(hidden.values_list("value", flat=True)) == {None}


def test_import__again_skips_everything(municipality, indicator) -> None:
    _import(SYSTEM, municipality)
    again = _import(SYSTEM, municipality)
    assert (again.added, again.changed, again.skipped) == (0, 0, len(REGIONS) * 3 * len(YEARS))


def test_import__dry_run_counts_but_writes_nothing(municipality, indicator) -> None:
    phases: set[str] = set()

    batch = _import(SYSTEM, municipality, dry_run=True, progress=lambda p, d, t: phases.add(p))

    assert batch.added == len(REGIONS) * 3 * len(YEARS) and batch.pk is None
    assert not IndicatorValue.objects.exists() and not ImportBatch.objects.exists()
    assert phases == {"parse", "store"}


@pytest.mark.parametrize(
    "data",
    [
        b'{"version": "2.0", "class": "dataset", "id": ["Region"',  # truncated
        b"not,a,table\n1,2,3\n",
    ],
)
def test_import__a_broken_file_changes_nothing(municipality, indicator, data) -> None:
    _import(SYSTEM, municipality)
    before = list(IndicatorValue.objects.values_list("id", "value", "batch_id"))

    with pytest.raises(ImportRejected) as rejected:
        _import(SYSTEM, municipality, data=data)

    assert rejected.value.problems
    assert list(IndicatorValue.objects.values_list("id", "value", "batch_id")) == before
    assert ImportBatch.objects.count() == 1


def test_import__a_non_numeric_cell__is_named_and_nothing_is_stored(
    municipality, indicator
) -> None:
    data = _file().replace(str(generated.cell_value(2)).encode(), b'"12,x"', 1)

    with pytest.raises(ImportRejected):
        _import(SYSTEM, municipality, data=data)

    assert not IndicatorValue.objects.exists()


def test_import__unknown_indicator_code__is_a_problem(municipality, indicator) -> None:
    with pytest.raises(ImportRejected) as rejected:
        _import(SYSTEM, municipality, indicator_code="finns-inte")
    assert [p.code for p in rejected.value.problems] == ["unknown_indicator"]


# --- who may import --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.STRATEGIST, True),
        (Role.AREA_COORDINATOR, False),
        (Role.UNIT_REPORTER, False),
        (Role.EST_MEMBER, False),
        (Role.READER, False),
        (None, False),
    ],
)
def test_import__permission_by_role(municipality, indicator, role, allowed) -> None:
    if role is None:
        user = UserFactory(organisation__municipality=municipality)
    else:
        area = AreaFactory(municipality=municipality)
        user = UserFactory.create_with_role(role, municipality, areas=[area])

    if allowed:
        assert _import(user, municipality).added > 0
        assert ImportBatch.objects.get().imported_by == user
    else:
        with pytest.raises(PermissionDenied):
            _import(user, municipality)
        assert not IndicatorValue.objects.exists()
    assert (municipality in importable_municipalities(user)) is allowed


def test_import__anonymous_and_another_municipalitys_strategist_may_not(
    municipality, indicator
) -> None:
    other = MunicipalityFactory(code="0581")
    strategist = UserFactory.create_with_role(Role.STRATEGIST, other)
    for actor in (AnonymousUser(), strategist):
        with pytest.raises(PermissionDenied):
            _import(actor, municipality)
    with pytest.raises(PermissionDenied):
        _import(strategist, None)


def test_import__a_person_imports_only_their_municipality_and_comparison_levels(
    municipality, indicator
) -> None:
    strategist = UserFactory.create_with_role(Role.STRATEGIST, municipality)
    data = _file(regions=["0580C1010", "0581C1010", "0114", "00"])

    with pytest.raises(ImportRejected) as rejected:
        _import(strategist, municipality, data=data)

    assert [p.code for p in rejected.value.problems] == ["outside_municipality"]
    assert "0114, 0581" in rejected.value.problems[0].message
    assert not IndicatorValue.objects.exists()
    # The installation itself imports any region.
    assert _import(SYSTEM, None, data=data).added == 4 * 3 * len(YEARS)


def test_import_batch_list__shows_imports_of_the_actors_municipalities(
    municipality, indicator
) -> None:
    other = MunicipalityFactory(code="0581")
    strategist = UserFactory.create_with_role(Role.STRATEGIST, municipality)
    colleague = UserFactory.create_with_role(Role.ADMINISTRATOR, municipality)
    stranger = UserFactory.create_with_role(Role.STRATEGIST, other)
    mine = _import(colleague, municipality)
    cli = _import(SYSTEM, municipality, data=_file(suppress_every=3))
    theirs = _import(stranger, other, data=_file(regions=["0581C1010"]))

    assert set(import_batch_list(actor=strategist)) == {mine, cli}
    assert set(import_batch_list(actor=stranger)) == {theirs, cli}


@pytest.mark.parametrize("version", [2, 3])
def test_import__kolada_and_long_csv_go_through_the_same_door(municipality, version) -> None:
    kpi = IndicatorFactory(code="test-kolada", kolada_kpi="U99901", unit="percent")
    data = generated.kolada_bytes(
        version=version,
        kpis=["U99901"],
        municipalities=["0580", "0000"],
        years=[2023, 2024],
        suppress_every=4,
    )

    batch = _import(SYSTEM, municipality, data=data, file_name="kolada.json")

    assert (batch.added, batch.file_format) == (12, "kolada")
    missing = IndicatorValue.objects.filter(indicator=kpi, status="missing")
    assert missing.count() == 3 and set(missing.values_list("value", flat=True)) == {None}
    assert IndicatorValue.objects.filter(region_code="00").count() == 6

    csv = generated.long_csv_bytes([["0580", "test-kolada", "2024", "K", "12,5", "", ""]])
    changed = _import(SYSTEM, municipality, data=csv, file_name="egna.csv")
    assert (changed.added, changed.changed, changed.file_format) == (0, 1, "csv")
    assert IndicatorValue.objects.get(region_code="0580", period="2024", sex="K").value == 12.5


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.STRATEGIST])
def test_import__a_municipalitys_file__leaves_the_shared_nation_and_county_figures_alone(
    municipality, indicator, role
) -> None:
    """Issue 12 item 9: a municipality's import cannot overwrite the nation's or a county's."""
    national = _import(SYSTEM, None, data=_file(regions=["05", "00"], suppress_every=0))
    shared_before = list(
        IndicatorValue.objects.filter(region_code__in=["05", "00"])
        .order_by("pk")
        .values_list("pk", "value", "status", "batch_id")
    )
    assert len(shared_before) == 2 * 3 * len(YEARS) == national.added
    person = UserFactory.create_with_role(role, municipality)

    batch = _import(person, municipality, data=_file(suppress_every=3))

    # The municipality's own figures are stored; the shared ones are left out, with a note.
    own = (len(REGIONS) - 2) * 3 * len(YEARS)
    assert (batch.added + batch.changed + batch.skipped) == own
    assert len(batch.notes) == 1
    # In the language active at the import (Swedish here), not both languages in one text.
    assert "riket och län (00, 05)" in batch.notes[0]
    assert "nation and counties" not in batch.notes[0]
    assert batch.notes[0].startswith("12 ")
    with translation.override("en"):
        english = _import(person, municipality, data=_file(suppress_every=3))
    assert english.notes[0].startswith("12 values for the nation and counties (00, 05)")
    assert "riket" not in english.notes[0]
    shared_after = list(
        IndicatorValue.objects.filter(region_code__in=["05", "00"])
        .order_by("pk")
        .values_list("pk", "value", "status", "batch_id")
    )
    assert shared_after == shared_before
    assert IndicatorValue.objects.filter(region_code="0580", batch=batch).exists()


def test_import__shared_figures_only_from_the_installation_and_superusers(
    municipality, indicator
) -> None:
    from kvarter.accounts.permissions import resolver_for

    superuser = UserFactory(is_superuser=True, is_staff=True)
    administrator = UserFactory.create_with_role(Role.ADMINISTRATOR, municipality)
    assert resolver_for(SYSTEM).can_import_shared_figures()
    assert resolver_for(superuser).can_import_shared_figures()
    assert not resolver_for(administrator).can_import_shared_figures()
    for role in Role:
        assert not resolver_for(
            UserFactory.create_with_role(role, municipality)
        ).can_import_shared_figures(), role

    batch = _import(superuser, municipality, data=_file(regions=["0580", "05", "00"]))

    assert batch.added == 3 * 3 * len(YEARS) and batch.notes == []
    assert IndicatorValue.objects.filter(region_code="00", batch=batch).count() == 3 * len(YEARS)
