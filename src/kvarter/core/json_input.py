"""Reading JSON that someone else wrote: strict UTF-8 and a limit on how deeply it nests.

Python's ``json`` recurses once per level, so a body of 50,000 ``[`` ends in a
``RecursionError`` (a server error) before any of our code sees it. Every door that reads
JSON from a user — the API's parser, the phone form's door, a GeoJSON form field — reads it
through :func:`loads`, which refuses text nested deeper than :data:`MAX_DEPTH` before parsing.

Pure Python on purpose (no Django).
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["MAX_DEPTH", "TooDeeplyNested", "loads", "nesting_depth"]

# Our deepest real document (a GeoJSON MultiPolygon inside a payload) nests about 6 levels.
MAX_DEPTH = 64

# A JSON string (with its escapes), or one bracket. Strings are matched first so that a bracket
# inside a string does not count.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class TooDeeplyNested(ValueError):
    """The JSON nests deeper than allowed."""


def nesting_depth(text: str, *, stop_at: int | None = None) -> int:
    """The deepest nesting of arrays and objects in ``text`` (0 for a scalar).

    Counts brackets outside strings; it does not check that the JSON is valid (the parser does).
    Returns early once ``stop_at`` is passed.
    """
    depth = deepest = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        piece = match.group()
        if piece in ("[", "{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_at is not None and deepest > stop_at:
                    break
        elif piece in ("]", "}"):
            depth -= 1
    return deepest


def loads(data: str | bytes | bytearray, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` for untrusted input: bytes must be UTF-8, and nesting at most ``max_depth``.

    ``NaN`` and ``Infinity`` are refused too, as they are not JSON. Raises ``ValueError``
    (``UnicodeDecodeError``, ``json.JSONDecodeError`` or :class:`TooDeeplyNested`) for anything
    it will not read.
    """
    text = data.decode("utf-8-sig") if isinstance(data, bytes | bytearray) else data
    if nesting_depth(text, stop_at=max_depth) > max_depth:
        raise TooDeeplyNested(f"JSON nested deeper than {max_depth} levels")
    return json.loads(text, parse_constant=_refuse_constant)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
