"""`kvarter import-incidents`: exit status, output, nothing changed on problems, no leaks."""

from __future__ import annotations

import pytest
from django.core.management import call_command, execute_from_command_line
from tests.factories import (
    AreaFactory,
    IncidentCategoryFactory,
    MunicipalityFactory,
    OrganisationFactory,
)

from kvarter.safety.models import IncidentReport

pytestmark = pytest.mark.django_db

HEADER = "id;tidpunkt;kategori;område;lat;lon;rapportör_organisation;beskrivning;allvarlighet"
PERSONNUMMER = "19850101-1236"  # Luhn-valid
PHONE = "070-123 45 67"


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    # A command run from the command line ends by closing every connection, which on
    # PostgreSQL would also end the test's transaction.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)


@pytest.fixture
def municipality():
    municipality = MunicipalityFactory(code="9877")
    AreaFactory(municipality=municipality, name="Centrum")  # the factory square
    IncidentCategoryFactory(municipality=municipality, name="Klotter")
    OrganisationFactory(municipality=municipality, name="Polisen")
    return municipality


def _file(tmp_path, *rows: str):
    path = tmp_path / "historik.csv"
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="utf-8")
    return str(path)


def test_command__good_file__summary_and_exit_0(tmp_path, municipality, capsys) -> None:
    path = _file(tmp_path, "k1;2025-03-14T22:15;Klotter;;59.005;15.005;Polisen;Klotter;1")
    execute_from_command_line(["kvarter", "import_incidents", path, "--municipality", "9877"])
    out = capsys.readouterr().out
    assert "1 tillagda/added" in out and "0 redan importerade" in out
    assert IncidentReport.objects.count() == 1
    execute_from_command_line(["kvarter", "import_incidents", path, "--municipality", "9877"])
    assert "0 tillagda/added, 1 redan importerade" in capsys.readouterr().out
    assert IncidentReport.objects.count() == 1


def test_command__dry_run__nothing_saved(tmp_path, municipality, capsys) -> None:
    path = _file(tmp_path, "k1;2025-03-14T22:15;Klotter;Centrum;;;Polisen;;")
    call_command("import_incidents", path, municipality="9877", dry_run=True)
    assert "Provkörning" in capsys.readouterr().out
    assert IncidentReport.objects.count() == 0


def test_command__problems__listed_exit_1_nothing_changed_no_personal_data_shown(
    tmp_path, municipality, capsys
) -> None:
    path = _file(
        tmp_path,
        "k1;2025-03-14T22:15;Klotter;Centrum;;;Polisen;;",
        f"k2;2025-03-14T22:15;Klotter;Centrum;;;Polisen;Sågs av {PERSONNUMMER};",
        f"k3;2025-03-14T22:15;Klotter;Centrum;;;Polisen;Ring {PHONE};",
        f"{PERSONNUMMER};2025-03-14T22:15;Inbrott;Centrum;;;Polisen;;",
    )
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["kvarter", "import_incidents", path, "--municipality", "9877"])
    assert exit_.value.code == 1
    output = capsys.readouterr()
    everything = output.out + output.err
    assert "rad/row 3\tbeskrivning" in everything and "personnummer" in everything
    assert "rad/row 4\tbeskrivning" in everything and "telefonnummer" in everything
    assert "rad/row 5\tkategori" in everything
    assert "Inget importerades" in everything
    for secret in (PERSONNUMMER, "8501011236", "850101", PHONE, "1234567"):
        assert secret not in everything
    assert IncidentReport.objects.count() == 0


def test_command__unknown_municipality__error(tmp_path, municipality) -> None:
    path = _file(tmp_path, "k1;2025-03-14T22:15;Klotter;Centrum;;;Polisen;;")
    with pytest.raises(Exception, match="9999"):
        call_command("import_incidents", path, municipality="9999")


HOSTILE = (
    "198501011236",
    "850101-1236",
    "850101+1236",
    "19850161-1233",  # a samordningsnummer (day + 60)
    "+46 70 123 45 67",
    "08-123 456 78",
    "anna.svensson@example.se",
)


def test_command__hostile_texts__nowhere_in_output_logs_or_database(
    tmp_path, municipality, capsys, caplog
) -> None:
    import io
    import logging

    caplog.set_level(logging.DEBUG)
    rows = [
        f"h{n};2025-03-14T22:15;Klotter;Centrum;;;Polisen;Sågs vid porten {secret} i kväll;"
        for n, secret in enumerate(HOSTILE)
    ]
    path = _file(tmp_path, "ok;2025-03-14T22:15;Klotter;Centrum;;;Polisen;Klotter;", *rows)
    with pytest.raises(SystemExit):
        execute_from_command_line(["kvarter", "import_incidents", path, "--municipality", "9877"])
    output = capsys.readouterr()
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    for secret in HOSTILE:
        for place in (output.out, output.err, caplog.text, dump.getvalue()):
            assert secret not in place
    assert output.err.count("\tbeskrivning\t") == len(HOSTILE)
    assert IncidentReport.objects.count() == 0
