"""What every importer shares: problems that name the row, field and reason, all at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file. ``row`` is 1-based as the user counts (None: the file).

    ``message`` holds Swedish and English, so that an error pasted into an e-mail to a
    colleague or a supplier reads right for both.
    """

    row: int | None
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"Rad/row {self.row}" if self.row is not None else "Fil/file"
        column = f", {self.field}" if self.field else ""
        return f"{where}{column}: {self.message}"


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
        return (
            f"{len(self.created)} nya/created, {len(self.updated)} ändrade/updated, "
            f"{len(self.unchanged)} oförändrade/unchanged"
        )
