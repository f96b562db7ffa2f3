"""A row's audit entries as people read them: field label, old value → new value.

Foreign keys and many-to-many fields are stored in the audit log as ids; here they are shown
by name (an area's name, a unit's name, a goal's number), looked up in one query per field.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from kvarter.core.models import AuditEntry
from kvarter.core.selectors import audit_entries_for, field_labels

EMPTY = "–"


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    entry: AuditEntry
    changes: list[Change]


def history_of(
    instance: models.Model,
    *,
    limit: int = 50,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
) -> list[HistoryEntry]:
    """The latest changes to ``instance``; the caller decides whether the actor may see them.

    ``formats`` shows some fields' values in their own way (an amount in kronor).
    """
    model = type(instance)
    entries = list(audit_entries_for(instance, limit=limit))
    names = _related_names(model, entries)
    history = []
    for entry in entries:
        fields = [f for f in entry.changes if f not in {"number_major", "number_minor"}]
        labels = field_labels(model, fields)
        changes = [
            Change(label, *(_shown(f, v, names, formats or {}) for v in entry.changes[f]))
            for f, label in zip(fields, labels, strict=True)
        ]
        # A create lists every field; the empty ones say nothing.
        changes = [c for c in changes if (c.old, c.new) != (EMPTY, EMPTY)]
        history.append(HistoryEntry(entry=entry, changes=changes))
    return history


def _relation(model: type[models.Model], name: str) -> type[models.Model] | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    related = field.related_model
    if related is None or isinstance(related, str) or not (field.many_to_many or field.many_to_one):
        return None
    return related


def _related_names(
    model: type[models.Model], entries: list[AuditEntry]
) -> dict[str, dict[Any, str]]:
    """field → id → name, for the ids the entries mention."""
    wanted: dict[str, set[Any]] = defaultdict(set)
    for entry in entries:
        for field, values in entry.changes.items():
            if _relation(model, field) is None:
                continue
            for value in values:
                wanted[field].update(value if isinstance(value, list) else [value])
    names: dict[str, dict[Any, str]] = {}
    for field, ids in wanted.items():
        related = _relation(model, field)
        assert related is not None
        rows = related._default_manager.filter(pk__in=[i for i in ids if i is not None])
        names[field] = {row.pk: str(row) for row in rows}
    return names


def _shown(
    field: str,
    value: Any,
    names: dict[str, dict[Any, str]],
    formats: Mapping[str, Callable[[Any], str]],
) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if field in formats:
        return formats[field](value)
    if field in names:
        ids = value if isinstance(value, list) else [value]
        # A row deleted since is still named by its id.
        return ", ".join(names[field].get(i, f"#{i}") for i in ids)
    if isinstance(value, bool):
        return "✓" if value else EMPTY
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)
