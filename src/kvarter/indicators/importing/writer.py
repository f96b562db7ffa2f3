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
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext_lazy as _

from kvarter.core.importing import ImportRejected, Problem
from kvarter.core.models import AuditAction
from kvarter.core.services import audit_record
from kvarter.indicators.importing.checks import duplicates, validate_observations
from kvarter.indicators.importing.observations import Observation, ParseResult
from kvarter.indicators.importing.value_table import chunked, insert_sql, load_stored, update_sql
from kvarter.indicators.models import (
    ImportBatch,
    Level,
)

# progress(phase, done, total): phase is 'parse' (the service), 'store' or 'aggregate'.
Progress = Callable[[str, int, int], None]

PLACES_PER_CHUNK = 400  # places whose stored values are read and compared at once

UNIT_LEVELS = frozenset({Level.DESO.value, Level.REGSO.value})


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


class _Rows:
    """One chunk's figures sorted into rows to insert and rows to update (the rest skipped)."""

    def __init__(
        self,
        observations: Sequence[Observation],
        groups: dict[Any, Sequence[int]],
        levels: dict[Any, str],
        years: dict[str, int],
        stamp: tuple[Any, int],  # (retrieved on, as the database takes it; batch id)
    ) -> None:
        self.observations, self.groups = observations, groups
        self.levels, self.years = levels, years
        self.retrieved, self.batch_id = stamp
        self.inserts: list[tuple[Any, ...]] = []
        self.updates: list[tuple[Any, ...]] = []
        self.skipped = 0
        self.count = 0

    def _place(self, place: Any) -> Sequence[Observation]:
        indices = self.groups[place]
        if isinstance(indices, range):
            return self.observations[indices.start : indices.stop]
        return [self.observations[i] for i in indices]

    def fresh(self, chunk: Sequence[Any], source: str) -> None:
        """Every figure is new: build the rows without looking anything up."""
        years, retrieved, batch_id = self.years, self.retrieved, self.batch_id
        for place in chunk:
            figures = self._place(place)
            if len({(o[0], o[3], o[4]) for o in figures}) < len(figures):
                raise ImportRejected(duplicates(self.observations, [place], self.groups))
            level = self.levels[place]
            self.inserts += [
                (
                    o[0],
                    level,
                    o[1],
                    o[2],
                    o[3],
                    years[o[3]],
                    o[4],
                    o[5],
                    o[7],
                    o[8],
                    o[6],
                    source,
                    retrieved,
                    batch_id,
                )
                for o in figures
            ]
            self.count += len(figures)

    def compare(
        self,
        chunk: Sequence[Any],
        stored: dict[tuple[Any, int, str, str], Any],
        row_sources: dict[int, str],
        batch_source: str,
    ) -> None:
        """Compare each figure with the stored one of the same indicator, place, period, sex."""
        observations, years = self.observations, self.years
        retrieved, batch_id = self.retrieved, self.batch_id
        stored_get = stored.get
        inserts, updates = self.inserts, self.updates
        keys: set[tuple[Any, int, str, str]] = set()
        for place in chunk:
            level = self.levels[place]
            indices = self.groups[place]
            self.count += len(indices)
            for i in indices:
                ind, code, area, period, sex, value, status, num, den = observations[i]
                key = (place, ind, period, sex)
                keys.add(key)
                source = row_sources.get(i, batch_source)[:200] if row_sources else batch_source
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
                            source,
                            retrieved,
                            batch_id,
                        )
                    )
                elif old[1] == value and old[2] == status and old[3] == num and old[4] == den:
                    self.skipped += 1
                else:
                    updates.append((value, num, den, status, source, retrieved, batch_id, old[0]))
        if len(keys) < self.count:
            raise ImportRejected(duplicates(observations, chunk, self.groups))


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
                    None,
                    "",
                    "concurrent_import",
                    _(
                        "The values were changed by another import at the same time; try again "
                        "(%(reason)s)"
                    ),
                    params={"reason": str(error)},
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
            rows = _Rows(observations, groups, levels, years, (retrieved, batch_id))
            if stored or row_sources:
                rows.compare(chunk, stored, row_sources, batch_source)
            else:  # nothing stored for these places yet: every figure is new
                rows.fresh(chunk, batch_source)
            inserts, updates, in_chunk = rows.inserts, rows.updates, rows.count
            skipped += rows.skipped
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
    if result.notes:
        batch.notes = [*result.notes, *batch.notes]
    batch.save(update_fields=["added", "changed", "skipped", "aggregated", "notes"])
    audit_record(
        actor=actor,
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
