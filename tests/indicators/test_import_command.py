"""`kvarter import-indicators`: the summary, every problem listed, exit status, dry run, fetch."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from tests.factories import AreaFactory, IndicatorFactory, MunicipalityFactory
from tests.indicators import generated

from kvarter.areas.models import AreaStatisticalUnit
from kvarter.cli import main
from kvarter.core.progress import RichProgress
from kvarter.indicators.management.commands import import_indicators
from kvarter.indicators.models import ImportBatch, IndicatorValue

pytestmark = pytest.mark.django_db

MEASURE = "000005PU"
UNITS = ["0580C1010", "0580C1020", "0580C1030"]

@pytest.fixture(autouse=True)
def _swedish():
    """Output is asserted in Swedish, whatever language an earlier test left active."""
    with translation.override("sv"):
        yield



@pytest.fixture
def indicator():
    MunicipalityFactory(code="0580", name="Linköping")
    return IndicatorFactory(code="test-andel", scb_measure=MEASURE, unit="count")


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "tab.json"
    path.write_bytes(
        generated.jsonstat_bytes(regions=[*UNITS, "0580"], years=["2024"], measures=(MEASURE,))
    )
    return path


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_indicators", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command__prints_the_summary_and_stores(indicator, table) -> None:
    area = AreaFactory()
    for code in UNITS:
        AreaStatisticalUnit.objects.create(area=area, code=code, kind="deso")

    out, _ = _run(str(table), "--source", "scb", "--retrieved", "2025-02-01")

    assert "12 tillagda, 0 ändrade, 0 oförändrade" in out
    assert "3 områdesvärden summerade" in out
    assert IndicatorValue.objects.filter(region_code__in=UNITS).count() == 9
    assert str(IndicatorValue.objects.first().retrieved_on) == "2025-02-01"

    out, _ = _run(str(table))
    assert "0 tillagda, 0 ändrade, 12 oförändrade" in out


def test_command__dry_run_changes_nothing(indicator, table) -> None:
    out, _ = _run(str(table), "--dry-run")
    assert out.startswith("Provkörning, inget sparat")
    assert "12 tillagda" in out
    assert not IndicatorValue.objects.exists() and not ImportBatch.objects.exists()


def test_command__problems_are_each_listed_and_the_exit_status_is_1(
    indicator, tmp_path: Path, capsys, monkeypatch
) -> None:
    # The console script ends by closing every connection, which on PostgreSQL would also end
    # the test's transaction; the test keeps its connection open.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    path = tmp_path / "bad.csv"
    path.write_text(
        "område;indikator;period;kön;värde\n"
        "0580;test-andel;2024;T;12,5\n"
        "0580;test-andel;2024;K;tolv\n"
        "0580;finns-inte;2024;M;1\n",
        encoding="utf-8",
    )

    with pytest.raises(SystemExit) as exit_:
        main(["kvarter", "import-indicators", str(path), "--source", "csv"])

    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "rad 3\tvärde" in err and "rad 4\tindikator" in err
    assert "Inget importerades: 2 fel." in err
    assert not IndicatorValue.objects.exists()


def test_command__unknown_municipality_and_bad_date_and_missing_file(indicator, table) -> None:
    with pytest.raises(CommandError, match="9999"):
        _run(str(table), "--municipality", "9999")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run(str(table), "--retrieved", "1 mars")
    with pytest.raises(CommandError, match="Kan inte läsa"):
        _run(str(table.with_name("finns-inte.json")))


def test_command__fetch_gets_or_posts_the_query_without_a_file(
    indicator, table, tmp_path, monkeypatch
) -> None:
    requested: list[tuple[str, str, bytes | None]] = []

    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_urlopen(request, timeout):
        requested.append((request.get_method(), request.full_url, request.data))
        return Response(table.read_bytes())

    monkeypatch.setattr(import_indicators.urllib.request, "urlopen", fake_urlopen)
    url = "https://api.scb.se/ov0104/v2beta/api/v2/tables/TAB9999/data?outputFormat=json-stat2"

    out, _ = _run("--fetch", url)

    assert requested == [("GET", url, None)]
    assert "data (SCB TAB9999, json-stat2): 12 tillagda" in out

    query = tmp_path / "query.json"
    query.write_text('{"query": [], "response": {"format": "json-stat2"}}', encoding="utf-8")
    v1 = "https://api.scb.se/OV0104/v1/doris/sv/ssd/BE/BE0101/BE0101A/BefolkningNy"
    out, _ = _run("--fetch", v1, "--query", str(query))
    assert requested[1] == ("POST", v1, query.read_bytes())
    assert "BefolkningNy (SCB TAB9999, json-stat2): 0 tillagda" in out

    with pytest.raises(CommandError, match="http"):
        _run("--fetch", "file:///etc/passwd")
    with pytest.raises(CommandError, match="--fetch"):
        _run(str(table), "--query", str(query))
    with pytest.raises(CommandError, match="inte båda"):
        _run(str(table), "--fetch", url)


def test_command__a_real_scb_response_is_stored_as_the_file_has_it() -> None:
    """SCB's PxWeb v2 answer for TAB638 (tests/indicators/data): the value read from the file."""
    path = Path(__file__).parent / "data" / "scb_v2_TAB638_folkmangd_riket.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    IndicatorFactory(
        code="test-folkmangd", scb_measure="BE0101N1", scb_table="TAB638", unit="count"
    )

    out, _ = _run(str(path), "--retrieved", "2025-01-15")

    assert "1 tillagda" in out
    value = IndicatorValue.objects.get()
    assert (value.region_code, value.level, value.period) == ("00", "nation", "2024")
    assert value.value == document["value"][0]
    assert value.source == "SCB TAB638"
    out, _ = _run(str(path), "--retrieved", "2025-01-15")
    assert "0 tillagda, 0 ändrade, 1 oförändrade" in out


def test_rich_progress__one_bar_per_phase_follows_the_service() -> None:
    with RichProgress(import_indicators.PHASES) as progress:
        progress("parse", 0, 1)
        progress("parse", 1, 1)
        progress("store", 0, 900)
        progress("store", 450, 900)

    tasks = {t.description: (t.completed, t.total) for t in progress.progress.tasks}
    assert tasks == {
        import_indicators.PHASES["parse"]: (1, 1),
        import_indicators.PHASES["store"]: (450, 900),
    }
