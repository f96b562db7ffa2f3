"""Words the indicator files share: sex, status, numbers, and problems in Swedish and English."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kvarter.core.error_codes import problem
from kvarter.core.importing import Problem
from kvarter.core.importing.tables import parse_number as parse_number  # decimal comma or point
from kvarter.indicators.models import ValueStatus

# SCB's Kon codes ('1' men, '2' women, '1+2' both in API v1, 'TotSa' both in API v2), Kolada's
# T/K/M, and the words people write.
SEXES: dict[str, str] = {
    "t": "T",
    "k": "K",
    "m": "M",
    "1": "M",
    "2": "K",
    "1+2": "T",
    "totsa": "T",
    "totalt, samtliga män och kvinnor": "T",
    "totalt": "T",
    "total": "T",
    "tot": "T",
    "båda könen": "T",
    "kvinnor och män": "T",
    "män och kvinnor": "T",
    "samtliga": "T",
    "kvinnor": "K",
    "kvinna": "K",
    "women": "K",
    "female": "K",
    "män": "M",
    "man": "M",
    "men": "M",
    "male": "M",
}


def normalise_sex(code: str, label: str = "") -> str | None:
    """T, K or M for a code (or, failing that, its label); None if neither names a sex."""
    found = SEXES.get(code.strip().lower())
    if found is None and label:
        found = SEXES.get(label.strip().lower())
    return found


OK = ValueStatus.OK.value
SUPPRESSED = ValueStatus.SUPPRESSED.value
PRELIMINARY = ValueStatus.PRELIMINARY.value
MISSING = ValueStatus.MISSING.value

# Statuses written in words (long CSV, Kolada). JSON-stat symbols: _jsonstat_cells.SCB_SYMBOLS.
STATUS_WORDS: dict[str, str] = {
    "": OK,
    "ok": OK,
    "suppressed": SUPPRESSED,
    "prickad": SUPPRESSED,
    "prickat": SUPPRESSED,
    "sekretess": SUPPRESSED,
    "skyddad": SUPPRESSED,
    "..": SUPPRESSED,
    "preliminary": PRELIMINARY,
    "preliminär": PRELIMINARY,
    "preliminärt": PRELIMINARY,
    "prel": PRELIMINARY,
    "prel.": PRELIMINARY,
    "p": PRELIMINARY,
    "*": PRELIMINARY,
    "missing": MISSING,
    "saknas": MISSING,
    "saknad": MISSING,
    ".": MISSING,
}


MAX_PROBLEMS = 1000


@dataclass
class Problems:
    """Collects every problem of a file; each names its row (or None), field and reason.

    All are counted; the first :data:`MAX_PROBLEMS` are kept and the rest summed up in one last
    problem, so a file with a million bad cells still says how many without a million objects.
    """

    items: list[Problem] = field(default_factory=list)
    more: int = 0

    def add(
        self,
        row: int | None,
        field_name: str,
        code: str,
        message: str | Promise = "",
        /,
        **params: Any,
    ) -> None:
        """A problem with the code's registered message, or ``message`` (lazy), and params."""
        if len(self.items) >= MAX_PROBLEMS:
            self.more += 1
            return
        self.items.append(Problem(row, field_name, code, message, params=params))

    def extend(self, found: Iterable[Problem]) -> None:
        """Problems made elsewhere (the table reader's), counted like the others."""
        for found_problem in found:
            if len(self.items) >= MAX_PROBLEMS:
                self.more += 1
            else:
                self.items.append(found_problem)

    def result(self) -> list[Problem]:
        if not self.more:
            return self.items
        summary = problem(None, "", "more_problems", rest=self.more, shown=MAX_PROBLEMS)
        return [*self.items, summary]

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items) + self.more


def load_json(data: bytes, problems: Problems) -> object | None:
    """The parsed document, or None with a problem that says where the JSON breaks."""
    try:
        return json.loads(data)
    except UnicodeDecodeError as error:
        problems.add(
            None,
            "",
            "not_utf8",
            _("The file is not UTF-8 encoded JSON (%(reason)s)"),
            reason=error.reason,
        )
    except json.JSONDecodeError as error:
        cut = error.pos >= len(error.doc.rstrip()) - 1 or error.msg.startswith("Unterminated")
        problems.add(
            None,
            "",
            "not_json",
            _(
                "The file is not valid JSON (%(reason)s: line %(line)s, column %(column)s) – "
                "the file seems cut off"
            )
            if cut
            else _("The file is not valid JSON (%(reason)s: line %(line)s, column %(column)s)"),
            reason=error.msg,
            line=error.lineno,
            column=error.colno,
        )
    return None
