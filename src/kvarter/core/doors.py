"""Which door a change came through (web, API, CLI, task), for the audit log.

Services do not take the door as an argument: the door sets it once for the whole request or
command, and the audit log reads it, so no service signature has to carry it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from enum import StrEnum


class Door(StrEnum):
    WEB = "web"
    API = "api"
    CLI = "cli"
    TASK = "task"
    SYSTEM = "system"


_current: ContextVar[Door] = ContextVar("kvarter_door", default=Door.SYSTEM)


def current_door() -> Door:
    return _current.get()


@contextlib.contextmanager
def entered_through(door: Door) -> Iterator[None]:
    token = _current.set(door)
    try:
        yield
    finally:
        _current.reset(token)
