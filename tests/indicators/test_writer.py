"""Storing a parse result: all or nothing, idempotent re-import, added/changed/skipped counts."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.factories import AreaFactory, IndicatorFactory

from kvarter.core.actors import SYSTEM
from kvarter.core.importing import ImportRejected, Problem
from kvarter.core.models import AuditEntry
from kvarter.indicators.importing import value_table, writer
from kvarter.indicators.importing.observations import Observation, ParseResult
from kvarter.indicators.importing.writer import store_parse_result
from kvarter.indicators.models import ImportBatch, IndicatorValue

pytestmark = pytest.mark.django_db

RETRIEVED = dt.date(2025, 3, 1)


def _result(observations: list[Observation], **kwargs) -> ParseResult:
    return ParseResult(
        file_format="json-stat2", source="SCB TAB1234", observations=observations, **kwargs
    )


def _store(observations: list[Observation], **kwargs) -> ImportBatch:
    return store_parse_result(
        _result(observations),
        file_name="tabell.json",
        retrieved_on=kwargs.pop("retrieved_on", RETRIEVED),
        source=kwargs.pop("source", None),
        actor=SYSTEM,
        **kwargs,
    )


def _grid(indicator_id: int, codes=("0580C1010", "0580C1020"), years=(2023, 2024), value=40.0):
    return [
        Observation(indicator_id, code, None, str(year), sex, value + n, "ok", value + n, 100.0)
        for n, (code, year, sex) in enumerate(
            (c, y, s) for c in codes for y in years for s in ("T", "K", "M")
        )
    ]


def test_store__new_values__are_added_with_source_date_level_and_batch() -> None:
    indicator = IndicatorFactory()
    observations = [
        *_grid(indicator.pk),
        Observation(indicator.pk, "0580", None, "2024", "T", 55.5, "ok"),
        Observation(indicator.pk, "00", None, "2024", "T", 60.0, "preliminary"),
    ]

    batch = _store(observations)

    assert (batch.added, batch.changed, batch.skipped) == (14, 0, 0)
    assert IndicatorValue.objects.count() == 14
    deso = IndicatorValue.objects.get(region_code="0580C1020", period="2024", sex="M")
    assert (deso.level, deso.year, deso.value, deso.numerator, deso.denominator) == (
        "deso",
        2024,
        51.0,
        51.0,
        100.0,
    )
    assert (deso.source, deso.retrieved_on, deso.batch_id) == ("SCB TAB1234", RETRIEVED, batch.pk)
    assert IndicatorValue.objects.get(region_code="0580").level == "municipality"
    assert IndicatorValue.objects.get(region_code="00").status == "preliminary"
    assert batch.source == "SCB TAB1234" and batch.file_format == "json-stat2"


def test_store__the_same_file_again__skips_every_value_and_changes_nothing() -> None:
    indicator = IndicatorFactory()
    first = _store(_grid(indicator.pk))
    before = list(IndicatorValue.objects.values_list("id", "value", "batch_id", "retrieved_on"))

    again = _store(_grid(indicator.pk), retrieved_on=dt.date(2025, 4, 1))

    assert (again.added, again.changed, again.skipped) == (0, 0, 12)
    after = list(IndicatorValue.objects.values_list("id", "value", "batch_id", "retrieved_on"))
    assert after == before
    assert {b for _, _, b, _ in after} == {first.pk}


def test_store__a_different_value_status_numerator_or_denominator__is_changed() -> None:
    indicator = IndicatorFactory()
    _store(_grid(indicator.pk))
    observations = _grid(indicator.pk)
    observations[0] = observations[0]._replace(value=12.5)
    observations[1] = observations[1]._replace(status="preliminary")
    observations[2] = observations[2]._replace(numerator=7.0)
    observations[3] = observations[3]._replace(denominator=None)
    observations.append(Observation(indicator.pk, "0580C1030", None, "2024", "T", 1.0, "ok"))

    batch = _store(observations, source="SCB TAB1234 (rättad)")

    assert (batch.added, batch.changed, batch.skipped) == (1, 4, 8)
    changed = IndicatorValue.objects.get(region_code="0580C1010", period="2023", sex="T")
    assert changed.value == 12.5
    assert changed.source == "SCB TAB1234 (rättad)" and changed.batch_id == batch.pk
    untouched = IndicatorValue.objects.get(region_code="0580C1020", period="2024", sex="M")
    assert untouched.batch_id != batch.pk


def test_store__suppressed_value__stays_missing_never_zero_and_can_later_arrive() -> None:
    indicator = IndicatorFactory()
    _store([Observation(indicator.pk, "0580C1010", None, "2024", "T", None, "suppressed")])

    stored = IndicatorValue.objects.get()
    assert stored.value is None and stored.status == "suppressed"

    batch = _store([Observation(indicator.pk, "0580C1010", None, "2024", "T", 3.0, "ok")])
    assert batch.changed == 1
    assert IndicatorValue.objects.get().value == 3.0


def test_store__parse_problems__raise_and_write_nothing() -> None:
    indicator = IndicatorFactory()
    problem = Problem(row=7, field="värde", code="not_a_number", message="'abc'")
    result = _result(_grid(indicator.pk), problems=[problem])

    with pytest.raises(ImportRejected) as rejected:
        store_parse_result(
            result, file_name="x.csv", retrieved_on=RETRIEVED, source=None, actor=SYSTEM
        )

    assert rejected.value.problems == [problem]
    assert not ImportBatch.objects.exists() and not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (Observation(0, "0580C1010", None, "2024", "T", 1.0, "ok"), "unknown_indicator"),
        (Observation(None, "0580X1010", None, "2024", "T", 1.0, "ok"), "unknown_region"),
        (Observation(None, "0580C1010", None, "2024Q5", "T", 1.0, "ok"), "invalid_period"),
        (Observation(None, "0580C1010", None, "2024", "X", 1.0, "ok"), "invalid_sex"),
        (Observation(None, "0580C1010", None, "2024", "T", 1.0, "hidden"), "invalid_status"),
        (
            Observation(None, "0580C1010", None, "2024", "T", 0.0, "suppressed"),
            "hidden_value_has_number",
        ),
        (Observation(None, "", 999999, "2024", "T", 1.0, "ok"), "unknown_area"),
    ],
)
def test_store__one_bad_figure__changes_nothing(bad: Observation, code: str) -> None:
    indicator = IndicatorFactory()
    _store(_grid(indicator.pk))
    before = list(IndicatorValue.objects.values_list("id", "value", "status", "batch_id"))
    if bad.indicator_id is None:
        bad = bad._replace(indicator_id=indicator.pk)
    observations = [*_grid(indicator.pk, value=10.0), bad]

    with pytest.raises(ImportRejected) as rejected:
        _store(observations)

    assert [p.code for p in rejected.value.problems] == [code]
    assert list(IndicatorValue.objects.values_list("id", "value", "status", "batch_id")) == before
    assert ImportBatch.objects.count() == 1


def test_store__a_figure_given_twice__is_refused_after_earlier_chunks_were_written(
    monkeypatch,
) -> None:
    """The duplicate is found while writing the last chunk; the earlier chunks roll back."""
    monkeypatch.setattr(writer, "PLACES_PER_CHUNK", 1)
    indicator = IndicatorFactory()
    observations = _grid(indicator.pk, codes=("0580C1010", "0580C1020", "0580C1030"))
    observations.append(observations[-1]._replace(value=99.0))

    with pytest.raises(ImportRejected) as rejected:
        _store(observations)

    assert [p.code for p in rejected.value.problems] == ["duplicate_value"]
    assert "0580C1030 2024 M" in rejected.value.problems[0].message
    assert not IndicatorValue.objects.exists() and not ImportBatch.objects.exists()


def test_store__area_values_and_row_sources() -> None:
    indicator = IndicatorFactory()
    area = AreaFactory()
    result = _result(
        [
            Observation(indicator.pk, "", area.pk, "2024", "K", 21.0, "ok"),
            Observation(indicator.pk, "", area.pk, "2024", "M", 23.0, "ok"),
        ],
        row_sources={1: "Egen enkät 2024"},
    )

    batch = store_parse_result(
        result, file_name="egna.csv", retrieved_on=RETRIEVED, source=None, actor=SYSTEM
    )

    assert batch.added == 2
    women, men = IndicatorValue.objects.filter(area=area).order_by("sex")
    assert (women.level, women.region_code, women.source) == ("area", "", "SCB TAB1234")
    assert men.source == "Egen enkät 2024"


def test_store__progress_reports_every_chunk_up_to_the_total(monkeypatch) -> None:
    monkeypatch.setattr(writer, "PLACES_PER_CHUNK", 1)
    indicator = IndicatorFactory()
    calls: list[tuple[str, int, int]] = []

    _store(_grid(indicator.pk), progress=lambda *args: calls.append(args))

    assert calls == [("store", 0, 12), ("store", 6, 12), ("store", 12, 12)]


def test_store__records_who_imported_in_the_audit_log() -> None:
    indicator = IndicatorFactory()
    batch = _store(_grid(indicator.pk))

    entry = AuditEntry.objects.get(object_id=str(batch.pk), content_type__model="importbatch")
    assert entry.actor_name == "system"
    assert entry.changes["added"] == [None, 12]


def test_store__places_listed_apart_are_grouped_and_compared_alike(monkeypatch) -> None:
    """Kolada lists kpi × municipality × year, so a place's figures come back more than once."""
    monkeypatch.setattr(writer, "PLACES_PER_CHUNK", 1)
    first, second = IndicatorFactory(), IndicatorFactory()
    observations = [
        Observation(indicator.pk, code, None, year, "T", 1.0, "ok")
        for indicator in (first, second)
        for code in ("0580", "0581")
        for year in ("2023", "2024")
    ]
    assert writer._group_by_place(observations)["0580"] == writer.array("I", [0, 1, 4, 5])

    assert _store(observations).added == 8
    observations[5] = observations[5]._replace(value=2.0)
    batch = _store(observations)
    assert (batch.added, batch.changed, batch.skipped) == (0, 1, 7)
    observations.append(observations[0])
    with pytest.raises(ImportRejected):
        _store(observations)


def test_group_by_place__one_run_per_place_is_kept_as_ranges() -> None:
    observations = [
        Observation(1, code, None, "2024", sex, 1.0, "ok") for code in ("00", "05") for sex in "TKM"
    ]
    observations.append(Observation(1, "", 7, "2024", "T", 1.0, "ok"))

    groups = writer._group_by_place(observations)

    assert groups == {"00": range(3), "05": range(3, 6), 7: range(6, 7)}


def test_store__many_periods_are_compared_without_narrowing_the_read(monkeypatch) -> None:
    """Past NARROW_MAX indicators or periods, the read takes all of a place's stored rows."""
    monkeypatch.setattr(value_table, "NARROW_MAX", 1)
    indicator, other = IndicatorFactory(), IndicatorFactory()
    _store([Observation(other.pk, "0580C1010", None, "2019", "T", 5.0, "ok")])
    _store(_grid(indicator.pk))

    batch = _store(_grid(indicator.pk))

    assert (batch.added, batch.changed, batch.skipped) == (0, 0, 12)
    assert IndicatorValue.objects.count() == 13
