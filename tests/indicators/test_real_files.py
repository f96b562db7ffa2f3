"""Acceptance 1: real statistics files import, and stored cells equal the cells in the file.

The real files are the SCB PxWeb v2 responses in tests/indicators/data/ (see its README) and
every file in ../shared/data/statistics/ when that folder holds any. Expected values are read
from the files themselves, never typed in here.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.factories import IndicatorFactory, MunicipalityFactory

from kvarter.core.actors import SYSTEM
from kvarter.indicators.models import IndicatorValue
from kvarter.indicators.services import indicator_file_import

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "statistics"
SHARED_FILES = (
    sorted(p for p in SHARED.glob("*") if p.suffix.lower() in {".json", ".csv"})
    if SHARED.is_dir()
    else []
)
RETRIEVED = dt.date(2025, 3, 1)


def _stored(indicator, period: str, sex: str) -> IndicatorValue:
    return IndicatorValue.objects.get(
        indicator=indicator, region_code="00", period=period, sex=sex, area=None
    )


def test_real_scb_files__imported__three_cells_equal_the_files() -> None:
    MunicipalityFactory(code="0580", name="Linköping")
    tab638 = DATA / "scb_v2_TAB638_folkmangd_riket.json"
    tab5974 = DATA / "scb_v2_TAB5974_folkmangd_kon.json"
    population = IndicatorFactory(
        code="folkmangd-test", scb_measure="BE0101N1", scb_table="TAB638", unit="count"
    )
    by_birth = IndicatorFactory(code="folkmangd-kon-test", unit="count")

    first = indicator_file_import(
        actor=SYSTEM, data=tab638.read_bytes(), file_name=tab638.name, retrieved_on=RETRIEVED
    )
    second = indicator_file_import(
        actor=SYSTEM,
        data=tab5974.read_bytes(),
        file_name=tab5974.name,
        indicator_code=by_birth.code,
        retrieved_on=RETRIEVED,
    )

    assert first.added == 1 and second.added >= 2
    source638 = json.loads(tab638.read_bytes())
    assert _stored(population, "2024", "M").value == source638["value"][0]
    source5974 = json.loads(tab5974.read_bytes())
    kon = source5974["dimension"]["Kon"]["category"]["index"]
    (year,) = source5974["dimension"]["Tid"]["category"]["index"]
    assert _stored(by_birth, year, "M").value == source5974["value"][kon["1"]]
    assert _stored(by_birth, year, "K").value == source5974["value"][kon["2"]]
    assert _stored(by_birth, year, "M").source == "SCB TAB5974"
    assert _stored(by_birth, year, "M").retrieved_on == RETRIEVED


@pytest.mark.skipif(not SHARED_FILES, reason="../shared/data/statistics/ holds no files yet")
@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: p.name)
def test_shared_statistics_file__imports_without_problems(path: Path, demo) -> None:
    batch = indicator_file_import(
        actor=SYSTEM,
        data=path.read_bytes(),
        file_name=path.name,
        municipality=demo,
        retrieved_on=RETRIEVED,
    )
    assert batch.added > 0
