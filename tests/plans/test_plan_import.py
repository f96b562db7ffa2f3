"""Action plan import/export: round trips, all-or-nothing rejection, idempotency, the CLI."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from tests.factories import ACTION_PLAN_EXAMPLE

from kvarter.accounts.models import Organisation
from kvarter.core.actors import SYSTEM
from kvarter.core.importing import ImportRejected
from kvarter.core.models import AuditEntry
from kvarter.core.selectors import audit_entries_for
from kvarter.followup.exporting import export_plan, plan_rows
from kvarter.followup.importers import link_units, plan_import
from kvarter.followup.models import FollowUpRound, StatusReport
from kvarter.plans.models import Measure, Plan

EXAMPLE = ACTION_PLAN_EXAMPLE
HEADER = (
    "Nr;Utvecklingsområde;Åtgärd;Beskrivning;Område;Ansvarig;Finansiering och tid;"
    "Status;Kommentar;Hantering nästa plan"
)

@pytest.fixture(autouse=True)
def _swedish():
    """Messages are asserted in Swedish, whatever language an earlier test left active."""
    with translation.override("sv"):
        yield



def _import(demo, raw: bytes, filename: str = "plan.csv", plan: str = "Plan A", **kwargs):
    return plan_import(
        actor=SYSTEM,
        municipality=demo,
        plan_name=plan,
        year=2025,
        raw=raw,
        filename=filename,
        **kwargs,
    )


def _snapshot(plan: Plan) -> dict[str, tuple]:
    reports = {r.measure.number: r for r in StatusReport.objects.filter(round__plan=plan)}
    result = {}
    for m in plan.measures.all():
        report = reports.get(m.number)
        result[m.number] = (
            m.goal_area.number,
            m.goal_area.name,
            m.title,
            m.description,
            frozenset(a.name for a in m.areas.all()),
            m.responsible_text,
            frozenset(u.pk for u in m.responsible_units.all()),
            m.financing,
            m.extra,
            (report.status, report.comment, report.disposition, report.merged_into_id)
            if report
            else None,
        )
    return result


def _counts() -> tuple[int, ...]:
    return (
        Plan.objects.count(),
        Measure.objects.count(),
        StatusReport.objects.count(),
        FollowUpRound.objects.count(),
        AuditEntry.objects.count(),
    )


def _lines(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


# --- Acceptance: the example file, exported and imported again -----------------------------


@pytest.mark.django_db
def test_example_file__imported__measures_units_and_reports_stored(demo):
    result = _import(demo, EXAMPLE.read_bytes(), "action-plan-example.csv")

    assert result.plan is not None
    assert result.summary.created == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    assert result.round_year == 2025
    assert result.reports_recorded == 4
    plan = result.plan
    assert (plan.start_year, plan.end_year) == (2025, 2025)
    m11 = plan.measures.get(number="1.1")
    assert {a.name for a in m11.areas.all()} == {"Norrby", "Västerdal", "Åsen"}
    assert m11.responsible_text == "KLF (säkerhetsenheten)"
    assert [u.short_name for u in m11.responsible_units.all()] == ["KLF"]
    m31 = plan.measures.get(number="3.1")
    assert [u.short_name for u in m31.responsible_units.all()] == ["KoF"]  # by full name
    assert not m31.areas.exists()  # the whole municipality
    assert plan.measures.get(number="1.2").description == (
        "Årlig vandring med boende; belysning kompletteras där det behövs."
    )
    assert plan.measures.get(number="2.2").title == 'Feriejobb för unga, "första jobbet"'
    report = StatusReport.objects.get(measure__number="2.2", round__plan=plan)
    assert (report.status, report.comment, report.disposition) == ("in_progress", "", "merged")
    assert report.merged_into is None
    assert not StatusReport.objects.filter(measure=m31).exists()
    assert [g.name for g in plan.goal_areas.order_by("number")] == [
        "Trygghet och delaktighet",
        "Fler i arbete",
        "En rikare fritid",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import__new_plan__identical_measures_and_reports(demo, fmt):
    plan_a = _import(demo, EXAMPLE.read_bytes(), "action-plan-example.csv").plan
    assert plan_a is not None
    exported = export_plan(plan_a, fmt=fmt)

    plan_b = _import(demo, exported, f"export.{fmt}", plan=f"Plan {fmt}").plan

    assert plan_b is not None
    assert _snapshot(plan_b) == _snapshot(plan_a)
    assert len(_snapshot(plan_a)) == 5
    # … and the export imported into the plan it came from changes nothing.
    before = AuditEntry.objects.count()
    again = _import(demo, exported, f"export.{fmt}")
    assert again.summary.created == again.summary.updated == []
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_export__extra_columns_and_round__kept(demo):
    raw = _lines(
        "1.1;Trygghet;Titel;;Norrby;SOF, Leanlink;;Pågår;Bra;;Q1;12 000 kr",
        "1.2;Trygghet;Titel 2;;;;;;;;;",
        header=HEADER + ";Kvartal;Budget",
    )
    result = _import(demo, raw)
    assert result.unknown_columns == ["Kvartal", "Budget"]
    assert result.plan is not None
    rows, extra_columns = plan_rows(result.plan)
    assert extra_columns == ["Budget", "Kvartal"]  # alphabetical: jsonb keeps no key order
    assert rows[0].extra == {"Kvartal": "Q1", "Budget": "12 000 kr"}
    assert rows[0].status is not None and rows[0].status.value == "in_progress"
    text = export_plan(result.plan, fmt="csv").decode("utf-8-sig")
    assert text.splitlines()[0].endswith(";Budget;Kvartal")
    assert "Pågår;Bra" in text


# --- All or nothing -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "codes", "rows"),
    [
        pytest.param(
            _lines("1.1;Trygghet;;;Norrby;;;;;", "1.2;Trygghet;;;;;;;;"),
            {"required"},
            {2, 3},
            id="required-cells-empty",
        ),
        pytest.param(
            _lines("1.1;Trygghet;A;;Norrby;;;Klar;;", "1.2;Trygghet;B;;;;;Pågår;;Kanske"),
            {"invalid_status", "invalid_disposition"},
            {2, 3},
            id="bad-status-and-disposition",
        ),
        pytest.param(
            _lines("1.1;Trygghet;A;;;;;;;", "1.1;Trygghet;B;;;;;;;", "1.2;Trygghet;C;;;;;Fel;;"),
            {"duplicate_number", "invalid_status"},
            {3, 4},
            id="duplicate-number",
        ),
        pytest.param(
            _lines("1.1;Trygghet;A;;;;;Klar;;", '1.2;Trygghet;"B;;;;;;;', "1.3;Trygghet;C;;;;;;;"),
            {"invalid_status", "broken_quoting"},
            {2, 3},
            id="unterminated-quote",
        ),
    ],
)
def test_import__malformed_file__every_problem_listed_and_nothing_written(demo, raw, codes, rows):
    before = _counts()
    with pytest.raises(ImportRejected) as rejected:
        _import(demo, raw)
    assert {p.code for p in rejected.value.problems} == codes
    assert {p.row for p in rejected.value.problems} == rows
    assert _counts() == before


@pytest.mark.django_db
def test_import__missing_columns__all_named(demo):
    raw = b"Nr;Beskrivning\n1.1;Text\n"
    with pytest.raises(ImportRejected) as rejected:
        _import(demo, raw)
    assert {(p.code, p.field) for p in rejected.value.problems} == {
        ("missing_column", "Utvecklingsområde"),
        ("missing_column", "Åtgärd"),
    }
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_import__unknown_areas_and_bad_status__all_rows_named_nothing_written(demo):
    _import(demo, EXAMPLE.read_bytes(), "action-plan-example.csv")
    before = _counts()
    raw = _lines(
        "1.1;Trygghet;A;;Norrby, Berga och Ryd;;;;;",
        "1.2;Trygghet;B;;åsen;;;;;",
        "1.3;Trygghet;C;;Skäggetorp;;;;;",
    )
    with pytest.raises(ImportRejected) as rejected:
        _import(demo, raw)
    problems = rejected.value.problems
    assert [(p.row, p.field, p.code) for p in problems] == [
        (2, "Område", "unknown_area"),
        (2, "Område", "unknown_area"),
        (4, "Område", "unknown_area"),
    ]
    assert problems[0].message == "Okänt område 'Berga'"
    assert _counts() == before

    # File faults are reported before the areas are looked up; still nothing is written.
    with pytest.raises(ImportRejected) as rejected:
        _import(demo, _lines("1.1;Trygghet;A;;Berga;;;Klar;;", "1.2;Trygghet;B;;;;;Fel;;"))
    assert {p.row for p in rejected.value.problems} == {2, 3}
    assert _counts() == before


@pytest.mark.django_db
def test_import__service_validation_error__named_by_row_and_rolled_back(demo):
    before = _counts()
    too_long = "x" * 501
    raw = _lines("1.1;Trygghet;A;;;;;Pågår;;", f"1.2;Trygghet;{too_long};;;;;;;")
    with pytest.raises(ImportRejected) as rejected:
        _import(demo, raw)
    assert [(p.row, p.field) for p in rejected.value.problems] == [(3, "Åtgärd")]
    assert _counts() == before


# --- Idempotency, changes, dry run, encodings --------------------------------------------


@pytest.mark.django_db
def test_reimport__same_file__nothing_changes_and_no_audit(demo):
    _import(demo, EXAMPLE.read_bytes(), "action-plan-example.csv")
    before = _counts()

    result = _import(demo, EXAMPLE.read_bytes(), "action-plan-example.csv", plan="plan a")

    assert result.summary.unchanged == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    assert result.summary.created == result.summary.updated == []
    assert result.reports_recorded == 0
    assert _counts() == before


@pytest.mark.django_db
def test_reimport__changed_file__measure_updated_and_audited(demo):
    plan = _import(demo, EXAMPLE.read_bytes(), "action-plan-example.csv").plan
    assert plan is not None
    changed = (
        EXAMPLE.read_text(encoding="utf-8")
        .replace("Inventera mörka platser", "Inventera mörka platser och gångtunnlar")
        .replace(";Norrby;Tekniska kontoret", ";Norrby och Söderängen;Tekniska kontoret, SOF")
        .replace("Lokal saknas.", "Lokal hittad.")
    )

    result = _import(demo, changed.encode())

    assert result.summary.updated == ["1.2"]
    assert result.reports_recorded == 1
    measure = plan.measures.get(number="1.2")
    assert measure.title == "Inventera mörka platser och gångtunnlar"
    assert {a.name for a in measure.areas.all()} == {"Norrby", "Söderängen"}
    assert [u.short_name for u in measure.responsible_units.all()] == ["SOF"]
    [update] = [e for e in audit_entries_for(measure) if e.action == "update"]
    assert update.changes["title"] == [
        "Inventera mörka platser",
        "Inventera mörka platser och gångtunnlar",
    ]
    assert "areas" in update.changes and "responsible_units" in update.changes
    assert StatusReport.objects.get(measure__number="2.1").comment == "Lokal hittad."


@pytest.mark.django_db
def test_dry_run__reports_summary_and_writes_nothing(demo):
    before = _counts()
    result = _import(demo, EXAMPLE.read_bytes(), "action-plan-example.csv", dry_run=True)
    assert result.plan is None
    assert len(result.summary.created) == 5
    assert result.reports_recorded == 4
    assert _counts() == before


@pytest.mark.django_db
def test_import__windows_1252_file__imported(demo):
    raw = EXAMPLE.read_text(encoding="utf-8").replace("–", "-").encode("cp1252")
    result = _import(demo, raw)
    assert result.plan is not None
    assert result.plan.measures.get(number="1.1").goal_area.name == "Trygghet och delaktighet"
    assert {a.name for a in result.plan.measures.get(number="2.2").areas.all()} == {
        "Norrby",
        "Åsen",
    }


@pytest.mark.django_db
def test_link_units__abbreviations_names_and_first_words(demo):
    units = list(Organisation.objects.filter(municipality=demo))
    linked = link_units(
        ["SOF", "klf (säkerhetsenheten)", "Kultur- och fritidsförvaltningen", "Leanlink"], units
    )
    assert sorted(u.short_name for u in linked) == ["KLF", "KoF", "SOF"]


# --- CLI ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cli__import_then_export__round_trips(demo, tmp_path, capsys):
    call_command("import_plan", str(EXAMPLE), municipality="9999", plan="Plan CLI", year=2025)
    out = capsys.readouterr().out
    assert "5 nya" in out
    assert "4 rapporter" in out

    for suffix in ("csv", "xlsx"):
        target = tmp_path / f"plan.{suffix}"
        call_command(
            "export_plan", municipality="9999", plan="plan cli", year=2025, out=str(target)
        )
        assert "5 åtgärder/measures" in capsys.readouterr().out
        call_command(
            "import_plan", str(target), municipality="9999", plan=f"Kopia {suffix}", year=2025
        )
        capsys.readouterr()
        original = Plan.objects.get(name="Plan CLI")
        assert _snapshot(Plan.objects.get(name=f"Kopia {suffix}")) == _snapshot(original)

    call_command("import_plan", str(EXAMPLE), municipality="9999", plan="Plan CLI", year=2025)
    assert "5 oförändrade" in capsys.readouterr().out


@pytest.mark.django_db
def test_cli__dry_run_and_unknown_columns__printed(demo, tmp_path, capsys):
    path = tmp_path / "plan.csv"
    path.write_bytes(_lines("1.1;Trygghet;A;;;;;;;;Q1", header=HEADER + ";Kvartal"))
    call_command("import_plan", str(path), municipality="9999", plan="P", year=2025, dry_run=True)
    out = capsys.readouterr().out
    assert "Provkörning" in out and "Kvartal" in out
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_cli__bad_file__command_error_names_rows(demo, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(_lines("1.1;Trygghet;A;;Berga;;;;;", "1.2;Trygghet;B;;Ryd;;;Pågår;;"))
    before = _counts()
    with pytest.raises(CommandError) as error:
        call_command("import_plan", str(path), municipality="9999", plan="P", year=2025)
    assert "2, 3" in str(error.value)
    assert "Berga" in str(error.value) and "Ryd" in str(error.value)
    assert _counts() == before


@pytest.mark.django_db
def test_cli__unknown_plan_or_municipality__command_error(demo, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_plan", municipality="9999", plan="Saknas", out=str(tmp_path / "x.csv"))
    with pytest.raises(CommandError):
        call_command("import_plan", str(EXAMPLE), municipality="0000", plan="P", year=2025)
