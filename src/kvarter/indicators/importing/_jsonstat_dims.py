"""The shape of a JSON-stat dataset, checked against the specification before any cell is read.

``id`` and ``size`` must agree with each other, with ``dimension`` and with every category
index; ``value`` must hold exactly the product of the sizes (an array) or positions inside it
(a sparse object); ``status`` likewise. Everything wrong is reported, not only the first thing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from kvarter.indicators.importing._vocab import Problems


@dataclass(eq=False)
class Dimension:
    id: str
    size: int
    codes: list[str]
    labels: dict[str, str] = field(default_factory=dict)


def find_dataset(document: object, problems: Problems) -> dict[str, Any] | None:
    """The one dataset in a JSON-stat 2.0 response or a JSON-stat 1.x bundle."""
    if not isinstance(document, dict):
        problems.add(
            None,
            "",
            "not_jsonstat",
            _("The file is no JSON-stat dataset (an object with dimension and value was expected)"),
        )
        return None
    kind = document.get("class")
    if kind == "dataset" or ("dimension" in document and "value" in document):
        return document
    if kind == "collection":
        problems.add(
            None,
            "class",
            "collection",
            _("The file is a JSON-stat collection; fetch a single dataset"),
        )
        return None
    inner = [v for v in document.values() if isinstance(v, dict) and "dimension" in v]
    if len(inner) == 1 and kind in (None, "bundle"):
        return inner[0]
    problems.add(
        None,
        "class",
        "not_jsonstat",
        _("The file is not a single JSON-stat dataset (%(inner_count)s datasets found)"),
        inner_count=len(inner),
    )
    return None


def read_structure(
    document: object, problems: Problems
) -> tuple[dict[str, Any], list[Dimension], list[Any], Any] | None:
    """(dataset, dimensions in ``id`` order, dense values, raw status) — or None with problems."""
    dataset = find_dataset(document, problems)
    if dataset is None:
        return None
    dimension_map = dataset.get("dimension")
    if not isinstance(dimension_map, dict):
        problems.add(None, "dimension", "no_dimensions", _("The dataset has no dimension object"))
        return None
    # JSON-stat 1.x keeps id, size and role inside 'dimension'.
    ids: Any = dataset.get("id", dimension_map.get("id"))
    sizes: Any = dataset.get("size", dimension_map.get("size"))
    if "role" not in dataset and isinstance(dimension_map.get("role"), dict):
        dataset = {**dataset, "role": dimension_map["role"]}
    if not _is_list_of(ids, str) or not ids:
        problems.add(None, "id", "bad_id", _("id must be a list of the dimension names"))
        return None
    if not _is_list_of(sizes, int) or any(s < 0 for s in sizes):
        problems.add(None, "size", "bad_size", _("size must be a list of whole numbers"))
        return None
    if len(ids) != len(sizes):
        problems.add(
            None,
            "size",
            "wrong_size",
            _("id has %(ids_count)s dimensions but size has %(sizes_count)s"),
            ids_count=len(ids),
            sizes_count=len(sizes),
        )
        return None
    dimensions = [
        _dimension(dim_id, size, dimension_map.get(dim_id), position, problems)
        for position, (dim_id, size) in enumerate(zip(ids, sizes, strict=True))
    ]
    total = math.prod(sizes)
    values = _values(dataset.get("value"), total, sizes, problems)
    statuses = _statuses(dataset.get("status"), total, problems)
    if problems or values is None:
        return None
    return dataset, [d for d in dimensions if d is not None], values, statuses


def _dimension(
    dim_id: str, size: int, body: object, position: int, problems: Problems
) -> Dimension | None:
    where = f"dimension.{dim_id}"
    category = body.get("category") if isinstance(body, dict) else None
    if not isinstance(category, dict):
        problems.add(
            None,
            where,
            "no_category",
            _("The dimension %(dim_id)s is missing or has no category"),
            dim_id=dim_id,
        )
        return None
    index = category.get("index")
    raw_labels = category.get("label")
    labels = {str(k): str(v) for k, v in raw_labels.items()} if isinstance(raw_labels, dict) else {}
    codes: list[str] | None = None
    if isinstance(index, list) and all(isinstance(code, str) for code in index):
        codes = list(index)
    elif isinstance(index, dict):
        codes = _codes_from_positions(dim_id, index, problems)
        if codes is None:
            return None
    elif index is None and len(labels) == 1:
        codes = list(labels)  # the specification lets a single category leave out its index
    if codes is None:
        problems.add(
            None,
            f"{where}.category.index",
            "bad_index",
            _("The dimension %(dim_id)s has no valid category.index"),
            dim_id=dim_id,
        )
        return None
    if len(codes) != size:
        problems.add(
            None,
            f"size[{position}]",
            "wrong_size",
            _("The dimension %(dim_id)s has %(codes_count)s categories but size says %(size)s"),
            dim_id=dim_id,
            codes_count=len(codes),
            size=size,
        )
        return None
    if len(set(codes)) != len(codes):
        problems.add(
            None,
            f"{where}.category.index",
            "duplicate",
            _("The dimension %(dim_id)s lists a category twice"),
            dim_id=dim_id,
        )
        return None
    return Dimension(id=dim_id, size=size, codes=codes, labels=labels)


def _codes_from_positions(
    dim_id: str, index: dict[str, Any], problems: Problems
) -> list[str] | None:
    codes: list[str | None] = [None] * len(index)
    for code, place in index.items():
        if type(place) is not int or not 0 <= place < len(index) or codes[place] is not None:
            problems.add(
                None,
                f"dimension.{dim_id}.category.index.{code}",
                "bad_index",
                _("The category %(code)s in %(dim_id)s has an invalid position %(place)s"),
                code=code,
                dim_id=dim_id,
                place=repr(place),
            )
            return None
        codes[place] = code
    return [code for code in codes if code is not None]


def _values(raw: object, total: int, sizes: list[int], problems: Problems) -> list[Any] | None:
    shape = " × ".join(str(s) for s in sizes)
    if isinstance(raw, list):
        if len(raw) != total:
            problems.add(
                None,
                "value",
                "wrong_size",
                _("value has %(raw_count)s values but the dimensions make %(total)s (%(shape)s)"),
                raw_count=len(raw),
                total=total,
                shape=shape,
            )
            return None
        return raw
    if isinstance(raw, dict):
        dense: list[Any] = [None] * total  # the specification: absent cells are null
        for key, value in raw.items():
            place = _position(key, total)
            if place is None:
                problems.add(
                    None,
                    f"value.{key}",
                    "wrong_size",
                    _("value has a position %(key)s outside 0–%(total_end)s (%(shape)s)"),
                    key=key,
                    total_end=total - 1,
                    shape=shape,
                )
                continue
            dense[place] = value
        return dense
    problems.add(None, "value", "no_values", _("The dataset has no value (an array or an object)"))
    return None


def _statuses(raw: object, total: int, problems: Problems) -> Any:
    if raw is None or isinstance(raw, str):
        return raw
    if isinstance(raw, list):
        if len(raw) not in (1, total):
            problems.add(
                None,
                "status",
                "wrong_size",
                _("status has %(raw_count)s values but the dataset has %(total)s cells"),
                raw_count=len(raw),
                total=total,
            )
        return raw
    if isinstance(raw, dict):
        for key in raw:
            if _position(key, total) is None:
                problems.add(
                    None,
                    f"status.{key}",
                    "wrong_size",
                    _("status has a position %(key)s outside 0–%(total_end)s"),
                    key=key,
                    total_end=total - 1,
                )
        return raw
    problems.add(None, "status", "bad_status", _("status must be a string, an array or an object"))
    return None


def _position(key: str, total: int) -> int | None:
    if not key.isdigit():
        return None
    place = int(key)
    return place if place < total else None


def _is_list_of(items: object, kind: type) -> bool:
    return isinstance(items, list) and all(
        isinstance(item, kind) and not isinstance(item, bool) for item in items
    )
