"""Onboarding a municipality: the municipality, its own organisation, the EST catalogue, and
its organisation register from a file. The CLI's ``add-municipality`` and
``import-organisations`` call these; the first administrator is then added with ``add-user``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvarter.accounts.models import Organisation, OrganisationKind
from kvarter.accounts.services import organisation_create, organisation_update
from kvarter.areas.models import Municipality
from kvarter.areas.services import municipality_create
from kvarter.core.importing import ImportRejected, Problem
from kvarter.core.importing.tables import read_table
from kvarter.safety.catalogue.services import est_defaults_create

__all__ = ["OrganisationsImported", "municipality_onboard", "organisations_import"]


@transaction.atomic
def municipality_onboard(
    *,
    actor: Any,
    code: str,
    name: str,
    organisation_name: str = "",
    short_name: str = "",
) -> tuple[Municipality, Organisation]:
    """A new municipality with its own organisation and the default EST catalogue
    (categories and resource types, editable afterwards), all or nothing."""
    municipality = municipality_create(actor=actor, code=code, name=name)
    organisation = organisation_create(
        actor=actor,
        municipality=municipality,
        name=organisation_name or name,
        short_name=short_name,
        kind=OrganisationKind.MUNICIPALITY,
    )
    est_defaults_create(actor=actor, municipality=municipality)
    return municipality, organisation


# --- the organisation register --------------------------------------------------------------

# Header (any case) → field; Swedish and English, as people write them.
_COLUMNS = {
    "namn": "name",
    "name": "name",
    "förkortning": "short_name",
    "kortnamn": "short_name",
    "abbreviation": "short_name",
    "short_name": "short_name",
    "typ": "kind",
    "type": "kind",
    "kind": "kind",
    "del av": "parent",
    "överordnad": "parent",
    "parent": "parent",
}


def _kinds() -> dict[str, str]:
    """Every way to write a type: its code, its English label and its Swedish label."""
    from django.utils import translation

    found: dict[str, str] = {}
    for kind in OrganisationKind:
        found[kind.value.casefold()] = kind.value
        found[str(kind.value).replace("_", " ").casefold()] = kind.value
        for language in ("en", "sv"):
            with translation.override(language):
                found[str(kind.label).casefold()] = kind.value
    return found


@dataclass
class _Row:
    row: int
    name: str
    short_name: str
    kind: str
    parent: str


@dataclass
class OrganisationsImported:
    created: int = 0
    changed: int = 0
    unchanged: int = 0


def _problem(
    row: int | None, column: str, code: str, text: Promise | str = "", /, **params: Any
) -> Problem:
    """A problem in the active language: ``text``, or else the code's message in the registry."""
    return Problem(row, column, code, text, params=params)


def _read_rows(raw: bytes, filename: str, problems: list[Problem]) -> list[_Row]:
    table = read_table(raw, filename=filename)
    records = [(number, [cell.strip() for cell in cells]) for number, cells in table]
    problems.extend(table.problems)
    records = [(number, cells) for number, cells in records if any(cells)]
    if not records:
        problems.append(
            _problem(None, "", "empty_file")
        )
        return []
    header = [_COLUMNS.get(cell.casefold(), "") for cell in records[0][1]]
    if "name" not in header or "kind" not in header:
        problems.append(
            _problem(
                None,
                "",
                "missing_column",
                gettext_lazy(
                    "The columns name and type are needed (and abbreviation, parent if any)."
                ),
            )
        )
        return []
    kinds = _kinds()
    rows: list[_Row] = []
    for number, cells in records[1:]:
        values = dict(zip(header, cells, strict=False))
        kind_text = values.get("kind", "")
        kind = kinds.get(kind_text.casefold(), "")
        if not kind:
            problems.append(
                _problem(
                    number,
                    "typ",
                    "unknown_kind",
                    kind=kind_text,
                )
            )
        if not values.get("name"):
            problems.append(
                _problem(number, "namn", "required", gettext_lazy("Name is missing."))
            )
        rows.append(
            _Row(
                number,
                values.get("name", ""),
                values.get("short_name", ""),
                kind,
                values.get("parent", ""),
            )
        )
    return rows


def _check_names(rows: list[_Row], existing: list[Organisation], problems: list[Problem]) -> None:
    """Names and abbreviations once in the file; every parent named in the file or the register."""
    seen: dict[str, int] = {}
    for row in rows:
        for key in {row.name.casefold(), row.short_name.casefold()} - {""}:
            if key in seen and seen[key] != row.row:
                problems.append(
                    _problem(
                        row.row,
                        "namn",
                        "duplicate",
                        gettext_lazy("'%(name)s' is already on row %(first)s."),
                        name=key,
                        first=seen[key],
                    )
                )
            seen.setdefault(key, row.row)
    known = set(seen) | {o.name.casefold() for o in existing}
    known |= {o.short_name.casefold() for o in existing if o.short_name}
    parents = {row.name.casefold(): row.parent.casefold() for row in rows}
    for row in rows:
        if row.parent and row.parent.casefold() not in known:
            problems.append(
                _problem(
                    row.row,
                    "del av",
                    "unknown_parent",
                    parent=row.parent,
                )
            )
        # A parent chain that comes back to the row itself can never be stored.
        step, visited = row.parent.casefold(), {row.name.casefold()}
        while step and step in parents and step not in visited:
            visited.add(step)
            step = parents[step]
        if step and step in visited:
            problems.append(
                _problem(
                    row.row,
                    "del av",
                    "parent_cycle",
                )
            )


@transaction.atomic
def organisations_import(
    *, actor: Any, municipality: Municipality, data: bytes, file_name: str
) -> OrganisationsImported:
    """The organisation register (name, abbreviation, type, parent) from a CSV or XLSX file.

    All or nothing: every problem is collected and :class:`ImportRejected` raised before
    anything is written. An organisation already in the register (by name, any case) gets the
    file's abbreviation, type and parent; the others are created.
    """
    problems: list[Problem] = []
    rows = _read_rows(data, file_name, problems)
    existing = list(Organisation.objects.filter(municipality=municipality))
    if rows:
        _check_names(rows, existing, problems)
    if problems:
        raise ImportRejected(problems)
    by_key: dict[str, Organisation] = {}
    for organisation in existing:
        by_key[organisation.name.casefold()] = organisation
        if organisation.short_name:
            by_key.setdefault(organisation.short_name.casefold(), organisation)
    result = OrganisationsImported()
    touched: dict[int, bool] = {}
    for row in rows:  # first every organisation, then the parents: a file needs no order
        found = by_key.get(row.name.casefold())
        if found is None:
            found = organisation_create(
                actor=actor,
                municipality=municipality,
                name=row.name,
                short_name=row.short_name,
                kind=OrganisationKind(row.kind),
            )
            result.created += 1
            touched[found.pk] = True
        else:
            found, changed = organisation_update(
                actor=actor,
                organisation=found,
                data={"short_name": row.short_name, "kind": row.kind},
            )
            touched[found.pk] = changed
        by_key[row.name.casefold()] = found
        if row.short_name:
            by_key[row.short_name.casefold()] = found
    for row in rows:
        organisation = by_key[row.name.casefold()]
        parent = by_key.get(row.parent.casefold()) if row.parent else None
        if organisation.parent_id != (parent.pk if parent else None):
            organisation, _changed = organisation_update(
                actor=actor, organisation=organisation, data={"parent": parent}
            )
            touched[organisation.pk] = True
    for pk, changed in touched.items():
        if changed and pk not in {o.pk for o in existing}:
            continue  # created, counted above
        if changed:
            result.changed += 1
        else:
            result.unchanged += 1
    return result


def describe(result: OrganisationsImported) -> str:
    return _("%(created)d created, %(changed)d changed, %(unchanged)d unchanged") % {
        "created": result.created,
        "changed": result.changed,
        "unchanged": result.unchanged,
    }
