"""The documents ``kvarter report`` writes, registered by the apps that build them.

`reports` is a library and imports no domain app. Each domain registers its sub-commands from
its ``AppConfig.ready()`` with the dotted path of a function that writes the file, so the
command only dispatches, and a document module (with its charts and renderers) is imported only
when its document is asked for.

A writer takes the command's parsed options (``format``, ``language``, the positional
``plan`` and the ``--municipality``, ``--round``, ``--area``, ``--unit``, ``--week``,
``--year``, ``--quarter``, ``--exact`` options) and returns the file's bytes; it refuses bad
input with ``CommandError``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any, cast

Writer = Callable[[Mapping[str, Any]], bytes]


@dataclass(frozen=True, slots=True)
class DocumentCommand:
    """One sub-command of ``kvarter report``: its name, a line of help and its writer
    (``"package.module:function"``)."""

    name: str
    writer: str
    help: str

    def write(self, options: Mapping[str, Any]) -> bytes:
        module, _, function = self.writer.partition(":")
        return cast(Writer, getattr(import_module(module), function))(options)


_COMMANDS: dict[str, DocumentCommand] = {}


def register_document_command(*, name: str, writer: str, help: str) -> None:
    """Offer ``kvarter report NAME``, written by ``writer`` (``"package.module:function"``).

    Registering the same command again (``ready()`` may run twice in tests) changes nothing; two
    apps claiming one name is a programming error.
    """
    command = DocumentCommand(name=name, writer=writer, help=help)
    existing = _COMMANDS.get(name)
    if existing is not None and existing != command:
        raise ValueError(f"report {name!r} is already registered by {existing.writer}")
    _COMMANDS[name] = command


def document_commands() -> list[DocumentCommand]:
    """The registered sub-commands, in the order they were registered."""
    return list(_COMMANDS.values())


def document_command(name: str) -> DocumentCommand:
    """The sub-command ``name``; an unknown name is a ``KeyError``."""
    return _COMMANDS[name]
