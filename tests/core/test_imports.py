"""The shared kernel depends on no domain: every app may import core, core imports none of them."""

from __future__ import annotations

import ast
from pathlib import Path

import kvarter.core

DOMAIN_APPS = {
    "accounts",
    "areas",
    "indicators",
    "plans",
    "followup",
    "safety",
    "reports",
    "demo",
    "api",
    "home",
}


def _imported_names(tree: ast.AST, package: list[str]) -> list[str]:
    """Every module imported anywhere in ``tree`` (also inside functions), relative ones resolved
    against ``package`` (the dotted package of the file, as parts)."""
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


def test_core__imports__no_domain_app():
    core = Path(kvarter.core.__file__).parent
    offending = []
    for path in sorted(core.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        package = ["kvarter", "core", *path.relative_to(core).parent.parts]
        for name in _imported_names(tree, package):
            parts = name.split(".")
            if parts[0] == "kvarter" and len(parts) > 1 and parts[1] in DOMAIN_APPS:
                offending.append(f"{path.relative_to(core)}: {name}")
    assert offending == []
