"""Tests for kvarter.plans.parsing (pure Python, no database)."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import openpyxl
import pytest

from kvarter.core.importing import ImportRejected
from kvarter.plans.parsing import (
    Disposition,
    MeasureRow,
    Status,
    parse_plan_file,
    write_plan_csv,
    write_plan_xlsx,
)

# The contract's own example, beside this checkout (../shared/formats/), as tests/factories.py
# finds it. Missing, the tests fail rather than skip: a skipped contract test hides a break.
EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "formats" / "action-plan-example.csv"
TEXT = EXAMPLE.read_bytes().decode("utf-8")
HEADER, *LINES = TEXT.splitlines()


def make(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def problems(raw: bytes, filename: str = "plan.csv") -> set[tuple[int | None, str]]:
    with pytest.raises(ImportRejected) as caught:
        parse_plan_file(raw, filename)
    for problem in caught.value.problems:
        assert problem.message and " / " not in problem.message  # the active language only
    return {(p.row, p.code) for p in caught.value.problems}


def without_row(rows: list[MeasureRow]) -> list[MeasureRow]:
    return [dataclasses.replace(r, row=0) for r in rows]


def test_example_parses() -> None:
    plan = parse_plan_file(EXAMPLE.read_bytes(), "plan.CSV")
    assert plan.encoding == "utf-8"
    assert plan.delimiter == ";"
    assert plan.unknown_columns == []
    assert [r.number for r in plan.rows] == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    assert [r.row for r in plan.rows] == [2, 3, 4, 5, 6]
    by_nr = {r.number: r for r in plan.rows}
    assert by_nr["1.2"] == MeasureRow(
        row=3,
        number="1.2",
        goal_area_number=1,
        goal_area="Trygghet och delaktighet",
        title="Inventera mörka platser",
        description="Årlig vandring med boende; belysning kompletteras där det behövs.",
        area_names=("Norrby",),
        responsible="Tekniska kontoret, Bostadsbolaget",
        responsible_units=("Tekniska kontoret", "Bostadsbolaget"),
        financing="Investeringsbudget. Q2/2025",
        status=Status.IN_PROGRESS,
        comment="Vandring genomförd i maj, belysning beställd.",
        disposition=Disposition.KEPT,
        disposition_year=None,
        extra={},
    )
    r22 = by_nr["2.2"]
    assert r22.title == 'Feriejobb för unga, "första jobbet"'
    assert r22.description == ""
    assert r22.area_names == ("Norrby", "Åsen")
    assert r22.goal_area_number == 2
    assert r22.disposition == Disposition.MERGED
    assert by_nr["1.1"].area_names == ("Norrby", "Västerdal", "Åsen")
    assert by_nr["1.1"].responsible_units == ("KLF (säkerhetsenheten)",)
    assert [r.status for r in plan.rows] == [
        Status.DONE,
        Status.IN_PROGRESS,
        Status.NOT_DONE,
        Status.IN_PROGRESS,
        None,
    ]
    assert [r.disposition for r in plan.rows] == [
        Disposition.DROPPED,
        Disposition.KEPT,
        Disposition.DEVELOPED,
        Disposition.MERGED,
        None,
    ]
    r31 = by_nr["3.1"]
    assert r31.responsible_units == ("Kultur- och fritidsförvaltningen",)
    assert (r31.area_names, r31.status, r31.comment, r31.disposition) == ((), None, "", None)
    assert r31.financing == "Statsbidrag 2025–2026"


def _comma_version(text: str) -> str:
    import csv

    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=",").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    ("raw", "encoding", "delimiter"),
    [
        (TEXT.replace("–", "-").encode("cp1252"), "cp1252", ";"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig", ";"),
        (_comma_version(TEXT).encode("utf-8"), "utf-8", ","),
        (TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8", ";"),
    ],
)
def test_encodings_and_delimiters_parse_identically(
    raw: bytes, encoding: str, delimiter: str
) -> None:
    expected = parse_plan_file(TEXT.replace("–", "-").encode("utf-8"), "x.csv").rows
    plan = parse_plan_file(raw.decode(encoding).replace("–", "-").encode(encoding), "x.csv")
    assert (plan.encoding, plan.delimiter) == (encoding, delimiter)
    assert plan.rows == expected


def test_english_headers_aliases_and_year() -> None:
    header = (
        " number ;MÅLOMRÅDE;title;Description;areas;responsible;financing;status;comment;"
        "Hantering 2022"
    )
    raw = make("1.1;A;T;;Berga; Ryd;;;IN PROGRESS.;;kept", header=header)
    with pytest.raises(ImportRejected):  # 'Berga; Ryd' unquoted is two fields
        parse_plan_file(raw, "x.csv")
    raw = make('1.1;A;T;;"Berga; Ryd";;;IN PROGRESS.;;kept', header=header)
    (row,) = parse_plan_file(raw, "x.csv").rows
    assert row.area_names == ("Berga", "Ryd")
    assert row.status == Status.IN_PROGRESS
    assert (row.disposition, row.disposition_year) == (Disposition.KEPT, 2022)


def test_multiline_record_uses_start_line_and_skips_empty_rows() -> None:
    multi = '1.2;Trygghet och delaktighet;"Två\nrader";;;;;;;'
    raw = make(LINES[0], ";;;;;;;;;", "", multi, LINES[2])
    plan = parse_plan_file(raw, "x.csv")
    assert [(r.row, r.number) for r in plan.rows] == [(2, "1.1"), (5, "1.2"), (7, "2.1")]
    assert plan.rows[1].title == "Två\nrader"


def test_unknown_columns_kept() -> None:
    lines = (f"{line};x{i}" for i, line in enumerate(LINES))
    raw = make(*lines, header=HEADER + ";Budget kr")
    plan = parse_plan_file(raw, "x.csv")
    assert plan.unknown_columns == ["Budget kr"]
    assert [r.extra for r in plan.rows] == [{"Budget kr": f"x{i}"} for i in range(5)]
    again = parse_plan_file(write_plan_csv(plan.rows), "x.csv")
    assert again.unknown_columns == ["Budget kr"]
    assert without_row(again.rows) == without_row(plan.rows)


def test_missing_and_duplicate_columns() -> None:
    header = "Nr;Nr;Beskrivning;Extra;extra"
    raw = make("1.1;1.1;x;y;z", header=header)
    assert problems(raw) == {(None, "missing_column"), (None, "duplicate_column")}
    with pytest.raises(ImportRejected) as caught:
        parse_plan_file(raw, "x.csv")
    missing = {p.field for p in caught.value.problems if p.code == "missing_column"}
    assert missing == {"Utvecklingsområde", "Åtgärd"}
    assert len([p for p in caught.value.problems if p.code == "duplicate_column"]) == 2


def test_all_row_problems_at_once() -> None:
    raw = make(
        LINES[0],
        "1.1;Trygghet och delaktighet;Igen;;;;;Klar;;",  # duplicate Nr, bad status
        "1;Trygghet och delaktighet;T;;;;;;;",  # bad Nr format
        "2.1;Trygghet och delaktighet;T;;;;;;;Behålls",  # inconsistent number, bad disposition
        "1.5;Fler i arbete;T;;;;;;;",  # number 1 belongs to another name
        "4.1;;;;;;;;;",  # goal area and title required
        "4.2;X;T",  # wrong field count
        "4.3;X;T;;;;;done.;;DROPPED",  # fine
    )
    assert problems(raw) == {
        (3, "duplicate_number"),
        (3, "invalid_status"),
        (4, "invalid_number"),
        (5, "goal_area_number"),
        (5, "invalid_disposition"),
        (6, "goal_area_name"),
        (7, "required"),
        (8, "field_count"),
    }


def test_problem_names_column_and_both_rows() -> None:
    raw = make(LINES[0], LINES[0])
    with pytest.raises(ImportRejected) as caught:
        parse_plan_file(raw, "x.csv")
    (problem,) = caught.value.problems
    assert (problem.row, problem.field) == (3, "Nr")
    assert "2" in problem.message and "3" in problem.message


def test_unterminated_quote() -> None:
    raw = make(LINES[0], '1.2;Trygghet och delaktighet;"Aldrig stängd;;;;;;;', LINES[2], LINES[4])
    assert problems(raw) == {(3, "broken_quoting")}


def test_broken_quote_in_middle() -> None:
    raw = make(LINES[0], '1.2;Trygghet och delaktighet;"Titel"x;;;;;;;', LINES[2], "9;X;T;;;;;;;")
    assert problems(raw) == {(3, "broken_quoting"), (5, "invalid_number")}


def test_bad_encoding_and_file_type() -> None:
    assert problems(b"\x81\x8d\x90", "x.csv") == {(None, "encoding")}
    assert problems(b"", "x.csv") == {(None, "empty_file")}
    assert problems(b"abc", "x.xls") == {(None, "unsupported_file_type")}
    assert problems(b"not a zip", "x.xlsx") == {(None, "unreadable_file")}


def test_csv_round_trip() -> None:
    plan = parse_plan_file(EXAMPLE.read_bytes(), "x.csv")
    written = write_plan_csv(plan.rows)
    assert written.startswith(b"\xef\xbb\xbfNr;Utvecklingsomr")
    assert "Hantering nästa plan" in written.decode("utf-8-sig")
    assert "Genomförd" in written.decode("utf-8-sig")
    again = parse_plan_file(written, "x.csv")
    assert without_row(again.rows) == without_row(plan.rows)


def test_round_trip_keeps_year() -> None:
    header = HEADER.replace("Hantering nästa plan", "Hantering 2022")
    plan = parse_plan_file(make(*LINES, header=header), "x.csv")
    again = parse_plan_file(write_plan_csv(plan.rows), "x.csv")
    assert {r.disposition_year for r in again.rows} == {2022}
    assert without_row(again.rows) == without_row(plan.rows)


def test_xlsx_round_trip_and_format() -> None:
    plan = parse_plan_file(make(*(x + ";e" for x in LINES), header=HEADER + ";Extra"), "x.csv")
    assert plan.unknown_columns == ["Extra"]
    data = write_plan_xlsx(plan.rows)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["Åtgärder"]
    assert sheet["A1"].font.bold
    assert sheet["J1"].value == "Hantering nästa plan"
    assert sheet["K1"].value == "Extra"
    assert sheet["D3"].alignment.wrap_text
    again = parse_plan_file(data, "plan.XLSX")
    assert again.encoding == "xlsx"
    assert again.delimiter is None
    assert without_row(again.rows) == without_row(plan.rows)
    assert [r.row for r in again.rows] == [2, 3, 4, 5, 6]


def test_xlsx_numeric_cells_and_named_sheet() -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Info"
    first.append(["inget här"])
    sheet = workbook.create_sheet("Åtgärder")
    sheet.append(["Nr", "Utvecklingsområde", "Åtgärd", "Status"])
    sheet.append([1.1, "A", "T", None])
    sheet.append([None, None, None, None])
    sheet.append([2.13, "B", 2025, "Ej genomförd"])
    sheet.append([3, "C", "T", "nej"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ImportRejected) as caught:
        parse_plan_file(out.getvalue(), "x.xlsx")
    assert {(p.row, p.code) for p in caught.value.problems} == {
        (5, "invalid_number"),
        (5, "invalid_status"),
    }
    sheet.delete_rows(5)
    out = io.BytesIO()
    workbook.save(out)
    rows = parse_plan_file(out.getvalue(), "x.xlsx").rows
    assert [(r.row, r.number, r.title, r.status) for r in rows] == [
        (2, "1.1", "T", None),
        (4, "2.13", "2025", Status.NOT_DONE),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kultur- och fritidsförvaltningen", ("Kultur- och fritidsförvaltningen",)),
        (
            "SOF, Kultur-, idrotts- och fritidsnämnden och KLF",
            ("SOF", "Kultur-, idrotts- och fritidsnämnden", "KLF"),
        ),
        ("SOF, Leanlink", ("SOF", "Leanlink")),
    ],
)
def test_responsible_units_keep_swedish_elision(text: str, expected: tuple[str, ...]) -> None:
    raw = make(f'1.1;A;T;;;"{text}";;;;')
    assert parse_plan_file(raw, "x.csv").rows[0].responsible_units == expected
