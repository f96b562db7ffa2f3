"""A rich progress bar per phase for long imports run from the command line."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any


class RichProgress:
    """Draws one bar per phase on stderr; a service calls it as ``progress(phase, done, total)``.

    ``phases`` names each phase as the user reads it (unknown phases show their key).
    """

    def __init__(self, phases: Mapping[str, str]) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.phases = phases
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
        )
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> RichProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, phase: str, done: int, total: int) -> None:
        task = self.tasks.get(phase)
        if task is None:
            description = self.phases.get(phase, phase)
            task = self.tasks[phase] = self.progress.add_task(description, total=total)
        self.progress.update(task, completed=done, total=total)
