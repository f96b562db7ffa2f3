"""JSON-stat 2.0 (as Statistics Sweden's PxWeb API v1 ``json-stat2`` and v2 return it) → values.

The reading follows the JSON-stat 2.0 specification (json-stat.org/full): ``id`` and ``size``
list the dimensions in the order of ``value``, whose last dimension runs fastest; ``value`` is an
array or a sparse object keyed by position (absent cells are null); ``status`` is one string for
every cell, an array, or an object keyed by position; a category ``index`` is an array or an
object of positions. JSON-stat 1.x bundles (PxWeb v1 ``json-stat``) hold one dataset under a
name, with ``id``/``size``/``role`` inside ``dimension``; they are read the same way.

Dimensions are recognised by their role (``time``, ``geo``, ``metric``) or by SCB's ids: ``Tid``,
``Region``, ``ContentsCode`` and ``Kon``. The measure (``ContentsCode``) names the indicator
through :attr:`Indicator.scb_measure`; the ``indicator`` argument stands in when the table has a
single measure or none. A table without a region dimension is a national table (SCB leaves out
Region only where the figures are for the whole country). Any other dimension must hold a single
category (e.g. ``Alder: tot``): with several, the figures cannot be told apart.

Cell symbols are SCB's (Statistikdatabasen's teckenförklaring, the PX file format's dot codes):
``..`` not available or too uncertain to publish → suppressed; ``.`` cannot occur, ``...`` and
the longer dot codes → missing; ``-`` nil → 0 (SCB publishes it as 'noll', a real zero — the one
symbol that means a number); ``*`` and ``p`` → preliminary. A null value is never read as 0.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kvarter.areas.models import Municipality
from kvarter.indicators.importing._jsonstat_cells import (
    apply_statuses,
    bad_values,
    cells,
)
from kvarter.indicators.importing._jsonstat_dims import Dimension, read_structure
from kvarter.indicators.importing._vocab import (
    Problems,
    load_json,
    normalise_sex,
)
from kvarter.indicators.importing.observations import ParseResult
from kvarter.indicators.importing.periods import normalise_period
from kvarter.indicators.importing.regions import normalise_region
from kvarter.indicators.models import NATION_CODE, Indicator

FILE_FORMAT = "json-stat2"

TIME_IDS = frozenset({"tid", "time", "år", "ar", "year", "period"})
GEO_IDS = frozenset({"region", "geo", "område", "omrade", "area"})
METRIC_IDS = frozenset({"contentscode", "tabellinnehåll", "contents", "measure"})
SEX_IDS = frozenset({"kon", "kön", "sex", "gender"})


def parse_jsonstat(
    data: bytes,
    *,
    indicator: Indicator | None = None,
    municipality: Municipality | None = None,
) -> ParseResult:
    """Every cell of a JSON-stat dataset as an observation, or every problem that stops it.

    ``municipality`` is accepted for a uniform interface; region codes are national, so it is
    not needed here.
    """
    problems = Problems()
    document = load_json(data, problems)
    if document is None:
        return ParseResult(file_format=FILE_FORMAT, source="", problems=problems.result())
    return parse_jsonstat_document(document, indicator=indicator)


def parse_jsonstat_document(document: object, *, indicator: Indicator | None = None) -> ParseResult:
    """As :func:`parse_jsonstat`, for a document already read from JSON (e.g. by the sniffer)."""
    problems = Problems()
    structure = read_structure(document, problems)
    if structure is None:
        return ParseResult(file_format=FILE_FORMAT, source="", problems=problems.result())
    dataset, dimensions, values, statuses = structure
    source = _source(dataset)
    roles = _roles(dataset, dimensions)

    columns: dict[str, list[Any]] = {}
    for role, dimension in roles.items():
        columns[role] = _ROLE_READERS[role](dimension, problems)
    if "metric" in roles:
        columns["metric"] = _measures(roles["metric"], indicator, _table_id(dataset), problems)
    elif indicator is not None:
        columns["metric"] = [indicator.pk]
    else:
        problems.add(
            None,
            "dimension",
            "no_indicator",
            _("The table has no contents dimension (ContentsCode); choose the indicator it holds"),
        )
    if "time" not in roles:
        problems.add(None, "dimension", "no_time", _("The table has no time dimension (Tid)"))
    columns.setdefault("geo", [NATION_CODE])
    columns.setdefault("sex", ["T"])
    for dimension in dimensions:
        if dimension not in roles.values() and dimension.size > 1:
            shown = ", ".join(dimension.codes[:5]) + (", …" if dimension.size > 5 else "")
            problems.add(
                None,
                f"dimension.{dimension.id}",
                "ambiguous_dimension",
                _(
                    "The dimension %(id)s has %(size)s categories (%(shown)s); select a single "
                    "one in the query"
                ),
                id=dimension.id,
                size=dimension.size,
                shown=shown,
            )
    if problems:
        return ParseResult(file_format=FILE_FORMAT, source=source, problems=problems.result())

    observations = cells(dimensions, roles, columns, values)
    bad_values(values, observations, problems)
    if statuses is not None:
        apply_statuses(statuses, observations, problems)
    return ParseResult(
        file_format=FILE_FORMAT,
        source=source,
        observations=observations,
        problems=problems.result(),
    )


def _roles(dataset: dict[str, Any], dimensions: list[Dimension]) -> dict[str, Dimension]:
    """Which dimension is time, geo, metric and sex: by declared role first, then by SCB's ids."""
    declared = dataset.get("role")
    if not isinstance(declared, dict):
        declared = {}
    by_id = {dimension.id: dimension for dimension in dimensions}
    roles: dict[str, Dimension] = {}
    for role in ("time", "geo", "metric"):
        names = declared.get(role)
        if isinstance(names, list):
            for name in names:
                if name in by_id and role not in roles and by_id[name] not in roles.values():
                    roles[role] = by_id[name]
    for role, ids in (("time", TIME_IDS), ("geo", GEO_IDS), ("metric", METRIC_IDS)):
        if role not in roles:
            for dimension in dimensions:
                if dimension.id.lower() in ids and dimension not in roles.values():
                    roles[role] = dimension
                    break
    for dimension in dimensions:
        if dimension.id.lower() in SEX_IDS and dimension not in roles.values():
            roles["sex"] = dimension
            break
    return roles


def _normalised(
    dimension: Dimension,
    problems: Problems,
    normalise: Any,
    code: str,
    unknown: Promise,
) -> list[Any]:
    """One normalised value per category; unknown and colliding categories are problems."""
    column: list[Any] = []
    seen: dict[Any, str] = {}
    for category in dimension.codes:
        value = normalise(category, dimension.labels.get(category, ""))
        field_name = f"dimension.{dimension.id}.category.index.{category}"
        if value is None:
            problems.add(None, field_name, code, unknown, category=category)
        elif value in seen:
            problems.add(
                None,
                field_name,
                "duplicate",
                _(
                    "%(first)s and %(category)s in %(dimension)s mean the same (%(value)s); "
                    "every figure would be there twice"
                ),
                first=seen[value],
                category=category,
                dimension=dimension.id,
                value=value,
            )
        else:
            seen[value] = category
        column.append(value)
    return column


def _time_column(dimension: Dimension, problems: Problems) -> list[Any]:
    return _normalised(
        dimension,
        problems,
        lambda c, _l: normalise_period(c),
        "unknown_period",
        _("Unknown period %(category)s"),
    )


def _geo_column(dimension: Dimension, problems: Problems) -> list[Any]:
    return _normalised(
        dimension,
        problems,
        lambda c, _l: normalise_region(c),
        "unknown_region",
        _("Unknown region code %(category)s"),
    )


def _sex_column(dimension: Dimension, problems: Problems) -> list[Any]:
    return _normalised(
        dimension, problems, normalise_sex, "unknown_sex", _("Unknown sex %(category)s")
    )


def _no_column(dimension: Dimension, problems: Problems) -> list[Any]:
    return list(dimension.codes)  # the metric is resolved against the catalogue separately


_ROLE_READERS = {
    "time": _time_column,
    "geo": _geo_column,
    "sex": _sex_column,
    "metric": _no_column,
}


def _measures(
    dimension: Dimension, indicator: Indicator | None, table_id: str, problems: Problems
) -> list[Any]:
    """The catalogue indicator of each contents code, by ``scb_measure`` (and table if needed)."""
    found: dict[str, list[tuple[int, str]]] = {}
    rows = Indicator.objects.filter(scb_measure__in=dimension.codes).values_list(
        "pk", "scb_measure", "scb_table"
    )
    for found_pk, measure, table in rows:
        found.setdefault(measure, []).append((found_pk, table))
    column: list[Any] = []
    taken: dict[int, str] = {}
    for code in dimension.codes:
        field_name = f"dimension.{dimension.id}.category.index.{code}"
        label = dimension.labels.get(code, "")
        named = f"{code} ({label})" if label and label != code else code
        pk: int | None = None
        if indicator is not None and (dimension.size == 1 or indicator.scb_measure == code):
            pk = indicator.pk
        else:
            candidates = found.get(code, [])
            if len(candidates) > 1:
                candidates = [c for c in candidates if c[1] == table_id]
            if len(candidates) == 1:
                pk = candidates[0][0]
            elif found.get(code):
                problems.add(
                    None,
                    field_name,
                    "ambiguous_measure",
                    _("Several indicators have the contents code %(named)s; choose the indicator"),
                    named=named,
                )
            else:
                problems.add(
                    None,
                    field_name,
                    "unknown_indicator",
                    _("The contents code %(named)s is not in the indicator catalogue (SCB code)"),
                    named=named,
                )
        if pk is not None and pk in taken:
            problems.add(
                None,
                field_name,
                "duplicate",
                _("%(taken)s and %(code)s belong to the same indicator; the figures would clash"),
                taken=taken[pk],
                code=code,
            )
        elif pk is not None:
            taken[pk] = code
        column.append(pk)
    return column


def _table_id(dataset: dict[str, Any]) -> str:
    extension = dataset.get("extension")
    px = extension.get("px") if isinstance(extension, dict) else None
    table = px.get("tableid") if isinstance(px, dict) else None
    return str(table) if table else ""


def _source(dataset: dict[str, Any]) -> str:
    """'SCB TAB638' for Statistics Sweden; else the dataset's own source and table, if any."""
    raw = dataset.get("source")
    publisher = raw if isinstance(raw, str) else ""
    if publisher.strip().lower() in {"scb", "statistiska centralbyrån", "statistics sweden"}:
        publisher = "SCB"
    source = f"{publisher} {_table_id(dataset)}".strip()
    return source[:200] or "JSON-stat"
