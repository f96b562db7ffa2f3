"""What every importer shares: problems that name the row, field and reason, all at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kvarter.core import error_codes


@dataclass(frozen=True, init=False)
class Problem:
    """One thing wrong with an input file. ``row`` is 1-based as the user counts (None: the file).

    The code is stable; the message is the code's in :mod:`kvarter.core.error_codes`, with
    ``params`` filled in, rendered in the active language each time it is read. ``text`` is a
    message made elsewhere (lazy or already final) for the few problems that carry their own.
    """

    row: int | None
    field: str
    code: str
    text: str | Promise
    params: Mapping[str, Any]

    def __init__(
        self,
        row: int | None,
        field: str,
        code: str,
        message: str | Promise = "",
        *,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        object.__setattr__(self, "row", row)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "text", message)
        object.__setattr__(self, "params", dict(params or {}))

    def __hash__(self) -> int:
        return hash((self.row, self.field, self.code))

    @property
    def message(self) -> str:
        if not self.text:
            return error_codes.message(self.code, **self.params)
        text = str(self.text)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        where = _("File") if self.row is None else _("Row %(row)s") % {"row": self.row}
        column = f", {self.field}" if self.field else ""
        return f"{where}{column}: {self.message}"


def nothing_imported(count: int) -> str:
    """What a door says when an import was refused with ``count`` problems."""
    return ngettext(
        "Nothing was imported: %(count)s problem.",
        "Nothing was imported: %(count)s problems.",
        count,
    ) % {"count": count}


class ImportRejected(Exception):
    """Raised with every problem found; the import has changed nothing."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return ", ".join(
            [
                ngettext("%(n)s created", "%(n)s created", len(self.created))
                % {"n": len(self.created)},
                ngettext("%(n)s updated", "%(n)s updated", len(self.updated))
                % {"n": len(self.updated)},
                ngettext("%(n)s unchanged", "%(n)s unchanged", len(self.unchanged))
                % {"n": len(self.unchanged)},
            ]
        )
