"""The starter catalogue: well-formed rows, real-looking source ids, and a reversible migration."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from tests.factories import IndicatorValueFactory

from kvarter.indicators.catalogue import (
    CATALOGUE_V2,
    STARTER_CATALOGUE_V1,
    STARTER_CODES,
    current_catalogue,
)
from kvarter.indicators.models import (
    Direction,
    Indicator,
    Periodicity,
    SourceKind,
    Unit,
    indicator_code_validator,
)

KOLADA_KPI_RE = re.compile(r"^[NU]\d{5}$")  # Kolada: N (municipal) or U (own survey) + 5 digits
SCB_TABLE_RE = re.compile(r"^TAB\d{2,5}$")  # PxWeb v2 table ids
SCB_CONTENTS_RE = re.compile(r"^[0-9A-Z]{8}$")  # PxWeb ContentsCode, e.g. 000005MO

MIGRATION = ("indicators", "0003_starter_catalogue")
V2_MIGRATION = ("indicators", "0004_catalogue_area_type_inputs")
BEFORE = ("indicators", "0002_import_batch_notes")

CURRENT = current_catalogue()
CURRENT_CODES = {str(row["code"]) for row in CURRENT}
ROWS = [pytest.param(row, id=str(row["code"])) for row in (*STARTER_CATALOGUE_V1, *CATALOGUE_V2)]


def test_catalogue__codes__are_unique() -> None:
    codes = [row["code"] for row in STARTER_CATALOGUE_V1]
    assert len(codes) == len(set(codes)) == len(STARTER_CODES)


def test_catalogue__covers_the_issue_list() -> None:
    names = " ".join(str(row["name_sv"]).lower() for row in STARTER_CATALOGUE_V1)
    for word in [
        "förvärvsfrekvens",
        "ekonomiskt bistånd",
        "långvarigt ekonomiskt bistånd",
        "förgymnasial",
        "gymnasial utbildning",
        "eftergymnasial",
        "behöriga till yrkesprogram",
        "meritvärde",
        "alla ämnen",
        "ohälsotal",
        "sjuk- och aktivitetsersättning",
        "valdeltagande",
        "folkmängd",
        "0–19 år",
        "utrikes födda",
        "trångbodda",
        "anmälda brott",
        "trygga",
        "attraktivt",
        "låg ekonomisk standard",
    ]:
        assert word in names, word


@pytest.mark.parametrize("row", ROWS)
def test_catalogue__row__has_valid_choices(row: dict[str, object]) -> None:
    indicator_code_validator(str(row["code"]))
    assert row["unit"] in Unit.values
    assert row["direction"] in Direction.values
    assert row["source_kind"] in SourceKind.values
    assert row["periodicity"] in Periodicity.values
    assert row["name_sv"] and row["name_en"] and row["definition"]
    assert isinstance(row["decimals"], int) and 0 <= row["decimals"] <= 3


@pytest.mark.parametrize("row", ROWS)
def test_catalogue__source_ids__have_the_sources_format(row: dict[str, object]) -> None:
    kolada, table, measure = row["kolada_kpi"], row["scb_table"], row["scb_measure"]
    assert kolada == "" or KOLADA_KPI_RE.match(str(kolada)), kolada
    assert table == "" or SCB_TABLE_RE.match(str(table)), table
    assert measure == "" or SCB_CONTENTS_RE.match(str(measure)), measure
    # A ContentsCode only means something inside its table.
    assert not measure or table
    # Where no id could be confirmed the note says where the figures come from.
    if row["source_kind"] in ("kolada", "scb") and not (kolada or table):
        assert row["source_note"], row["code"]
    if row["source_kind"] == "survey":
        assert not (kolada or table)
        assert row["suppression_threshold"]


@pytest.mark.django_db
def test_migration__created_the_catalogue_rows_that_pass_model_validation() -> None:
    stored = {i.code: i for i in Indicator.objects.filter(code__in=CURRENT_CODES)}
    assert set(stored) == CURRENT_CODES
    for row in CURRENT:
        indicator = stored[str(row["code"])]
        for field, value in row.items():
            assert getattr(indicator, field) == value, (row["code"], field)
        try:
            indicator.full_clean()
        except ValidationError as error:  # pragma: no cover - the message names the field
            pytest.fail(f"{indicator.code}: {error}")


@pytest.mark.django_db(transaction=True)
def test_migration__is_reversible_and_idempotent() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    assert not Indicator.objects.filter(code__in=CURRENT_CODES).exists()

    executor = MigrationExecutor(connection)
    executor.migrate([MIGRATION])
    assert Indicator.objects.filter(code__in=STARTER_CODES).count() == len(STARTER_CODES)

    # Forward again over existing rows (a re-run): still one row per code, fields restored.
    Indicator.objects.filter(code="befolkning").update(name_sv="ändrat")
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    executor = MigrationExecutor(connection)
    executor.migrate([MIGRATION])
    assert Indicator.objects.get(code="befolkning").name_sv == "Folkmängd"
    assert Indicator.objects.filter(code__in=STARTER_CODES).count() == len(STARTER_CODES)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_migration__reverse_keeps_an_indicator_that_holds_values() -> None:
    # A transactional test starts from flushed tables: put the catalogue back first.
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    executor = MigrationExecutor(connection)
    executor.migrate([MIGRATION])
    indicator = Indicator.objects.get(code="befolkning")
    IndicatorValueFactory(indicator=indicator, value=1234.0)
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    remaining = set(Indicator.objects.filter(code__in=STARTER_CODES).values_list("code", flat=True))
    assert remaining == {"befolkning"}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Indicator.objects.filter(code__in=STARTER_CODES).count() == len(STARTER_CODES)


@pytest.mark.django_db(transaction=True)
def test_migration__version_2_applies_and_reverts() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    executor = MigrationExecutor(connection)
    executor.migrate([MIGRATION])
    v1 = {str(r["code"]): r for r in STARTER_CATALOGUE_V1}
    v2 = {str(r["code"]): r for r in CATALOGUE_V2}
    changed = sorted(set(v1) & set(v2))
    added = sorted(set(v2) - set(v1))
    assert changed and added
    assert not Indicator.objects.filter(code__in=added).exists()

    executor = MigrationExecutor(connection)
    executor.migrate([V2_MIGRATION])
    for code in changed + added:
        assert Indicator.objects.get(code=code).definition == v2[code]["definition"]

    executor = MigrationExecutor(connection)
    executor.migrate([MIGRATION])
    assert not Indicator.objects.filter(code__in=added).exists()
    for code in changed:
        assert Indicator.objects.get(code=code).definition == v1[code]["definition"]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
