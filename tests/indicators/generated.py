"""Indicator files built from parameters: SCB-style JSON-stat 2.0, Kolada v2/v3 and long CSV.

The shapes follow the published formats (json-stat.org/full; the PxWeb API's ``json-stat2``
output, whose SCB tables list Region, Kon, ContentsCode and Tid in that order; Kolada's ``data``
responses). Values are a pure function of the cell's position (:func:`cell_value`), so a test or
a benchmark can say what any cell must hold without keeping a copy. Every ``suppress_every``-th
cell is left out the way the source does it: null with SCB's '..', or Kolada's status 'Missing'.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

SCB_SEXES = {"T": "1+2", "K": "2", "M": "1"}
SCB_SEX_LABELS = {"1": "män", "2": "kvinnor", "1+2": "totalt"}


def cell_value(position: int) -> float:
    """The value of the cell at ``position`` (row-major): one decimal, 10.0–99.9."""
    return round(10 + (position * 7919 % 900) / 10, 1)


def is_suppressed(position: int, suppress_every: int) -> bool:
    return suppress_every > 0 and position % suppress_every == suppress_every - 1


def deso_codes(count: int, municipality: str = "0580") -> list[str]:
    """``count`` DeSO codes, spread over municipalities from ``municipality`` onward if needed."""
    from kvarter.indicators.importing.regions import MUNICIPALITIES

    municipalities = sorted(MUNICIPALITIES)
    start = municipalities.index(municipality)
    codes = []
    for n in range(count):
        code = municipalities[(start + n // 900) % len(municipalities)]
        letter = "ABC"[(n // 300) % 3]
        codes.append(f"{code}{letter}{n % 300 + 1:04d}")
    return codes


def jsonstat_dataset(
    *,
    regions: Sequence[str],
    years: Sequence[str],
    sexes: Sequence[str] = ("T", "K", "M"),
    measures: Sequence[str] = ("000005PU",),
    suppress_every: int = 0,
    table_id: str = "TAB9999",
    sparse: bool = False,
    status_as: str = "object",
    index_as: str = "object",
    extra: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """A JSON-stat 2.0 dataset as SCB's PxWeb returns it (``format: json-stat2``).

    ``sexes`` are T/K/M and written with SCB's Kon codes. ``extra`` adds dimensions (e.g.
    ``{"Alder": ["tot"]}``) after Kon. ``sparse`` writes value as an object without the null
    cells; ``status_as`` is 'object' or 'array'; ``index_as`` is 'object' or 'array'.
    """
    extra = extra or {}
    kon = [SCB_SEXES[s] for s in sexes]
    dims: list[tuple[str, str, list[str], dict[str, str]]] = [
        ("Region", "region", list(regions), {r: r for r in regions}),
        ("Kon", "kön", kon, {k: SCB_SEX_LABELS[k] for k in kon}),
    ]
    for dim_id, categories in extra.items():
        dims.append((dim_id, dim_id.lower(), categories, {c: c for c in categories}))
    dims.append(("ContentsCode", "tabellinnehåll", list(measures), {m: m for m in measures}))
    dims.append(("Tid", "år", list(years), {y: y for y in years}))
    total = 1
    for _, _, categories, _ in dims:
        total *= len(categories)

    values: list[float | None] = []
    statuses: dict[str, str] = {}
    for position in range(total):
        if is_suppressed(position, suppress_every):
            values.append(None)
            statuses[str(position)] = ".."
        else:
            values.append(cell_value(position))

    dimension: dict[str, Any] = {}
    for dim_id, label, categories, labels in dims:
        index: Any = (
            {c: i for i, c in enumerate(categories)} if index_as == "object" else list(categories)
        )
        dimension[dim_id] = {
            "label": label,
            "category": {"index": index, "label": labels},
            "extension": {"elimination": dim_id == "Kon", "show": "value"},
        }
    dimension["ContentsCode"]["category"]["unit"] = {
        m: {"base": "procent", "decimals": 1} for m in measures
    }
    dataset: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "label": "Genererad tabell efter region, kön, tabellinnehåll och år",
        "source": "SCB",
        "updated": "2025-03-01T07:00:00Z",
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "id": [d[0] for d in dims],
        "size": [len(d[2]) for d in dims],
        "dimension": dimension,
        "extension": {"px": {"tableid": table_id, "decimals": 1, "language": "sv"}},
    }
    if sparse:
        dataset["value"] = {str(i): v for i, v in enumerate(values) if v is not None}
    else:
        dataset["value"] = values
    if statuses:
        if status_as == "array":
            dataset["status"] = [statuses.get(str(i)) for i in range(total)]
        else:
            dataset["status"] = statuses
    return dataset


def jsonstat_bytes(**kwargs: Any) -> bytes:
    return json.dumps(jsonstat_dataset(**kwargs), ensure_ascii=False).encode("utf-8")


def kolada_rows(
    *,
    kpis: Sequence[str],
    municipalities: Sequence[str],
    years: Sequence[int],
    genders: Sequence[str] = ("T", "K", "M"),
    suppress_every: int = 0,
) -> list[dict[str, Any]]:
    """Kolada ``data`` rows: one per kpi × municipality × year, ``values`` one per gender."""
    rows = []
    position = 0
    for kpi in kpis:
        for municipality in municipalities:
            for year in years:
                values = []
                for gender in genders:
                    if is_suppressed(position, suppress_every):
                        values.append(
                            {"count": 1, "gender": gender, "status": "Missing", "value": None}
                        )
                    else:
                        values.append(
                            {
                                "count": 1,
                                "gender": gender,
                                "status": "",
                                "value": cell_value(position),
                            }
                        )
                    position += 1
                rows.append(
                    {"kpi": kpi, "municipality": municipality, "period": year, "values": values}
                )
    return rows


def kolada_bytes(*, version: int = 3, **kwargs: Any) -> bytes:
    """A Kolada v2 (``count``, ``values``) or v3 (``values``, ``next_url``) data response."""
    rows = kolada_rows(**kwargs)
    if version == 2:
        body: dict[str, Any] = {"count": len(rows), "values": rows}
    else:
        body = {"values": rows, "count": len(rows), "next_url": None}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def long_csv_bytes(
    rows: Iterable[Sequence[Any]],
    *,
    header: Sequence[str] = ("område", "indikator", "period", "kön", "värde", "status", "källa"),
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
) -> bytes:
    """A long CSV: the header, then one line per row; numbers are written as given."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue().encode(encoding)


def deso_benchmark_bytes(
    *, measures: Sequence[str], regions: int = 6000, years: int = 10, suppress_every: int = 37
) -> bytes:
    """The benchmark's DeSO table: 6,000 DeSO × 10 years × 3 sexes × the measures (5 ≈ 900,000)."""
    return jsonstat_bytes(
        regions=deso_codes(regions),
        years=[str(2015 + n) for n in range(years)],
        measures=measures,
        suppress_every=suppress_every,
        table_id="TAB9999",
    )
