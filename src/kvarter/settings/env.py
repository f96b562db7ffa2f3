"""The one place where Kvarter reads its environment.

Settings modules call these helpers instead of ``os.environ`` so that every variable the
system understands is listed here, with its default, and documented in docs/architecture.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nej", ""}


def text(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be true or false, not {raw!r}")


def integer(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def items(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def day_counts(name: str, default: str) -> tuple[int, ...]:
    """Whole numbers of days (0–366), comma-separated, e.g. ``7,1,0``; largest first, no repeats.

    An empty value gives no days (switches the schedule off).
    """
    raw = os.environ.get(name, default)
    days: set[int] = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not (part.isascii() and part.isdigit()) or int(part) > 366:
            raise ValueError(
                f"{name} must list whole numbers of days from 0 to 366, separated by commas "
                f"(e.g. 7,1,0), not {raw!r}"
            )
        days.add(int(part))
    return tuple(sorted(days, reverse=True))


def base_url(name: str, default: str) -> str:
    """An absolute http(s) address without a trailing slash, for links in e-mails."""
    raw = os.environ.get(name, default).strip()
    scheme, _, rest = raw.partition("://")
    if scheme not in ("http", "https") or not rest or rest.startswith("/") or " " in rest:
        raise ValueError(f"{name} must be an address like https://kvarter.example.se, not {raw!r}")
    return raw.rstrip("/")


def data_dir() -> Path:
    """Where the embedded SQLite database and uploaded files live (``KVARTER_DATA_DIR``)."""
    return Path(os.environ.get("KVARTER_DATA_DIR", Path.cwd() / "var")).resolve()


def database(default_sqlite: Path) -> dict[str, Any]:
    """``DATABASE_URL`` selects the database; without it, the embedded SQLite file is used."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_sqlite}"
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["CONN_MAX_AGE"] = 0
        # WAL lets the demo server read while a CLI import writes.
        config.setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    return config
