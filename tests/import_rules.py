"""Reading a package's imports from its source (ast), for the tests that hold apps to their
allowed dependencies (core imports no domain; plans imports no followup)."""

from __future__ import annotations

import ast
from pathlib import Path


def imports_of(path: Path, app: list[str], app_root: Path) -> list[str]:
    """Every module (and imported name) that the file ``path`` of the package ``app`` (dotted, as
    parts; its directory is ``app_root``) imports anywhere, also inside functions; relative
    imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = [*app, *path.relative_to(app_root).parent.parts]
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.append(module)
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return names
