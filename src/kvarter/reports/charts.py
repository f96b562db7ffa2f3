"""Vega-Lite charts for reports, built with Altair and drawn offline with vl-convert.

Specs carry their data inline, so drawing a chart never touches the network. HTML and PDF embed
the SVG (crisp, and its text stays text); Word gets a PNG because python-docx cannot embed SVG.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import vl_convert

from kvarter.reports.document import STATUS_COLOURS, Cell, Column, StatusCell, Table

# DejaVu Sans ships with Debian (fonts-dejavu-core) and is also the PDF body font, so a chart's
# lettering matches the text around it. Word shows a PNG, where the font is baked in.
CHART_FONT = "DejaVu Sans"
CHART_WIDTH = 520
_BAR_STEP = 30
# A count is written on its segment only if the segment is wide enough for two digits.
_MIN_LABELLED_PX = 16

# Text drawn on a bar segment: white on the dark green and red, black on amber and grey.
_INK_ON = {"#2e7d32": "white", "#c62828": "white"}


def status_bar_chart(
    rows: Sequence[tuple[str, Mapping[str, int]]],
    labels: Mapping[str, str],
    *,
    count_title: str = "",
) -> dict[str, Any]:
    """A horizontal stacked bar per group (e.g. per goal area, then "Totalt") of status counts.

    `labels` maps status codes to the words shown in the legend, in stacking order, e.g.
    `{"done": "Genomförd", "in_progress": "Pågår", ...}`; codes missing from a row count as 0.
    """
    values = _status_values(rows, labels)
    codes = list(labels)
    y = alt.Y(
        "group:N",
        sort=[group for group, _ in rows],
        title=None,
        axis=alt.Axis(labelLimit=220, labelFontSize=11),
    )
    bars = (
        alt.Chart()
        .mark_bar(stroke="white", strokeWidth=1, aria=False)
        .encode(
            y=y,
            x=alt.X("start:Q", title=count_title or None, axis=alt.Axis(tickMinStep=1, format="d")),
            x2="end:Q",
            color=alt.Color(
                "label:N",
                scale=alt.Scale(
                    domain=[labels[code] for code in codes],
                    range=[STATUS_COLOURS[code].strong for code in codes],
                ),
                legend=alt.Legend(
                    orient="bottom", title=None, labelFontSize=11, symbolType="square"
                ),
            ),
        )
    )
    # Counts written on the bars, so a reader never has to judge a length or a colour.
    numbers = (
        alt.Chart()
        .transform_filter("datum.labelled")
        .mark_text(fontSize=11, fontWeight="bold", aria=False)
        .encode(
            y=y,
            x="middle:Q",
            text="count:Q",
            color=alt.Color("ink:N", scale=None, legend=None),
        )
    )
    chart = alt.layer(bars, numbers, data=alt.Data(values=values)).properties(
        width=CHART_WIDTH, height=alt.Step(_BAR_STEP)
    )
    spec = chart.configure(font=CHART_FONT).configure_view(stroke=None).to_dict()
    return dict(spec)


def _status_values(
    rows: Sequence[tuple[str, Mapping[str, int]]], labels: Mapping[str, str]
) -> list[dict[str, Any]]:
    """One record per group and status with the segment's start, end and label position."""
    values = []
    largest = max((sum(counts.get(code, 0) for code in labels) for _, counts in rows), default=0)
    px_per_count = CHART_WIDTH / max(largest, 1)
    for group, counts in rows:
        start = 0
        for code, label in labels.items():
            count = int(counts.get(code, 0))
            strong = STATUS_COLOURS[code].strong
            values.append(
                {
                    "group": group,
                    "code": code,
                    "label": label,
                    "count": count,
                    "start": start,
                    "end": start + count,
                    "middle": start + count / 2,
                    "ink": _INK_ON.get(strong, "black"),
                    "labelled": count > 0 and count * px_per_count >= _MIN_LABELLED_PX,
                }
            )
            start += count
    return values


def status_table(
    rows: Sequence[tuple[str, Mapping[str, int]]],
    labels: Mapping[str, str],
    *,
    caption: str,
    group_label: str,
    total_label: str,
    sheet_name: str | None = None,
) -> Table:
    """The numbers behind `status_bar_chart` as a table: a row per group, a column per status.

    Built from the same rows as the chart so the chart, its text alternative and the Excel
    sheet cannot disagree.
    """
    columns = [
        Column(group_label, "text", 22),
        *(Column(label, "number", 13) for label in labels.values()),
        Column(total_label, "number", 9),
    ]
    body: list[list[Cell]] = []
    for group, counts in rows:
        numbers = [int(counts.get(code, 0)) for code in labels]
        body.append([group, *numbers, sum(numbers)])
    return Table(caption=caption, columns=columns, rows=body, sheet_name=sheet_name)


def status_cell(code: str, labels: Mapping[str, str]) -> StatusCell:
    """A table cell for a status code, labelled with the same words as the chart legend."""
    return StatusCell(code=code, label=labels[code])  # type: ignore[arg-type]


def to_svg(spec: Mapping[str, Any]) -> str:
    """The chart as an SVG document (text kept as text, so it stays sharp and searchable)."""
    return str(vl_convert.vegalite_to_svg(dict(spec), allowed_base_urls=[]))


def to_png(spec: Mapping[str, Any], scale: float = 2.0) -> bytes:
    """The chart as a PNG; `scale` 2 keeps it sharp when Word prints it at about 16 cm."""
    return bytes(vl_convert.vegalite_to_png(dict(spec), scale=scale, allowed_base_urls=[]))
