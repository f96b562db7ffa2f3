"""Free text a user writes is scanned for personal data: one declaration per model.

A model names its free-text fields in a class attribute::

    class Place(VersionedModel):
        free_text_fields = ("name",)

Every declared field is scanned (kvarter.core.personal_data) whenever a row is written:

* in the shared write path (kvarter.core.services.model_create / model_update), where a
  finding is a :class:`ValidationError` on the field with code ``personal_data`` — the same
  shape as any other validation error, so every door shows it;
* and, as a safety net for writes that bypass that path, in a ``pre_save`` signal.

A model whose free text is an EST incident text also sets ``free_text_vehicles = True``:
vehicle registrations are refused there (formats/incident-reports.md), not in plan texts.

Every CharField/TextField of every model is either declared or listed in
:data:`NOT_FREE_TEXT` with the reason it is not scanned; a test walks the models and fails on
a field that is neither. Fields with ``choices`` are not free text and need no entry.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from kvarter.core.personal_data import describe, scan

__all__ = [
    "NOT_FREE_TEXT",
    "declared_free_text_fields",
    "personal_data_refuse",
    "refuse_on_save",
]

_CODES = "a code or identifier from a fixed register or another system, digits by nature"
_SYSTEM = "written by the system, not by a user"

# "app_label.Model.field" → why the field is not scanned.
NOT_FREE_TEXT: dict[str, str] = {
    "core.AuditEntry.actor_name": _SYSTEM + " (the acting account's username)",
    "core.AuditEntry.object_id": _SYSTEM,
    "core.AuditEntry.object_repr": _SYSTEM + " (from fields that are scanned themselves)",
    "accounts.User.password": "a password hash",
    "accounts.User.username": "the account holder's own login, set by an administrator",
    "accounts.User.first_name": "the account holder's own name: an account is personal data",
    "accounts.User.last_name": "the account holder's own name: an account is personal data",
    "accounts.User.email": "the account holder's own address, needed to reach them",
    "areas.Municipality.code": _CODES + " (SCB municipality code)",
    "areas.AreaStatisticalUnit.code": _CODES + " (DeSO/RegSO code)",
    "indicators.Indicator.code": _CODES,
    "indicators.Indicator.kolada_kpi": _CODES + " (Kolada KPI id)",
    "indicators.Indicator.scb_table": _CODES + " (SCB table id)",
    "indicators.Indicator.scb_measure": _CODES + " (SCB measure id)",
    "indicators.ImportBatch.file_name": "the uploaded file's name, shown only to importers; "
    "the file's contents are what is checked",
    "indicators.ImportBatch.file_format": _SYSTEM,
    "indicators.ImportBatch.source": _SYSTEM,
    "indicators.IndicatorValue.region_code": _CODES + " (region code)",
    "indicators.IndicatorValue.period": _CODES + " (a period such as 2024 or 2024-03)",
    "indicators.IndicatorValue.source": _SYSTEM,
    "plans.QualitativeCriterion.letter": "one letter (A, B, C …) naming the criterion",
    "plans.Plan.decision_reference": _CODES + " (the municipality's diary number)",
    "plans.Measure.number": "the measure's number in the plan (1.2.3)",
    "safety.IncidentReport.source_id": _CODES + " (the row's id in the imported file)",
    "safety.RawReadLog.actor_name": _SYSTEM + " (the reading account's username)",
    "safety.RawReadLog.door": _SYSTEM,
    "safety.RawReadLog.what": _SYSTEM,
}


def declared_free_text_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields ``model`` declares as free text (empty if none)."""
    return tuple(getattr(model, "free_text_fields", ()))


def personal_data_refuse(
    instance: models.Model, *, fields: tuple[str, ...] | None = None
) -> None:
    """Raise a ValidationError (code ``personal_data``) per declared field holding personal data.

    The message names the kind of data found, never the data itself.
    """
    model = type(instance)
    vehicles = bool(getattr(model, "free_text_vehicles", False))
    errors: dict[str, list[ValidationError]] = {}
    for name in declared_free_text_fields(model) if fields is None else fields:
        value = getattr(instance, name, None)
        if not isinstance(value, str) or not value:
            continue
        findings = scan(value, vehicle_registrations=vehicles)
        if findings:
            errors[name] = [ValidationError(describe(findings), code="personal_data")]
    if errors:
        raise ValidationError(errors)


def refuse_on_save(
    sender: type[models.Model],
    instance: models.Model,
    update_fields: frozenset[str] | None = None,
    **_: Any,
) -> None:
    """``pre_save`` receiver: the safety net for writes outside the shared write path."""
    declared = declared_free_text_fields(sender)
    if update_fields is not None:
        declared = tuple(name for name in declared if name in update_fields)
    if declared:
        personal_data_refuse(instance, fields=declared)
