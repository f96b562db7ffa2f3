"""The situational picture's weekday × hour heat map (Vega-Lite via Altair) and the same
figures as a table and a sentence: for the page (SVG), the PDF (PNG) and the JSON."""

from __future__ import annotations

from typing import Any

import altair as alt
from django.utils.translation import gettext as _

from kvarter.reports.charts import CHART_FONT
from kvarter.reports.document import Cell, Column, Table
from kvarter.safety.picture.selectors import SituationalPicture

HEAT_COLOURS = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
HIDDEN_FILL = "#d9d9d9"


def weekday_names() -> list[str]:
    return [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def timeline_values(picture: SituationalPicture) -> list[dict[str, Any]]:
    days = weekday_names()
    return [
        {
            "day": days[d],
            "hour": f"{h:02d}",
            "count": shown.value or 0,  # a hidden cell is drawn grey, whatever this says
            "text": shown.text if shown.value else "",
            "hidden": bool(shown.hidden),
        }
        for d, hours in enumerate(picture.timeline)
        for h, shown in enumerate(hours)
    ]


def timeline_chart(picture: SituationalPicture) -> dict[str, Any]:
    """A weekday × hour heat map: shown counts written on their cells, hidden cells grey."""
    values = timeline_values(picture)
    top = max((v["count"] or 0 for v in values), default=0)
    x = alt.X("hour:O", title=_("Hour"), axis=alt.Axis(labelAngle=0, labelFontSize=9))
    y = alt.Y("day:O", title=None, sort=weekday_names(), axis=alt.Axis(labelFontSize=10))
    cells = (
        alt.Chart()
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            color=alt.condition(
                "datum.hidden",
                alt.value(HIDDEN_FILL),
                alt.Color(
                    "count:Q",
                    title=_("Events"),
                    scale=alt.Scale(range=HEAT_COLOURS, domain=[0, max(top, 1)]),
                    legend=alt.Legend(orient="right", tickMinStep=1, format="d", gradientLength=90),
                ),
            ),
        )
    )
    labels = (
        alt.Chart()
        .mark_text(fontSize=8)
        .encode(
            x=x,
            y=y,
            text="text:N",
            color=alt.condition(
                f"datum.count > {top * 0.55}", alt.value("white"), alt.value("black")
            ),
        )
    )
    chart = alt.layer(cells, labels, data=alt.Data(values=values)).properties(
        width=alt.Step(20), height=alt.Step(14)
    )
    spec = (
        chart.configure(font=CHART_FONT)
        .configure_view(stroke=None)
        .configure_axis(aria=False, domain=False, ticks=False)
        .configure_legend(aria=False)
        .to_dict(validate=False)
    )
    return dict(spec)


def timeline_table(picture: SituationalPicture) -> Table:
    rows: list[list[Cell]] = [
        [day, *(shown.text for shown in hours)]
        for day, hours in zip(weekday_names(), picture.timeline, strict=True)
    ]
    return Table(
        caption=_("Events per weekday and hour"),
        columns=[
            Column(_("Day"), "text", 5),
            *(Column(f"{h:02d}", "number", 3) for h in range(24)),
        ],
        rows=rows,
    )


def timeline_summary(picture: SituationalPicture) -> str:
    """The chart's text alternative: the total and the busiest hours that are shown."""
    days = weekday_names()
    shown = [
        (cell.value, d, h)
        for d, hours in enumerate(picture.timeline)
        for h, cell in enumerate(hours)
        if cell.value
    ]
    busiest = sorted(shown, key=lambda item: (-item[0], item[1], item[2]))[:3]
    text = _("Events this week by weekday and hour: %(total)s in all.") % {
        "total": picture.total.week.text
    }
    if busiest:
        hours = ", ".join(f"{days[d]} {h:02d}–{h + 1:02d} ({int(v)})" for v, d, h in busiest)
        text += " " + _("Busiest: %(hours)s.") % {"hours": hours}
    if any(cell.hidden for day in picture.timeline for cell in day):
        text += " " + _("Grey cells are hidden small counts.")
    return text
