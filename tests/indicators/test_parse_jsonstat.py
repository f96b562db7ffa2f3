"""JSON-stat 2.0 parser: real SCB responses, generated tables, and every malformed shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from tests.factories import IndicatorFactory
from tests.indicators.generated import (
    cell_value,
    is_suppressed,
    jsonstat_bytes,
    jsonstat_dataset,
)

from kvarter.indicators.importing.jsonstat import parse_jsonstat
from kvarter.indicators.importing.observations import Observation

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"

@pytest.fixture(autouse=True)
def _swedish():
    """Messages are asserted in Swedish, whatever language an earlier test left active."""
    with translation.override("sv"):
        yield



def _dump(dataset: dict[str, Any]) -> bytes:
    return json.dumps(dataset, ensure_ascii=False).encode("utf-8")


def _codes(result: Any) -> list[str]:
    return [problem.code for problem in result.problems]


def _by_key(observations: list[Observation]) -> dict[tuple[int, str, str, str], Observation]:
    return {(o.indicator_id, o.region_code, o.period, o.sex): o for o in observations}


def test_parse_jsonstat__real_scb_v2_national_table__reads_the_cell_from_the_file() -> None:
    raw = (DATA / "scb_v2_TAB638_folkmangd_riket.json").read_bytes()
    source = json.loads(raw)
    indicator = IndicatorFactory(scb_measure="BE0101N1", scb_table="TAB638", unit="count")

    result = parse_jsonstat(raw)

    assert result.problems == []
    assert result.source == "SCB TAB638"
    assert result.observations == [
        Observation(indicator.pk, "00", None, "2024", "M", float(source["value"][0]), "ok")
    ]


def test_parse_jsonstat__real_scb_table_without_region__is_the_nation_by_sex() -> None:
    raw = (DATA / "scb_v2_TAB5974_folkmangd_kon.json").read_bytes()
    source = json.loads(raw)
    indicator = IndicatorFactory(unit="count")  # no scb_measure: the argument names it

    result = parse_jsonstat(raw, indicator=indicator)

    assert result.problems == []
    kon = source["dimension"]["Kon"]["category"]["index"]
    cells = _by_key(result.observations)
    assert cells[(indicator.pk, "00", "2026", "M")].value == source["value"][kon["1"]]
    assert cells[(indicator.pk, "00", "2026", "K")].value == source["value"][kon["2"]]


def test_parse_jsonstat__generated_deso_table__every_cell_suppressed_stay_missing() -> None:
    employed = IndicatorFactory(scb_measure="000005PU")
    assistance = IndicatorFactory(scb_measure="000007AB")
    regions = ["0580C1010", "0580R001", "0580", "05", "00"]
    years = ["2021", "2022"]
    raw = jsonstat_bytes(
        regions=regions, years=years, measures=["000005PU", "000007AB"], suppress_every=7
    )

    result = parse_jsonstat(raw)

    assert result.problems == []
    assert len(result.observations) == len(regions) * 3 * 2 * len(years)
    # Row-major with Region, Kon, ContentsCode, Tid: position 0 is the first of each.
    first = result.observations[0]
    assert first == Observation(employed.pk, "0580C1010", None, "2021", "T", cell_value(0), "ok")
    second_measure = result.observations[len(years)]
    assert second_measure.indicator_id == assistance.pk
    for position, observation in enumerate(result.observations):
        if is_suppressed(position, 7):
            assert observation.value is None
            assert observation.status == "suppressed"
        else:
            assert observation.value == cell_value(position)
            assert observation.status == "ok"


@pytest.mark.parametrize(
    "shape",
    [
        {"sparse": True},
        {"status_as": "array"},
        {"index_as": "array"},
        {"sparse": True, "status_as": "array", "index_as": "array"},
    ],
)
def test_parse_jsonstat__sparse_values_status_arrays_and_index_arrays__read_alike(
    shape: dict[str, Any],
) -> None:
    indicator = IndicatorFactory(scb_measure="000005PU")
    params: dict[str, Any] = {"regions": ["0580", "0581"], "years": ["2020", "2021"]}
    dense = parse_jsonstat(jsonstat_bytes(suppress_every=3, **params))
    other = parse_jsonstat(jsonstat_bytes(suppress_every=3, **shape, **params))

    assert other.problems == []
    assert other.observations == dense.observations
    assert {o.indicator_id for o in other.observations} == {indicator.pk}


def test_parse_jsonstat__time_codes__quarters_months_halves_normalised() -> None:
    IndicatorFactory(scb_measure="000005PU")
    raw = jsonstat_bytes(regions=["0580"], sexes=["T"], years=["2021K3", "2021M04", "2021H1"])

    result = parse_jsonstat(raw)

    assert [o.period for o in result.observations] == ["2021Q3", "2021M04", "2021H1"]


def test_parse_jsonstat__sex_by_label_and_by_letter() -> None:
    indicator = IndicatorFactory()
    dataset = jsonstat_dataset(regions=["0580"], years=["2021"], sexes=["T", "K", "M"])
    dataset["dimension"]["Kon"]["category"] = {
        "index": {"T": 0, "kvinnor": 1, "x": 2},
        "label": {"T": "totalt", "kvinnor": "kvinnor", "x": "män"},
    }

    result = parse_jsonstat(_dump(dataset), indicator=indicator)

    assert result.problems == []
    assert [o.sex for o in result.observations] == ["T", "K", "M"]


def test_parse_jsonstat__scb_symbols__nil_is_zero_dots_missing_star_preliminary() -> None:
    indicator = IndicatorFactory()
    dataset = jsonstat_dataset(
        regions=["0580"], sexes=["T"], years=["2019", "2020", "2021", "2022"]
    )
    dataset["value"] = [None, None, 12.5, None]
    dataset["status"] = {"0": "-", "1": ".", "2": "*", "3": ".."}

    result = parse_jsonstat(_dump(dataset), indicator=indicator)

    assert result.problems == []
    assert [(o.value, o.status) for o in result.observations] == [
        (0.0, "ok"),
        (None, "missing"),
        (12.5, "preliminary"),
        (None, "suppressed"),
    ]


def test_parse_jsonstat__null_without_status__is_missing_never_zero() -> None:
    indicator = IndicatorFactory()
    dataset = jsonstat_dataset(regions=["0580"], sexes=["T"], years=["2021"])
    dataset["value"] = [None]

    result = parse_jsonstat(_dump(dataset), indicator=indicator)

    assert [(o.value, o.status) for o in result.observations] == [(None, "missing")]


def test_parse_jsonstat__jsonstat_1_bundle__read_like_a_dataset() -> None:
    indicator = IndicatorFactory()
    dataset = jsonstat_dataset(regions=["0580", "00"], sexes=["T"], years=["2021"])
    dimension = dict(dataset["dimension"])
    dimension.update(id=dataset["id"], size=dataset["size"], role=dataset["role"])
    bundle = {"dataset": {"dimension": dimension, "value": dataset["value"], "source": "SCB"}}

    result = parse_jsonstat(_dump(bundle), indicator=indicator)

    assert result.problems == []
    assert [o.region_code for o in result.observations] == ["0580", "00"]


def test_parse_jsonstat__truncated_file__says_it_is_cut_off() -> None:
    raw = jsonstat_bytes(regions=["0580"], years=["2021"])

    result = parse_jsonstat(raw[: len(raw) // 2])

    assert _codes(result) == ["not_json"]
    assert "avkortad" in result.problems[0].message
    with translation.override("en"):
        assert "cut off" in result.problems[0].message
    assert result.observations == []


def test_parse_jsonstat__wrong_sizes__every_disagreement_is_named() -> None:
    dataset = jsonstat_dataset(regions=["0580", "0581"], sexes=["T"], years=["2020", "2021"])
    dataset["size"][0] = 3  # Region lists two categories
    dataset["value"] = dataset["value"][:-1]

    result = parse_jsonstat(_dump(dataset))

    assert _codes(result) == ["wrong_size", "wrong_size"]
    fields = [p.field for p in result.problems]
    assert fields == ["size[0]", "value"]
    assert "Region" in result.problems[0].message
    assert result.observations == []


def test_parse_jsonstat__id_and_size_of_different_length__is_a_problem() -> None:
    dataset = jsonstat_dataset(regions=["0580"], sexes=["T"], years=["2021"])
    dataset["size"].append(1)

    result = parse_jsonstat(_dump(dataset))

    assert _codes(result) == ["wrong_size"]


def test_parse_jsonstat__sparse_position_outside_the_cube__is_a_problem() -> None:
    dataset = jsonstat_dataset(regions=["0580"], sexes=["T"], years=["2021"], sparse=True)
    dataset["value"]["7"] = 1.0

    result = parse_jsonstat(_dump(dataset))

    assert _codes(result) == ["wrong_size"]
    assert result.problems[0].field == "value.7"


def test_parse_jsonstat__unknown_codes_and_measures__all_reported_at_once() -> None:
    IndicatorFactory(scb_measure="000005PU")
    raw = jsonstat_bytes(
        regions=["0580", "0999", "0999C1010", "0580X1"],
        years=["2021", "20212"],
        measures=["000005PU", "NOSUCH"],
    )

    result = parse_jsonstat(raw)

    assert sorted(_codes(result)) == [
        "unknown_indicator",
        "unknown_period",
        "unknown_region",
        "unknown_region",
        "unknown_region",
    ]
    messages = " ".join(p.message for p in result.problems)
    assert "Okänd regionkod 0999" in messages
    assert "0999C1010" in messages and "0580X1" in messages and "NOSUCH" in messages
    assert result.observations == []


def test_parse_jsonstat__another_dimension_with_several_categories__cannot_choose() -> None:
    indicator = IndicatorFactory()
    one = jsonstat_bytes(regions=["0580"], years=["2021"], extra={"Alder": ["tot"]})
    many = jsonstat_bytes(regions=["0580"], years=["2021"], extra={"Alder": ["0-19", "20-64"]})

    assert parse_jsonstat(one, indicator=indicator).problems == []
    result = parse_jsonstat(many, indicator=indicator)
    assert _codes(result) == ["ambiguous_dimension"]
    assert result.problems[0].field == "dimension.Alder"


def test_parse_jsonstat__two_codes_for_the_same_cell__are_duplicates() -> None:
    indicator = IndicatorFactory()
    raw = jsonstat_bytes(regions=["00", "SE"], years=["2021"], sexes=["T"])

    result = parse_jsonstat(raw, indicator=indicator)

    assert _codes(result) == ["duplicate"]


def test_parse_jsonstat__text_that_is_no_number__is_a_problem_with_its_place() -> None:
    indicator = IndicatorFactory()
    dataset = jsonstat_dataset(regions=["0580"], sexes=["T"], years=["2020", "2021", "2022"])
    dataset["value"] = ["12.5", "tolv", True]

    result = parse_jsonstat(_dump(dataset), indicator=indicator)

    assert _codes(result) == ["not_a_number", "not_a_number"]
    assert [p.field for p in result.problems] == ["value[1]", "value[2]"]
    assert result.observations[0].value == 12.5


def test_parse_jsonstat__unknown_status_symbol__is_a_problem() -> None:
    indicator = IndicatorFactory()
    dataset = jsonstat_dataset(regions=["0580"], sexes=["T"], years=["2021"])
    dataset["status"] = {"0": "??"}

    result = parse_jsonstat(_dump(dataset), indicator=indicator)

    assert _codes(result) == ["unknown_status"]


def test_parse_jsonstat__no_measure_and_no_indicator__asks_for_the_indicator() -> None:
    dataset = jsonstat_dataset(regions=["0580"], sexes=["T"], years=["2021"])
    for key in ("id", "size"):
        dataset[key] = dataset[key][:2] + dataset[key][3:]
    del dataset["dimension"]["ContentsCode"]
    dataset["role"] = {"time": ["Tid"]}

    assert _codes(parse_jsonstat(_dump(dataset))) == ["no_indicator"]
    indicator = IndicatorFactory()
    result = parse_jsonstat(_dump(dataset), indicator=indicator)
    assert result.problems == []
    assert result.observations[0].indicator_id == indicator.pk


def test_parse_jsonstat__measure_shared_by_two_indicators__the_table_id_decides() -> None:
    IndicatorFactory(scb_measure="000005PU", scb_table="TAB1")
    chosen = IndicatorFactory(scb_measure="000005PU", scb_table="TAB9999")
    raw = jsonstat_bytes(regions=["0580"], sexes=["T"], years=["2021"], table_id="TAB9999")

    result = parse_jsonstat(raw)

    assert result.problems == []
    assert result.observations[0].indicator_id == chosen.pk


def test_parse_jsonstat__not_a_dataset__is_a_problem() -> None:
    assert _codes(parse_jsonstat(b'{"class": "collection", "link": {}}')) == ["collection"]
    assert _codes(parse_jsonstat(b"[1, 2]")) == ["not_jsonstat"]


def test_parse_jsonstat__a_million_bad_cells__first_thousand_kept_and_the_rest_counted() -> None:
    indicator = IndicatorFactory()
    years = [str(y) for y in range(1000, 2500)]
    dataset = jsonstat_dataset(regions=["0580"], sexes=["T"], years=years)
    dataset["value"] = ["x"] * len(years)

    result = parse_jsonstat(_dump(dataset), indicator=indicator)

    assert len(result.problems) == 1001
    assert result.problems[-1].code == "more_problems"
    assert "500" in result.problems[-1].message


def test_parse_jsonstat__one_status_string__applies_to_every_cell() -> None:
    indicator = IndicatorFactory()
    dataset = jsonstat_dataset(regions=["0580", "0581"], sexes=["T"], years=["2024"])
    dataset["status"] = "p"

    result = parse_jsonstat(_dump(dataset), indicator=indicator)

    assert result.problems == []
    assert {o.status for o in result.observations} == {"preliminary"}
    assert all(o.value is not None for o in result.observations)


REAL_SCB = Path("/work/shared/data/real/scb")
REAL_V2_TOTSA = REAL_SCB / "pxwebpy_TAB6471_data_lan_month.json"


def _one_age(source: dict[str, Any], age: str) -> dict[str, Any]:
    """The real v2 cube cut down to one ``Alder`` category, every value taken from the file."""
    ids, sizes = source["id"], source["size"]
    ages = source["dimension"]["Alder"]["category"]["index"]
    keep = ages[age] if isinstance(ages, dict) else ages.index(age)
    axis = ids.index("Alder")
    inner = 1
    for size in sizes[axis + 1 :]:
        inner *= size
    values = [
        v for i, v in enumerate(source["value"]) if (i // inner) % sizes[axis] == keep
    ]
    cut = json.loads(json.dumps(source))
    cut["size"][axis] = 1
    cut["dimension"]["Alder"]["category"]["index"] = {age: 0}
    cut["dimension"]["Alder"]["category"]["label"] = {
        age: source["dimension"]["Alder"]["category"]["label"][age]
    }
    cut["value"] = values
    return cut


@pytest.mark.skipif(not REAL_V2_TOTSA.exists(), reason="the shared real SCB files are not here")
def test_parse_jsonstat__real_scb_v2_sex_total_totsa__is_total_like_1_plus_2() -> None:
    source = json.loads(REAL_V2_TOTSA.read_bytes())
    assert "TotSa" in source["dimension"]["Kon"]["category"]["index"]
    indicator = IndicatorFactory(scb_measure="000007SF", scb_table="TAB6471", unit="count")

    whole = parse_jsonstat(REAL_V2_TOTSA.read_bytes())
    # Only the age dimension (11 categories) stops the whole file; the sex total is understood.
    assert "unknown_sex" not in _codes(whole)
    assert set(_codes(whole)) == {"ambiguous_dimension"}

    result = parse_jsonstat(_dump(_one_age(source, "0-9")))

    assert result.problems == []
    cells = _by_key(result.observations)
    cut = _one_age(source, "0-9")
    kon = cut["dimension"]["Kon"]["category"]["index"]
    tid = cut["dimension"]["Tid"]["category"]["index"]
    # Region is the first dimension: Stockholms län ('01'), first month, every sex.
    for code, sex in (("TotSa", "T"), ("1", "M"), ("2", "K")):
        position = kon[code] * len(tid) + tid["2026M01"]
        assert cells[(indicator.pk, "01", "2026M01", sex)].value == cut["value"][position]
