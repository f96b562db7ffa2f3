"""The ``kvarter`` console script: Django's management commands with Kvarter's defaults.

``kvarter demo``, ``kvarter serve``, ``kvarter import-areas FILE …`` and every Django command
(``kvarter migrate``, ``kvarter check --deploy``). Hyphenated names map to the commands'
underscored module names. Everything done here is audited as coming through the CLI door.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvarter.settings.dev")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    from kvarter.core.doors import Door, entered_through

    with entered_through(Door.CLI):
        execute_from_command_line(args)


if __name__ == "__main__":
    main()
