"""The EST documents of ``kvarter report``, registered with :mod:`kvarter.reports.registry`:

- ``picture --municipality CODE --week 2026-W48 [--area NAME] --format pdf|json``: the weekly
  situational picture (one A4 page), as SYSTEM sees it (raw counts; the read is logged);
- ``est-strategic --municipality CODE --year Y [--quarter Q] --format pdf|docx|xlsx``: the
  management group's EST summary;
- ``crime-prevention --municipality CODE --year Y --format docx|pdf``: a draft of the statutory
  crime-prevention situational picture from EST reports.

The two EST documents hide small counts as for the management group; ``--exact`` shows every
count (for EST members).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext

from kvarter.areas.models import Area, Municipality
from kvarter.core.actors import SYSTEM
from kvarter.reports.formats import render
from kvarter.safety.documents import STRATEGIC_FORMATS
from kvarter.safety.documents.picture import FORMATS as PICTURE_FORMATS
from kvarter.safety.documents.picture import render_picture
from kvarter.safety.documents.strategic import crime_prevention_document, est_strategic_document
from kvarter.safety.picture.rules import IsoWeek, WeekError
from kvarter.safety.picture.selectors import situational_picture


def picture_file(options: Mapping[str, Any]) -> bytes:
    """The weekly situational picture of ``--municipality`` for ``--week``."""
    fmt: str = options["format"]
    if fmt not in PICTURE_FORMATS:
        raise CommandError(
            gettext("A situational picture comes as %(formats)s")
            % {"formats": ", ".join(PICTURE_FORMATS)}
        )
    municipality = _municipality(options)
    try:
        week = IsoWeek.parse(options.get("week") or "")
    except WeekError as error:
        raise CommandError(
            gettext("--week is e.g. 2026-W48: %(week)s") % {"week": options.get("week")}
        ) from error
    areas = None
    if options.get("area"):
        areas = []
        for name in (n.strip() for n in options["area"].split(",") if n.strip()):
            found = Area.objects.filter(municipality=municipality, name__iexact=name).first()
            if found is None:
                raise CommandError(gettext("No such area: %(name)s") % {"name": name})
            areas.append(found)
    picture = situational_picture(
        actor=SYSTEM,
        municipality=municipality,
        week=week,
        areas=areas,
        door="cli",
        include_reports=fmt == "json",
    )
    return render_picture(picture, fmt, language=options.get("language") or "sv")


def strategic_file(options: Mapping[str, Any]) -> bytes:
    """The management group's EST summary of ``--year`` (and ``--quarter``)."""
    fmt = _format(options, STRATEGIC_FORMATS["strategic"])
    municipality = _municipality(options)
    doc = est_strategic_document(
        municipality=municipality,
        year=_year(options),
        quarter=options.get("quarter"),
        exact_area_ids=_exact_area_ids(options, municipality),
        language=options.get("language") or "sv",
    )
    return render(doc, fmt)


def crime_prevention_file(options: Mapping[str, Any]) -> bytes:
    """The draft crime-prevention situational picture of ``--year``."""
    fmt = _format(options, STRATEGIC_FORMATS["crime-prevention"])
    municipality = _municipality(options)
    doc = crime_prevention_document(
        municipality=municipality,
        year=_year(options),
        exact_area_ids=_exact_area_ids(options, municipality),
        language=options.get("language") or "sv",
    )
    return render(doc, fmt)


def _format(options: Mapping[str, Any], allowed: tuple[str, ...]) -> str:
    fmt: str = options["format"]
    if fmt not in allowed:
        raise CommandError(
            gettext("The report comes as %(formats)s") % {"formats": ", ".join(allowed)}
        )
    return fmt


def _municipality(options: Mapping[str, Any]) -> Municipality:
    code = options.get("municipality") or ""
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise CommandError(
            gettext("No such municipality: %(code)s.") % {"code": code or "–"}
        )
    return municipality


def _year(options: Mapping[str, Any]) -> int:
    year = options.get("year")
    if not year:
        raise CommandError(gettext("Give --year."))
    return int(year)


def _exact_area_ids(options: Mapping[str, Any], municipality: Municipality) -> list[int]:
    if not options.get("exact"):
        return []
    return list(Area.objects.filter(municipality=municipality).values_list("pk", flat=True))
