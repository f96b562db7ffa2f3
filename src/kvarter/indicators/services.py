"""Importing indicator files: the one path the web upload, the CLI and background jobs share.

Who may import: whoever holds IMPORT_INDICATORS in the municipality, i.e. its administrators and
strategists (an area coordinator, who may change their own areas only, may not, since an import
writes values for every area made of the file's DeSO). A person imports values for their
municipality, its DeSO/RegSO and areas. The comparison levels (counties, the nation) are shared
by every municipality of the installation, so only the installation itself (CLI, jobs) and
superusers (``Capability.IMPORT_SHARED_FIGURES``) import them and any other region; a
municipality's file that also holds them is imported without those rows, with a note.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvarter.accounts.permissions import resolver_for
from kvarter.areas.models import Area, Municipality
from kvarter.core.errors import PermissionDenied
from kvarter.core.importing import ImportRejected, Problem
from kvarter.indicators.importing.checks import HIDDEN
from kvarter.indicators.importing.detect import parse_indicator_file
from kvarter.indicators.importing.observations import ParseResult
from kvarter.indicators.importing.writer import Progress, store_parse_result
from kvarter.indicators.models import ImportBatch, Indicator, Level, region_level

COMPARISON_LEVELS = frozenset({Level.NATION.value, Level.COUNTY.value})


def _require_import_rights(actor: Any, municipality: Municipality | None) -> None:
    """The resolver decides (IMPORT_INDICATORS; None: any region, superusers and SYSTEM)."""
    municipality_id = None if municipality is None else municipality.pk
    if not resolver_for(actor).can_import_indicators(municipality_id):
        raise PermissionDenied()


@dataclass
class ParseSummary:
    """What a parsed file holds, for the preview before anything is stored."""

    file_format: str
    source: str
    values: int = 0
    hidden: int = 0  # suppressed or missing: kept as missing, never 0
    indicators: list[str] = field(default_factory=list)  # catalogue names
    places: dict[str, int] = field(default_factory=dict)  # level -> number of places
    periods: list[str] = field(default_factory=list)
    sexes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def place_count(self) -> int:
        return sum(self.places.values())


def parse_summary(result: ParseResult) -> ParseSummary:
    observations = result.observations
    summary = ParseSummary(
        file_format=result.file_format, source=result.source, problems=list(result.problems)
    )
    summary.values = len(observations)
    summary.hidden = sum(1 for o in observations if o.status in HIDDEN)
    ids = {o.indicator_id for o in observations}
    summary.indicators = [i.name() for i in Indicator.objects.filter(pk__in=ids)]
    levels: Counter[str] = Counter()
    for code in {o.region_code for o in observations if o.area_id is None}:
        level = region_level(code)
        levels[level.value if level else "?"] += 1
    areas = {o.area_id for o in observations if o.area_id is not None}
    if areas:
        levels[Level.AREA.value] = len(areas)
    summary.places = dict(sorted(levels.items()))
    summary.periods = sorted({o.period for o in observations})
    summary.sexes = sorted({o.sex for o in observations})
    return summary


def indicator_file_parse(
    *,
    actor: Any,
    data: bytes,
    file_name: str,
    file_format: str | None = None,
    indicator_code: str | None = None,
    municipality: Municipality | None = None,
) -> ParseResult:
    """Read the file (nothing is stored). Problems are in the result, not raised."""
    _require_import_rights(actor, municipality)
    indicator = None
    if indicator_code:
        indicator = Indicator.objects.filter(code=indicator_code).first()
        if indicator is None:
            return ParseResult(
                file_format=file_format or "",
                source="",
                problems=[
                    Problem(
                        None,
                        "indicator",
                        "unknown_indicator",
                        _("The indicator %(code)s is not in the catalogue"),
                        params={"code": repr(indicator_code)},
                    )
                ],
            )
    result = parse_indicator_file(
        data,
        file_name=file_name,
        file_format=file_format,
        indicator=indicator,
        municipality=municipality,
    )
    if not result.problems:
        result.problems = _outside_problems(actor, result, municipality)
    if not result.problems and not resolver_for(actor).can_import_shared_figures():
        _skip_shared_figures(result)
    return result


def _skip_shared_figures(result: ParseResult) -> None:
    """Leave out the nation's and the counties' figures, with a note on the batch."""
    kept: list[int] = []
    shared: set[str] = set()
    for index, observation in enumerate(result.observations):
        level = region_level(observation.region_code) if observation.area_id is None else None
        if level is not None and level.value in COMPARISON_LEVELS:
            shared.add(observation.region_code)
        else:
            kept.append(index)
    skipped = len(result.observations) - len(kept)
    if not skipped:
        return
    result.row_sources = {
        new: result.row_sources[old] for new, old in enumerate(kept) if old in result.row_sources
    }
    result.observations = [result.observations[index] for index in kept]
    codes = ", ".join(sorted(shared))
    result.notes.append(
        gettext(
            "%(skipped)s values for the nation and counties (%(codes)s) were not imported: "
            "every municipality shares them, and only the installation's operator imports them"
        )
        % {"skipped": skipped, "codes": codes}
    )


def _outside_problems(
    actor: Any, result: ParseResult, municipality: Municipality | None
) -> list[Problem]:
    """Values a person may not import: other municipalities' regions and areas."""
    if resolver_for(actor).is_superuser or municipality is None:
        return []
    outside: set[str] = set()
    for code in {o.region_code for o in result.observations if o.area_id is None}:
        level = region_level(code)
        in_comparison = level is None or level.value in COMPARISON_LEVELS
        if not in_comparison and code[:4] != municipality.code:
            outside.add(code[:4])
    area_ids = {o.area_id for o in result.observations if o.area_id is not None}
    foreign_areas = Area.objects.filter(pk__in=area_ids).exclude(municipality=municipality)
    outside.update(foreign_areas.values_list("municipality__code", flat=True))
    if not outside:
        return []
    codes = ", ".join(sorted(outside)[:20]) + (" …" if len(outside) > 20 else "")
    return [
        Problem(
            None,
            "region",
            "outside_municipality",
            _(
                "The file holds values for other municipalities (%(codes)s) than %(name)s "
                "(%(code)s); you may import only your municipality's, the counties' and the "
                "nation's values"
            ),
            params={"codes": codes, "name": municipality.name, "code": municipality.code},
        )
    ]


def indicator_result_store(
    *,
    actor: Any,
    result: ParseResult,
    file_name: str,
    municipality: Municipality | None = None,
    retrieved_on: dt.date | None = None,
    source: str | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportBatch:
    """Store a parse result from :func:`indicator_file_parse`, all or nothing.

    With ``dry_run`` everything is written and then rolled back: the returned batch (without
    a primary key) says exactly what the import would add, change, skip and sum up.
    """
    _require_import_rights(actor, municipality)
    if result.problems:
        raise ImportRejected(result.problems)
    retrieved_on = retrieved_on or timezone.localdate()
    store: dict[str, Any] = {
        "file_name": file_name,
        "retrieved_on": retrieved_on,
        "source": source,
        "actor": actor,
        "progress": progress,
    }
    if not dry_run:
        return store_parse_result(result, **store)
    with transaction.atomic():
        batch = store_parse_result(result, **store)
        transaction.set_rollback(True)
    batch.pk = None
    return batch


def indicator_file_import(
    *,
    actor: Any,
    data: bytes,
    file_name: str,
    file_format: str | None = None,
    indicator_code: str | None = None,
    municipality: Municipality | None = None,
    retrieved_on: dt.date | None = None,
    source: str | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportBatch:
    """Read an indicator file and store its values: all or nothing, idempotent.

    Raises :class:`PermissionDenied` when ``actor`` may not import for ``municipality``, and
    :class:`ImportRejected` with every problem when the file cannot be imported whole.
    ``progress(phase, done, total)`` is told of 'parse', 'store' and 'aggregate'.
    """
    if progress:
        progress("parse", 0, 1)
    result = indicator_file_parse(
        actor=actor,
        data=data,
        file_name=file_name,
        file_format=file_format,
        indicator_code=indicator_code,
        municipality=municipality,
    )
    if progress:
        progress("parse", 1, 1)
    return indicator_result_store(
        actor=actor,
        result=result,
        file_name=file_name,
        municipality=municipality,
        retrieved_on=retrieved_on,
        source=source,
        progress=progress,
        dry_run=dry_run,
    )


@dataclass
class ImportPreview:
    """What a file holds and what storing it would do; ``outcome`` is None when it has problems."""

    summary: ParseSummary
    outcome: ImportBatch | None  # a rolled-back run's counts and notes, without a primary key


def indicator_file_preview(
    *,
    actor: Any,
    data: bytes,
    file_name: str,
    file_format: str | None = None,
    indicator_code: str | None = None,
    municipality: Municipality | None = None,
    retrieved_on: dt.date | None = None,
    source: str | None = None,
) -> ImportPreview:
    """Parse the file and run its import without keeping anything, for a preview."""
    result = indicator_file_parse(
        actor=actor,
        data=data,
        file_name=file_name,
        file_format=file_format,
        indicator_code=indicator_code,
        municipality=municipality,
    )
    summary = parse_summary(result)
    if result.problems:
        return ImportPreview(summary, None)
    try:
        outcome = indicator_result_store(
            actor=actor,
            result=result,
            file_name=file_name,
            municipality=municipality,
            retrieved_on=retrieved_on,
            source=source,
            dry_run=True,
        )
    except ImportRejected as rejected:
        summary.problems = rejected.problems
        return ImportPreview(summary, None)
    return ImportPreview(summary, outcome)


