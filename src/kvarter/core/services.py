"""The shared write path: create, update and delete with validation, versioning and audit.

Every domain service that writes ends up here, so that validation (``full_clean``), the
optimistic version check and the audit entry can never be forgotten by one door.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F

from kvarter.core.doors import current_door
from kvarter.core.errors import StaleVersion
from kvarter.core.free_text import personal_data_refuse
from kvarter.core.models import AuditAction, AuditEntry, VersionedModel

M = TypeVar("M", bound=models.Model)


def _json_safe(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return value


def audit_record(
    *, actor: Any, action: AuditAction, instance: models.Model, changes: Mapping[str, Any]
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    name = actor.get_username() if hasattr(actor, "get_username") else ""
    return AuditEntry.objects.create(
        actor=user,
        actor_name=name,
        door=current_door().value,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes={k: _json_safe(v) for k, v in changes.items()},
    )


def _validate(instance: models.Model) -> None:
    """full_clean() and the personal-data scan of declared free text, errors merged."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        instance.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        personal_data_refuse(instance)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _concrete_field_names(instance: models.Model) -> list[str]:
    return [
        f.name
        for f in instance._meta.concrete_fields
        if f.name not in {"id", "created_at", "updated_at", "version"}
    ]


@transaction.atomic
def model_create(*, model: type[M], data: Mapping[str, Any], actor: Any) -> M:
    """Validate and save a new row of ``model`` and record it in the audit log."""
    m2m = {k: v for k, v in data.items() if _is_m2m(model, k)}
    instance = model(**{k: v for k, v in data.items() if k not in m2m})
    _validate(instance)
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    changes = {name: [None, getattr(instance, name)] for name in _concrete_field_names(instance)}
    changes |= {name: [None, sorted(v.pk for v in values)] for name, values in m2m.items()}
    audit_record(
        actor=actor, action=AuditAction.CREATE, instance=instance, changes=changes
    )
    return instance


def _is_m2m(model: type[models.Model], name: str) -> bool:
    try:
        return bool(model._meta.get_field(name).many_to_many)
    except Exception:
        return False


@transaction.atomic
def model_update(
    *,
    instance: M,
    fields: Iterable[str],
    data: Mapping[str, Any],
    actor: Any,
    expected_version: int | None = None,
) -> tuple[M, bool]:
    """Apply ``data`` restricted to ``fields``; return the instance and whether anything changed.

    For a :class:`VersionedModel`, ``expected_version`` is the version the user read; when the
    row has moved on since, :class:`StaleVersion` is raised and nothing is written. The check is
    a conditional UPDATE, so two concurrent saves cannot both pass it.
    """
    allowed = [f for f in fields if f in data]
    changes: dict[str, list[Any]] = {}
    m2m_changes: dict[str, Any] = {}
    for name in allowed:
        if _is_m2m(type(instance), name):
            old = sorted(getattr(instance, name).values_list("pk", flat=True))
            new = sorted(v.pk for v in data[name])
            if old != new:
                changes[name] = [old, new]
                m2m_changes[name] = data[name]
            continue
        old_value = getattr(instance, name)
        new_value = data[name]
        if old_value != new_value:
            changes[name] = [old_value, new_value]
            setattr(instance, name, new_value)

    if isinstance(instance, VersionedModel):
        current = expected_version if expected_version is not None else instance.version
        same_version = type(instance)._default_manager.filter(pk=instance.pk, version=current)
        if not changes:
            if same_version.exists():
                return instance, False
            raise StaleVersion()
        bumped = same_version.update(version=F("version") + 1)
        if bumped == 0:
            raise StaleVersion()
        instance.version = current + 1
    elif not changes:
        return instance, False

    _validate(instance)
    instance.save()
    for name, values in m2m_changes.items():
        getattr(instance, name).set(values)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, instance=instance, changes=changes
    )
    return instance, True


@transaction.atomic
def model_delete(*, instance: models.Model, actor: Any) -> None:
    changes = {name: [getattr(instance, name), None] for name in _concrete_field_names(instance)}
    audit_record(
        actor=actor, action=AuditAction.DELETE, instance=instance, changes=changes
    )
    instance.delete()
