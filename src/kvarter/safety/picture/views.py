"""The weekly situational picture page (/est/lagesbild/) and its one-page PDF.

Thin doors: read the municipality, week and areas from the query, call
:func:`kvarter.safety.picture.selectors.situational_picture` (which suppresses and logs), lay it
out.
The map shows the reports' positions only for the areas the reader may see raw; everyone
else sees the areas shaded by their (suppressed) counts and the hot-spot cells with at least
the smallest count shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kvarter.accounts.permissions import resolver_for
from kvarter.accounts.roles import Capability
from kvarter.areas.models import Area, Municipality
from kvarter.areas.selectors import access_municipality_by_code
from kvarter.core.errors import NotFoundOrForbidden
from kvarter.core.web import domain_errors
from kvarter.indicators.charts import accessible_svg
from kvarter.reports.formats import file_response
from kvarter.safety.documents import picture as report
from kvarter.safety.picture.rules import STOCKHOLM, IsoWeek, WeekError
from kvarter.safety.picture.selectors import SituationalPicture, situational_picture

# Sequential blues for the areas' shading by this week's count; hidden counts are hatched.
AREA_COLOURS = ["#deebf7", "#9ecae1", "#4292c6", "#08519c"]


def _municipalities(request: HttpRequest) -> list[Municipality]:
    return list(
        resolver_for(request.user).municipalities_with(
            Capability.VIEW_MUNICIPALITY_INTERNALS, Capability.VIEW_RAW_INCIDENTS
        )
    )


def municipality_from(request: HttpRequest, choices: list[Municipality]) -> Municipality:
    code = request.GET.get("kommun", "")
    if code:
        municipality = access_municipality_by_code(request.user, code)
        if municipality not in choices:
            raise NotFoundOrForbidden
        return municipality
    if not choices:
        raise NotFoundOrForbidden
    return choices[0]


def week_from(request: HttpRequest) -> IsoWeek:
    """The week asked for, else the current one (Stockholm)."""
    value = request.GET.get("vecka", "")
    if value:
        try:
            return IsoWeek.parse(value)
        except WeekError:
            pass
    return IsoWeek.parse(dt.datetime.now(tz=STOCKHOLM).date())


def areas_from(request: HttpRequest, municipality: Municipality) -> list[Area] | None:
    """The ticked areas; none ticked: a member's own areas, else every area (None)."""
    ids = [int(v) for v in request.GET.getlist("omrade") if v.isdigit()]
    if ids:
        return list(Area.objects.filter(municipality=municipality, pk__in=ids))
    own = resolver_for(request.user).raw_incident_area_ids(municipality.pk)
    if own:
        return list(Area.objects.filter(municipality=municipality, pk__in=own))
    return None


def _query(municipality: Municipality, week: IsoWeek, areas: list[Area]) -> str:
    return urlencode(
        [("kommun", municipality.code), ("vecka", str(week))] + [("omrade", a.pk) for a in areas]
    )


def _area_shade(picture: SituationalPicture) -> dict[str, Any]:
    """Areas as GeoJSON with a colour class from this week's shown count (None: hidden)."""
    shown = [s.value for s in picture.area_counts.values() if s.value is not None]
    top = max(shown, default=0) or 1
    features = []
    for area in picture.areas:
        count = picture.area_counts.get(area.pk)
        colour = None
        if count is not None and count.value is not None:
            colour = AREA_COLOURS[min(int(count.value / top * len(AREA_COLOURS)), 3)]
        if not area.boundary:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": area.boundary,
                "properties": {
                    "name": area.name,
                    "label": f"{area.name}: {count.text if count else '–'}",
                    "colour": colour,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _hotspots(picture: SituationalPicture) -> tuple[dict[str, Any] | None, str]:
    """Hot and cold cells of the week (suppressed for readers of aggregates), or why none."""
    from kvarter.safety.picture.hotspot_stats import NotEnoughData
    from kvarter.safety.picture.hotspots import hotspots_for, hotspots_geojson

    try:
        cells = hotspots_for(
            picture.municipality,
            picture.week.monday,
            picture.week.monday + dt.timedelta(days=7),
            areas=[a.pk for a in picture.areas],
            # A week's reports are sparse: the normal approximation then calls 5-20 cells of
            # pure noise 'hot' even after the FDR correction; the exact randomisation p-values
            # do not (tests/safety/test_hotspots.py, decision 7).
            p_values="randomisation",
        )
    except NotEnoughData:
        return None, _("Too few events this week for a hot-spot analysis.")
    significant = [c for c in cells if c.classification in ("hot", "cold")]
    if picture.suppressed:
        # Readers of aggregates see a cell only if it holds at least the smallest count shown.
        significant = [c for c in significant if c.count >= picture.threshold]
    geojson = hotspots_geojson(
        significant, smallest_count_shown=picture.threshold if picture.suppressed else None
    )
    if not significant:
        return geojson, _("No significant hot or cold spots this week.")
    return geojson, ""


def _points(picture: SituationalPicture) -> list[dict[str, Any]]:
    return [
        {
            "lat": r.latitude,
            "lon": r.longitude,
            "label": f"{r.occurred_at:%a %H:%M} · {r.category}{' · ' + r.place if r.place else ''}",
        }
        for r in picture.reports or []
        if r.latitude is not None and r.longitude is not None
    ]


@login_required
@domain_errors
def picture_page(request: HttpRequest) -> HttpResponse:
    choices = _municipalities(request)
    municipality = municipality_from(request, choices)
    week = week_from(request)
    picture = situational_picture(
        actor=request.user,
        municipality=municipality,
        week=week,
        areas=areas_from(request, municipality),
        door="web",
    )
    hotspots, hotspot_note = _hotspots(picture)
    chosen = list(picture.areas)
    all_areas = list(Area.objects.filter(municipality=municipality).order_by("name"))
    base = reverse("safety:picture")

    def week_link(other: IsoWeek) -> str:
        return f"{base}?{_query(municipality, other, chosen)}"

    context = {
        "municipality": municipality,
        "municipalities": choices,
        "picture": picture,
        "week": week,
        "title": report.week_title(picture),
        "span": report.week_span(picture),
        "previous_url": week_link(week.shifted(-1)),
        "next_url": week_link(week.shifted(1)),
        "areas": [
            {"area": a, "checked": a in chosen, "raw": a.pk in picture.raw_area_ids}
            for a in all_areas
        ],
        "raw_names": [a.name for a in chosen if a.pk in picture.raw_area_ids],
        "timeline_svg": accessible_svg(
            report.timeline_chart(picture), report.timeline_summary(picture)
        ),
        "timeline_summary": report.timeline_summary(picture),
        "weekdays": report.weekday_names(),
        "timeline_rows": list(zip(report.weekday_names(), picture.timeline, strict=True)),
        "hours": [f"{h:02d}" for h in range(24)],
        "map_data": {
            "areas": _area_shade(picture),
            "hotspots": hotspots,
            "points": _points(picture),
        },
        "hotspot_note": hotspot_note,
        "rules": report.rules_text(picture),
        "symbols": report.symbols_text(),
        "pdf_url": reverse("safety:picture_pdf") + f"?{_query(municipality, week, chosen)}",
        # The Friday meeting decides next week's deployments and exports from this picture.
        "deployment_url": reverse("safety:deployment_new")
        + "?"
        + urlencode({"kommun": municipality.code, "vecka": str(week)}),
        "export_url": reverse("safety:export")
        + "?"
        + urlencode(
            [("kommun", municipality.code), ("vecka", str(week))]
            + [("omrade", a.pk) for a in chosen]
        ),
        "json_url": reverse("picture-api", args=[municipality.code])
        + "?"
        + urlencode([("week", str(week))] + [("area", a.pk) for a in chosen]),
    }
    return render(request, "safety/picture.html", context)


@login_required
@domain_errors
def picture_pdf(request: HttpRequest) -> HttpResponse:
    municipality = municipality_from(request, _municipalities(request))
    week = week_from(request)
    picture = situational_picture(
        actor=request.user,
        municipality=municipality,
        week=week,
        areas=areas_from(request, municipality),
        door="pdf",
        include_reports=False,
    )
    body = report.render_picture(picture, "pdf", language=get_language() or "sv")
    return file_response(body, "pdf", stem=f"lagesbild-{municipality.code}-{week}")
