"""No domain imports another domain's API serializers: what two doors share is a selector (or a
document builder), never the other app's wire format."""

from __future__ import annotations

import ast
from pathlib import Path

import kvarter

SRC = Path(kvarter.__file__).parent
# Modules that hold an app's API shapes; only the app itself (and `api`, which wires them) reads
# them.
SERIALIZER_MODULES = ("api_serializers", "serializers")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_domains__import__no_other_domains_serializers() -> None:
    offending = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).parts
        app = parts[0] if len(parts) > 1 else ""
        if app in ("", "api"):
            continue
        for module in _imports(path):
            names = module.split(".")
            if (
                len(names) >= 3
                and names[0] == "kvarter"
                and names[1] != app
                and names[2] in SERIALIZER_MODULES
            ):
                offending.append(f"{path.relative_to(SRC)}: {module}")
    assert not offending, offending
