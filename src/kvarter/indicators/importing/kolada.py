"""Kolada API ``data`` responses (v2 and v3) → values.

A response is ``{"values": [row, …]}`` (v2 adds ``count`` and paging links, v3 ``next_url``);
each row is ``{"kpi", "municipality", "period", "values": [{"gender", "status", "value",
"count"}]}`` with gender T (total), K (women) or M (men). Kolada writes the nation as '0000'
and county councils as '00' + the county code. Rows for organisational units (``ou``, from
``/oudata``) name schools and care units, which the catalogue has no place for; they are
reported, not guessed at.

A row's status is '' for a published figure; 'Missing' (or a null value) is missing, never 0.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kvarter.areas.models import Municipality
from kvarter.indicators.importing._vocab import (
    MISSING,
    OK,
    STATUS_WORDS,
    Problems,
    load_json,
)
from kvarter.indicators.importing.observations import Observation, ParseResult
from kvarter.indicators.importing.periods import normalise_period
from kvarter.indicators.importing.regions import normalise_region
from kvarter.indicators.models import Indicator

FILE_FORMAT = "kolada"
GENDERS = {"T": "T", "K": "K", "M": "M"}


def parse_kolada(
    data: bytes,
    *,
    municipality: Municipality | None = None,
    indicator: Indicator | None = None,
) -> ParseResult:
    """Every figure of a Kolada data response, or every problem that stops it.

    ``municipality`` is accepted for a uniform interface; Kolada's region ids are national.
    ``indicator`` names the indicator of rows that carry no ``kpi`` (a one-KPI download).
    """
    problems = Problems()
    document = load_json(data, problems)
    if document is None:
        return ParseResult(file_format=FILE_FORMAT, source="", problems=problems.result())
    return parse_kolada_document(document, indicator=indicator)


def kolada_rows(document: object) -> list[Any] | None:
    """The rows of a Kolada data response (``values``), or None if it is none."""
    rows = document.get("values") if isinstance(document, dict) else document
    if not isinstance(rows, list):
        return None
    if rows and not all(_is_row(row) for row in rows[:10]):
        return None
    return rows


def _is_row(row: object) -> bool:
    if not isinstance(row, dict) or not isinstance(row.get("values"), list):
        return False
    return "kpi" in row or ("period" in row and ("municipality" in row or "ou" in row))


def parse_kolada_document(document: object, *, indicator: Indicator | None = None) -> ParseResult:
    """As :func:`parse_kolada`, for a document already read from JSON."""
    problems = Problems()
    rows = kolada_rows(document)
    if rows is None:
        problems.add(
            None,
            "values",
            "not_kolada",
            _(
                "The file is no Kolada response (a values list of kpi, municipality, period was "
                "expected)"
            ),
        )
        return ParseResult(file_format=FILE_FORMAT, source="", problems=problems.result())

    kpis = {row.get("kpi") for row in rows if isinstance(row, dict)}
    by_kpi: dict[str, list[int]] = {}
    for found_kpi, pk in (
        Indicator.objects.filter(kolada_kpi__in=[k for k in kpis if isinstance(k, str)])
        .exclude(kolada_kpi="")
        .values_list("kolada_kpi", "pk")
    ):
        by_kpi.setdefault(found_kpi, []).append(pk)
    catalogue = {k: pks[0] for k, pks in by_kpi.items() if len(pks) == 1}
    unknown_kpis: dict[str, int] = {}
    observations: list[Observation] = []
    seen: dict[tuple[int, str, str, str], int] = {}

    for number, row in enumerate(rows, start=1):
        where = f"values[{number - 1}]"
        if not isinstance(row, dict):
            problems.add(number, where, "bad_row", _("The row is no object"))
            continue
        kpi = row.get("kpi")
        indicator_id = catalogue.get(kpi) if isinstance(kpi, str) else None
        if kpi is None and indicator is not None:
            indicator_id = indicator.pk
            kpi = indicator.kolada_kpi or indicator.code
        elif kpi is None and "kpi" not in unknown_kpis:
            unknown_kpis["kpi"] = number
            problems.add(
                number,
                f"{where}.kpi",
                "no_indicator",
                _("The row names no KPI (kpi); choose the indicator the file holds"),
            )
        elif indicator_id is None and str(kpi) not in unknown_kpis:
            unknown_kpis[str(kpi)] = number
            if isinstance(kpi, str) and kpi in by_kpi:
                problems.add(
                    number,
                    f"{where}.kpi",
                    "ambiguous_indicator",
                    _("Several indicators in the catalogue have the Kolada KPI %(kpi)s"),
                    kpi=kpi,
                )
            else:
                problems.add(
                    number,
                    f"{where}.kpi",
                    "unknown_indicator",
                    _("The Kolada KPI %(kpi)s is not in the indicator catalogue"),
                    kpi=kpi,
                )
        region = _region(row, number, where, problems)
        period = normalise_period(row.get("period"))
        if period is None:
            problems.add(
                number,
                f"{where}.period",
                "unknown_period",
                _("Unknown period %(period)s"),
                period=repr(row.get('period')),
            )
        cells = row.get("values")
        if not isinstance(cells, list):
            problems.add(number, f"{where}.values", "no_values", _("The row has no values list"))
            continue
        for place, cell in enumerate(cells):
            observation = _cell(cell, f"{where}.values[{place}]", number, problems)
            if observation is None or indicator_id is None or region is None or period is None:
                continue
            sex, value, status = observation
            key = (indicator_id, region, period, sex)
            if key in seen:
                problems.add(
                    number,
                    f"{where}.values[{place}]",
                    "duplicate",
                    _("%(kpi)s %(region)s %(period)s %(sex)s is already on row %(seen)s"),
                    kpi=kpi,
                    region=region,
                    period=period,
                    sex=sex,
                    seen=seen[key],
                )
                continue
            seen[key] = number
            observations.append(Observation(indicator_id, region, None, period, sex, value, status))

    known = sorted(k for k in kpis if isinstance(k, str) and k in catalogue)
    source = f"Kolada {', '.join(known)}" if known else "Kolada"
    return ParseResult(
        file_format=FILE_FORMAT,
        source=source[:200],
        observations=observations,
        problems=problems.result(),
    )


def _region(row: dict[str, Any], number: int, where: str, problems: Problems) -> str | None:
    if "ou" in row and "municipality" not in row:
        problems.add(
            number,
            f"{where}.ou",
            "not_supported",
            _(
                "Organisational units (ou %(ou)s) are not supported; fetch municipality data "
                "(/data/kpi/…/municipality/…)"
            ),
            ou=row.get('ou'),
        )
        return None
    code = row.get("municipality")
    region = normalise_region(code) if isinstance(code, str) else None
    if region is None:
        problems.add(
            number,
            f"{where}.municipality",
            "unknown_region",
            _("Unknown region code %(code)s"),
            code=code,
        )
    return region


def _cell(
    cell: object, where: str, number: int, problems: Problems
) -> tuple[str, float | None, str] | None:
    """(sex, value, status) for one gender of a row, or None with its problems."""
    if not isinstance(cell, dict):
        problems.add(number, where, "bad_row", _("The value is no object"))
        return None
    gender = cell.get("gender")
    sex = GENDERS.get(gender) if isinstance(gender, str) else None
    if sex is None:
        problems.add(
            number,
            f"{where}.gender",
            "unknown_sex",
            _("Unknown gender %(gender)s (T, K or M)"),
            gender=repr(gender),
        )
    raw_status = cell.get("status") or ""
    status = STATUS_WORDS.get(raw_status.strip().lower()) if isinstance(raw_status, str) else None
    if status is None:
        problems.add(
            number,
            f"{where}.status",
            "unknown_status",
            _("Unknown status %(raw_status)s"),
            raw_status=repr(raw_status),
        )
    value = cell.get("value")
    number_value: float | None = None
    if value is None:
        status = MISSING
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number_value = float(value)
        if status not in (OK, "preliminary"):
            number_value = None  # a hidden figure carries no number
    else:
        problems.add(
            number,
            f"{where}.value",
            "not_a_number",
            _("The value %(value)s is not a number"),
            value=repr(value),
        )
        return None
    if sex is None or status is None:
        return None
    return sex, number_value, status
