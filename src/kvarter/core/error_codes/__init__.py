"""One registry of error codes: every code the code base raises, with its message.

A code is stable (tests, API clients and scripts match it); its message is an English msgid
translated to Swedish in the catalogue, rendered in the active language when it is read. A
message may name parameters (``%(row)s``), given where the error is made::

    raise error("round_closed")                      # a ValidationError
    problems.append(problem(row, "kategori", "category_required"))

``tests/core/test_error_codes.py`` fails on a code raised anywhere that is not registered here.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.utils.functional import Promise

from kvarter.core.error_codes import (
    _accounts,
    _areas,
    _core,
    _followup,
    _imports,
    _indicators,
    _plans,
    _safety,
)

__all__ = ["CODES", "error", "message", "problem"]

CODES: dict[str, Promise] = {}
for _part in (_core, _imports, _accounts, _areas, _plans, _followup, _indicators, _safety):
    _twice = CODES.keys() & _part.CODES.keys()
    assert not _twice, f"error codes registered twice: {sorted(_twice)}"
    CODES.update(_part.CODES)


class UnknownErrorCode(KeyError):
    """A code that is not in :data:`CODES`: register it with its message first."""


def _template(code: str) -> Promise:
    try:
        return CODES[code]
    except KeyError:
        raise UnknownErrorCode(code) from None


def message(code: str, /, **params: Any) -> str:
    """The code's message in the active language, with ``params`` filled in."""
    text = str(_template(code))
    return text % params if params else text


def error(code: str, message: str | Promise | None = None, /, **params: Any) -> ValidationError:
    """A ValidationError with the code and its registered message (or a more specific one).

    The message stays lazy, so it is rendered in the language active where it is shown.
    """
    template = _template(code) if message is None else message
    # A lazy string is what ValidationError keeps; the stubs name only str and _StrPromise.
    return ValidationError(cast(str, template), code=code, params=params or None)


def problem(row: int | None, field: str, code: str, /, **params: Any) -> Any:
    """A :class:`kvarter.core.importing.Problem` whose message comes from the registry."""
    from kvarter.core.importing import Problem

    _template(code)
    return Problem(row, field, code, params=params)
