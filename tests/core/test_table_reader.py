"""The one table reader (core.importing.tables): encodings, separators, XLSX, problems, caps."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import openpyxl
import pytest

from kvarter.core.importing import ImportRejected, Problem
from kvarter.core.importing.tables import (
    DEFAULT_LIMITS,
    Limits,
    parse_number,
    read_table,
)

TEXT = "område;värde;källa\r\nÅsen;12,5;SCB\r\nNorrby;7;Egen räkning\r\n"
ROWS = [
    (1, ["område", "värde", "källa"]),
    (2, ["Åsen", "12,5", "SCB"]),
    (3, ["Norrby", "7", "Egen räkning"]),
]


def rejected(raw: bytes, **options: object) -> list[Problem]:
    with pytest.raises(ImportRejected) as caught:
        list(read_table(raw, **options))  # type: ignore[arg-type]
    for problem in caught.value.problems:
        assert problem.message and " / " not in problem.message  # the active language only
        assert "\ufffd" not in problem.message
    return caught.value.problems


def xlsx(*rows: list[Any], title: str = "Blad1") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Encodings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),  # with its BOM
        (TEXT.encode("utf-16-le"), "utf-16"),  # without: the zero bytes tell
        (TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-le", "utf-16-be", "cp1252"],
)
def test_read_table__every_encoding__reads_the_same_rows(raw: bytes, encoding: str) -> None:
    table = read_table(raw)

    assert list(table) == ROWS
    assert (table.encoding, table.delimiter, table.problems) == (encoding, ";", [])


def test_read_table__ascii_only__is_utf8() -> None:
    assert read_table(b"a;b\n1;2\n").encoding == "utf-8"


@pytest.mark.parametrize(
    ("raw", "row", "column"),
    [
        (TEXT.encode("utf-8").replace(b"Norrby", b"Norr\xffby"), 3, "område"),
        (TEXT.encode("utf-8").replace(b"SCB", b"S\xe5B"), 2, "källa"),
        (TEXT.encode("cp1252").replace(b"Norrby", b"Norr\x81by"), 3, "område"),
        (TEXT.encode("cp1252").replace(b"SCB", "Sö".encode()), 2, "källa"),  # mixed
        (TEXT.encode("utf-16-le") + b"\x00\xdc", 4, None),  # a lone surrogate
        (TEXT.encode("utf-8").replace(b"SCB", b"S\x00B"), 2, "källa"),  # a zero byte
        (TEXT.encode("cp1252").replace(b"SCB", b"S\x00B"), 2, "källa"),
    ],
    ids=[
        "utf8-bad-byte",
        "utf8-latin1-byte",
        "cp1252-undefined",
        "mixed",
        "utf16",
        "zero",
        "zero-1252",
    ],
)
def test_read_table__malformed_bytes__a_problem_on_the_row_never_a_replacement(
    raw: bytes, row: int, column: str | None
) -> None:
    problems = rejected(raw)

    assert [p.code for p in problems] == ["encoding"]
    assert problems[0].row == row
    if column is not None:
        assert problems[0].field == column
        assert "kolumn" in problems[0].message


def test_read_table__malformed_bytes__line_numbering_counts_text_lines() -> None:
    raw = 'a;ö\n"x\ny";1\n2;\n'.encode().replace(b"2;", b"2;\xff")

    assert [p.row for p in rejected(raw, numbering="line")] == [4]
    assert [p.row for p in rejected(raw)] == [3]


def test_read_table__many_bad_bytes__first_ones_located_and_the_rest_counted() -> None:
    raw = "a;ö\n".encode() + b"1;\xff\n" * 50

    problems = rejected(raw)

    assert [p.row for p in problems[:3]] == [2, 3, 4]
    assert problems[-1].row is None and len(problems) == 21


def test_read_table__neither_utf8_nor_windows_1252__a_file_problem() -> None:
    assert [(p.row, p.code) for p in rejected(b"\x81\x8d\x90")] == [(None, "encoding")]


# --- Separators --------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_read_table__separator__read_from_the_header(delimiter: str) -> None:
    raw = TEXT.replace(";", delimiter).replace("12,5", '"12,5"').encode("utf-8")

    table = read_table(raw)

    assert (list(table), table.delimiter) == (ROWS, delimiter)


def test_read_table__quoted_separators_in_the_header__not_counted() -> None:
    table = read_table(b'"a,b,c";d\n1;2\n')

    assert table.delimiter == ";"
    assert [cells for _, cells in table] == [["a,b,c", "d"], ["1", "2"]]


@pytest.mark.parametrize(("line", "delimiter"), [("sep=;", ";"), ("sep=,", ","), ("sep=\t", "\t")])
def test_read_table__excel_sep_line__names_the_separator_and_is_not_a_row(
    line: str, delimiter: str
) -> None:
    raw = (f"{line}\r\n" + TEXT.replace(";", delimiter).replace("12,5", '"12,5"')).encode()

    table = read_table(raw)

    assert (list(table), table.delimiter) == (ROWS, delimiter)


def test_read_table__sep_line_with_bom_and_bad_byte__row_counted_from_the_header() -> None:
    raw = b"\xef\xbb\xbfsep=,\r\na,b\r\n1,\xff\r\n"

    assert [(p.row, p.field) for p in rejected(raw)] == [(2, "b")]


# --- Rows, numbering, quoting ---------------------------------------------------------------


def test_read_table__blank_rows_skipped_but_counted__multiline_by_record_or_line() -> None:
    raw = b'a;b\r\n"two\r\nlines";1\r\n;\r\n\r\n3;4\r\n'

    assert [number for number, _ in read_table(raw)] == [1, 2, 5]
    assert [number for number, _ in read_table(raw, numbering="line")] == [1, 2, 6]


def test_read_table__broken_quoting__a_problem_and_reading_goes_on() -> None:
    table = read_table(b'a;b\n"x"y;2\n3;4\n"never;5\n6;7\n')

    assert [cells for _, cells in table] == [["a", "b"], ["3", "4"]]
    assert [(p.row, p.code) for p in table.problems] == [
        (2, "broken_quoting"),
        (4, "broken_quoting"),
    ]


def test_read_table__is_an_iterator_decoding_as_it_reads() -> None:
    raw = b"a;b\n" + b"1;2\n" * 100_000

    table = read_table(raw)
    first = next(iter(table))

    assert first == (1, ["a", "b"])
    assert table.lines_read < 100  # not all read yet


# --- Decimal comma -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234", 1234.0),
        ("−0,3", -0.3),
        (" 7 ", 7.0),
        ("1.234,5", None),
        ("1,2,3", None),
        ("tolv", None),
        ("nan", None),
        ("inf", None),
        ("", None),
    ],
)
def test_parse_number__decimal_comma_or_point(text: str, number: float | None) -> None:
    assert parse_number(text) == number


# --- XLSX -------------------------------------------------------------------------------------


def test_read_table__xlsx__same_row_interface_and_cells_as_text() -> None:
    import datetime as dt

    raw = xlsx(
        ["område", "värde", "datum", None],
        ["Åsen", 12.5, dt.date(2025, 3, 14)],
        [None, None, None],
        ["Norrby", 7.0, None, None, None],
    )

    table = read_table(raw, filename="Värden.XLSX")

    assert (table.kind, table.encoding, table.delimiter) == ("xlsx", "xlsx", None)
    assert list(table) == [
        (1, ["område", "värde", "datum"]),
        (2, ["Åsen", "12.5", "2025-03-14"]),
        (4, ["Norrby", "7", ""]),
    ]
    assert parse_number("12.5") == 12.5


def test_read_table__xlsx__named_sheet_or_the_first() -> None:
    workbook = openpyxl.Workbook()
    info = workbook.active
    assert info is not None
    info.title = "Info"
    info.append(["inget här"])
    workbook.create_sheet("Åtgärder").append(["Nr"])
    out = io.BytesIO()
    workbook.save(out)

    assert list(read_table(out.getvalue(), filename="x.xlsx", sheet="ÅTGÄRDER")) == [
        (1, ["Nr"])
    ]
    assert list(read_table(out.getvalue(), filename="x.xlsx", sheet="Saknas")) == [
        (1, ["inget här"])
    ]


def test_read_table__xlsx__a_far_away_cell_does_not_pad_every_row() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["a", "b"])
    sheet.cell(row=3, column=16_000, value="x")
    out = io.BytesIO()
    workbook.save(out)

    rows = list(read_table(out.getvalue(), filename="x.xlsx"))

    assert rows[0] == (1, ["a", "b"])
    assert len(rows[1][1]) == 16_000  # that row's extra cell is there, as an extra field


@pytest.mark.parametrize("raw", [b"not a zip", b"PK\x03\x04broken"])
def test_read_table__xlsx__unreadable__a_file_problem(raw: bytes) -> None:
    assert [(p.row, p.code) for p in rejected(raw, filename="x.xlsx")] == [
        (None, "unreadable_file")
    ]


# --- Caps ---------------------------------------------------------------------------------------


def test_read_table__caps__defaults_as_documented() -> None:
    documented = Limits(
        max_bytes=256 * 2**20,
        max_unpacked_bytes=128 * 2**20,
        max_rows=2_000_000,
        max_cells=30_000_000,
    )

    assert documented == DEFAULT_LIMITS


def test_read_table__too_many_bytes__refused_before_reading() -> None:
    problems = rejected(TEXT.encode(), limits=Limits(max_bytes=10))

    assert [(p.row, p.code) for p in problems] == [(None, "file_too_large")]


def test_read_table__too_many_rows__refused_on_the_first_row_past_the_cap() -> None:
    raw = b"a;b\n" + b"1;2\n" * 20

    problems = rejected(raw, limits=Limits(max_rows=10))

    assert [(p.row, p.code) for p in problems] == [(11, "too_many_rows")]


def test_read_table__too_many_cells__refused() -> None:
    raw = b"a;b\n" + b"1;2\n" * 20

    problems = rejected(raw, limits=Limits(max_cells=9))

    assert [(p.row, p.code) for p in problems] == [(5, "too_many_cells")]


def test_read_table__xlsx_rows_capped_too() -> None:
    raw = xlsx(*([str(i)] for i in range(20)))

    problems = rejected(raw, filename="x.xlsx", limits=Limits(max_rows=5))

    assert [(p.row, p.code) for p in problems] == [(6, "too_many_rows")]


def _zip_bomb(unpacked: int) -> bytes:
    """A valid XLSX whose one sheet unpacks to ``unpacked`` bytes of rows (about 1 : 150)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx(["a"]))) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/')
            sheet.write(b'2006/main"><sheetData>')
            for _ in range(unpacked // len(row) + 1):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_read_table__xlsx_zip_bomb__refused_from_the_directory_in_under_two_seconds() -> None:
    bomb = _zip_bomb(DEFAULT_LIMITS.max_unpacked_bytes + 2**20)
    assert len(bomb) < DEFAULT_LIMITS.max_unpacked_bytes / 50

    started = time.perf_counter()
    problems = rejected(bomb, filename="bomb.xlsx")

    assert time.perf_counter() - started < 2
    assert [(p.row, p.code) for p in problems] == [(None, "unpacked_too_large")]


def test_read_table__problem__speaks_the_active_language():
    from django.utils import translation

    raw = b'namn;antal\n"Norrby;7\n'
    table = read_table(raw)
    list(table)
    (problem,) = table.problems
    with translation.override("sv"):
        assert "citattecken" in problem.message
    with translation.override("en"):
        assert "quote" in problem.message
