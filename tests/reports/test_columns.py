"""Column widths of printed tables: from the content, longest words whole, wide tables marked."""

from __future__ import annotations

import pytest

from kvarter.reports.document import Column
from kvarter.reports.render.columns import (
    CELL_MM,
    CHAR_MM,
    LONGEST_UNBROKEN,
    PORTRAIT_MM,
    column_layout,
)

COMMENT = "Arbetet har pågått enligt plan under året. " * 3
MEASURE_COLUMNS = [
    Column("Nr", "text", 5),
    Column("Åtgärd", "text", 30),
    Column("Område", "text", 14),
    Column("Ansvarig", "text", 12),
    Column("Finansiering och tid", "text", 16),
    Column("Status", "status", 12),
    Column("Kommentar", "text", 30),
    Column("Hantering nästa plan", "text", 14),
]


def _measure_rows(count: int = 12) -> list[list[str]]:
    return [
        [
            f"1.{i}",
            f"Åtgärd {i}: läxhjälp och sommarjobb för unga i området",
            "Söderängen och Västerdal",
            "Exempelhem",
            "Genomförs inom ram, 2025–2026; 10\xa0000 kr",
            "Ej rapporterad",
            COMMENT,
            "Vidareutvecklas",
        ]
        for i in range(count)
    ]


def _mm(percent: float, line_mm: float) -> float:
    """A column's room for text in millimetres."""
    return percent / 100 * line_mm - CELL_MM


def test_column_layout__any_table__percentages_fill_the_line():
    for columns, rows in (
        (MEASURE_COLUMNS, _measure_rows()),
        ([Column("Mål"), Column("Status", "status")], [["Mål 1", "Uppfyllt"]]),
        ([Column("Tom")], []),
    ):
        layout = column_layout(columns, rows)
        assert sum(layout.percentages) == pytest.approx(100)
        assert all(p > 0 for p in layout.percentages)


def test_column_layout__short_table__every_cell_on_one_line_in_portrait():
    columns = [Column("Målområde"), Column("Genomförd", "number"), Column("Status", "status")]
    rows = [["1. Fler i arbete", "12", "Ej rapporterad"], ["2. Trygghet", "3", "Pågår"]]
    layout = column_layout(columns, rows)
    assert not layout.wide
    for percent, longest in zip(layout.percentages, (16, 9 * 1.25, 14 + 2), strict=True):
        assert _mm(percent, PORTRAIT_MM) >= longest * CHAR_MM * 0.999


def test_column_layout__eight_text_columns__landscape_and_long_texts_get_the_room():
    layout = column_layout(MEASURE_COLUMNS, _measure_rows())
    assert layout.wide
    widths = dict(zip((c.label for c in MEASURE_COLUMNS), layout.percentages, strict=True))
    # The long comment gets the most room, and no column is narrower than its longest word.
    assert max(widths, key=widths.__getitem__) == "Kommentar"
    assert widths["Kommentar"] > 2 * widths["Åtgärd"] > 2 * widths["Nr"]
    line_mm = 297 - 2 * 18
    for label, word in (("Område", "Söderängen"), ("Hantering nästa plan", "Vidareutvecklas")):
        assert _mm(widths[label], line_mm) >= min(len(word), LONGEST_UNBROKEN) * CHAR_MM * 0.999


def test_column_layout__balanced__long_columns_wrap_to_similar_line_counts():
    layout = column_layout(MEASURE_COLUMNS, _measure_rows())
    line_mm = 297 - 2 * 18
    lines = {
        label: len(text) * CHAR_MM / _mm(percent, line_mm)
        for label, text, percent in zip(
            ("Åtgärd", "Finansiering", "Kommentar"),
            (_measure_rows(1)[0][1], _measure_rows(1)[0][4], COMMENT),
            (layout.percentages[1], layout.percentages[4], layout.percentages[6]),
            strict=True,
        )
    }
    assert max(lines.values()) < 4.5, lines
    assert max(lines.values()) - min(lines.values()) < 1.5, lines


def test_column_layout__two_narrow_columns__portrait():
    rows = [["4.12", "Åtgärd 12: läxhjälp och sommarjobb för unga"]] * 20
    assert not column_layout([Column("Nr"), Column("Åtgärd")], rows).wide
