"""Store a parse result: all or nothing, idempotent, fast enough for a whole DeSO table.

A DeSO table holds close to a million figures, so this module does not go through the ORM one
row at a time. The observations are grouped by place; for each chunk of places the stored
values of the same indicators and periods are read with one query, compared in memory, and the
new and changed ones written with ``executemany``. Memory therefore grows with the chunk, not
with the table already stored. Everything runs in one transaction: a problem found anywhere
(or a figure the file gives twice) rolls back every row written before it.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction

from kvarter.areas.models import Area
from kvarter.core.importing import ImportRejected, Problem
from kvarter.core.models import AuditAction, Sex
from kvarter.core.services import audit_record
from kvarter.indicators.importing.observations import Observation, ParseResult
from kvarter.indicators.importing.value_table import chunked, insert_sql, load_stored, update_sql
from kvarter.indicators.models import (
    PERIOD_RE,
    ImportBatch,
    Indicator,
    Level,
    ValueStatus,
    region_level,
)

# progress(phase, done, total): phase is 'parse' (the service), 'store' or 'aggregate'.
Progress = Callable[[str, int, int], None]

PLACES_PER_CHUNK = 400  # places whose stored values are read and compared at once
MAX_PROBLEMS = 200  # a broken file names its first problems, not a million of them

UNIT_LEVELS = frozenset({Level.DESO.value, Level.REGSO.value})
HIDDEN = frozenset({ValueStatus.SUPPRESSED.value, ValueStatus.MISSING.value})
STATUSES = frozenset(s.value for s in ValueStatus)
SEXES = frozenset(s.value for s in Sex)


def _describe(o: Observation) -> str:
    place = o.region_code or f"område/area {o.area_id}"
    return f"{place} {o.period} {o.sex}"


def _problem(field: str, code: str, message: str) -> Problem:
    return Problem(row=None, field=field, code=code, message=message)


@dataclass
class _Checked:
    """What validation learnt on the way: each distinct place and period checked once."""

    levels: dict[Any, str]  # place (region code or area id) -> level
    years: dict[str, int]
    problems: list[Problem]


def validate_observations(observations: Sequence[Observation]) -> _Checked:
    """Check every distinct indicator, place, period, sex and status once, and hidden figures.

    A parser hands over validated rows, so this is a guard for the database's sake: it names
    each wrong value once (not once per row) and nothing is written when it finds anything.
    """
    problems: list[Problem] = []
    indicator_ids = {o[0] for o in observations}
    known = set(Indicator.objects.filter(pk__in=indicator_ids).values_list("pk", flat=True))
    for pk in sorted(indicator_ids - known):
        problems.append(
            _problem("indicator", "unknown_indicator", f"Okänd indikator / unknown indicator {pk}")
        )
    levels: dict[Any, str] = {}
    for code in sorted({o[1] for o in observations if o[2] is None}):
        level = region_level(code)
        if level is None:
            problems.append(
                _problem(
                    "region", "unknown_region", f"Okänd regionkod / unknown region code '{code}'"
                )
            )
        else:
            levels[code] = level.value
    area_ids = {o[2] for o in observations if o[2] is not None}
    known_areas = set(Area.objects.filter(pk__in=area_ids).values_list("pk", flat=True))
    for pk in sorted(area_ids - known_areas):
        problems.append(_problem("area", "unknown_area", f"Okänt område / unknown area {pk}"))
    levels.update((pk, Level.AREA.value) for pk in known_areas)
    if any(o[2] is not None and o[1] for o in observations):
        problems.append(
            _problem(
                "region",
                "area_with_region_code",
                "Ett områdesvärde har också en regionkod / an area's value also has a region code",
            )
        )
    years: dict[str, int] = {}
    for period in sorted({o[3] for o in observations}):
        match = PERIOD_RE.match(period)
        if match is None:
            problems.append(
                _problem("period", "invalid_period", f"Ogiltig period / invalid period '{period}'")
            )
        else:
            years[period] = int(match["year"])
    for sex in sorted({o[4] for o in observations} - SEXES):
        problems.append(_problem("sex", "invalid_sex", f"Ogiltigt kön / invalid sex '{sex}'"))
    for status in sorted({o[6] for o in observations} - STATUSES):
        problems.append(
            _problem("status", "invalid_status", f"Ogiltig status / invalid status '{status}'")
        )
    hidden_with_number = [o for o in observations if o[5] is not None and o[6] in HIDDEN]
    for o in hidden_with_number[:MAX_PROBLEMS]:
        problems.append(
            _problem(
                "value",
                "hidden_value_has_number",
                "Ett dolt eller saknat värde får inte ha en siffra / a suppressed or missing "
                f"value cannot carry a number: {_describe(o)}",
            )
        )
    return _Checked(levels=levels, years=years, problems=problems)


def _duplicate(o: Observation) -> Problem:
    return _problem(
        "",
        "duplicate_value",
        "Samma indikator, plats, period och kön förekommer mer än en gång / the same "
        f"indicator, place, period and sex appears more than once: {_describe(o)}",
    )


def _group_by_place(observations: Sequence[Observation]) -> dict[Any, Sequence[int]]:
    """Indices of each place's observations, in file order.

    SCB and Kolada files list one place's figures together, so usually each place is one run
    and is kept as a ``range``; otherwise the indices are collected in compact arrays.
    """
    runs: list[tuple[Any, int]] = []
    previous: Any = object()
    for i, o in enumerate(observations):
        place = o[2] if o[2] is not None else o[1]
        if place != previous:
            runs.append((place, i))
            previous = place
    if len({place for place, _ in runs}) == len(runs):
        ends = [start for _, start in runs[1:]] + [len(observations)]
        return {place: range(start, end) for (place, start), end in zip(runs, ends, strict=True)}
    groups: dict[Any, array[int]] = {}
    for i, o in enumerate(observations):
        place = o[2] if o[2] is not None else o[1]
        indices = groups.get(place)
        if indices is None:
            groups[place] = indices = array("I")
        indices.append(i)
    return dict(groups)


def store_parse_result(
    result: ParseResult,
    *,
    file_name: str,
    retrieved_on: dt.date,
    source: str | None,
    actor: Any,
    progress: Progress | None = None,
    aggregate: bool = True,
) -> ImportBatch:
    """Write ``result`` as one import batch, or raise :class:`ImportRejected` and write nothing.

    A figure already stored for the same indicator, place, period and sex is left alone when
    value, status, numerator and denominator are the same (counted as skipped) and updated
    when any of them differs (changed); other figures are added. After storing, areas made of
    the DeSO/RegSO units in the file get their values summed up (see
    :mod:`kvarter.indicators.aggregation`) unless ``aggregate`` is False.
    """
    if result.problems:
        raise ImportRejected(result.problems)
    try:
        with transaction.atomic():
            return _store(
                result,
                file_name=file_name,
                retrieved_on=retrieved_on,
                source=source,
                actor=actor,
                progress=progress,
                aggregate=aggregate,
            )
    except IntegrityError as error:  # pragma: no cover - only a concurrent import gets here
        raise ImportRejected(
            [
                Problem(
                    row=None,
                    field="",
                    code="concurrent_import",
                    message=(
                        "Värdena ändrades av en annan import samtidigt; försök igen / the values "
                        f"were changed by another import at the same time; try again ({error})"
                    ),
                )
            ]
        ) from error


def _store(
    result: ParseResult,
    *,
    file_name: str,
    retrieved_on: dt.date,
    source: str | None,
    actor: Any,
    progress: Progress | None,
    aggregate: bool,
) -> ImportBatch:
    observations = result.observations
    checked = validate_observations(observations)
    if checked.problems:
        raise ImportRejected(checked.problems)
    total = len(observations)
    batch_source = (source or result.source or file_name)[:200]
    batch = ImportBatch.objects.create(
        file_name=file_name[:255],
        file_format=result.file_format[:20],
        source=batch_source,
        retrieved_on=retrieved_on,
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    batch_id = batch.pk
    indicator_ids = sorted({o[0] for o in observations})
    periods = sorted(checked.years)
    years, levels = checked.years, checked.levels
    groups = _group_by_place(observations)
    places = list(groups)
    row_sources = result.row_sources
    retrieved = connection.ops.adapt_datefield_value(retrieved_on)
    insert, update = insert_sql(), update_sql()
    area_level = Level.AREA.value
    added = changed = skipped = done = 0

    if progress:
        progress("store", 0, total)
    with connection.cursor() as cursor:
        for chunk in chunked(places, PLACES_PER_CHUNK):
            stored = load_stored(
                indicator_ids=indicator_ids,
                periods=periods,
                region_codes=[p for p in chunk if levels[p] != area_level],
                area_ids=[p for p in chunk if levels[p] == area_level],
            )
            stored_get = stored.get
            inserts: list[tuple[Any, ...]] = []
            updates: list[tuple[Any, ...]] = []
            keys: set[tuple[Any, int, str, str]] = set()
            in_chunk = 0
            for place in chunk:
                level = levels[place]
                indices = groups[place]
                in_chunk += len(indices)
                for i in indices:
                    ind, code, area, period, sex, value, status, num, den = observations[i]
                    key = (place, ind, period, sex)
                    keys.add(key)
                    row_source = (
                        row_sources.get(i, batch_source)[:200] if row_sources else batch_source
                    )
                    old = stored_get(key)
                    if old is None:
                        inserts.append(
                            (
                                ind,
                                level,
                                code,
                                area,
                                period,
                                years[period],
                                sex,
                                value,
                                num,
                                den,
                                status,
                                row_source,
                                retrieved,
                                batch_id,
                            )
                        )
                    elif old[1] == value and old[2] == status and old[3] == num and old[4] == den:
                        skipped += 1
                    else:
                        updates.append(
                            (value, num, den, status, row_source, retrieved, batch_id, old[0])
                        )
            if len(keys) < in_chunk:
                raise ImportRejected(_duplicates(observations, chunk, groups))
            if inserts:
                cursor.executemany(insert, inserts)
            if updates:
                cursor.executemany(update, updates)
            added += len(inserts)
            changed += len(updates)
            done += in_chunk
            if progress:
                progress("store", done, total)

    batch.added, batch.changed, batch.skipped = added, changed, skipped
    units = {p for p, level in levels.items() if level in UNIT_LEVELS}
    if aggregate and units:
        from kvarter.indicators.aggregation import aggregate_to_areas

        summed = aggregate_to_areas(
            batch=batch,
            unit_codes=units,
            indicator_ids=indicator_ids,
            periods=periods,
            progress=progress,
        )
        batch.aggregated = summed.written
        batch.notes = summed.notes
    batch.save(update_fields=["added", "changed", "skipped", "aggregated", "notes"])
    audit_record(
        acting_user=actor,
        action=AuditAction.CREATE,
        instance=batch,
        changes={
            "file_name": [None, batch.file_name],
            "source": [None, batch.source],
            "added": [None, batch.added],
            "changed": [None, batch.changed],
            "skipped": [None, batch.skipped],
            "aggregated": [None, batch.aggregated],
        },
    )
    return batch


def _duplicates(
    observations: Sequence[Observation], places: Sequence[Any], groups: dict[Any, Sequence[int]]
) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    problems: list[Problem] = []
    for place in places:
        for i in groups[place]:
            o = observations[i]
            key = (place, o.indicator_id, o.period, o.sex)
            if key in seen and len(problems) < MAX_PROBLEMS:
                problems.append(_duplicate(o))
            seen.add(key)
    return problems
